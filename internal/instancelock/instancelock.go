// Package instancelock makes sure one daemon runs per user: the daemon holds
// an exclusive flock on a file beside its socket for as long as it runs. The
// kernel releases the lock when the process dies, so a crash leaves no stale
// lock behind.
package instancelock

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// ErrHeld reports that another process holds the lock.
var ErrHeld = errors.New("another exod instance is running")

// HeldError names the process that holds the lock, when it could be read.
type HeldError struct {
	Path string
	PID  int
}

func (e *HeldError) Error() string {
	if e.PID > 0 {
		return fmt.Sprintf("%s (pid %d, lock %s)", ErrHeld, e.PID, e.Path)
	}
	return fmt.Sprintf("%s (lock %s)", ErrHeld, e.Path)
}

// Unwrap lets errors.Is match ErrHeld.
func (e *HeldError) Unwrap() error { return ErrHeld }

// Lock is a held instance lock.
type Lock struct {
	f *os.File
}

// Acquire takes the lock at path without waiting, and records this process's
// pid in the file so that a refused instance can say who holds it.
func Acquire(path string) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		pid := readPID(f)
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, &HeldError{Path: path, PID: pid}
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := f.Truncate(0); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("reset lock file: %w", err)
	}
	if _, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("write lock file: %w", err)
	}
	return &Lock{f: f}, nil
}

func readPID(f *os.File) int {
	buf := make([]byte, 32)
	n, _ := f.ReadAt(buf, 0)
	pid, err := strconv.Atoi(strings.TrimSpace(string(buf[:n])))
	if err != nil {
		return 0
	}
	return pid
}

// Release gives the lock up. The file stays: removing it would let a third
// process lock a new file while a second still holds the old one.
func (l *Lock) Release() error {
	return l.f.Close()
}
