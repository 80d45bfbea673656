package cmdlets

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/openexo/exo/internal/sandbox/store"
)

func TestMessageTrace(t *testing.T) {
	f := newFixture(t, 40)
	now := f.e.now()
	day := 24 * time.Hour
	all, err := f.st.Objects(f.ctx, store.ObjectQuery{Kind: store.KindMessageTrace})
	if err != nil || len(all) < 100 {
		t.Fatalf("%d seeded traces: %v", len(all), err)
	}
	count := func(from, to time.Time, keep func(store.Object) bool) int {
		n := 0
		for _, o := range all {
			if !o.Time.Before(from) && !o.Time.After(to) && (keep == nil || keep(o)) {
				n++
			}
		}
		return n
	}
	sample := all[len(all)/2]
	sender := propString(sample.Props, "SenderAddress")
	tests := []struct {
		name   string
		cmdlet string
		params map[string]any
		class  string
		want   int
	}{
		{"last 48 hours", "Get-MessageTraceV2", nil, "", min(1000, count(now.Add(-2*day), now, nil))},
		{"ten days", "Get-MessageTraceV2", map[string]any{"StartDate": now.Add(-10 * day), "EndDate": now, "ResultSize": int64(5000)}, "",
			count(now.Add(-10*day), now, nil)},
		{"by sender", "Get-MessageTraceV2", map[string]any{"StartDate": now.Add(-10 * day), "SenderAddress": []string{strings.ToUpper(sender)}, "ResultSize": int64(5000)}, "",
			count(now.Add(-10*day), now, func(o store.Object) bool { return strings.EqualFold(propString(o.Props, "SenderAddress"), sender) })},
		{"failed only", "Get-MessageTraceV2", map[string]any{"StartDate": now.Add(-10 * day), "Status": []string{"Failed"}, "ResultSize": int64(5000)}, "",
			count(now.Add(-10*day), now, func(o store.Object) bool { return propString(o.Props, "Status") == "Failed" })},
		{"result size", "Get-MessageTraceV2", map[string]any{"StartDate": now.Add(-10 * day), "ResultSize": int64(7)}, "", 7},
		{"more than ten days", "Get-MessageTraceV2", map[string]any{"StartDate": now.Add(-11 * day)}, classInvalidTraceQuery, 0},
		{"older than 90 days", "Get-MessageTraceV2", map[string]any{"StartDate": now.Add(-95 * day), "EndDate": now.Add(-90 * day)}, classInvalidTraceQuery, 0},
		{"v1 pages", "Get-MessageTrace", map[string]any{"StartDate": now.Add(-10 * day), "EndDate": now, "PageSize": int64(5), "Page": int64(2)}, "", 5},
		{"v1 looks back 10 days only", "Get-MessageTrace", map[string]any{"StartDate": now.Add(-20 * day), "EndDate": now.Add(-15 * day)}, classInvalidTraceQuery, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := call{name: tt.cmdlet, params: tt.params, page: 100}
			if tt.class != "" {
				_, err := f.invoke(c)
				expectError(t, err, tt.class)
				return
			}
			recs, _ := f.all(c)
			if len(recs) != tt.want {
				t.Errorf("%d rows, want %d", len(recs), tt.want)
			}
			for i := 1; i < len(recs); i++ {
				if prop(recs[i], "Received").(time.Time).After(prop(recs[i-1], "Received").(time.Time)) {
					t.Fatal("not newest first")
				}
			}
		})
	}
	res := f.run("Get-MessageTraceV2", map[string]any{"StartDate": now.Add(-10 * day), "ResultSize": int64(3)})
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "-StartingRecipientAddress") {
		t.Errorf("truncation warning %v", res.Warnings)
	}
	id, _ := uuid.Parse(sample.GUID)
	detail := f.run("Get-MessageTraceDetailV2", map[string]any{"MessageTraceId": id, "RecipientAddress": propString(sample.Props, "RecipientAddress")})
	if len(detail.Records) < 1 || text(detail.Records[0], "Event") != "Receive" {
		t.Errorf("detail %v", detail.Records)
	}
}
