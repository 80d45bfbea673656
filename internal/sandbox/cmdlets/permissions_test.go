package cmdlets

import (
	"slices"
	"strings"
	"testing"

	"github.com/openexo/exo/internal/sandbox/adminapi"
)

func TestMailboxPermissionRoundTrip(t *testing.T) {
	f := newFixture(t, 20)
	mbs := f.mailboxes("UserMailbox")
	mb, delegate := mbs[0], mbs[1]
	grant := map[string]any{"Identity": mb.Alias, "User": delegate.PrimarySMTPAddress, "AccessRights": []string{"FullAccess"}}

	res := f.run("Add-MailboxPermission", grant)
	if len(res.Records) != 1 || len(res.Warnings) != 0 || text(res.Records[0], "User") != delegate.UserPrincipalName ||
		text(res.Records[0], "AccessRights") != "[FullAccess]" {
		t.Fatalf("add: %+v", res)
	}
	again := f.run("Add-MailboxPermission", grant)
	if len(again.Records) != 1 || len(again.Warnings) != 1 || !strings.HasPrefix(again.Warnings[0], "The appropriate access control entry is already present") {
		t.Fatalf("add again: %+v", again)
	}
	users := func(params map[string]any) []string {
		var out []string
		for _, r := range f.run("Get-MailboxPermission", params).Records {
			out = append(out, text(r, "User"))
		}
		return out
	}
	if got := users(map[string]any{"Identity": mb.Alias}); !slices.Contains(got, delegate.UserPrincipalName) {
		t.Fatalf("Get-MailboxPermission: %v", got)
	}
	if got := users(map[string]any{"Identity": mb.Alias, "User": delegate.Alias}); !slices.Equal(got, []string{delegate.UserPrincipalName}) {
		t.Fatalf("Get-MailboxPermission -User: %v", got)
	}
	f.run("Remove-MailboxPermission", grant)
	if got := users(map[string]any{"Identity": mb.Alias, "User": delegate.Alias}); len(got) != 0 {
		t.Fatalf("after remove: %v", got)
	}
	_, err := f.invoke(call{name: "Remove-MailboxPermission", params: grant})
	ce := expectError(t, err, adminapi.ClassObjectNotFound)
	if !strings.Contains(ce.Message, "because the ACE doesn't exist on the object") {
		t.Fatalf("message %q", ce.Message)
	}
	_, err = f.invoke(call{name: "Add-MailboxPermission", params: map[string]any{"Identity": mb.Alias, "User": "ghost", "AccessRights": []string{"FullAccess"}}})
	expectError(t, err, adminapi.ClassObjectNotFound)
}

func TestRecipientPermissionRoundTrip(t *testing.T) {
	f := newFixture(t, 20)
	mbs := f.mailboxes("SharedMailbox", "UserMailbox")
	mb, trustee := mbs[0], mbs[1]
	grant := map[string]any{"Identity": mb.Alias, "Trustee": trustee.Alias, "AccessRights": []string{"SendAs"}}
	baseline, _ := f.all(call{name: "Get-RecipientPermission", page: 1})

	res := f.run("Add-RecipientPermission", grant)
	if len(res.Records) != 1 || text(res.Records[0], "Trustee") != trustee.UserPrincipalName || text(res.Records[0], "AccessControlType") != "Allow" {
		t.Fatalf("add: %+v", res)
	}
	if again := f.run("Add-RecipientPermission", grant); len(again.Warnings) != 1 || len(again.Records) != 1 {
		t.Fatalf("add again: %+v", again)
	}
	got := f.run("Get-RecipientPermission", map[string]any{"Identity": mb.Alias, "Trustee": trustee.UserPrincipalName}).Records
	if len(got) != 1 {
		t.Fatalf("Get-RecipientPermission -Trustee: %d", len(got))
	}
	// The tenant-wide listing, one entry per page, sees every entry once.
	all, _ := f.all(call{name: "Get-RecipientPermission", page: 1})
	if len(all) != len(baseline)+1 {
		t.Fatalf("tenant-wide listing: %d, was %d", len(all), len(baseline))
	}
	f.run("Remove-RecipientPermission", grant)
	_, err := f.invoke(call{name: "Remove-RecipientPermission", params: grant})
	expectError(t, err, adminapi.ClassObjectNotFound)
	if got := f.run("Get-RecipientPermission", map[string]any{"Identity": mb.Alias, "Trustee": trustee.Alias}).Records; len(got) != 0 {
		t.Fatalf("after remove: %d", len(got))
	}
}
