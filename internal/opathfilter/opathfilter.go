// Package opathfilter translates the -Filter text of the Get-EXO* cmdlets
// (OPATH, as admins write it: cmdlet-surface.md §4) into the OData $filter
// the daemon sends on the entity routes (wire-protocol.md §2.6), as the
// module does on the client.
//
// Properties are checked against the cmdlet's filterable properties in
// package propertyset, and values are written by the property's kind:
// booleans as true/false, integers and byte counts bare, everything else as
// a quoted OData string with ' doubled. (The module itself refuses a ' inside
// a value, wire-protocol.md §2.6; OData can carry one, so this translator
// does.) -like patterns become startswith, endswith or contains;
// multi-valued properties match through Prop/any(d:…). OPATH's -and and -or
// have equal precedence and group left to right, so the output adds the
// parentheses OData needs to keep that meaning ("A -or B -and C" is
// "(A or B) and C").
package opathfilter

import (
	"fmt"
	"strings"

	"github.com/openexo/exo/internal/propertyset"
)

// Error is a filter the translator refuses, with where the problem is.
type Error struct {
	// Pos is the 0-based rune offset in the filter text of the problem; the
	// text's length when the filter ends too early.
	Pos int
	// Msg says what is wrong and, where it can, how to fix it.
	Msg string
	// Syntax is true when the text is not well-formed OPATH, false when it
	// is well-formed but names or compares something the cmdlet refuses.
	Syntax bool
}

func (e *Error) Error() string {
	if e.Syntax {
		return fmt.Sprintf("Invalid filter syntax at position %d: %s.", e.Pos, e.Msg)
	}
	return fmt.Sprintf("%s (position %d).", e.Msg, e.Pos)
}

func syntaxError(pos int, msg string) *Error { return &Error{Pos: pos, Msg: msg, Syntax: true} }

func filterError(pos int, msg string) *Error { return &Error{Pos: pos, Msg: msg} }

// maxDepth bounds nesting of parentheses and -not, so a hostile filter
// cannot exhaust the stack; real filters nest a few levels.
const maxDepth = 100

// Translate returns the OData $filter for an OPATH filter of cmdlet (any
// casing). An empty filter, or one of only spaces and braces, gives "" and
// no error: the caller sends no $filter. Every error is an *Error.
func Translate(filter, cmdlet string) (string, error) {
	catalog, ok := propertyset.For(cmdlet)
	switch {
	case !ok:
		return "", filterError(0, fmt.Sprintf("%s has no -Filter parameter with known properties", cmdlet))
	case !catalog.HasFilter():
		return "", filterError(0, fmt.Sprintf("%s has no -Filter parameter with known properties", catalog.Cmdlet()))
	}
	tokens, err := lex([]rune(filter))
	if err != nil {
		return "", err
	}
	if tokens[0].kind == tokEnd {
		return "", nil
	}
	p := &parser{tokens: tokens, catalog: catalog}
	tree, err := p.expression(0)
	if err != nil {
		return "", err
	}
	switch t := p.peek(); t.kind {
	case tokEnd:
	case tokClose:
		return "", syntaxError(t.pos, "this ) has no matching (")
	default:
		return "", syntaxError(t.pos, "expected -and, -or or the end of the filter, found "+t.describe())
	}
	var b strings.Builder
	tree.write(&b)
	return b.String(), nil
}

// node is a parsed filter: a comparison already in OData, or -and, -or or
// -not over other nodes.
type node struct {
	op          string // "and", "or", "not"; "" for a comparison
	left, right *node  // -not uses left only
	odata       string // a comparison's translation
}

// write emits OData. OData binds not, then and, then or; the tree already
// groups as OPATH does, so only an -or under an -and needs parentheses,
// and -not always gets them.
func (n *node) write(b *strings.Builder) {
	switch n.op {
	case "":
		b.WriteString(n.odata)
	case "not":
		b.WriteString("not (")
		n.left.write(b)
		b.WriteString(")")
	case "and":
		n.left.writeOperand(b)
		b.WriteString(" and ")
		n.right.writeOperand(b)
	case "or":
		n.left.write(b)
		b.WriteString(" or ")
		n.right.write(b)
	}
}

