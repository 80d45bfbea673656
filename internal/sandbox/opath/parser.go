package opath

import (
	"errors"
	"fmt"
)

// maxDepth bounds the nesting of parentheses and -not, so a hostile filter
// can't exhaust the stack.
const maxDepth = 100

// Filter is a parsed OPATH filter. It is immutable and safe for concurrent use.
type Filter struct {
	root node
}

// Parse parses an OPATH filter for the cmdlet whose filterable properties
// are schema. The filter may be wrapped in braces, as PowerShell passes a
// script block. -and binds tighter than -or; -not applies to the comparison
// or parenthesized expression after it. Errors are *Error.
func Parse(filter string, schema *Schema) (*Filter, error) {
	if schema == nil {
		return nil, errors.New("opath: Parse needs a schema")
	}
	toks, lexErr := lex(filter)
	if lexErr != nil {
		return nil, lexErr
	}
	p := &parser{filter: filter, toks: toks, schema: schema}
	root, err := p.parseFilter()
	if err != nil {
		return nil, err
	}
	return &Filter{root: root}, nil
}

type parser struct {
	filter string
	toks   []token
	i      int
	schema *Schema
	depth  int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) syntax(t token, format string, args ...any) *Error {
	return &Error{Filter: p.filter, Pos: t.pos, Token: t.raw, cause: ErrSyntax, Reason: fmt.Sprintf(format, args...)}
}

func (p *parser) parseFilter() (node, *Error) {
	braced := p.peek().kind == tLBrace
	if braced {
		p.next()
	}
	if k := p.peek().kind; k == tEOF || braced && k == tRBrace {
		return nil, p.syntax(p.peek(), "the filter is empty")
	}
	n, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if braced {
		if t := p.next(); t.kind != tRBrace {
			return nil, p.syntax(t, "expected } to close the { at position 1")
		}
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, p.syntax(t, "unexpected %s after a complete expression", describe(t))
	}
	return n, nil
}

func (p *parser) parseOr() (node, *Error) {
	kids, err := p.parseChain("or", p.parseAnd)
	if err != nil || len(kids) == 1 {
		return first(kids), err
	}
	return flatten[orNode](kids), nil
}

func (p *parser) parseAnd() (node, *Error) {
	kids, err := p.parseChain("and", p.parseUnary)
	if err != nil || len(kids) == 1 {
		return first(kids), err
	}
	return flatten[andNode](kids), nil
}

func first(ns []node) node {
	if len(ns) == 0 {
		return nil
	}
	return ns[0]
}

// parseChain parses one or more operands joined by -op.
func (p *parser) parseChain(op string, operand func() (node, *Error)) ([]node, *Error) {
	var kids []node
	for {
		n, err := operand()
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
		if t := p.peek(); t.kind != tOp || t.text != op {
			return kids, nil
		}
		p.next()
	}
}

func (p *parser) parseUnary() (node, *Error) {
	t := p.peek()
	if t.kind != tOp || t.text != "not" {
		return p.parsePrimary()
	}
	p.next()
	if err := p.enter(t); err != nil {
		return nil, err
	}
	n, err := p.parseUnary()
	p.depth--
	if err != nil {
		return nil, err
	}
	return notNode{n}, nil
}

func (p *parser) enter(t token) *Error {
	p.depth++
	if p.depth > maxDepth {
		return p.syntax(t, "the filter nests parentheses and -not more than %d deep", maxDepth)
	}
	return nil
}

func (p *parser) parsePrimary() (node, *Error) {
	t := p.peek()
	switch t.kind {
	case tLParen:
		p.next()
		if err := p.enter(t); err != nil {
			return nil, err
		}
		n, err := p.parseOr()
		p.depth--
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tRParen {
			return nil, p.syntax(c, "expected ) to close the ( at position %d, found %s", t.pos, describe(c))
		}
		return n, nil
	case tWord:
		return p.parseComparison()
	}
	return nil, p.syntax(t, "expected a property name or (, found %s", describe(t))
}

func (p *parser) parseComparison() (node, *Error) {
	pt := p.next()
	prop, ok := p.schema.Lookup(pt.text)
	if !ok {
		return nil, &Error{Filter: p.filter, Pos: pt.pos, Token: pt.raw, Property: pt.text, cause: ErrUnknownProperty,
			Reason: fmt.Sprintf("%s is not filterable on this cmdlet", pt.text)}
	}
	ot := p.next()
	op, ok := comparisonOp(ot)
	if !ok {
		return nil, p.syntax(ot, "expected a comparison operator such as -eq after %s, found %s", prop.Name, describe(ot))
	}
	vt := p.next()
	var lit any
	switch vt.kind {
	case tString, tNumber, tWord:
		lit = vt.text
	case tVar:
		switch vt.text {
		case "true":
			lit = true
		case "false":
			lit = false
		}
	default:
		return nil, p.syntax(vt, "expected a value after %s %s, found %s", prop.Name, ot.raw, describe(vt))
	}
	test, err := prop.Compile(op, lit)
	if err != nil {
		var te *TestError
		errors.As(err, &te)
		at := vt
		if te.Reason == ReasonOperator {
			at = ot
		}
		return nil, &Error{Filter: p.filter, Pos: at.pos, Token: at.raw, Property: prop.Name, cause: te, Reason: te.Error()}
	}
	return cmpNode{test}, nil
}

func comparisonOp(t token) (Op, bool) {
	if t.kind != tOp {
		return 0, false
	}
	switch t.text {
	case "eq":
		return OpEq, true
	case "ne":
		return OpNe, true
	case "lt":
		return OpLt, true
	case "gt":
		return OpGt, true
	case "le":
		return OpLe, true
	case "ge":
		return OpGe, true
	case "like":
		return OpLike, true
	case "notlike":
		return OpNotLike, true
	}
	return 0, false
}

// describe names a token for Error.Reason.
func describe(t token) string {
	switch t.kind {
	case tEOF:
		return "the end of the filter"
	case tOp:
		return "operator " + t.raw
	case tString:
		return "string " + t.raw
	}
	return fmt.Sprintf("%q", t.raw)
}
