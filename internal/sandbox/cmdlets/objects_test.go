package cmdlets

import (
	"strings"
	"testing"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/store"
)

func TestFolderPermissions(t *testing.T) {
	f := newFixture(t, 20)
	mbs := f.mailboxes("UserMailbox")
	mb, user := mbs[0], mbs[1]
	cal := mb.PrimarySMTPAddress + `:\Calendar`
	perms := f.run("Get-MailboxFolderPermission", map[string]any{"Identity": cal}).Records
	if text(perms[0], "User") != "Default" || text(perms[0], "AccessRights") != "[AvailabilityOnly]" || text(perms[0], "FolderName") != "Calendar" {
		t.Fatalf("default entry %v", perms[0].Properties)
	}
	add := map[string]any{"Identity": cal, "User": user.Alias, "AccessRights": []string{"Reviewer"}, "SharingPermissionFlags": "Delegate"}
	rec := f.run("Add-MailboxFolderPermission", add).Records[0]
	if text(rec, "User") != user.DisplayName || text(rec, "SharingPermissionFlags") != "Delegate" {
		t.Fatalf("added %v", rec.Properties)
	}
	_, err := f.invoke(call{name: "Add-MailboxFolderPermission", params: add})
	expectError(t, err, classFolderUserExists)
	f.run("Set-MailboxFolderPermission", map[string]any{"Identity": cal, "User": user.Alias, "AccessRights": []string{"Editor"}})
	got := f.run("Get-MailboxFolderPermission", map[string]any{"Identity": cal, "User": user.PrimarySMTPAddress}).Records
	if len(got) != 1 || text(got[0], "AccessRights") != "[Editor]" {
		t.Fatalf("after set: %v", got)
	}
	f.run("Set-MailboxFolderPermission", map[string]any{"Identity": cal, "User": "Default", "AccessRights": []string{"LimitedDetails"}})
	f.run("Remove-MailboxFolderPermission", map[string]any{"Identity": cal, "User": user.Alias})
	_, err = f.invoke(call{name: "Remove-MailboxFolderPermission", params: map[string]any{"Identity": cal, "User": user.Alias}})
	expectError(t, err, classFolderUserAbsent)
	_, err = f.invoke(call{name: "Set-MailboxFolderPermission", params: map[string]any{"Identity": cal, "User": user.Alias, "AccessRights": []string{"Editor"}}})
	expectError(t, err, classFolderUserAbsent)
	_, err = f.invoke(call{name: "Get-MailboxFolderPermission", params: map[string]any{"Identity": mb.Alias + `:\No Such Folder`}})
	expectError(t, err, adminapi.ClassObjectNotFound)
	_, err = f.invoke(call{name: "Add-MailboxFolderPermission", params: map[string]any{"Identity": cal, "User": user.Alias,
		"AccessRights": []string{"Reviewer"}, "SharingPermissionFlags": "Sometimes"}})
	expectError(t, err, classArgument)
}

func TestFolderStatistics(t *testing.T) {
	f := newFixture(t, 20)
	mb := f.mailboxes("UserMailbox")[0]
	all, _ := f.all(call{name: "Get-MailboxFolderStatistics", params: map[string]any{"Identity": mb.Alias}, page: 3})
	if len(all) < 7 || text(all[0], "FolderPath") != "/Top of Information Store" {
		t.Fatalf("folders %d, first %s", len(all), text(all[0], "FolderPath"))
	}
	inbox := f.run("Get-MailboxFolderStatistics", map[string]any{"Identity": mb.Alias, "FolderScope": "Inbox", "IncludeOldestAndNewestItems": true}).Records
	if len(inbox) != 1 || text(inbox[0], "Identity") != mb.Alias+`\Inbox` {
		t.Fatalf("inbox %v", inbox)
	}
	if _, ok := prop(inbox[0], "FolderSize").(adminapi.ByteQuantifiedSize); !ok {
		t.Fatalf("FolderSize is %T", prop(inbox[0], "FolderSize"))
	}
}

