// Package localsock listens on a Unix socket that only one user may use: the
// socket file is mode 0600 and every connection's peer credentials are
// checked, so a misconfigured directory still cannot let another user in.
package localsock

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"

	"go.uber.org/zap"
)

// Listener accepts only connections whose peer runs as the allowed user id.
type Listener struct {
	*net.UnixListener
	allowUID int
	log      *zap.Logger
}

// Listen removes a stale socket file at path and listens there. The caller
// must hold the instance lock, so the file cannot belong to a live daemon.
func Listen(ctx context.Context, path string, allowUID int, log *zap.Logger) (*Listener, error) {
	if err := removeStale(path); err != nil {
		return nil, err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "unix", path)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", path, err)
	}
	ul := ln.(*net.UnixListener)
	// The directory is already 0700; 0600 on the file guards a directory
	// that someone loosens later.
	if err := os.Chmod(path, 0o600); err != nil {
		_ = ul.Close()
		return nil, fmt.Errorf("restrict socket: %w", err)
	}
	return &Listener{UnixListener: ul, allowUID: allowUID, log: log}, nil
}

func removeStale(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("inspect %s: %w", path, err)
	}
	if fi.Mode()&os.ModeSocket == 0 {
		return fmt.Errorf("%s exists and is not a socket; refusing to remove it", path)
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("remove stale socket: %w", err)
	}
	return nil
}

// Accept returns the next connection from the allowed user. Connections from
// other users are logged and closed, and Accept goes on waiting.
func (l *Listener) Accept() (net.Conn, error) {
	for {
		c, err := l.AcceptUnix()
		if err != nil {
			return nil, err
		}
		uid, pid, err := peerCredentials(c)
		if err != nil {
			l.log.Warn("refused connection: unreadable peer credentials", zap.Error(err))
			_ = c.Close()
			continue
		}
		if uid != l.allowUID {
			l.log.Warn("refused connection from another user", zap.Int("peer_uid", uid), zap.Int("peer_pid", pid))
			_ = c.Close()
			continue
		}
		return c, nil
	}
}

func peerCredentials(c *net.UnixConn) (uid, pid int, err error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return 0, 0, err
	}
	var cred *syscall.Ucred
	var credErr error
	if err := raw.Control(func(fd uintptr) {
		cred, credErr = syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	}); err != nil {
		return 0, 0, err
	}
	if credErr != nil {
		return 0, 0, credErr
	}
	return int(cred.Uid), int(cred.Pid), nil
}
