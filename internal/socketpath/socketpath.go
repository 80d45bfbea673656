// Package socketpath decides where the daemon's Unix socket lives and makes
// sure its directory is private to the user.
package socketpath

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// EnvVar overrides the socket path.
const EnvVar = "EXOD_SOCKET"

// Resolve returns the socket path: $EXOD_SOCKET when set, else exod/exod.sock
// in $XDG_RUNTIME_DIR, else exod-<uid>/exod.sock in the temporary directory.
// getenv is injected so tests need not touch the process environment.
func Resolve(getenv func(string) string, uid int) string {
	if p := getenv(EnvVar); p != "" {
		return filepath.Clean(p)
	}
	if d := getenv("XDG_RUNTIME_DIR"); d != "" {
		return filepath.Join(d, "exod", "exod.sock")
	}
	tmp := getenv("TMPDIR")
	if tmp == "" {
		tmp = "/tmp"
	}
	return filepath.Join(tmp, "exod-"+strconv.Itoa(uid), "exod.sock")
}

// ErrNotPrivate reports a socket directory another user owns.
var ErrNotPrivate = errors.New("socket directory is not owned by the current user")

// PrepareDir creates the socket's directory with mode 0700, or checks that
// an existing one belongs to uid and tightens its mode to 0700. A directory
// owned by someone else is refused: they could replace the socket.
func PrepareDir(socket string, uid int) (string, error) {
	dir := filepath.Dir(socket)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create socket directory: %w", err)
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return "", fmt.Errorf("inspect socket directory: %w", err)
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("socket directory %s is not a directory", dir)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || int(st.Uid) != uid {
		return "", fmt.Errorf("%s: %w", dir, ErrNotPrivate)
	}
	if fi.Mode().Perm() != 0o700 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return "", fmt.Errorf("restrict socket directory: %w", err)
		}
	}
	return dir, nil
}
