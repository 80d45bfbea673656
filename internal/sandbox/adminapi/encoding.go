package adminapi

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// OData type annotations of the wire protocol (§2.3, §2.4).
const (
	odataTypeKey        = "@odata.type"
	odataHashtable      = "#Exchange.GenericHashTable"
	odataByteArray      = "#Exchange.ByteArrayType"
	odataHashtableArray = "#Collection(Exchange.GenericHashTable)"
	odataByteArrayArray = "#Collection(Exchange.ByteArrayType)"
)

// ---- request side: annotated JSON to plain values ----

// decodeWireParams decodes the CmdletInput.Parameters object and applies
// the module's annotations: GenericHashTable objects become map[string]any,
// ByteArrayType objects []byte, and a "<Name>@odata.type" sibling turns
// collections into []map[string]any or [][]byte. Numbers stay json.Number
// until binding knows the parameter's kind.
func decodeWireParams(raw json.RawMessage) (map[string]any, error) {
	out := map[string]any{}
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return out, nil
	}
	var obj map[string]any
	if err := decodeJSON(raw, &obj); err != nil {
		return nil, fmt.Errorf("parameters must be a JSON object: %w", err)
	}
	for key, v := range obj {
		if strings.Contains(key, "@") {
			continue // annotations are read with the value they describe
		}
		annotation, _ := obj[key+odataTypeKey].(string)
		nv, err := normalizeWire(v, annotation)
		if err != nil {
			return nil, fmt.Errorf("parameter %q: %w", key, err)
		}
		out[key] = nv
	}
	return out, nil
}

// decodeJSON decodes with numbers kept exact.
func decodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("unexpected data after the JSON value")
	}
	return nil
}

func normalizeWire(v any, annotation string) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		typ, _ := t[odataTypeKey].(string)
		if typ == odataByteArray {
			return bytesFromData(t["Data"])
		}
		m := make(map[string]any, len(t))
		for k, inner := range t {
			if strings.Contains(k, "@") {
				continue
			}
			innerType, _ := t[k+odataTypeKey].(string)
			nv, err := normalizeWire(inner, innerType)
			if err != nil {
				return nil, fmt.Errorf("key %q: %w", k, err)
			}
			m[k] = nv
		}
		return m, nil
	case []any:
		switch annotation {
		case odataHashtableArray:
			out := make([]map[string]any, 0, len(t))
			for i, e := range t {
				nv, err := normalizeWire(e, "")
				if err != nil {
					return nil, fmt.Errorf("item %d: %w", i, err)
				}
				m, ok := nv.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("item %d is not a hashtable", i)
				}
				out = append(out, m)
			}
			return out, nil
		case odataByteArrayArray:
			out := make([][]byte, 0, len(t))
			for i, e := range t {
				m, ok := e.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("item %d is not a byte array object", i)
				}
				b, err := bytesFromData(m["Data"])
				if err != nil {
					return nil, fmt.Errorf("item %d: %w", i, err)
				}
				out = append(out, b)
			}
			return out, nil
		}
		out := make([]any, len(t))
		for i, e := range t {
			nv, err := normalizeWire(e, "")
			if err != nil {
				return nil, fmt.Errorf("item %d: %w", i, err)
			}
			out[i] = nv
		}
		return out, nil
	default:
		return v, nil
	}
}

// bytesFromData reads a ByteArrayType's Data: an array of numbers 0-255
// (what ConvertTo-Json makes of byte[]), or a base64 string.
func bytesFromData(v any) ([]byte, error) {
	switch d := v.(type) {
	case string:
		b, err := base64.StdEncoding.DecodeString(d)
		if err != nil {
			return nil, fmt.Errorf("byte array data: %w", err)
		}
		return b, nil
	case []any:
		out := make([]byte, len(d))
		for i, e := range d {
			n, ok := e.(json.Number)
			if !ok {
				return nil, fmt.Errorf("byte %d is not a number", i)
			}
			x, err := n.Int64()
			if err != nil || x < 0 || x > 255 {
				return nil, fmt.Errorf("byte %d (%s) is out of range", i, n)
			}
			out[i] = byte(x)
		}
		return out, nil
	case nil:
		return []byte{}, nil
	default:
		return nil, fmt.Errorf("byte array data must be an array of numbers")
	}
}

