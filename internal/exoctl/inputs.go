package exoctl

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// maxInputLine bounds one line of --inputs.
const maxInputLine = 1 << 20

// ReadInputs reads pipeline inputs, one per line: a JSON object of
// parameter names and values, or bare text for the position-0 parameter
// (position0). Blank lines are skipped.
func ReadInputs(r io.Reader, position0 string) ([][]Param, error) {
	var out [][]Param
	lines := bufio.NewScanner(r)
	lines.Buffer(make([]byte, 0, 64*1024), maxInputLine)
	for n := 1; lines.Scan(); n++ {
		line := strings.TrimSpace(lines.Text())
		if line == "" {
			continue
		}
		if !strings.HasPrefix(line, "{") {
			if position0 == "" {
				return nil, usagef("input line %d: the cmdlet has no positional parameter; give a JSON object", n)
			}
			out = append(out, []Param{{Name: position0, Value: Value{Kind: KindString, Str: line, Quoted: true}, Raw: line}})
			continue
		}
		params, err := objectParams(line)
		if err != nil {
			return nil, usagef("input line %d: %v", n, err)
		}
		out = append(out, params)
	}
	if err := lines.Err(); err != nil {
		return nil, fmt.Errorf("read the inputs: %w", err)
	}
	return out, nil
}

// objectParams reads a JSON object as parameters, in name order.
func objectParams(line string) ([]Param, error) {
	dec := json.NewDecoder(strings.NewReader(line))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(obj))
	for k := range obj {
		names = append(names, k)
	}
	sort.Strings(names)
	params := make([]Param, 0, len(obj))
	for _, k := range names {
		v, err := jsonValue(obj[k])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		params = append(params, Param{Name: k, Value: v, Raw: v.Str})
	}
	return params, nil
}

// jsonValue is a decoded JSON value as if it had been written on the
// command line; strings are quoted text.
func jsonValue(v any) (Value, error) {
	switch v := v.(type) {
	case nil:
		return Value{Kind: KindNull}, nil
	case bool:
		return Value{Kind: KindBool, Bool: v}, nil
	case string:
		return Value{Kind: KindString, Str: v, Quoted: true}, nil
	case json.Number:
		return Value{Kind: KindString, Str: v.String()}, nil
	case []any:
		out := Value{Kind: KindList}
		for _, e := range v {
			c, err := jsonValue(e)
			if err != nil {
				return Value{}, err
			}
			out.List = append(out.List, c)
		}
		return out, nil
	case map[string]any:
		var b bytes.Buffer
		_ = json.NewEncoder(&b).Encode(v) // re-encoding decoded JSON cannot fail
		params, err := objectParams(b.String())
		if err != nil {
			return Value{}, err
		}
		out := Value{Kind: KindMap}
		for _, p := range params {
			out.Map = append(out.Map, Entry{Key: p.Name, Value: p.Value})
		}
		return out, nil
	}
	return Value{}, fmt.Errorf("unsupported JSON value %v", v)
}
