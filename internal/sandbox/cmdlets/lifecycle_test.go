package cmdlets

import (
	"testing"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/store"
)

func TestRecipientLifecycle(t *testing.T) {
	f := newFixture(t, 10)
	tests := []struct {
		name      string
		create    string
		params    map[string]any
		get       string
		getParams map[string]any
		wantType  string
		remove    string
	}{
		{"shared mailbox", "New-Mailbox", map[string]any{"Name": "sales.desk", "Shared": true, "PrimarySmtpAddress": "sales.desk@contoso.com"},
			"Get-Mailbox", nil, "SharedMailbox", "Remove-Mailbox"},
		{"user mailbox", "New-Mailbox", map[string]any{"Name": "new.hire", "MicrosoftOnlineServicesID": "new.hire@contoso.com",
			"Password": adminapi.SecureString("x"), "DisplayName": "New Hire"}, "Get-Mailbox", nil, "UserMailbox", "Remove-Mailbox"},
		{"room", "New-Mailbox", map[string]any{"Name": "room.7", "Room": true, "ResourceCapacity": int64(8)},
			"Get-Mailbox", nil, "RoomMailbox", "Remove-Mailbox"},
		{"contact", "New-MailContact", map[string]any{"Name": "Partner Pat", "ExternalEmailAddress": "pat@partner.example"},
			"Get-MailContact", nil, "MailContact", "Remove-MailContact"},
		{"mail user", "New-MailUser", map[string]any{"Name": "contractor.kim", "ExternalEmailAddress": "kim@vendor.example",
			"MicrosoftOnlineServicesID": "contractor.kim@contoso.com"}, "Get-MailUser", nil, "MailUser", "Remove-MailUser"},
		{"distribution group", "New-DistributionGroup", map[string]any{"Name": "Project X", "Type": "Security"},
			"Get-DistributionGroup", nil, "MailUniversalSecurityGroup", "Remove-DistributionGroup"},
		{"dynamic group", "New-DynamicDistributionGroup", map[string]any{"Name": "All Contacts", "IncludedRecipients": "MailContacts"},
			"Get-DynamicDistributionGroup", nil, "DynamicDistributionGroup", "Remove-DynamicDistributionGroup"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := tt.params["Name"].(string)
			if _, err := f.invoke(call{name: tt.create, params: tt.params, whatIf: true}); err != nil {
				t.Fatal(err)
			}
			if _, err := f.invoke(call{name: tt.get, params: map[string]any{"Identity": name}}); err == nil {
				t.Fatal("WhatIf created it")
			}
			res := f.run(tt.create, tt.params)
			if len(res.Records) != 1 || text(res.Records[0], "RecipientTypeDetails") != tt.wantType {
				t.Fatalf("created %v", res.Records)
			}
			got := f.run(tt.get, map[string]any{"Identity": name})
			if text(got.Records[0], "Name") != name {
				t.Fatalf("read back %v", text(got.Records[0], "Name"))
			}
			_, err := f.invoke(call{name: tt.create, params: tt.params})
			expectError(t, err, classAlreadyExists)
			f.run(tt.remove, map[string]any{"Identity": name})
			_, err = f.invoke(call{name: tt.get, params: map[string]any{"Identity": name}})
			expectError(t, err, adminapi.ClassObjectNotFound)
		})
	}
	// Removed mailboxes are soft-deleted.
	if res := f.run("Get-Mailbox", map[string]any{"Identity": "sales.desk", "SoftDeletedMailbox": true}); len(res.Records) != 1 {
		t.Error("removed mailbox not soft-deleted")
	}
}

func TestSetUserAndContact(t *testing.T) {
	f := newFixture(t, 10)
	mb := f.mailboxes("UserMailbox")[1]
	boss := f.mailboxes("UserMailbox")[2]
	f.run("Set-User", map[string]any{"Identity": mb.Name, "Department": "Finance", "Title": "Analyst", "Manager": boss.Name})
	got := f.run("Get-User", map[string]any{"Identity": mb.Name}).Records[0]
	if text(got, "Department") != "Finance" || text(got, "Title") != "Analyst" || text(got, "Manager") != identityOf(&boss) {
		t.Errorf("Get-User: %s %s %s", text(got, "Department"), text(got, "Title"), text(got, "Manager"))
	}
	res := f.run("Set-User", map[string]any{"Identity": mb.Name, "Department": "Finance"})
	if len(res.Warnings) != 1 {
		t.Errorf("no-op Set-User warnings %v", res.Warnings)
	}
	f.run("New-MailContact", map[string]any{"Name": "Vendor Val", "ExternalEmailAddress": "val@vendor.example"})
	f.run("Set-MailContact", map[string]any{"Identity": "Vendor Val", "CustomAttribute1": "vendor", "HiddenFromAddressListsEnabled": true})
	c := f.run("Get-MailContact", map[string]any{"Filter": "CustomAttribute1 -eq 'vendor'"})
	if len(c.Records) != 1 || prop(c.Records[0], "HiddenFromAddressListsEnabled") != true {
		t.Errorf("Get-MailContact -Filter: %v", c.Records)
	}
}

