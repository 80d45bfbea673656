package cmdlets

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/openexo/exo/internal/sandbox/adminapi"
)

func auditWindow(extra map[string]any) map[string]any {
	// The fixture's clock stands still: the test's own records are at
	// 03:04:05, after every seeded one.
	p := map[string]any{"StartDate": time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), "EndDate": time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC)}
	for k, v := range extra {
		p[k] = v
	}
	return p
}

func TestChangesAreAudited(t *testing.T) {
	f := newFixture(t, 10)
	mb := f.mailboxes("UserMailbox")[1]
	f.run("Set-Mailbox", map[string]any{"Identity": mb.Name, "CustomAttribute1": "x"})
	f.run("Set-Mailbox", map[string]any{"Identity": mb.Name, "CustomAttribute1": "x"}) // no change, still a run
	if _, err := f.invoke(call{name: "Set-Mailbox", params: map[string]any{"Identity": mb.Name, "CustomAttribute2": "y"}, whatIf: true}); err != nil {
		t.Fatal(err)
	}
	f.run("Get-Mailbox", map[string]any{"Identity": mb.Name})
	f.run("Set-Mailbox", map[string]any{"Identity": f.mailboxes("UserMailbox")[2].Name, "Password": adminapi.SecureString("hunter2")})

	tests := []struct {
		name   string
		params map[string]any
		want   int
	}{
		{"all", nil, 3},
		{"by operation and object", map[string]any{"Operations": []string{"set-mailbox"}, "ObjectIds": []string{mb.Name}}, 2},
		{"by user", map[string]any{"UserIds": []string{admin.UPN}}, 3},
		{"other user", map[string]any{"UserIds": []string{"nobody@contoso.com"}}, 0},
		{"free text", map[string]any{"FreeText": "CustomAttribute1"}, 2},
		{"record type", map[string]any{"RecordType": "ExchangeAdmin"}, 3},
		{"outside the window", map[string]any{"StartDate": time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), "EndDate": time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := f.run("Search-UnifiedAuditLog", auditWindow(tt.params))
			if len(res.Records) != tt.want {
				t.Fatalf("%d records, want %d", len(res.Records), tt.want)
			}
			for i, rec := range res.Records {
				if prop(rec, "ResultIndex") != i+1 || prop(rec, "ResultCount") != tt.want {
					t.Errorf("record %d: index %v count %v", i, prop(rec, "ResultIndex"), prop(rec, "ResultCount"))
				}
				var data map[string]any
				if err := json.Unmarshal([]byte(text(rec, "AuditData")), &data); err != nil || data["Operation"] != "Set-Mailbox" {
					t.Errorf("AuditData %v: %v", text(rec, "AuditData"), err)
				}
			}
		})
	}
	all := f.run("Search-UnifiedAuditLog", auditWindow(map[string]any{"FreeText": "Password"}))
	if len(all.Records) != 1 || strings.Contains(text(all.Records[0], "AuditData"), "hunter2") ||
		!strings.Contains(text(all.Records[0], "AuditData"), `"Value":"********"`) {
		t.Errorf("secret in the audit log: %v", all.Records)
	}
	_, err := f.invoke(call{name: "Search-UnifiedAuditLog", params: map[string]any{
		"StartDate": time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC), "EndDate": time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}})
	expectError(t, err, classArgument)
}

func TestAuditLogSessions(t *testing.T) {
	f := newFixture(t, 10)
	mb := f.mailboxes("UserMailbox")[1]
	for i := range 12 {
		f.run("Set-Mailbox", map[string]any{"Identity": mb.Name, "CustomAttribute3": fmt.Sprint(i)})
	}
	for _, cmd := range []string{"ReturnLargeSet", "ReturnNextPreviewPage"} {
		t.Run(cmd, func(t *testing.T) {
			seen := map[string]bool{}
			var calls []int
			for range 6 {
				// ResultSize 5 over pages of 2: each call pages within itself.
				recs, _ := f.all(call{name: "Search-UnifiedAuditLog", page: 2,
					params: auditWindow(map[string]any{"SessionId": cmd, "SessionCommand": cmd, "ResultSize": int64(5)})})
				calls = append(calls, len(recs))
				for _, r := range recs {
					if seen[text(r, "Identity")] {
						t.Fatalf("record %s twice", text(r, "Identity"))
					}
					seen[text(r, "Identity")] = true
					if prop(r, "ResultCount") != 12 {
						t.Errorf("ResultCount %v", prop(r, "ResultCount"))
					}
				}
			}
			if fmt.Sprint(calls) != "[5 5 2 0 0 0]" || len(seen) != 12 {
				t.Errorf("calls returned %v", calls)
			}
		})
	}
	// Without a session every call returns the newest records.
	a := f.run("Search-UnifiedAuditLog", auditWindow(map[string]any{"ResultSize": int64(3)}))
	b := f.run("Search-UnifiedAuditLog", auditWindow(map[string]any{"ResultSize": int64(3)}))
	if len(a.Records) != 3 || text(a.Records[0], "Identity") != text(b.Records[0], "Identity") {
		t.Errorf("sessionless calls differ")
	}
}
