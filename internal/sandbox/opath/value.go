package opath

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Op is a comparison operator.
type Op uint8

// The comparison operators of OPATH.
const (
	OpEq Op = iota + 1
	OpNe
	OpLt
	OpGt
	OpLe
	OpGe
	OpLike
	OpNotLike
)

// String returns the OPATH spelling, e.g. "-eq".
func (o Op) String() string {
	switch o {
	case OpEq:
		return "-eq"
	case OpNe:
		return "-ne"
	case OpLt:
		return "-lt"
	case OpGt:
		return "-gt"
	case OpLe:
		return "-le"
	case OpGe:
		return "-ge"
	case OpLike:
		return "-like"
	case OpNotLike:
		return "-notlike"
	}
	return "Op(" + strconv.Itoa(int(o)) + ")"
}

// positive maps -ne and -notlike to the test they negate; Exchange (like
// LDAP) evaluates them as "not (-eq …)", so a missing value matches -ne.
func (o Op) positive() (Op, bool) {
	switch o {
	case OpNe:
		return OpEq, true
	case OpNotLike:
		return OpLike, true
	}
	return o, false
}

// Pattern is a -like value split at its wildcards.
type Pattern struct {
	Text  string
	Start bool // no leading *: Text must begin the value
	End   bool // no trailing *: Text must end the value
}

// parsePattern splits an OPATH -like value. Exchange Online accepts a *
// at the start, the end or both, not in the middle (cmdlet-surface.md §4.1).
func parsePattern(s string) (Pattern, bool) {
	p := Pattern{Text: s, Start: true, End: true}
	if t, ok := strings.CutPrefix(p.Text, "*"); ok {
		p.Text, p.Start = t, false
	}
	if t, ok := strings.CutSuffix(p.Text, "*"); ok {
		p.Text, p.End = t, false
	}
	if strings.Contains(p.Text, "*") {
		return Pattern{}, false
	}
	return p.normal(), true
}

// normal makes every "any non-blank value" pattern ('*', '**',
// startswith(x,”)) the same value, so equal filters compare equal.
func (p Pattern) normal() Pattern {
	if p.Text == "" && !(p.Start && p.End) {
		p.Start, p.End = false, false
	}
	return p
}

// String renders p with OPATH wildcards.
func (p Pattern) String() string {
	if p.Text == "" && !p.Start && !p.End {
		return "*"
	}
	s := p.Text
	if !p.Start {
		s = "*" + s
	}
	if !p.End {
		s += "*"
	}
	return s
}

func (p Pattern) match(s string) bool {
	s, t := fold(s), fold(p.Text)
	switch {
	case p.Start && p.End:
		return s == t
	case p.Start:
		return strings.HasPrefix(s, t)
	case p.End:
		return strings.HasSuffix(s, t)
	}
	return strings.Contains(s, t)
}

// Reason says why a literal can't be compared with a property.
type Reason uint8

// Reasons of a TestError.
const (
	ReasonOperator      Reason = iota + 1 // the operator doesn't apply to the property's kind
	ReasonConvert                         // the literal isn't a value of the property's type
	ReasonWildcard                        // a * where Exchange doesn't accept one
	ReasonNull                            // the property can't be compared with $null
	ReasonNullOp                          // $null with an operator other than -eq and -ne
	ReasonNullOnly                        // the property can only be compared with $null
	ReasonUnlimitedOnly                   // the quota can only be compared with 'Unlimited'
)

// TestError is returned by Compile. Its Error text is OPATH-flavoured;
// callers with another syntax (OData) format the fields themselves.
type TestError struct {
	Property Property
	Op       Op
	Literal  any // as given to Compile
	Reason   Reason
}

