package cmdlets

import (
	"testing"
	"time"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/store"
)

// BenchmarkGetMailboxPage serves Get-Mailbox -ResultSize Unlimited in
// pages of 1000 over a seeded 5000-mailbox tenant, following the cursor
// and starting over at the end. "store" is the part of each page spent in
// store.ListRecipients alone, for comparison.
//
//	go test -run '^$' -bench GetMailboxPage -benchtime 50x ./internal/sandbox/cmdlets/
func BenchmarkGetMailboxPage(b *testing.B) {
	f := newFixture(b, 5000)
	b.Run("engine", func(b *testing.B) {
		c := call{name: "Get-Mailbox", params: map[string]any{"ResultSize": adminapi.Unlimited{IsUnlimited: true}}, page: 1000}
		objects := 0
		start := time.Now()
		for b.Loop() {
			res, err := f.invoke(c)
			if err != nil {
				b.Fatal(err)
			}
			objects += len(res.Records)
			c.cursor = res.NextCursor
		}
		b.ReportMetric(float64(objects)/time.Since(start).Seconds(), "objects/s")
	})
	b.Run("store", func(b *testing.B) {
		q := store.RecipientQuery{Types: mailboxTypes, Limit: 1001}
		objects := 0
		start := time.Now()
		for b.Loop() {
			rows, err := f.st.ListRecipients(f.ctx, q)
			if err != nil {
				b.Fatal(err)
			}
			objects += min(len(rows), 1000)
			q.After = 0
			if len(rows) > 1000 {
				q.After = rows[999].Key
			}
		}
		b.ReportMetric(float64(objects)/time.Since(start).Seconds(), "objects/s")
	})
}
