package idp

import (
	"context"
	"crypto/x509"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
)

// publicClient is how the daemon builds its MSAL client for the sandbox:
// a loopback authority, an HTTP client trusting the sandbox CA, and no
// instance discovery (MSAL would send it to login.microsoftonline.com).
func (e *testEnv) publicClient(t *testing.T, clientID, tenant string) public.Client {
	t.Helper()
	c, err := public.New(clientID,
		public.WithAuthority(e.authority(tenant)),
		public.WithHTTPClient(e.srv.Client()),
		public.WithInstanceDiscovery(false))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *testEnv) confidentialClient(t *testing.T, clientID, tenant string, cred confidential.Credential) confidential.Client {
	t.Helper()
	c, err := confidential.New(e.authority(tenant), clientID, cred,
		confidential.WithHTTPClient(e.srv.Client()),
		confidential.WithInstanceDiscovery(false))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *testEnv) verify(t *testing.T, token, audience string) Claims {
	t.Helper()
	c, err := e.h.Verifier().Verify(context.Background(), token, audience)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	return c
}

// ropc signs in with a password, as the daemon does for -Credential.
func ropc(ctx context.Context, c public.Client, scopes []string, user, password string) (public.AuthResult, error) {
	//lint:ignore SA1019 ROPC is deprecated but Connect-ExchangeOnline -Credential uses it
	return c.AcquireTokenByUsernamePassword(ctx, scopes, user, password)
}

func TestUsernamePasswordAcrossAuthorityForms(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	tests := []struct {
		name, tenant, scope, audience string
	}{
		{"tenant GUID", tenantID, exchangeScope, ExchangeResource},
		{"initial domain", tenantDomain, exchangeScope, ExchangeResource},
		{"custom domain", "contoso.com", exchangeScope, ExchangeResource},
		{"organizations", "organizations", exchangeScope, ExchangeResource},
		{"common", "common", exchangeScope, ExchangeResource},
		{"compliance", "organizations", ComplianceResource + "/.default", ComplianceResource},
		{"double slash", "organizations", ExchangeResource + "//.default", ExchangeResource},
		{"named scope", "organizations", ExchangeResource + "/Exchange.Manage", ExchangeResource},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			c := e.publicClient(t, ExchangePowerShellClientID, tt.tenant)
			res, err := ropc(ctx, c, []string{tt.scope}, adminUPN, adminPassword)
			if err != nil {
				t.Fatal(err)
			}
			claims := e.verify(t, res.AccessToken, tt.audience)
			if claims.UPN != adminUPN || claims.ObjectID != adminOID || claims.TenantID != tenantID || claims.IsApp {
				t.Errorf("claims = %+v", claims)
			}
			if !slices.Equal(claims.Scopes, []string{"Exchange.Manage"}) {
				t.Errorf("scp = %v", claims.Scopes)
			}
			if !slices.Equal(claims.ExchangeRoles, []string{"Exchange Administrator", "Organization Management"}) {
				t.Errorf("exchange roles = %v", claims.ExchangeRoles)
			}
			if !slices.Contains(claims.DirectoryRoleIDs, "29232cdf-9323-42fd-ade2-1d097af3e4de") {
				t.Errorf("wids = %v lacks Exchange Administrator", claims.DirectoryRoleIDs)
			}
			if claims.AppID != ExchangePowerShellClientID {
				t.Errorf("appid = %q", claims.AppID)
			}
			if res.Account.PreferredUsername != adminUPN || res.Account.HomeAccountID != adminOID+"."+tenantID {
				t.Errorf("account = %+v", res.Account)
			}
			// The access token outlives MSAL's five-minute margin, so the
			// cache answers.
			again, err := c.AcquireTokenSilent(ctx, []string{tt.scope}, public.WithSilentAccount(res.Account))
			if err != nil {
				t.Fatal(err)
			}
			if again.AccessToken != res.AccessToken {
				t.Error("silent call did not return the cached token")
			}
		})
	}
}

