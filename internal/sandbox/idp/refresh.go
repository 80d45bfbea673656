package idp

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// JWT types in the typ header. Refresh tokens are JWTs too, so that they need
// no server-side storage and survive a restart when the signing key is kept;
// clients treat them as opaque, and their own typ keeps them from passing as
// access tokens or the reverse.
const (
	typJWT     = "JWT"
	typRefresh = "RT"
)

// refreshClaims is the content of a refresh token.
type refreshClaims struct {
	jwt.RegisteredClaims
	TenantID string   `json:"tid"`
	ObjectID string   `json:"oid"`
	ClientID string   `json:"cid"`
	AMR      []string `json:"amr"`
	AuthTime int64    `json:"auth_time"`
	// IssuedMillis orders the token against revocations more finely than iat.
	IssuedMillis int64 `json:"itm"`
}

func (h *Handler) newRefreshToken(s session, now time.Time) (string, error) {
	return h.signer.sign(typRefresh, jwt.MapClaims{
		"tid":       s.tenantID,
		"oid":       s.userOID,
		"cid":       s.clientID,
		"amr":       s.amr,
		"auth_time": s.authTime.Unix(),
		"iat":       now.Unix(),
		"itm":       now.UnixMilli(),
		"exp":       now.Add(h.refreshLife).Unix(),
	})
}

// parseRefreshToken checks a refresh token and returns the sign-in it
// carries on.
func (h *Handler) parseRefreshToken(raw string) (session, *oauthError) {
	var c refreshClaims
	parser := jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}), jwt.WithTimeFunc(h.now), jwt.WithExpirationRequired())
	_, err := parser.ParseWithClaims(raw, &c, func(tok *jwt.Token) (any, error) {
		if typ, _ := tok.Header["typ"].(string); typ != typRefresh {
			return nil, errors.New("not a refresh token")
		}
		if kid, _ := tok.Header["kid"].(string); kid != h.signer.kid {
			return nil, fmt.Errorf("unknown signing key %q", kid)
		}
		return &h.signer.key.PublicKey, nil
	})
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return session{}, invalidGrant(700082, "The refresh token has expired due to inactivity. The token was issued on %s and was inactive for %s.",
			c.IssuedAt.UTC().Format(time.RFC3339), h.refreshLife)
	case err != nil:
		return session{}, invalidGrant(9002313, "Invalid request. Request is malformed or invalid. The refresh token is not valid.")
	}
	if at, ok := h.state.revokedAt(c.ObjectID); ok && c.IssuedMillis < at.UnixMilli() {
		return session{}, invalidGrant(50173, "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.")
	}
	return session{
		tenantID: c.TenantID,
		clientID: c.ClientID,
		userOID:  c.ObjectID,
		amr:      c.AMR,
		authTime: time.Unix(c.AuthTime, 0),
	}, nil
}

// refreshTokenGrant redeems a refresh token for a new access token to any
// resource, and hands out a new refresh token. The old one stays valid until
// it expires or the user is revoked, as in Entra.
func (h *Handler) refreshTokenGrant(r *http.Request, t tenantRef) (tokenResponse, *oauthError) {
	raw := r.PostForm.Get("refresh_token")
	if raw == "" {
		return tokenResponse{}, missingParameter("refresh_token")
	}
	app, acr, oerr := h.authenticateClient(r, t, false)
	if oerr != nil {
		return tokenResponse{}, oerr
	}
	s, oerr := h.parseRefreshToken(raw)
	switch {
	case oerr != nil:
		return tokenResponse{}, oerr
	case s.clientID != app.AppID:
		return tokenResponse{}, invalidGrant(70000, "The refresh token was issued to a different client.")
	case s.tenantID != t.ID:
		return tokenResponse{}, invalidGrant(70000, "The refresh token was issued by a different tenant.")
	}
	scope, oerr := h.parseScope(r.PostForm.Get("scope"), t, false)
	if oerr != nil {
		return tokenResponse{}, oerr
	}
	user, oerr := h.currentUser(r.Context(), s.userOID)
	if oerr != nil {
		return tokenResponse{}, oerr
	}
	return h.issueUser(r, t, app, acr, user, s, scope, "")
}
