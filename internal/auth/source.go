package auth

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"go.uber.org/zap"
)

// Flow names the sign-in flow of a Source.
type Flow string

// Flows.
const (
	FlowPassword        Flow = "Password"
	FlowDeviceCode      Flow = "DeviceCode"
	FlowInteractive     Flow = "Interactive"
	FlowCertificate     Flow = "Certificate"
	FlowAccessToken     Flow = "AccessToken"
	FlowManagedIdentity Flow = "ManagedIdentity"
	// FlowCache is a user sign-in restored from the persistent cache.
	FlowCache Flow = "Cache"
)

const (
	// refreshMargin is how long before expiry a token is renewed; tokens
	// living less than five margins are renewed at 80% of their life.
	refreshMargin = 5 * time.Minute
	// retryDelay spaces renewal attempts after a failure while the current
	// token is still valid.
	retryDelay = 30 * time.Second
)

// acquirer gets tokens for a Source after its first sign-in.
type acquirer interface {
	// acquire returns a new token, or a cached one that is not about to
	// expire unless opts forces a new one.
	acquire(ctx context.Context, opts TokenOptions) (Token, error)
	// signOut removes the sign-in from MSAL's cache, where it has one.
	signOut(ctx context.Context) error
}

// Source is the TokenSource of one connection. It returns its current token
// until shortly before expiry, then renews it once for all concurrent callers.
type Source struct {
	flow Flow
	acq  acquirer
	log  *zap.Logger

	mu      sync.Mutex
	cur     Token
	curAt   time.Time // when cur was obtained
	retryAt time.Time // no renewal before this after a failed one
	flight  *flight   // the renewal in progress
}

// flight is one renewal; its fields are set before done is closed.
type flight struct {
	done chan struct{}
	tok  Token
	err  error
}

var _ TokenSource = (*Source)(nil)

func newSource(flow Flow, acq acquirer, first Token, log *zap.Logger) *Source {
	s := &Source{flow: flow, acq: acq, log: log.With(zap.String("flow", string(flow))), cur: first, curAt: time.Now()}
	s.log.Info("signed in", zap.Object("token", first))
	return s
}

// Flow returns the sign-in flow the source was made with.
func (s *Source) Flow() Flow { return s.flow }

// Token returns a valid access token; see TokenOptions.
func (s *Source) Token(ctx context.Context, opts TokenOptions) (Token, error) {
	start := time.Now()
	forced := opts.Claims != "" || opts.ForceRefresh
	for {
		s.mu.Lock()
		if tok, ok := s.usable(start, forced); ok {
			s.mu.Unlock()
			return tok, nil
		}
		if f := s.flight; f != nil {
			s.mu.Unlock()
			select {
			case <-f.done:
			case <-ctx.Done():
				return Token{}, ctx.Err()
			}
			// The leader's cancellation is not ours: go round and lead.
			if f.err != nil && !isContextErr(f.err) {
				s.mu.Lock()
				tok, ok := s.usable(start, forced)
				s.mu.Unlock()
				if ok {
					return tok, nil
				}
				return Token{}, f.err
			}
			continue
		}
		f := &flight{done: make(chan struct{})}
		s.flight = f
		s.mu.Unlock()
		return s.renew(ctx, f, opts, start, forced)
	}
}

// usable returns the current token if it serves a call that began at start.
// The caller holds s.mu.
func (s *Source) usable(start time.Time, forced bool) (Token, bool) {
	now := time.Now()
	if s.cur.AccessToken == "" || !now.Before(s.cur.ExpiresOn) {
		return Token{}, false
	}
	if forced {
		// Only a token obtained after the call began can answer a challenge.
		return s.cur, !s.curAt.Before(start)
	}
	life := s.cur.ExpiresOn.Sub(s.curAt)
	renewAt := s.cur.ExpiresOn.Add(-min(refreshMargin, life/5))
	return s.cur, now.Before(renewAt) || now.Before(s.retryAt)
}

// renew runs flight f and publishes its outcome.
func (s *Source) renew(ctx context.Context, f *flight, opts TokenOptions, start time.Time, forced bool) (Token, error) {
	tok, err := s.acq.acquire(ctx, opts)
	s.mu.Lock()
	s.flight = nil
	if err == nil {
		s.cur, s.curAt, s.retryAt = tok, time.Now(), time.Time{}
	} else if !isContextErr(err) {
		s.retryAt = time.Now().Add(retryDelay)
	}
	cur, stillValid := s.usable(start, forced)
	s.mu.Unlock()
	f.tok, f.err = tok, err
	close(f.done)

	if err != nil {
		if stillValid {
			s.log.Warn("token renewal failed; the current token is still valid", zap.Error(err), zap.Time("expires", cur.ExpiresOn))
			return cur, nil
		}
		s.log.Warn("token renewal failed", zap.Error(err), zap.Bool("claims", opts.Claims != ""), zap.Bool("forced", opts.ForceRefresh))
		return Token{}, err
	}
	s.log.Debug("token renewed", zap.Object("token", tok), zap.Bool("claims", opts.Claims != ""))
	return tok, nil
}

// SignOut removes the sign-in from the token cache, so no later
// SilentFromCache finds it. The source keeps its current token.
func (s *Source) SignOut(ctx context.Context) error {
	return s.acq.signOut(ctx)
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// freshClaims is the claims request that stands in for a forced refresh:
// MSAL for Go has no force-refresh option, but bypasses its cache for any
// claims request. It asks for a token issued from now on, the same request
// Entra's continuous access evaluation challenges make.
func freshClaims(now time.Time) string {
	return `{"access_token":{"nbf":{"essential":true,"value":"` + strconv.FormatInt(now.Unix(), 10) + `"}}}`
}

// claimsFor is the claims request of an acquisition: the challenge, a
// forced refresh, or none.
func claimsFor(opts TokenOptions) string {
	if opts.Claims == "" && opts.ForceRefresh {
		return freshClaims(time.Now())
	}
	return opts.Claims
}
