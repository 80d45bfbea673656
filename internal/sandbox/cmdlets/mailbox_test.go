package cmdlets

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/store"
)

func TestGetMailboxByIdentity(t *testing.T) {
	f := newFixture(t, 40)
	mb := f.mailboxes("UserMailbox")[0]
	for _, id := range []string{mb.UserPrincipalName, strings.ToUpper(mb.Alias), mb.Name, mb.ExchangeGUID, mb.GUID,
		mb.ExternalDirectoryObjectID, "smtp:" + mb.PrimarySMTPAddress} {
		t.Run(id, func(t *testing.T) {
			res := f.run("Get-Mailbox", map[string]any{"Identity": id})
			if len(res.Records) != 1 {
				t.Fatalf("got %d records", len(res.Records))
			}
			rec := res.Records[0]
			if text(rec, "Name") != mb.Name {
				t.Fatalf("Name = %s, want %s", text(rec, "Name"), mb.Name)
			}
			if rec.TypeNames[0] != "Microsoft.Exchange.Data.Directory.Management.Mailbox" {
				t.Fatalf("TypeNames = %v", rec.TypeNames)
			}
			var names []string
			for _, p := range rec.Properties[:4] {
				names = append(names, p.Name)
			}
			if !slices.Equal(names, []string{"ExternalDirectoryObjectId", "UserPrincipalName", "Alias", "DisplayName"}) {
				t.Fatalf("first properties %v", names)
			}
			if _, ok := prop(rec, "Guid").(uuid.UUID); !ok {
				t.Fatalf("Guid is %T", prop(rec, "Guid"))
			}
			if _, ok := prop(rec, "WhenCreated").(time.Time); !ok {
				t.Fatalf("WhenCreated is %T", prop(rec, "WhenCreated"))
			}
			if !strings.Contains(text(rec, "ProhibitSendQuota"), "bytes)") {
				t.Fatalf("ProhibitSendQuota = %v", prop(rec, "ProhibitSendQuota"))
			}
			if prop(rec, "ActiveSyncEnabled") != "<no property ActiveSyncEnabled>" {
				t.Fatal("Get-Mailbox prints a CAS property")
			}
		})
	}
}

func TestIdentityErrors(t *testing.T) {
	f := newFixture(t, 20)
	f.newMailbox("Twin One", map[string]any{"Alias": "twin"})
	f.newMailbox("Twin Two", map[string]any{"Alias": "twin", "UserPrincipalName": "twin2@contoso.com",
		"EmailAddresses": []string{"SMTP:twin2@contoso.com"}})
	tests := []struct {
		cmdlet, identity, class string
	}{
		{"Get-Mailbox", "nobody@contoso.com", adminapi.ClassObjectNotFound},
		{"Get-Recipient", "no such thing", adminapi.ClassObjectNotFound},
		{"Set-Mailbox", "ghost", adminapi.ClassObjectNotFound},
		{"Get-Mailbox", "twin", adminapi.ClassObjectAmbiguous},
		{"Get-Recipient", "twin", adminapi.ClassObjectAmbiguous},
		{"Get-MailboxStatistics", "twin", adminapi.ClassObjectAmbiguous},
	}
	for _, tt := range tests {
		t.Run(tt.cmdlet+" "+tt.identity, func(t *testing.T) {
			params := map[string]any{"Identity": tt.identity}
			if tt.cmdlet == "Set-Mailbox" {
				params["DisplayName"] = "x"
			}
			_, err := f.invoke(call{name: tt.cmdlet, params: params})
			ce := expectError(t, err, tt.class)
			switch tt.class {
			case adminapi.ClassObjectNotFound:
				want := "The operation couldn't be performed because object '" + tt.identity + "' couldn't be found on '"
				if !strings.HasPrefix(ce.Message, want) || !strings.HasSuffix(ce.Message, ".PROD.OUTLOOK.COM'.") {
					t.Fatalf("message %q", ce.Message)
				}
			case adminapi.ClassObjectAmbiguous:
				if ce.Message != "The operation couldn't be performed because '"+tt.identity+"' matches multiple entries." {
					t.Fatalf("message %q", ce.Message)
				}
			}
		})
	}
}

