package auth

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"
)

func TestRenewal(t *testing.T) {
	t.Parallel()
	// MSAL does not cache such short-lived access tokens, so each renewal
	// redeems the refresh token.
	const life = 3 * time.Second
	e := newTestIDP(t, tokenLifetime(life))
	ctx := context.Background()
	src, err := NewPassword(ctx, e.config(t, "organizations"), adminUPN, adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	first, err := src.Token(ctx, TokenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	again, err := src.Token(ctx, TokenOptions{})
	if err != nil || again.AccessToken != first.AccessToken || e.grants.count("refresh_token") != 0 {
		t.Fatalf("a fresh token was renewed: %v", err)
	}

	// After expiry, concurrent callers share one renewal, without the password.
	time.Sleep(time.Until(first.ExpiresOn) + 100*time.Millisecond)
	const callers = 8
	toks := make([]Token, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() { toks[i], errs[i] = src.Token(ctx, TokenOptions{}) })
	}
	wg.Wait()
	for i := range callers {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if toks[i].AccessToken != toks[0].AccessToken || toks[i].AccessToken == first.AccessToken {
			t.Fatalf("caller %d got another token", i)
		}
	}
	e.verify(t, toks[0], e.srv.URL)
	if p, r := e.grants.count("password"), e.grants.count("refresh_token"); p != 1 || r != 1 {
		t.Errorf("password grants %d, refresh_token grants %d; want 1 and 1", p, r)
	}
}

func TestClaimsChallenge(t *testing.T) {
	t.Parallel()
	e := newTestIDP(t)
	ctx := context.Background()
	src, err := NewPassword(ctx, e.config(t, "organizations"), adminUPN, adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	first, _ := src.Token(ctx, TokenOptions{})
	challenge := `{"access_token":{"nbf":{"essential":true,"value":"` + strconv.FormatInt(time.Now().Unix(), 10) + `"}}}`

	got, err := src.Token(ctx, TokenOptions{Claims: challenge})
	if err != nil {
		t.Fatal(err)
	}
	if got.AccessToken == first.AccessToken {
		t.Fatal("the claims challenge returned the cached token")
	}
	// The new token is the current one now.
	if cur, _ := src.Token(ctx, TokenOptions{}); cur.AccessToken != got.AccessToken {
		t.Error("the renewed token did not replace the current one")
	}
	forced, err := src.Token(ctx, TokenOptions{ForceRefresh: true})
	if err != nil || forced.AccessToken == got.AccessToken {
		t.Fatalf("forced refresh: %v", err)
	}
	if n := e.grants.count("refresh_token"); n != 2 {
		t.Errorf("refresh_token grants = %d, want 2", n)
	}

	// Revocation (a password reset) invalidates the refresh token: the user
	// must sign in again.
	e.h.RevokeUser(adminOID)
	if _, err := src.Token(ctx, TokenOptions{Claims: challenge}); !errors.Is(err, ErrInteractionRequired) {
		t.Fatalf("after revocation: err = %v, want ErrInteractionRequired", err)
	}
	var ae *Error
	if _, err := src.Token(ctx, TokenOptions{ForceRefresh: true}); !errors.As(err, &ae) || ae.Code != 50173 {
		t.Errorf("after revocation: err = %v, want AADSTS50173", err)
	}
	// Without a challenge, the unexpired token still serves.
	if cur, err := src.Token(ctx, TokenOptions{}); err != nil || cur.AccessToken != forced.AccessToken {
		t.Errorf("plain Token after a failed renewal: %v", err)
	}
}

// stubAcquirer counts acquisitions and can block them.
type stubAcquirer struct {
	mu    sync.Mutex
	n     int
	life  time.Duration
	gate  chan struct{} // when not nil, each acquisition waits for it
	fail  error
	calls chan struct{}
}

func (s *stubAcquirer) acquire(ctx context.Context, _ TokenOptions) (Token, error) {
	s.calls <- struct{}{}
	if s.gate != nil {
		select {
		case <-s.gate:
		case <-ctx.Done():
			return Token{}, ctx.Err()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return Token{}, s.fail
	}
	s.n++
	return Token{AccessToken: fmt.Sprint("t", s.n), ExpiresOn: time.Now().Add(s.life)}, nil
}

func (s *stubAcquirer) signOut(context.Context) error { return nil }

func TestSourceSharesRenewalsAndSurvivesCancellation(t *testing.T) {
	t.Parallel()
	acq := &stubAcquirer{life: time.Hour, gate: make(chan struct{}), calls: make(chan struct{}, 10)}
	src := newSource(FlowPassword, acq, Token{AccessToken: "t0", ExpiresOn: time.Now().Add(time.Hour)}, zaptest.NewLogger(t))

	// A leader whose context ends does not fail the callers waiting on it.
	leaderCtx, cancel := context.WithCancel(context.Background())
	leaderErr := make(chan error, 1)
	go func() {
		_, err := src.Token(leaderCtx, TokenOptions{ForceRefresh: true})
		leaderErr <- err
	}()
	<-acq.calls
	type result struct {
		tok Token
		err error
	}
	follower := make(chan result, 1)
	go func() {
		tok, err := src.Token(context.Background(), TokenOptions{ForceRefresh: true})
		follower <- result{tok, err}
	}()
	time.Sleep(50 * time.Millisecond) // let the follower wait on the flight
	cancel()
	if err := <-leaderErr; !errors.Is(err, context.Canceled) {
		t.Fatalf("leader: %v", err)
	}
	<-acq.calls // the follower leads the next flight
	close(acq.gate)
	if r := <-follower; r.err != nil || r.tok.AccessToken != "t1" {
		t.Fatalf("follower = %v, %v", r.tok.AccessToken, r.err)
	}

	// A failed renewal leaves a still-valid token in service, and is not
	// retried at once.
	acq.mu.Lock()
	acq.fail = errors.New("idp down")
	acq.mu.Unlock()
	src.mu.Lock()
	src.curAt = time.Now().Add(-56 * time.Minute) // into the renewal window
	src.cur.ExpiresOn = time.Now().Add(4 * time.Minute)
	src.mu.Unlock()
	for range 3 {
		if tok, err := src.Token(context.Background(), TokenOptions{}); err != nil || tok.AccessToken != "t1" {
			t.Fatalf("Token = %v, %v", tok.AccessToken, err)
		}
	}
	if len(acq.calls) != 1 {
		t.Errorf("acquisitions after the failure = %d, want 1", len(acq.calls))
	}
	if _, err := src.Token(context.Background(), TokenOptions{ForceRefresh: true}); err == nil {
		t.Error("a forced renewal hid the failure")
	}
}

func TestRenewalWindow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		life, age time.Duration
		fresh     bool
	}{
		{time.Hour, 54 * time.Minute, true},
		{time.Hour, 56 * time.Minute, false},
		{10 * time.Minute, 7 * time.Minute, true},
		{10 * time.Minute, 9 * time.Minute, false},
		{3 * time.Second, 2 * time.Second, true},
		{3 * time.Second, 2500 * time.Millisecond, false},
	}
	for _, tt := range tests {
		now := time.Now()
		s := &Source{cur: Token{AccessToken: "x", ExpiresOn: now.Add(tt.life - tt.age)}, curAt: now.Add(-tt.age)}
		if _, ok := s.usable(now, false); ok != tt.fresh {
			t.Errorf("life %s, age %s: usable = %v", tt.life, tt.age, ok)
		}
	}
}
