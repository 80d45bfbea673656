package exoctl

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	exov1 "github.com/openexo/exo/proto/exo/v1"
)

// Signature is what exoctl knows of a cmdlet's parameters: their types, as
// the service's generated module declares them, and the one at position 0.
type Signature struct {
	// Types are PowerShell type names by lower-cased parameter name ("" for
	// untyped parameters, which take what they are given).
	Types map[string]string
	// Names are the parameter names as declared, by lower-cased name.
	Names map[string]string
	// Position0 is the parameter a positional value binds to.
	Position0 string
}

var (
	typeLine      = regexp.MustCompile(`^\s*\[([A-Za-z_][\w.]*(?:\[\])?)\]\s*$`)
	parameterLine = regexp.MustCompile(`^\s*\$\{(\w+)\}\s*,?\s*\)?\s*$`)
)

// ReadSignature reads a cmdlet's param() block from the module script the
// service generated (GetCatalogResponse.module_script). It returns false
// when the script has no proxy function for the cmdlet.
func ReadSignature(script, cmdlet string) (Signature, bool) {
	lines := strings.Split(script, "\n")
	start := -1
	for i, l := range lines {
		if strings.EqualFold(strings.TrimSpace(l), "function script:"+cmdlet) {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return Signature{}, false
	}
	sig := Signature{Types: map[string]string{}, Names: map[string]string{}}
	typ, position0 := "", false
	for _, l := range lines[start:] {
		if strings.HasPrefix(strings.TrimSpace(l), "function ") {
			break
		}
		if strings.Contains(l, "[Parameter(") && strings.Contains(l, "Position=0") {
			position0 = true
		}
		if m := typeLine.FindStringSubmatch(l); m != nil {
			typ = m[1]
			continue
		}
		if m := parameterLine.FindStringSubmatch(l); m != nil {
			key := strings.ToLower(m[1])
			sig.Types[key] = strings.ToLower(typ)
			sig.Names[key] = m[1]
			if position0 && sig.Position0 == "" {
				sig.Position0 = m[1]
			}
			typ, position0 = "", false
			if strings.HasSuffix(strings.TrimSpace(l), ")") {
				break // the end of param()
			}
		}
	}
	return sig, true
}

// Bind names the positional value and checks there is at most one.
func (s Signature) Bind(params []Param, positional []Value) ([]Param, error) {
	switch {
	case len(positional) == 0:
		return params, nil
	case len(positional) > 1 || s.Position0 == "":
		return nil, usagef("unexpected value %q: name its parameter (-Name value)", describe(positional[len(positional)-1]))
	}
	return append([]Param{{Name: s.Position0, Value: positional[0], Raw: positional[0].Str}}, params...), nil
}

func describe(v Value) string {
	if v.Kind == KindString {
		return v.Str
	}
	return fmt.Sprintf("%v", v.Kind)
}

// CommandParameters types the parameters of a classic cmdlet call for
// CommandService.InvokeCommand: by the declared type where the signature
// knows it, else by how the value was written.
func CommandParameters(sig Signature, params []Param) (map[string]*exov1.ParameterValue, error) {
	out := make(map[string]*exov1.ParameterValue, len(params))
	for _, p := range params {
		key := strings.ToLower(p.Name)
		name := p.Name
		if declared, ok := sig.Names[key]; ok {
			name = declared
		}
		v, err := commandValue(sig.Types[key], p)
		if err != nil {
			return nil, fmt.Errorf("-%s: %w", p.Name, err)
		}
		out[name] = v
	}
	return out, nil
}

// commandValue converts one value to the declared type typ (lower case).
func commandValue(typ string, p Param) (*exov1.ParameterValue, error) {
	if p.Value.Kind == KindNull {
		return &exov1.ParameterValue{Kind: &exov1.ParameterValue_NullValue{}}, nil
	}
	elem, isArray := strings.CutSuffix(typ, "[]")
	if isArray && p.Value.Kind != KindList && p.Value.Kind != KindMap {
		// One value for an array parameter is an array of one.
		v, err := scalarValue(elem, p.Value)
		if err != nil {
			return nil, err
		}
		return listOf(v), nil
	}
	if !isArray && (typ == "string" || typ == "system.string") && !p.Switch {
		// A [string] takes the text whole, commas and all.
		return &exov1.ParameterValue{Kind: &exov1.ParameterValue_StringValue{StringValue: wholeText(p)}}, nil
	}
	return anyValue(elem, p.Value)
}

func listOf(values ...*exov1.ParameterValue) *exov1.ParameterValue {
	return &exov1.ParameterValue{Kind: &exov1.ParameterValue_ListValue{ListValue: &exov1.ParameterList{Values: values}}}
}

// anyValue converts a list, a hashtable or a scalar.
func anyValue(elem string, v Value) (*exov1.ParameterValue, error) {
	switch v.Kind {
	case KindList:
		var values []*exov1.ParameterValue
		for _, e := range v.List {
			c, err := anyValue(elem, e)
			if err != nil {
				return nil, err
			}
			values = append(values, c)
		}
		return listOf(values...), nil
	case KindMap:
		entries := map[string]*exov1.ParameterValue{}
		for _, e := range v.Map {
			// Hashtable values (Add/Remove lists) have the parameter's
			// element type.
			c, err := anyValue(elem, e.Value)
			if err != nil {
				return nil, err
			}
			entries[e.Key] = c
		}
		return &exov1.ParameterValue{Kind: &exov1.ParameterValue_MapValue{MapValue: &exov1.ParameterMap{Entries: entries}}}, nil
	}
	return scalarValue(elem, v)
}

// scalarValue converts one scalar to the type typ.
func scalarValue(typ string, v Value) (*exov1.ParameterValue, error) {
	switch v.Kind {
	case KindNull:
		return &exov1.ParameterValue{Kind: &exov1.ParameterValue_NullValue{}}, nil
	case KindBool:
		return &exov1.ParameterValue{Kind: &exov1.ParameterValue_BoolValue{BoolValue: v.Bool}}, nil
	case KindList, KindMap:
		return anyValue(typ, v)
	}
	s := v.Str
	switch typ {
	case "switch", "bool", "boolean", "system.boolean", "system.management.automation.switchparameter":
		b, err := strconv.ParseBool(strings.TrimPrefix(strings.ToLower(s), "$"))
		if err != nil {
			return nil, usagef("%q is not $true or $false", s)
		}
		return &exov1.ParameterValue{Kind: &exov1.ParameterValue_BoolValue{BoolValue: b}}, nil
	case "int", "int32", "int64", "long", "uint32", "uint64", "int16", "byte", "system.int32", "system.int64":
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, usagef("%q is not a whole number", s)
		}
		return &exov1.ParameterValue{Kind: &exov1.ParameterValue_IntValue{IntValue: n}}, nil
	case "double", "single", "decimal", "system.double":
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, usagef("%q is not a number", s)
		}
		return &exov1.ParameterValue{Kind: &exov1.ParameterValue_DoubleValue{DoubleValue: f}}, nil
	case "datetime", "system.datetime", "datetimeoffset", "system.datetimeoffset":
		t, err := parseTime(s)
		if err != nil {
			return nil, err
		}
		return &exov1.ParameterValue{Kind: &exov1.ParameterValue_TimeValue{TimeValue: timestamppb.New(t)}}, nil
	case "securestring", "system.security.securestring":
		return &exov1.ParameterValue{Kind: &exov1.ParameterValue_SecretValue{SecretValue: s}}, nil
	case "pscredential", "system.management.automation.pscredential":
		return nil, usagef("credential parameters are not supported by exoctl")
	}
	return &exov1.ParameterValue{Kind: &exov1.ParameterValue_StringValue{StringValue: s}}, nil
}

