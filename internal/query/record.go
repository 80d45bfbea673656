package query

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Kind types a string value that JSON cannot type.
type Kind int

// Kinds of values.
const (
	KindPlain Kind = iota
	KindGUID
	KindDateTime
)

// Prop is one property of a Record.
type Prop struct {
	Name string
	// Value is the property's JSON as the service sent it; nil is null.
	Value json.RawMessage
	Kind  Kind
}

// Record is one output object, properties in display order.
type Record struct {
	TypeNames []string
	Props     []Prop
}

// field is one member of a JSON object, in document order.
type field struct {
	name string
	raw  json.RawMessage
}

// entity is an OData entity with its members in document order.
type entity []field

// get finds a member case-insensitively.
func (e entity) get(name string) (json.RawMessage, bool) {
	for _, f := range e {
		if strings.EqualFold(f.name, name) {
			return f.raw, true
		}
	}
	return nil, false
}

// kinds reads the "<name>@odata.type" annotations.
func (e entity) kinds() map[string]Kind {
	var out map[string]Kind
	for _, f := range e {
		name, ok := strings.CutSuffix(f.name, "@odata.type")
		if !ok || name == "" {
			continue
		}
		var t string
		if json.Unmarshal(f.raw, &t) != nil {
			continue
		}
		t = strings.TrimPrefix(strings.TrimSuffix(strings.TrimPrefix(t, "#Collection("), ")"), "#")
		t = strings.TrimPrefix(t, "Edm.")
		var k Kind
		switch t {
		case "Guid":
			k = KindGUID
		case "DateTimeOffset", "DateTime":
			k = KindDateTime
		default:
			continue
		}
		if out == nil {
			out = map[string]Kind{}
		}
		out[strings.ToLower(name)] = k
	}
	return out
}

// properties are the entity's members that are not annotations.
func (e entity) properties() []string {
	var names []string
	for _, f := range e {
		if !strings.Contains(f.name, "@") {
			names = append(names, f.name)
		}
	}
	return names
}

// record builds an output object. With order, it has exactly those
// properties (absent ones are null); otherwise the entity's, in its order.
func (e entity) record(typeName string, order []string) Record {
	if order == nil {
		order = e.properties()
	}
	kinds := e.kinds()
	r := Record{TypeNames: []string{typeName}, Props: make([]Prop, 0, len(order))}
	for _, name := range order {
		p := Prop{Name: name, Kind: kinds[strings.ToLower(name)]}
		if raw, ok := e.get(name); ok && !bytes.Equal(raw, []byte("null")) {
			p.Value = raw
		}
		r.Props = append(r.Props, p)
	}
	return r
}

// JSON is the record as one JSON object, properties in display order.
func (r Record) JSON() []byte {
	n := 2
	for _, p := range r.Props {
		n += len(p.Name) + len(p.Value) + 8
	}
	b := make([]byte, 0, n)
	b = append(b, '{')
	for i, p := range r.Props {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendName(b, p.Name)
		b = append(b, ':')
		if p.Value == nil {
			b = append(b, "null"...)
		} else {
			b = append(b, p.Value...)
		}
	}
	return append(b, '}')
}

// appendName appends a property name as a JSON string. Names are nearly
// always plain identifiers, which need no escaping and no json.Marshal.
func appendName(b []byte, name string) []byte {
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x7f || c == '<' || c == '>' || c == '&' {
			quoted, _ := json.Marshal(name)
			return append(b, quoted...)
		}
	}
	b = append(b, '"')
	b = append(b, name...)
	return append(b, '"')
}

// page is one answer: a collection page, or a single entity.
type page struct {
	entities []entity
	nextLink string
}

// decodePage reads an OData answer: {"value": [...], "@odata.nextLink": ...}
// or a single entity. The body is checked once with json.Valid; the
// members are then cut out of it without decoding their values, which the
// module parses itself (a page holds about a megabyte of JSON, and
// json.Decoder spent more time on it than everything else in the daemon).
func decodePage(body []byte) (page, error) {
	if !json.Valid(body) {
		return page{}, errors.New("decode the service's answer: the body is not valid JSON")
	}
	top, _, err := scanObject(body, skipSpace(body, 0))
	if err != nil {
		return page{}, fmt.Errorf("decode the service's answer: %w", err)
	}
	raw, isCollection := top.get("value")
	if !isCollection || !isArray(raw) {
		return page{entities: []entity{top}}, nil
	}
	var p page
	if link, ok := top.get("@odata.nextLink"); ok {
		_ = json.Unmarshal(link, &p.nextLink)
	}
	i := skipSpace(raw, 1)
	for i < len(raw) && raw[i] != ']' {
		e, next, err := scanObject(raw, i)
		if err != nil {
			return page{}, fmt.Errorf("decode an entity: %w", err)
		}
		p.entities = append(p.entities, e)
		i = skipSpace(raw, next)
		if i < len(raw) && raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
	}
	return p, nil
}

func isArray(raw json.RawMessage) bool {
	b := bytes.TrimSpace(raw)
	return len(b) > 0 && b[0] == '['
}

// scanObject cuts the object starting at b[i] into its members, in
// document order, and returns the index after it. b must be valid JSON.
func scanObject(b []byte, i int) (entity, int, error) {
	if i >= len(b) || b[i] != '{' {
		return nil, 0, errors.New("expected a JSON object")
	}
	var e entity
	i = skipSpace(b, i+1)
	for i < len(b) && b[i] != '}' {
		end := skipValue(b, i)
		name := string(b[i+1 : end-1])
		if bytes.IndexByte(b[i:end], '\\') >= 0 {
			if err := json.Unmarshal(b[i:end], &name); err != nil {
				return nil, 0, err
			}
		}
		i = skipSpace(b, skipSpace(b, end)+1) // past the colon
		end = skipValue(b, i)
		e = append(e, field{name: name, raw: json.RawMessage(b[i:end])})
		i = skipSpace(b, end)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	if i >= len(b) {
		return nil, 0, errors.New("unexpected end of JSON")
	}
	return e, i + 1, nil
}

// skipValue returns the index after the JSON value starting at b[i].
func skipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		for i++; i < len(b); i++ {
			switch b[i] {
			case '\\':
				i++
			case '"':
				return i + 1
			}
		}
		return len(b)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = skipValue(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return len(b)
	default: // a number, true, false or null
		for ; i < len(b); i++ {
			switch b[i] {
			case ',', '}', ']', ' ', '\t', '\r', '\n':
				return i
			}
		}
		return len(b)
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}