func (e *TestError) Error() string {
	p := e.Property
	switch e.Reason {
	case ReasonOperator:
		if e.Op == OpLike || e.Op == OpNotLike {
			return fmt.Sprintf("The %s operator can only be used with string properties; \"%s\" is of type %s. Use -eq or -ne.", e.Op, p.Name, p.TypeName())
		}
		return fmt.Sprintf("The %s operator can't be used with the property \"%s\" of type %s.", e.Op, p.Name, p.TypeName())
	case ReasonConvert:
		msg := fmt.Sprintf("The value \"%s\" could not be converted to type %s.", literalText(e.Literal), p.TypeName())
		if len(p.Values) > 0 {
			msg += " Valid values are: " + strings.Join(p.Values, ", ") + "."
		}
		return msg
	case ReasonWildcard:
		if p.Wildcard {
			return fmt.Sprintf("The value \"%s\" of property \"%s\" has a wildcard in the middle; wildcards are supported only at the beginning or the end of the value.", literalText(e.Literal), p.Name)
		}
		return fmt.Sprintf("The property \"%s\" doesn't support wildcards; use an exact value instead of \"%s\".", p.Name, literalText(e.Literal))
	case ReasonNull:
		return fmt.Sprintf("The property \"%s\" can't be compared with $null; use an exact value.", p.Name)
	case ReasonNullOp:
		return fmt.Sprintf("$null can only be used with -eq and -ne, not with %s.", e.Op)
	case ReasonNullOnly:
		return fmt.Sprintf("The property \"%s\" can only be compared with $null (-eq $null or -ne $null).", p.Name)
	case ReasonUnlimitedOnly:
		return fmt.Sprintf("The property \"%s\" can only be compared with 'Unlimited' (-eq 'Unlimited' or -ne 'Unlimited').", p.Name)
	}
	return fmt.Sprintf("The property \"%s\" can't be compared with \"%s\".", p.Name, literalText(e.Literal))
}

func literalText(lit any) string {
	switch v := lit.(type) {
	case nil:
		return "$null"
	case bool:
		return boolText(v)
	case Pattern:
		return v.String()
	case string:
		return v
	}
	return fmt.Sprint(lit)
}

// TypeName is the .NET-style type name used in error messages.
func (p Property) TypeName() string {
	switch p.Kind {
	case Bool:
		return "System.Boolean"
	case Int:
		return "System.Int64"
	case DateTime:
		return "System.DateTime"
	case GUID:
		return "System.Guid"
	case Enum, Flags:
		return p.Name
	case Quota:
		return "Unlimited[ByteQuantifiedSize]"
	}
	return "System.String"
}

// Test is one compiled "Property -op literal" comparison.
type Test struct {
	prop Property
	op   Op
	null bool      // literal $null
	b    bool      // Bool
	i    int64     // Int; math.MaxInt64 is 'Unlimited'
	t    time.Time // DateTime, UTC
	s    string    // String, ProxyAddress, DN, Enum; GUID in canonical form
	set  []string  // Flags: canonical members, sorted
	pat  Pattern   // -like, -notlike
}

