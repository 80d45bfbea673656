package opathfilter

import (
	"fmt"
	"strings"
	"unicode"
)

type tokenKind int

const (
	tokEnd tokenKind = iota
	tokOpen
	tokClose
	tokOperator // -eq, -and, …: text is the lower-case word without the hyphen
	tokName
	tokString // text is the decoded value
	tokNumber
	tokTrue
	tokFalse
	tokNull
)

type token struct {
	kind tokenKind
	text string
	pos  int // rune offset of the token's first rune in the input
	// runePos holds, for a tokString, each decoded rune's offset in the
	// input, so errors can point inside the value.
	runePos []int
}

// describe names a token for "found …" in messages.
func (t token) describe() string {
	switch t.kind {
	case tokEnd:
		return "the end of the filter"
	case tokOpen:
		return "("
	case tokClose:
		return ")"
	case tokOperator:
		return "-" + t.text
	case tokName:
		return fmt.Sprintf("%q", t.text)
	case tokString:
		return quote(t.text)
	case tokTrue:
		return "$true"
	case tokFalse:
		return "$false"
	case tokNull:
		return "$null"
	}
	return t.text
}

// quote writes text as a single-quoted value, in OPATH or OData alike: both
// double a quote inside.
func quote(text string) string {
	return "'" + strings.ReplaceAll(text, "'", "''") + "'"
}

// lex splits the filter into tokens, the last being tokEnd. Braces around
// the whole filter (a script block's text) are skipped.
func lex(input []rune) ([]token, error) {
	start, end, err := unbrace(input)
	if err != nil {
		return nil, err
	}
	var tokens []token
	for i := start; ; {
		for i < end && unicode.IsSpace(input[i]) {
			i++
		}
		if i == end {
			return append(tokens, token{kind: tokEnd, pos: end}), nil
		}
		t, next, err := lexToken(input[:end], i)
		if err != nil {
			return nil, err
		}
		tokens = append(tokens, t)
		i = next
	}
}

// unbrace finds the filter inside optional braces around all of it.
func unbrace(input []rune) (start, end int, err error) {
	start, end = 0, len(input)
	for start < end && unicode.IsSpace(input[start]) {
		start++
	}
	for end > start && unicode.IsSpace(input[end-1]) {
		end--
	}
	opened := start < end && input[start] == '{'
	closed := start < end && input[end-1] == '}'
	switch {
	case opened && closed && end-start >= 2:
		return start + 1, end - 1, nil
	case opened:
		return 0, 0, syntaxError(start, "the { at the start of the filter has no matching } at its end")
	case closed:
		return 0, 0, syntaxError(end-1, "the } at the end of the filter has no matching { at its start")
	}
	return start, end, nil
}

// lexToken reads the token starting at input[i] and returns the offset after it.
func lexToken(input []rune, i int) (token, int, error) {
	r := input[i]
	switch {
	case r == '(':
		return token{kind: tokOpen, pos: i}, i + 1, nil
	case r == ')':
		return token{kind: tokClose, pos: i}, i + 1, nil
	case r == '\'' || r == '"':
		return lexString(input, i)
	case r == '$':
		return lexVariable(input, i)
	case r == '-' && i+1 < len(input) && isDigit(input[i+1]):
		return lexNumber(input, i)
	case r == '-':
		j := i + 1
		for j < len(input) && unicode.IsLetter(input[j]) {
			j++
		}
		if j == i+1 {
			return token{}, 0, syntaxError(i, "expected an operator such as -eq or -and after the -")
		}
		return token{kind: tokOperator, text: strings.ToLower(string(input[i+1 : j])), pos: i}, j, nil
	case isDigit(r):
		return lexNumber(input, i)
	case isWordRune(r):
		j := i
		for j < len(input) && isWordRune(input[j]) {
			j++
		}
		return token{kind: tokName, text: string(input[i:j]), pos: i}, j, nil
	case r == '‘' || r == '’' || r == '‚' || r == '‛' || r == '“' || r == '”' || r == '„':
		return token{}, 0, syntaxError(i, fmt.Sprintf("the typographic quote %c is not a quote in filters; use ' or \"", r))
	}
	return token{}, 0, syntaxError(i, fmt.Sprintf("unexpected character %q", r))
}

// lexString reads a '…' or "…" value; a doubled quote inside stands for one.
func lexString(input []rune, i int) (token, int, error) {
	quote := input[i]
	var text []rune
	var runePos []int
	for j := i + 1; j < len(input); j++ {
		if input[j] == quote {
			if j+1 < len(input) && input[j+1] == quote {
				text = append(text, quote)
				runePos = append(runePos, j)
				j++
				continue
			}
			return token{kind: tokString, text: string(text), pos: i, runePos: runePos}, j + 1, nil
		}
		text = append(text, input[j])
		runePos = append(runePos, j)
	}
	return token{}, 0, syntaxError(i, fmt.Sprintf("the value starting with %c has no closing %c", quote, quote))
}

// lexVariable reads $true, $false or $null. Any other variable means
// PowerShell did not expand it, usually because the filter was single-quoted.
func lexVariable(input []rune, i int) (token, int, error) {
	j := i + 1
	for j < len(input) && isWordRune(input[j]) {
		j++
	}
	name := string(input[i+1 : j])
	switch strings.ToLower(name) {
	case "true":
		return token{kind: tokTrue, pos: i}, j, nil
	case "false":
		return token{kind: tokFalse, pos: i}, j, nil
	case "null":
		return token{kind: tokNull, pos: i}, j, nil
	case "":
		return token{}, 0, syntaxError(i, "expected $true, $false or $null after the $")
	}
	return token{}, 0, syntaxError(i, fmt.Sprintf(
		"$%s is a PowerShell variable that was not expanded; only $true, $false and $null are allowed in a filter, "+
			"so put the filter in double quotes and the variable in single quotes ('$%s') to insert its value", name, name))
}

// lexNumber reads an optionally negative integer or decimal.
func lexNumber(input []rune, i int) (token, int, error) {
	j := i + 1
	for j < len(input) && isDigit(input[j]) {
		j++
	}
	if j+1 < len(input) && input[j] == '.' && isDigit(input[j+1]) {
		j++
		for j < len(input) && isDigit(input[j]) {
			j++
		}
	}
	if j < len(input) && isWordRune(input[j]) {
		k := j
		for k < len(input) && isWordRune(input[k]) {
			k++
		}
		word := string(input[i:k])
		return token{}, 0, syntaxError(i, fmt.Sprintf("the value %s needs quotes: %s", word, quote(word)))
	}
	return token{kind: tokNumber, text: string(input[i:j]), pos: i}, j, nil
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

// isWordRune is a rune of a property name.
func isWordRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }
