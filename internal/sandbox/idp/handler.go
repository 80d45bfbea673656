package idp

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"go.uber.org/zap"
)

// Config configures a Handler. Only Directory is required.
type Config struct {
	Directory Directory
	// BaseURL is the scheme and host clients reach the handler at, such as
	// "https://127.0.0.1:8443"; the handler is mounted at the server root.
	// Empty means the Host of each request, so 127.0.0.1 and localhost both work.
	BaseURL string
	// Resources are the APIs whose scopes the handler grants; the URL of the
	// one requested becomes the token's aud. Default: Exchange Online and
	// Security & Compliance at their public URLs.
	Resources []Resource
	// SigningKey signs every token; a 2048-bit key is generated when nil.
	SigningKey *rsa.PrivateKey
	// TokenLifetime of access and ID tokens; default one hour. MSAL for Go
	// does not cache access tokens that expire within five minutes, so a
	// shorter lifetime makes every silent call redeem the refresh token.
	TokenLifetime time.Duration
	// RefreshTokenLifetime; default 90 days, as Entra's inactivity window.
	RefreshTokenLifetime time.Duration
	// DeviceCodeLifetime; default 15 minutes, as Entra.
	DeviceCodeLifetime time.Duration
	// IdentityHeader is the secret the App Service managed identity endpoint
	// demands in X-IDENTITY-HEADER; generated when empty.
	IdentityHeader string
	// ControlSecret is the bearer secret of the test control route
	// /sandbox/idp/challenge; empty disables it.
	ControlSecret string
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Logger; default a no-op logger.
	Logger *zap.Logger
}

// Resource is an API the handler issues access tokens for.
type Resource struct {
	// URL is the application ID URI, such as "https://outlook.office365.com".
	URL string
	// Scope is the delegated permission users get, put in scp; default
	// "Exchange.Manage".
	Scope string
}

// Public resource URLs of Exchange Online and Security & Compliance.
const (
	ExchangeResource   = "https://outlook.office365.com"
	ComplianceResource = "https://ps.compliance.protection.outlook.com"
)

const (
	defaultScope          = "Exchange.Manage"
	defaultTokenLifetime  = time.Hour
	defaultRefreshLife    = 90 * 24 * time.Hour
	defaultDeviceCodeLife = 15 * time.Minute
	maxFormBytes          = 64 << 10
)

// Handler is an http.Handler imitating Entra ID for one tenant.
type Handler struct {
	dir            Directory
	base           string
	resources      []Resource
	signer         *signer
	tokenLife      time.Duration
	refreshLife    time.Duration
	deviceCodeLife time.Duration
	identityHeader string
	controlSecret  string
	now            func() time.Time
	log            *zap.Logger
	mux            *http.ServeMux
	state          *state
	verifier       *Verifier
}

// New builds a Handler.
func New(cfg Config) (*Handler, error) {
	if cfg.Directory == nil {
		return nil, errors.New("idp: Config.Directory is required")
	}
	h := &Handler{
		dir:            cfg.Directory,
		base:           strings.TrimSuffix(cfg.BaseURL, "/"),
		tokenLife:      orDefault(cfg.TokenLifetime, defaultTokenLifetime),
		refreshLife:    orDefault(cfg.RefreshTokenLifetime, defaultRefreshLife),
		deviceCodeLife: orDefault(cfg.DeviceCodeLifetime, defaultDeviceCodeLife),
		identityHeader: cfg.IdentityHeader,
		controlSecret:  cfg.ControlSecret,
		now:            cfg.Now,
		log:            cfg.Logger,
		state:          newState(),
	}
	if h.now == nil {
		h.now = time.Now
	}
	if h.log == nil {
		h.log = zap.NewNop()
	}
	resources := cfg.Resources
	if len(resources) == 0 {
		resources = []Resource{{URL: ExchangeResource}, {URL: ComplianceResource}}
	}
	for _, r := range resources {
		if !strings.Contains(r.URL, "://") {
			return nil, fmt.Errorf("idp: resource %q is not a URL", r.URL)
		}
		r.URL = strings.TrimRight(r.URL, "/")
		if r.Scope == "" {
			r.Scope = defaultScope
		}
		h.resources = append(h.resources, r)
	}
	if h.identityHeader == "" {
		h.identityHeader = randomToken(24)
	}
	key := cfg.SigningKey
	if key == nil {
		var err error
		if key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			return nil, fmt.Errorf("idp: generate signing key: %w", err)
		}
	}
	s, err := newSigner(key)
	if err != nil {
		return nil, err
	}
	h.signer = s
	h.verifier = &Verifier{h: h}
	h.routes()
	return h, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