// Compile checks that lit can be compared with p by op and converts it to
// p's type. lit is nil for $null, a bool, a string (the text of a quoted
// string, bare word or number), or a Pattern for -like/-notlike when the
// caller has already split the wildcards (OData's startswith and friends).
// An empty string means blank, like $null. Errors are *TestError.
func (p Property) Compile(op Op, lit any) (Test, error) {
	t := Test{prop: p, op: op}
	fail := func(r Reason) (Test, error) {
		return Test{}, &TestError{Property: p, Op: op, Literal: lit, Reason: r}
	}
	if op < OpEq || op > OpNotLike {
		return fail(ReasonOperator)
	}
	if s, ok := lit.(string); ok && s == "" && (op == OpEq || op == OpNe) {
		lit = nil
	}
	if lit == nil {
		switch {
		case p.NoNull:
			return fail(ReasonNull)
		case op != OpEq && op != OpNe:
			return fail(ReasonNullOp)
		}
		t.null = true
		return t, nil
	}
	if p.Kind == Presence {
		return fail(ReasonNullOnly)
	}
	if op == OpLike || op == OpNotLike {
		if p.Kind != String && p.Kind != ProxyAddress && p.Kind != DN {
			return fail(ReasonOperator)
		}
		pat, ok := lit.(Pattern)
		if s, isText := lit.(string); isText {
			if pat, ok = parsePattern(s); !ok {
				return fail(ReasonWildcard)
			}
		}
		if !ok {
			return fail(ReasonConvert)
		}
		if !p.Wildcard && !(pat.Start && pat.End) {
			return fail(ReasonWildcard)
		}
		t.pat = pat.normal()
		return t, nil
	}
	if !p.Kind.orders() && op != OpEq && op != OpNe {
		return fail(ReasonOperator)
	}
	var text string
	switch v := lit.(type) {
	case bool:
		text = boolText(v)
	case string:
		text = v
	default:
		return fail(ReasonConvert)
	}
	ok := true
	switch p.Kind {
	case Bool:
		t.b, ok = parseBool(text)
	case Int:
		t.i, ok = p.parseInt(text)
	case DateTime:
		t.t, ok = parseTime(text)
	case GUID:
		t.s, ok = parseGUID(text)
	case Enum:
		t.s, ok = p.member(text)
	case Flags:
		t.set, ok = p.flagSet(text)
	case Quota:
		if !strings.EqualFold(text, "Unlimited") {
			return fail(ReasonUnlimitedOnly)
		}
		t.s = "Unlimited"
	default:
		t.s = text
	}
	if !ok {
		return fail(ReasonConvert)
	}
	return t, nil
}

// orders reports whether -lt, -gt, -le and -ge apply to the kind.
func (k Kind) orders() bool { return k == String || k == Int || k == DateTime }

// Property returns the compared property.
func (t Test) Property() Property { return t.prop }

// Op returns the operator.
func (t Test) Op() Op { return t.op }

// Literal returns the compared value in canonical form: nil ($null), bool,
// int64, time.Time (UTC), Pattern (-like), or string (text, GUIDs in
// lower-case 8-4-4-4-12 form, enum members in their canonical spelling,
// flag sets as 'A,B', 'Unlimited').
func (t Test) Literal() any {
	switch {
	case t.null:
		return nil
	case t.op == OpLike || t.op == OpNotLike:
		return t.pat
	}
	switch t.prop.Kind {
	case Bool:
		return t.b
	case Int:
		if t.i == math.MaxInt64 && t.prop.Unlimited {
			return "Unlimited"
		}
		return t.i
	case DateTime:
		return t.t
	case Flags:
		return strings.Join(t.set, ",")
	}
	return t.s
}

// Object gives a filter the values of one directory object. Get is called
// with a property's canonical name. A value may be nil, a string, a bool,
// an integer or float64, a time.Time, a fmt.Stringer (GUID types), or a
// []string/[]any for multi-valued properties. A missing property, nil, "",
// an empty slice and the zero time all count as $null.
type Object interface {
	Get(name string) (any, bool)
}

// Map is an Object backed by a map keyed by canonical property names.
type Map map[string]any

// Get implements Object.
func (m Map) Get(name string) (any, bool) {
	v, ok := m[name]
	return v, ok
}

// Eval applies the test to obj. An error means a stored value doesn't fit
// the property's kind (for example a DateTime property holding "soon").
func (t Test) Eval(obj Object) (bool, error) {
	v, _ := obj.Get(t.prop.Name)
	if t.prop.Also == "" {
		return t.MatchValue(v)
	}
	vals := Elements(v)
	if w, ok := obj.Get(t.prop.Also); ok {
		vals = append(vals, Elements(w)...)
	}
	return t.MatchValue(vals)
}

// MatchValue applies the test to one stored value (single or multi-valued);
// OData lambdas use it on each element of a collection.
func (t Test) MatchValue(v any) (bool, error) {
	op, negate := t.op.positive()
	ok, err := t.match(op, v)
	return ok != negate, err
}

func (t Test) match(op Op, v any) (bool, error) {
	if t.prop.Kind == Flags && !t.null {
		return t.matchFlags(v), nil
	}
	vals := Elements(v)
	if t.null {
		return len(vals) == 0, nil
	}
	for _, e := range vals {
		ok, err := t.matchOne(op, e)
		if ok || err != nil {
			return ok, err
		}
	}
	return false, nil
}

