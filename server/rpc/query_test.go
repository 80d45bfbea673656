package rpc

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/openexo/exo/internal/query"
	exov1 "github.com/openexo/exo/proto/exo/v1"
)

// TestPageBatcher: records travel one batch per page, the first record of
// a call alone, never mixing inputs, and each batch's JSON is an array of
// the records in order.
func TestPageBatcher(t *testing.T) {
	rec := func(n int) *query.Record {
		return &query.Record{TypeNames: []string{"T"}, Props: []query.Prop{
			{Name: "N", Value: json.RawMessage(fmt.Sprint(n))},
			{Name: "Guid", Value: json.RawMessage(`"00000000-0000-0000-0000-000000000001"`), Kind: query.KindGUID},
		}}
	}
	for _, tc := range []struct {
		name   string
		events string // R = record of input 0, S = record of input 1, P = page end
		want   string // batches as input:count, comma separated
	}{
		{"first record alone, then the page", "RRRP", "0:1,0:2"},
		{"one batch per page", "RPRRPRRRP", "0:1,0:2,0:3"},
		{"inputs never share a batch", "RRSSP", "0:1,0:1,1:2"},
		{"empty pages send nothing", "PPRPP", "0:1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			n := 0
			b := &pageBatcher{send: func(in int, batch *exov1.RecordBatch) error {
				var objs []map[string]any
				if err := json.Unmarshal([]byte(batch.GetJson()), &objs); err != nil {
					t.Fatalf("batch JSON %q: %v", batch.GetJson(), err)
				}
				if len(objs) != int(batch.GetCount()) {
					t.Errorf("count %d, JSON has %d", batch.GetCount(), len(objs))
				}
				for _, o := range objs {
					if o["N"] != float64(n) {
						t.Errorf("record N=%v, want %d", o["N"], n)
					}
					n++
				}
				if strings.Join(batch.GetGuidProperties(), ",") != "Guid" || batch.GetTypeNames()[0] != "T" {
					t.Errorf("guid properties %v, type names %v", batch.GetGuidProperties(), batch.GetTypeNames())
				}
				got = append(got, fmt.Sprintf("%d:%d", in, batch.GetCount()))
				return nil
			}}
			next := 0
			for _, c := range tc.events {
				ev := query.Event{PageEnd: c == 'P'}
				if c == 'S' {
					ev.Input = 1
				}
				if c != 'P' {
					ev.Record = rec(next)
					next++
				}
				if err := b.add(ev); err != nil {
					t.Fatal(err)
				}
			}
			if err := b.flush(); err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, ",") != tc.want {
				t.Errorf("batches %s, want %s", strings.Join(got, ","), tc.want)
			}
		})
	}
}

func TestPageBatcherTypeNameMember(t *testing.T) {
	for _, tc := range []struct {
		name        string
		props       []query.Prop
		want        string
		wantObjects bool
	}{
		{"member first, properties in order", []query.Prop{{Name: "B", Value: json.RawMessage(`1`)}, {Name: "A"}},
			`[{"PSTypeName":"Exo.T","B":1,"A":null}]`, false},
		{"an object without properties", nil, `[{"PSTypeName":"Exo.T"}]`, false},
		{"scalar arrays are flat", []query.Prop{{Name: "E", Value: json.RawMessage(`["a","b"]`)}},
			`[{"PSTypeName":"Exo.T","E":["a","b"]}]`, false},
		{"an object value is reported", []query.Prop{{Name: "O", Value: json.RawMessage(` {"x":1}`)}},
			`[{"PSTypeName":"Exo.T","O": {"x":1}}]`, true},
		{"an array of objects is reported", []query.Prop{{Name: "L", Value: json.RawMessage(`[{"x":1}]`)}},
			`[{"PSTypeName":"Exo.T","L":[{"x":1}]}]`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got *exov1.RecordBatch
			b := &pageBatcher{typeNameMember: "PSTypeName", send: func(_ int, batch *exov1.RecordBatch) error {
				got = batch
				return nil
			}}
			if err := b.add(query.Event{Record: &query.Record{TypeNames: []string{"Exo.T"}, Props: tc.props}}); err != nil {
				t.Fatal(err)
			}
			if got.GetJson() != tc.want || got.GetHasObjectValues() != tc.wantObjects {
				t.Errorf("batch %s (object values %v), want %s (%v)", got.GetJson(), got.GetHasObjectValues(), tc.want, tc.wantObjects)
			}
			if !json.Valid([]byte(got.GetJson())) {
				t.Errorf("invalid JSON %s", got.GetJson())
			}
		})
	}
}
