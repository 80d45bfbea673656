package exoctl

import (
	"errors"
	"reflect"
	"testing"
)

func str(s string) Value    { return Value{Kind: KindString, Str: s} }
func quoted(s string) Value { return Value{Kind: KindString, Str: s, Quoted: true} }
func list(v ...Value) Value { return Value{Kind: KindList, List: v} }

func TestParseParams(t *testing.T) {
	yes, no := Value{Kind: KindBool, Bool: true}, Value{Kind: KindBool}
	tests := []struct {
		name       string
		args       []string
		params     []Param
		positional []Value
	}{
		{"value", []string{"-ResultSize", "5"}, []Param{{Name: "ResultSize", Value: str("5"), Raw: "5"}}, nil},
		{"switch", []string{"-Archive", "-ResultSize", "5"},
			[]Param{{Name: "Archive", Value: yes, Switch: true}, {Name: "ResultSize", Value: str("5"), Raw: "5"}}, nil},
		{"switch false", []string{"-Archive:$false"}, []Param{{Name: "Archive", Value: no, Raw: "$false"}}, nil},
		{"inline value", []string{"-Identity:alice"}, []Param{{Name: "Identity", Value: str("alice"), Raw: "alice"}}, nil},
		{"negative number is a value", []string{"-Offset", "-5"}, []Param{{Name: "Offset", Value: str("-5"), Raw: "-5"}}, nil},
		{"null", []string{"-Notes", "$null"}, []Param{{Name: "Notes", Value: Value{Kind: KindNull}, Raw: "$null"}}, nil},
		{"text with spaces", []string{"-DisplayName", "Alice Smith"},
			[]Param{{Name: "DisplayName", Value: str("Alice Smith"), Raw: "Alice Smith"}}, nil},
		{"comma list", []string{"-Properties", "Alias,DisplayName"},
			[]Param{{Name: "Properties", Value: list(str("Alias"), str("DisplayName")), Raw: "Alias,DisplayName"}}, nil},
		{"list split over arguments", []string{"-Properties", "Alias,", "DisplayName"},
			[]Param{{Name: "Properties", Value: list(str("Alias"), str("DisplayName")), Raw: "Alias, DisplayName"}}, nil},
		{"quoted comma", []string{"-Name", "'a,b'"}, []Param{{Name: "Name", Value: quoted("a,b"), Raw: "'a,b'"}}, nil},
		{"filter keeps its quoted commas", []string{"-Filter", "Alias -eq 'a,b'"},
			[]Param{{Name: "Filter", Value: str("Alias -eq 'a,b'"), Raw: "Alias -eq 'a,b'"}}, nil},
		{"array", []string{"-Names", "@('a', \"b\")"}, []Param{{Name: "Names", Value: list(quoted("a"), quoted("b")), Raw: "@('a', \"b\")"}}, nil},
		{"hashtable", []string{"-EmailAddresses", "@{Add='x@c.com','y@c.com'; Remove=z@c.com}"},
			[]Param{{Name: "EmailAddresses", Raw: "@{Add='x@c.com','y@c.com'; Remove=z@c.com}", Value: Value{Kind: KindMap, Map: []Entry{
				{Key: "Add", Value: list(quoted("x@c.com"), quoted("y@c.com"))}, {Key: "Remove", Value: str("z@c.com")},
			}}}}, nil},
		{"escaped quotes", []string{"-Name", `'it''s'`}, []Param{{Name: "Name", Value: quoted("it's"), Raw: `'it''s'`}}, nil},
		{"positional", []string{"alice", "-ResultSize", "1"}, []Param{{Name: "ResultSize", Value: str("1"), Raw: "1"}}, []Value{str("alice")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			params, positional, err := ParseParams(tt.args)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(params, tt.params) {
				t.Errorf("params\n got %+v\nwant %+v", params, tt.params)
			}
			if !reflect.DeepEqual(positional, tt.positional) {
				t.Errorf("positional %+v, want %+v", positional, tt.positional)
			}
		})
	}
}

func TestParseParamsRefuses(t *testing.T) {
	for _, args := range [][]string{
		{"-Name", "'open"},
		{"-Map", "@{Add='x'"},
		{"-Map", "@{novalue}"},
		{"-List", "a,,b"},
	} {
		if _, _, err := ParseParams(args); !errors.Is(err, ErrUsage) {
			t.Errorf("%q: error %v, want a usage error", args, err)
		}
	}
}