func (t Test) matchOne(op Op, v any) (bool, error) {
	if op == OpLike {
		return t.pat.match(text(v)), nil
	}
	switch t.prop.Kind {
	case Bool:
		b, ok := storedBool(v)
		if !ok {
			return false, t.storedError(v)
		}
		return b == t.b, nil
	case Int:
		i, ok := t.prop.storedInt(v)
		if !ok {
			return false, t.storedError(v)
		}
		return ordered(op, compareInts(i, t.i)), nil
	case DateTime:
		tm, ok := storedTime(v)
		if !ok {
			return false, t.storedError(v)
		}
		return ordered(op, tm.Compare(t.t)), nil
	case GUID:
		g, ok := parseGUID(text(v))
		if !ok {
			return false, t.storedError(v)
		}
		return g == t.s, nil
	case ProxyAddress:
		return proxyEqual(text(v), t.s), nil
	case Quota:
		return strings.EqualFold(text(v), "Unlimited"), nil
	case String:
		return ordered(op, strings.Compare(fold(text(v)), fold(t.s))), nil
	}
	return fold(text(v)) == fold(t.s), nil // DN, Enum
}

func (t Test) matchFlags(v any) bool {
	var members []string
	switch s := v.(type) {
	case []string:
		members = s
	case []any:
		for _, e := range s {
			members = append(members, text(e))
		}
	default:
		members = strings.Split(text(v), ",")
	}
	got, _ := Property{Kind: Flags}.flagSet(strings.Join(members, ","))
	return slices.Equal(foldAll(got), foldAll(t.set))
}

func (t Test) storedError(v any) error {
	return fmt.Errorf("opath: property %s holds %T %q, which is not a %s value: %w", t.prop.Name, v, text(v), t.prop.Kind, ErrStoredValue)
}

func ordered(op Op, c int) bool {
	switch op {
	case OpLt:
		return c < 0
	case OpGt:
		return c > 0
	case OpLe:
		return c <= 0
	case OpGe:
		return c >= 0
	}
	return c == 0
}

func compareInts(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Elements returns the non-blank values of a stored value: the elements of
// a []string or []any, or the value itself. Blank values (nil, "", the zero
// time) are dropped, so an empty result means $null.
func Elements(v any) []any {
	var out []any
	add := func(e any) {
		switch x := e.(type) {
		case nil:
		case string:
			if x != "" {
				out = append(out, x)
			}
		case time.Time:
			if !x.IsZero() {
				out = append(out, x)
			}
		case *time.Time:
			if x != nil && !x.IsZero() {
				out = append(out, *x)
			}
		default:
			out = append(out, x)
		}
	}
	switch s := v.(type) {
	case []string:
		for _, e := range s {
			add(e)
		}
	case []any:
		for _, e := range s {
			add(e)
		}
	default:
		add(v)
	}
	return out
}

// text renders a stored value the way PowerShell would print it.
func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return boolText(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

func boolText(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

func fold(s string) string { return strings.ToLower(s) }

func foldAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fold(s)
	}
	return out
}

// parseBool accepts what PowerShell turns $true/$false into and the 1/0
// that filter-properties.md documents for EwsEnabled.
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "$true", "1":
		return true, true
	case "false", "$false", "0":
		return false, true
	}
	return false, false
}

func storedBool(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		return parseBool(x)
	}
	if i, ok := intOf(v); ok && (i == 0 || i == 1) {
		return i == 1, true
	}
	return false, false
}

func (p Property) parseInt(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if p.Unlimited && strings.EqualFold(s, "Unlimited") {
		return math.MaxInt64, true
	}
	i, err := strconv.ParseInt(s, 10, 64)
	return i, err == nil
}

func (p Property) storedInt(v any) (int64, bool) {
	if s, ok := v.(string); ok {
		return p.parseInt(s)
	}
	if s, ok := v.(fmt.Stringer); ok {
		return p.parseInt(s.String())
	}
	return intOf(v)
}

