package cmdlets

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/store"
)

// TestHTTPConfirmAndNotImplemented drives the engine through the protocol
// layer: the -Confirm validation call and -WhatIf answer with the
// cmdlet's message and change nothing; a published but unimplemented
// cmdlet is a 400 NotImplementedException.
func TestHTTPConfirmAndNotImplemented(t *testing.T) {
	f := newFixture(t, 10)
	tenant, err := f.st.Tenant(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	api, err := adminapi.New(adminapi.Config{Verifier: roleVerifier{tenant.ID}, Backend: f.e, Audience: exoAudience,
		LinkKey: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(api)
	defer srv.Close()
	invoke := srv.URL + "/adminapi/beta/" + tenant.InitialDomain + "/InvokeCommand"
	post := func(cmdlet string, params map[string]any) (int, http.Header, map[string]any) {
		body, _ := json.Marshal(map[string]any{"CmdletInput": map[string]any{"CmdletName": cmdlet, "Parameters": params}})
		req, _ := http.NewRequest(http.MethodPost, invoke, strings.NewReader(string(body)))
		req.Header.Set("Authorization", "Bearer "+store.RoleOrganizationManagement)
		req.Header.Set("Content-Type", "application/json")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var out map[string]any
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s: %d %s", cmdlet, resp.StatusCode, raw)
		}
		return resp.StatusCode, resp.Header, out
	}
	mb := f.mailboxes("UserMailbox")[2]
	tests := []struct {
		name    string
		cmdlet  string
		params  map[string]any
		message string
	}{
		{"confirm remove", "Remove-Mailbox", map[string]any{"Identity": mb.Name, "Confirm": true}, "Removing mailbox"},
		{"whatif update", "Update-DistributionGroupMember", map[string]any{"Identity": "All Staff", "Members": []string{mb.Name}, "WhatIf": true}, "Updating the membership"},
		{"confirm inbox rule", "New-InboxRule", map[string]any{"Name": "x", "Mailbox": mb.Name, "Confirm": true}, "Creating inbox rule"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, out := post(tt.cmdlet, tt.params)
			msg, _ := out["@adminapi.confirmationmessage"].(string)
			if status != 200 || !strings.Contains(msg, tt.message) {
				t.Errorf("%d %v", status, out)
			}
		})
	}
	if _, err := f.st.FindRecipient(f.ctx, mb.Name, store.RecipientQuery{}); err != nil {
		t.Errorf("validation call removed the mailbox: %v", err)
	}
	if members, _ := f.all(call{name: "Get-DistributionGroupMember", params: map[string]any{"Identity": "All Staff"}}); len(members) < 2 {
		t.Errorf("WhatIf replaced the membership: %d members", len(members))
	}
	audited := f.run("Search-UnifiedAuditLog", auditWindow(nil))
	if len(audited.Records) != 0 {
		t.Errorf("validation calls audited: %d", len(audited.Records))
	}
	status, h, out := post("Get-HostedConnectionFilterPolicy", map[string]any{})
	if status != http.StatusBadRequest || h.Get("X-ExceptionType") != "NotImplementedException" ||
		!strings.Contains(jsonText(out), "is not implemented in the sandbox tenant") {
		t.Errorf("not implemented: %d %v %v", status, h, out)
	}
}
