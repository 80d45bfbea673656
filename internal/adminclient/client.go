// Package adminclient sends requests to the Exchange Online admin API as
// the module does (wire-protocol.md §2 and §4): bearer tokens renewed on a
// 401 claims challenge, the module's headers, Retry-After on 429, the
// module's retryable set with exponential backoff, and an adaptive bound
// on requests in flight per connection.
package adminclient

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"

	"github.com/openexo/exo/internal/auth"
)

// ModuleVersion is the ExchangeOnlineManagement version presented to the
// service, which picks its generated module and banner by it.
const ModuleVersion = "3.7.2"

// TokenSource gives access tokens; a connection is one.
type TokenSource interface {
	Token(ctx context.Context, opts auth.TokenOptions) (auth.Token, error)
}

// Options configure a Client.
type Options struct {
	// HTTP sends the requests; nil means http.DefaultClient.
	HTTP *http.Client
	// Tokens authenticates every request.
	Tokens TokenSource
	// ConnectionID is sent as the connection-id header.
	ConnectionID string
	// Limiter bounds requests in flight; nil means no bound.
	Limiter *Limiter
	// MaxRetries bounds retries of failures other than throttling;
	// 0 means the module's 5.
	MaxRetries int
	// Backoff is the first wait of the exponential backoff; 0 means the
	// module's 2 s.
	Backoff time.Duration
	// ThrottleBudget bounds the total time spent waiting on throttled
	// answers for one request; 0 means 10 minutes. Throttling is the
	// service asking for patience, so it does not use up MaxRetries.
	ThrottleBudget time.Duration
	// Logger receives retry decisions; nil discards them.
	Logger *zap.Logger
}

// concurrencyBackoff is the first wait after a throttled answer that does
// not say how long to wait.
const concurrencyBackoff = 100 * time.Millisecond

// Client sends admin API requests for one connection. It is safe for
// concurrent use.
type Client struct {
	opts Options
}

// New returns a client.
func New(opts Options) *Client {
	if opts.HTTP == nil {
		opts.HTTP = http.DefaultClient
	}
	if opts.MaxRetries == 0 {
		opts.MaxRetries = 5
	}
	if opts.Backoff == 0 {
		opts.Backoff = 2 * time.Second
	}
	if opts.ThrottleBudget == 0 {
		opts.ThrottleBudget = 10 * time.Minute
	}
	if opts.Logger == nil {
		opts.Logger = zap.NewNop()
	}
	return &Client{opts: opts}
}

// Request is one admin API request.
type Request struct {
	Method string
	URL    string
	// Header adds headers to the module's set.
	Header http.Header
	// Body is sent as JSON when non-nil.
	Body []byte
	// PageSize, when positive, is sent as Prefer: odata.maxpagesize.
	PageSize int
	// AnchorMailbox is the X-AnchorMailbox routing hint.
	AnchorMailbox string
	// Replayable says a request may be sent again after a failure whose
	// effect is unknown (a transport error once the connection was made, a
	// timeout, a 5xx the service may have run): true for reads. False is for
	// changes, which are re-sent only after answers proving the service did
	// not run them (ServiceError.NotRun) or when no connection was made.
	Replayable bool
	// Timeout bounds each attempt, as the module's -TimeoutSec does; 0 is
	// no bound beyond ctx.
	Timeout time.Duration
}

// Response is a successful answer.
type Response struct {
	Header http.Header
	Body   []byte
}

// Do sends req, retrying as the module does, and returns the answer or a
// *ServiceError. The same client-request-id goes with every attempt.
func (c *Client) Do(ctx context.Context, req Request) (*Response, error) {
	requestID := uuid.NewString()
	var tokOpts auth.TokenOptions
	var throttledFor time.Duration
	throttles := 0
	for attempt := 0; ; attempt++ {
		resp, err := c.once(ctx, req, requestID, tokOpts)
		if err == nil {
			if c.opts.Limiter != nil {
				c.opts.Limiter.Succeeded()
			}
			return resp, nil
		}
		var se *ServiceError
		if !errors.As(err, &se) {
			if ctx.Err() != nil || !(req.Replayable || neverSent(err)) || attempt >= c.opts.MaxRetries {
				return nil, err
			}
			if err := c.wait(ctx, c.backoff(attempt), req, "transport error", err); err != nil {
				return nil, err
			}
			continue
		}
		if !se.Retryable(req.Replayable) {
			return nil, se
		}
		var wait time.Duration
		switch {
		case se.Throttled:
			if c.opts.Limiter != nil {
				if se.ConcurrencyLimited {
					c.opts.Limiter.AtCapacity()
				} else {
					c.opts.Limiter.Throttled()
				}
			}
			wait = se.RetryAfter
			if wait == 0 {
				// A concurrency refusal (or a 429 without Retry-After): the
				// limiter has already lowered the load, so come back soon.
				wait = concurrencyBackoff << min(throttles, 4)
			}
			throttles++
			if throttledFor+wait > c.opts.ThrottleBudget {
				return nil, se
			}
			throttledFor += wait
			attempt-- // throttling does not use up the retries
		case attempt >= c.opts.MaxRetries:
			return nil, se
		case se.Status == http.StatusUnauthorized:
			// A new token, with the claims the challenge asks for; no wait.
			tokOpts = auth.TokenOptions{ForceRefresh: true, Claims: se.claims}
		default:
			wait = c.backoff(attempt)
		}
		if err := c.wait(ctx, wait, req, "retryable answer", se); err != nil {
			return nil, err
		}
	}
}

