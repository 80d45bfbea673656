package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"go.uber.org/zap/zapcore"
)

// TokenSource gives a connection its access token.
type TokenSource interface {
	Token(ctx context.Context, opts TokenOptions) (Token, error)
}

// TokenOptions asks for more than the current token.
type TokenOptions struct {
	// Claims is the claims challenge of a 401's WWW-Authenticate header
	// (decoded JSON); it forces a new token that satisfies it.
	Claims string
	// ForceRefresh forces a new token from the identity provider.
	ForceRefresh bool
}

// Token is an access token with what the daemon reads from its claims.
// String and MarshalLogObject leave AccessToken out, so logging a Token
// never leaks it.
type Token struct {
	AccessToken string
	ExpiresOn   time.Time
	TenantID    string // tid
	UPN         string // upn or unique_name; empty for app-only tokens
	ObjectID    string // oid: the user, or the app's service principal
	AppID       string // appid (azp in v2 tokens)
}

func (t Token) String() string {
	return fmt.Sprintf("Token{tid=%s upn=%s oid=%s appid=%s expires=%s}",
		t.TenantID, t.UPN, t.ObjectID, t.AppID, t.ExpiresOn.UTC().Format(time.RFC3339))
}

// GoString keeps %#v from printing the token too.
func (t Token) GoString() string { return t.String() }

// MarshalLogObject implements zapcore.ObjectMarshaler.
func (t Token) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddString("tid", t.TenantID)
	enc.AddString("upn", t.UPN)
	enc.AddString("oid", t.ObjectID)
	enc.AddString("appid", t.AppID)
	enc.AddTime("expires", t.ExpiresOn)
	return nil
}

// parseToken reads the claims of a JWT access token without verifying it:
// the service verifies it, the daemon only needs the tenant and identity.
// expiresOn is used when non-zero, else the exp claim.
func parseToken(raw string, expiresOn time.Time) (Token, error) {
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(raw, claims); err != nil {
		return Token{}, fmt.Errorf("read access token claims: %w", err)
	}
	str := func(names ...string) string {
		for _, n := range names {
			if s, ok := claims[n].(string); ok && s != "" {
				return s
			}
		}
		return ""
	}
	t := Token{
		AccessToken: raw,
		ExpiresOn:   expiresOn,
		TenantID:    str("tid"),
		UPN:         str("upn", "unique_name"),
		ObjectID:    str("oid"),
		AppID:       str("appid", "azp"),
	}
	if t.ExpiresOn.IsZero() {
		exp, err := claims.GetExpirationTime()
		if err != nil || exp == nil {
			return Token{}, fmt.Errorf("access token has no valid exp claim")
		}
		t.ExpiresOn = exp.Time
	}
	return t, nil
}