func TestGetMailboxFilters(t *testing.T) {
	f := newFixture(t, 60)
	shared := len(f.mailboxes("SharedMailbox"))
	tests := []struct {
		filter string
		want   int    // -1: don't check the count
		class  string // expected error class
		msg    string // in the error message
	}{
		{filter: "RecipientTypeDetails -eq 'SharedMailbox'", want: shared},
		{filter: "{RecipientTypeDetails -eq 'SharedMailbox' -and DisplayName -like '*'}", want: shared},
		{filter: "Name -like 'zzz*'", want: 0},
		{filter: "Name -eq", class: adminapi.ClassParameterBinding, msg: "Invalid filter syntax"},
		{filter: "ItemCount -gt 5", class: adminapi.ClassParameterBinding, msg: `"ItemCount" is not a recognized filterable property`},
		{filter: "LitigationHoldEnabled -eq 'maybe'", class: adminapi.ClassParameterBinding, msg: "could not be converted"},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			res, err := f.invoke(call{name: "Get-Mailbox", params: map[string]any{"Filter": tt.filter}})
			if tt.class != "" {
				ce := expectError(t, err, tt.class)
				if !strings.Contains(ce.Message, tt.msg) || !strings.HasPrefix(ce.Message, "Cannot bind parameter 'Filter' to the target.") || ce.Status != 400 {
					t.Fatalf("message %q status %d", ce.Message, ce.Status)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Records) != tt.want {
				t.Fatalf("got %d, want %d", len(res.Records), tt.want)
			}
		})
	}
}

func TestGetMailboxSelection(t *testing.T) {
	f := newFixture(t, 40)
	gone := f.newMailbox("Gone Away", nil)
	if err := f.st.RemoveRecipient(f.ctx, gone.Key, false); err != nil {
		t.Fatal(err)
	}
	held := f.newMailbox("Held Back", map[string]any{"LitigationHoldEnabled": true})
	if err := f.st.RemoveRecipient(f.ctx, held.Key, false); err != nil {
		t.Fatal(err)
	}
	f.newMailbox("Zebra Anrtest", map[string]any{"Alias": "zanr"})
	names := func(params map[string]any) []string {
		recs, _ := f.all(call{name: "Get-Mailbox", params: params, page: 1000})
		var out []string
		for _, r := range recs {
			out = append(out, text(r, "Name"))
		}
		return out
	}
	has := func(list []string, name string) bool { return slices.Contains(list, name) }
	all := names(map[string]any{"ResultSize": adminapi.Unlimited{IsUnlimited: true}})
	if has(all, "Gone Away") || has(all, "Held Back") || len(all) != len(f.mailboxes()) {
		t.Fatalf("default listing: %d mailboxes, soft-deleted included: %v", len(all), has(all, "Gone Away"))
	}
	if got := names(map[string]any{"SoftDeletedMailbox": true}); !has(got, "Gone Away") || !has(got, "Held Back") {
		t.Fatalf("-SoftDeletedMailbox: %v", got)
	}
	if got := names(map[string]any{"InactiveMailboxOnly": true}); !has(got, "Held Back") || has(got, "Gone Away") {
		t.Fatalf("-InactiveMailboxOnly: %v", got)
	}
	if got := names(map[string]any{"IncludeInactiveMailbox": true}); !has(got, "Held Back") || has(got, "Gone Away") || len(got) < len(all)+1 {
		t.Fatalf("-IncludeInactiveMailbox: %d", len(got))
	}
	if got := names(map[string]any{"Anr": "zebra"}); !slices.Equal(got, []string{"Zebra Anrtest"}) {
		t.Fatalf("-Anr zebra: %v", got)
	}
	if got := names(map[string]any{"Anr": "ZANR"}); !slices.Equal(got, []string{"Zebra Anrtest"}) {
		t.Fatalf("-Anr by alias: %v", got)
	}
	rooms := names(map[string]any{"RecipientTypeDetails": []string{"RoomMailbox"}})
	if len(rooms) != len(f.mailboxes("RoomMailbox")) {
		t.Fatalf("rooms: %d", len(rooms))
	}
	groups := names(map[string]any{"GroupMailbox": true})
	if len(groups) != len(f.mailboxes("GroupMailbox")) || len(groups) == 0 {
		t.Fatalf("group mailboxes: %d", len(groups))
	}
	var withArchive int
	for _, mb := range f.mailboxes() {
		if hasArchive(&mb) {
			withArchive++
		}
	}
	if got := names(map[string]any{"Archive": true}); len(got) != withArchive {
		t.Fatalf("-Archive: %d, want %d", len(got), withArchive)
	}
}

