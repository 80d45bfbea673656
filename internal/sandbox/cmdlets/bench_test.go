package cmdlets

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
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

// BenchmarkEntityMailboxPage lists the same tenant's mailboxes through the
// Mailbox entity route (Get-EXOMailbox -ResultSize Unlimited), in pages of
// 1000, following the cursor and starting over at the end. "engine" calls
// Engine.Query as BenchmarkGetMailboxPage calls Invoke; "http" GETs the
// route and its nextLinks through the protocol layer, and "http-invoke"
// POSTs Get-Mailbox to InvokeCommand the same way, for comparison.
//
//	go test -run '^$' -bench 'EntityMailboxPage|GetMailboxPage' -benchtime 50x ./internal/sandbox/cmdlets/
func BenchmarkEntityMailboxPage(b *testing.B) {
	en := newEntityEnv(b, 5000)
	b.Run("engine", func(b *testing.B) {
		q := adminapi.EntityQuery{Set: adminapi.RouteMailbox}
		page := adminapi.Page{MaxPageSize: 1000}
		objects := 0
		start := time.Now()
		for b.Loop() {
			res, err := en.e.Query(en.ctx, admin, q, page)
			if err != nil {
				b.Fatal(err)
			}
			objects += len(res.Records)
			page.Cursor = res.NextCursor
		}
		b.ReportMetric(float64(objects)/time.Since(start).Seconds(), "objects/s")
	})
	b.Run("http", func(b *testing.B) { benchPages(b, en, en.base+"Mailbox", http.MethodGet, "") })
	b.Run("http-invoke", func(b *testing.B) {
		benchPages(b, en, en.base+"InvokeCommand", http.MethodPost,
			`{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":{"ResultSize":"Unlimited"}}}`)
	})
}

// benchPages requests one page per iteration, following nextLinks from
// first and starting over at the end.
func benchPages(b *testing.B, en *entityEnv, first, method, body string) {
	next, objects := first, 0
	start := time.Now()
	for b.Loop() {
		req, _ := http.NewRequest(method, next, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+store.RoleOrganizationManagement)
		req.Header.Set("Prefer", "odata.maxpagesize=1000")
		req.Header.Set("Content-Type", "application/json")
		resp, err := en.srv.Client().Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var page struct {
			Value    []map[string]any `json:"value"`
			NextLink string           `json:"@odata.nextLink"`
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err := json.Unmarshal(raw, &page); err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("%d %.200s", resp.StatusCode, raw)
		}
		objects += len(page.Value)
		if next = page.NextLink; next == "" {
			next = first
		}
	}
	b.ReportMetric(float64(objects)/time.Since(start).Seconds(), "objects/s")
}
