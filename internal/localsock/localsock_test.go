package localsock

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"
)

func TestListenModesAndStaleSocket(t *testing.T) {
	path := filepath.Join(t.TempDir(), "exod.sock")
	// A socket file left behind by a crashed daemon.
	stale, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	stale.(*net.UnixListener).SetUnlinkOnClose(false)
	_ = stale.Close()

	ln, err := Listen(context.Background(), path, os.Getuid(), zaptest.NewLogger(t))
	if err != nil {
		t.Fatalf("Listen over a stale socket: %v", err)
	}
	defer func() { _ = ln.Close() }()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("socket mode = %v, want 0600", fi.Mode().Perm())
	}
}

func TestListenRefusesToRemoveAFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "exod.sock")
	if err := os.WriteFile(path, []byte("not a socket"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Listen(context.Background(), path, os.Getuid(), zaptest.NewLogger(t)); err == nil {
		t.Fatal("Listen replaced a regular file")
	}
}

func TestAcceptChecksPeerUID(t *testing.T) {
	tests := []struct {
		name     string
		allowUID int
		accepted bool
	}{
		{"same user is accepted", os.Getuid(), true},
		{"another user is refused", os.Getuid() + 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "exod.sock")
			ln, err := Listen(context.Background(), path, tt.allowUID, zaptest.NewLogger(t))
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = ln.Close() }()
			accepted := make(chan net.Conn, 1)
			go func() {
				if c, err := ln.Accept(); err == nil {
					accepted <- c
				}
			}()
			c, err := net.Dial("unix", path)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = c.Close() }()
			if tt.accepted {
				select {
				case sc := <-accepted:
					_ = sc.Close()
				case <-time.After(5 * time.Second):
					t.Fatal("connection from the allowed user was not accepted")
				}
				return
			}
			// A refused connection is closed by the server: the read sees EOF.
			_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
			if n, err := c.Read(make([]byte, 1)); err == nil || n > 0 {
				t.Fatalf("read on a refused connection = %d, %v; want EOF", n, err)
			}
			select {
			case <-accepted:
				t.Fatal("connection from another user was accepted")
			default:
			}
		})
	}
}
