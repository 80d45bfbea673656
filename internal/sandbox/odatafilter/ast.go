package odatafilter

import (
	"strconv"
	"strings"
	"time"

	"github.com/openexo/exo/internal/sandbox/opath"
)

// node is a parsed expression. Nodes hold no positions, so two parses of
// the same expression, or of an expression and its String form, are deeply
// equal.
type node interface {
	// eval evaluates the node for obj; elem is the current value of the
	// innermost lambda's range variable.
	eval(obj opath.Object, elem any) (bool, error)
	write(b *strings.Builder)
}

type (
	orNode    []node // two or more operands, none an orNode
	andNode   []node // two or more operands, none an andNode
	notNode   struct{ n node }
	constNode bool
	// cmpNode compares a property, or with rvar set the range variable, with
	// a literal; -like tests come from startswith, endswith and contains.
	cmpNode struct {
		test opath.Test
		rvar string
	}
	// lambdaNode is prop/any(v: body) or prop/all(v: body); a nil body is
	// prop/any(), "the collection is not empty".
	lambdaNode struct {
		prop opath.Property
		all  bool
		v    string
		body node
	}
)

// flatten splices operands that are themselves T chains into one chain,
// so (a or b) or c and a or b or c parse to the same tree.
func flatten[T ~[]node](kids []node) T {
	var out T
	for _, k := range kids {
		if c, ok := k.(T); ok {
			out = append(out, c...)
		} else {
			out = append(out, k)
		}
	}
	return out
}

// String returns the expression in canonical form: canonical property
// names, lower-case keywords, literals in the OData form of the property's
// type (GUIDs and dates bare), and only the parentheses the precedence
// needs. Parsing it gives an equal filter.
func (f *Filter) String() string {
	var b strings.Builder
	f.root.write(&b)
	return b.String()
}

func (n orNode) write(b *strings.Builder) {
	for i, k := range n {
		if i > 0 {
			b.WriteString(" or ")
		}
		k.write(b)
	}
}

func (n andNode) write(b *strings.Builder) {
	for i, k := range n {
		if i > 0 {
			b.WriteString(" and ")
		}
		if _, ok := k.(orNode); ok {
			b.WriteByte('(')
			k.write(b)
			b.WriteByte(')')
			continue
		}
		k.write(b)
	}
}

func (n notNode) write(b *strings.Builder) {
	b.WriteString("not (")
	n.n.write(b)
	b.WriteByte(')')
}

func (n constNode) write(b *strings.Builder) { b.WriteString(strconv.FormatBool(bool(n))) }

func (n cmpNode) write(b *strings.Builder) {
	subject := n.rvar
	if subject == "" {
		subject = n.test.Property().Name
	}
	if pat, ok := n.test.Literal().(opath.Pattern); ok {
		b.WriteString(likeFunc(pat))
		b.WriteByte('(')
		b.WriteString(subject)
		b.WriteByte(',')
		writeQuoted(b, pat.Text)
		b.WriteByte(')')
		return
	}
	b.WriteString(subject)
	b.WriteByte(' ')
	b.WriteString(opName(n.test.Op()))
	b.WriteByte(' ')
	switch v := n.test.Literal().(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	case time.Time:
		b.WriteString(v.Format(time.RFC3339Nano))
	case string:
		if n.test.Property().Kind == opath.GUID {
			b.WriteString(v)
		} else {
			writeQuoted(b, v)
		}
	}
}

func (n lambdaNode) write(b *strings.Builder) {
	b.WriteString(n.prop.Name)
	if n.all {
		b.WriteString("/all(")
	} else {
		b.WriteString("/any(")
	}
	if n.body != nil {
		b.WriteString(n.v)
		b.WriteByte(':')
		n.body.write(b)
	}
	b.WriteByte(')')
}

func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('\'')
	b.WriteString(strings.ReplaceAll(s, "'", "''"))
	b.WriteByte('\'')
}

// opName is the OData spelling of a comparison operator.
func opName(op opath.Op) string {
	switch op {
	case opath.OpEq:
		return "eq"
	case opath.OpNe:
		return "ne"
	case opath.OpLt:
		return "lt"
	case opath.OpGt:
		return "gt"
	case opath.OpLe:
		return "le"
	case opath.OpGe:
		return "ge"
	}
	return op.String()
}
