package idp

import (
	"context"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
	"github.com/golang-jwt/jwt/v5"
)

func TestMSALSeesEntraErrors(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ctx := context.Background()
	certCred := func(cc *x509.Certificate, key any) confidential.Credential {
		cred, err := confidential.NewCredFromCert([]*x509.Certificate{cc}, key)
		if err != nil {
			t.Fatal(err)
		}
		return cred
	}
	// assertion signs a client assertion by hand with the registered key.
	assertion := func(aud string, exp time.Time) confidential.Credential {
		return confidential.NewCredFromAssertionCallback(func(context.Context, confidential.AssertionRequestOptions) (string, error) {
			cert := registeredCert()
			tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
				"aud": aud, "iss": certAppID, "sub": certAppID, "jti": randomToken(8),
				"nbf": e.clock.Now().Add(-time.Minute).Unix(), "exp": exp.Unix(),
			})
			tok.Header["x5t"] = base64.RawURLEncoding.EncodeToString(sha1Sum(cert.Cert.Raw))
			return tok.SignedString(cert.Key)
		})
	}
	tokenEndpoint := e.authority(tenantID) + "/oauth2/v2.0/token"
	secret := func(s string) confidential.Credential {
		cred, err := confidential.NewCredFromSecret(s)
		if err != nil {
			t.Fatal(err)
		}
		return cred
	}
	appOnly := func(clientID, tenant string, cred confidential.Credential, scope string) error {
		_, err := e.confidentialClient(t, clientID, tenant, cred).AcquireTokenByCredential(ctx, []string{scope})
		return err
	}
	password := func(clientID, user, pw, scope string) error {
		_, err := ropc(ctx, e.publicClient(t, clientID, "organizations"), []string{scope}, user, pw)
		return err
	}
	tests := []struct {
		name string
		call func() error
		want []string
	}{
		{"wrong password", func() error { return password(ExchangePowerShellClientID, adminUPN, "nope", exchangeScope) },
			[]string{"invalid_grant", "AADSTS50126"}},
		{"unknown user", func() error { return password(ExchangePowerShellClientID, "nobody@contoso.com", "x", exchangeScope) },
			[]string{"invalid_grant", "AADSTS50034"}},
		{"disabled user", func() error { return password(ExchangePowerShellClientID, disabledUPN, adminPassword, exchangeScope) },
			[]string{"invalid_grant", "AADSTS50057"}},
		{"unknown public app", func() error {
			return password("11111111-2222-3333-4444-555555555555", adminUPN, adminPassword, exchangeScope)
		}, []string{"unauthorized_client", "AADSTS700016"}},
		{"confidential app without credential", func() error { return password(secretAppID, adminUPN, adminPassword, exchangeScope) },
			[]string{"invalid_client", "AADSTS7000218"}},
		{"unknown resource", func() error {
			return password(ExchangePowerShellClientID, adminUPN, adminPassword, "https://graph.microsoft.com/.default")
		}, []string{"invalid_resource", "AADSTS500011"}},
		{"bare scope", func() error { return password(ExchangePowerShellClientID, adminUPN, adminPassword, "User.Read") },
			[]string{"invalid_scope", "AADSTS70011"}},
		{"unknown permission", func() error {
			return password(ExchangePowerShellClientID, adminUPN, adminPassword, ExchangeResource+"/Mail.Send")
		}, []string{"invalid_scope", "AADSTS650053"}},
		{"unknown confidential app", func() error {
			return appOnly("11111111-2222-3333-4444-555555555555", tenantDomain, secret("x"), exchangeScope)
		}, []string{"unauthorized_client", "AADSTS700016"}},
		{"wrong secret", func() error { return appOnly(secretAppID, tenantDomain, secret("wrong"), exchangeScope) },
			[]string{"invalid_client", "AADSTS7000215"}},
		{"unregistered certificate", func() error {
			cc := unregisteredCert()
			return appOnly(certAppID, tenantDomain, certCred(cc.Cert, cc.Key), exchangeScope)
		}, []string{"invalid_client", "AADSTS700027", "not registered"}},
		{"app-only without .default", func() error {
			cc := registeredCert()
			return appOnly(certAppID, tenantDomain, certCred(cc.Cert, cc.Key), ExchangeResource+"/Exchange.Manage")
		}, []string{"invalid_scope", "AADSTS1002012"}},
		{"app-only on organizations", func() error {
			cc := registeredCert()
			return appOnly(certAppID, "organizations", certCred(cc.Cert, cc.Key), exchangeScope)
		}, []string{"invalid_request", "AADSTS50059"}},
		{"assertion for another audience", func() error {
			return appOnly(certAppID, tenantID, assertion("https://login.microsoftonline.com/"+tenantID+"/oauth2/v2.0/token", e.clock.Now().Add(time.Hour)), exchangeScope)
		}, []string{"invalid_client", "AADSTS50027"}},
		{"expired assertion", func() error {
			return appOnly(certAppID, tenantID, assertion(tokenEndpoint, e.clock.Now().Add(-time.Hour)), exchangeScope)
		}, []string{"invalid_client", "AADSTS700024"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q: %v", w, err)
				}
			}
		})
	}
	t.Run("hand-made RS256 assertion with x5t is accepted", func(t *testing.T) {
		if err := appOnly(certAppID, tenantID, assertion(tokenEndpoint, e.clock.Now().Add(time.Hour)), exchangeScope); err != nil {
			t.Fatal(err)
		}
	})
}

