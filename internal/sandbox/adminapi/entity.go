package adminapi

import (
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The entity routes of the Get-EXO* cmdlets (docs/entity-routes.md), e.g.
//
//	GET Mailbox('<base64>')/MailboxFolder/Exchange.GetMailboxFolderStatistics(folderscope=Exchange.ElcFolderType'Inbox')?isEncoded=true
//
// The protocol layer knows their grammar, as the service's metadata
// document does: a path that matches no route is a 404 before
// authentication, like any unknown resource. What the query options mean
// is the Backend's business (Backend.Query).

// keyUse says whether a segment takes a key in parentheses.
type keyUse uint8

const (
	noKey   keyUse = iota
	anyKey         // a key that does not pick one entity (MailboxFolder's folder)
	pickKey        // a non-empty key picks one entity
)

// answerKind says when a route answers one entity rather than a collection.
type answerKind uint8

const (
	collection answerKind = iota
	oneIfKeyed            // every pickKey segment has a non-empty key
	oneAlways             // a function that returns one object
)

type segSpec struct {
	name string
	key  keyUse
}

// argSpec is a function parameter; identity arguments are base64-encoded
// under isEncoded=true like keys.
type argSpec struct {
	name     string
	identity bool
}

// entityRoute is one route: its segments (the entity set first), the
// bound function it ends with, if any, and its answer.
type entityRoute struct {
	segs   []segSpec
	fn     string
	args   []argSpec
	answer answerKind
	// entityType names the entities in @odata.context.
	entityType string
}

// entityRoutes lists the routes; it is only read.
var entityRoutes = []*entityRoute{
	{segs: []segSpec{{"Mailbox", pickKey}}, answer: oneIfKeyed, entityType: "Mailbox"},
	{segs: []segSpec{{"Recipient", pickKey}}, answer: oneIfKeyed, entityType: "Recipient"},
	{segs: []segSpec{{"CasMailbox", pickKey}}, answer: oneIfKeyed, entityType: "CasMailbox"},
	{segs: []segSpec{{"Mailbox", pickKey}}, fn: "GetMailboxStatistics", answer: oneAlways, entityType: "MailboxStatistics"},
	{segs: []segSpec{{"Mailbox", pickKey}, {"MailboxFolder", noKey}}, fn: "GetMailboxFolderStatistics",
		args: []argSpec{{name: "folderscope"}}, entityType: "MailboxFolderStatistics"},
	{segs: []segSpec{{"Mailbox", pickKey}, {"MailboxPermission", pickKey}}, answer: oneIfKeyed, entityType: "MailboxPermission"},
	{segs: []segSpec{{"Recipient", pickKey}, {"RecipientPermission", noKey}}, entityType: "RecipientPermission"},
	{segs: []segSpec{{"Recipient", noKey}}, fn: "GetRecipientPermissionByFilters",
		args: []argSpec{{"identity", true}, {"trustee", true}, {"accessRights", false}}, entityType: "RecipientPermission"},
	{segs: []segSpec{{"Mailbox", pickKey}, {"MailboxFolder", anyKey}, {"MailboxFolderPermission", pickKey}},
		answer: oneIfKeyed, entityType: "MailboxFolderPermission"},
	{segs: []segSpec{{"Mailbox", pickKey}, {"MobileDevice", noKey}}, fn: "GetMobileDeviceStatistics", entityType: "MobileDeviceStatistics"},
	{segs: []segSpec{{"Mailbox", noKey}, {"MobileDevice", noKey}}, fn: "GetMobileDeviceStatisticsByIdentity",
		args: []argSpec{{name: "Identity", identity: true}}, entityType: "MobileDeviceStatistics"},
}

// rawSegment is one path segment split into its name and the text in its
// parentheses.
type rawSegment struct {
	name   string
	parens bool
	inner  string
}

func splitSegment(s string) (rawSegment, bool) {
	i := strings.IndexByte(s, '(')
	if i < 0 {
		return rawSegment{name: s}, s != ""
	}
	if !strings.HasSuffix(s, ")") || i == 0 {
		return rawSegment{}, false
	}
	return rawSegment{name: s[:i], parens: true, inner: s[i+1 : len(s)-1]}, true
}

// entityPath is a path matched to its route, keys and arguments still raw.
type entityPath struct {
	route *entityRoute
	segs  []rawSegment // one per route segment, then the function's
}

// matchEntityPath finds the route of the segments after the tenant.
func matchEntityPath(segs []string) (*entityPath, bool) {
	raw := make([]rawSegment, len(segs))
	for i, s := range segs {
		var ok bool
		if raw[i], ok = splitSegment(s); !ok {
			return nil, false
		}
	}
	for _, rt := range entityRoutes {
		if rt.matches(raw) {
			return &entityPath{route: rt, segs: raw}, true
		}
	}
	return nil, false
}

func (rt *entityRoute) matches(raw []rawSegment) bool {
	n := len(rt.segs)
	if rt.fn != "" {
		n++
	}
	if len(raw) != n {
		return false
	}
	for i, s := range rt.segs {
		if !strings.EqualFold(raw[i].name, s.name) || (raw[i].parens && s.key == noKey) {
			return false
		}
	}
	if rt.fn == "" {
		return true
	}
	fn := raw[len(raw)-1]
	name := fn.name
	if len(name) > len("Exchange.") && strings.EqualFold(name[:len("Exchange.")], "Exchange.") {
		name = name[len("Exchange."):]
	}
	return fn.parens && strings.EqualFold(name, rt.fn)
}

// Query options the protocol layer reads itself.
const (
	optPropertySet = "propertyset"
	optIsEncoded   = "isencoded"
	optSelect      = "$select"
	optFilter      = "$filter"
)

// entityRequestError is a 400 for a request the entity routes can't read.
func entityRequestError(format string, args ...any) *CmdletError {
	return &CmdletError{Class: ClassRestClient, Status: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}

// decodeEntityQuery reads the query options, then decodes the keys and the
// function arguments. It returns the paging token ($skiptoken) apart.
func decodeEntityQuery(r *http.Request, p *entityPath) (EntityQuery, string, *CmdletError) {
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return EntityQuery{}, "", entityRequestError("The query string is not valid: %v.", err)
	}
	q := EntityQuery{Options: map[string]string{}}
	skipToken, encoded := "", false
	// Sorted, so that the first error reported does not depend on map order.
	for _, name := range slices.Sorted(maps.Keys(values)) {
		vs := values[name]
		lower := strings.ToLower(name)
		switch {
		case lower == optPropertySet:
			q.PropertySets = commaList(vs)
		case lower == optSelect:
			q.Select = commaList(vs)
		case lower == optFilter:
			if len(vs) > 1 {
				return EntityQuery{}, "", entityRequestError("The query option '%s' is given more than once.", name)
			}
			q.Filter = vs[0]
		case lower == optIsEncoded:
			if encoded, err = strconv.ParseBool(strings.ToLower(vs[0])); err != nil {
				return EntityQuery{}, "", entityRequestError("The value '%s' of the query option '%s' is not a boolean.", vs[0], name)
			}
		case lower == skipTokenParam:
			skipToken = vs[0]
		case strings.HasPrefix(lower, "$"):
			return EntityQuery{}, "", entityRequestError("The query option '%s' is not supported.", name)
		default:
			q.Options[lower] = strings.Join(vs, ",")
		}
	}

	rt := p.route
	q.Set = rt.segs[0].name
	q.Single = rt.answer == oneAlways
	allKeyed := true
	for i, spec := range rt.segs {
		key, cerr := decodeKey(p.segs[i], encoded)
		if cerr != nil {
			return EntityQuery{}, "", cerr
		}
		if spec.key == pickKey && key == "" {
			allKeyed = false
		}
		if i == 0 {
			q.Key = key
		} else {
			q.Navigation = append(q.Navigation, EntitySegment{Name: spec.name, Key: key})
		}
	}
	if rt.answer == oneIfKeyed && allKeyed {
		q.Single = true
	}
	if rt.fn != "" {
		q.Function = rt.fn
		args, cerr := decodeArgs(r.Header, rt, p.segs[len(p.segs)-1].inner, encoded)
		if cerr != nil {
			return EntityQuery{}, "", cerr
		}
		q.Args = args
	}
	return q, skipToken, nil
}

// commaList splits comma lists, dropping empty items.
func commaList(vs []string) []string {
	var out []string
	for _, v := range vs {
		for _, item := range strings.Split(v, ",") {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, item)
			}
		}
	}
	return out
}