// plainValue turns a normalized wire value into the Go values KindAny
// documents: json.Number becomes int64 or float64, recursively.
func plainValue(v any) any {
	switch t := v.(type) {
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i
		}
		f, _ := t.Float64()
		return f
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = plainValue(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = plainValue(e)
		}
		return out
	case []map[string]any:
		out := make([]map[string]any, len(t))
		for i, e := range t {
			out[i] = plainValue(e).(map[string]any)
		}
		return out
	default:
		return v
	}
}

// ---- response side: typed values to annotated JSON ----

// timeLayout is how the service prints DateTime values.
const timeLayout = "2006-01-02T15:04:05.0000000-07:00"

// encodeRecord writes one record as a JSON object. Non-string values get
// the annotations seen in captures: "X@data.type" (.NET type) and, where
// OData cannot infer the type from JSON, "X@odata.type"; collections get
// "X@odata.type":"#Collection(T)". keep, when non-nil, projects the record
// ($select) by lower-cased property name.
func encodeRecord(buf *bytes.Buffer, rec Record, keep map[string]bool) error {
	buf.WriteByte('{')
	first := true
	field := func(name string, raw []byte) {
		if !first {
			buf.WriteByte(',')
		}
		first = false
		buf.Write(mustMarshal(name))
		buf.WriteByte(':')
		buf.Write(raw)
	}
	for _, p := range rec.Properties {
		if keep != nil && !keep[strings.ToLower(p.Name)] {
			continue
		}
		ev, err := encodeValue(p.Value)
		if err != nil {
			return fmt.Errorf("property %q: %w", p.Name, err)
		}
		if ev.dataType != "" {
			field(p.Name+"@data.type", mustMarshal(ev.dataType))
		}
		if ev.odataType != "" {
			field(p.Name+odataTypeKey, mustMarshal(ev.odataType))
		}
		field(p.Name, ev.raw)
	}
	buf.WriteByte('}')
	return nil
}

type encodedValue struct {
	dataType, odataType string
	raw                 []byte
}

// scalarType names a scalar's .NET type and OData type ("" when JSON
// already implies it) and gives its JSON form.
func scalarType(v any) (dataType, odataType string, raw []byte, ok bool) {
	switch t := v.(type) {
	case nil:
		return "", "", []byte("null"), true
	case string:
		return "", "", mustMarshal(t), true
	case bool:
		return "System.Boolean", "", mustMarshal(t), true
	case int:
		if t < math.MinInt32 || t > math.MaxInt32 {
			return "System.Int64", "#Int64", mustMarshal(t), true
		}
		return "System.Int32", "", mustMarshal(t), true
	case int16:
		return "System.Int16", "#Int16", mustMarshal(t), true
	case int32:
		return "System.Int32", "", mustMarshal(t), true
	case int64:
		return "System.Int64", "#Int64", mustMarshal(t), true
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return "System.Double", "#Double", mustMarshal(strconv.FormatFloat(t, 'g', -1, 64)), true
		}
		return "System.Double", "", mustMarshal(t), true
	case time.Time:
		return "System.DateTime", "", mustMarshal(t.Format(timeLayout)), true
	case uuid.UUID:
		return "System.Guid", "#Guid", mustMarshal(t.String()), true
	case time.Duration:
		return "", "", mustMarshal(formatTimeSpan(t)), true
	case ByteQuantifiedSize:
		return "", "", mustMarshal(t.String()), true
	}
	return "", "", nil, false
}

// edmName is the element type name used inside #Collection(...).
func edmName(dataType, odataType string) string {
	if odataType != "" {
		return strings.TrimPrefix(odataType, "#")
	}
	switch dataType {
	case "":
		return "String"
	case "System.Boolean":
		return "Boolean"
	case "System.Int32":
		return "Int32"
	case "System.Double":
		return "Double"
	case "System.DateTime":
		return "DateTimeOffset"
	}
	return "String"
}

func encodeValue(v any) (encodedValue, error) {
	if dt, ot, raw, ok := scalarType(v); ok {
		return encodedValue{dataType: dt, odataType: ot, raw: raw}, nil
	}
	switch t := v.(type) {
	case []byte:
		return encodedValue{odataType: "#Binary", raw: mustMarshal(base64.StdEncoding.EncodeToString(t))}, nil
	case map[string]any:
		raw, err := encodeHashtable(t)
		return encodedValue{raw: raw}, err
	case []string:
		return encodedValue{odataType: "#Collection(String)", raw: mustMarshal(t)}, nil
	case []map[string]any:
		items := make([]any, len(t))
		for i, m := range t {
			items[i] = m
		}
		return encodeCollection(items)
	}
	items, ok := sliceItems(v)
	if !ok {
		return encodedValue{}, fmt.Errorf("unsupported value type %T", v)
	}
	return encodeCollection(items)
}

