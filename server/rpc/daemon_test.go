package rpc

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/openexo/exo/internal/buildinfo"
	"github.com/openexo/exo/internal/callstats"
	exov1 "github.com/openexo/exo/proto/exo/v1"
)

// heartbeatStream records what WatchHeartbeat sends.
type heartbeatStream struct {
	grpc.ServerStream
	ctx  context.Context
	sent []*exov1.WatchHeartbeatResponse
}

func (s *heartbeatStream) Context() context.Context { return s.ctx }
func (s *heartbeatStream) Send(m *exov1.WatchHeartbeatResponse) error {
	s.sent = append(s.sent, m)
	return nil
}

func TestWatchHeartbeat(t *testing.T) {
	srv := NewDaemonServer(buildinfo.Read(), &callstats.Counters{}, "/tmp/x.sock", "/usr/bin/exod", time.Now())
	tests := []struct {
		name     string
		req      *exov1.WatchHeartbeatRequest
		wantSent int
		wantCode codes.Code
	}{
		{"counted", &exov1.WatchHeartbeatRequest{Count: 3, Interval: durationpb.New(time.Millisecond)}, 3, codes.OK},
		{"tiny interval is raised to the minimum", &exov1.WatchHeartbeatRequest{Count: 2, Interval: durationpb.New(time.Nanosecond)}, 2, codes.OK},
		{"negative count", &exov1.WatchHeartbeatRequest{Count: -1}, 0, codes.InvalidArgument},
		{"invalid interval", &exov1.WatchHeartbeatRequest{Count: 1, Interval: &durationpb.Duration{Seconds: 1, Nanos: -1}}, 0, codes.InvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stream := &heartbeatStream{ctx: context.Background()}
			err := srv.WatchHeartbeat(tt.req, stream)
			if got := status.Code(err); got != tt.wantCode {
				t.Fatalf("code = %v, want %v (%v)", got, tt.wantCode, err)
			}
			if len(stream.sent) != tt.wantSent {
				t.Fatalf("sent %d heartbeats, want %d", len(stream.sent), tt.wantSent)
			}
			for i, m := range stream.sent {
				if m.GetSequence() != int64(i+1) {
					t.Fatalf("heartbeat %d has sequence %d", i, m.GetSequence())
				}
			}
		})
	}
}

func TestToStatus(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want codes.Code
	}{
		{"nil stays nil", nil, codes.OK},
		{"status passes through", status.Error(codes.NotFound, "x"), codes.NotFound},
		{"wrapped cancellation", fmt.Errorf("page 3: %w", context.Canceled), codes.Canceled},
		{"wrapped deadline", fmt.Errorf("call: %w", context.DeadlineExceeded), codes.DeadlineExceeded},
		{"anything else is internal", errors.New("boom"), codes.Internal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := status.Code(toStatus(tt.err)); got != tt.want {
				t.Fatalf("toStatus code = %v, want %v", got, tt.want)
			}
		})
	}
}
