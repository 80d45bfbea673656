package odatafilter

import "github.com/openexo/exo/internal/sandbox/opath"

// Match reports whether obj satisfies the filter. Operands of and and or
// are evaluated left to right and stop at the first decisive one. An error
// (wrapping opath.ErrStoredValue) means obj holds a value that doesn't fit
// a compared property's kind.
func (f *Filter) Match(obj opath.Object) (bool, error) {
	return f.root.eval(obj, nil)
}

func (n orNode) eval(obj opath.Object, elem any) (bool, error) {
	for _, k := range n {
		if ok, err := k.eval(obj, elem); ok || err != nil {
			return ok, err
		}
	}
	return false, nil
}

func (n andNode) eval(obj opath.Object, elem any) (bool, error) {
	for _, k := range n {
		if ok, err := k.eval(obj, elem); !ok || err != nil {
			return false, err
		}
	}
	return true, nil
}

func (n notNode) eval(obj opath.Object, elem any) (bool, error) {
	ok, err := n.n.eval(obj, elem)
	return !ok, err
}

func (n constNode) eval(opath.Object, any) (bool, error) { return bool(n), nil }

func (n cmpNode) eval(obj opath.Object, elem any) (bool, error) {
	if n.rvar != "" {
		return n.test.MatchValue(elem)
	}
	return n.test.Eval(obj)
}

// eval applies the body to each value of the collection: any needs one
// match, all needs every value to match (so all is true for an empty
// collection, as OData defines it).
func (n lambdaNode) eval(obj opath.Object, _ any) (bool, error) {
	v, _ := obj.Get(n.prop.Name)
	elems := opath.Elements(v)
	if n.body == nil {
		return len(elems) > 0, nil
	}
	for _, e := range elems {
		ok, err := n.body.eval(obj, e)
		if err != nil {
			return false, err
		}
		if ok != n.all {
			return ok, nil
		}
	}
	return n.all, nil
}