func TestSilentRefreshRotatesRefreshToken(t *testing.T) {
	t.Parallel()
	// MSAL for Go does not cache access tokens expiring within five minutes,
	// so every silent call must redeem the refresh token.
	e := newTestEnv(t, tokenLifetime(2*time.Minute))
	ctx := context.Background()
	c := e.publicClient(t, ExchangePowerShellClientID, "organizations")
	first, err := ropc(ctx, c, []string{exchangeScope}, adminUPN, adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{first.AccessToken: true}
	for i := 0; i < 2; i++ {
		e.clock.Advance(3 * time.Minute)
		res, err := c.AcquireTokenSilent(ctx, []string{exchangeScope}, public.WithSilentAccount(first.Account))
		if err != nil {
			t.Fatalf("silent %d: %v", i, err)
		}
		if seen[res.AccessToken] {
			t.Fatalf("silent %d returned an old token", i)
		}
		seen[res.AccessToken] = true
		e.verify(t, res.AccessToken, ExchangeResource)
	}
	if n := e.grants.count("refresh_token"); n != 2 {
		t.Errorf("refresh_token grants = %d, want 2", n)
	}
	// A refresh for another resource works with the same refresh token.
	res, err := c.AcquireTokenSilent(ctx, []string{ComplianceResource + "/.default"}, public.WithSilentAccount(first.Account))
	if err != nil {
		t.Fatal(err)
	}
	e.verify(t, res.AccessToken, ComplianceResource)
}

func TestDeviceCode(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c := e.publicClient(t, ExchangePowerShellClientID, "organizations")
	dc, err := c.AcquireTokenByDeviceCode(ctx, []string{exchangeScope})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(dc.Result.VerificationURL, e.srv.URL+"/") || !strings.Contains(dc.Result.Message, dc.Result.UserCode) {
		t.Fatalf("device code result = %+v", dc.Result)
	}
	type outcome struct {
		res public.AuthResult
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := dc.AuthenticationResult(ctx)
		done <- outcome{res, err}
	}()
	// Let MSAL see authorization_pending before the user signs in.
	time.Sleep(120 * time.Millisecond)
	page := e.get(t, dc.Result.VerificationURL)
	if !strings.Contains(page, `name="otc"`) {
		t.Fatalf("verification page has no code field:\n%s", page)
	}
	body := e.postForm(t, dc.Result.VerificationURL, url.Values{
		"otc": {strings.ToLower(dc.Result.UserCode)}, "login": {adminUPN}, "passwd": {adminPassword},
	})
	if !strings.Contains(body, "You have signed in") {
		t.Fatalf("verification did not succeed:\n%s", body)
	}
	got := <-done
	if got.err != nil {
		t.Fatal(got.err)
	}
	if claims := e.verify(t, got.res.AccessToken, ExchangeResource); claims.UPN != adminUPN {
		t.Errorf("upn = %q", claims.UPN)
	}
	if e.grants.count("device_code") < 2 {
		t.Error("MSAL never polled while authorization was pending")
	}
}

func TestDeviceCodeExpires(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c := e.publicClient(t, ExchangePowerShellClientID, "organizations")
	dc, err := c.AcquireTokenByDeviceCode(ctx, []string{exchangeScope})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(16 * time.Minute)
	body := e.postForm(t, dc.Result.VerificationURL, url.Values{
		"otc": {dc.Result.UserCode}, "login": {adminUPN}, "passwd": {adminPassword},
	})
	if !strings.Contains(body, "That code didn") {
		t.Errorf("expired code accepted:\n%s", body)
	}
	_, err = dc.AuthenticationResult(ctx)
	if err == nil || !strings.Contains(err.Error(), "expired_token") || !strings.Contains(err.Error(), "AADSTS70020") {
		t.Fatalf("err = %v, want expired_token", err)
	}
}

var (
	hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	formAction  = regexp.MustCompile(`<form method="(?i:post)"[^>]*action="([^"]*)"`)
)

// browser signs in on the authorize page the way a user would, and returns
// the last response: the redirect or form_post page back to the client.
func (e *testEnv) browser(t *testing.T, authorizeURL, user, password string) *http.Response {
	t.Helper()
	page := e.get(t, authorizeURL)
	action, fields := parseForm(t, page)
	fields.Set("login", user)
	fields.Set("passwd", password)
	target, err := url.Parse(authorizeURL)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := e.client.PostForm(target.ResolveReference(&url.URL{Path: action}).String(), fields)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func parseForm(t *testing.T, page string) (string, url.Values) {
	t.Helper()
	m := formAction.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no form in page:\n%s", page)
	}
	v := url.Values{}
	for _, in := range hiddenInput.FindAllStringSubmatch(page, -1) {
		v.Set(html.UnescapeString(in[1]), html.UnescapeString(in[2]))
	}
	return html.UnescapeString(m[1]), v
}

func (e *testEnv) get(t *testing.T, u string) string {
	t.Helper()
	resp, err := e.client.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	return readBody(t, resp)
}

func (e *testEnv) postForm(t *testing.T, u string, v url.Values) string {
	t.Helper()
	resp, err := e.client.PostForm(u, v)
	if err != nil {
		t.Fatal(err)
	}
	return readBody(t, resp)
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestInteractiveSignIn(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c := e.publicClient(t, ExchangePowerShellClientID, "organizations")
	openURL := func(u string) error {
		// A wrong password first: the page asks again.
		resp := e.browser(t, u, adminUPN, "wrong")
		if body := readBody(t, resp); !strings.Contains(body, "Your account or password is incorrect") {
			t.Errorf("wrong password page:\n%s", body)
		}
		resp = e.browser(t, u, adminUPN, adminPassword)
		// MSAL asks for response_mode=form_post: post the hidden form back
		// to MSAL's loopback listener as the page's script would.
		action, fields := parseForm(t, readBody(t, resp))
		if !strings.HasPrefix(action, "http://localhost:") {
			t.Errorf("form_post target = %q", action)
		}
		back, err := http.PostForm(action, fields)
		if err != nil {
			return err
		}
		return back.Body.Close()
	}
	res, err := c.AcquireTokenInteractive(ctx, []string{exchangeScope}, public.WithOpenURL(openURL))
	if err != nil {
		t.Fatal(err)
	}
	if claims := e.verify(t, res.AccessToken, ExchangeResource); claims.UPN != adminUPN {
		t.Errorf("upn = %q", claims.UPN)
	}
	if res.Account.PreferredUsername != adminUPN {
		t.Errorf("account = %+v", res.Account)
	}
}

func TestAuthorizationCodeWithPKCE(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ctx := context.Background()
	const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	const challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" // RFC 7636 appendix B

	cred, err := confidential.NewCredFromSecret(appSecret)
	if err != nil {
		t.Fatal(err)
	}
	cca := e.confidentialClient(t, secretAppID, tenantDomain, cred)
	pca := e.publicClient(t, ExchangePowerShellClientID, "organizations")

	// codeFor signs in through the authorize page in query response mode and
	// returns the code from the redirect.
	codeFor := func(t *testing.T, clientID, redirect string) string {
		t.Helper()
		q := url.Values{
			"client_id": {clientID}, "response_type": {"code"}, "redirect_uri": {redirect},
			"scope": {exchangeScope + " openid profile offline_access"}, "state": {"xyz"},
			"code_challenge": {challenge}, "code_challenge_method": {"S256"},
		}
		resp := e.browser(t, e.authority(tenantDomain)+"/oauth2/v2.0/authorize?"+q.Encode(), adminUPN, adminPassword)
		readBody(t, resp)
		if resp.StatusCode != http.StatusFound {
			t.Fatalf("sign-in status = %d", resp.StatusCode)
		}
		loc, err := url.Parse(resp.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		if got := loc.Scheme + "://" + loc.Host + loc.Path; got != redirect || loc.Query().Get("state") != "xyz" {
			t.Fatalf("redirect = %s", loc)
		}
		return loc.Query().Get("code")
	}

	tests := []struct {
		name     string
		redeem   func(code string) (string, error)
		clientID string
		redirect string
		wantErr  string
	}{
		{
			name: "confidential client", clientID: secretAppID, redirect: appRedirect,
			redeem: func(code string) (string, error) {
				r, err := cca.AcquireTokenByAuthCode(ctx, code, appRedirect, []string{exchangeScope}, confidential.WithChallenge(verifier))
				return r.AccessToken, err
			},
		},
		{
			name: "public client", clientID: ExchangePowerShellClientID, redirect: "http://localhost:8400",
			redeem: func(code string) (string, error) {
				r, err := pca.AcquireTokenByAuthCode(ctx, code, "http://localhost:8400", []string{exchangeScope}, public.WithChallenge(verifier))
				return r.AccessToken, err
			},
		},
		{
			name: "wrong verifier", clientID: ExchangePowerShellClientID, redirect: "http://localhost:8400", wantErr: "AADSTS501481",
			redeem: func(code string) (string, error) {
				r, err := pca.AcquireTokenByAuthCode(ctx, code, "http://localhost:8400", []string{exchangeScope}, public.WithChallenge(verifier+"x"))
				return r.AccessToken, err
			},
		},
		{
			name: "other redirect URI", clientID: ExchangePowerShellClientID, redirect: "http://localhost:8400", wantErr: "AADSTS500112",
			redeem: func(code string) (string, error) {
				r, err := pca.AcquireTokenByAuthCode(ctx, code, "http://localhost:8401", []string{exchangeScope}, public.WithChallenge(verifier))
				return r.AccessToken, err
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, err := tt.redeem(codeFor(t, tt.clientID, tt.redirect))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			claims := e.verify(t, at, ExchangeResource)
			if claims.UPN != adminUPN || claims.AppID != tt.clientID {
				t.Errorf("claims = %+v", claims)
			}
		})
	}

	t.Run("code is single use", func(t *testing.T) {
		code := codeFor(t, ExchangePowerShellClientID, "http://localhost:8400")
		for i, want := range []string{"", "AADSTS70000"} {
			_, err := pca.AcquireTokenByAuthCode(ctx, code, "http://localhost:8400", []string{exchangeScope}, public.WithChallenge(verifier))
			if (want == "" && err != nil) || (want != "" && (err == nil || !strings.Contains(err.Error(), want))) {
				t.Fatalf("redemption %d: err = %v, want %q", i, err, want)
			}
		}
	})
}

func TestClientCredentials(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ctx := context.Background()
	cc := registeredCert()
	certCred, err := confidential.NewCredFromCert([]*x509.Certificate{cc.Cert}, cc.Key)
	if err != nil {
		t.Fatal(err)
	}
	secretCred, err := confidential.NewCredFromSecret(appSecret)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, clientID, tenant, oid string
		cred                        confidential.Credential
	}{
		{"certificate, tenant domain", certAppID, tenantDomain, certAppOID, certCred},
		{"certificate, tenant GUID", certAppID, tenantID, certAppOID, certCred},
		{"secret", secretAppID, tenantDomain, "1a2b3c4d-0000-4000-8000-00000000000a", secretCred},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e.confidentialClient(t, tt.clientID, tt.tenant, tt.cred)
			res, err := c.AcquireTokenByCredential(ctx, []string{exchangeScope})
			if err != nil {
				t.Fatal(err)
			}
			claims := e.verify(t, res.AccessToken, ExchangeResource)
			if !claims.IsApp || claims.AppID != tt.clientID || claims.ObjectID != tt.oid || claims.UPN != "" {
				t.Errorf("claims = %+v", claims)
			}
			if !slices.Equal(claims.AppRoles, []string{"Exchange.ManageAsApp"}) {
				t.Errorf("roles = %v", claims.AppRoles)
			}
			again, err := c.AcquireTokenByCredential(ctx, []string{exchangeScope})
			if err != nil || again.AccessToken != res.AccessToken {
				t.Errorf("second call: err %v, cached %v", err, again.AccessToken == res.AccessToken)
			}
		})
	}
}
