package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

func TestSeedObjects(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	dump := func() (map[string]int, string) {
		st, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = st.Close() }()
		if _, err := Seed(ctx, st, SeedOptions{Mailboxes: 60, Seed: 5, Now: now}); err != nil {
			t.Fatal(err)
		}
		counts := map[string]int{}
		var text string
		for _, kind := range []string{KindRoleGroup, KindInboxRule, KindTransportRule, KindMessageTrace, KindAuditRecord} {
			objs, err := st.Objects(ctx, ObjectQuery{Kind: kind})
			if err != nil {
				t.Fatal(err)
			}
			counts[kind] = len(objs)
			for i, o := range objs {
				text += fmt.Sprintf("%s|%d|%s|%s|%v|%v\n", kind, o.OwnerKey, o.Name, o.GUID, o.Time, o.Props)
				timed := kind == KindMessageTrace || kind == KindAuditRecord
				if timed && (o.Time.Before(now.AddDate(0, 0, -seedHistoryDays)) || !o.Time.Before(now)) {
					t.Errorf("%s at %v outside the month before %v", kind, o.Time, now)
				}
				if timed && i > 0 && o.Time.Before(objs[i-1].Time) {
					t.Errorf("%s keys not in time order", kind)
				}
			}
		}
		return counts, text
	}
	counts, a := dump()
	_, b := dump()
	if a != b {
		t.Error("the same options gave different objects")
	}
	tests := []struct {
		kind     string
		min, max int
	}{
		{KindRoleGroup, len(seedRoleGroups), len(seedRoleGroups)},
		{KindTransportRule, len(seedTransportRules), len(seedTransportRules)},
		{KindInboxRule, 3, 60},
		{KindMessageTrace, 500, 60 * seedTracePerUser},
		{KindAuditRecord, 100, 60 * seedAuditPerUser},
	}
	for _, tt := range tests {
		if n := counts[tt.kind]; n < tt.min || n > tt.max {
			t.Errorf("%d %s objects, want %d to %d", n, tt.kind, tt.min, tt.max)
		}
	}
}
