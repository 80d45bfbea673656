package cmdlets

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/store"
)

// roleVerifier accepts any token naming a role group: "Bearer <role>".
type roleVerifier struct{ tenant string }

func (v roleVerifier) Verify(_ context.Context, token, audience string) (adminapi.Caller, error) {
	return adminapi.Caller{TenantID: v.tenant, ObjectID: "oid-" + token, UPN: "someone@contoso.com",
		Roles: []string{token}, Audience: audience}, nil
}

// TestHTTPGetMailboxPaging runs the engine behind the real protocol layer
// and pages Get-Mailbox -ResultSize Unlimited the way the module does.
func TestHTTPGetMailboxPaging(t *testing.T) {
	f := newFixture(t, 60)
	tenant, err := f.st.Tenant(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	api, err := adminapi.New(adminapi.Config{Verifier: roleVerifier{tenant.ID}, Backend: f.e, Audience: exoAudience,
		SecretKeys: nil, LinkKey: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(api)
	defer srv.Close()

	post := func(url, role, body string) map[string]any {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+role)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Prefer", "odata.maxpagesize=7")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var out map[string]any
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("status %d: %s", resp.StatusCode, raw)
		}
		out["status"] = float64(resp.StatusCode)
		return out
	}
	invoke := srv.URL + "/adminapi/beta/" + tenant.InitialDomain + "/InvokeCommand"
	body := `{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":{"ResultSize":"Unlimited","ErrorAction":"Stop"}}}`

	seen := map[string]int{}
	pages := 0
	for url := invoke; url != ""; pages++ {
		page := post(url, store.RoleOrganizationManagement, body)
		if page["status"] != float64(200) {
			t.Fatalf("page %d: %v", pages, page)
		}
		values, _ := page["value"].([]any)
		if len(values) > 7 {
			t.Fatalf("page of %d objects", len(values))
		}
		for _, v := range values {
			obj := v.(map[string]any)
			if obj["Guid@odata.type"] != "#Guid" {
				t.Fatalf("Guid not annotated: %v", obj["Guid@odata.type"])
			}
			seen[obj["Guid"].(string)]++
		}
		url, _ = page["@odata.nextLink"].(string)
	}
	want := f.mailboxes()
	if len(seen) != len(want) || pages != (len(want)+6)/7 {
		t.Fatalf("%d distinct objects in %d pages, want %d", len(seen), pages, len(want))
	}
	for _, mb := range want {
		if seen[mb.GUID] != 1 {
			t.Fatalf("%s seen %d times", mb.Name, seen[mb.GUID])
		}
	}

	// Errors and RBAC come out as the service's envelopes.
	notFound := post(invoke, store.RoleOrganizationManagement, `{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":{"Identity":"ghost"}}}`)
	if notFound["status"] != float64(404) || !strings.Contains(jsonText(notFound), "ManagementObjectNotFoundException") {
		t.Fatalf("not found: %v", notFound)
	}
	refused := post(invoke, store.RoleViewOnlyOrganizationManagement, `{"CmdletInput":{"CmdletName":"Set-Mailbox","Parameters":{"Identity":"x","DisplayName":"y"}}}`)
	if refused["status"] != float64(403) {
		t.Fatalf("view-only Set-Mailbox: %v", refused)
	}

	// The catalogue generates a proxy module.
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/adminapi/v1.0/"+tenant.ID+"/EXOModuleFile?Version=3.7.2", nil)
	req.Header.Set("Authorization", "Bearer "+store.RoleOrganizationManagement)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(raw, []byte("Set-MailboxFolderPermission")) {
		t.Fatalf("EXOModuleFile: %d %.300s", resp.StatusCode, raw)
	}
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
