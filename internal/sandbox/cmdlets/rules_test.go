package cmdlets

import (
	"testing"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/store"
)

func TestInboxRules(t *testing.T) {
	f := newFixture(t, 10)
	mb := f.mailboxes("UserMailbox")[1]
	other := f.mailboxes("UserMailbox")[2]
	for _, name := range []string{"Newsletters", "Boss", "Spam"} {
		f.run("New-InboxRule", map[string]any{"Name": name, "Mailbox": mb.Name, "SubjectContainsWords": []string{name}, "MoveToFolder": "Archive"})
	}
	f.run("New-InboxRule", map[string]any{"Name": "Urgent", "Mailbox": mb.Name, "Priority": int64(0), "MarkImportance": "High"})
	f.run("New-InboxRule", map[string]any{"Name": "Boss", "Mailbox": other.Name, "ForwardTo": []string{"boss@partner.example"}})
	names := func(mailbox string) []string {
		recs, _ := f.all(call{name: "Get-InboxRule", params: map[string]any{"Mailbox": mailbox}})
		var out []string
		for _, r := range recs {
			out = append(out, text(r, "Name")+":"+text(r, "Enabled"))
		}
		return out
	}
	tests := []struct {
		name   string
		cmdlet string
		params map[string]any
		class  string
		want   string
	}{
		{"priority order", "", nil, "", "[Urgent:true Newsletters:true Boss:true Spam:true]"},
		{"disable by mailbox\\name", "Disable-InboxRule", map[string]any{"Identity": mb.Name + `\Boss`}, "", "[Urgent:true Newsletters:true Boss:false Spam:true]"},
		{"enable with -Mailbox", "Enable-InboxRule", map[string]any{"Identity": "Boss", "Mailbox": mb.Name}, "", "[Urgent:true Newsletters:true Boss:true Spam:true]"},
		{"move to the end", "Set-InboxRule", map[string]any{"Identity": mb.Name + `\Urgent`, "Priority": int64(3)}, "", "[Newsletters:true Boss:true Spam:true Urgent:true]"},
		{"remove", "Remove-InboxRule", map[string]any{"Identity": mb.Name + `\Spam`}, "", "[Newsletters:true Boss:true Urgent:true]"},
		{"unknown rule", "Remove-InboxRule", map[string]any{"Identity": mb.Name + `\Nope`}, adminapi.ClassObjectNotFound, "[Newsletters:true Boss:true Urgent:true]"},
		{"duplicate name", "New-InboxRule", map[string]any{"Name": "Boss", "Mailbox": mb.Name}, classAlreadyExists, "[Newsletters:true Boss:true Urgent:true]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.cmdlet != "" {
				_, err := f.invoke(call{name: tt.cmdlet, params: tt.params})
				if tt.class != "" {
					expectError(t, err, tt.class)
				} else if err != nil {
					t.Fatal(err)
				}
			}
			if got := names(mb.Name); fmtList(got) != tt.want {
				t.Errorf("rules %v, want %s", got, tt.want)
			}
		})
	}
	if got := names(other.Name); fmtList(got) != "[Boss:true]" {
		t.Errorf("other mailbox's rules %v", got)
	}
	rec := f.run("Get-InboxRule", map[string]any{"Identity": mb.Name + `\Newsletters`}).Records[0]
	if text(rec, "MoveToFolder") != "Archive" || text(rec, "MailboxOwnerId") != identityOf(&mb) {
		t.Errorf("rule %v", rec)
	}
}

func TestTransportRules(t *testing.T) {
	f := newFixture(t, 5)
	seeded, err := f.st.Objects(f.ctx, store.ObjectQuery{Kind: store.KindTransportRule})
	if err != nil || len(seeded) == 0 {
		t.Fatalf("seeded rules: %v", err)
	}
	for _, o := range seeded { // start from an organization without rules
		if err := f.st.RemoveObject(f.ctx, o.Key); err != nil {
			t.Fatal(err)
		}
	}
	f.run("New-TransportRule", map[string]any{"Name": "Disclaimer", "ApplyHtmlDisclaimerText": "<p>Confidential</p>", "SentToScope": "NotInOrganization"})
	f.run("New-TransportRule", map[string]any{"Name": "Block exe", "AttachmentHasExecutableContent": true, "DeleteMessage": true, "Priority": int64(0)})
	f.run("New-TransportRule", map[string]any{"Name": "Tag external", "PrependSubject": "[EXT] ", "Enabled": false})
	list := func(params map[string]any) string {
		recs, _ := f.all(call{name: "Get-TransportRule", params: params})
		var out []string
		for _, r := range recs {
			out = append(out, text(r, "Name")+":"+text(r, "State")+":"+text(r, "Priority"))
		}
		return fmtList(out)
	}
	if got := list(nil); got != "[Block exe:Enabled:0 Disclaimer:Enabled:1 Tag external:Disabled:2]" {
		t.Errorf("rules %s", got)
	}
	if got := list(map[string]any{"State": "Disabled"}); got != "[Tag external:Disabled:2]" {
		t.Errorf("-State Disabled: %s", got)
	}
	f.run("Enable-TransportRule", map[string]any{"Identity": "Tag external"})
	f.run("Set-TransportRule", map[string]any{"Identity": "Disclaimer", "Mode": "Audit", "Priority": int64(0)})
	if got := list(nil); got != "[Disclaimer:Enabled:0 Block exe:Enabled:1 Tag external:Enabled:2]" {
		t.Errorf("after changes: %s", got)
	}
	if _, err := f.invoke(call{name: "Remove-TransportRule", params: map[string]any{"Identity": "Disclaimer"}, whatIf: true}); err != nil {
		t.Fatal(err)
	}
	f.run("Remove-TransportRule", map[string]any{"Identity": "Block exe"})
	if got := list(nil); got != "[Disclaimer:Enabled:0 Tag external:Enabled:1]" {
		t.Errorf("after remove: %s", got)
	}
	// Organization rules need organization rights.
	_, err = f.invoke(call{caller: helpdesk, name: "New-TransportRule", params: map[string]any{"Name": "x"}})
	expectError(t, err, adminapi.ClassCommandNotFound)
}

func fmtList(l []string) string {
	out := "["
	for i, s := range l {
		if i > 0 {
			out += " "
		}
		out += s
	}
	return out + "]"
}
