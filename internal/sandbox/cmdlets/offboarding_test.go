package cmdlets

import (
	"testing"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/store"
)

// TestOffboardingScript runs the steps of a typical offboarding script and
// checks the tenant state and the audit trail after it.
func TestOffboardingScript(t *testing.T) {
	f := newFixture(t, 80)
	var user store.Recipient
	m365 := 0
	// Pick a user who is in a Microsoft 365 group.
	for _, g := range f.mailboxes("GroupMailbox") {
		ms, _ := f.st.GroupMembers(f.ctx, g.Key, store.MemberQuery{})
		if len(ms) > 0 && user.Key == 0 {
			user = ms[0]
		}
	}
	if user.Key == 0 {
		t.Fatal("no Microsoft 365 group members seeded")
	}
	dn := propString(user.Props, "DistinguishedName")
	f.run("Set-Mailbox", map[string]any{"Identity": user.Name, "Type": "Shared"})
	groups, _ := f.all(call{name: "Get-Recipient", params: map[string]any{"Filter": "Members -eq '" + dn + "'", "ResultSize": adminapi.Unlimited{IsUnlimited: true}}})
	if len(groups) == 0 {
		t.Fatal("the user is in no group")
	}
	removed := 0
	for _, g := range groups {
		if text(g, "RecipientTypeDetails") == "GroupMailbox" {
			m365++
			f.run("Remove-UnifiedGroupLinks", map[string]any{"Identity": text(g, "Name"), "LinkType": "Members", "Links": []any{user.Name}})
		} else {
			f.run("Remove-DistributionGroupMember", map[string]any{"Identity": text(g, "Name"), "Member": user.Name})
		}
		removed++
	}
	f.run("Set-MailboxAutoReplyConfiguration", map[string]any{"Identity": user.Name, "AutoReplyState": "Enabled",
		"InternalMessage": "I have left the company.", "ExternalMessage": "I have left the company."})

	mb := f.run("Get-Mailbox", map[string]any{"Identity": user.Name}).Records[0]
	if text(mb, "RecipientTypeDetails") != "SharedMailbox" {
		t.Errorf("RecipientTypeDetails %s", text(mb, "RecipientTypeDetails"))
	}
	if left, _ := f.all(call{name: "Get-Recipient", params: map[string]any{"Filter": "Members -eq '" + dn + "'"}}); len(left) != 0 {
		t.Errorf("still in %d groups", len(left))
	}
	if m365 == 0 {
		t.Error("no Microsoft 365 group in the run")
	}
	oof := f.run("Get-MailboxAutoReplyConfiguration", map[string]any{"Identity": user.Name}).Records[0]
	if text(oof, "AutoReplyState") != "Enabled" {
		t.Errorf("AutoReplyState %s", text(oof, "AutoReplyState"))
	}
	audit := f.run("Search-UnifiedAuditLog", auditWindow(map[string]any{"ResultSize": int64(5000)}))
	if want := 2 + removed; len(audit.Records) != want {
		t.Errorf("%d audit records, want %d", len(audit.Records), want)
	}
}
