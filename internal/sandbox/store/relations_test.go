package store

import (
	"context"
	"errors"
	"slices"
	"testing"
)

// fixture makes a tenant with two user mailboxes, a distribution group and
// a Microsoft 365 group.
func fixture(t *testing.T) (st *Store, alice, bob, dg, m365 Recipient) {
	t.Helper()
	st = tenantTest(t)
	ctx := context.Background()
	mk := func(props map[string]any) Recipient {
		r, err := st.NewRecipient(ctx, props)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	alice = mk(map[string]any{"Name": "alice", "DisplayName": "Alice", "RecipientTypeDetails": "UserMailbox"})
	bob = mk(map[string]any{"Name": "bob", "DisplayName": "Bob", "RecipientTypeDetails": "UserMailbox"})
	dg = mk(map[string]any{"Name": "Sales", "RecipientTypeDetails": "MailUniversalDistributionGroup"})
	m365 = mk(map[string]any{"Name": "Project X", "RecipientTypeDetails": "GroupMailbox"})
	return st, alice, bob, dg, m365
}

func TestGroupMembers(t *testing.T) {
	st, alice, bob, dg, m365 := fixture(t)
	ctx := context.Background()
	steps := []struct {
		name          string
		group, member int64
		link          LinkType
		wantErr       error
	}{
		{"add alice", dg.Key, alice.Key, LinkMembers, nil},
		{"add bob", dg.Key, bob.Key, "", nil},
		{"add alice again", dg.Key, alice.Key, LinkMembers, ErrConflict},
		{"owner of a distribution group", dg.Key, alice.Key, LinkOwners, ErrInvalid},
		{"member of a mailbox", alice.Key, bob.Key, LinkMembers, ErrInvalid},
		{"missing member", dg.Key, 9999, LinkMembers, ErrNotFound},
		{"missing group", 9999, alice.Key, LinkMembers, ErrNotFound},
		{"owner of a Microsoft 365 group", m365.Key, bob.Key, LinkOwners, nil},
		{"bad link type", m365.Key, bob.Key, "Friends", ErrInvalid},
	}
	for _, s := range steps {
		if err := st.AddGroupMember(ctx, s.group, s.member, s.link); !errors.Is(err, s.wantErr) {
			t.Errorf("%s: error = %v, want %v", s.name, err, s.wantErr)
		}
	}
	members, err := st.GroupMembers(ctx, dg.Key, MemberQuery{})
	if err != nil || len(members) != 2 || members[0].Key != alice.Key || members[1].Key != bob.Key {
		t.Fatalf("members = %v, %v", members, err)
	}
	page, err := st.GroupMembers(ctx, dg.Key, MemberQuery{After: alice.Key, Limit: 1})
	if err != nil || len(page) != 1 || page[0].Key != bob.Key {
		t.Errorf("second page = %v, %v", page, err)
	}
	owners, err := st.GroupMembers(ctx, m365.Key, MemberQuery{Link: LinkOwners})
	if err != nil || len(owners) != 1 || owners[0].Key != bob.Key {
		t.Errorf("owners = %v, %v", owners, err)
	}
	// Soft-deleted members drop out unless asked for.
	if err := st.RemoveRecipient(ctx, bob.Key, false); err != nil {
		t.Fatal(err)
	}
	if m, _ := st.GroupMembers(ctx, dg.Key, MemberQuery{}); len(m) != 1 {
		t.Errorf("%d members after bob's soft delete, want 1", len(m))
	}
	if m, _ := st.GroupMembers(ctx, dg.Key, MemberQuery{IncludeSoftDeleted: true}); len(m) != 2 {
		t.Errorf("%d members including soft-deleted, want 2", len(m))
	}
	if err := st.RemoveGroupMember(ctx, dg.Key, alice.Key, LinkMembers); err != nil {
		t.Fatal(err)
	}
	if err := st.RemoveGroupMember(ctx, dg.Key, alice.Key, LinkMembers); !errors.Is(err, ErrNotFound) {
		t.Errorf("removing twice: %v", err)
	}
}

func TestMailboxAndRecipientPermissions(t *testing.T) {
	st, alice, bob, _, _ := fixture(t)
	ctx := context.Background()
	grant := MailboxPermission{MailboxKey: alice.Key, User: "bob@fabrikam.com", TrusteeKey: bob.Key, AccessRights: []string{"FullAccess"}}
	p, err := st.AddMailboxPermission(ctx, grant)
	if err != nil || p.InheritanceType != "All" {
		t.Fatalf("AddMailboxPermission = %+v, %v", p, err)
	}
	grant.AccessRights = []string{"fullaccess", "ReadPermission"}
	p, err = st.AddMailboxPermission(ctx, grant)
	if err != nil || !slices.Equal(p.AccessRights, []string{"FullAccess", "ReadPermission"}) {
		t.Errorf("merged rights = %v, %v", p.AccessRights, err)
	}
	if _, err := st.AddMailboxPermission(ctx, grant); !errors.Is(err, ErrConflict) {
		t.Errorf("granting again: %v, want ErrConflict", err)
	}
	if _, err := st.AddMailboxPermission(ctx, MailboxPermission{MailboxKey: 9999, User: "x", AccessRights: []string{"FullAccess"}}); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing mailbox: %v", err)
	}
	if err := st.RemoveMailboxPermission(ctx, alice.Key, "BOB@fabrikam.com", []string{"ReadPermission"}, false); err != nil {
		t.Fatal(err)
	}
	perms, _ := st.MailboxPermissions(ctx, alice.Key) // SELF, then bob
	if len(perms) != 2 || !slices.Equal(perms[1].AccessRights, []string{"FullAccess"}) || perms[1].TrusteeKey != bob.Key {
		t.Errorf("after removing ReadPermission: %+v", perms)
	}
	if err := st.RemoveMailboxPermission(ctx, alice.Key, "bob@fabrikam.com", nil, false); err != nil {
		t.Fatal(err)
	}
	if err := st.RemoveMailboxPermission(ctx, alice.Key, "bob@fabrikam.com", nil, false); !errors.Is(err, ErrNotFound) {
		t.Errorf("removing again: %v", err)
	}

	rp, err := st.AddRecipientPermission(ctx, RecipientPermission{RecipientKey: alice.Key, Trustee: "bob@fabrikam.com", TrusteeKey: bob.Key})
	if err != nil || !slices.Equal(rp.AccessRights, []string{"SendAs"}) || rp.AccessControlType != "Allow" {
		t.Fatalf("AddRecipientPermission = %+v, %v", rp, err)
	}
	if _, err := st.AddRecipientPermission(ctx, RecipientPermission{RecipientKey: alice.Key, Trustee: "bob@fabrikam.com"}); !errors.Is(err, ErrConflict) {
		t.Errorf("granting Send As again: %v", err)
	}
	// Purging the trustee leaves the entry, unlinked, as Exchange shows orphans.
	if err := st.RemoveRecipient(ctx, bob.Key, true); err != nil {
		t.Fatal(err)
	}
	rps, _ := st.RecipientPermissions(ctx, alice.Key) // SELF, then bob
	if len(rps) != 2 || rps[1].Trustee != "bob@fabrikam.com" || rps[1].TrusteeKey != 0 {
		t.Errorf("after purging the trustee: %+v", rps)
	}
	if err := st.RemoveRecipientPermission(ctx, alice.Key, "bob@fabrikam.com", []string{"SendAs"}); err != nil {
		t.Fatal(err)
	}
	if rps, _ := st.RecipientPermissions(ctx, alice.Key); len(rps) != 1 {
		t.Errorf("left: %+v", rps)
	}
}