func TestResultSizeAndPaging(t *testing.T) {
	f := newFixture(t, 30)
	total := len(f.mailboxes())
	tests := []struct {
		name       string
		resultSize any
		page       int
		want       int
		warning    bool
	}{
		{"limit below total", adminapi.Unlimited{Value: 5}, 1000, 5, true},
		{"limit across pages", adminapi.Unlimited{Value: 12}, 5, 12, true},
		{"limit equals total", adminapi.Unlimited{Value: int64(total)}, 7, total, false},
		{"unlimited small pages", adminapi.Unlimited{IsUnlimited: true}, 4, total, false},
		{"default", nil, 1000, total, false},
		{"zero", adminapi.Unlimited{Value: 0}, 10, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			params := map[string]any{}
			if tt.resultSize != nil {
				params["ResultSize"] = tt.resultSize
			}
			c := call{name: "Get-Mailbox", params: params, page: tt.page}
			var recs []adminapi.Record
			var warnings []string
			for {
				res, err := f.invoke(c)
				if err != nil {
					t.Fatal(err)
				}
				if len(warnings) > 0 {
					t.Fatal("a warning came before the last page")
				}
				recs, warnings = append(recs, res.Records...), res.Warnings
				if res.NextCursor == "" {
					break
				}
				c.cursor = res.NextCursor
			}
			if len(recs) != tt.want {
				t.Fatalf("got %d records, want %d", len(recs), tt.want)
			}
			wantWarnings := []string(nil)
			if tt.warning {
				wantWarnings = []string{paginationWarning}
			}
			if !slices.Equal(warnings, wantWarnings) {
				t.Fatalf("warnings %q", warnings)
			}
		})
	}
}

