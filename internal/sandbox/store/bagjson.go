package store

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// parseBag is decodeProps' fast path. Every listed row's bag is decoded,
// and encoding/json's reflective decoding into interfaces dominated listing
// time. parseBag accepts only what needs no judgement (well-formed JSON
// whose strings are valid UTF-8 and escape-free, unless unquoted through
// encoding/json) and reports ok=false for anything else, so decodeProps
// falls back to encoding/json and the result, or error, stays exactly
// what that gives.
func parseBag(s string) (m map[string]any, ok bool) {
	p := bagParser{s: s}
	p.space()
	if p.i == len(p.s) || p.s[p.i] != '{' {
		return nil, false
	}
	v, ok := p.value()
	if !ok {
		return nil, false
	}
	if p.space(); p.i != len(p.s) {
		return nil, false
	}
	return v.(map[string]any), true
}

type bagParser struct {
	s string
	i int
}

func (p *bagParser) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// value parses the value at p.i (whitespace already skipped).
func (p *bagParser) value() (any, bool) {
	if p.i == len(p.s) {
		return nil, false
	}
	switch c, rest := p.s[p.i], p.s[p.i:]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		return p.string()
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case strings.HasPrefix(rest, "true"):
		p.i += len("true")
		return true, true
	case strings.HasPrefix(rest, "false"):
		p.i += len("false")
		return false, true
	case strings.HasPrefix(rest, "null"):
		p.i += len("null")
		return nil, true
	}
	return nil, false
}

func (p *bagParser) object() (any, bool) {
	p.i++ // '{'
	m := map[string]any{}
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		return m, true
	}
	for {
		p.space()
		if p.i == len(p.s) || p.s[p.i] != '"' {
			return nil, false
		}
		k, ok := p.string()
		if !ok {
			return nil, false
		}
		p.space()
		if p.i == len(p.s) || p.s[p.i] != ':' {
			return nil, false
		}
		p.i++
		p.space()
		v, ok := p.value()
		if !ok {
			return nil, false
		}
		m[k.(string)] = v
		p.space()
		if p.i == len(p.s) {
			return nil, false
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			return m, true
		default:
			return nil, false
		}
	}
}

func (p *bagParser) array() (any, bool) {
	p.i++ // '['
	a := []any{}
	p.space()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		return a, true
	}
	for {
		p.space()
		v, ok := p.value()
		if !ok {
			return nil, false
		}
		a = append(a, v)
		p.space()
		if p.i == len(p.s) {
			return nil, false
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return a, true
		default:
			return nil, false
		}
	}
}

// string parses a string literal. Literals with escapes are rare (encodeProps
// writes UTF-8 as is) and go through encoding/json, which also validates them.
func (p *bagParser) string() (any, bool) {
	start := p.i
	p.i++ // '"'
	escaped, ascii := false, true
	for ; p.i < len(p.s); p.i++ {
		switch c := p.s[p.i]; {
		case c == '"':
			p.i++
			lit := p.s[start:p.i]
			if escaped {
				var out string
				if json.Unmarshal([]byte(lit), &out) != nil {
					return nil, false
				}
				return out, true
			}
			body := lit[1 : len(lit)-1]
			// encoding/json replaces invalid UTF-8; leave that to it.
			return body, ascii || utf8.ValidString(body)
		case c == '\\':
			escaped = true
			p.i++ // the escaped character cannot end the literal
		case c < 0x20:
			return nil, false
		case c >= 0x80:
			ascii = false
		}
	}
	return nil, false
}

// number parses a JSON number the way decodeProps normalizes one: an int64
// when it is an integer in range, else a float64.
func (p *bagParser) number() (any, bool) {
	start := p.i
	digits := func() bool {
		n := p.i
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
		}
		return p.i > n
	}
	if p.s[p.i] == '-' {
		p.i++
	}
	intStart := p.i
	if !digits() || p.s[intStart] == '0' && p.i-intStart > 1 {
		return nil, false
	}
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		if !digits() {
			return nil, false
		}
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if !digits() {
			return nil, false
		}
	}
	return normalizeValue(json.Number(p.s[start:p.i])), true
}