func TestFolderPermissions(t *testing.T) {
	st, alice, bob, _, _ := fixture(t)
	ctx := context.Background()
	cal, err := st.FindFolder(ctx, alice.Key, "Calendar")
	if err != nil {
		t.Fatal(err)
	}
	perms, err := st.FolderPermissions(ctx, cal.Key)
	if err != nil || len(perms) != 2 || perms[0].User != "Default" || perms[0].AccessRights[0] != "AvailabilityOnly" || perms[1].User != "Anonymous" {
		t.Fatalf("default calendar permissions = %+v, %v", perms, err)
	}
	if err := st.SetFolderPermission(ctx, FolderPermission{FolderKey: cal.Key, User: "bob@fabrikam.com", TrusteeKey: bob.Key,
		AccessRights: []string{"Editor"}, SharingPermissionFlags: "Delegate"}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetFolderPermission(ctx, FolderPermission{FolderKey: cal.Key, User: "Default", AccessRights: []string{"LimitedDetails"}}); err != nil {
		t.Fatal(err)
	}
	perms, _ = st.FolderPermissions(ctx, cal.Key)
	if len(perms) != 3 || perms[0].AccessRights[0] != "LimitedDetails" || perms[2].DisplayName != "Bob" || perms[2].SharingPermissionFlags != "Delegate" {
		t.Errorf("permissions = %+v", perms)
	}
	if err := st.SetFolderPermission(ctx, FolderPermission{FolderKey: 9999, User: "x", AccessRights: []string{"Reviewer"}}); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing folder: %v", err)
	}
	if err := st.RemoveFolderPermission(ctx, cal.Key, "Default"); err != nil {
		t.Fatal(err)
	}
	if err := st.RemoveFolderPermission(ctx, cal.Key, "nobody"); !errors.Is(err, ErrNotFound) {
		t.Errorf("removing a missing entry: %v", err)
	}
	perms, _ = st.FolderPermissions(ctx, cal.Key)
	if perms[0].AccessRights[0] != "AvailabilityOnly" {
		t.Errorf("Default after removal = %v", perms[0].AccessRights)
	}
	if _, err := st.FindFolder(ctx, alice.Key, `\No Such Folder`); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing folder: %v", err)
	}
	root, err := st.FindFolder(ctx, alice.Key, `\`)
	if err != nil || root.FolderType != "Root" {
		t.Errorf("root = %+v, %v", root, err)
	}
}

func TestMobileDevices(t *testing.T) {
	st, _ := seedInto(t, SeedOptions{Mailboxes: 120, Seed: 5})
	ctx := context.Background()
	var dev MobileDevice
	users, err := st.ListRecipients(ctx, RecipientQuery{Types: []string{"UserMailbox"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		ds, err := st.MobileDevices(ctx, u.Key)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) > 0 {
			dev = ds[0]
			if u.Props["HasActiveSyncDevicePartnership"] != true {
				t.Errorf("%s has devices but no partnership flag", u.Name)
			}
			break
		}
	}
	if dev.Key == 0 {
		t.Fatal("no seeded mobile device")
	}
	if dev.Props["DeviceAccessState"] != "Allowed" || dev.Props["DeviceId"] != dev.DeviceID || dev.Props["OrganizationId"] == nil {
		t.Errorf("device props = %v", dev.Props)
	}
	for _, id := range []string{dev.GUID, dev.Identity, dev.DeviceID} {
		got, err := st.FindMobileDevice(ctx, id)
		if err != nil || got.Key != dev.Key {
			t.Errorf("FindMobileDevice(%q) = %d, %v", id, got.Key, err)
		}
	}
	if _, err := st.FindMobileDevice(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown device: %v", err)
	}
}

func TestTenantAndOrganizationConfig(t *testing.T) {
	st := tenantTest(t)
	ctx := context.Background()
	tenant, err := st.Tenant(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tenant.DefaultDomain() != "fabrikam.com" || len(tenant.AcceptedDomains) != 2 {
		t.Errorf("tenant = %+v", tenant)
	}
	if err := st.SetTenant(ctx, Tenant{ID: "nope", InitialDomain: "x.onmicrosoft.com"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad tenant ID: %v", err)
	}
	if _, err := st.OrganizationConfig(ctx); !errors.Is(err, ErrNotFound) {
		t.Errorf("config before any update: %v", err)
	}
	cfg, err := st.UpdateOrganizationConfig(ctx, map[string]any{"AuditDisabled": false, "MailTipsLargeAudienceThreshold": 25})
	if err != nil || cfg["MailTipsLargeAudienceThreshold"] != int64(25) {
		t.Fatalf("update = %v, %v", cfg, err)
	}
	cfg, err = st.UpdateOrganizationConfig(ctx, map[string]any{"AuditDisabled": true})
	if err != nil || cfg["AuditDisabled"] != true || cfg["MailTipsLargeAudienceThreshold"] != int64(25) {
		t.Errorf("merge = %v, %v", cfg, err)
	}
}