// sliceItems flattens the typed slices the Backend may return.
func sliceItems(v any) ([]any, bool) {
	switch t := v.(type) {
	case []any:
		return t, true
	case []int:
		return toAny(t), true
	case []int32:
		return toAny(t), true
	case []int64:
		return toAny(t), true
	case []bool:
		return toAny(t), true
	case []float64:
		return toAny(t), true
	case []uuid.UUID:
		return toAny(t), true
	case []time.Time:
		return toAny(t), true
	}
	return nil, false
}

func toAny[T any](s []T) []any {
	out := make([]any, len(s))
	for i, e := range s {
		out[i] = e
	}
	return out
}

// encodeCollection writes a homogeneous collection; its element type comes
// from the first non-nil item.
func encodeCollection(items []any) (encodedValue, error) {
	elem := ""
	var buf bytes.Buffer
	buf.WriteByte('[')
	for i, it := range items {
		if i > 0 {
			buf.WriteByte(',')
		}
		if m, ok := it.(map[string]any); ok {
			raw, err := encodeHashtable(m)
			if err != nil {
				return encodedValue{}, fmt.Errorf("item %d: %w", i, err)
			}
			buf.Write(raw)
			if elem == "" {
				elem = "Exchange.GenericHashTable"
			}
			continue
		}
		dt, ot, raw, ok := scalarType(it)
		if !ok {
			return encodedValue{}, fmt.Errorf("item %d: unsupported collection item type %T", i, it)
		}
		buf.Write(raw)
		if elem == "" && it != nil {
			elem = edmName(dt, ot)
		}
	}
	buf.WriteByte(']')
	if elem == "" {
		elem = "String"
	}
	return encodedValue{odataType: "#Collection(" + elem + ")", raw: buf.Bytes()}, nil
}

// encodeHashtable writes a hashtable the way the module sends them: an
// open object tagged #Exchange.GenericHashTable, keys sorted for stable
// output, annotations on its non-string values.
func encodeHashtable(m map[string]any) ([]byte, error) {
	rec := Record{Properties: make([]Property, 0, len(m))}
	for _, k := range sortedKeys(m) {
		rec.Properties = append(rec.Properties, Property{Name: k, Value: m[k]})
	}
	var buf bytes.Buffer
	if err := encodeRecord(&buf, rec, nil); err != nil {
		return nil, err
	}
	// Put the type tag first, as the module's hashtables carry it.
	tag := `{"` + odataTypeKey + `":"` + odataHashtable + `"`
	if buf.Len() == 2 {
		return []byte(tag + "}"), nil
	}
	return append([]byte(tag+","), buf.Bytes()[1:]...), nil
}

// formatTimeSpan prints a duration as .NET TimeSpan.ToString() does:
// [-][d.]hh:mm:ss[.fffffff].
func formatTimeSpan(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign = "-"
		d = -d
	}
	ticks := int64(d / 100)
	days := ticks / (864_000_000_000)
	ticks -= days * 864_000_000_000
	h := ticks / 36_000_000_000
	ticks -= h * 36_000_000_000
	m := ticks / 600_000_000
	ticks -= m * 600_000_000
	s := ticks / 10_000_000
	frac := ticks - s*10_000_000
	out := sign
	if days > 0 {
		out += strconv.FormatInt(days, 10) + "."
	}
	out += fmt.Sprintf("%02d:%02d:%02d", h, m, s)
	if frac > 0 {
		out += fmt.Sprintf(".%07d", frac)
	}
	return out
}

// String prints the size as Exchange does: the largest unit that keeps
// the number at least 1, up to three decimals, then the exact byte count.
func (b ByteQuantifiedSize) String() string {
	units := []string{"B", "KB", "MB", "GB", "TB", "PB"}
	v := float64(b)
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	num := strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64)
	return fmt.Sprintf("%s %s (%s bytes)", num, units[i], groupThousands(uint64(b)))
}

func groupThousands(n uint64) string {
	s := strconv.FormatUint(n, 10)
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