func (h *Handler) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /common/discovery/instance", h.instanceDiscovery)
	m.HandleFunc("GET /common/UserRealm/{user}", h.userRealm)
	m.HandleFunc("GET /{tenant}/v2.0/.well-known/openid-configuration", h.openIDConfiguration)
	m.HandleFunc("GET /{tenant}/discovery/v2.0/keys", h.keys)
	m.HandleFunc("POST /{tenant}/oauth2/v2.0/token", h.token)
	m.HandleFunc("POST /{tenant}/oauth2/v2.0/devicecode", h.deviceCode)
	m.HandleFunc("GET /{tenant}/oauth2/v2.0/authorize", h.authorize)
	m.HandleFunc("POST /{tenant}/oauth2/v2.0/authorize", h.signIn)
	m.HandleFunc("GET /devicelogin", h.deviceLoginPage)
	m.HandleFunc("POST /devicelogin", h.deviceLogin)
	m.HandleFunc("GET /msi/token", h.appServiceToken)
	m.HandleFunc("GET /metadata/identity/oauth2/token", h.imdsToken)
	m.HandleFunc("/sandbox/idp/challenge", h.controlChallenge)
	h.mux = m
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	}
	h.mux.ServeHTTP(rec, r)
	// The query is left out: it can carry codes and login hints.
	h.log.Debug("idp request",
		zap.String("method", r.Method),
		zap.String("path", r.URL.Path),
		zap.Int("status", rec.status),
		zap.Duration("elapsed", time.Since(start)))
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Verifier returns the verifier of the tokens this handler issues.
func (h *Handler) Verifier() *Verifier { return h.verifier }

// JWKS returns the public signing keys as a JSON Web Key Set, the document
// served at /{tenant}/discovery/v2.0/keys.
func (h *Handler) JWKS() []byte { return h.signer.jwksJSON() }

// IdentityHeader returns the App Service managed identity secret, the value
// of IDENTITY_HEADER for clients.
func (h *Handler) IdentityHeader() string { return h.identityHeader }

// RevokeUser revokes the user's refresh tokens and makes the Verifier refuse
// access tokens issued to the user before now with a claims challenge, as
// continuous access evaluation does after a password reset.
func (h *Handler) RevokeUser(objectID string) {
	h.state.revokeUser(objectID, h.now())
	h.log.Info("user tokens revoked", zap.String("oid", objectID))
}

// baseURL is the externally visible scheme://host of the handler.
func (h *Handler) baseURL(r *http.Request) string {
	if h.base != "" {
		return h.base
	}
	scheme := "https"
	if r.TLS == nil {
		scheme = "http"
	}
	return scheme + "://" + r.Host
}

// tenantRef is the tenant an endpoint path names.
type tenantRef struct {
	TenantInfo
	// specific is false for the multi-tenant aliases common and organizations.
	specific bool
}

// resolveTenant maps the {tenant} path segment to the tenant: its GUID, one
// of its domains, "organizations" or "common".
func (h *Handler) resolveTenant(ctx context.Context, name string) (tenantRef, *oauthError) {
	t, err := h.dir.Tenant(ctx)
	if err != nil {
		h.log.Error("read tenant", zap.Error(err))
		return tenantRef{}, serverError()
	}
	switch {
	case strings.EqualFold(name, "common"), strings.EqualFold(name, "organizations"):
		return tenantRef{TenantInfo: t}, nil
	case isTenantName(t, name):
		return tenantRef{TenantInfo: t, specific: true}, nil
	}
	return tenantRef{}, invalidRequest(90002, "Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.", name)
}

func isTenantName(t TenantInfo, name string) bool {
	if strings.EqualFold(name, t.ID) {
		return true
	}
	for _, d := range t.Domains {
		if strings.EqualFold(name, d) {
			return true
		}
	}
	return false
}

func serverError() *oauthError {
	return newError(http.StatusInternalServerError, "server_error", 50000, "There was an error issuing a token or an issue with our sign-in service.")
}

// randomToken returns n random bytes, base64url-encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}
