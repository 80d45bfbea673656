package query

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunOrderedKeepsInputOrder(t *testing.T) {
	for _, tt := range []struct {
		name             string
		inputs, perInput int
		concurrency      int
	}{
		{"sequential", 20, 3, 1},
		{"concurrent", 200, 3, 8},
		{"one input", 1, 50, 8},
		{"no events", 30, 0, 4},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var running, peak atomic.Int32
			var got []Event
			err := runOrdered(context.Background(), tt.inputs, tt.concurrency, func(ev Event) error {
				got = append(got, ev)
				return nil
			}, func(ctx context.Context, i int, out func(Event) error) error {
				n := running.Add(1)
				defer running.Add(-1)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				time.Sleep(time.Duration(rand.IntN(300)) * time.Microsecond)
				for k := range tt.perInput {
					if err := out(Event{Input: i, Warning: string(rune('a' + k%26))}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.inputs*tt.perInput {
				t.Fatalf("got %d events, want %d", len(got), tt.inputs*tt.perInput)
			}
			for n, ev := range got {
				if ev.Input != n/max(1, tt.perInput) {
					t.Fatalf("event %d is from input %d: output out of order", n, ev.Input)
				}
			}
			if int(peak.Load()) > tt.concurrency {
				t.Errorf("peak concurrency %d exceeds %d", peak.Load(), tt.concurrency)
			}
		})
	}
}

func TestRunOrderedStopsWhenEmitFails(t *testing.T) {
	stop := errors.New("client gone")
	var started atomic.Int32
	err := runOrdered(context.Background(), 1000, 4, func(Event) error { return stop },
		func(ctx context.Context, i int, out func(Event) error) error {
			started.Add(1)
			return out(Event{Input: i})
		})
	if !errors.Is(err, stop) {
		t.Fatalf("err = %v, want the emit error", err)
	}
	if started.Load() > 4*lookahead+4 {
		t.Errorf("%d inputs started after the client went away; the window should bound them", started.Load())
	}
}

func TestDecodePage(t *testing.T) {
	body := `{"@odata.context":"x/$metadata#Mailbox","value":[
		{"Name":"a","Guid@odata.type":"#Guid","Guid":"6f1c0c33-1d3e-4b6a-9a62-1e2d3c4b5a69","WhenCreated@odata.type":"#DateTimeOffset","WhenCreated":"2024-01-02T03:04:05Z","EmailAddresses":["SMTP:a@x"],"Empty":null},
		{"Name":"b"}],"@odata.nextLink":"https://h/next"}`
	p, err := decodePage([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.entities) != 2 || p.nextLink != "https://h/next" {
		t.Fatalf("page = %d entities, link %q", len(p.entities), p.nextLink)
	}
	rec := p.entities[0].record("T", nil)
	if got, want := string(rec.JSON()), `{"Name":"a","Guid":"6f1c0c33-1d3e-4b6a-9a62-1e2d3c4b5a69","WhenCreated":"2024-01-02T03:04:05Z","EmailAddresses":["SMTP:a@x"],"Empty":null}`; got != want {
		t.Errorf("JSON = %s\nwant   %s", got, want)
	}
	if rec.Props[1].Kind != KindGUID || rec.Props[2].Kind != KindDateTime {
		t.Errorf("kinds = %v, %v", rec.Props[1].Kind, rec.Props[2].Kind)
	}
	ordered := p.entities[1].record("T", []string{"Alias", "Name"})
	if got := string(ordered.JSON()); got != `{"Alias":null,"Name":"b"}` {
		t.Errorf("ordered JSON = %s", got)
	}
	single, err := decodePage([]byte(`{"@odata.context":"x/$metadata#Mailbox/$entity","Name":"solo"}`))
	if err != nil || len(single.entities) != 1 || single.nextLink != "" {
		t.Fatalf("single entity page = %+v, %v", single, err)
	}
}

// TestRunOrderedHeadWaitsForEmit: the input being printed hands over one
// event at a time (so it reads no further ahead than its consumer), while
// later inputs buffer without waiting.
func TestRunOrderedHeadWaitsForEmit(t *testing.T) {
	var emitted atomic.Int32
	release := make(chan struct{})
	hang := time.After(10 * time.Second) // a guard against a deadlock, not a timing assertion
	err := runOrdered(context.Background(), 2, 2, func(Event) error {
		emitted.Add(1)
		return nil
	}, func(ctx context.Context, i int, out func(Event) error) error {
		if i == 0 {
			select {
			case <-release: // input 1 has buffered all its events
			case <-hang:
				t.Error("input 1 waited for its turn instead of buffering")
			}
			for k := range 5 {
				if err := out(Event{Input: i}); err != nil {
					return err
				}
				if n := emitted.Load(); n != int32(k+1) {
					t.Errorf("out %d returned with %d events emitted", k, n)
				}
			}
			return nil
		}
		for range 5 {
			if err := out(Event{Input: i}); err != nil {
				return err
			}
		}
		close(release)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := emitted.Load(); n != 10 {
		t.Errorf("%d events emitted, want 10", n)
	}
}

// referenceEntity reads one JSON object's members with encoding/json, the
// way decodePage did before it cut members out itself.
func referenceEntity(dec *json.Decoder) (entity, error) {
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("not an object: %v %v", tok, err)
	}
	var e entity
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		e = append(e, field{name: tok.(string), raw: raw})
	}
	_, err := dec.Token()
	return e, err
}

// FuzzDecodePage compares decodePage's members with encoding/json's on
// any valid object and on pages built from it.
func FuzzDecodePage(f *testing.F) {
	for _, seed := range []string{
		`{"Name":"a","N":1.5e3,"T":true,"F":false,"Z":null,"L":[1,{"x":"]}"}],"O":{"a":[]}}`,
		` { "esc\"aped\u00e9" : "va\\lue\"}" , "s" : "\u2028", "<a&b>\u0001": 1 } `,
		`{}`,
		`{"value":[],"@odata.nextLink":"n"}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, obj string) {
		if !json.Valid([]byte(obj)) {
			if _, err := decodePage([]byte(obj)); err == nil {
				t.Fatalf("invalid JSON %q accepted", obj)
			}
			return
		}
		want, err := referenceEntity(json.NewDecoder(strings.NewReader(obj)))
		if err != nil {
			if _, err := decodePage([]byte(obj)); err == nil {
				t.Fatalf("%q is not an object, yet decodePage accepted it", obj)
			}
			return
		}
		page := `{"value":[` + obj + `, ` + obj + `]}`
		for _, body := range []string{obj, page} {
			p, err := decodePage([]byte(body))
			if err != nil {
				t.Fatalf("decodePage(%q): %v", body, err)
			}
			if _, isPage := want.get("value"); body == page || !isPage {
				for _, got := range p.entities {
					if fmt.Sprint(got) != fmt.Sprint(want) {
						t.Fatalf("decodePage(%q) = %q, want %q", body, got, want)
					}
					// The record the module receives is valid JSON with the
					// same names, whatever they hold.
					rec := got.record("T", nil)
					var back map[string]json.RawMessage
					if err := json.Unmarshal(rec.JSON(), &back); err != nil {
						t.Fatalf("record JSON %s: %v", rec.JSON(), err)
					}
					for _, p := range rec.Props {
						if _, ok := back[p.Name]; !ok {
							t.Fatalf("record JSON %s lost %q", rec.JSON(), p.Name)
						}
					}
				}
			}
		}
	})
}
