package adminapi

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
)

func TestAuthentication(t *testing.T) {
	e := newEnv(t, 1)
	claims := base64.StdEncoding.EncodeToString([]byte(`{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}`))
	cases := []struct {
		name      string
		auth      string
		path      string
		status    int
		challenge []string // substrings of WWW-Authenticate
		absent    string
	}{
		{"missing token", "", invokeURL(testTenant), 401, []string{"Bearer ", `client_id="00000002-0000-0ff1-ce00-000000000000"`, `authorization_uri="`}, "error="},
		{"not a bearer token", "Basic dXNlcjpwYXNz", invokeURL(testTenant), 401, []string{"Bearer "}, "error="},
		{"invalid token", "Bearer junk", invokeURL(testTenant), 401, []string{`error="invalid_token"`}, "claims="},
		{"expired token", "Bearer " + tokExpired, invokeURL(testTenant), 401, []string{`error="invalid_token"`}, "claims="},
		{"wrong audience", "Bearer " + tokWrongAud, invokeURL(testTenant), 401, []string{`error="invalid_token"`}, ""},
		{"revoked session (CAE)", "Bearer " + tokRevoked, invokeURL(testTenant), 401, []string{`error="insufficient_claims"`, `claims="` + claims + `"`}, ""},
		{"other tenant's token", "Bearer " + tokOtherTenant, invokeURL(testTenant), 403, nil, ""},
		{"unknown tenant", "Bearer " + tokAdmin, invokeURL("nowhere.onmicrosoft.com"), 403, nil, ""},
		{"tenant by GUID", "Bearer " + tokAdmin, invokeURL(testTenant), 200, nil, ""},
		{"tenant by domain", "Bearer " + tokAdmin, invokeURL(testDomain), 200, nil, ""},
		{"banner needs a token", "", "/AdminApi/beta/" + testTenant + "/EXOBanner('AutogenSession')?Version=3.7.2", 401, []string{"Bearer "}, ""},
		{"module file needs a token", "", "/AdminApi/v1.0/" + testTenant + "/EXOModuleFile?Version=3.7.2", 401, []string{"Bearer "}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			method, body := http.MethodPost, cmdletBody("Get-Mailbox", nil)
			if !strings.Contains(tc.path, "InvokeCommand") {
				method, body = http.MethodGet, nil
			}
			hdr := map[string]string{}
			if tc.auth != "" {
				hdr["Authorization"] = tc.auth
			}
			resp, data := e.do(t, method, tc.path, "", body, hdr)
			wantStatus(t, resp, data, tc.status)
			www := resp.Header.Get("WWW-Authenticate")
			for _, s := range tc.challenge {
				if !strings.Contains(www, s) {
					t.Errorf("WWW-Authenticate %q lacks %q", www, s)
				}
			}
			if tc.absent != "" && strings.Contains(www, tc.absent) {
				t.Errorf("WWW-Authenticate %q should not contain %q", www, tc.absent)
			}
			if tc.status == 401 {
				// A body is what makes the real module retry with new claims.
				if decodeEnvelope(t, data).Error.Code != "Unauthorized" || resp.Header.Get("x-ms-diagnostics") == "" {
					t.Errorf("401 body %s, x-ms-diagnostics %q", data, resp.Header.Get("x-ms-diagnostics"))
				}
			}
			if resp.Header.Get("request-id") == "" || resp.Header.Get("Rate-Limit-Remaining") == "" {
				t.Errorf("common headers missing")
			}
		})
	}
}

func TestFrontDoorRedirect(t *testing.T) {
	e := newEnv(t, 1, func(c *Config) {
		c.ComplianceRegion = "nam12b"
		c.Audience = "https://ps.compliance.protection.outlook.com"
	})
	banner := "/adminapi/beta/" + testTenant + "/EXOBanner('AutogenSession')?Version=3.7.2"
	resp, body := e.do(t, http.MethodGet, banner, tokAdmin, nil, nil)
	wantStatus(t, resp, body, http.StatusFound)
	loc := resp.Header.Get("Location")
	wantLoc := e.url("/region/nam12b/adminapi/beta/" + testTenant + "/EXOBanner('AutogenSession')?Version=3.7.2")
	if loc != wantLoc {
		t.Fatalf("Location %q, want %q", loc, wantLoc)
	}
	base := strings.TrimSuffix(loc, "/adminapi/beta/"+testTenant+"/EXOBanner('AutogenSession')?Version=3.7.2")

	// Without the token the front door does not say where to go.
	resp, body = e.do(t, http.MethodGet, loc, "", nil, nil)
	wantStatus(t, resp, body, http.StatusUnauthorized)
	// Following the Location with the Authorization header works ...
	resp, body = e.do(t, http.MethodGet, loc, tokAdmin, nil, nil)
	wantStatus(t, resp, body, http.StatusOK)
	// ... and the regional base serves everything else.
	resp, body = e.do(t, http.MethodPost, base+invokeURL(testTenant), tokAdmin, cmdletBody("Get-Mailbox", nil), map[string]string{"Prefer": "odata.maxpagesize=1"})
	wantStatus(t, resp, body, http.StatusOK)
	if ctx := decodePage(t, body).Context; !strings.HasPrefix(ctx, base+"/adminapi/beta/") {
		t.Errorf("@odata.context %q is not on the regional base", ctx)
	}
	// A POST to the front door is redirected too; a wrong region is corrected.
	resp, body = e.do(t, http.MethodPost, invokeURL(testTenant), tokAdmin, cmdletBody("Get-Mailbox", nil), nil)
	wantStatus(t, resp, body, http.StatusFound)
	resp, body = e.do(t, http.MethodPost, "/region/eur01/adminapi/beta/"+testTenant+"/InvokeCommand", tokAdmin, cmdletBody("Get-Mailbox", nil), nil)
	wantStatus(t, resp, body, http.StatusFound)
	if got := resp.Header.Get("Location"); got != base+invokeURL(testTenant) {
		t.Errorf("Location %q for a wrong region", got)
	}
}
