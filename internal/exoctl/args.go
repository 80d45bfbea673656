package exoctl

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUsage marks a command line exoctl cannot make sense of.
var ErrUsage = errors.New("usage")

func usagef(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUsage, fmt.Sprintf(format, args...))
}

// Kind is the PowerShell type a command-line value was written as.
type Kind int

// Kinds of written values.
const (
	KindString Kind = iota // bare or quoted text
	KindBool               // $true, $false, or a switch
	KindNull               // $null
	KindList               // a,b,c
	KindMap                // @{Key=value; ...}
)

// Value is one parameter value as written on the command line.
type Value struct {
	Kind Kind
	Str  string
	Bool bool
	// Quoted says the text was in quotes, so it is a string whatever the
	// parameter's type.
	Quoted bool
	List   []Value
	// Map holds a hashtable's entries in the order written.
	Map []Entry
}

// Entry is one hashtable entry.
type Entry struct {
	Key   string
	Value Value
}

// Param is one -Name value pair.
type Param struct {
	Name  string
	Value Value
	// Raw is the value's text as written, for parameters of type [string],
	// which take it whole.
	Raw string
	// Switch says the parameter was written without a value (-Name), which
	// is $true for a switch.
	Switch bool
}

// ParseParams reads PowerShell-style parameters: -Name value, -Name:value,
// -Switch, -Switch:$false. Values are $true, $false, $null, 'quoted' or
// "quoted" text, comma lists (a,b or "a, b" split over arguments) and
// hashtables @{Add='x','y'; Remove='z'}. A value before any -Name is
// positional; positional values are returned in order.
func ParseParams(args []string) (params []Param, positional []Value, err error) {
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if !isParamName(arg) {
			v, next, err := parseValueArgs(args, i)
			if err != nil {
				return nil, nil, err
			}
			positional = append(positional, v)
			i = next
			continue
		}
		name, inline, hasInline := strings.Cut(arg[1:], ":")
		if name == "" {
			return nil, nil, usagef("%q has no parameter name", arg)
		}
		switch {
		case hasInline:
			v, err := parseValue(inline)
			if err != nil {
				return nil, nil, fmt.Errorf("-%s: %w", name, err)
			}
			params = append(params, Param{Name: name, Value: v, Raw: inline})
		case i+1 < len(args) && !isParamName(args[i+1]):
			v, next, err := parseValueArgs(args, i+1)
			if err != nil {
				return nil, nil, fmt.Errorf("-%s: %w", name, err)
			}
			params = append(params, Param{Name: name, Value: v, Raw: strings.Join(args[i+1:next+1], " ")})
			i = next
		default:
			params = append(params, Param{Name: name, Value: Value{Kind: KindBool, Bool: true}, Switch: true})
		}
	}
	return params, positional, nil
}

// isParamName says whether arg is -Name rather than a value such as -5.
func isParamName(arg string) bool {
	if len(arg) < 2 || arg[0] != '-' || arg[1] == '-' {
		return false
	}
	c := arg[1]
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// parseValueArgs reads the value starting at args[i]; an argument ending in
// a comma continues on the next one, as "-Name a, b" splits in a shell. It
// returns the value and the index of its last argument.
func parseValueArgs(args []string, i int) (Value, int, error) {
	text := args[i]
	for strings.HasSuffix(strings.TrimSpace(text), ",") && i+1 < len(args) {
		i++
		text += args[i]
	}
	v, err := parseValue(text)
	return v, i, err
}

// parseValue reads one written value.
func parseValue(text string) (Value, error) {
	p := &valueParser{s: text}
	v, err := p.list()
	if err != nil {
		return Value{}, err
	}
	p.space()
	if p.pos < len(p.s) {
		return Value{}, usagef("unexpected %q in %q", p.s[p.pos:], text)
	}
	return v, nil
}

// valueParser reads the small part of PowerShell's expression syntax that
// parameter values use.
type valueParser struct {
	s   string
	pos int
	// ends are the characters that end bare text: only a comma at the top
	// level, where text may hold spaces; also ; } or ) inside @{} and ().
	ends []string
}

func (p *valueParser) ending() string {
	if len(p.ends) == 0 {
		return ","
	}
	return p.ends[len(p.ends)-1]
}

func (p *valueParser) space() {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t' || p.s[p.pos] == '\n') {
		p.pos++
	}
}

func (p *valueParser) peek() byte {
	if p.pos < len(p.s) {
		return p.s[p.pos]
	}
	return 0
}

