package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSeedLarge measures seeding a large tenant. It runs only when
// EXO_SEED_BENCH_MAILBOXES is set (e.g. 100000): too slow for go test.
func TestSeedLarge(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("EXO_SEED_BENCH_MAILBOXES"))
	if n == 0 {
		t.Skip("set EXO_SEED_BENCH_MAILBOXES to run")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tenant.db")
	if keep := os.Getenv("EXO_SEED_BENCH_DB"); keep != "" {
		path = keep // leave the database behind for inspection
	}
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = st.Close() }()
	start := time.Now()
	res, err := Seed(ctx, st, SeedOptions{Mailboxes: n, Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	fi, _ := os.Stat(path)
	t.Logf("seeded %d mailboxes in %v (%d MB); counts %v", n, elapsed, fi.Size()>>20, res.Counts)

	// Typical reads against the big tenant.
	timed := func(what string, fn func() error) {
		start := time.Now()
		if err := fn(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		t.Logf("%s: %v", what, time.Since(start))
	}
	var last Recipient
	timed("ListRecipients, first 1000", func() error {
		rs, err := st.ListRecipients(ctx, RecipientQuery{Limit: 1000})
		if err == nil {
			last = rs[len(rs)-1]
		}
		return err
	})
	timed("ListRecipients, next 1000 shared mailboxes", func() error {
		_, err := st.ListRecipients(ctx, RecipientQuery{Types: []string{"SharedMailbox"}, After: last.Key, Limit: 1000})
		return err
	})
	for _, id := range []string{"admin@contoso.com", last.GUID, last.Name, last.DistinguishedName} {
		timed("FindRecipient "+id, func() error { _, err := st.FindRecipient(ctx, id, RecipientQuery{}); return err })
	}
	allStaff, err := st.FindRecipient(ctx, "All Staff", RecipientQuery{})
	if err != nil {
		t.Fatal(err)
	}
	timed("GroupMembers All Staff, first 1000", func() error {
		_, err := st.GroupMembers(ctx, allStaff.Key, MemberQuery{Limit: 1000})
		return err
	})
	timed("MailboxStatistics+MailboxFolders", func() error {
		if _, err := st.MailboxStatistics(ctx, last.Key, false); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		_, err := st.MailboxFolders(ctx, last.Key, false)
		return err
	})
}

// dumpTables renders every row of every table, in a stable order.
func dumpTables(t *testing.T, st *Store) map[string][]string {
	t.Helper()
	ctx := context.Background()
	rows, err := st.db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	_ = rows.Close()
	out := map[string][]string{}
	for _, table := range tables {
		var cols int
		if err := st.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM pragma_table_info(?)`, table).Scan(&cols); err != nil {
			t.Fatal(err)
		}
		order := make([]string, cols)
		for i := range order {
			order[i] = strconv.Itoa(i + 1)
		}
		rows, err := st.db.QueryContext(ctx, `SELECT * FROM `+table+` ORDER BY `+strings.Join(order, ", "))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			vals := make([]any, cols)
			ptrs := make([]any, cols)
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out[table] = append(out[table], fmt.Sprintf("%v", vals))
		}
		_ = rows.Close()
	}
	return out
}

func seedInto(t *testing.T, opts SeedOptions) (*Store, Seeded) {
	t.Helper()
	st, _ := openTest(t)
	res, err := Seed(context.Background(), st, opts)
	if err != nil {
		t.Fatal(err)
	}
	return st, res
}

func TestSeedIsDeterministic(t *testing.T) {
	opts := SeedOptions{Mailboxes: 120, Seed: 7, TenantDomain: "example.com"}
	a, resA := seedInto(t, opts)
	b, resB := seedInto(t, opts)
	dumpA, dumpB := dumpTables(t, a), dumpTables(t, b)
	if len(dumpA["recipients"]) == 0 {
		t.Fatal("no recipients seeded")
	}
	for table, rows := range dumpA {
		if !slices.Equal(rows, dumpB[table]) {
			t.Errorf("table %s differs between two seeds with the same options", table)
		}
	}
	if resA.Tenant.ID != resB.Tenant.ID || resA.App.AppID != resB.App.AppID {
		t.Errorf("Seeded differs: %+v vs %+v", resA, resB)
	}

	c, resC := seedInto(t, SeedOptions{Mailboxes: 120, Seed: 8, TenantDomain: "example.com"})
	if resC.Tenant.ID == resA.Tenant.ID || slices.Equal(dumpTables(t, c)["recipients"], dumpA["recipients"]) {
		t.Error("a different seed built the same tenant")
	}
}

func TestSeedContent(t *testing.T) {
	st, res := seedInto(t, SeedOptions{Mailboxes: 200, Seed: 3})
	ctx := context.Background()
	if res.Counts["UserMailbox"] == 0 || res.Counts["SharedMailbox"] == 0 || res.Counts["MailContact"] == 0 ||
		res.Counts["GroupMailbox"] == 0 || res.Counts["MailUniversalSecurityGroup"] == 0 || res.Counts["GuestMailUser"] == 0 {
		t.Errorf("missing kinds: %v", res.Counts)
	}
	mailboxes := res.Counts["UserMailbox"] + res.Counts["SharedMailbox"] + res.Counts["RoomMailbox"] + res.Counts["EquipmentMailbox"]
	if mailboxes != 200 {
		t.Errorf("%d mailboxes, want 200", mailboxes)
	}
	if _, err := Seed(ctx, st, SeedOptions{Mailboxes: 5}); !errors.Is(err, ErrConflict) {
		t.Errorf("seeding twice: %v, want ErrConflict", err)
	}

	// The generator keeps references consistent although foreign keys are
	// off while it runs.
	rows, err := st.db.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	if rows.Next() {
		t.Error("foreign_key_check found dangling references")
	}
	_ = rows.Close()

	// Every mailbox has statistics whose counts its folders add up to.
	all, err := st.ListRecipients(ctx, RecipientQuery{Scope: ScopeAll})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, r := range all {
		kinds[r.RecipientTypeDetails] = true
		if !hasMailbox(r.RecipientTypeDetails) {
			continue
		}
		stats, err := st.MailboxStatistics(ctx, r.Key, false)
		if err != nil {
			t.Fatalf("%s: %v", r.Name, err)
		}
		folders, err := st.MailboxFolders(ctx, r.Key, false)
		if err != nil || len(folders) < len(coreFolders) {
			t.Fatalf("%s: %d folders, %v", r.Name, len(folders), err)
		}
		var items, size int64
		for _, f := range folders {
			if f.ParentKey == 0 && f.FolderType == "Root" {
				items, size = f.ItemsInFolderAndSubfolders, f.FolderAndSubfolderSize
			}
		}
		if items != stats["ItemCount"] || FormatBytes(size) != stats["TotalItemSize"] {
			t.Errorf("%s: folders hold %d items (%s), statistics say %v (%v)", r.Name, items, FormatBytes(size), stats["ItemCount"], stats["TotalItemSize"])
		}
		if g := propString(r.Props, "ArchiveGuid"); g != emptyGUID {
			if _, err := st.MailboxStatistics(ctx, r.Key, true); err != nil {
				t.Errorf("%s: archive statistics: %v", r.Name, err)
			}
		}
		if r.Inactive && !(r.Props["LitigationHoldEnabled"] == true && r.SoftDeleted) {
			t.Errorf("%s: inactive without hold or soft delete", r.Name)
		}
	}
	for _, k := range []string{"UserMailbox", "SharedMailbox", "RoomMailbox", "EquipmentMailbox", "MailUser", "GuestMailUser",
		"MailContact", "MailUniversalDistributionGroup", "MailUniversalSecurityGroup", "GroupMailbox"} {
		if !kinds[k] {
			t.Errorf("no %s seeded", k)
		}
	}
	var archived, held, inactive, softDeleted, devices, delegated int
	for _, r := range all {
		if r.Props["ArchiveStatus"] == "Active" {
			archived++
		}
		if r.Props["LitigationHoldEnabled"] == true {
			held++
		}
		if r.Inactive {
			inactive++
		}
		if r.SoftDeleted {
			softDeleted++
		}
		if d, _ := st.MobileDevices(ctx, r.Key); len(d) > 0 {
			devices++
		}
		if p, _ := st.MailboxPermissions(ctx, r.Key); len(p) > 1 {
			delegated++
		}
	}
	if archived == 0 || held == 0 || inactive == 0 || softDeleted <= inactive || devices == 0 || delegated == 0 {
		t.Errorf("archived %d, held %d, inactive %d, soft-deleted %d, with devices %d, delegated %d: want all > 0",
			archived, held, inactive, softDeleted, devices, delegated)
	}

	// Principals: the four admins sign in with the seed password.
	roles := map[string]string{
		"admin@contoso.com": RoleOrganizationManagement, "auditor@contoso.com": RoleViewOnlyOrganizationManagement,
		"helpdesk@contoso.com": RoleRecipientManagement, "compliance@contoso.com": RoleComplianceAdministrator,
	}
	for upn, role := range roles {
		u, err := st.VerifyPassword(ctx, upn, SeedPassword)
		if err != nil || !slices.Equal(u.Roles, []string{role}) {
			t.Errorf("%s: %+v, %v", upn, u, err)
			continue
		}
		mbx, err := st.FindRecipient(ctx, upn, RecipientQuery{})
		if err != nil || mbx.ExternalDirectoryObjectID != u.ObjectID {
			t.Errorf("%s: mailbox %v (%v) does not match principal %s", upn, mbx.ExternalDirectoryObjectID, err, u.ObjectID)
		}
	}
	app, err := st.AppByID(ctx, res.App.AppID)
	if err != nil || !slices.Equal(app.Roles, []string{RoleOrganizationManagement}) || len(app.Certificates) != 0 {
		t.Errorf("app: %+v, %v", app, err)
	}
	cfg, err := st.OrganizationConfig(ctx)
	if err != nil || cfg["Name"] != "contoso.onmicrosoft.com" {
		t.Errorf("organization config: %v, %v", cfg["Name"], err)
	}
	tenant, err := st.Tenant(ctx)
	if err != nil || tenant.DefaultDomain() != "contoso.com" || tenant.InitialDomain != "contoso.onmicrosoft.com" || len(tenant.AcceptedDomains) != 2 {
		t.Errorf("tenant: %+v, %v", tenant, err)
	}
}
