package idp

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
)

func TestArmedChallengeFiresOnceAndLeavesRefreshValid(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, func(c *Config, _ string) { c.ControlSecret = "s3cret" })
	ctx := context.Background()
	c := e.publicClient(t, ExchangePowerShellClientID, "organizations")
	before, err := ropc(ctx, c, []string{exchangeScope}, adminUPN, adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	control := func(method, secret string) (int, int) {
		req, err := http.NewRequest(method, e.srv.URL+"/sandbox/idp/challenge", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+secret)
		resp, err := e.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body struct {
			Served int `json:"served"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&body)
		return resp.StatusCode, body.Served
	}
	if status, _ := control(http.MethodPost, "wrong"); status != http.StatusUnauthorized {
		t.Fatalf("control with a wrong secret: %d", status)
	}
	e.verify(t, before.AccessToken, ExchangeResource)
	if status, served := control(http.MethodPost, "s3cret"); status != http.StatusOK || served != 0 {
		t.Fatalf("arm: %d, served %d", status, served)
	}

	_, err = e.h.Verifier().Verify(ctx, before.AccessToken, ExchangeResource)
	var ve *VerifyError
	if !errors.Is(err, ErrTokenRevoked) || !errors.As(err, &ve) || !strings.Contains(ve.Claims, `"nbf":{"essential":true`) {
		t.Fatalf("err = %v, want a claims challenge", err)
	}
	// Once only: the same token passes again, and the refresh token still
	// gets a new one for the claims.
	e.verify(t, before.AccessToken, ExchangeResource)
	after, err := c.AcquireTokenSilent(ctx, []string{exchangeScope}, public.WithSilentAccount(before.Account), public.WithClaims(ve.Claims))
	if err != nil {
		t.Fatalf("refresh after the challenge: %v", err)
	}
	e.verify(t, after.AccessToken, ExchangeResource)
	if status, served := control(http.MethodGet, "s3cret"); status != http.StatusOK || served != 1 {
		t.Fatalf("report: %d, served %d", status, served)
	}
}
