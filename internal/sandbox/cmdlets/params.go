package cmdlets

import (
	"fmt"
	"strings"

	"github.com/openexo/exo/internal/sandbox/adminapi"
)

// request is one cmdlet page being run, with typed access to its bound
// parameters (already converted per Kind by the protocol layer).
type request struct {
	c      *cmdlet
	caller adminapi.Caller
	call   adminapi.CmdletCall
	page   adminapi.Page
}

// has reports whether the parameter was bound (to anything, even $null).
func (r *request) has(name string) bool {
	_, ok := r.call.Params[name]
	return ok
}

// text returns a parameter as text. Untyped (KindAny) parameters such as
// -Identity arrive as whatever JSON scalar the client sent.
func (r *request) text(name string) string {
	return textOf(r.call.Params[name])
}

func textOf(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(t)
	case []any:
		if len(t) == 1 {
			return textOf(t[0])
		}
	case map[string]any:
		// A piped object the module could not flatten: use its identity.
		for _, k := range []string{"Identity", "Guid", "PrimarySmtpAddress", "Name"} {
			if s := textOf(t[k]); s != "" {
				return s
			}
		}
	}
	return strings.TrimSpace(fmt.Sprint(v))
}

// list returns a parameter as a list of strings: a KindStringArray value,
// or an untyped scalar or array.
func (r *request) list(name string) []string {
	return listOf(r.call.Params[name])
}

func listOf(v any) []string {
	switch t := v.(type) {
	case nil:
		return nil
	case []string:
		return t
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			if s := textOf(e); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	if s := textOf(v); s != "" {
		return []string{s}
	}
	return nil
}

// on reports whether a switch or bool parameter is set to true.
func (r *request) on(name string) bool {
	b, _ := r.call.Params[name].(bool)
	return b
}

// resultSize is -ResultSize: Exchange's default of 1000 when absent, and
// no limit for cmdlets without the parameter.
func (r *request) resultSize() (limit int, unlimited bool) {
	u, ok := r.call.Params["ResultSize"].(adminapi.Unlimited)
	switch {
	case !r.c.declares("ResultSize"):
		return 0, true
	case !ok:
		return defaultResultSize, false
	case u.IsUnlimited:
		return 0, true
	}
	return int(u.Value), false
}

const defaultResultSize = 1000
