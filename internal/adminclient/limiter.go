package adminclient

import (
	"context"
	"sync"
)

// Limiter bounds a connection's requests in flight and adapts the bound to
// the service: it halves on every throttled answer and grows by one after
// a run of successes (additive increase, multiplicative decrease), so the
// client settles just under the tenant's limit instead of hitting it.
type Limiter struct {
	mu       sync.Mutex
	limit    int
	max      int
	inFlight int
	streak   int // successes since the last change
	// refusedAt is the limit at which the service last refused for
	// concurrency (0: never, or a rate limit since). Growing back below it
	// is quick; reaching it again waits for many more successes, as each
	// probe of the tenant's cap costs a refused request.
	refusedAt int
	wake      chan struct{}
}

// cappedPatience multiplies the successes needed to probe the cap again.
const cappedPatience = 16

// NewLimiter starts at max requests in flight; max < 1 is treated as 1.
func NewLimiter(max int) *Limiter {
	if max < 1 {
		max = 1
	}
	return &Limiter{limit: max, max: max, wake: make(chan struct{})}
}

// Acquire waits for a free slot or for ctx to end.
func (l *Limiter) Acquire(ctx context.Context) error {
	for {
		l.mu.Lock()
		if l.inFlight < l.limit {
			l.inFlight++
			l.mu.Unlock()
			return nil
		}
		wake := l.wake
		l.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Release frees a slot taken by Acquire.
func (l *Limiter) Release() {
	l.mu.Lock()
	l.inFlight--
	l.broadcast()
	l.mu.Unlock()
}

// Throttled halves the limit, never below one: the answer to a rate
// limit, where the service wants fewer requests over time.
func (l *Limiter) Throttled() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.limit = max(1, l.limit/2)
	l.streak = 0
	l.refusedAt = 0
}

// AtCapacity answers the service's concurrency limit, called once the
// refused request has released its slot: what is still in flight is about
// what the tenant allows, so the limit drops to that (at least one below
// the current limit, never below one) instead of halving, and the client
// settles at the service's cap rather than oscillating under it.
func (l *Limiter) AtCapacity() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.refusedAt = l.limit
	l.limit = max(1, min(l.limit-1, l.inFlight))
	l.streak = 0
}

// Succeeded counts a success; after as many successes as the current
// limit (cappedPatience times as many to reach the limit the service last
// refused), the limit grows by one up to the maximum.
func (l *Limiter) Succeeded() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.limit >= l.max {
		return
	}
	l.streak++
	need := l.limit
	if l.refusedAt > 0 && l.limit+1 >= l.refusedAt {
		need *= cappedPatience
	}
	if l.streak >= need {
		l.limit++
		l.streak = 0
		l.broadcast()
	}
}

// Limit is the current bound.
func (l *Limiter) Limit() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.limit
}

// broadcast wakes every waiter; the caller holds mu.
func (l *Limiter) broadcast() {
	close(l.wake)
	l.wake = make(chan struct{})
}