// decodeKey reads a key: a single-quoted string, base64 of UTF-8 text when
// encoded. No parentheses, or empty ones, give "".
func decodeKey(seg rawSegment, encoded bool) (string, *CmdletError) {
	if strings.TrimSpace(seg.inner) == "" {
		return "", nil
	}
	text, ok := unquote(seg.inner)
	if !ok {
		return "", entityRequestError("The key of the segment '%s' must be a single-quoted string, not %s.", seg.name, seg.inner)
	}
	if !encoded {
		return text, nil
	}
	plain, ok := decodeBase64(text)
	if !ok {
		return "", entityRequestError("The key '%s' of the segment '%s' is not base64-encoded UTF-8 text, as isEncoded=true says.", text, seg.name)
	}
	return plain, nil
}

// unquote reads an OData string literal: 'text', a quote inside doubled.
func unquote(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '\'' || s[len(s)-1] != '\'' {
		return "", false
	}
	inner := s[1 : len(s)-1]
	if strings.Contains(strings.ReplaceAll(inner, "''", ""), "'") {
		return "", false
	}
	return strings.ReplaceAll(inner, "''", "'"), true
}

// decodeBase64 takes the standard alphabet, padded or not.
func decodeBase64(s string) (string, bool) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		if b, err = base64.RawStdEncoding.DecodeString(s); err != nil {
			return "", false
		}
	}
	return string(b), utf8.Valid(b)
}