func TestPagingWithConcurrentChanges(t *testing.T) {
	f := newFixture(t, 40)
	before := map[string]bool{}
	for _, mb := range f.mailboxes() {
		before[mb.GUID] = true
	}
	seen := map[string]int{}
	removed := map[string]bool{}
	c := call{name: "Get-Mailbox", params: map[string]any{"ResultSize": adminapi.Unlimited{IsUnlimited: true}}, page: 6}
	for i := 0; ; i++ {
		res, err := f.invoke(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, rec := range res.Records {
			seen[text(rec, "Guid")]++
		}
		if res.NextCursor == "" {
			break
		}
		c.cursor = res.NextCursor
		// Between pages: add two mailboxes, delete one already listed and
		// one not listed yet.
		f.newMailbox("Late Arrival "+string(rune('A'+i)), nil)
		f.newMailbox("Early Bird "+string(rune('A'+i)), nil)
		for _, mb := range f.mailboxes() {
			if before[mb.GUID] && !removed[mb.GUID] && seen[mb.GUID] == (i%2) {
				if err := f.st.RemoveRecipient(f.ctx, mb.Key, true); err != nil {
					t.Fatal(err)
				}
				removed[mb.GUID] = true
				break
			}
		}
	}
	for g, n := range seen {
		if n != 1 {
			t.Fatalf("%s listed %d times", g, n)
		}
	}
	for g := range before {
		if seen[g] == 0 && !removed[g] {
			t.Fatalf("%s was skipped", g)
		}
	}
}

func TestSetMailbox(t *testing.T) {
	f := newFixture(t, 20)
	mbs := f.mailboxes("UserMailbox")
	mb, other := mbs[0], mbs[1]
	id := mb.UserPrincipalName
	f.run("Set-Mailbox", map[string]any{
		"Identity": id, "DisplayName": "Renamed Person", "CustomAttribute7": "cost-42", "LitigationHoldEnabled": true,
		"HiddenFromAddressListsEnabled": true, "ForwardingSmtpAddress": "fwd@example.org", "DeliverToMailboxAndForward": true,
		"ProhibitSendQuota": "45GB", "GrantSendOnBehalfTo": []string{other.PrimarySMTPAddress},
		"EmailAddresses": adminapi.MultiValuedDelta{Add: []string{"smtp:extra@contoso.com"}},
	})
	rec := f.run("Get-Mailbox", map[string]any{"Identity": id}).Records[0]
	checks := map[string]string{
		"DisplayName": "Renamed Person", "CustomAttribute7": "cost-42", "LitigationHoldEnabled": "true",
		"HiddenFromAddressListsEnabled": "true", "ForwardingSmtpAddress": "smtp:fwd@example.org",
		"DeliverToMailboxAndForward": "true", "ProhibitSendQuota": "45 GB (48,318,382,080 bytes)",
		"GrantSendOnBehalfTo": "[" + other.Name + "]",
	}
	for k, want := range checks {
		if got := text(rec, k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if addrs := listOf(prop(rec, "EmailAddresses")); !containsFold(addrs, "smtp:extra@contoso.com") || !containsFold(addrs, "SMTP:"+mb.PrimarySMTPAddress) {
		t.Errorf("EmailAddresses %v", addrs)
	}
	// The added address now resolves to the mailbox.
	if got := f.run("Get-Mailbox", map[string]any{"Identity": "extra@contoso.com"}).Records[0]; text(got, "Guid") != mb.GUID {
		t.Error("added address does not resolve")
	}
	f.run("Set-Mailbox", map[string]any{"Identity": id, "EmailAddresses": adminapi.MultiValuedDelta{Remove: []string{"extra@contoso.com"}}})
	if addrs := listOf(prop(f.run("Get-Mailbox", map[string]any{"Identity": id}).Records[0], "EmailAddresses")); containsFold(addrs, "smtp:extra@contoso.com") {
		t.Errorf("address not removed: %v", addrs)
	}

	// Nothing to change: Exchange's warning and no write.
	res := f.run("Set-Mailbox", map[string]any{"Identity": id, "DisplayName": "Renamed Person"})
	if len(res.Warnings) != 1 || !strings.HasPrefix(res.Warnings[0], "The command completed successfully but no settings of") {
		t.Errorf("warnings %q", res.Warnings)
	}
	// Taking another recipient's address is refused.
	_, err := f.invoke(call{name: "Set-Mailbox", params: map[string]any{"Identity": id,
		"EmailAddresses": adminapi.MultiValuedDelta{Add: []string{other.PrimarySMTPAddress}}}})
	expectError(t, err, classDataValidation)
	_, err = f.invoke(call{name: "Set-Mailbox", params: map[string]any{"Identity": id, "ProhibitSendQuota": "lots"}})
	expectError(t, err, classDataValidation)
}

func TestWhatIfChangesNothing(t *testing.T) {
	f := newFixture(t, 20)
	mbs := f.mailboxes("UserMailbox")
	mb, other := mbs[0], mbs[1]
	groups := f.mailboxes("MailUniversalDistributionGroup")
	if _, err := f.invoke(call{scc: true, name: "New-ComplianceSearch", params: map[string]any{"Name": "keep"}}); err != nil {
		t.Fatal(err)
	}
	tests := []call{
		{name: "Set-Mailbox", params: map[string]any{"Identity": mb.Alias, "DisplayName": "Changed"}},
		{name: "Set-CASMailbox", params: map[string]any{"Identity": mb.Alias, "OWAEnabled": false}},
		{name: "Add-MailboxPermission", params: map[string]any{"Identity": mb.Alias, "User": other.Alias, "AccessRights": []string{"FullAccess"}}},
		{name: "Remove-MailboxPermission", params: map[string]any{"Identity": mb.Alias, "User": `NT AUTHORITY\SELF`, "AccessRights": []string{"FullAccess"}}},
		{name: "Add-RecipientPermission", params: map[string]any{"Identity": mb.Alias, "Trustee": other.Alias, "AccessRights": []string{"SendAs"}}},
		{name: "Add-MailboxFolderPermission", params: map[string]any{"Identity": mb.Alias + `:\Calendar`, "User": other.Alias, "AccessRights": []string{"Reviewer"}}},
		{name: "Add-DistributionGroupMember", params: map[string]any{"Identity": groups[0].Alias, "Member": other.Alias}},
		{name: "Set-OrganizationConfig", params: map[string]any{"AuditDisabled": true}},
		{name: "Remove-ComplianceSearch", params: map[string]any{"Identity": "keep"}, scc: true},
	}
	snapshot := func() string {
		var b strings.Builder
		for _, c := range []call{
			{name: "Get-Mailbox", params: map[string]any{"Identity": mb.Alias}},
			{name: "Get-CASMailbox", params: map[string]any{"Identity": mb.Alias}},
			{name: "Get-MailboxPermission", params: map[string]any{"Identity": mb.Alias}},
			{name: "Get-RecipientPermission", params: map[string]any{"Identity": mb.Alias}},
			{name: "Get-MailboxFolderPermission", params: map[string]any{"Identity": mb.Alias + `:\Calendar`}},
			{name: "Get-DistributionGroupMember", params: map[string]any{"Identity": groups[0].Alias}},
			{name: "Get-OrganizationConfig"},
			{name: "Get-ComplianceSearch", scc: true},
		} {
			res, err := f.invoke(c)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res.Records {
				for _, p := range r.Properties {
					if p.Name != "Date" {
						b.WriteString(p.Name + "=" + text(r, p.Name) + ";")
					}
				}
			}
		}
		return b.String()
	}
	want := snapshot()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.whatIf = true
			res, err := f.invoke(tt)
			if err != nil {
				t.Fatal(err)
			}
			if res.ConfirmationMessage == "" || len(res.Records) != 0 {
				t.Fatalf("result %+v", res)
			}
			if snapshot() != want {
				t.Fatal("-WhatIf changed the tenant")
			}
		})
	}
}