// TestErrorBodyShape checks the JSON clients parse Entra errors from.
func TestErrorBodyShape(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	req, err := http.NewRequest(http.MethodPost, e.authority("organizations")+"/oauth2/v2.0/token", strings.NewReader(url.Values{
		"grant_type": {"password"}, "client_id": {ExchangePowerShellClientID}, "scope": {exchangeScope},
		"username": {adminUPN}, "password": {"wrong"},
	}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("client-request-id", "5d3c7b2a-1111-4222-8333-944455556666")
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Error         string `json:"error"`
		Description   string `json:"error_description"`
		Codes         []int  `json:"error_codes"`
		Timestamp     string `json:"timestamp"`
		TraceID       string `json:"trace_id"`
		CorrelationID string `json:"correlation_id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusBadRequest || body.Error != "invalid_grant" || len(body.Codes) != 1 || body.Codes[0] != 50126 ||
		!strings.HasPrefix(body.Description, "AADSTS50126: ") || body.TraceID == "" ||
		body.CorrelationID != "5d3c7b2a-1111-4222-8333-944455556666" {
		t.Errorf("status %d, body %+v", resp.StatusCode, body)
	}
	if _, err := time.Parse(timestampLayout, body.Timestamp); err != nil {
		t.Errorf("timestamp %q: %v", body.Timestamp, err)
	}
}

func TestDeviceCodePollingStates(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, deviceCodeLifetime(time.Minute))
	var dc struct {
		DeviceCode string `json:"device_code"`
		ExpiresIn  int    `json:"expires_in"`
		Interval   int    `json:"interval"`
	}
	postJSON(t, e, e.authority("organizations")+"/oauth2/v2.0/devicecode", url.Values{
		"client_id": {ExchangePowerShellClientID}, "scope": {exchangeScope + " offline_access openid profile"},
	}, http.StatusOK, &dc)
	if dc.ExpiresIn != 60 || dc.Interval != 5 {
		t.Errorf("devicecode response = %+v", dc)
	}
	poll := func(code string, want string) {
		t.Helper()
		var body struct {
			Error string `json:"error"`
		}
		postJSON(t, e, e.authority("organizations")+"/oauth2/v2.0/token", url.Values{
			"grant_type": {grantDeviceCodeURN}, "client_id": {ExchangePowerShellClientID}, "device_code": {code},
		}, http.StatusBadRequest, &body)
		if body.Error != want {
			t.Errorf("error = %q, want %q", body.Error, want)
		}
	}
	poll(dc.DeviceCode, "authorization_pending")
	poll("not-a-code", "bad_verification_code")
	e.clock.Advance(61 * time.Second)
	poll(dc.DeviceCode, "expired_token")
}

func postJSON(t *testing.T, e *testEnv, u string, form url.Values, wantStatus int, out any) {
	t.Helper()
	resp, err := e.client.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != wantStatus {
		t.Fatalf("POST %s: status %d, want %d", u, resp.StatusCode, wantStatus)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatal(err)
	}
}

func TestAuthorizePageRefusals(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	base := e.authority("organizations") + "/oauth2/v2.0/authorize?"
	q := func(kv ...string) string {
		v := url.Values{"client_id": {ExchangePowerShellClientID}, "response_type": {"code"},
			"redirect_uri": {"http://localhost:9999"}, "scope": {exchangeScope}, "state": {"s1"}}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return base + v.Encode()
	}
	tests := []struct {
		name       string
		url        string
		wantStatus int
		want       string // in the page, or in the redirect's query
	}{
		{"unknown client", q("client_id", "11111111-2222-3333-4444-555555555555"), http.StatusBadRequest, "AADSTS700016"},
		{"non-loopback redirect", q("redirect_uri", "https://evil.example/cb"), http.StatusBadRequest, "AADSTS50011"},
		{"bad scope", q("scope", "https://graph.microsoft.com/.default"), http.StatusFound, "invalid_resource"},
		{"prompt none", q("prompt", "none"), http.StatusFound, "login_required"},
		{"token response type", q("response_type", "token"), http.StatusFound, "unsupported_response_type"},
		{"sign-in page", q("login_hint", adminUPN), http.StatusOK, `value="` + adminUPN + `"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := e.client.Get(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			body := readBody(t, resp)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d, want %d:\n%s", resp.StatusCode, tt.wantStatus, body)
			}
			got := body
			if resp.StatusCode == http.StatusFound {
				loc, _ := url.Parse(resp.Header.Get("Location"))
				got = loc.Query().Get("error")
				if loc.Query().Get("state") != "s1" || loc.Host != "localhost:9999" {
					t.Errorf("redirect = %s", loc)
				}
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("want %q in:\n%s", tt.want, got)
			}
			if resp.StatusCode == http.StatusOK && !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
				t.Errorf("CSP = %q", resp.Header.Get("Content-Security-Policy"))
			}
		})
	}
}

func sha1Sum(b []byte) []byte {
	s := sha1.Sum(b)
	return s[:]
}
