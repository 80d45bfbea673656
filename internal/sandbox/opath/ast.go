package opath

import (
	"strconv"
	"strings"
	"time"
)

// node is a parsed expression. Nodes hold no positions, so two parses of
// the same filter, or of a filter and its String form, are deeply equal.
type node interface {
	eval(obj Object) (bool, error)
	write(b *strings.Builder)
}

type (
	orNode  []node // two or more operands, none an orNode
	andNode []node // two or more operands, none an andNode
	notNode struct{ n node }
	cmpNode struct{ t Test }
)

// flatten splices operands that are themselves T chains into one chain,
// so (a -or b) -or c and a -or b -or c parse to the same tree.
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

// String returns the filter in canonical form: canonical property names,
// lower-case operators, single-quoted strings, $true/$false/$null, and only
// the parentheses the precedence needs. Parsing it gives an equal filter.
func (f *Filter) String() string {
	var b strings.Builder
	f.root.write(&b)
	return b.String()
}

func (n orNode) write(b *strings.Builder) {
	for i, k := range n {
		if i > 0 {
			b.WriteString(" -or ")
		}
		k.write(b)
	}
}

func (n andNode) write(b *strings.Builder) {
	for i, k := range n {
		if i > 0 {
			b.WriteString(" -and ")
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
	b.WriteString("-not (")
	n.n.write(b)
	b.WriteByte(')')
}

func (n cmpNode) write(b *strings.Builder) {
	b.WriteString(n.t.prop.Name)
	b.WriteByte(' ')
	b.WriteString(n.t.op.String())
	b.WriteByte(' ')
	switch v := n.t.Literal().(type) {
	case nil:
		b.WriteString("$null")
	case bool:
		if v {
			b.WriteString("$true")
		} else {
			b.WriteString("$false")
		}
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	case time.Time:
		writeQuoted(b, v.Format(time.RFC3339Nano))
	case Pattern:
		writeQuoted(b, v.String())
	case string:
		writeQuoted(b, v)
	}
}

// writeQuoted writes s as a single-quoted string, doubling every character
// that PowerShell treats as a single quote.
func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('\'')
	for _, r := range s {
		b.WriteRune(r)
		if isSingleQuote(r) {
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
}
