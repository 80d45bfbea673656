package adminapi

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// ThrottleSettings are the per-tenant limits.
type ThrottleSettings struct {
	// Budget is how many requests a tenant may make per Window: a token
	// bucket that holds Budget tokens and refills over Window. Each HTTP
	// request costs one token, and so does each $batch part.
	Budget int `json:"budget"`
	// Window is the refill period of the budget.
	Window Duration `json:"window"`
	// MaxConcurrent caps a tenant's in-flight InvokeCommand, $batch and
	// entity-route requests; 0 means no cap.
	MaxConcurrent int `json:"maxConcurrent"`
}

// concurrencyMessage is the service's text when a tenant has too many
// requests in flight. It comes as plain text, not JSON, with a non-429
// status (peers match on the text); the sandbox uses 500.
const concurrencyMessage = "You have reached the maximum number of concurrent requests per tenant. Please wait and try again."

// throttler holds the per-tenant buckets and in-flight counts.
type throttler struct {
	mu       sync.Mutex
	settings ThrottleSettings
	buckets  map[string]*rate.Limiter
	inFlight map[string]int
}

func newThrottler(st ThrottleSettings) *throttler {
	return &throttler{settings: st, buckets: map[string]*rate.Limiter{}, inFlight: map[string]int{}}
}

// reset applies new settings; budgets start full again.
func (t *throttler) reset(st ThrottleSettings) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.settings = st
	t.buckets = map[string]*rate.Limiter{}
}

// rateState is what the Rate-Limit-* headers report.
type rateState struct {
	limit     int
	remaining int
	reset     time.Time
}

func (t *throttler) bucket(tenant string) *rate.Limiter {
	b, ok := t.buckets[tenant]
	if !ok {
		per := time.Duration(t.settings.Window) / time.Duration(t.settings.Budget)
		b = rate.NewLimiter(rate.Every(per), t.settings.Budget)
		t.buckets[tenant] = b
	}
	return b
}

// take spends one token of tenant's budget at now. It returns false and
// how long until a token is available when the budget is spent.
func (t *throttler) take(tenant string, now time.Time) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	b := t.bucket(tenant)
	if b.AllowN(now, 1) {
		return true, 0
	}
	missing := 1 - b.TokensAt(now)
	return false, time.Duration(missing / float64(b.Limit()) * float64(time.Second))
}

// state reports the budget of tenant at now ("" gives a full budget, for
// answers sent before the tenant is known).
func (t *throttler) state(tenant string, now time.Time) rateState {
	t.mu.Lock()
	defer t.mu.Unlock()
	st := rateState{limit: t.settings.Budget, remaining: t.settings.Budget, reset: now}
	if tenant == "" {
		return st
	}
	b := t.bucket(tenant)
	tokens := b.TokensAt(now)
	st.remaining = max(0, int(math.Floor(tokens)))
	missing := float64(t.settings.Budget) - tokens
	st.reset = now.Add(time.Duration(missing / float64(b.Limit()) * float64(time.Second)))
	return st
}

// acquire takes an in-flight slot for tenant; release must follow a true.
func (t *throttler) acquire(tenant string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.settings.MaxConcurrent > 0 && t.inFlight[tenant] >= t.settings.MaxConcurrent {
		return false
	}
	t.inFlight[tenant]++
	return true
}

func (t *throttler) release(tenant string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.inFlight[tenant]--; t.inFlight[tenant] <= 0 {
		delete(t.inFlight, tenant)
	}
}

// retryAfterSeconds rounds a wait up to whole seconds, at least one.
func retryAfterSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}

// throttledEnvelope is the 429 body. It must be JSON: the module only
// retries failures whose body it could read.
func throttledEnvelope(wait int) envelope {
	return envelope{Error: envelopeError{
		Code:    statusCode(http.StatusTooManyRequests),
		Message: "Too many requests. The tenant's request budget is spent; retry after " + strconv.Itoa(wait) + " seconds.",
		Details: []envelopeDetail{{Code: "Client", Message: (&CmdletError{
			Class:   "Microsoft.Exchange.Data.Directory.ThrottlingException",
			Message: "The tenant has exceeded its request budget. Please retry after " + strconv.Itoa(wait) + " seconds.",
		}).pipe()}},
	}}
}
