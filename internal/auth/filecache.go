package auth

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/cache"
	"go.uber.org/zap"
)

// FileCache is a persistent MSAL token cache in one file that only its user
// can read (0600, in a 0700 directory). It holds refresh tokens: whoever
// reads it can sign in as its users.
//
// MSAL loads the whole cache before it reads or writes it (Replace) and
// saves the whole cache after a write (Export). Two MSAL clients sharing the
// file could interleave those steps and drop each other's tokens, so the
// sources of this package give each client a view that holds the file from
// the client's first Replace until its MSAL call returns.
type FileCache struct {
	path string
	log  *zap.Logger
	// sem is the file's lock: a one-slot semaphore, so acquiring it can
	// give up with a context.
	sem chan struct{}
}

var _ cache.ExportReplace = (*FileCache)(nil)

// NewFileCache opens the cache at path, creating its directory with mode
// 0700. It refuses a directory other users can enter.
func NewFileCache(path string, logger *zap.Logger) (*FileCache, error) {
	if logger == nil {
		logger = zap.NewNop()
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("token cache directory: %w", err)
	}
	// Windows has no permission bits; its per-user profile protects the file.
	if runtime.GOOS != "windows" {
		st, err := os.Stat(dir)
		if err != nil {
			return nil, fmt.Errorf("token cache directory: %w", err)
		}
		if st.Mode().Perm()&0o077 != 0 {
			return nil, fmt.Errorf("token cache directory %s is accessible to other users (mode %04o); make it 0700", dir, st.Mode().Perm())
		}
		if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(path, 0o600); err != nil {
				return nil, fmt.Errorf("token cache: %w", err)
			}
		}
	}
	return &FileCache{path: path, log: logger, sem: make(chan struct{}, 1)}, nil
}

// Replace loads the file into MSAL's cache.
func (c *FileCache) Replace(ctx context.Context, u cache.Unmarshaler, _ cache.ReplaceHints) error {
	if err := c.lock(ctx); err != nil {
		return err
	}
	defer c.unlock()
	return c.load(u)
}

// Export saves MSAL's cache to the file.
func (c *FileCache) Export(ctx context.Context, m cache.Marshaler, _ cache.ExportHints) error {
	if err := c.lock(ctx); err != nil {
		return err
	}
	defer c.unlock()
	return c.save(m)
}

func (c *FileCache) lock(ctx context.Context) error {
	select {
	case c.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("token cache: %w", ctx.Err())
	}
}

func (c *FileCache) unlock() { <-c.sem }

// load reads the file into u; the caller holds the lock. A missing file is
// an empty cache, and an unreadable one is ignored so that the next save
// replaces it rather than every sign-in failing.
func (c *FileCache) load(u cache.Unmarshaler) error {
	data, err := os.ReadFile(c.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("read token cache: %w", err)
	case len(data) == 0:
		return nil
	}
	if err := u.Unmarshal(data); err != nil {
		c.log.Warn("ignoring unreadable token cache", zap.String("path", c.path), zap.Error(err))
	}
	return nil
}

// save writes m to the file atomically; the caller holds the lock.
func (c *FileCache) save(m cache.Marshaler) error {
	data, err := m.Marshal()
	if err != nil {
		return fmt.Errorf("encode token cache: %w", err)
	}
	// CreateTemp makes the file with mode 0600.
	f, err := os.CreateTemp(filepath.Dir(c.path), ".tokencache-*")
	if err != nil {
		return fmt.Errorf("write token cache: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, c.path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write token cache: %w", err)
	}
	return nil
}

// view returns a cache handle for one MSAL client.
func (c *FileCache) view() *cacheView { return &cacheView{fc: c} }

// cacheView is one MSAL client's handle on a FileCache: it takes the file's
// lock at the client's first Replace or Export and keeps it until release,
// which the client's user calls when the MSAL call returns.
type cacheView struct {
	fc   *FileCache
	mu   sync.Mutex
	held bool
}

func (v *cacheView) Replace(ctx context.Context, u cache.Unmarshaler, _ cache.ReplaceHints) error {
	if err := v.hold(ctx); err != nil {
		return err
	}
	return v.fc.load(u)
}

func (v *cacheView) Export(ctx context.Context, m cache.Marshaler, _ cache.ExportHints) error {
	if err := v.hold(ctx); err != nil {
		return err
	}
	return v.fc.save(m)
}

func (v *cacheView) hold(ctx context.Context) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.held {
		return nil
	}
	if err := v.fc.lock(ctx); err != nil {
		return err
	}
	v.held = true
	return nil
}

// release ends the MSAL call's hold on the file; a nil view is a no-op.
func (v *cacheView) release() {
	if v == nil {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.held {
		v.fc.unlock()
		v.held = false
	}
}
