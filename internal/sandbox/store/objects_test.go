package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestObjects(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = st.Close() }()
	if _, err := Seed(ctx, st, SeedOptions{Mailboxes: 10, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	mbx, err := st.ListRecipients(ctx, RecipientQuery{Types: []string{"UserMailbox"}, Limit: 2})
	if err != nil || len(mbx) != 2 {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	made, err := st.NewObjects(ctx, []Object{
		{Kind: "Test", OwnerKey: mbx[0].Key, Name: "Rule A", Time: t0, Props: map[string]any{"Priority": 1}},
		{Kind: "Test", OwnerKey: mbx[0].Key, Name: "Rule B", Time: t0.Add(time.Hour)},
		{Kind: "Test", OwnerKey: mbx[1].Key, Name: "Rule A", Time: t0.Add(2 * time.Hour)},
		{Kind: "Other", Name: "Rule A", Time: t0},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		q    ObjectQuery
		want []int // indexes into made
	}{
		{"kind", ObjectQuery{Kind: "Test"}, []int{0, 1, 2}},
		{"owner", ObjectQuery{Kind: "Test", OwnerKey: mbx[0].Key}, []int{0, 1}},
		{"from", ObjectQuery{Kind: "Test", From: t0.Add(time.Hour)}, []int{1, 2}},
		{"to", ObjectQuery{Kind: "Test", To: t0.Add(time.Hour)}, []int{0}},
		{"after and limit", ObjectQuery{Kind: "Test", After: made[0].Key, Limit: 1}, []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := st.Objects(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("%d objects, want %d", len(got), len(tt.want))
			}
			for i, w := range tt.want {
				if got[i].Key != made[w].Key || got[i].Name != made[w].Name || !got[i].Time.Equal(made[w].Time) {
					t.Errorf("object %d: %+v", i, got[i])
				}
			}
		})
	}
	if _, err := st.FindObject(ctx, "Test", 0, "rule a"); !errors.Is(err, ErrAmbiguous) {
		t.Errorf("two owners' Rule A: %v", err)
	}
	o, err := st.FindObject(ctx, "Test", mbx[1].Key, made[2].GUID)
	if err != nil || o.Key != made[2].Key {
		t.Fatalf("by GUID: %v %+v", err, o)
	}
	u, err := st.UpdateObject(ctx, made[0].Key, "Rule C", map[string]any{"Priority": 2, "Gone": nil})
	if err != nil || u.Name != "Rule C" || u.Props["Priority"] != 2 {
		t.Fatalf("update: %v %+v", err, u)
	}
	if err := st.RemoveObject(ctx, made[1].Key); err != nil {
		t.Fatal(err)
	}
	if err := st.RemoveObject(ctx, made[1].Key); !errors.Is(err, ErrNotFound) {
		t.Errorf("second remove: %v", err)
	}
	// Objects go away with their owner.
	if err := st.RemoveRecipient(ctx, mbx[1].Key, true); err != nil {
		t.Fatal(err)
	}
	if _, err := st.FindObject(ctx, "Test", 0, made[2].GUID); !errors.Is(err, ErrNotFound) {
		t.Errorf("owner removed: %v", err)
	}
}

// TestMigrateVersion1 opens a version 1 database (no objects table): the
// store adds the table and keeps the data.
func TestMigrateVersion1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Seed(ctx, st, SeedOptions{Mailboxes: 5, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TABLE objects`, `PRAGMA user_version = 1`} {
		if _, err := st.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	_ = st.Close()
	st, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = st.Close() }()
	if _, err := st.NewObjects(ctx, []Object{{Kind: KindTransportRule, Name: "after migration"}}); err != nil {
		t.Fatalf("objects table after migration: %v", err)
	}
	if rs, err := st.ListRecipients(ctx, RecipientQuery{Limit: 1}); err != nil || len(rs) != 1 {
		t.Fatalf("recipients after migration: %v", err)
	}
}
