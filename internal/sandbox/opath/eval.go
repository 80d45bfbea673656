package opath

// Match reports whether obj satisfies the filter. Operands of -and and -or
// are evaluated left to right and stop at the first decisive one. An error
// (wrapping ErrStoredValue) means obj holds a value that doesn't fit a
// compared property's kind.
func (f *Filter) Match(obj Object) (bool, error) {
	return f.root.eval(obj)
}

func (n orNode) eval(obj Object) (bool, error) {
	for _, k := range n {
		if ok, err := k.eval(obj); ok || err != nil {
			return ok, err
		}
	}
	return false, nil
}

func (n andNode) eval(obj Object) (bool, error) {
	for _, k := range n {
		if ok, err := k.eval(obj); !ok || err != nil {
			return false, err
		}
	}
	return true, nil
}

func (n notNode) eval(obj Object) (bool, error) {
	ok, err := n.n.eval(obj)
	return !ok, err
}

func (n cmpNode) eval(obj Object) (bool, error) {
	ok, err := n.t.Eval(obj)
	if n.t.prop.Inverted && !n.t.null {
		ok = !ok
	}
	return ok, err
}
