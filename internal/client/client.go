// Package client dials the daemon's Unix socket. The `exod` command line uses
// it to start, probe and stop the daemon; Go programs can use it to call the
// exo.v1 API.
package client

import (
	"context"
	"fmt"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	exov1 "github.com/openexo/exo/proto/exo/v1"
)

// Dial returns a connection to the daemon at socket. It does not wait for the
// daemon; the first call does.
func Dial(socket string) (*grpc.ClientConn, error) {
	// The socket is private to the user, so the transport needs no TLS.
	cc, err := grpc.NewClient("unix://"+socket, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", socket, err)
	}
	return cc, nil
}

// Probe asks the daemon at socket for its status, failing fast when nothing
// listens there.
func Probe(ctx context.Context, socket string) (*exov1.GetStatusResponse, error) {
	cc, err := Dial(socket)
	if err != nil {
		return nil, err
	}
	defer func() { _ = cc.Close() }()
	st, err := exov1.NewDaemonServiceClient(cc).GetStatus(ctx, &exov1.GetStatusRequest{})
	if err != nil {
		return nil, fmt.Errorf("probe %s: %w", socket, err)
	}
	return st, nil
}

// WaitReady probes the daemon until it answers, ctx ends, or stop returns an
// error (for example because the process that should serve has exited).
func WaitReady(ctx context.Context, socket string, stop func() error) (*exov1.GetStatusResponse, error) {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		pctx, cancel := context.WithTimeout(ctx, time.Second)
		st, err := Probe(pctx, socket)
		cancel()
		if err == nil {
			return st, nil
		}
		if stop != nil {
			if serr := stop(); serr != nil {
				return nil, serr
			}
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("daemon at %s did not answer: %w (last error: %v)", socket, ctx.Err(), err)
		case <-tick.C:
		}
	}
}
