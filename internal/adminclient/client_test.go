package adminclient

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openexo/exo/internal/auth"
)

// fakeTokens counts token requests and remembers the last options.
type fakeTokens struct {
	mu    sync.Mutex
	calls int
	last  auth.TokenOptions
}

func (f *fakeTokens) Token(_ context.Context, opts auth.TokenOptions) (auth.Token, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.last = opts
	return auth.Token{AccessToken: "token-" + string(rune('0'+f.calls))}, nil
}

const notFoundBody = `{"error":{"code":"NotFound","message":"Error executing cmdlet","details":[{"code":"13","target":"ghost","message":"Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed because object 'ghost' couldn't be found."}]}}`

func TestDo(t *testing.T) {
	tests := []struct {
		name string
		// answers are the statuses and bodies of successive attempts.
		answers    []answer
		replayable bool
		wantErr    string
		wantStatus int
		attempts   int
	}{
		{name: "ok at once", answers: []answer{{200, `{"value":[]}`, nil}}, attempts: 1},
		{name: "503 then ok", answers: []answer{{503, `{"error":{"code":"ServiceUnavailable","message":"busy"}}`, nil}, {200, `{}`, nil}}, attempts: 2},
		{name: "429 honours Retry-After", answers: []answer{{429, `{"error":{"code":"TooManyRequests","message":"slow down"}}`, map[string]string{"Retry-After": "0.01"}}, {200, `{}`, nil}}, attempts: 2},
		{name: "concurrency limit text is retried", answers: []answer{{500, concurrencyLimitText + ". Please wait and try again", nil}, {200, `{}`, nil}}, attempts: 2},
		{name: "transient exception in a 500 is retried", answers: []answer{{500, `{"error":{"code":"x","message":"m","details":[{"message":"a|Microsoft.Exchange.Data.Storage.StorageTransientException|try later"}]}}`, nil}, {200, `{}`, nil}}, attempts: 2},
		{name: "404 is final", answers: []answer{{404, notFoundBody, nil}}, attempts: 1, wantStatus: 404, wantErr: "couldn't be found"},
		{name: "400 is final", answers: []answer{{400, `{"error":{"code":"BadRequest","message":"bad filter"}}`, nil}}, attempts: 1, wantStatus: 400, wantErr: "bad filter"},
		{name: "503 gives up after the retries", answers: repeat(answer{503, `{"error":{"code":"ServiceUnavailable","message":"down"}}`, nil}, 7), attempts: 3, wantStatus: 503, wantErr: "down"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				a := tt.answers[min(int(n.Add(1))-1, len(tt.answers)-1)]
				for k, v := range a.header {
					w.Header().Set(k, v)
				}
				w.Header().Set("request-id", "req-1")
				w.WriteHeader(a.status)
				_, _ = w.Write([]byte(a.body))
			}))
			defer srv.Close()
			c := New(Options{Tokens: &fakeTokens{}, MaxRetries: 2, Backoff: time.Millisecond})
			_, err := c.Do(context.Background(), Request{Method: http.MethodGet, URL: srv.URL, Replayable: true})
			if got := int(n.Load()); got != tt.attempts {
				t.Errorf("attempts = %d, want %d", got, tt.attempts)
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Do: %v", err)
				}
				return
			}
			var se *ServiceError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *ServiceError", err)
			}
			if se.Status != tt.wantStatus || !strings.Contains(se.Message, tt.wantErr) {
				t.Errorf("error = %d %q, want %d containing %q", se.Status, se.Message, tt.wantStatus, tt.wantErr)
			}
		})
	}
}

type answer struct {
	status int
	body   string
	header map[string]string
}

func repeat(a answer, n int) []answer {
	out := make([]answer, n)
	for i := range out {
		out[i] = a
	}
	return out
}

func TestServiceErrorFields(t *testing.T) {
	h := http.Header{}
	h.Set("request-id", "6c1b")
	h.Set("X-CalculatedBETarget", "SBX01MB0001.sandbox.prod.outlook.com")
	h.Set("Date", "Sat, 28 Nov 2026 10:00:00 GMT")
	e := parseError(404, h, []byte(notFoundBody))
	if e.ExceptionType != "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException" {
		t.Errorf("ExceptionType = %q", e.ExceptionType)
	}
	if e.Category != "ObjectNotFound" || e.Target != "ghost" {
		t.Errorf("Category, Target = %q, %q", e.Category, e.Target)
	}
	if got, want := e.ErrorID(), "[Server=SBX01MB0001,RequestId=6c1b,TimeStamp=11/28/2026 10:00:00 AM]"; got != want {
		t.Errorf("ErrorID = %q, want %q", got, want)
	}
}

