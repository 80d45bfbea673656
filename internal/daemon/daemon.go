// Package daemon runs the gRPC server on the user's private socket: it takes
// the instance lock, prepares the socket, serves until its context ends, and
// then drains in-flight calls before it returns.
package daemon

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"go.uber.org/zap"
	"google.golang.org/grpc"

	"github.com/openexo/exo/internal/instancelock"
	"github.com/openexo/exo/internal/localsock"
	"github.com/openexo/exo/internal/socketpath"
)

// Config says where and how to serve.
type Config struct {
	// SocketPath is the Unix socket to listen on.
	SocketPath string
	// UID is the only user id allowed to connect.
	UID int
	// Logger receives the daemon's logs.
	Logger *zap.Logger
	// ShutdownGrace bounds how long in-flight calls may run after shutdown
	// begins; calls still running then are cancelled.
	ShutdownGrace time.Duration
	// ServerOptions are passed to grpc.NewServer (interceptors, limits).
	ServerOptions []grpc.ServerOption
	// Register adds the services to the server.
	Register func(*grpc.Server)
	// Ready, when set, is called once the socket accepts connections.
	Ready func()
}

// LockPath is the instance lock file that belongs to a socket.
func LockPath(socket string) string {
	return filepath.Join(filepath.Dir(socket), filepath.Base(socket)+".lock")
}

// Run serves until ctx is done, then shuts down gracefully. It returns an
// error wrapping instancelock.ErrHeld when another daemon already serves the
// same socket.
func Run(ctx context.Context, cfg Config) error {
	log := cfg.Logger
	if _, err := socketpath.PrepareDir(cfg.SocketPath, cfg.UID); err != nil {
		return err
	}
	lock, err := instancelock.Acquire(LockPath(cfg.SocketPath))
	if err != nil {
		return err
	}
	defer func() { _ = lock.Release() }()

	ln, err := localsock.Listen(ctx, cfg.SocketPath, cfg.UID, log)
	if err != nil {
		return err
	}
	srv := grpc.NewServer(cfg.ServerOptions...)
	cfg.Register(srv)

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	log.Info("exod serving", zap.String("socket", cfg.SocketPath))
	if cfg.Ready != nil {
		cfg.Ready()
	}

	select {
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("exod shutting down; finishing in-flight calls", zap.Duration("grace", cfg.ShutdownGrace))
	drained := make(chan struct{})
	go func() { srv.GracefulStop(); close(drained) }()
	select {
	case <-drained:
	case <-time.After(cfg.ShutdownGrace):
		log.Warn("grace period over; cancelling the remaining calls")
		srv.Stop()
		<-drained
	}
	if err := <-serveErr; err != nil && !errors.Is(err, grpc.ErrServerStopped) {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("exod stopped")
	return nil
}
