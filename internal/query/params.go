package query

import (
	"fmt"
	"strings"
)

// Params are bound parameters by PowerShell name, as the module sends
// them: strings, booleans, float64 numbers and []any lists.
type Params map[string]any

// merged is base overridden by the input's values.
func merged(base, input Params) Params {
	out := make(Params, len(base)+len(input))
	for k, v := range base {
		out[strings.ToLower(k)] = v
	}
	for k, v := range input {
		out[strings.ToLower(k)] = v
	}
	return out
}

// str is a string parameter; lists give their first element and other
// scalars their text, as PowerShell converts them.
func (p Params) str(name string) string {
	switch v := p[strings.ToLower(name)].(type) {
	case nil:
		return ""
	case string:
		return v
	case []any:
		if len(v) == 0 {
			return ""
		}
		return fmt.Sprint(v[0])
	case float64:
		return fmt.Sprint(v)
	default:
		return fmt.Sprint(v)
	}
}

// flag is a switch parameter.
func (p Params) flag(name string) bool {
	b, _ := p[strings.ToLower(name)].(bool)
	return b
}

// strs is a string-array parameter.
func (p Params) strs(name string) []string {
	switch v := p[strings.ToLower(name)].(type) {
	case nil:
		return nil
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			if s := fmt.Sprint(e); e != nil && s != "" {
				out = append(out, s)
			}
		}
		return out
	case string:
		if v == "" {
			return nil
		}
		return []string{v}
	default:
		return []string{fmt.Sprint(v)}
	}
}

// first is the first non-empty string parameter of names, in order.
func (p Params) first(names ...string) string {
	for _, n := range names {
		if s := p.str(n); s != "" {
			return s
		}
	}
	return ""
}
