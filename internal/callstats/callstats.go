// Package callstats counts the daemon's RPCs: started, in flight and
// cancelled by their clients. Tests and `exod` diagnostics read the counters
// to prove that a client's Ctrl+C reached the daemon.
package callstats

import (
	"context"
	"errors"
	"sync/atomic"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Counters are safe for concurrent use.
type Counters struct {
	started   atomic.Int64
	inFlight  atomic.Int64
	cancelled atomic.Int64
}

// Snapshot is a consistent-enough copy of the counters.
type Snapshot struct {
	Started, InFlight, Cancelled int64
}

// Snapshot returns the current values.
func (c *Counters) Snapshot() Snapshot {
	return Snapshot{Started: c.started.Load(), InFlight: c.inFlight.Load(), Cancelled: c.cancelled.Load()}
}

func (c *Counters) begin() { c.started.Add(1); c.inFlight.Add(1) }

func (c *Counters) end(ctx context.Context, err error) {
	c.inFlight.Add(-1)
	if errors.Is(ctx.Err(), context.Canceled) || status.Code(err) == codes.Canceled {
		c.cancelled.Add(1)
	}
}

// UnaryInterceptor counts unary calls.
func (c *Counters) UnaryInterceptor(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	c.begin()
	resp, err := handler(ctx, req)
	c.end(ctx, err)
	return resp, err
}

// StreamInterceptor counts streaming calls.
func (c *Counters) StreamInterceptor(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	c.begin()
	err := handler(srv, ss)
	c.end(ss.Context(), err)
	return err
}
