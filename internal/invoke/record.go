package invoke

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/openexo/exo/internal/query"
)

// page is one InvokeCommand answer (JSON mode, wire-protocol.md §2.4).
type page struct {
	records      []*query.Record
	next         string
	warnings     []string
	errors       []string
	confirmation string
}

// pageEnvelope is the page's root; annotation names are matched exactly
// enough by encoding/json (case-insensitive, whole key).
type pageEnvelope struct {
	Value        []json.RawMessage `json:"value"`
	Next         string            `json:"@odata.nextLink"`
	Warnings     []string          `json:"@adminapi.warnings"`
	Errors       []json.RawMessage `json:"@adminapi.errors"`
	Confirmation string            `json:"@adminapi.confirmationmessage"`
}

// decodePage reads an InvokeCommand page; typeNames go on every record.
func decodePage(body []byte, typeNames []string) (page, error) {
	var env pageEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		return page{}, fmt.Errorf("decode the service's answer: %w", err)
	}
	p := page{next: env.Next, confirmation: env.Confirmation}
	for _, w := range env.Warnings {
		if w = strings.TrimSpace(w); w != "" {
			p.warnings = append(p.warnings, w)
		}
	}
	for _, raw := range env.Errors {
		if msg := errorText(raw); msg != "" {
			p.errors = append(p.errors, msg)
		}
	}
	for i, raw := range env.Value {
		rec, err := decodeRecord(raw, typeNames)
		if err != nil {
			return page{}, fmt.Errorf("decode object %d of the service's answer: %w", i, err)
		}
		if rec != nil {
			p.records = append(p.records, rec)
		}
	}
	return p, nil
}

// errorText is an @adminapi.errors entry: the pipe string, or an object
// with a message.
func errorText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	var obj struct {
		Message   string `json:"Message"`
		ClassName string `json:"ClassName"`
	}
	if json.Unmarshal(raw, &obj) == nil && obj.Message != "" {
		if obj.ClassName != "" {
			return "|" + obj.ClassName + "|" + obj.Message
		}
		return obj.Message
	}
	return strings.TrimSpace(string(raw))
}

// member is one JSON object member, in document order.
type member struct {
	name string
	raw  json.RawMessage
}

// decodeRecord turns one GenericHashTable object into a record: members in
// order, annotation members dropped (also inside nested objects), GUIDs and
// times typed from their annotations, times in RFC 3339. A value that is not
// an object (a cmdlet that outputs strings) becomes a record with one Value
// property; nil means null.
func decodeRecord(raw json.RawMessage, typeNames []string) (*query.Record, error) {
	trimmed := bytes.TrimSpace(raw)
	if bytes.Equal(trimmed, []byte("null")) {
		return nil, nil
	}
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return &query.Record{TypeNames: typeNames, Props: []query.Prop{{Name: "Value", Value: trimmed}}}, nil
	}
	members, err := decodeMembers(trimmed)
	if err != nil {
		return nil, err
	}
	kinds := map[string]query.Kind{}
	for _, m := range members {
		name, annotation, ok := strings.Cut(m.name, "@")
		if !ok || name == "" {
			continue
		}
		var t string
		if json.Unmarshal(m.raw, &t) != nil {
			continue
		}
		if k := kindOf(annotation, t); k != query.KindPlain {
			kinds[strings.ToLower(name)] = k
		}
	}
	rec := &query.Record{TypeNames: typeNames, Props: make([]query.Prop, 0, len(members))}
	for _, m := range members {
		if strings.Contains(m.name, "@") {
			continue
		}
		prop := query.Prop{Name: m.name, Kind: kinds[strings.ToLower(m.name)]}
		v := bytes.TrimSpace(m.raw)
		if !bytes.Equal(v, []byte("null")) {
			if prop.Kind == query.KindDateTime {
				v = rfc3339(v)
			} else if v, err = stripAnnotations(v); err != nil {
				return nil, fmt.Errorf("property %s: %w", m.name, err)
			}
			prop.Value = v
		}
		rec.Props = append(rec.Props, prop)
	}
	return rec, nil
}

// kindOf reads a type annotation: "odata.type" holds an Edm type such as
// #Guid or #Collection(DateTimeOffset), "data.type" a .NET type name.
func kindOf(annotation, t string) query.Kind {
	switch strings.ToLower(annotation) {
	case "odata.type":
		t = strings.TrimPrefix(t, "#")
		if inner, ok := strings.CutPrefix(t, "Collection("); ok {
			t = strings.TrimSuffix(inner, ")")
		}
		switch strings.TrimPrefix(t, "Edm.") {
		case "Guid":
			return query.KindGUID
		case "DateTimeOffset", "DateTime":
			return query.KindDateTime
		}
	case "data.type":
		switch strings.TrimSuffix(t, "[]") {
		case "System.Guid":
			return query.KindGUID
		case "System.DateTime", "System.DateTimeOffset":
			return query.KindDateTime
		}
	}
	return query.KindPlain
}

// decodeMembers reads a JSON object's members in order.
func decodeMembers(raw []byte) ([]member, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil {
		return nil, err
	} else if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("expected a JSON object")
	}
	var out []member
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, member{name: name, raw: v})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return out, nil
}

// stripAnnotations drops "@" members from nested objects, keeping order.
func stripAnnotations(raw []byte) ([]byte, error) {
	if len(raw) == 0 || (raw[0] != '{' && raw[0] != '[') || !bytes.Contains(raw, []byte(`@`)) {
		return raw, nil
	}
	if raw[0] == '[' {
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, err
		}
		var b bytes.Buffer
		b.WriteByte('[')
		for i, it := range items {
			if i > 0 {
				b.WriteByte(',')
			}
			s, err := stripAnnotations(bytes.TrimSpace(it))
			if err != nil {
				return nil, err
			}
			b.Write(s)
		}
		b.WriteByte(']')
		return b.Bytes(), nil
	}
	members, err := decodeMembers(raw)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	for _, m := range members {
		if strings.Contains(m.name, "@") {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		name, _ := json.Marshal(m.name)
		b.Write(name)
		b.WriteByte(':')
		s, err := stripAnnotations(bytes.TrimSpace(m.raw))
		if err != nil {
			return nil, err
		}
		b.Write(s)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// rfc3339 rewrites a time, or an array of them, as RFC 3339 in UTC. Values
// that do not parse are kept as the service sent them.
func rfc3339(raw []byte) []byte {
	if len(raw) > 0 && raw[0] == '[' {
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return raw
		}
		var b bytes.Buffer
		b.WriteByte('[')
		for i, it := range items {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(rfc3339(bytes.TrimSpace(it)))
		}
		b.WriteByte(']')
		return b.Bytes()
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return raw
	}
	t, ok := parseTime(s)
	if !ok {
		return raw
	}
	out, _ := json.Marshal(t.UTC().Format(time.RFC3339Nano))
	return out
}

// parseTime reads the service's time forms: ISO 8601 with an offset (7
// fractional digits), without one (taken as UTC), or /Date(ms)/.
func parseTime(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	if t, err := time.Parse("2006-01-02T15:04:05.9999999", s); err == nil {
		return t, true
	}
	if ms, ok := strings.CutPrefix(s, "/Date("); ok {
		ms, _, _ = strings.Cut(strings.TrimSuffix(ms, ")/"), "+")
		if n, err := strconv.ParseInt(ms, 10, 64); err == nil {
			return time.UnixMilli(n), true
		}
	}
	return time.Time{}, false
}
