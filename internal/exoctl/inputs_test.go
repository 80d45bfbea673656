package exoctl

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestReadInputs(t *testing.T) {
	text := "adele\n\n" +
		`{"Identity":"bob","Count":5,"Hidden":true,"Notes":null,"Addresses":["a","b"],"Map":{"Add":"x"}}` + "\n"
	got, err := ReadInputs(strings.NewReader(text), "Identity")
	if err != nil {
		t.Fatal(err)
	}
	q := func(s string) Value { return Value{Kind: KindString, Str: s, Quoted: true} }
	want := [][]Param{
		{{Name: "Identity", Value: q("adele"), Raw: "adele"}},
		{
			{Name: "Addresses", Value: Value{Kind: KindList, List: []Value{q("a"), q("b")}}},
			{Name: "Count", Value: Value{Kind: KindString, Str: "5"}, Raw: "5"},
			{Name: "Hidden", Value: Value{Kind: KindBool, Bool: true}},
			{Name: "Identity", Value: q("bob"), Raw: "bob"},
			{Name: "Map", Value: Value{Kind: KindMap, Map: []Entry{{Key: "Add", Value: q("x")}}}},
			{Name: "Notes", Value: Value{Kind: KindNull}},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	for name, tc := range map[string]struct{ text, position0 string }{
		"bad JSON":          {`{"Identity":`, "Identity"},
		"text, no position": {"adele", ""},
	} {
		if _, err := ReadInputs(strings.NewReader(tc.text), tc.position0); !errors.Is(err, ErrUsage) {
			t.Errorf("%s: %v, want a usage error", name, err)
		}
	}
}