func TestUnauthorizedRefreshesWithClaims(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("WWW-Authenticate", `Bearer client_id="x", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ=="`)
			w.WriteHeader(401)
			_, _ = w.Write([]byte(`{"error":{"code":"Unauthorized","message":"claims needed"}}`))
			return
		}
		if r.Header.Get("Authorization") != "Bearer token-2" {
			t.Errorf("retry used %q, want the new token", r.Header.Get("Authorization"))
		}
		w.WriteHeader(200)
	}))
	defer srv.Close()
	tokens := &fakeTokens{}
	c := New(Options{Tokens: tokens, Backoff: time.Millisecond})
	if _, err := c.Do(context.Background(), Request{Method: http.MethodGet, URL: srv.URL}); err != nil {
		t.Fatalf("Do: %v", err)
	}
	if !tokens.last.ForceRefresh || tokens.last.Claims != `{"access_token":{}}` {
		t.Errorf("second token options = %+v, want a forced refresh with the decoded claims", tokens.last)
	}
}

func TestTransportErrorsRetriedOnlyWhenReplayable(t *testing.T) {
	for _, replayable := range []bool{true, false} {
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) == 1 {
				panic(http.ErrAbortHandler) // drops the connection
			}
		}))
		c := New(Options{Tokens: &fakeTokens{}, Backoff: time.Millisecond})
		_, err := c.Do(context.Background(), Request{Method: http.MethodPost, URL: srv.URL, Body: []byte(`{}`), Replayable: replayable})
		srv.Close()
		if replayable && (err != nil || n.Load() != 2) {
			t.Errorf("replayable: err = %v after %d attempts, want success after 2", err, n.Load())
		}
		if !replayable && (err == nil || n.Load() != 1) {
			t.Errorf("not replayable: err = %v after %d attempts, want a failure after 1", err, n.Load())
		}
	}
}

func TestLimiterAdapts(t *testing.T) {
	l := NewLimiter(8)
	l.Throttled()
	l.Throttled()
	if l.Limit() != 2 {
		t.Fatalf("limit after two throttles = %d, want 2", l.Limit())
	}
	for range 2 {
		l.Succeeded()
	}
	if l.Limit() != 3 {
		t.Fatalf("limit after 2 successes = %d, want 3", l.Limit())
	}
	for range 100 {
		l.Succeeded()
	}
	if l.Limit() != 8 {
		t.Fatalf("limit = %d, want it back at the maximum 8", l.Limit())
	}
	l = NewLimiter(1)
	if err := l.Acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := l.Acquire(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second Acquire = %v, want it to wait until the deadline", err)
	}
	l.Release()
	if err := l.Acquire(context.Background()); err != nil {
		t.Fatalf("Acquire after Release: %v", err)
	}
}

// TestThrottleKinds: a 429 is a rate limit, the concurrency text is a
// concurrency limit; both are throttling.
func TestThrottleKinds(t *testing.T) {
	for _, tc := range []struct {
		name        string
		status      int
		body        string
		throttled   bool
		concurrency bool
	}{
		{"429", 429, `{"error":{"code":"TooManyRequests","message":"slow down"}}`, true, false},
		{"concurrency text", 500, concurrencyLimitText + ". Please wait and try again.", true, true},
		{"other 500", 500, "boom", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := parseError(tc.status, http.Header{}, []byte(tc.body))
			if e.Throttled != tc.throttled || e.ConcurrencyLimited != tc.concurrency {
				t.Errorf("Throttled, ConcurrencyLimited = %v, %v; want %v, %v", e.Throttled, e.ConcurrencyLimited, tc.throttled, tc.concurrency)
			}
		})
	}
}