// intOf converts Go's integer types, and float64 holding a whole number
// (what encoding/json produces), to int64.
func intOf(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int8:
		return int64(x), true
	case int16:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case uint:
		return int64(x), x <= math.MaxInt64
	case uint8:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint32:
		return int64(x), true
	case uint64:
		return int64(x), x <= math.MaxInt64
	case float32:
		return floatInt(float64(x))
	case float64:
		return floatInt(x)
	}
	return 0, false
}

func floatInt(f float64) (int64, bool) {
	if f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return 0, false
	}
	return int64(f), true
}

// timeLayouts are the date forms accepted in filters: ISO 8601 and the
// en-US forms of Microsoft's examples ('8/13/2017', '8/1/2017 2:00:00 PM').
var timeLayouts = [...]string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02",
	"1/2/2006 3:04:05 PM",
	"1/2/2006 3:04 PM",
	"1/2/2006 15:04:05",
	"1/2/2006 15:04",
	"1/2/2006",
}

// parseTime parses a filter date; a date without a zone is UTC. Like
// .NET's DateTime, it spans the years 1 to 9999 (in UTC), which also keeps
// every accepted date printable in a form that parses again.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			t = t.UTC()
			return t, 1 <= t.Year() && t.Year() <= 9999
		}
	}
	return time.Time{}, false
}

func storedTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x.UTC(), true
	case string:
		return parseTime(x)
	}
	return time.Time{}, false
}

// parseGUID accepts 32 hex digits with optional hyphens in the 8-4-4-4-12
// places and optional braces, and returns the lower-case hyphenated form.
func parseGUID(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) == 38 && s[0] == '{' && s[37] == '}' {
		s = s[1:37]
	}
	var hex []byte
	switch len(s) {
	case 32:
		hex = []byte(s)
	case 36:
		for i := 0; i < 36; i++ {
			if i == 8 || i == 13 || i == 18 || i == 23 {
				if s[i] != '-' {
					return "", false
				}
				continue
			}
			hex = append(hex, s[i])
		}
	default:
		return "", false
	}
	for i, c := range hex {
		switch {
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f':
		case 'A' <= c && c <= 'F':
			hex[i] = c + 'a' - 'A'
		default:
			return "", false
		}
	}
	h := string(hex)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32], true
}

// member returns the canonical spelling of an enum value.
func (p Property) member(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if p.Values == nil {
		return s, s != ""
	}
	for _, v := range p.Values {
		if strings.EqualFold(v, s) {
			return v, true
		}
	}
	return "", false
}

// flagSet parses 'A, B' into sorted canonical members; order doesn't matter.
func (p Property) flagSet(s string) ([]string, bool) {
	var set []string
	for _, part := range strings.Split(s, ",") {
		m, ok := p.member(part)
		if !ok {
			if strings.TrimSpace(part) == "" {
				continue
			}
			return nil, false
		}
		if !slices.ContainsFunc(set, func(x string) bool { return strings.EqualFold(x, m) }) {
			set = append(set, m)
		}
	}
	if len(set) == 0 {
		return nil, false
	}
	slices.SortFunc(set, func(a, b string) int { return strings.Compare(fold(a), fold(b)) })
	return set, true
}

// proxyEqual compares a stored address with a filter value: a value without
// a "type:" prefix matches the address part of any proxy ("smtp:", "SIP:"…),
// as filter-properties.md describes for EmailAddresses.
func proxyEqual(stored, want string) bool {
	if strings.EqualFold(stored, want) {
		return true
	}
	if proxyPrefix(want) {
		return false
	}
	if i := strings.IndexByte(stored, ':'); i > 0 && proxyPrefix(stored) {
		return strings.EqualFold(stored[i+1:], want)
	}
	return false
}

// proxyPrefix reports whether s starts with a proxy type such as "smtp:" or
// "X500:": letters and digits followed by a colon.
func proxyPrefix(s string) bool {
	i := strings.IndexByte(s, ':')
	if i <= 0 {
		return false
	}
	for _, c := range s[:i] {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
