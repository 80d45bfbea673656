package auth

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/zap"
)

// staticAcquirer serves a caller-supplied token, which nothing can renew.
type staticAcquirer struct{ tok Token }

func (s staticAcquirer) acquire(_ context.Context, opts TokenOptions) (Token, error) {
	if !time.Now().Before(s.tok.ExpiresOn) {
		return Token{}, s.expired()
	}
	if opts.Claims != "" || opts.ForceRefresh {
		return Token{}, fmt.Errorf("%w: the service asked for a new token, but a token given with -AccessToken cannot be renewed; connect again with a new token", ErrInteractionRequired)
	}
	return s.tok, nil
}

func (s staticAcquirer) expired() error {
	return fmt.Errorf("%w at %s; a token given with -AccessToken cannot be renewed, connect again with a new token",
		ErrTokenExpired, s.tok.ExpiresOn.UTC().Format(time.RFC3339))
}

func (staticAcquirer) signOut(context.Context) error { return nil }

// NewAccessToken wraps a caller-supplied JWT (-AccessToken); of cfg only
// the Logger is used. Its claims are read, not verified: the service
// verifies it. Token returns it until its exp, then ErrTokenExpired.
func NewAccessToken(cfg Config, raw string) (*Source, error) {
	logger := cfg.Logger
	if logger == nil {
		logger = zap.NewNop()
	}
	tok, err := parseToken(raw, time.Time{})
	if err != nil {
		return nil, invalidParameter("The access token is not a valid JWT: %v", err)
	}
	acq := staticAcquirer{tok: tok}
	if _, err := acq.acquire(context.Background(), TokenOptions{}); err != nil {
		return nil, err
	}
	return newSource(FlowAccessToken, acq, tok, logger), nil
}
