package idp

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Kinds of verification failure; a *VerifyError wraps one of them.
var (
	ErrTokenInvalid = errors.New("idp: invalid token")
	ErrTokenExpired = errors.New("idp: token expired")
	// ErrTokenRevoked means the user was revoked after the token was issued;
	// the client must get a new token satisfying VerifyError.Claims.
	ErrTokenRevoked = errors.New("idp: token revoked")
)

// VerifyError says why a token was refused.
type VerifyError struct {
	Kind   error // ErrTokenInvalid, ErrTokenExpired or ErrTokenRevoked
	Reason string
	// Claims is the claims challenge JSON for a revoked token, which clients
	// hand to MSAL's WithClaims.
	Claims string
}

func (e *VerifyError) Error() string { return e.Kind.Error() + ": " + e.Reason }
func (e *VerifyError) Unwrap() error { return e.Kind }

// Claims are the verified claims of an access token.
type Claims struct {
	TenantID       string
	ObjectID       string // the user, or the app's service principal
	UPN            string // users only
	Name           string
	AppID          string // the client application
	AppDisplayName string
	Audience       string
	// IsApp is true for app-only tokens (client credentials, managed identity).
	IsApp bool
	// Scopes are the delegated permissions of a user token (scp).
	Scopes []string
	// AppRoles are the application permissions of an app-only token (roles),
	// such as "Exchange.ManageAsApp".
	AppRoles []string
	// ExchangeRoles are the principal's role names, for Exchange RBAC.
	ExchangeRoles []string
	// DirectoryRoleIDs are the Entra role template IDs (wids).
	DirectoryRoleIDs []string
	IssuedAt         time.Time
	ExpiresAt        time.Time
}

// exchangeAppID is Office 365 Exchange Online's application ID, which
// Exchange names in its WWW-Authenticate challenges.
const exchangeAppID = "00000002-0000-0ff1-ce00-000000000000"

// verifySkew is the clock skew allowed on nbf and exp.
const verifySkew = time.Minute

// Verifier checks access tokens issued by a Handler.
type Verifier struct {
	h *Handler
}

type accessClaims struct {
	jwt.RegisteredClaims
	TenantID       string   `json:"tid"`
	ObjectID       string   `json:"oid"`
	UPN            string   `json:"upn"`
	Name           string   `json:"name"`
	AppID          string   `json:"appid"`
	AppDisplayName string   `json:"app_displayname"`
	Scope          string   `json:"scp"`
	Roles          []string `json:"roles"`
	ExchangeRoles  []string `json:"exo_roles"`
	WIDs           []string `json:"wids"`
	IDType         string   `json:"idtyp"`
}

// Verify checks the token's signature, issuer, audience (compared without
// case or a trailing slash) and lifetime, and whether its user was revoked.
// Refusals are *VerifyError; other errors are failures to read the tenant.
func (v *Verifier) Verify(ctx context.Context, raw, expectedAudience string) (Claims, error) {
	t, err := v.h.dir.Tenant(ctx)
	if err != nil {
		return Claims{}, fmt.Errorf("idp: read tenant: %w", err)
	}
	var c accessClaims
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithTimeFunc(v.h.now),
		jwt.WithLeeway(verifySkew),
		jwt.WithExpirationRequired(),
		jwt.WithIssuer(stsIssuer(t.ID)),
	)
	_, err = parser.ParseWithClaims(raw, &c, func(tok *jwt.Token) (any, error) {
		if typ, _ := tok.Header["typ"].(string); typ != typJWT {
			return nil, fmt.Errorf("token type %q is not an access token", typ)
		}
		if kid, _ := tok.Header["kid"].(string); kid != v.h.signer.kid {
			return nil, fmt.Errorf("unknown signing key %q", kid)
		}
		return &v.h.signer.key.PublicKey, nil
	})
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return Claims{}, &VerifyError{Kind: ErrTokenExpired, Reason: "The token is expired."}
	case err != nil:
		return Claims{}, &VerifyError{Kind: ErrTokenInvalid, Reason: err.Error()}
	}
	aud, ok := matchAudience(c.Audience, expectedAudience)
	if !ok {
		return Claims{}, &VerifyError{Kind: ErrTokenInvalid, Reason: fmt.Sprintf("The audience %q is invalid.", strings.Join(c.Audience, " "))}
	}
	if c.IssuedAt == nil {
		return Claims{}, &VerifyError{Kind: ErrTokenInvalid, Reason: "The token has no iat claim."}
	}
	// iat has whole seconds, so tokens issued in the second of the revocation
	// remain valid.
	if at, ok := v.h.state.revokedAt(c.ObjectID); ok && c.IssuedAt.Unix() < at.Unix() {
		return Claims{}, &VerifyError{
			Kind:   ErrTokenRevoked,
			Reason: "The user's tokens were revoked.",
			Claims: `{"access_token":{"nbf":{"essential":true,"value":"` + strconv.FormatInt(at.Unix(), 10) + `"}}}`,
		}
	}
	if claims, ok := v.h.state.takeChallenge(); ok {
		return Claims{}, &VerifyError{Kind: ErrTokenRevoked, Reason: "The session's conditions changed; a new token is required.", Claims: claims}
	}
	out := Claims{
		TenantID:         c.TenantID,
		ObjectID:         c.ObjectID,
		UPN:              c.UPN,
		Name:             c.Name,
		AppID:            c.AppID,
		AppDisplayName:   c.AppDisplayName,
		Audience:         aud,
		IsApp:            c.IDType == "app",
		Scopes:           strings.Fields(c.Scope),
		AppRoles:         c.Roles,
		ExchangeRoles:    c.ExchangeRoles,
		DirectoryRoleIDs: c.WIDs,
		IssuedAt:         c.IssuedAt.Time,
	}
	if c.ExpiresAt != nil {
		out.ExpiresAt = c.ExpiresAt.Time
	}
	return out, nil
}

// matchAudience returns the token audience equal to want, ignoring case and
// a trailing slash.
func matchAudience(auds []string, want string) (string, bool) {
	norm := func(s string) string { return strings.TrimRight(strings.ToLower(s), "/") }
	for _, a := range auds {
		if want != "" && norm(a) == norm(want) {
			return a, true
		}
	}
	return "", false
}

// Challenge is the WWW-Authenticate value for a 401 answering err, shaped
// like Exchange Online's: invalid_token, or insufficient_claims with the
// base64 claims challenge for a revoked token.
func (v *Verifier) Challenge(err error) string {
	parts := []string{`realm=""`, `client_id="` + exchangeAppID + `"`}
	if v.h.base != "" {
		parts = append(parts, `authorization_uri="`+v.h.base+`/common/oauth2/v2.0/authorize"`)
	}
	var ve *VerifyError
	switch {
	case errors.As(err, &ve) && ve.Claims != "":
		parts = append(parts, `error="insufficient_claims"`, `claims="`+base64.StdEncoding.EncodeToString([]byte(ve.Claims))+`"`)
	case errors.As(err, &ve):
		parts = append(parts, `error="invalid_token"`, `error_description="`+quoteSafe(ve.Reason)+`"`)
	default:
		parts = append(parts, `error="invalid_token"`)
	}
	return "Bearer " + strings.Join(parts, ", ")
}

// quoteSafe drops characters that would break a quoted header parameter.
func quoteSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '"' || r == '\\' || r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}
