package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/openexo/exo/internal/client"
	"github.com/openexo/exo/internal/instancelock"
	"github.com/openexo/exo/internal/jsoncodec"
	exov1 "github.com/openexo/exo/proto/exo/v1"
)

// startServe runs serve on a private socket and returns a stop function that
// delivers the shutdown signal and waits for serve to return.
func startServe(t *testing.T, socket string) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, zaptest.NewLogger(t), socket, 5*time.Second) }()
	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer wcancel()
	serveFailed := func() error {
		select {
		case err := <-done:
			return fmt.Errorf("serve returned early: %v", err)
		default:
			return nil
		}
	}
	if _, err := client.WaitReady(wctx, socket, serveFailed); err != nil {
		cancel()
		t.Fatalf("daemon did not start: %v", err)
	}
	return func() error { cancel(); return <-done }
}

func TestSecondInstanceIsRefused(t *testing.T) {
	socket := filepath.Join(t.TempDir(), "exod.sock")
	stop := startServe(t, socket)
	defer func() { _ = stop() }()

	err := serve(context.Background(), zaptest.NewLogger(t), socket, time.Second)
	if !errors.Is(err, instancelock.ErrHeld) {
		t.Fatalf("second serve error = %v, want ErrHeld", err)
	}
	if exitCode(err) != exitAlreadyRunning {
		t.Fatalf("exit code = %d, want %d", exitCode(err), exitAlreadyRunning)
	}
}

func TestShutdownFinishesInFlightCalls(t *testing.T) {
	socket := filepath.Join(t.TempDir(), "exod.sock")
	stop := startServe(t, socket)
	cc, err := client.Dial(socket)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cc.Close() }()
	const beats = 5
	stream, err := exov1.NewDaemonServiceClient(cc).WatchHeartbeat(context.Background(),
		&exov1.WatchHeartbeatRequest{Count: beats, Interval: durationpb.New(100 * time.Millisecond)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stream.Recv(); err != nil {
		t.Fatalf("first heartbeat: %v", err)
	}
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()

	got := 1
	for {
		_, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("stream broken during shutdown after %d heartbeats: %v", got, err)
		}
		got++
	}
	if got != beats {
		t.Fatalf("got %d heartbeats, want %d", got, beats)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("serve returned %v", err)
	}
	pctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := client.Probe(pctx, socket); err == nil {
		t.Fatal("daemon still answers after shutdown")
	}
}

func TestJSONCodecAndCancellationCounters(t *testing.T) {
	socket := filepath.Join(t.TempDir(), "exod.sock")
	stop := startServe(t, socket)
	defer func() { _ = stop() }()
	cc, err := client.Dial(socket)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cc.Close() }()
	daemon := exov1.NewDaemonServiceClient(cc)

	// The PowerShell module speaks application/grpc+json.
	v, err := daemon.GetVersion(context.Background(), &exov1.GetVersionRequest{},
		grpc.CallContentSubtype(jsoncodec.Name))
	if err != nil {
		t.Fatalf("GetVersion over the JSON codec: %v", err)
	}
	if v.GetApiVersion() != "exo.v1" || v.GetModuleSurface() != "3.7.2" {
		t.Fatalf("unexpected version %v", v)
	}

	ctx, cancel := context.WithCancel(context.Background())
	stream, err := daemon.WatchHeartbeat(ctx, &exov1.WatchHeartbeatRequest{Interval: durationpb.New(10 * time.Millisecond)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stream.Recv(); err != nil {
		t.Fatal(err)
	}
	cancel()

	deadline := time.Now().Add(5 * time.Second)
	for {
		st, err := daemon.GetStatus(context.Background(), &exov1.GetStatusRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if st.GetCallsCancelled() == 1 && st.GetCallsInFlight() == 1 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("daemon did not record the cancellation: %v", st)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