// xParameterPrefix marks an argument whose value travels in the request
// header it names (Identity='XParameter-Identity').
const xParameterPrefix = "xparameter-"

// decodeArgs reads a function's name=value arguments: 'text', an enum
// literal Type'text', null, or a bare number or boolean.
func decodeArgs(h http.Header, rt *entityRoute, inner string, encoded bool) (map[string]string, *CmdletError) {
	args := map[string]string{}
	for _, item := range splitArgs(inner) {
		if strings.TrimSpace(item) == "" {
			continue
		}
		name, lit, ok := strings.Cut(item, "=")
		name = strings.TrimSpace(name)
		if !ok {
			return nil, entityRequestError("The argument '%s' of the function '%s' needs a value (name=value).", name, rt.fn)
		}
		var spec *argSpec
		for i := range rt.args {
			if strings.EqualFold(rt.args[i].name, name) {
				spec = &rt.args[i]
			}
		}
		if spec == nil {
			return nil, entityRequestError("The function '%s' has no parameter '%s'.", rt.fn, name)
		}
		if _, dup := args[spec.name]; dup {
			return nil, entityRequestError("The parameter '%s' of the function '%s' is given more than once.", spec.name, rt.fn)
		}
		value, quoted, ok := argLiteral(lit)
		if !ok {
			return nil, entityRequestError("The value of the parameter '%s' of the function '%s' is not a valid literal: %s.", spec.name, rt.fn, lit)
		}
		switch {
		case quoted && strings.HasPrefix(strings.ToLower(value), xParameterPrefix):
			hv := h.Values(value)
			if len(hv) == 0 {
				return nil, entityRequestError("The parameter '%s' of the function '%s' refers to the request header '%s', which is missing.", spec.name, rt.fn, value)
			}
			value = hv[0]
		case quoted && spec.identity && encoded:
			if value, ok = decodeBase64(value); !ok {
				return nil, entityRequestError("The parameter '%s' of the function '%s' is not base64-encoded UTF-8 text, as isEncoded=true says.", spec.name, rt.fn)
			}
		}
		args[spec.name] = value
	}
	return args, nil
}

// splitArgs splits at the commas outside quotes.
func splitArgs(s string) []string {
	var out []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\'':
			quoted = !quoted
		case s[i] == ',' && !quoted:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// argLiteral reads one argument value and reports whether it was quoted.
func argLiteral(lit string) (value string, quoted, ok bool) {
	lit = strings.TrimSpace(lit)
	i := strings.IndexByte(lit, '\'')
	if i < 0 {
		if lit == "" || strings.ContainsAny(lit, " ()") {
			return "", false, false
		}
		if strings.EqualFold(lit, "null") {
			return "", false, true
		}
		return lit, false, true
	}
	// An enum literal is prefixed by its qualified type name.
	if strings.Trim(lit[:i], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._") != "" {
		return "", false, false
	}
	value, ok = unquote(lit[i:])
	return value, true, ok
}
