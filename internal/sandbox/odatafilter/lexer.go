package odatafilter

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
	tComma          // ,
	tColon          // :
	tSlash          // /
	tIdent          // a name or keyword
	tString         // '…'; text is the unescaped value
	tNumber         // 12, -3.5, 1e3; text without a type suffix (L, M, D, F)
	tGUID           // 8-4-4-4-12 hex, bare or guid'…'
	tDate           // 2017-08-13, 2017-08-13T10:00:00Z, or datetime'…'
)

type token struct {
	kind tokKind
	text string
	raw  string // as written
	pos  int    // 0-based character position
}

func isIdentStart(r rune) bool { return r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' }

func isIdentChar(r rune) bool { return isIdentStart(r) || isDigit(r) || r == '.' }

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

func isHex(r rune) bool { return isDigit(r) || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F' }

type lexer struct {
	expr string
	rs   []rune
	i    int
	toks []token
}

func lex(expr string) ([]token, *SyntaxError) {
	if !utf8.ValidString(expr) {
		pos := 0
		for i, r := range expr {
			if r == utf8.RuneError {
				if _, size := utf8.DecodeRuneInString(expr[i:]); size == 1 {
					break
				}
			}
			pos++
		}
		return nil, &SyntaxError{Expr: expr, Pos: pos, Msg: "Invalid UTF-8"}
	}
	l := &lexer{expr: expr, rs: []rune(expr)}
	for l.i < len(l.rs) {
		if err := l.token(); err != nil {
			return nil, err
		}
	}
	l.toks = append(l.toks, token{kind: tEOF, pos: len(l.rs)})
	return l.toks, nil
}

func (l *lexer) emit(k tokKind, text string, start int) {
	l.toks = append(l.toks, token{kind: k, text: text, raw: string(l.rs[start:l.i]), pos: start})
}

func (l *lexer) fail(start int, msg string) *SyntaxError {
	end := min(start+1, len(l.rs))
	return &SyntaxError{Expr: l.expr, Pos: start, Token: string(l.rs[start:end]), Msg: msg}
}

func (l *lexer) at(i int) rune {
	if i < len(l.rs) {
		return l.rs[i]
	}
	return 0
}

func (l *lexer) token() *SyntaxError {
	start, r := l.i, l.rs[l.i]
	switch {
	case unicode.IsSpace(r):
		l.i++
	case strings.ContainsRune("(),:/", r):
		l.i++
		l.emit(punctKind(r), string(r), start)
	case r == '\'':
		s, err := l.quoted()
		if err != nil {
			return err
		}
		l.emit(tString, s, start)
	case l.guidAt(start):
		l.i += 36
		l.emit(tGUID, string(l.rs[start:l.i]), start)
	case l.dateAt(start):
		for l.i < len(l.rs) && (isDigit(l.rs[l.i]) || strings.ContainsRune("-:.+TZtz", l.rs[l.i])) {
			l.i++
		}
		l.emit(tDate, string(l.rs[start:l.i]), start)
	case isDigit(r) || r == '-' && (isDigit(l.at(start+1)) || l.at(start+1) == '.' && isDigit(l.at(start+2))):
		return l.number()
	case isIdentStart(r):
		for l.i < len(l.rs) && isIdentChar(l.rs[l.i]) {
			l.i++
		}
		name := string(l.rs[start:l.i])
		if l.at(l.i) != '\'' {
			l.emit(tIdent, name, start)
			return nil
		}
		return l.typed(name, start)
	default:
		return l.fail(start, "Invalid character '"+string(r)+"'")
	}
	return nil
}

func punctKind(r rune) tokKind {
	switch r {
	case '(':
		return tLParen
	case ')':
		return tRParen
	case ',':
		return tComma
	case ':':
		return tColon
	}
	return tSlash
}

// quoted reads a '…' literal; ” stands for one quote.
func (l *lexer) quoted() (string, *SyntaxError) {
	start := l.i
	l.i++
	var b strings.Builder
	for {
		if l.i >= len(l.rs) {
			return "", l.fail(start, "Unterminated string literal")
		}
		r := l.rs[l.i]
		l.i++
		if r != '\'' {
			b.WriteRune(r)
			continue
		}
		if l.at(l.i) != '\'' {
			return b.String(), nil
		}
		b.WriteRune('\'')
		l.i++
	}
}

// typed reads an OData v3-style typed literal: guid'…', datetime'…',
// datetimeoffset'…', or an enum member Namespace.Type'Member'.
func (l *lexer) typed(prefix string, start int) *SyntaxError {
	s, err := l.quoted()
	if err != nil {
		return err
	}
	switch strings.ToLower(prefix) {
	case "guid":
		l.emit(tGUID, s, start)
	case "datetime", "datetimeoffset", "date":
		l.emit(tDate, s, start)
	default:
		if !strings.Contains(prefix, ".") {
			return &SyntaxError{Expr: l.expr, Pos: start, Token: prefix, Msg: "Unrecognized literal type '" + prefix + "'"}
		}
		l.emit(tString, s, start)
	}
	return nil
}

// guidAt reports whether an 8-4-4-4-12 hex GUID starts at i and ends at a
// token boundary.
func (l *lexer) guidAt(i int) bool {
	if i+36 > len(l.rs) || isIdentChar(l.at(i+36)) {
		return false
	}
	for j := 0; j < 36; j++ {
		r := l.rs[i+j]
		if j == 8 || j == 13 || j == 18 || j == 23 {
			if r != '-' {
				return false
			}
		} else if !isHex(r) {
			return false
		}
	}
	return true
}

// dateAt reports whether a yyyy-mm-dd date starts at i.
func (l *lexer) dateAt(i int) bool {
	for j, want := range "dddd-dd-dd" {
		r := l.at(i + j)
		if want == 'd' && !isDigit(r) || want == '-' && r != '-' {
			return false
		}
	}
	return true
}

// number reads an OData number; a trailing L, M, D or F type suffix (OData
// v3) is dropped, since the property's type decides the value's type.
func (l *lexer) number() *SyntaxError {
	start := l.i
	if l.rs[l.i] == '-' {
		l.i++
	}
	for l.i < len(l.rs) && isDigit(l.rs[l.i]) {
		l.i++
	}
	if l.at(l.i) == '.' {
		l.i++
		for l.i < len(l.rs) && isDigit(l.rs[l.i]) {
			l.i++
		}
	}
	if r := l.at(l.i); r == 'e' || r == 'E' {
		j := l.i + 1
		if l.at(j) == '+' || l.at(j) == '-' {
			j++
		}
		if isDigit(l.at(j)) {
			l.i = j
			for l.i < len(l.rs) && isDigit(l.rs[l.i]) {
				l.i++
			}
		}
	}
	text := string(l.rs[start:l.i])
	if strings.ContainsRune("LlMmDdFf", l.at(l.i)) && !isIdentChar(l.at(l.i+1)) {
		l.i++
	}
	if isIdentChar(l.at(l.i)) {
		return l.fail(l.i, "Syntax error")
	}
	l.emit(tNumber, text, start)
	return nil
}