func TestMobileDeviceStatistics(t *testing.T) {
	f := newFixture(t, 40)
	for _, mb := range f.mailboxes("UserMailbox") {
		devices, err := f.st.MobileDevices(f.ctx, mb.Key)
		if err != nil {
			t.Fatal(err)
		}
		if len(devices) == 0 {
			continue
		}
		recs := f.run("Get-MobileDeviceStatistics", map[string]any{"Mailbox": mb.Alias}).Records
		if len(recs) != len(devices) || recs[0].Properties[0].Name != "FirstSyncTime" {
			t.Fatalf("%d records for %d devices", len(recs), len(devices))
		}
		one := f.run("Get-MobileDeviceStatistics", map[string]any{"Identity": devices[0].Identity}).Records
		if len(one) != 1 || text(one[0], "DeviceId") != devices[0].DeviceID {
			t.Fatalf("by identity: %v", one)
		}
		_, err = f.invoke(call{name: "Get-MobileDeviceStatistics", params: map[string]any{"Identity": "no-such-device"}})
		expectError(t, err, adminapi.ClassObjectNotFound)
		return
	}
	t.Skip("the seeded tenant has no mobile devices")
}

func TestDistributionGroups(t *testing.T) {
	f := newFixture(t, 30)
	list, _ := f.all(call{name: "Get-DistributionGroup", page: 5})
	if len(list) != len(f.mailboxes(groupTypes...)) || list[0].TypeNames[0] != "Microsoft.Exchange.Data.Directory.Management.DistributionGroup" {
		t.Fatalf("groups %d", len(list))
	}
	var g store.Recipient
	members := func() []string {
		recs, _ := f.all(call{name: "Get-DistributionGroupMember", params: map[string]any{"Identity": g.Alias,
			"ResultSize": adminapi.Unlimited{IsUnlimited: true}}, page: 2})
		var out []string
		for _, r := range recs {
			out = append(out, text(r, "Name"))
		}
		return out
	}
	var before []string
	var newcomer string
	for _, g = range f.mailboxes("MailUniversalDistributionGroup") {
		before = members()
		for _, mb := range f.mailboxes("UserMailbox") {
			if !containsFold(before, mb.Name) {
				newcomer = mb.Name
			}
		}
		if newcomer != "" {
			break
		}
	}
	f.run("Add-DistributionGroupMember", map[string]any{"Identity": g.Alias, "Member": newcomer})
	if after := members(); len(after) != len(before)+1 || !containsFold(after, newcomer) {
		t.Fatalf("after add: %v", after)
	}
	_, err := f.invoke(call{name: "Add-DistributionGroupMember", params: map[string]any{"Identity": g.Alias, "Member": newcomer}})
	ce := expectError(t, err, classMemberExists)
	if !strings.Contains(ce.Message, "is already a member of the group") {
		t.Fatalf("message %q", ce.Message)
	}
	f.run("Remove-DistributionGroupMember", map[string]any{"Identity": g.Alias, "Member": newcomer})
	_, err = f.invoke(call{name: "Remove-DistributionGroupMember", params: map[string]any{"Identity": g.Alias, "Member": newcomer}})
	expectError(t, err, classMemberNotFound)
	if len(before) > 1 {
		res := f.run("Get-DistributionGroupMember", map[string]any{"Identity": g.Alias, "ResultSize": adminapi.Unlimited{Value: 1}})
		if len(res.Records) != 1 || len(res.Warnings) != 1 {
			t.Fatalf("-ResultSize 1: %+v", res)
		}
	}
}

func TestUnifiedGroups(t *testing.T) {
	f := newFixture(t, 30)
	g := f.mailboxes("GroupMailbox")[0]
	rec := f.run("Get-UnifiedGroup", map[string]any{"Identity": g.PrimarySMTPAddress}).Records[0]
	if text(rec, "DisplayName") != g.DisplayName || rec.TypeNames[0] != "Microsoft.Exchange.Data.Directory.Management.UnifiedGroup" {
		t.Fatalf("group %v", rec.Properties[:3])
	}
	links := func(kind string) int {
		recs, _ := f.all(call{name: "Get-UnifiedGroupLinks", params: map[string]any{"Identity": g.Alias, "LinkType": kind}, page: 3})
		return len(recs)
	}
	owners := links("Owners")
	mb := f.mailboxes("UserMailbox")[3]
	f.run("Add-UnifiedGroupLinks", map[string]any{"Identity": g.Alias, "LinkType": "Owners", "Links": []any{mb.Alias}})
	f.run("Add-UnifiedGroupLinks", map[string]any{"Identity": g.Alias, "LinkType": "Owners", "Links": mb.Alias})
	if got := links("Owners"); got != owners+1 {
		t.Fatalf("owners %d, was %d", got, owners)
	}
	f.run("Remove-UnifiedGroupLinks", map[string]any{"Identity": g.Alias, "LinkType": "Owners", "Links": []any{mb.Alias}})
	if got := links("Owners"); got != owners {
		t.Fatalf("owners %d after remove, was %d", got, owners)
	}
}

