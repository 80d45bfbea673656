package idp

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openexo/exo/internal/sandbox/pki"
	"go.uber.org/zap/zaptest"
)

const (
	tenantID     = "6f1d3c2a-0b7e-4a53-9a57-3c2f8e0d4b11"
	tenantDomain = "contoso.onmicrosoft.com"

	adminUPN      = "admin@contoso.onmicrosoft.com"
	adminOID      = "0b6d1a34-5e0f-4c77-8a51-9d2e7f3c1a01"
	adminPassword = "Corr3ct-H0rse"
	disabledUPN   = "gone@contoso.com"

	certAppID     = "3e1c0b2a-7d44-4f8b-9c6e-1a2b3c4d5e6f"
	certAppOID    = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
	secretAppID   = "5b6c7d8e-9f01-4a23-b456-789abcdef012"
	appSecret     = "s3cret~value"
	appRedirect   = "http://localhost:1/callback"
	systemMIID    = "c0ffee00-0000-4000-8000-000000000001"
	userMIID      = "c0ffee00-0000-4000-8000-000000000002"
	userMIResID   = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/exo"
	exchangeScope = ExchangeResource + "/.default"
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
	Principal
	password string
}

// fakeDirectory is an in-memory Directory.
type fakeDirectory struct {
	mu      sync.Mutex
	tenant  TenantInfo
	users   map[string]fakeUser // by lower-case UPN
	apps    map[string]App
	secrets map[string]string
	mis     []App // mis[0] is the system-assigned identity
}

func newFakeDirectory() *fakeDirectory {
	d := &fakeDirectory{
		tenant:  TenantInfo{ID: tenantID, Domains: []string{tenantDomain, "contoso.com"}},
		users:   map[string]fakeUser{},
		apps:    map[string]App{},
		secrets: map[string]string{},
	}
	d.addUser(Principal{ObjectID: adminOID, UPN: adminUPN, DisplayName: "Sandbox Admin",
		Roles: []string{"Exchange Administrator", "Organization Management"}}, adminPassword)
	d.addUser(Principal{ObjectID: "0b6d1a34-5e0f-4c77-8a51-9d2e7f3c1a02", UPN: disabledUPN, DisplayName: "Gone", Disabled: true}, adminPassword)
	d.apps[certAppID] = App{AppID: certAppID, ObjectID: certAppOID, DisplayName: "EXO automation",
		Certificates: []*x509.Certificate{registeredCert().Cert},
		Permissions:  []string{"Exchange.ManageAsApp"}, Roles: []string{"Exchange Administrator"}}
	d.apps[secretAppID] = App{AppID: secretAppID, ObjectID: "1a2b3c4d-0000-4000-8000-00000000000a", DisplayName: "EXO web app",
		RedirectURIs: []string{appRedirect}, Permissions: []string{"Exchange.ManageAsApp"}}
	d.secrets[secretAppID] = appSecret
	d.mis = []App{
		{AppID: systemMIID, ObjectID: "d00d0000-0000-4000-8000-000000000001", DisplayName: "vm-automation", Permissions: []string{"Exchange.ManageAsApp"}},
		{AppID: userMIID, ObjectID: "d00d0000-0000-4000-8000-000000000002", DisplayName: "exo-identity", Permissions: []string{"Exchange.ManageAsApp"}, ResourceID: userMIResID},
	}
	return d
}

func (d *fakeDirectory) addUser(p Principal, password string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.users[strings.ToLower(p.UPN)] = fakeUser{Principal: p, password: password}
}

func (d *fakeDirectory) Tenant(context.Context) (TenantInfo, error) { return d.tenant, nil }

func (d *fakeDirectory) VerifyPassword(_ context.Context, upn, password string) (Principal, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	u, ok := d.users[strings.ToLower(upn)]
	switch {
	case !ok:
		return Principal{}, ErrNotFound
	case u.password != password:
		return Principal{}, ErrInvalidCredentials
	}
	return u.Principal, nil
}

func (d *fakeDirectory) UserByObjectID(_ context.Context, oid string) (Principal, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, u := range d.users {
		if u.ObjectID == oid {
			return u.Principal, nil
		}
	}
	return Principal{}, ErrNotFound
}

func (d *fakeDirectory) App(_ context.Context, appID string) (App, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if a, ok := d.apps[appID]; ok {
		return a, nil
	}
	return App{}, ErrNotFound
}

func (d *fakeDirectory) VerifyAppSecret(_ context.Context, appID, secret string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	want, ok := d.secrets[appID]
	switch {
	case !ok:
		return ErrNotFound
	case want != secret:
		return ErrInvalidCredentials
	}
	return nil
}

func (d *fakeDirectory) ManagedIdentity(_ context.Context, sel ManagedIdentitySelector) (App, error) {
	if sel == (ManagedIdentitySelector{}) {
		return d.mis[0], nil
	}
	for _, mi := range d.mis[1:] {
		if mi.AppID == sel.ClientID || mi.ObjectID == sel.ObjectID || strings.EqualFold(mi.ResourceID, sel.ResourceID) {
			return mi, nil
		}
	}
	return App{}, ErrNotFound
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// testEnv is a Handler behind an HTTPS test server on the loopback address.
type testEnv struct {
	h      *Handler
	srv    *httptest.Server
	dir    *fakeDirectory
	clock  *fakeClock
	client *http.Client // trusts the server; follows no redirects
	grants *grantCounter
}

// authority returns the authority URL naming the tenant as given.
func (e *testEnv) authority(tenant string) string { return e.srv.URL + "/" + tenant }

// envOption adjusts the handler's configuration; serverURL is where the
// test server listens.
type envOption func(c *Config, serverURL string)

func tokenLifetime(d time.Duration) envOption {
	return func(c *Config, _ string) { c.TokenLifetime = d }
}

func deviceCodeLifetime(d time.Duration) envOption {
	return func(c *Config, _ string) { c.DeviceCodeLifetime = d }
}

// fixedBaseURL configures the base URL instead of deriving it from requests.
func fixedBaseURL(c *Config, serverURL string) { c.BaseURL = serverURL }

func newTestEnv(t *testing.T, opts ...envOption) *testEnv {
	t.Helper()
	e := &testEnv{dir: newFakeDirectory(), clock: &fakeClock{now: time.Now()}, grants: &grantCounter{counts: map[string]int{}}}
	// The listener exists before the server starts, so its URL can go into
	// the configuration.
	e.srv = httptest.NewUnstartedServer(nil)
	cfg := Config{
		Directory:  e.dir,
		SigningKey: testSigningKey(),
		Now:        e.clock.Now,
		Logger:     zaptest.NewLogger(t),
	}
	for _, o := range opts {
		o(&cfg, "https://"+e.srv.Listener.Addr().String())
	}
	h, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.h = h
	e.srv.Config.Handler = e.grants.wrap(h)
	e.srv.StartTLS()
	t.Cleanup(e.srv.Close)
	e.client = e.srv.Client()
	e.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return e
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
