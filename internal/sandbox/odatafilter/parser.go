package odatafilter

import (
	"errors"
	"fmt"
	"strings"

	"github.com/openexo/exo/internal/sandbox/opath"
)

// maxDepth bounds the nesting of parentheses, not and lambdas, so a hostile
// expression can't exhaust the stack.
const maxDepth = 100

// Filter is a parsed $filter expression. It is immutable and safe for
// concurrent use.
type Filter struct {
	root node
}

// Parse parses a URL-decoded $filter expression against schema. Keywords
// and property names are case-insensitive; and binds tighter than or; not
// applies to the operand after it. Errors are *SyntaxError or *PropertyError.
func Parse(expr string, schema *Schema) (*Filter, error) {
	if schema == nil {
		return nil, errors.New("odatafilter: Parse needs a schema")
	}
	toks, lexErr := lex(expr)
	if lexErr != nil {
		return nil, lexErr
	}
	p := &parser{expr: expr, toks: toks, schema: schema}
	root, err := p.parseFilter()
	if err != nil {
		return nil, err
	}
	return &Filter{root: root}, nil
}

type parser struct {
	expr   string
	toks   []token
	i      int
	schema *Schema
	depth  int
	scope  *rangeVar // innermost lambda variable, nil outside lambdas
}

// rangeVar is a lambda's variable, standing for one value of prop.
type rangeVar struct {
	name string
	prop opath.Property
}

// operand is one side of a comparison before it is checked.
type operand struct {
	tok   token
	node  node            // a boolean expression: (…), a function call, a lambda
	prop  *opath.Property // a property, or the range variable's property
	rvar  string          // set when prop is reached through the range variable
	lit   any             // nil, bool or string, when isLit
	isLit bool
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) syntax(t token, format string, args ...any) *SyntaxError {
	return &SyntaxError{Expr: p.expr, Pos: t.pos, Token: t.raw, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) propErr(t token, format string, args ...any) *PropertyError {
	return &PropertyError{Expr: p.expr, Pos: t.pos, Name: t.raw, Reason: fmt.Sprintf(format, args...)}
}

func (p *parser) expect(k tokKind, msg string) error {
	if t := p.next(); t.kind != k {
		return p.syntax(t, "%s", msg)
	}
	return nil
}

func (p *parser) enter(t token) error {
	p.depth++
	if p.depth > maxDepth {
		return p.syntax(t, "The expression nests more than %d levels", maxDepth)
	}
	return nil
}

func keyword(t token, words ...string) bool {
	if t.kind != tIdent {
		return false
	}
	for _, w := range words {
		if strings.EqualFold(t.text, w) {
			return true
		}
	}
	return false
}

// reserved reports whether t is an OData keyword, which can't be a
// property name or a range variable.
func reserved(t token) bool {
	return keyword(t, "and", "or", "not", "eq", "ne", "lt", "gt", "le", "ge", "has", "in", "add", "sub", "mul", "div", "mod", "true", "false", "null", "any", "all")
}

func (p *parser) parseFilter() (node, error) {
	if p.peek().kind == tEOF {
		return nil, p.syntax(p.peek(), "Expression expected")
	}
	n, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, p.syntax(t, "')' or operator expected")
	}
	return n, nil
}

func (p *parser) parseOr() (node, error) {
	kids, err := p.parseChain("or", p.parseAnd)
	if err != nil || len(kids) == 1 {
		return first(kids), err
	}
	return flatten[orNode](kids), nil
}

