package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// openTest opens a fresh store in a temporary directory.
func openTest(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tenant.db")
	st, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st, path
}

// seededTest opens a store holding the default seeded tenant.
func seededTest(t *testing.T) (*Store, Seeded) {
	t.Helper()
	st, _ := openTest(t)
	res, err := SeedDefault(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	return st, res
}

func TestOpenCreatesSchema(t *testing.T) {
	st, _ := openTest(t)
	ctx := context.Background()
	var version int
	if err := st.db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	if version != schemaVersion {
		t.Errorf("user_version = %d, want %d", version, schemaVersion)
	}
	var mode string
	if err := st.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q (%v), want wal", mode, err)
	}
	var fk int
	if err := st.db.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d (%v), want 1", fk, err)
	}
	for _, table := range []string{"tenant", "accepted_domains", "users", "apps", "app_certificates", "recipients",
		"recipient_addresses", "group_members", "mailbox_permissions", "recipient_permissions", "mailbox_folders",
		"folder_permissions", "mobile_devices", "mailbox_statistics", "organization_config", "templates"} {
		var n int
		if err := st.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s missing (%v)", table, err)
		}
	}
	var templates int
	if err := st.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM templates`).Scan(&templates); err != nil || templates != len(builtinTemplates()) {
		t.Errorf("templates = %d (%v), want %d", templates, err, len(builtinTemplates()))
	}
	if _, err := st.Tenant(ctx); !errors.Is(err, ErrNoTenant) {
		t.Errorf("Tenant on a new store: %v, want ErrNoTenant", err)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	st, path := openTest(t)
	if _, err := st.db.Exec(`PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	_ = st.Close()
	if st2, err := Open(context.Background(), path); err == nil {
		_ = st2.Close()
		t.Fatal("Open accepted a newer schema")
	}
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	st, path := openTest(t)
	seeded, err := SeedDefault(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	r, err := st.FindRecipient(ctx, "admin@contoso.com", RecipientQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.UpdateRecipientProps(ctx, r.Key, map[string]any{"Department": "Reopened"}); err != nil {
		t.Fatal(err)
	}
	before, err := st.ListRecipients(ctx, RecipientQuery{Scope: ScopeAll})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = st2.Close() }()
	tenant, err := st2.Tenant(ctx)
	if err != nil || tenant.ID != seeded.Tenant.ID {
		t.Fatalf("tenant after reopen = %+v, %v; want ID %s", tenant, err, seeded.Tenant.ID)
	}
	after, err := st2.ListRecipients(ctx, RecipientQuery{Scope: ScopeAll})
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Fatalf("%d recipients after reopen, want %d", len(after), len(before))
	}
	for i := range before {
		if a, b := mustEncodeTest(t, after[i].Props), mustEncodeTest(t, before[i].Props); a != b {
			t.Fatalf("recipient %d differs after reopen", before[i].Key)
		}
	}
	got, err := st2.Recipient(ctx, r.Key)
	if err != nil || got.Props["Department"] != "Reopened" {
		t.Errorf("Department after reopen = %v, %v", got.Props["Department"], err)
	}
	if _, err := st2.VerifyPassword(ctx, "admin@contoso.com", SeedPassword); err != nil {
		t.Errorf("admin password after reopen: %v", err)
	}
}

func mustEncodeTest(t *testing.T, m map[string]any) string {
	t.Helper()
	s, err := encodeProps(m)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
