package idp

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func getJSON(t *testing.T, e *testEnv, u string, wantStatus int) map[string]any {
	t.Helper()
	resp, err := e.client.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != wantStatus {
		t.Fatalf("GET %s: status %d, want %d", u, resp.StatusCode, wantStatus)
	}
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestOpenIDConfiguration(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	tests := []struct {
		tenant, issuer, tokenEndpoint string
	}{
		{tenantID, e.srv.URL + "/" + tenantID + "/v2.0", e.srv.URL + "/" + tenantID + "/oauth2/v2.0/token"},
		{"CONTOSO.onmicrosoft.com", e.srv.URL + "/" + tenantID + "/v2.0", e.srv.URL + "/" + tenantID + "/oauth2/v2.0/token"},
		{"organizations", e.srv.URL + "/{tenantid}/v2.0", e.srv.URL + "/organizations/oauth2/v2.0/token"},
		{"common", e.srv.URL + "/{tenantid}/v2.0", e.srv.URL + "/common/oauth2/v2.0/token"},
	}
	for _, tt := range tests {
		t.Run(tt.tenant, func(t *testing.T) {
			m := getJSON(t, e, e.authority(tt.tenant)+"/v2.0/.well-known/openid-configuration", http.StatusOK)
			if m["issuer"] != tt.issuer || m["token_endpoint"] != tt.tokenEndpoint {
				t.Errorf("issuer %v, token_endpoint %v", m["issuer"], m["token_endpoint"])
			}
			keys := getJSON(t, e, m["jwks_uri"].(string), http.StatusOK)
			k := keys["keys"].([]any)[0].(map[string]any)
			if k["kid"] != e.h.signer.kid || k["kty"] != "RSA" || k["n"] == "" {
				t.Errorf("jwk = %v", k)
			}
		})
	}
	t.Run("unknown tenant", func(t *testing.T) {
		m := getJSON(t, e, e.authority("fabrikam.onmicrosoft.com")+"/v2.0/.well-known/openid-configuration", http.StatusBadRequest)
		if m["error"] != "invalid_tenant" || !strings.HasPrefix(m["error_description"].(string), "AADSTS90002") {
			t.Errorf("body = %v", m)
		}
	})
}

func TestInstanceDiscovery(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	host := strings.TrimPrefix(e.srv.URL, "https://")
	q := func(authorize string) string {
		return e.srv.URL + "/common/discovery/instance?" + url.Values{"api-version": {"1.1"}, "authorization_endpoint": {authorize}}.Encode()
	}
	m := getJSON(t, e, q(e.authority("organizations")+"/oauth2/v2.0/authorize"), http.StatusOK)
	if m["tenant_discovery_endpoint"] != e.authority("organizations")+"/v2.0/.well-known/openid-configuration" {
		t.Errorf("tenant_discovery_endpoint = %v", m["tenant_discovery_endpoint"])
	}
	md := m["metadata"].([]any)[0].(map[string]any)
	if md["preferred_network"] != host || md["aliases"].([]any)[0] != host {
		t.Errorf("metadata = %v", md)
	}
	m = getJSON(t, e, q("https://login.example.com/organizations/oauth2/v2.0/authorize"), http.StatusBadRequest)
	if m["error"] != "invalid_instance" {
		t.Errorf("foreign host: %v", m)
	}
}

func TestUserRealm(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	for user, want := range map[string]string{adminUPN: "Managed", "someone@contoso.com": "Managed", "x@fabrikam.com": "Unknown"} {
		m := getJSON(t, e, e.srv.URL+"/common/UserRealm/"+url.PathEscape(user)+"?api-version=1.0", http.StatusOK)
		if m["account_type"] != want {
			t.Errorf("%s: account_type = %v, want %s", user, m["account_type"], want)
		}
	}
}

func TestJWKSMatchesEndpoint(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	resp, err := e.client.Get(e.authority("common") + "/discovery/v2.0/keys")
	if err != nil {
		t.Fatal(err)
	}
	if body := readBody(t, resp); body != string(e.h.JWKS()) {
		t.Errorf("served %s, JWKS() %s", body, e.h.JWKS())
	}
}