func (p *parser) parseAnd() (node, error) {
	kids, err := p.parseChain("and", p.parseNot)
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

func (p *parser) parseChain(op string, operand func() (node, error)) ([]node, error) {
	var kids []node
	for {
		n, err := operand()
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
		if !keyword(p.peek(), op) {
			return kids, nil
		}
		p.next()
	}
}

func (p *parser) parseNot() (node, error) {
	t := p.peek()
	if !keyword(t, "not") {
		return p.parseComparison()
	}
	p.next()
	if err := p.enter(t); err != nil {
		return nil, err
	}
	n, err := p.parseNot()
	p.depth--
	if err != nil {
		return nil, err
	}
	return notNode{n}, nil
}

func comparisonOp(t token) (opath.Op, bool) {
	if t.kind != tIdent {
		return 0, false
	}
	switch strings.ToLower(t.text) {
	case "eq":
		return opath.OpEq, true
	case "ne":
		return opath.OpNe, true
	case "lt":
		return opath.OpLt, true
	case "gt":
		return opath.OpGt, true
	case "le":
		return opath.OpLe, true
	case "ge":
		return opath.OpGe, true
	}
	return 0, false
}

func (p *parser) parseComparison() (node, error) {
	left, err := p.parseOperand()
	if err != nil {
		return nil, err
	}
	ot := p.peek()
	op, ok := comparisonOp(ot)
	if !ok {
		return p.asCondition(left)
	}
	p.next()
	right, err := p.parseOperand()
	if err != nil {
		return nil, err
	}
	return p.compare(left, op, ot, right)
}

// asCondition turns an operand that stands alone into a boolean node: a
// boolean expression, a Bool property (IsShared means IsShared eq true), or
// true/false.
func (p *parser) asCondition(o operand) (node, error) {
	switch {
	case o.node != nil:
		return o.node, nil
	case o.isLit:
		if b, ok := o.lit.(bool); ok {
			return constNode(b), nil
		}
		return nil, p.syntax(o.tok, "A boolean expression expected")
	case o.prop.Kind == opath.Bool && (!o.prop.Multi || o.rvar != ""):
		test, err := o.prop.Compile(opath.OpEq, true)
		if err != nil {
			return nil, err
		}
		return cmpNode{test: test, rvar: o.rvar}, nil
	}
	return nil, p.propErr(o.tok, "The property '%s' of type '%s' is not a boolean; compare it with a value.", o.prop.Name, o.prop.TypeName())
}

// compare checks a comparison and compiles it with OPATH semantics.
func (p *parser) compare(left operand, op opath.Op, ot token, right operand) (node, error) {
	if left.node != nil || right.node != nil {
		return p.compareCondition(left, op, ot, right)
	}
	if left.isLit && !right.isLit {
		left, right = right, left
		op = mirror(op)
	}
	switch {
	case left.isLit:
		return nil, p.syntax(left.tok, "A comparison needs a property on one side")
	case !right.isLit:
		return nil, p.syntax(right.tok, "Comparing two properties is not supported; a literal expected")
	case left.prop.Multi && left.rvar == "":
		return nil, p.collectionErr(left)
	}
	test, err := left.prop.Compile(op, right.lit)
	if err != nil {
		return nil, p.typeErr(err, left, right.tok)
	}
	return cmpNode{test: test, rvar: left.rvar}, nil
}

// compareCondition folds "startswith(…) eq true" and the like, which older
// OData clients write, into the condition itself.
func (p *parser) compareCondition(left operand, op opath.Op, ot token, right operand) (node, error) {
	n, other := left.node, right
	if n == nil {
		n, other = right.node, left
	}
	b, isBool := other.lit.(bool)
	if !other.isLit || !isBool || op != opath.OpEq && op != opath.OpNe {
		return nil, p.syntax(ot, "A boolean expression can only be compared with true or false by eq or ne")
	}
	if b != (op == opath.OpEq) {
		return notNode{n}, nil
	}
	return n, nil
}

func mirror(op opath.Op) opath.Op {
	switch op {
	case opath.OpLt:
		return opath.OpGt
	case opath.OpGt:
		return opath.OpLt
	case opath.OpLe:
		return opath.OpGe
	case opath.OpGe:
		return opath.OpLe
	}
	return op
}

func (p *parser) collectionErr(o operand) *PropertyError {
	return p.propErr(o.tok, "The property '%s' on type '%s' is a collection; compare its values with %s/any(d:d eq '…').", o.prop.Name, p.schema.entityType, o.prop.Name)
}

func (p *parser) typeErr(err error, o operand, at token) error {
	var te *opath.TestError
	if !errors.As(err, &te) {
		return err
	}
	if te.Reason == opath.ReasonOperator {
		at = o.tok
	}
	return &PropertyError{Expr: p.expr, Pos: at.pos, Name: o.prop.Name, Reason: typeReason(te), cause: te}
}

func (p *parser) parseOperand() (operand, error) {
	t := p.peek()
	switch t.kind {
	case tLParen:
		p.next()
		if err := p.enter(t); err != nil {
			return operand{}, err
		}
		n, err := p.parseOr()
		p.depth--
		if err != nil {
			return operand{}, err
		}
		if err := p.expect(tRParen, "')' or operator expected"); err != nil {
			return operand{}, err
		}
		return operand{tok: t, node: n}, nil
	case tString, tNumber, tGUID, tDate:
		p.next()
		return operand{tok: t, lit: t.text, isLit: true}, nil
	case tIdent:
		return p.parseName()
	}
	return operand{}, p.syntax(t, "Expression expected")
}

// parseName parses a keyword literal, a function call, the range variable,
// or a property with an optional /any(…) or /all(…).
func (p *parser) parseName() (operand, error) {
	t := p.next()
	switch strings.ToLower(t.text) {
	case "true":
		return operand{tok: t, lit: true, isLit: true}, nil
	case "false":
		return operand{tok: t, lit: false, isLit: true}, nil
	case "null":
		return operand{tok: t, isLit: true}, nil
	}
	if p.peek().kind == tLParen {
		return p.parseFunction(t)
	}
	if reserved(t) {
		return operand{}, p.syntax(t, "Expression expected")
	}
	if p.scope != nil && t.text == p.scope.name {
		if s := p.peek(); s.kind == tSlash {
			return operand{}, p.syntax(s, "Member access on the range variable '%s' is not supported", t.text)
		}
		return operand{tok: t, prop: &p.scope.prop, rvar: t.text}, nil
	}
	prop, ok := p.schema.props.Lookup(t.text)
	if !ok {
		if _, no := p.schema.unfilterable[strings.ToLower(t.text)]; no {
			return operand{}, p.propErr(t, "The property '%s' on type '%s' can't be used in $filter.", t.text, p.schema.entityType)
		}
		return operand{}, p.propErr(t, "Could not find a property named '%s' on type '%s'.", t.text, p.schema.entityType)
	}
	if p.peek().kind == tSlash {
		return p.parseLambda(t, prop)
	}
	return operand{tok: t, prop: &prop}, nil
}

// parseFunction parses startswith, endswith or contains (subject, 'text').
func (p *parser) parseFunction(name token) (operand, error) {
	var pat opath.Pattern
	switch strings.ToLower(name.text) {
	case "startswith":
		pat.Start = true
	case "endswith":
		pat.End = true
	case "contains":
	default:
		return operand{}, p.syntax(name, "Unknown function '%s'", name.text)
	}
	p.next() // (
	if err := p.enter(name); err != nil {
		return operand{}, err
	}
	defer func() { p.depth-- }()
	subject, err := p.parseOperand()
	if err != nil {
		return operand{}, err
	}
	if err := p.expect(tComma, "',' expected"); err != nil {
		return operand{}, err
	}
	at := p.peek()
	value, err := p.parseOperand()
	if err != nil {
		return operand{}, err
	}
	if err := p.expect(tRParen, "')' expected"); err != nil {
		return operand{}, err
	}
	if subject.prop == nil {
		return operand{}, p.syntax(subject.tok, "The first argument of %s must be a property", name.text)
	}
	text, ok := value.lit.(string)
	if !value.isLit || !ok || at.kind != tString {
		return operand{}, p.syntax(at, "The second argument of %s must be a string literal", name.text)
	}
	if subject.prop.Multi && subject.rvar == "" {
		return operand{}, p.collectionErr(subject)
	}
	pat.Text = text
	test, err := subject.prop.Compile(opath.OpLike, pat)
	if err != nil {
		return operand{}, p.typeErr(err, subject, at)
	}
	return operand{tok: name, node: cmpNode{test: test, rvar: subject.rvar}}, nil
}

// parseLambda parses /any(), /any(v: body) or /all(v: body) after a
// multi-valued property.
func (p *parser) parseLambda(pt token, prop opath.Property) (operand, error) {
	p.next() // /
	kw := p.next()
	if !keyword(kw, "any", "all") {
		return operand{}, p.syntax(kw, "'any' or 'all' expected")
	}
	all := strings.EqualFold(kw.text, "all")
	if err := p.expect(tLParen, "'(' expected"); err != nil {
		return operand{}, err
	}
	if !prop.Multi {
		return operand{}, p.propErr(pt, "The property '%s' on type '%s' is not a collection; any and all apply only to collection properties.", prop.Name, p.schema.entityType)
	}
	if p.peek().kind == tRParen && !all {
		p.next()
		return operand{tok: pt, node: lambdaNode{prop: prop}}, nil
	}
	v := p.next()
	if v.kind != tIdent || reserved(v) {
		return operand{}, p.syntax(v, "Range variable expected")
	}
	if err := p.expect(tColon, "':' expected"); err != nil {
		return operand{}, err
	}
	if err := p.enter(kw); err != nil {
		return operand{}, err
	}
	outer := p.scope
	p.scope = &rangeVar{name: v.text, prop: prop}
	body, err := p.parseOr()
	p.scope = outer
	p.depth--
	if err != nil {
		return operand{}, err
	}
	if err := p.expect(tRParen, "')' or operator expected"); err != nil {
		return operand{}, err
	}
	return operand{tok: pt, node: lambdaNode{prop: prop, all: all, v: v.text, body: body}}, nil
}
