package cmdlets

import (
	"testing"

	"github.com/openexo/exo/internal/sandbox/adminapi"
)

func TestRoleGroups(t *testing.T) {
	f := newFixture(t, 20)
	f.e = New(f.st, Options{Now: f.e.now, MaxUpdateMembers: 3})
	groups, _ := f.all(call{name: "Get-RoleGroup"})
	if len(groups) < 8 {
		t.Fatalf("%d role groups", len(groups))
	}
	users := f.mailboxes("UserMailbox")
	members := func() []string {
		recs, _ := f.all(call{name: "Get-RoleGroupMember", params: map[string]any{"Identity": "Help Desk"}})
		var out []string
		for _, r := range recs {
			out = append(out, text(r, "Name"))
		}
		return out
	}
	tests := []struct {
		name   string
		cmdlet string
		params map[string]any
		class  string
		want   []string
	}{
		{"add", "Add-RoleGroupMember", map[string]any{"Member": users[1].Name}, "", []string{users[1].Name}},
		{"add again", "Add-RoleGroupMember", map[string]any{"Member": users[1].Name}, classMemberExists, []string{users[1].Name}},
		{"update", "Update-RoleGroupMember", map[string]any{"Members": []string{users[2].Name, users[3].Name}}, "", []string{users[2].Name, users[3].Name}},
		{"update over the limit", "Update-RoleGroupMember", map[string]any{"Members": []string{users[1].Name, users[2].Name, users[3].Name, users[4].Name}},
			classRecipientType, []string{users[2].Name, users[3].Name}},
		{"remove", "Remove-RoleGroupMember", map[string]any{"Member": users[2].Name}, "", []string{users[3].Name}},
		{"remove absent", "Remove-RoleGroupMember", map[string]any{"Member": users[2].Name}, classMemberNotFound, []string{users[3].Name}},
		{"unknown group", "Get-RoleGroupMember", map[string]any{"Identity": "No Such Group"}, adminapi.ClassObjectNotFound, []string{users[3].Name}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := tt.params["Identity"]; !ok {
				tt.params["Identity"] = "Help Desk"
			}
			_, err := f.invoke(call{name: tt.cmdlet, params: tt.params})
			if tt.class != "" {
				expectError(t, err, tt.class)
			} else if err != nil {
				t.Fatal(err)
			}
			if got := members(); fmtList(got) != fmtList(tt.want) {
				t.Errorf("members %v, want %v", got, tt.want)
			}
		})
	}
	recs, _ := f.all(call{name: "Get-RoleGroupMember", params: map[string]any{"Identity": "Organization Management"}})
	if len(recs) != 1 || text(recs[0], "Name") != "admin" {
		t.Errorf("Organization Management members: %v", recs)
	}
}
