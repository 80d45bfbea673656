package auth

import (
	"context"
	"crypto/x509"
	"errors"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/openexo/exo/internal/sandbox/idp"
	"github.com/openexo/exo/internal/sandbox/pki"
	"software.sslmate.com/src/go-pkcs12"
)

func TestPassword(t *testing.T) {
	t.Parallel()
	e := newTestIDP(t)
	tests := []struct {
		name, tenant, user, password string
		wantKind                     error
		wantCode                     int
	}{
		{name: "organizations", tenant: "organizations", user: adminUPN, password: adminPassword},
		{name: "tenant domain", tenant: tenantDomain, user: adminUPN, password: adminPassword},
		{name: "tenant GUID", tenant: tenantID, user: adminUPN, password: adminPassword},
		{name: "wrong password", tenant: "organizations", user: adminUPN, password: "wrong", wantKind: ErrInvalidCredentials, wantCode: 50126},
		{name: "unknown user", tenant: "organizations", user: "nobody@contoso.onmicrosoft.com", password: "Some-Passw0rd", wantKind: ErrInvalidCredentials, wantCode: 50034},
		{name: "disabled user", tenant: "organizations", user: disabledUPN, password: adminPassword, wantKind: ErrAccountDisabled, wantCode: 50057},
		{name: "unknown tenant", tenant: "fabrikam.onmicrosoft.com", user: adminUPN, password: adminPassword, wantKind: ErrTenantNotFound, wantCode: 90002},
		{name: "no password", tenant: "organizations", user: adminUPN, wantKind: ErrInvalidParameter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := NewPassword(context.Background(), e.config(t, tt.tenant), tt.user, tt.password)
			if tt.wantKind != nil {
				if !errors.Is(err, tt.wantKind) {
					t.Fatalf("err = %v, want %v", err, tt.wantKind)
				}
				var ae *Error
				if tt.wantCode != 0 && (!errors.As(err, &ae) || ae.Code != tt.wantCode || !strings.HasPrefix(err.Error(), "AADSTS")) {
					t.Errorf("err = %#v, want AADSTS%d", err, tt.wantCode)
				}
				if tt.password != "" && strings.Contains(err.Error(), tt.password) {
					t.Error("the error repeats the password")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tok, err := src.Token(context.Background(), TokenOptions{})
			if err != nil {
				t.Fatal(err)
			}
			e.verify(t, tok, e.srv.URL)
			if tok.TenantID != tenantID || tok.UPN != adminUPN || tok.ObjectID != adminOID || tok.AppID != DefaultClientID {
				t.Errorf("token = %v", tok)
			}
			if src.Flow() != FlowPassword {
				t.Errorf("flow = %s", src.Flow())
			}
		})
	}
}

func TestDeviceCode(t *testing.T) {
	t.Parallel()
	e := newTestIDP(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pageURL := regexp.MustCompile(`https://\S+/devicelogin`)
	code := regexp.MustCompile(`enter the code (\S+) `)
	approved := make(chan error, 1)
	show := func(message string) {
		u, c := pageURL.FindString(message), code.FindStringSubmatch(message)
		if u == "" || c == nil {
			approved <- errors.New("unexpected device code message: " + message)
			return
		}
		// The user, on another device, while MSAL polls.
		go func() {
			body, err := postForm(e.client, u, url.Values{"otc": {c[1]}, "login": {adminUPN}, "passwd": {adminPassword}})
			if err == nil && !strings.Contains(body, "You have signed in") {
				err = errors.New("verification page: " + body)
			}
			approved <- err
		}()
	}
	src, err := NewDeviceCode(ctx, e.config(t, "organizations"), show)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-approved; err != nil {
		t.Fatal(err)
	}
	tok, err := src.Token(ctx, TokenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c := e.verify(t, tok, e.srv.URL); c.UPN != adminUPN {
		t.Errorf("upn = %q", c.UPN)
	}
}

func TestDeviceCodeExpires(t *testing.T) {
	t.Parallel()
	e := newTestIDP(t, func(c *idp.Config) { c.DeviceCodeLifetime = 2 * time.Second })
	var shown string
	_, err := NewDeviceCode(context.Background(), e.config(t, "organizations"), func(m string) { shown = m })
	if !errors.Is(err, ErrDeviceCodeExpired) || shown == "" {
		t.Fatalf("err = %v (message %q), want ErrDeviceCodeExpired", err, shown)
	}
}

var (
	hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	formAction  = regexp.MustCompile(`<form method="(?i:post)"[^>]*action="([^"]*)"`)
)

// browser does a browser's part of an interactive sign-in: it opens the
// authorize page, signs in, and delivers the code to MSAL's loopback
// listener, by redirect or by the form_post page's form.
func browser(client *http.Client, user, password string) func(string) error {
	return func(authorizeURL string) error {
		noRedirect := *client
		noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := noRedirect.Get(authorizeURL)
		if err != nil {
			return err
		}
		page, err := readBody(resp)
		if err != nil {
			return err
		}
		action, fields, err := parseForm(page)
		if err != nil {
			return err
		}
		fields.Set("login", user)
		fields.Set("passwd", password)
		base, _ := url.Parse(authorizeURL)
		resp, err = noRedirect.PostForm(base.ResolveReference(&url.URL{Path: action}).String(), fields)
		if err != nil {
			return err
		}
		if loc := resp.Header.Get("Location"); resp.StatusCode == http.StatusFound && loc != "" {
			resp.Body.Close()
			resp, err = client.Get(loc)
		} else {
			var back string
			if back, err = readBody(resp); err != nil {
				return err
			}
			if action, fields, err = parseForm(back); err != nil {
				return err
			}
			resp, err = client.PostForm(action, fields)
		}
		if err != nil {
			return err
		}
		_, err = readBody(resp)
		return err
	}
}

func parseForm(page string) (string, url.Values, error) {
	m := formAction.FindStringSubmatch(page)
	if m == nil {
		return "", nil, errors.New("no form in page: " + page)
	}
	v := url.Values{}
	for _, in := range hiddenInput.FindAllStringSubmatch(page, -1) {
		v.Set(html.UnescapeString(in[1]), html.UnescapeString(in[2]))
	}
	return html.UnescapeString(m[1]), v, nil
}

func readBody(resp *http.Response) (string, error) {
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

func postForm(c *http.Client, u string, v url.Values) (string, error) {
	resp, err := c.PostForm(u, v)
	if err != nil {
		return "", err
	}
	return readBody(resp)
}

func TestInteractive(t *testing.T) {
	t.Parallel()
	e := newTestIDP(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	t.Run("browser signs in", func(t *testing.T) {
		var opened string
		open := browser(e.client, adminUPN, adminPassword)
		src, err := NewInteractive(ctx, e.config(t, "organizations"), InteractiveOptions{
			LoginHint: adminUPN,
			OpenURL:   func(u string) error { opened = u; return open(u) },
		})
		if err != nil {
			t.Fatal(err)
		}
		q, _ := url.Parse(opened)
		if q.Query().Get("code_challenge_method") != "S256" || q.Query().Get("login_hint") != adminUPN ||
			!strings.HasPrefix(q.Query().Get("redirect_uri"), "http://localhost:") {
			t.Errorf("authorize URL = %s", opened)
		}
		tok, err := src.Token(ctx, TokenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if c := e.verify(t, tok, e.srv.URL); c.UPN != adminUPN {
			t.Errorf("upn = %q", c.UPN)
		}
	})
	t.Run("no browser", func(t *testing.T) {
		_, err := NewInteractive(ctx, e.config(t, "organizations"), InteractiveOptions{})
		if !errors.Is(err, ErrNoBrowser) || !strings.Contains(err.Error(), "-Device") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("browser fails to start", func(t *testing.T) {
		_, err := NewInteractive(ctx, e.config(t, "organizations"), InteractiveOptions{
			OpenURL: func(string) error { return errors.New("xdg-open: no method available") },
		})
		if !errors.Is(err, ErrNoBrowser) || !strings.Contains(err.Error(), "xdg-open") || !strings.Contains(err.Error(), "-Device") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestCertificate(t *testing.T) {
	t.Parallel()
	e := newTestIDP(t)
	ctx := context.Background()
	cc, stranger := registeredCert(), unregisteredCert()
	encode := func(enc *pkcs12.Encoder, c *pki.ClientCertificate, password string) []byte {
		data, err := enc.Encode(c.Key, c.Cert, nil, password)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	const pw = "pfx-Passw0rd"
	tests := []struct {
		name, org, pfxPassword, appID string
		pfx                           []byte
		wantKind                      error
		wantText                      string
	}{
		{name: "modern PKCS#12", org: tenantDomain, appID: certAppID, pfx: encode(pkcs12.Modern2023, cc, pw), pfxPassword: pw},
		{name: "legacy RC2", org: tenantDomain, appID: certAppID, pfx: encode(pkcs12.LegacyRC2, cc, pw), pfxPassword: pw},
		{name: "legacy 3DES", org: tenantDomain, appID: certAppID, pfx: encode(pkcs12.LegacyDES, cc, pw), pfxPassword: pw},
		{name: "no password", org: tenantDomain, appID: certAppID, pfx: encode(pkcs12.Passwordless, cc, "")},
		{name: "wrong PFX password", org: tenantDomain, appID: certAppID, pfx: encode(pkcs12.Modern2023, cc, pw), pfxPassword: "nope", wantKind: ErrInvalidCredentials},
		{name: "not a PFX", org: tenantDomain, appID: certAppID, pfx: []byte("MII"), wantKind: ErrInvalidParameter},
		{name: "unregistered certificate", org: tenantDomain, appID: certAppID, pfx: encode(pkcs12.Modern2023, stranger, pw), pfxPassword: pw, wantKind: ErrInvalidClient, wantText: "AADSTS700027"},
		{name: "unknown app", org: tenantDomain, appID: "11111111-2222-4333-8444-555555555555", pfx: encode(pkcs12.Modern2023, cc, pw), pfxPassword: pw, wantKind: ErrInvalidClient, wantText: "AADSTS700016"},
		{name: "organization GUID", org: tenantID, appID: certAppID, pfx: encode(pkcs12.Modern2023, cc, pw), pfxPassword: pw, wantKind: ErrInvalidParameter, wantText: "Organization cannot be a Guid, please enter the name of the tenant instead."},
		{name: "no organization", appID: certAppID, pfx: encode(pkcs12.Modern2023, cc, pw), pfxPassword: pw, wantKind: ErrInvalidParameter},
		{name: "no app", org: tenantDomain, pfx: encode(pkcs12.Modern2023, cc, pw), pfxPassword: pw, wantKind: ErrInvalidParameter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := e.config(t, "organizations") // the tenant comes from the organization
			cfg.ClientID = tt.appID
			src, err := func() (*Source, error) {
				cert, err := CertificateFromPKCS12(tt.pfx, tt.pfxPassword)
				if err != nil {
					return nil, err
				}
				return NewCertificate(ctx, cfg, tt.org, cert)
			}()
			if tt.wantKind != nil {
				if !errors.Is(err, tt.wantKind) || !strings.Contains(err.Error(), tt.wantText) {
					t.Fatalf("err = %v, want %v %q", err, tt.wantKind, tt.wantText)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tok, err := src.Token(ctx, TokenOptions{})
			if err != nil {
				t.Fatal(err)
			}
			c := e.verify(t, tok, e.srv.URL)
			if !c.IsApp || tok.AppID != certAppID || tok.ObjectID != certAppOID || tok.UPN != "" || tok.TenantID != tenantID {
				t.Errorf("token = %v, claims %+v", tok, c)
			}
			// MSAL's cache answers until the token nears expiry.
			if again, err := src.Token(ctx, TokenOptions{}); err != nil || again.AccessToken != tok.AccessToken {
				t.Errorf("second Token: %v, same %v", err, again.AccessToken == tok.AccessToken)
			}
		})
	}
	if n := e.grants.count("client_credentials"); n != 6 {
		t.Errorf("client_credentials grants = %d, want 6 (one per attempted sign-in)", n)
	}
}

func TestCertificateFromPKCS12PutsTheKeysCertificateFirst(t *testing.T) {
	t.Parallel()
	cc, other := registeredCert(), unregisteredCert()
	// A file listing an issuer before the key's certificate.
	data, err := pkcs12.Modern2023.Encode(cc.Key, other.Cert, nil, "pw")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CertificateFromPKCS12(data, "pw"); !errors.Is(err, ErrInvalidParameter) {
		t.Fatalf("a file without the key's certificate: err = %v", err)
	}
	data, err = pkcs12.Modern2023.Encode(cc.Key, other.Cert, []*x509.Certificate{cc.Cert}, "pw")
	if err != nil {
		t.Fatal(err)
	}
	cert, err := CertificateFromPKCS12(data, "pw")
	if err != nil {
		t.Fatal(err)
	}
	if !cert.Chain[0].Equal(cc.Cert) || len(cert.Chain) != 2 {
		t.Errorf("chain[0] = %s", cert.Chain[0].Subject)
	}
}

func TestAccessToken(t *testing.T) {
	t.Parallel()
	e := newTestIDP(t)
	ctx := context.Background()
	signed, err := NewPassword(ctx, e.config(t, "organizations"), adminUPN, adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	issued, err := signed.Token(ctx, TokenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	unsigned := func(exp time.Time) string {
		raw, err := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{
			"tid": tenantID, "upn": adminUPN, "oid": adminOID, "appid": DefaultClientID, "exp": exp.Unix(),
		}).SignedString(jwt.UnsafeAllowNoneSignatureType)
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}

	t.Run("issued token", func(t *testing.T) {
		src, err := NewAccessToken(Config{}, issued.AccessToken)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := src.Token(ctx, TokenOptions{})
		if err != nil || tok.AccessToken != issued.AccessToken {
			t.Fatalf("Token: %v", err)
		}
		e.verify(t, tok, e.srv.URL)
		if _, err := src.Token(ctx, TokenOptions{Claims: `{"access_token":{"nbf":{"essential":true,"value":"1"}}}`}); !errors.Is(err, ErrInteractionRequired) {
			t.Errorf("claims challenge: err = %v", err)
		}
	})
	t.Run("expires", func(t *testing.T) {
		exp := time.Now().Add(1500 * time.Millisecond)
		src, err := NewAccessToken(Config{}, unsigned(exp))
		if err != nil {
			t.Fatal(err)
		}
		if tok, err := src.Token(ctx, TokenOptions{}); err != nil || tok.UPN != adminUPN || !tok.ExpiresOn.Equal(exp.Truncate(time.Second)) {
			t.Fatalf("Token = %v, %v", tok, err)
		}
		time.Sleep(time.Until(exp.Truncate(time.Second)) + 50*time.Millisecond)
		if _, err := src.Token(ctx, TokenOptions{}); !errors.Is(err, ErrTokenExpired) || !strings.Contains(err.Error(), "-AccessToken") {
			t.Fatalf("err = %v, want ErrTokenExpired", err)
		}
	})
	t.Run("already expired", func(t *testing.T) {
		if _, err := NewAccessToken(Config{}, unsigned(time.Now().Add(-time.Minute))); !errors.Is(err, ErrTokenExpired) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("not a JWT", func(t *testing.T) {
		if _, err := NewAccessToken(Config{}, "EwBwA8l6BAAU..."); !errors.Is(err, ErrInvalidParameter) {
			t.Fatalf("err = %v", err)
		}
	})
}

// The managed identity tests change the process environment (under the
// package's lock), so they run one after another.
func TestManagedIdentity(t *testing.T) {
	e := newTestIDP(t)
	ctx := context.Background()
	endpoint := ManagedIdentityEndpoint{URL: e.srv.URL + "/msi/token", Header: e.h.IdentityHeader()}
	imds := ManagedIdentityEndpoint{IMDS: e.srv.URL + "/metadata/identity/oauth2/token"}
	before, hadBefore := os.LookupEnv("IDENTITY_ENDPOINT")
	tests := []struct {
		name, clientID, wantApp string
		endpoint                ManagedIdentityEndpoint
		wantKind                error
		wantText                string
	}{
		{name: "system-assigned", endpoint: endpoint, wantApp: systemMIID},
		{name: "user-assigned", clientID: userMIID, endpoint: endpoint, wantApp: userMIID},
		{name: "unknown identity", clientID: "99999999-0000-4000-8000-000000000000", endpoint: endpoint, wantKind: ErrSignInFailed, wantText: "Identity not found"},
		{name: "wrong secret", endpoint: ManagedIdentityEndpoint{URL: endpoint.URL, Header: "guess"}, wantKind: ErrSignInFailed, wantText: "HTTP 401"},
		{name: "no secret", endpoint: ManagedIdentityEndpoint{URL: endpoint.URL}, wantKind: ErrInvalidParameter},
		// IMDS requests MSAL sends to the link-local address reach the
		// configured endpoint instead; nothing leaves loopback.
		{name: "IMDS system-assigned", endpoint: imds, wantApp: systemMIID},
		{name: "IMDS user-assigned", clientID: userMIID, endpoint: imds, wantApp: userMIID},
		{name: "IMDS and App Service at once", endpoint: ManagedIdentityEndpoint{URL: endpoint.URL, Header: endpoint.Header, IMDS: imds.IMDS},
			wantKind: ErrInvalidParameter},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resource := e.miResources[i]
			cfg := Config{Scope: resource + "/.default", ClientID: tt.clientID, HTTPClient: e.client}
			src, err := NewManagedIdentity(ctx, cfg, tt.endpoint)
			if after, hadAfter := os.LookupEnv("IDENTITY_ENDPOINT"); after != before || hadAfter != hadBefore {
				t.Errorf("IDENTITY_ENDPOINT left as %q", after)
			}
			if tt.wantKind != nil {
				if !errors.Is(err, tt.wantKind) || !strings.Contains(err.Error(), tt.wantText) {
					t.Fatalf("err = %v, want %v %q", err, tt.wantKind, tt.wantText)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tok, err := src.Token(ctx, TokenOptions{})
			if err != nil {
				t.Fatal(err)
			}
			c := e.verify(t, tok, resource)
			if !c.IsApp || tok.AppID != tt.wantApp || tok.TenantID != tenantID {
				t.Errorf("token = %v", tok)
			}
			// A forced refresh bypasses MSAL's process-wide cache.
			again, err := src.Token(ctx, TokenOptions{ForceRefresh: true})
			if err != nil || again.AccessToken == tok.AccessToken {
				t.Errorf("forced refresh: %v, new token %v", err, again.AccessToken != tok.AccessToken)
			}
		})
	}
}