func TestOrganizationCmdlets(t *testing.T) {
	f := newFixture(t, 10)
	domains := f.run("Get-AcceptedDomain", nil).Records
	var def string
	for _, d := range domains {
		if prop(d, "Default") == true {
			def = text(d, "DomainName")
		}
	}
	if def != "contoso.com" {
		t.Fatalf("default domain %q of %d", def, len(domains))
	}
	if one := f.run("Get-AcceptedDomain", map[string]any{"Identity": "CONTOSO.com"}).Records; len(one) != 1 {
		t.Fatalf("by identity: %d", len(one))
	}
	_, err := f.invoke(call{name: "Get-AcceptedDomain", params: map[string]any{"Identity": "fabrikam.com"}})
	expectError(t, err, adminapi.ClassObjectNotFound)

	cfg := f.run("Get-OrganizationConfig", nil).Records[0]
	if cfg.Properties[0].Name != "Name" || text(cfg, "DisplayName") == "" {
		t.Fatalf("config %v", cfg.Properties[:3])
	}
	was := prop(cfg, "AuditDisabled") == true
	f.run("Set-OrganizationConfig", map[string]any{"AuditDisabled": !was})
	if got := prop(f.run("Get-OrganizationConfig", nil).Records[0], "AuditDisabled"); got != !was {
		t.Fatalf("AuditDisabled = %v", got)
	}
	if res := f.run("Set-OrganizationConfig", map[string]any{"AuditDisabled": !was}); len(res.Warnings) != 1 {
		t.Fatalf("unchanged setting: %+v", res)
	}
}

func TestComplianceCmdlets(t *testing.T) {
	f := newFixture(t, 10)
	mb := f.mailboxes("UserMailbox")[0]
	sccRun := func(name string, params map[string]any) adminapi.Result {
		t.Helper()
		res, err := f.invoke(call{caller: compliance, scc: true, name: name, params: params})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return res
	}
	rec := sccRun("New-ComplianceSearch", map[string]any{"Name": "Invoices", "ExchangeLocation": []string{mb.Alias},
		"ContentMatchQuery": "subject:invoice"}).Records[0]
	if text(rec, "Status") != "NotStarted" || text(rec, "ExchangeLocation") != "["+mb.PrimarySMTPAddress+"]" || text(rec, "CreatedBy") != compliance.UPN {
		t.Fatalf("new search %v", rec.Properties)
	}
	_, err := f.invoke(call{caller: compliance, scc: true, name: "New-ComplianceSearch", params: map[string]any{"Name": "invoices"}})
	expectError(t, err, classComplianceExists)
	_, err = f.invoke(call{caller: compliance, scc: true, name: "New-ComplianceSearch", params: map[string]any{"Name": "x", "ExchangeLocation": []string{"ghost"}}})
	expectError(t, err, adminapi.ClassObjectNotFound)
	sccRun("New-ComplianceSearch", map[string]any{"Name": "Everything", "ExchangeLocation": []string{"all"}})
	sccRun("Start-ComplianceSearch", map[string]any{"Identity": "Invoices"})
	got := sccRun("Get-ComplianceSearch", map[string]any{"Identity": "Invoices"}).Records[0]
	if text(got, "Status") != "Completed" || text(got, "RunBy") != compliance.UPN {
		t.Fatalf("started search %v", got.Properties)
	}
	if list := sccRun("Get-ComplianceSearch", nil).Records; len(list) != 2 || text(list[0], "Name") != "Invoices" {
		t.Fatalf("searches %d", len(list))
	}
	sccRun("Remove-ComplianceSearch", map[string]any{"Identity": "Invoices"})
	_, err = f.invoke(call{caller: compliance, scc: true, name: "Get-ComplianceSearch", params: map[string]any{"Identity": "Invoices"}})
	expectError(t, err, adminapi.ClassObjectNotFound)

	if policies := sccRun("Get-RetentionCompliancePolicy", nil).Records; len(policies) != 3 {
		t.Fatalf("policies %d", len(policies))
	}
	labels := sccRun("Get-Label", nil).Records
	if one := sccRun("Get-Label", map[string]any{"Identity": "confidential"}).Records; len(labels) != 4 || text(one[0], "Name") != "Confidential" {
		t.Fatalf("labels %d", len(labels))
	}
}