// parseTime reads an RFC 3339 time or a date; a time without a zone is UTC.
func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, usagef("%q is not a time: use RFC 3339 (2026-01-31T08:00:00Z) or a date (2026-01-31)", s)
}

// wholeText is a parameter's value as one string.
func wholeText(p Param) string {
	if p.Value.Kind == KindString && p.Value.Quoted {
		return p.Value.Str
	}
	return unquote(p.Raw)
}

// unquote strips one pair of quotes around the whole text.
func unquote(raw string) string {
	t := strings.TrimSpace(raw)
	if len(t) >= 2 && (t[0] == '\'' || t[0] == '"') && t[len(t)-1] == t[0] {
		if v, err := parseValue(t); err == nil && v.Kind == KindString && v.Quoted {
			return v.Str
		}
	}
	return raw
}

// queryParamTypes are the Get-EXO* parameters whose type is not text.
var queryParamTypes = map[string]string{
	"filter": "string", "anr": "string", "identity": "string", "userprincipalname": "string",
	"primarysmtpaddress": "string", "externaldirectoryobjectid": "string", "organizationalunit": "string",
	"properties": "string[]", "propertysets": "string[]", "recipienttypedetails": "string[]", "recipienttype": "string[]",
	"accessrights": "string[]",
}

// QueryParameters converts the parameters of a Get-EXO* call for
// QueryService.Query, taking -ResultSize out (0 when absent, -1 for
// Unlimited).
func QueryParameters(params []Param) (*structpb.Struct, int64, error) {
	out := &structpb.Struct{Fields: map[string]*structpb.Value{}}
	var resultSize int64
	for _, p := range params {
		key := strings.ToLower(p.Name)
		if key == "resultsize" {
			n, err := parseResultSize(p.Value)
			if err != nil {
				return nil, 0, err
			}
			resultSize = n
			continue
		}
		typ := queryParamTypes[key]
		var v *structpb.Value
		switch {
		case typ == "string" && p.Value.Kind != KindNull:
			v = structpb.NewStringValue(wholeText(p))
		case typ == "string[]" && p.Value.Kind == KindString:
			v = structpb.NewListValue(&structpb.ListValue{Values: []*structpb.Value{structpb.NewStringValue(p.Value.Str)}})
		default:
			var err error
			if v, err = structValue(p.Value); err != nil {
				return nil, 0, fmt.Errorf("-%s: %w", p.Name, err)
			}
		}
		out.Fields[p.Name] = v
	}
	return out, resultSize, nil
}

func parseResultSize(v Value) (int64, error) {
	if v.Kind == KindString && strings.EqualFold(v.Str, "Unlimited") {
		return -1, nil
	}
	n, err := strconv.ParseInt(v.Str, 10, 64)
	if v.Kind != KindString || err != nil || n < 1 {
		return 0, usagef("-ResultSize takes a positive number or Unlimited")
	}
	return n, nil
}

func structValue(v Value) (*structpb.Value, error) {
	switch v.Kind {
	case KindNull:
		return structpb.NewNullValue(), nil
	case KindBool:
		return structpb.NewBoolValue(v.Bool), nil
	case KindList:
		l := &structpb.ListValue{}
		for _, e := range v.List {
			c, err := structValue(e)
			if err != nil {
				return nil, err
			}
			l.Values = append(l.Values, c)
		}
		return structpb.NewListValue(l), nil
	case KindMap:
		return nil, usagef("Get-EXO* cmdlets take no hashtables")
	}
	return structpb.NewStringValue(v.Str), nil
}
