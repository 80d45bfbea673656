package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Property bags are JSON objects. Decoded values are string, bool, int64,
// float64, nil, []any and map[string]any: integers stay int64 so counts and
// sizes survive exactly.

// encodeProps renders a bag as JSON, keys sorted (so equal bags give equal
// text) and without HTML escaping (the text stays readable in the file).
func encodeProps(m map[string]any) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return "", fmt.Errorf("encode properties: %w", err)
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// decodeProps parses a JSON bag.
func decodeProps(s string) (map[string]any, error) {
	if m, ok := parseBag(s); ok {
		return m, nil
	}
	return decodeJSON(s)
}

// decodeJSON is decodeProps through encoding/json, for what parseBag leaves.
func decodeJSON(s string) (map[string]any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("decode properties: %w", err)
	}
	if m == nil {
		m = map[string]any{}
	}
	for k, v := range m {
		m[k] = normalizeValue(v)
	}
	return m, nil
}

// canonicalProps round-trips caller-supplied values through JSON so they
// compare equal to decoded ones ([]string becomes []any, int becomes int64).
func canonicalProps(m map[string]any) (map[string]any, error) {
	s, err := encodeProps(m)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return decodeProps(s)
}

func normalizeValue(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = normalizeValue(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = normalizeValue(x[k])
		}
	}
	return v
}

// cloneValue deep-copies the mutable parts of a decoded value, so callers
// may change what they get without touching the cached bases.
func cloneValue(v any) any {
	switch x := v.(type) {
	case []any:
		c := make([]any, len(x))
		for i := range x {
			c[i] = cloneValue(x[i])
		}
		return c
	case map[string]any:
		c := make(map[string]any, len(x))
		for k, e := range x {
			c[k] = cloneValue(e)
		}
		return c
	}
	return v
}

// mergeProps returns a new bag: base overlaid with over.
func mergeProps(base, over map[string]any) map[string]any {
	m := make(map[string]any, len(base)+len(over))
	for k, v := range base {
		m[k] = cloneValue(v)
	}
	for k, v := range over {
		m[k] = cloneValue(v)
	}
	return m
}

// diffProps returns the entries of full that base lacks or holds differently:
// what a row must store so that mergeProps(base, row) equals full.
func diffProps(full, base map[string]any) map[string]any {
	d := map[string]any{}
	for k, v := range full {
		if b, ok := base[k]; !ok || !reflect.DeepEqual(b, v) {
			d[k] = v
		}
	}
	return d
}

// Property value helpers used while deriving indexed columns.

func propString(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func propBool(m map[string]any, k string) bool {
	b, _ := m[k].(bool)
	return b
}

// propStrings returns a multi-valued string property.
func propStrings(m map[string]any, k string) []string {
	arr, _ := m[k].([]any)
	out := make([]string, 0, len(arr))
	for _, v := range arr {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func stringsToAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// Wire formats (see wire-protocol.md §2.4).

// FormatBytes renders a byte count the way Exchange prints a
// ByteQuantifiedSize: the value in the largest fitting unit with up to four
// significant digits, then the exact count, e.g. "99 GB (106,300,440,576 bytes)".
func FormatBytes(n int64) string {
	if n < 0 {
		n = 0
	}
	units := []string{"B", "KB", "MB", "GB", "TB", "PB"}
	u, div := 0, int64(1)
	for u < len(units)-1 && n >= div*1024 {
		div *= 1024
		u++
	}
	var num string
	if u == 0 {
		num = strconv.FormatInt(n, 10)
	} else {
		v := float64(n) / float64(div)
		decimals := 3
		switch {
		case v >= 1000:
			decimals = 0
		case v >= 100:
			decimals = 1
		case v >= 10:
			decimals = 2
		}
		num = strconv.FormatFloat(v, 'f', decimals, 64)
		if strings.Contains(num, ".") {
			num = strings.TrimRight(strings.TrimRight(num, "0"), ".")
		}
	}
	return num + " " + units[u] + " (" + groupThousands(n) + " bytes)"
}

func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// FormatTime renders a DateTime the way the admin API sends it: UTC,
// seven fractional digits and an explicit offset.
func FormatTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.0000000-07:00")
}

// FormatTimeSpan renders a .NET TimeSpan: [d.]hh:mm:ss.
func FormatTimeSpan(d time.Duration) string {
	sec := int64(d / time.Second)
	days, rem := sec/86400, sec%86400
	hms := fmt.Sprintf("%02d:%02d:%02d", rem/3600, rem%3600/60, rem%60)
	if days == 0 {
		return hms
	}
	return strconv.FormatInt(days, 10) + "." + hms
}