// writeOperand writes an operand of "and".
func (n *node) writeOperand(b *strings.Builder) {
	if n.op != "or" {
		n.write(b)
		return
	}
	b.WriteString("(")
	n.write(b)
	b.WriteString(")")
}

type parser struct {
	tokens  []token
	next    int
	catalog *propertyset.Catalog
}

func (p *parser) peek() token { return p.tokens[p.next] }

func (p *parser) take() token {
	t := p.tokens[p.next]
	if t.kind != tokEnd {
		p.next++
	}
	return t
}

// expression is operands joined by -and and -or, grouped left to right.
func (p *parser) expression(depth int) (*node, error) {
	left, err := p.operand(depth)
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != tokOperator || (t.text != "and" && t.text != "or") {
			return left, nil
		}
		p.take()
		right, err := p.operand(depth)
		if err != nil {
			return nil, err
		}
		left = &node{op: t.text, left: left, right: right}
	}
}

// operand is a comparison, a parenthesised expression, or -not before an
// operand.
func (p *parser) operand(depth int) (*node, error) {
	t := p.take()
	if depth >= maxDepth {
		return nil, syntaxError(t.pos, fmt.Sprintf("the filter nests parentheses or -not more than %d levels deep", maxDepth))
	}
	switch {
	case t.kind == tokOperator && t.text == "not":
		inner, err := p.operand(depth + 1)
		if err != nil {
			return nil, err
		}
		return &node{op: "not", left: inner}, nil
	case t.kind == tokOpen:
		inner, err := p.expression(depth + 1)
		if err != nil {
			return nil, err
		}
		if closing := p.take(); closing.kind != tokClose {
			return nil, syntaxError(closing.pos, fmt.Sprintf(
				"expected ) to close the ( at position %d, found %s", t.pos, closing.describe()))
		}
		return inner, nil
	case t.kind == tokName:
		return p.comparison(t)
	case t.kind == tokEnd:
		return nil, syntaxError(t.pos, "the filter ends where a comparison such as \"Name -eq 'value'\" was expected")
	}
	return nil, syntaxError(t.pos, "expected a property name, ( or -not, found "+t.describe())
}

// comparison is "Property -operator value"; name has been read.
func (p *parser) comparison(name token) (*node, error) {
	op := p.take()
	if op.kind != tokOperator || !isComparison(op.text) {
		msg := fmt.Sprintf("expected a comparison operator such as -eq after %q", name.text)
		switch {
		case op.kind == tokOperator && !isLogical(op.text):
			return nil, syntaxError(op.pos, fmt.Sprintf(
				"-%s is not a supported operator; use -eq, -ne, -lt, -gt, -le, -ge, -like or -notlike", op.text))
		case op.kind != tokEnd:
			msg += ", found " + op.describe()
		}
		return nil, syntaxError(op.pos, msg)
	}
	value := p.take()
	switch value.kind {
	case tokString, tokNumber, tokTrue, tokFalse, tokNull:
	case tokName:
		return nil, syntaxError(value.pos, fmt.Sprintf(
			"expected a value after -%s, found %s; put text values in quotes: %s", op.text, value.describe(), quote(value.text)))
	default:
		return nil, syntaxError(value.pos, fmt.Sprintf(
			"expected a value such as 'text', 10 or $true after -%s, found %s", op.text, value.describe()))
	}
	prop, known := p.catalog.FilterProperty(name.text)
	switch {
	case !known:
		return nil, filterError(name.pos, fmt.Sprintf(
			"%q is not a recognized filterable property of %s", name.text, p.catalog.Cmdlet()))
	case !prop.Filterable:
		return nil, filterError(name.pos, fmt.Sprintf(
			"%q cannot be used in -Filter of %s", prop.Name, p.catalog.Cmdlet()))
	}
	odata, err := translateComparison(prop, op, value)
	if err != nil {
		return nil, err
	}
	return &node{odata: odata}, nil
}

func isComparison(op string) bool {
	switch op {
	case "eq", "ne", "lt", "gt", "le", "ge", "like", "notlike":
		return true
	}
	return false
}

func isLogical(op string) bool { return op == "and" || op == "or" || op == "not" }