// list is an element, or elements separated by commas.
func (p *valueParser) list() (Value, error) {
	first, err := p.element()
	if err != nil {
		return Value{}, err
	}
	p.space()
	if p.peek() != ',' {
		return first, nil
	}
	out := Value{Kind: KindList, List: []Value{first}}
	for p.peek() == ',' {
		p.pos++
		p.space()
		v, err := p.element()
		if err != nil {
			return Value{}, err
		}
		out.List = append(out.List, v)
		p.space()
	}
	return out, nil
}

// element is a quoted string, a hashtable, a variable or bare text.
func (p *valueParser) element() (Value, error) {
	p.space()
	switch c := p.peek(); {
	case c == '\'' || c == '"':
		s, err := p.quoted()
		return Value{Kind: KindString, Str: s, Quoted: true}, err
	case strings.HasPrefix(p.s[p.pos:], "@{"):
		return p.hashtable()
	case strings.HasPrefix(p.s[p.pos:], "@(") || c == '(':
		return p.array()
	}
	start := p.pos
	for p.pos < len(p.s) && !strings.ContainsRune(p.ending(), rune(p.s[p.pos])) {
		if c := p.s[p.pos]; c == '\'' || c == '"' {
			// Quotes inside bare text (a filter, say) keep their commas.
			if _, err := p.quoted(); err != nil {
				return Value{}, err
			}
			continue
		}
		p.pos++
	}
	word := strings.TrimSpace(p.s[start:p.pos])
	switch strings.ToLower(word) {
	case "":
		return Value{}, usagef("a value is missing in %q", p.s)
	case "$true":
		return Value{Kind: KindBool, Bool: true}, nil
	case "$false":
		return Value{Kind: KindBool}, nil
	case "$null":
		return Value{Kind: KindNull}, nil
	}
	return Value{Kind: KindString, Str: word}, nil
}

// quoted reads 'text' (two single quotes are one) or "text" (`" and "" are quotes).
func (p *valueParser) quoted() (string, error) {
	q := p.s[p.pos]
	p.pos++
	var b strings.Builder
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		p.pos++
		switch {
		case c == q && p.peek() == q:
			b.WriteByte(q)
			p.pos++
		case c == q:
			return b.String(), nil
		case q == '"' && c == '`' && p.pos < len(p.s):
			b.WriteByte(p.s[p.pos])
			p.pos++
		default:
			b.WriteByte(c)
		}
	}
	return "", usagef("unterminated quote in %q", p.s)
}

// array reads @(a, b) or (a, b).
func (p *valueParser) array() (Value, error) {
	if p.peek() == '@' {
		p.pos++
	}
	p.pos++ // (
	p.ends = append(p.ends, ",)")
	defer func() { p.ends = p.ends[:len(p.ends)-1] }()
	p.space()
	if p.peek() == ')' {
		p.pos++
		return Value{Kind: KindList}, nil
	}
	v, err := p.list()
	if err != nil {
		return Value{}, err
	}
	p.space()
	if p.peek() != ')' {
		return Value{}, usagef("missing ) in %q", p.s)
	}
	p.pos++
	if v.Kind != KindList {
		v = Value{Kind: KindList, List: []Value{v}}
	}
	return v, nil
}

// hashtable reads @{Key=value; Key2=a,b}.
func (p *valueParser) hashtable() (Value, error) {
	p.pos += 2
	p.ends = append(p.ends, ",;}")
	defer func() { p.ends = p.ends[:len(p.ends)-1] }()
	out := Value{Kind: KindMap}
	for {
		p.space()
		for p.peek() == ';' {
			p.pos++
			p.space()
		}
		if p.peek() == '}' {
			p.pos++
			return out, nil
		}
		if p.pos >= len(p.s) {
			return Value{}, usagef("missing } in %q", p.s)
		}
		var key string
		if c := p.peek(); c == '\'' || c == '"' {
			k, err := p.quoted()
			if err != nil {
				return Value{}, err
			}
			key = k
		} else {
			start := p.pos
			for p.pos < len(p.s) && !strings.ContainsRune("= \t;}", rune(p.s[p.pos])) {
				p.pos++
			}
			key = p.s[start:p.pos]
		}
		p.space()
		if key == "" || p.peek() != '=' {
			return Value{}, usagef("a hashtable entry needs Key=value in %q", p.s)
		}
		p.pos++
		v, err := p.list()
		if err != nil {
			return Value{}, err
		}
		out.Map = append(out.Map, Entry{Key: key, Value: v})
	}
}