func TestCASMailbox(t *testing.T) {
	f := newFixture(t, 20)
	mb := f.mailboxes("UserMailbox")[0]
	popOff := call{name: "Get-CASMailbox", params: map[string]any{"Filter": "PopEnabled -eq $false"}, page: 100}
	before, _ := f.all(popOff)
	f.run("Set-CASMailbox", map[string]any{"Identity": mb.Alias, "PopEnabled": false, "ImapEnabled": false,
		"ActiveSyncBlockedDeviceIDs": adminapi.MultiValuedDelta{Add: []string{"DEV1"}}})
	rec := f.run("Get-CASMailbox", map[string]any{"Identity": mb.Alias}).Records[0]
	if rec.TypeNames[0] != "Microsoft.Exchange.Data.Directory.Management.CASMailbox" || prop(rec, "PopEnabled") != false ||
		prop(rec, "ImapEnabled") != false || text(rec, "ActiveSyncBlockedDeviceIDs") != "[DEV1]" {
		t.Fatalf("record %v", rec)
	}
	if after, _ := f.all(popOff); len(after) != len(before)+1 {
		t.Fatalf("filtered %d, was %d", len(after), len(before))
	}
}

func TestMailboxStatistics(t *testing.T) {
	f := newFixture(t, 20)
	mb := f.mailboxes("UserMailbox")[0]
	rec := f.run("Get-MailboxStatistics", map[string]any{"Identity": mb.PrimarySMTPAddress}).Records[0]
	if text(rec, "DisplayName") != mb.DisplayName || rec.Properties[0].Name != "DisplayName" {
		t.Fatalf("record %v", rec.Properties[:3])
	}
	if _, ok := prop(rec, "ItemCount").(int); !ok {
		t.Fatalf("ItemCount is %T", prop(rec, "ItemCount"))
	}
	for _, m := range f.mailboxes("UserMailbox") {
		_, err := f.invoke(call{name: "Get-MailboxStatistics", params: map[string]any{"Identity": m.Alias, "Archive": true}})
		if hasArchive(&m) {
			if err != nil {
				t.Fatal(err)
			}
		} else {
			expectError(t, err, adminapi.ClassObjectNotFound)
		}
	}
}

func TestGetRecipientAndUser(t *testing.T) {
	f := newFixture(t, 30)
	all, _ := f.all(call{name: "Get-Recipient", params: map[string]any{"ResultSize": adminapi.Unlimited{IsUnlimited: true}}, page: 50})
	rs, err := f.st.ListRecipients(f.ctx, store.RecipientQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(rs) || all[0].TypeNames[0] != "Microsoft.Exchange.Data.Directory.Management.ReducedRecipient" {
		t.Fatalf("Get-Recipient: %d of %d", len(all), len(rs))
	}
	contacts, _ := f.all(call{name: "Get-Recipient", params: map[string]any{"RecipientType": []string{"MailContact"}}, page: 1000})
	for _, c := range contacts {
		if text(c, "RecipientType") != "MailContact" {
			t.Fatalf("RecipientType %s", text(c, "RecipientType"))
		}
	}
	_, err = f.invoke(call{name: "Get-Recipient", params: map[string]any{"Filter": "Department -eq 'Sales'"}})
	if err != nil {
		t.Fatalf("Department is filterable on Get-Recipient: %v", err)
	}
	users, _ := f.all(call{name: "Get-User", params: map[string]any{"ResultSize": adminapi.Unlimited{IsUnlimited: true}}, page: 1000})
	for _, u := range users {
		if rt := text(u, "RecipientType"); rt != "UserMailbox" && rt != "MailUser" {
			t.Fatalf("Get-User returned a %s", rt)
		}
	}
	mb := f.mailboxes("UserMailbox")[0]
	u := f.run("Get-User", map[string]any{"Identity": mb.UserPrincipalName}).Records[0]
	if text(u, "UserPrincipalName") != mb.UserPrincipalName || u.TypeNames[0] != "Microsoft.Exchange.Data.Directory.Management.User" {
		t.Fatalf("Get-User %v", u.Properties[:3])
	}
}
