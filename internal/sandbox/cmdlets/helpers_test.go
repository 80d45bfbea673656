package cmdlets

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/store"
)

const exoAudience = "https://outlook.office365.com"

// Callers by role, on the Exchange Online endpoint.
var (
	admin      = adminapi.Caller{ObjectID: "oid-admin", UPN: "admin@contoso.com", Roles: []string{store.RoleOrganizationManagement}, Audience: exoAudience}
	reader     = adminapi.Caller{ObjectID: "oid-reader", UPN: "auditor@contoso.com", Roles: []string{store.RoleViewOnlyOrganizationManagement}, Audience: exoAudience}
	helpdesk   = adminapi.Caller{ObjectID: "oid-helpdesk", UPN: "helpdesk@contoso.com", Roles: []string{store.RoleRecipientManagement}, Audience: exoAudience}
	compliance = adminapi.Caller{ObjectID: "oid-compliance", UPN: "compliance@contoso.com", Roles: []string{store.RoleComplianceAdministrator}, Audience: exoAudience}
	nobody     = adminapi.Caller{ObjectID: "oid-nobody", UPN: "user@contoso.com", Audience: exoAudience}
)

type fixture struct {
	t   testing.TB
	ctx context.Context
	st  *store.Store
	e   *Engine // Exchange Online
	scc *Engine // Security & Compliance
}

// newFixture seeds a small tenant in a temporary store.
func newFixture(t testing.TB, mailboxes int) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "tenant.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	clock := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if _, err := store.Seed(ctx, st, store.SeedOptions{Mailboxes: mailboxes, Seed: 7, Now: clock}); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return clock }
	return &fixture{t: t, ctx: ctx, st: st, e: New(st, Options{Now: now}), scc: New(st, Options{Now: now, Compliance: true})}
}

// call is one invocation in a test.
type call struct {
	caller adminapi.Caller
	name   string
	params map[string]any
	whatIf bool
	scc    bool // on the Security & Compliance endpoint
	page   int
	cursor string
}

func (f *fixture) invoke(c call) (adminapi.Result, error) {
	f.t.Helper()
	if c.caller.Audience == "" {
		c.caller = admin
	}
	if c.params == nil {
		c.params = map[string]any{}
	}
	if c.page == 0 {
		c.page = adminapi.MaxPageSize
	}
	e := f.e
	if c.scc {
		e = f.scc
	}
	return e.Invoke(f.ctx, c.caller, adminapi.CmdletCall{Name: c.name, Params: c.params, WhatIf: c.whatIf},
		adminapi.Page{Cursor: c.cursor, MaxPageSize: c.page})
}

// run invokes and fails the test on error.
func (f *fixture) run(name string, params map[string]any) adminapi.Result {
	f.t.Helper()
	res, err := f.invoke(call{name: name, params: params})
	if err != nil {
		f.t.Fatalf("%s %v: %v", name, params, err)
	}
	return res
}

// all follows cursors and returns every record and the warnings of the
// last page.
func (f *fixture) all(c call) ([]adminapi.Record, []string) {
	f.t.Helper()
	var out []adminapi.Record
	for pages := 0; ; pages++ {
		if pages > 10000 {
			f.t.Fatal("paging does not end")
		}
		res, err := f.invoke(c)
		if err != nil {
			f.t.Fatalf("%s page %d: %v", c.name, pages, err)
		}
		if len(res.Records) > c.page && c.page > 0 {
			f.t.Fatalf("page of %d records exceeds page size %d", len(res.Records), c.page)
		}
		out = append(out, res.Records...)
		if res.NextCursor == "" {
			return out, res.Warnings
		}
		c.cursor = res.NextCursor
	}
}

// expectError asserts a *CmdletError of the given class.
func expectError(t testing.TB, err error, class string) *adminapi.CmdletError {
	t.Helper()
	var ce *adminapi.CmdletError
	if !errors.As(err, &ce) {
		t.Fatalf("want %s, got %v", class, err)
	}
	if ce.Class != class {
		t.Fatalf("want %s, got %s: %s", class, ce.Class, ce.Message)
	}
	return ce
}

func prop(rec adminapi.Record, name string) any {
	for _, p := range rec.Properties {
		if p.Name == name {
			return p.Value
		}
	}
	return fmt.Sprintf("<no property %s>", name)
}

func text(rec adminapi.Record, name string) string { return fmt.Sprint(prop(rec, name)) }

// mailboxes lists the active mailboxes of given kinds straight from the store.
func (f *fixture) mailboxes(types ...string) []store.Recipient {
	f.t.Helper()
	if len(types) == 0 {
		types = mailboxTypes
	}
	rs, err := f.st.ListRecipients(f.ctx, store.RecipientQuery{Types: types})
	if err != nil {
		f.t.Fatal(err)
	}
	return rs
}

func (f *fixture) newMailbox(name string, extra map[string]any) store.Recipient {
	f.t.Helper()
	props := map[string]any{"Name": name, "RecipientTypeDetails": "UserMailbox"}
	for k, v := range extra {
		props[k] = v
	}
	rc, err := f.st.NewRecipient(f.ctx, props)
	if err != nil {
		f.t.Fatal(err)
	}
	return rc
}