func TestUpdateDistributionGroupMember(t *testing.T) {
	f := newFixture(t, 20)
	f.e = New(f.st, Options{Now: f.e.now, MaxUpdateMembers: 4})
	users := f.mailboxes("UserMailbox")
	names := func(n int) []string {
		out := []string{}
		for _, u := range users[:n] {
			out = append(out, u.Name)
		}
		return out
	}
	f.run("New-DistributionGroup", map[string]any{"Name": "Team", "Members": names(2), "ManagedBy": []string{users[0].Name}})
	members := func() int {
		recs, _ := f.all(call{name: "Get-DistributionGroupMember", params: map[string]any{"Identity": "Team"}})
		return len(recs)
	}
	if members() != 2 {
		t.Fatalf("new group has %d members", members())
	}
	tests := []struct {
		name   string
		params map[string]any
		class  string
		want   int
	}{
		{"replace", map[string]any{"Members": names(4)}, "", 4},
		{"shrink", map[string]any{"Members": names(1)}, "", 1},
		{"edit", map[string]any{"Members": adminapi.MultiValuedDelta{Add: names(3)[1:]}}, "", 3},
		{"over the limit", map[string]any{"Members": names(5)}, classRecipientType, 3},
		{"unknown member", map[string]any{"Members": append(names(2), "ghost")}, adminapi.ClassObjectNotFound, 3},
		{"empty", map[string]any{"Members": []string{}}, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.params["Identity"] = "Team"
			_, err := f.invoke(call{name: "Update-DistributionGroupMember", params: tt.params})
			if tt.class != "" {
				expectError(t, err, tt.class)
			} else if err != nil {
				t.Fatal(err)
			}
			if got := members(); got != tt.want {
				t.Errorf("%d members, want %d", got, tt.want)
			}
		})
	}
}

func TestDynamicDistributionGroupMember(t *testing.T) {
	f := newFixture(t, 40)
	f.run("New-DynamicDistributionGroup", map[string]any{"Name": "Rooms", "IncludedRecipients": "Resources"})
	recs, _ := f.all(call{name: "Get-DynamicDistributionGroupMember", params: map[string]any{"Identity": "Rooms"}})
	if want := len(f.mailboxes("RoomMailbox", "EquipmentMailbox")); len(recs) != want {
		t.Errorf("%d members, want %d", len(recs), want)
	}
	_, err := f.invoke(call{name: "New-DynamicDistributionGroup", params: map[string]any{"Name": "Bad", "RecipientFilter": "NoSuchProperty -eq 1"}})
	expectError(t, err, adminapi.ClassParameterBinding)
}

func TestSetAndRemoveUnifiedGroup(t *testing.T) {
	f := newFixture(t, 60)
	g := f.mailboxes("GroupMailbox")[0]
	f.run("Set-UnifiedGroup", map[string]any{"Identity": g.Name, "AccessType": "Private", "CustomAttribute5": "finance"})
	got := f.run("Get-UnifiedGroup", map[string]any{"Filter": "CustomAttribute5 -eq 'finance'"})
	if len(got.Records) != 1 || text(got.Records[0], "AccessType") != "Private" {
		t.Fatalf("Get-UnifiedGroup: %v", got.Records)
	}
	f.run("Remove-UnifiedGroup", map[string]any{"Identity": g.Name})
	if _, err := f.invoke(call{name: "Get-UnifiedGroup", params: map[string]any{"Identity": g.Name}}); err == nil {
		t.Error("removed group still listed")
	}
	if res := f.run("Get-UnifiedGroup", map[string]any{"Identity": g.Name, "IncludeSoftDeletedGroups": true}); len(res.Records) != 1 {
		t.Error("removed group not soft-deleted")
	}
}

// TestMembershipFilters finds a user's groups the way offboarding scripts
// do: -Filter "Members -eq '<DN>'", and a group's members by MemberOfGroup.
func TestMembershipFilters(t *testing.T) {
	f := newFixture(t, 60)
	user := f.mailboxes("UserMailbox")[3]
	f.run("New-DistributionGroup", map[string]any{"Name": "Offboard A", "Members": []string{user.Name}})
	f.run("New-DistributionGroup", map[string]any{"Name": "Offboard B", "Members": []string{user.Name}})
	var want []string
	for _, g := range f.mailboxes(groupTypes...) {
		ms, err := f.st.GroupMembers(f.ctx, g.Key, store.MemberQuery{})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.Key == user.Key {
				want = append(want, g.Name)
			}
		}
	}
	dn := propString(user.Props, "DistinguishedName")
	recs, _ := f.all(call{name: "Get-DistributionGroup", params: map[string]any{"Filter": "Members -eq '" + dn + "'", "ResultSize": adminapi.Unlimited{IsUnlimited: true}}})
	var got []string
	for _, r := range recs {
		got = append(got, text(r, "Name"))
	}
	if len(got) < 2 || fmtList(got) != fmtList(want) {
		t.Errorf("groups of %s: %v, want %v", user.Name, got, want)
	}
	g, err := f.st.FindRecipient(f.ctx, "Offboard A", store.RecipientQuery{})
	if err != nil {
		t.Fatal(err)
	}
	members, _ := f.all(call{name: "Get-Recipient", params: map[string]any{"Filter": "MemberOfGroup -eq '" + propString(g.Props, "DistinguishedName") + "'"}})
	if len(members) != 1 || text(members[0], "Name") != user.Name {
		t.Errorf("members of Offboard A: %v", members)
	}
}
