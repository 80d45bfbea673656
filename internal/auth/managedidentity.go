package auth

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/managedidentity"
	"go.uber.org/zap"
)

// ManagedIdentityEndpoint names the identity endpoint of a managed identity
// sign-in. URL and Header are an App Service–style endpoint, the
// IDENTITY_ENDPOINT and IDENTITY_HEADER MSAL's App Service source uses.
// IMDS is the token URL of an instance metadata service (IMDS protocol)
// standing in for the link-local one. The zero value leaves the choice to
// MSAL and the daemon's own environment (on an Azure VM, the link-local
// instance metadata service).
type ManagedIdentityEndpoint struct {
	URL    string
	Header string
	IMDS   string
}

// imdsHost and imdsPath are where MSAL for Go sends IMDS requests; it has
// no option to change them, so a configured IMDS endpoint is reached by
// rewriting those requests in the HTTP client MSAL is given.
const (
	imdsHost = "169.254.169.254"
	imdsPath = "/metadata/identity/oauth2/token"
)

// imdsRedirect sends MSAL's IMDS requests to target.
type imdsRedirect struct {
	base   http.RoundTripper
	target *url.URL
}

func (t imdsRedirect) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host == imdsHost && r.URL.Path == imdsPath {
		r = r.Clone(r.Context())
		u := *t.target
		u.RawQuery = r.URL.RawQuery
		r.URL, r.Host = &u, u.Host
	}
	return t.base.RoundTrip(r)
}

// imdsClient wraps hc (nil: a default client) to reach target for IMDS.
func imdsClient(hc *http.Client, target *url.URL) *http.Client {
	out := &http.Client{}
	if hc != nil {
		*out = *hc
	}
	base := out.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	out.Transport = imdsRedirect{base: base, target: target}
	return out
}

// miEnvMu serialises managed identity acquisitions because an endpoint
// reaches MSAL only through the process environment. This is the package's
// one piece of global state: it guards the environment, which is global.
var miEnvMu sync.Mutex

// withEndpoint runs fn with the environment pointing MSAL at ep, then
// restores it. Every acquisition holds miEnvMu, so none sees another's
// endpoint.
func withEndpoint(ep ManagedIdentityEndpoint, fn func() error) error {
	miEnvMu.Lock()
	defer miEnvMu.Unlock()
	if ep.URL == "" && ep.IMDS == "" {
		return fn()
	}
	// The variables MSAL's managed identity sources read.
	miEnvVars := [...]string{
		"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT",
		"MSI_ENDPOINT", "MSI_SECRET", "IMDS_ENDPOINT",
	}
	saved := map[string]string{}
	for _, k := range miEnvVars {
		if v, ok := os.LookupEnv(k); ok {
			saved[k] = v
		}
		_ = os.Unsetenv(k) // fails only for invalid names
	}
	defer func() {
		for _, k := range miEnvVars {
			if v, ok := saved[k]; ok {
				_ = os.Setenv(k, v)
			} else {
				_ = os.Unsetenv(k)
			}
		}
	}()
	if ep.URL == "" {
		// No variable set: MSAL picks IMDS.
		return fn()
	}
	// IDENTITY_ENDPOINT and IDENTITY_HEADER alone select the App Service source.
	if err := os.Setenv("IDENTITY_ENDPOINT", ep.URL); err != nil {
		return fmt.Errorf("set managed identity endpoint: %w", err)
	}
	if err := os.Setenv("IDENTITY_HEADER", ep.Header); err != nil {
		return fmt.Errorf("set managed identity endpoint: %w", err)
	}
	return fn()
}

// miAcquirer gets tokens from a managed identity endpoint.
type miAcquirer struct {
	id       managedidentity.ID
	endpoint ManagedIdentityEndpoint
	imds     *url.URL // the parsed endpoint.IMDS, or nil
	resource string
	cfg      Config
}

func (m *miAcquirer) acquire(ctx context.Context, opts TokenOptions) (Token, error) {
	var res managedidentity.AuthResult
	err := withEndpoint(m.endpoint, func() error {
		// MSAL picks the source when the client is made, so make it here.
		var mo []managedidentity.ClientOption
		switch {
		case m.imds != nil:
			mo = append(mo, managedidentity.WithHTTPClient(imdsClient(m.cfg.HTTPClient, m.imds)))
		case m.cfg.HTTPClient != nil:
			mo = append(mo, managedidentity.WithHTTPClient(m.cfg.HTTPClient))
		}
		client, err := managedidentity.New(m.id, mo...)
		if err != nil {
			return invalidParameter("Managed identity is not available: %v", err)
		}
		var ao []managedidentity.AcquireTokenOption
		if claims := claimsFor(opts); claims != "" {
			ao = append(ao, managedidentity.WithClaims(claims))
		}
		res, err = client.AcquireToken(ctx, m.resource, ao...)
		return classify(err, false)
	})
	if err != nil {
		return Token{}, err
	}
	tok, err := parseToken(res.AccessToken, res.ExpiresOn)
	if err != nil {
		return Token{}, fmt.Errorf("%w: %w", ErrSignInFailed, err)
	}
	return tok, nil
}

// signOut has nothing to do: managed identity tokens are not persisted.
func (m *miAcquirer) signOut(context.Context) error { return nil }

// NewManagedIdentity signs in as the host's managed identity
// (-ManagedIdentity): system-assigned when cfg.ClientID is empty, else the
// user-assigned identity with that client ID (-ManagedIdentityAccountId).
// cfg.Authority is not used: the identity endpoint issues the token.
func NewManagedIdentity(ctx context.Context, cfg Config, endpoint ManagedIdentityEndpoint) (*Source, error) {
	if endpoint.URL != "" {
		u, err := url.Parse(endpoint.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, invalidParameter("The managed identity endpoint %q is not an http or https URL.", endpoint.URL)
		}
		if endpoint.Header == "" {
			return nil, invalidParameter("The managed identity endpoint needs its secret header value (IDENTITY_HEADER).")
		}
	}
	var imds *url.URL
	if endpoint.IMDS != "" {
		if endpoint.URL != "" {
			return nil, invalidParameter("Name either an App Service identity endpoint or an instance metadata service, not both.")
		}
		u, err := url.Parse(endpoint.IMDS)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, invalidParameter("The instance metadata service endpoint %q is not an http or https URL.", endpoint.IMDS)
		}
		imds = u
	}
	if !strings.HasSuffix(cfg.Scope, "/.default") {
		return nil, invalidParameter("The scope %q is not a <resource>/.default scope.", cfg.Scope)
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	var id managedidentity.ID = managedidentity.SystemAssigned()
	if cfg.ClientID != "" {
		id = managedidentity.UserAssignedClientID(cfg.ClientID)
	}
	acq := &miAcquirer{id: id, endpoint: endpoint, imds: imds, resource: strings.TrimSuffix(cfg.Scope, "/.default"), cfg: cfg}
	tok, err := acq.acquire(ctx, TokenOptions{})
	if err != nil {
		return nil, err
	}
	return newSource(FlowManagedIdentity, acq, tok, cfg.Logger), nil
}
