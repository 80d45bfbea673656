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
		name, _ := json.Marshal(p.Name)
		b = append(b, name...)
		b = append(b, ':')
		if p.Value == nil {
			b = append(b, "null"...)
		} else {
			b = append(b, p.Value...)
		}
	}
	return append(b, '}')
}

// page is one answer: a collection page, or a single entity.
type page struct {
	entities []entity
	nextLink string
}

// decodePage reads an OData answer: {"value": [...], "@odata.nextLink": ...}
// or a single entity.
func decodePage(body []byte) (page, error) {
	top, err := decodeObject(json.NewDecoder(bytes.NewReader(body)))
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
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return page{}, err
	}
	for dec.More() {
		e, err := decodeObject(dec)
		if err != nil {
			return page{}, fmt.Errorf("decode an entity: %w", err)
		}
		p.entities = append(p.entities, e)
	}
	return p, nil
}

func isArray(raw json.RawMessage) bool {
	b := bytes.TrimSpace(raw)
	return len(b) > 0 && b[0] == '['
}

// decodeObject reads one JSON object keeping its members' order.
func decodeObject(dec *json.Decoder) (entity, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("expected a JSON object")
	}
	var e entity
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		e = append(e, field{name: name, raw: raw})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return e, nil
}