func (c *Client) backoff(attempt int) time.Duration { return c.opts.Backoff << attempt }

func (c *Client) wait(ctx context.Context, d time.Duration, req Request, why string, cause error) error {
	c.opts.Logger.Debug("retrying admin API request", zap.String("why", why), zap.Duration("wait", d),
		zap.String("method", req.Method), zap.String("url", redactQuery(req.URL)), zap.Error(cause))
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// once sends one attempt.
func (c *Client) once(ctx context.Context, req Request, requestID string, tokOpts auth.TokenOptions) (*Response, error) {
	if req.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, req.Timeout)
		defer cancel()
	}
	if c.opts.Limiter != nil {
		if err := c.opts.Limiter.Acquire(ctx); err != nil {
			return nil, err
		}
		defer c.opts.Limiter.Release()
	}
	tok, err := c.opts.Tokens.Token(ctx, tokOpts)
	if err != nil {
		return nil, fmt.Errorf("get an access token: %w", err)
	}
	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	hr, err := http.NewRequestWithContext(ctx, req.Method, req.URL, body)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	h := hr.Header
	h.Set("Authorization", "Bearer "+tok.AccessToken)
	h.Set("Accept", "application/json")
	h.Set("Accept-Encoding", "gzip")
	h.Set("Content-Type", "application/json;odata.metadata=minimal")
	setRaw(h, "client-request-id", requestID)
	setRaw(h, "connection-id", c.opts.ConnectionID)
	setRaw(h, "exomodule-version", ModuleVersion)
	setRaw(h, "client-process-id", strconv.Itoa(os.Getpid()))
	h.Set("X-ClientModuleVersion", ModuleVersion)
	h.Set("X-ClientApplication", "ExoManagementModule")
	if req.AnchorMailbox != "" {
		h.Set("X-AnchorMailbox", req.AnchorMailbox)
	}
	if req.PageSize > 0 {
		h.Set("Prefer", "odata.maxpagesize="+strconv.Itoa(req.PageSize))
	}
	for k, vs := range req.Header {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	resp, err := c.opts.HTTP.Do(hr)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", req.Method, redactQuery(req.URL), err)
	}
	defer resp.Body.Close()
	data, err := readBody(resp)
	if err != nil {
		return nil, fmt.Errorf("read answer of %s: %w", redactQuery(req.URL), err)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return &Response{Header: resp.Header, Body: data}, nil
	}
	se := parseError(resp.StatusCode, resp.Header, data)
	if resp.StatusCode == http.StatusUnauthorized {
		se.claims = challengeClaims(resp.Header.Get("WWW-Authenticate"))
	}
	return nil, se
}

// neverSent says a transport error happened before a connection to the
// service was made, so the request cannot have run.
func neverSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// readBody reads an answer, gunzipping it when the transport did not
// (it does not when the request set Accept-Encoding itself).
func readBody(resp *http.Response) ([]byte, error) {
	var r io.Reader = resp.Body
	if strings.EqualFold(resp.Header.Get("Content-Encoding"), "gzip") {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			// The service has been seen declaring gzip on an empty body.
			return nil, nil
		}
		defer zr.Close()
		r = zr
	}
	return io.ReadAll(r)
}

// claimsPattern finds claims="<base64>" in a WWW-Authenticate challenge.
var claimsPattern = regexp.MustCompile(`claims="([^"]*)"`)

func challengeClaims(header string) string {
	m := claimsPattern.FindStringSubmatch(header)
	if m == nil {
		return ""
	}
	if b, err := base64.StdEncoding.DecodeString(m[1]); err == nil {
		return string(b)
	}
	return m[1]
}

// setRaw sets a header under its exact lower-case name, as the module
// sends these.
func setRaw(h http.Header, name, value string) { h[name] = []string{value} }

// redactQuery drops the query, which can carry identities, from logs.
func redactQuery(u string) string {
	path, _, _ := strings.Cut(u, "?")
	return path
}
