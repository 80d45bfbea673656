package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openexo/exo/internal/sandbox/idp"
	"github.com/openexo/exo/internal/sandbox/pki"
	"go.uber.org/zap/zaptest"
)

const (
	tenantID     = "6f1d3c2a-0b7e-4a53-9a57-3c2f8e0d4b11"
	tenantDomain = "contoso.onmicrosoft.com"

	adminUPN      = "admin@contoso.onmicrosoft.com"
	adminOID      = "0b6d1a34-5e0f-4c77-8a51-9d2e7f3c1a01"
	adminPassword = "Corr3ct-H0rse"
	helpdeskUPN   = "helpdesk@contoso.onmicrosoft.com"
	helpdeskOID   = "0b6d1a34-5e0f-4c77-8a51-9d2e7f3c1a03"
	disabledUPN   = "gone@contoso.onmicrosoft.com"

	certAppID  = "3e1c0b2a-7d44-4f8b-9c6e-1a2b3c4d5e6f"
	certAppOID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
	systemMIID = "c0ffee00-0000-4000-8000-000000000001"
	userMIID   = "c0ffee00-0000-4000-8000-000000000002"
)

// Keys are slow to make under the race detector, so the tests share them.
var (
	testSigningKey = sync.OnceValue(func() *rsa.PrivateKey {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		return k
	})
	registeredCert   = sync.OnceValue(func() *pki.ClientCertificate { return mustClientCert("CN=exo automation") })
	unregisteredCert = sync.OnceValue(func() *pki.ClientCertificate { return mustClientCert("CN=stranger") })
)

func mustClientCert(subject string) *pki.ClientCertificate {
	c, err := pki.NewClientCertificate(subject, time.Now(), 24*time.Hour)
	if err != nil {
		panic(err)
	}
	return c
}

type fakeUser struct {
	idp.Principal
	password string
}

// fakeDirectory is an in-memory idp.Directory.
type fakeDirectory struct {
	users map[string]fakeUser // by lower-case UPN; read-only after creation
	apps  map[string]idp.App
	mis   []idp.App // mis[0] is the system-assigned identity
}

func newFakeDirectory() *fakeDirectory {
	d := &fakeDirectory{users: map[string]fakeUser{}, apps: map[string]idp.App{}}
	for _, u := range []fakeUser{
		{idp.Principal{ObjectID: adminOID, UPN: adminUPN, DisplayName: "Sandbox Admin", Roles: []string{"Exchange Administrator"}}, adminPassword},
		{idp.Principal{ObjectID: helpdeskOID, UPN: helpdeskUPN, DisplayName: "Helpdesk", Roles: []string{"Help Desk"}}, adminPassword},
		{idp.Principal{ObjectID: "0b6d1a34-5e0f-4c77-8a51-9d2e7f3c1a02", UPN: disabledUPN, Disabled: true}, adminPassword},
	} {
		d.users[strings.ToLower(u.UPN)] = u
	}
	d.apps[certAppID] = idp.App{AppID: certAppID, ObjectID: certAppOID, DisplayName: "EXO automation",
		Certificates: []*x509.Certificate{registeredCert().Cert}, Permissions: []string{"Exchange.ManageAsApp"}}
	d.mis = []idp.App{
		{AppID: systemMIID, ObjectID: "d00d0000-0000-4000-8000-000000000001", DisplayName: "vm-automation", Permissions: []string{"Exchange.ManageAsApp"}},
		{AppID: userMIID, ObjectID: "d00d0000-0000-4000-8000-000000000002", DisplayName: "exo-identity", Permissions: []string{"Exchange.ManageAsApp"}},
	}
	return d
}

func (d *fakeDirectory) Tenant(context.Context) (idp.TenantInfo, error) {
	return idp.TenantInfo{ID: tenantID, Domains: []string{tenantDomain}}, nil
}

func (d *fakeDirectory) VerifyPassword(_ context.Context, upn, password string) (idp.Principal, error) {
	u, ok := d.users[strings.ToLower(upn)]
	switch {
	case !ok:
		return idp.Principal{}, idp.ErrNotFound
	case u.password != password:
		return idp.Principal{}, idp.ErrInvalidCredentials
	}
	return u.Principal, nil
}

func (d *fakeDirectory) UserByObjectID(_ context.Context, oid string) (idp.Principal, error) {
	for _, u := range d.users {
		if u.ObjectID == oid {
			return u.Principal, nil
		}
	}
	return idp.Principal{}, idp.ErrNotFound
}

func (d *fakeDirectory) App(_ context.Context, appID string) (idp.App, error) {
	if a, ok := d.apps[appID]; ok {
		return a, nil
	}
	return idp.App{}, idp.ErrNotFound
}

