package opath

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tEOF    tokKind = iota
	tLParen         // (
	tRParen         // )
	tLBrace         // {
	tRBrace         // }
	tOp             // -eq, -and…; text is the lower-case name without the dash
	tString         // '…' or "…"; text is the unescaped value
	tNumber         // 500, -2147483640, 1.5
	tWord           // a bare word: a property name or an unquoted value
	tVar            // $true, $false, $null; text is the lower-case name
)

type token struct {
	kind tokKind
	text string
	raw  string // the token as written
	pos  int    // 1-based character position
}

// Exchange tokenizes filters with PowerShell's rules, and PowerShell treats
// typographic dashes and quotes (which documentation copy-paste brings in)
// like their ASCII forms.
func isDash(r rune) bool { return r == '-' || r == '\u2013' || r == '\u2014' || r == '\u2015' }

func isSingleQuote(r rune) bool {
	return r == '\'' || r == '\u2018' || r == '\u2019' || r == '\u201A' || r == '\u201B'
}

func isDoubleQuote(r rune) bool { return r == '"' || r == '\u201C' || r == '\u201D' || r == '\u201E' }

func isASCIILetter(r rune) bool { return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' }

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

// isDelim ends a bare word.
func isDelim(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune("(){}`", r) || isSingleQuote(r) || isDoubleQuote(r) || unicode.IsControl(r)
}

type lexer struct {
	filter string
	rs     []rune
	i      int
	toks   []token
}

// lex splits a filter into tokens. Like PowerShell, it tokenizes the whole
// filter before parsing, so an unterminated string is reported even when
// an earlier token would fail to parse.
func lex(filter string) ([]token, *Error) {
	if !utf8.ValidString(filter) {
		pos := 1
		for i, r := range filter {
			if r == utf8.RuneError {
				if _, size := utf8.DecodeRuneInString(filter[i:]); size == 1 {
					break
				}
			}
			pos++
		}
		return nil, &Error{Filter: filter, Pos: pos, cause: ErrSyntax, Reason: "the filter is not valid UTF-8"}
	}
	l := &lexer{filter: filter, rs: []rune(filter)}
	for l.i < len(l.rs) {
		if err := l.token(); err != nil {
			return nil, err
		}
	}
	l.toks = append(l.toks, token{kind: tEOF, pos: len(l.rs) + 1})
	return l.toks, nil
}

func (l *lexer) emit(k tokKind, text string, start int) {
	l.toks = append(l.toks, token{kind: k, text: text, raw: string(l.rs[start:l.i]), pos: start + 1})
}

func (l *lexer) fail(start int, reason string) *Error {
	end := min(start+1, len(l.rs))
	return &Error{Filter: l.filter, Pos: start + 1, Token: string(l.rs[start:end]), cause: ErrSyntax, Reason: reason}
}

func (l *lexer) peek(off int) rune {
	if l.i+off < len(l.rs) {
		return l.rs[l.i+off]
	}
	return 0
}

func (l *lexer) token() *Error {
	start, r := l.i, l.rs[l.i]
	switch {
	case unicode.IsSpace(r):
		l.i++
	case r == '(' || r == ')' || r == '{' || r == '}':
		l.i++
		l.emit(bracketKind(r), string(r), start)
	case isDash(r) && isASCIILetter(l.peek(1)):
		l.i++
		for l.i < len(l.rs) && isASCIILetter(l.rs[l.i]) {
			l.i++
		}
		l.emit(tOp, strings.ToLower(string(l.rs[start+1:l.i])), start)
	case isDash(r) && !(isDigit(l.peek(1)) || l.peek(1) == '.' && isDigit(l.peek(2))):
		return l.fail(start, "a dash must start an operator such as -eq or a negative number")
	case isSingleQuote(r):
		return l.quoted(isSingleQuote, false)
	case isDoubleQuote(r):
		return l.quoted(isDoubleQuote, true)
	case r == '$':
		l.i++
		for l.i < len(l.rs) && (isASCIILetter(l.rs[l.i]) || isDigit(l.rs[l.i]) || l.rs[l.i] == '_') {
			l.i++
		}
		name := strings.ToLower(string(l.rs[start+1 : l.i]))
		if name != "true" && name != "false" && name != "null" {
			return l.fail(start, "only the variables $true, $false and $null can be used in a filter")
		}
		l.emit(tVar, name, start)
	case isDelim(r):
		return l.fail(start, "unexpected character")
	default:
		for l.i < len(l.rs) && !isDelim(l.rs[l.i]) {
			l.i++
		}
		word := string(l.rs[start:l.i])
		if isDash(r) {
			word = "-" + string(l.rs[start+1:l.i])
		}
		if isNumber(word) {
			l.emit(tNumber, word, start)
		} else {
			l.emit(tWord, word, start)
		}
	}
	return nil
}

func bracketKind(r rune) tokKind {
	switch r {
	case '(':
		return tLParen
	case ')':
		return tRParen
	case '{':
		return tLBrace
	}
	return tRBrace
}

// quoted reads a string. A doubled quote character stands for one quote;
// in double-quoted strings a backtick escapes the next character and
// $true, $false and $null expand as PowerShell would expand them.
func (l *lexer) quoted(isQuote func(rune) bool, expand bool) *Error {
	start := l.i
	l.i++
	var b strings.Builder
	for {
		if l.i >= len(l.rs) {
			return l.fail(start, "the string has no closing quote")
		}
		r := l.rs[l.i]
		switch {
		case isQuote(r) && isQuote(l.peek(1)):
			b.WriteRune(r)
			l.i += 2
		case isQuote(r):
			l.i++
			l.emit(tString, b.String(), start)
			return nil
		case expand && r == '`' && l.i+1 < len(l.rs):
			b.WriteRune(backtickEscape(l.rs[l.i+1]))
			l.i += 2
		case expand && r == '$':
			if v, n := expandVariable(l.rs[l.i+1:]); n > 0 {
				b.WriteString(v)
				l.i += 1 + n
				continue
			}
			b.WriteRune(r)
			l.i++
		default:
			b.WriteRune(r)
			l.i++
		}
	}
}

func backtickEscape(r rune) rune {
	switch r {
	case '0':
		return 0
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	}
	return r
}

// expandVariable returns the value of $true, $false or $null at the start
// of rs (after the $) and the number of runes of the name; other variables
// stay literal text.
func expandVariable(rs []rune) (string, int) {
	n := 0
	for n < len(rs) && (isASCIILetter(rs[n]) || isDigit(rs[n]) || rs[n] == '_') {
		n++
	}
	switch strings.ToLower(string(rs[:n])) {
	case "true":
		return "True", n
	case "false":
		return "False", n
	case "null":
		return "", n
	}
	return "", 0
}

// isNumber reports whether a bare word is a PowerShell decimal number:
// an optional sign, digits with an optional fraction, an optional exponent.
func isNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := 0
	for i < len(s) && isDigit(rune(s[i])) {
		i, digits = i+1, digits+1
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(rune(s[i])) {
			i, digits = i+1, digits+1
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		exp := 0
		for i < len(s) && isDigit(rune(s[i])) {
			i, exp = i+1, exp+1
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}
