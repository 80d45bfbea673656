package idp

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"go.uber.org/zap"
)

// Application ID method values (appidacr): how the client authenticated.
const (
	acrPublic      = "0"
	acrSecret      = "1"
	acrCertificate = "2"
)

const (
	clientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	// assertionSkew is the clock skew allowed on client assertions.
	assertionSkew = 5 * time.Minute
)

// lookupApp finds a client application: a registration in the directory, or
// one of the Microsoft first-party public clients every tenant has.
func (h *Handler) lookupApp(ctx context.Context, appID string, t tenantRef) (App, *oauthError) {
	app, err := h.dir.App(ctx, appID)
	if err == nil {
		return app, nil
	}
	if !errors.Is(err, ErrNotFound) {
		h.log.Error("read app", zap.String("app_id", appID), zap.Error(err))
		return App{}, serverError()
	}
	if fp, ok := firstPartyApp(appID); ok {
		return fp, nil
	}
	return App{}, newError(http.StatusBadRequest, "unauthorized_client", 700016,
		"Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
		appID, tenantDisplayName(t))
}

// authenticateClient identifies the client of a token request and checks its
// credential, if any. It returns the app and its appidacr. Confidential
// clients must present a secret or a certificate assertion; public clients
// may present none.
func (h *Handler) authenticateClient(r *http.Request, t tenantRef, requireCredential bool) (App, string, *oauthError) {
	clientID := r.PostForm.Get("client_id")
	if clientID == "" {
		return App{}, "", missingParameter("client_id")
	}
	app, oerr := h.lookupApp(r.Context(), clientID, t)
	if oerr != nil {
		return App{}, "", oerr
	}
	secret, assertion := r.PostForm.Get("client_secret"), r.PostForm.Get("client_assertion")
	_, firstParty := firstPartyApp(clientID)
	switch {
	case (secret != "" || assertion != "") && firstParty:
		return App{}, "", invalidClient(700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.")
	case secret != "":
		err := h.dir.VerifyAppSecret(r.Context(), clientID, secret)
		switch {
		case errors.Is(err, ErrInvalidCredentials), errors.Is(err, ErrNotFound):
			return App{}, "", invalidClient(7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.", clientID)
		case err != nil:
			h.log.Error("verify client secret", zap.String("app_id", clientID), zap.Error(err))
			return App{}, "", serverError()
		}
		return app, acrSecret, nil
	case assertion != "":
		if typ := r.PostForm.Get("client_assertion_type"); typ != clientAssertionType {
			return App{}, "", invalidRequest(50027, "The client_assertion_type '%s' is not supported; use '%s'.", typ, clientAssertionType)
		}
		if oerr := h.verifyAssertion(r, t, app, assertion); oerr != nil {
			return App{}, "", oerr
		}
		return app, acrCertificate, nil
	case requireCredential || !app.PublicClient:
		return App{}, "", invalidClient(7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
	}
	return app, acrPublic, nil
}

var errKeyNotRegistered = errors.New("key not registered")

// verifyAssertion checks a private_key_jwt client assertion: signed (RS256 or
// PS256) by a certificate registered on the app, issued by and about the
// client, addressed to this tenant's token endpoint, and current.
func (h *Handler) verifyAssertion(r *http.Request, t tenantRef, app App, assertion string) *oauthError {
	var claims jwt.RegisteredClaims
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{"RS256", "PS256"}),
		jwt.WithTimeFunc(h.now),
		jwt.WithLeeway(assertionSkew),
		jwt.WithExpirationRequired(),
	)
	var thumb string
	_, err := parser.ParseWithClaims(assertion, &claims, func(tok *jwt.Token) (any, error) {
		cert, id := findCertificate(tok.Header, app.Certificates)
		thumb = id
		if cert == nil {
			return nil, errKeyNotRegistered
		}
		if now := h.now(); now.Before(cert.NotBefore) || now.After(cert.NotAfter) {
			return nil, errCertificateExpired
		}
		key, ok := cert.PublicKey.(*rsa.PublicKey)
		if !ok {
			return nil, errKeyNotRegistered
		}
		return key, nil
	})
	switch {
	case errors.Is(err, errKeyNotRegistered):
		return invalidClient(700027, "The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '%s', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '%s'.]", thumb, app.AppID)
	case errors.Is(err, errCertificateExpired):
		return invalidClient(700027, "Client assertion failed signature validation. [Reason - The key used is expired., Thumbprint of key used by client: '%s']", thumb)
	case errors.Is(err, jwt.ErrTokenExpired), errors.Is(err, jwt.ErrTokenNotValidYet):
		return invalidClient(700024, "Client assertion is not within its valid time range.")
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return invalidClient(700027, "Client assertion failed signature validation.")
	case err != nil:
		return invalidClient(50027, "JWT token is invalid or malformed.")
	}
	if claims.Issuer != app.AppID || claims.Subject != app.AppID {
		return invalidClient(700021, "Client assertion application identifier doesn't match 'client_id' parameter.")
	}
	for _, aud := range claims.Audience {
		if h.isTokenEndpointAudience(r, t, aud) {
			return nil
		}
	}
	return invalidClient(50027, "JWT token is invalid or malformed: the audience must be the tenant's token endpoint.")
}

var errCertificateExpired = errors.New("certificate expired")

// findCertificate picks the registered certificate the JWT header names by
// x5t#S256, x5t or x5c, and returns the thumbprint the client used.
func findCertificate(header map[string]any, certs []*x509.Certificate) (*x509.Certificate, string) {
	if s, ok := header["x5t#S256"].(string); ok {
		want := decodeThumbprint(s)
		for _, c := range certs {
			if sum := sha256.Sum256(c.Raw); bytes.Equal(sum[:], want) {
				return c, s
			}
		}
		return nil, s
	}
	if s, ok := header["x5t"].(string); ok {
		want := decodeThumbprint(s)
		for _, c := range certs {
			if sum := sha1.Sum(c.Raw); bytes.Equal(sum[:], want) {
				return c, s
			}
		}
		return nil, s
	}
	if chain, ok := header["x5c"].([]any); ok && len(chain) > 0 {
		if s, ok := chain[0].(string); ok {
			der, _ := base64.StdEncoding.DecodeString(s)
			for _, c := range certs {
				if bytes.Equal(c.Raw, der) {
					return c, "x5c"
				}
			}
		}
	}
	return nil, ""
}

// decodeThumbprint accepts base64url as the JOSE specs say and standard
// base64 as MSAL for Go sends.
func decodeThumbprint(s string) []byte {
	for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.URLEncoding, base64.StdEncoding, base64.RawStdEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b
		}
	}
	return nil
}

// isTokenEndpointAudience accepts the audiences Entra accepts in client
// assertions: the v2.0 or v1 token endpoint or the v2.0 issuer, of this host,
// naming this tenant by any alias.
func (h *Handler) isTokenEndpointAudience(r *http.Request, t tenantRef, aud string) bool {
	u, err := url.Parse(aud)
	if err != nil || !strings.EqualFold(u.Scheme+"://"+u.Host, h.baseURL(r)) {
		return false
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	name := segs[0]
	if !isTenantName(t.TenantInfo, name) && !strings.EqualFold(name, "organizations") && !strings.EqualFold(name, "common") {
		return false
	}
	switch strings.Join(segs[1:], "/") {
	case "oauth2/v2.0/token", "oauth2/token", "v2.0":
		return true
	}
	return false
}