func (d *fakeDirectory) VerifyAppSecret(context.Context, string, string) error {
	return idp.ErrNotFound
}

func (d *fakeDirectory) ManagedIdentity(_ context.Context, sel idp.ManagedIdentitySelector) (idp.App, error) {
	if sel == (idp.ManagedIdentitySelector{}) {
		return d.mis[0], nil
	}
	for _, mi := range d.mis[1:] {
		if mi.AppID == sel.ClientID {
			return mi, nil
		}
	}
	return idp.App{}, idp.ErrNotFound
}

// testIDP is the sandbox identity provider behind an HTTPS test server on
// the loopback address, with the sandbox's resource at the server's URL,
// as a sandbox connection's scope names it.
type testIDP struct {
	h      *idp.Handler
	srv    *httptest.Server
	client *http.Client // made by TrustedHTTPClient, loopback only
	grants *grantCounter
	// miResources are resources unique to this server: MSAL caches managed
	// identity tokens process-wide by identity and resource.
	miResources []string
}

// tokenLifetime sets the lifetime of the tokens the provider issues.
func tokenLifetime(d time.Duration) func(*idp.Config) {
	return func(c *idp.Config) { c.TokenLifetime = d }
}

func newTestIDP(t *testing.T, opts ...func(*idp.Config)) *testIDP {
	t.Helper()
	e := &testIDP{grants: &grantCounter{counts: map[string]int{}}}
	e.srv = httptest.NewUnstartedServer(nil)
	run := make([]byte, 4)
	_, _ = rand.Read(run)
	resources := []idp.Resource{{URL: "https://" + e.srv.Listener.Addr().String()}}
	for i := range 8 {
		e.miResources = append(e.miResources, fmt.Sprintf("https://mi%d-%s.exo.test", i, hex.EncodeToString(run)))
		resources = append(resources, idp.Resource{URL: e.miResources[i]})
	}
	cfg := idp.Config{
		Directory:  newFakeDirectory(),
		Resources:  resources,
		SigningKey: testSigningKey(),
		Logger:     zaptest.NewLogger(t),
	}
	for _, o := range opts {
		o(&cfg)
	}
	h, err := idp.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.h = h
	e.srv.Config.Handler = e.grants.wrap(h)
	e.srv.StartTLS()
	t.Cleanup(e.srv.Close)
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: e.srv.Certificate().Raw})
	c, err := TrustedHTTPClient(caPEM)
	if err != nil {
		t.Fatal(err)
	}
	c.Transport = loopbackOnly{c.Transport}
	e.client = c
	return e
}

// config is a Config for this server, naming the tenant as given.
func (e *testIDP) config(t *testing.T, tenant string) Config {
	return Config{
		Authority:  e.srv.URL + "/" + tenant,
		Scope:      e.srv.URL + "/.default",
		HTTPClient: e.client,
		Logger:     zaptest.NewLogger(t),
	}
}

// verify checks tok with the identity provider's verifier and compares the
// claims this package parsed with the verified ones.
func (e *testIDP) verify(t *testing.T, tok Token, audience string) idp.Claims {
	t.Helper()
	c, err := e.h.Verifier().Verify(context.Background(), tok.AccessToken, audience)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if tok.TenantID != c.TenantID || tok.UPN != c.UPN || tok.ObjectID != c.ObjectID || tok.AppID != c.AppID {
		t.Errorf("parsed %v, verified %+v", tok, c)
	}
	// exp is whole seconds and MSAL counts expires_in from when it read the
	// answer, so the two differ by up to a second plus the round trip.
	if d := tok.ExpiresOn.Sub(c.ExpiresAt); d > 2*time.Second || d < -2*time.Second {
		t.Errorf("ExpiresOn = %s, exp = %s", tok.ExpiresOn, c.ExpiresAt)
	}
	return c
}

// loopbackOnly refuses every request not to a loopback address, so no test
// reaches Microsoft's hosts or the instance metadata service.
type loopbackOnly struct{ next http.RoundTripper }

func (l loopbackOnly) RoundTrip(r *http.Request) (*http.Response, error) {
	host := r.URL.Hostname()
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, errors.New("test transport: refusing non-loopback host " + host)
	}
	return l.next.RoundTrip(r)
}

// grantCounter counts token requests by grant type.
type grantCounter struct {
	mu     sync.Mutex
	counts map[string]int
}

func (g *grantCounter) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/token") {
			_ = r.ParseForm()
			g.mu.Lock()
			g.counts[r.PostForm.Get("grant_type")]++
			g.mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

func (g *grantCounter) count(grant string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.counts[grant]
}
