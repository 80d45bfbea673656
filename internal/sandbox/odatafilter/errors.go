package odatafilter

import (
	"fmt"
	"strings"

	"github.com/openexo/exo/internal/sandbox/opath"
)

// SyntaxError is a malformed expression. Its text follows Microsoft.OData's
// "<problem> at position <n> in '<expression>'." messages; Pos counts
// characters from 0, as OData does.
type SyntaxError struct {
	Expr  string
	Pos   int
	Token string // the offending token as written ("" at the end)
	Msg   string // the problem, e.g. "Expression expected"
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s at position %d in '%s'.", e.Msg, e.Pos, e.Expr)
}

// PropertyError is a well-formed expression that uses a property wrongly:
// unknown or not filterable, a collection compared directly, or a value or
// operator that doesn't fit the property's type.
type PropertyError struct {
	Expr   string
	Pos    int    // 0-based character position of the property or value
	Name   string // the property as written
	Reason string // the complete message
	cause  *opath.TestError
}

func (e *PropertyError) Error() string { return e.Reason }

// Unwrap returns the *opath.TestError behind a type error, else nil.
func (e *PropertyError) Unwrap() error {
	if e.cause == nil {
		return nil
	}
	return e.cause
}

// typeReason renders an opath.TestError in OData terms.
func typeReason(te *opath.TestError) string {
	p := te.Property
	switch te.Reason {
	case opath.ReasonOperator:
		if te.Op == opath.OpLike {
			return fmt.Sprintf("The function %s can't be applied to the property '%s' of type '%s'; it applies to string properties.", likeFunc(te.Literal), p.Name, p.TypeName())
		}
		return fmt.Sprintf("The operator '%s' can't be used with the property '%s' of type '%s'.", opName(te.Op), p.Name, p.TypeName())
	case opath.ReasonConvert:
		msg := fmt.Sprintf("The value '%s' is not a valid '%s' value for the property '%s'.", literalText(te.Literal), p.TypeName(), p.Name)
		if len(p.Values) > 0 {
			msg += " Valid values are: " + strings.Join(p.Values, ", ") + "."
		}
		return msg
	case opath.ReasonWildcard:
		return fmt.Sprintf("The property '%s' supports only exact matches in Exchange Online; use eq instead of %s.", p.Name, likeFunc(te.Literal))
	case opath.ReasonNull:
		return fmt.Sprintf("The property '%s' can't be compared with null.", p.Name)
	case opath.ReasonNullOp:
		return fmt.Sprintf("null can only be compared with eq or ne, not with %s.", opName(te.Op))
	case opath.ReasonNullOnly:
		return fmt.Sprintf("The property '%s' can only be compared with null (eq null or ne null).", p.Name)
	case opath.ReasonUnlimitedOnly:
		return fmt.Sprintf("The property '%s' can only be compared with 'Unlimited'.", p.Name)
	}
	return fmt.Sprintf("The property '%s' can't be compared with '%s'.", p.Name, literalText(te.Literal))
}

func literalText(lit any) string {
	switch v := lit.(type) {
	case nil:
		return "null"
	case bool:
		if v {
			return "true"
		}
		return "false"
	case opath.Pattern:
		return v.Text
	}
	return fmt.Sprint(lit)
}

// likeFunc names the OData function that produced a -like pattern.
func likeFunc(lit any) string {
	p, _ := lit.(opath.Pattern)
	switch {
	case p.Start && !p.End:
		return "startswith"
	case !p.Start && p.End:
		return "endswith"
	}
	return "contains"
}