// TestLimiterSettlesAtCapacity: a concurrency refusal brings the limit to
// what is still in flight, not to half of it.
func TestLimiterSettlesAtCapacity(t *testing.T) {
	for _, tc := range []struct {
		name     string
		max      int
		inFlight int // requests still holding a slot when the refusal comes
		want     int
	}{
		{"down to what the service runs", 16, 10, 10},
		{"at least one below the limit", 8, 8, 7},
		{"never below one", 4, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := NewLimiter(tc.max)
			for range tc.inFlight {
				if err := l.Acquire(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			l.AtCapacity()
			if l.Limit() != tc.want {
				t.Errorf("limit = %d, want %d", l.Limit(), tc.want)
			}
		})
	}
}

// TestLimiterRegrowsQuicklyBelowTheRefusedLimit: after a refusal caught
// with few requests in flight, the limit climbs back at the usual pace to
// one below the refused limit, then probes the refused limit slowly.
func TestLimiterRegrowsQuicklyBelowTheRefusedLimit(t *testing.T) {
	l := NewLimiter(10)
	for range 3 {
		if err := l.Acquire(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	l.AtCapacity() // refused at 10 with 3 still in flight
	if l.Limit() != 3 {
		t.Fatalf("limit = %d, want 3", l.Limit())
	}
	successes := 0
	for l.Limit() < 9 {
		l.Succeeded()
		successes++
	}
	if want := 3 + 4 + 5 + 6 + 7 + 8; successes != want {
		t.Errorf("%d successes to regrow to 9, want %d", successes, want)
	}
	for range 9*cappedPatience - 1 {
		l.Succeeded()
	}
	if l.Limit() != 9 {
		t.Errorf("limit probed the refused 10 after fewer than %d successes", 9*cappedPatience)
	}
	l.Succeeded()
	if l.Limit() != 10 {
		t.Errorf("limit = %d, want 10 after %d successes", l.Limit(), 9*cappedPatience)
	}
}

// TestChangesRetriedOnlyWhenNotRun: a request that is not replayable (a
// change) is re-sent only after answers proving the service did not run
// it.
func TestChangesRetriedOnlyWhenNotRun(t *testing.T) {
	cmdletFailure := `{"error":{"code":"ServiceUnavailable","message":"Error executing cmdlet","details":[{"code":"Server","message":"a|Microsoft.Exchange.Data.Storage.StorageTransientException|try later"}]}}`
	tests := []struct {
		name     string
		first    answer
		attempts int
	}{
		{name: "429 is re-sent", first: answer{429, `{"error":{"code":"TooManyRequests","message":"slow"}}`, map[string]string{"Retry-After": "0"}}, attempts: 2},
		{name: "concurrency refusal is re-sent", first: answer{500, concurrencyLimitText + ". Please wait and try again", nil}, attempts: 2},
		{name: "401 is re-sent", first: answer{401, `{"error":{"code":"Unauthorized","message":"expired"}}`, nil}, attempts: 2},
		{name: "front-end 503 is re-sent", first: answer{503, `{"error":{"code":"ServiceUnavailable","message":"The service is temporarily unavailable."}}`, nil}, attempts: 2},
		{name: "503 from a cmdlet is final", first: answer{503, cmdletFailure, nil}, attempts: 1},
		{name: "504 is final", first: answer{504, `{"error":{"code":"GatewayTimeout","message":"timed out"}}`, nil}, attempts: 1},
		{name: "transient exception in a 500 is final", first: answer{500, cmdletFailure, nil}, attempts: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) > 1 {
					w.WriteHeader(200)
					return
				}
				for k, v := range tt.first.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.first.status)
				_, _ = w.Write([]byte(tt.first.body))
			}))
			defer srv.Close()
			c := New(Options{Tokens: &fakeTokens{}, Backoff: time.Millisecond})
			_, err := c.Do(context.Background(), Request{Method: http.MethodPost, URL: srv.URL, Body: []byte(`{}`)})
			if got := int(n.Load()); got != tt.attempts {
				t.Errorf("attempts = %d, want %d", got, tt.attempts)
			}
			if (err == nil) != (tt.attempts == 2) {
				t.Errorf("err = %v", err)
			}
		})
	}
}

// TestAttemptTimeout: Timeout bounds each attempt; a change that timed out
// is not re-sent, a read is.
func TestAttemptTimeout(t *testing.T) {
	for _, replayable := range []bool{true, false} {
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) == 1 {
				select {
				case <-r.Context().Done():
				case <-time.After(300 * time.Millisecond):
				}
				return
			}
			w.WriteHeader(200)
		}))
		c := New(Options{Tokens: &fakeTokens{}, Backoff: time.Millisecond})
		_, err := c.Do(context.Background(), Request{Method: http.MethodPost, URL: srv.URL, Body: []byte(`{}`),
			Replayable: replayable, Timeout: 50 * time.Millisecond})
		srv.Close()
		if replayable && (err != nil || n.Load() != 2) {
			t.Errorf("replayable: err = %v after %d attempts, want success after 2", err, n.Load())
		}
		if !replayable && (!errors.Is(err, context.DeadlineExceeded) || n.Load() != 1) {
			t.Errorf("not replayable: err = %v after %d attempts, want a timeout after 1", err, n.Load())
		}
	}
}
