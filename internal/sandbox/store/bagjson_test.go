package store

import (
	"reflect"
	"testing"
)

// TestParseBagMatchesEncodingJSON checks that the fast path gives what
// encoding/json gives, and leaves to it what it cannot decide.
func TestParseBagMatchesEncodingJSON(t *testing.T) {
	accepted := []string{
		`{}`, ` { } `, `{"a":"x","b":true,"c":false,"d":null}`,
		`{"n":0,"i":-42,"big":9223372036854775807,"over":9223372036854775808,"f":1.5,"e":-2E+3,"g":1e-2}`,
		`{"l":[],"m":{},"nested":{"x":[1,"two",{"three":[null]}]}}`,
		`{"esc":"a\"b\\c\u00e9\n","utf":"Zoë 北京","dup":1,"dup":2}`,
		"{\n\t\"ws\" :\r [ 1 , 2 ] }\n",
	}
	for _, s := range accepted {
		got, ok := parseBag(s)
		if !ok {
			t.Errorf("parseBag(%q) declined", s)
			continue
		}
		want, err := decodeJSON(s)
		if err != nil {
			t.Fatalf("decodeJSON(%q): %v", s, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("parseBag(%q) = %#v, want %#v", s, got, want)
		}
	}
	declined := []string{
		``, `null`, `[]`, `{`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{"a":[1,]}`, `{"a":01}`, `{"a":1.}`, `{"a":-}`,
		`{"a":1e}`, `{"a":+1}`, `{"a":tru}`, `{"a":"x` + "\x01" + `"}`, `{"a":"\x"}`, "{\"a\":\"\xff\"}",
		`{"a":1} {}`, `{"a":"unterminated}`, `{'a':1}`,
	}
	for _, s := range declined {
		if m, ok := parseBag(s); ok {
			t.Errorf("parseBag(%q) = %#v, want it declined", s, m)
		}
	}
}
