package idp

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
	"github.com/golang-jwt/jwt/v5"
)

// userToken signs in the admin with a password and returns the access token.
func (e *testEnv) userToken(t *testing.T, scope string) string {
	t.Helper()
	res, err := ropc(context.Background(), e.publicClient(t, ExchangePowerShellClientID, "organizations"), []string{scope}, adminUPN, adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	return res.AccessToken
}

func TestVerifierRefusals(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	good := e.userToken(t, exchangeScope)
	parts := strings.Split(good, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(payload), adminUPN, "ceo@contoso.com", 1))) + "." + parts[2]

	// A token signed by a key this verifier does not know.
	claims := jwt.MapClaims{
		"aud": ExchangeResource, "iss": stsIssuer(tenantID),
		"iat": e.clock.Now().Unix(), "exp": e.clock.Now().Add(time.Hour).Unix(),
	}
	unknown := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	unknown.Header["kid"] = "someone-else"
	foreign, err := unknown.SignedString(unregisteredCert().Key)
	if err != nil {
		t.Fatal(err)
	}

	// A correctly signed token with another issuer.
	forged, err := e.h.signer.sign(typJWT, jwt.MapClaims{
		"aud": ExchangeResource, "iss": "https://sts.windows.net/00000000-0000-0000-0000-000000000000/",
		"iat": e.clock.Now().Unix(), "exp": e.clock.Now().Add(time.Hour).Unix(),
	})
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, token, audience string
		advance               time.Duration
		want                  error
	}{
		{"valid", good, ExchangeResource, 0, nil},
		{"audience with trailing slash", good, ExchangeResource + "/", 0, nil},
		{"within skew", good, ExchangeResource, time.Hour + 30*time.Second, nil},
		{"expired", good, ExchangeResource, time.Hour + 2*time.Minute, ErrTokenExpired},
		{"wrong audience", good, ComplianceResource, 0, ErrTokenInvalid},
		{"tampered payload", tampered, ExchangeResource, 0, ErrTokenInvalid},
		{"unknown key", foreign, ExchangeResource, 0, ErrTokenInvalid},
		{"wrong issuer", forged, ExchangeResource, 0, ErrTokenInvalid},
		{"not a JWT", "abc", ExchangeResource, 0, ErrTokenInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &fakeClock{now: e.clock.Now().Add(tt.advance)}
			v := &Verifier{h: &Handler{dir: e.h.dir, signer: e.h.signer, state: e.h.state, now: clock.Now}}
			_, err := v.Verify(context.Background(), tt.token, tt.audience)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				return
			}
			var ve *VerifyError
			if !errors.Is(err, tt.want) || !errors.As(err, &ve) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			ch := v.Challenge(err)
			if !strings.HasPrefix(ch, "Bearer ") || !strings.Contains(ch, `error="invalid_token"`) {
				t.Errorf("challenge = %s", ch)
			}
		})
	}
}

func TestRevocationRaisesClaimsChallenge(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, fixedBaseURL)
	ctx := context.Background()
	c := e.publicClient(t, ExchangePowerShellClientID, "organizations")
	before, err := ropc(ctx, c, []string{exchangeScope}, adminUPN, adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Second)
	e.h.RevokeUser(adminOID)

	_, err = e.h.Verifier().Verify(ctx, before.AccessToken, ExchangeResource)
	var ve *VerifyError
	if !errors.Is(err, ErrTokenRevoked) || !errors.As(err, &ve) {
		t.Fatalf("err = %v, want ErrTokenRevoked", err)
	}
	ch := e.h.Verifier().Challenge(err)
	wantClaims := base64.StdEncoding.EncodeToString([]byte(ve.Claims))
	if !strings.Contains(ch, `error="insufficient_claims"`) || !strings.Contains(ch, `claims="`+wantClaims+`"`) ||
		!strings.Contains(ch, `authorization_uri="`+e.srv.URL+`/common/oauth2/v2.0/authorize"`) {
		t.Errorf("challenge = %s", ch)
	}
	if !strings.Contains(ve.Claims, `"nbf":{"essential":true`) {
		t.Errorf("claims = %s", ve.Claims)
	}

	// The refresh token is gone too: only a new sign-in helps.
	_, err = c.AcquireTokenSilent(ctx, []string{exchangeScope}, public.WithSilentAccount(before.Account), public.WithClaims(ve.Claims))
	if err == nil || !strings.Contains(err.Error(), "AADSTS50173") {
		t.Errorf("refresh after revocation: err = %v, want AADSTS50173", err)
	}
	after, err := ropc(ctx, c, []string{exchangeScope}, adminUPN, adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	e.verify(t, after.AccessToken, ExchangeResource)
}

func TestRefreshTokenIsNotAnAccessToken(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	var tok struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	postJSON(t, e, e.authority("organizations")+"/oauth2/v2.0/token", url.Values{
		"grant_type": {"password"}, "client_id": {ExchangePowerShellClientID}, "username": {adminUPN}, "password": {adminPassword},
		"scope": {exchangeScope + " openid profile offline_access"},
	}, http.StatusOK, &tok)
	if _, err := e.h.Verifier().Verify(context.Background(), tok.RefreshToken, ExchangeResource); !errors.Is(err, ErrTokenInvalid) {
		t.Errorf("refresh token as access token: err = %v", err)
	}
	var body struct {
		Error string `json:"error"`
	}
	postJSON(t, e, e.authority("organizations")+"/oauth2/v2.0/token", url.Values{
		"grant_type": {"refresh_token"}, "client_id": {ExchangePowerShellClientID}, "refresh_token": {tok.AccessToken}, "scope": {exchangeScope},
	}, http.StatusBadRequest, &body)
	if body.Error != "invalid_grant" {
		t.Errorf("access token as refresh token: error = %q", body.Error)
	}

	// A handler restarted with the same signing key honours the refresh token.
	restarted := newTestEnv(t)
	var again struct {
		AccessToken string `json:"access_token"`
	}
	postJSON(t, restarted, restarted.authority("organizations")+"/oauth2/v2.0/token", url.Values{
		"grant_type": {"refresh_token"}, "client_id": {ExchangePowerShellClientID}, "refresh_token": {tok.RefreshToken}, "scope": {exchangeScope},
	}, http.StatusOK, &again)
	restarted.verify(t, again.AccessToken, ExchangeResource)
}

func TestKeyIDIsStableForAKey(t *testing.T) {
	t.Parallel()
	a, err := newSigner(testSigningKey())
	if err != nil {
		t.Fatal(err)
	}
	b, err := newSigner(testSigningKey())
	if err != nil {
		t.Fatal(err)
	}
	if a.kid != b.kid || string(a.jwksJSON()) != string(b.jwksJSON()) {
		t.Errorf("kid %s then %s", a.kid, b.kid)
	}
}
