package auth

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"
	"go.uber.org/zap/zaptest/observer"
)

func TestFileCacheRestoresSignIns(t *testing.T) {
	t.Parallel()
	// MSAL does not use cached access tokens this short-lived, so restoring
	// redeems the cached refresh token.
	e := newTestIDP(t, tokenLifetime(3*time.Second))
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "exo", "tokens.json")
	cache, err := NewFileCache(path, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg := e.config(t, "organizations")
	cfg.Cache = cache

	// Two users sign in at once through one cache file.
	var wg sync.WaitGroup
	for _, upn := range []string{adminUPN, helpdeskUPN} {
		wg.Go(func() {
			if _, err := NewPassword(ctx, cfg, upn, adminPassword); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("cache file: %v, mode %v", err, st.Mode())
	}
	if st, err := os.Stat(filepath.Dir(path)); err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("cache directory: %v, mode %v", err, st.Mode())
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), adminPassword) {
		t.Fatal("the cache file holds the password")
	}

	// A restarted daemon: a new FileCache on the same file.
	restarted, err := NewFileCache(path, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Cache = restarted
	sources := map[string]*Source{}
	for _, upn := range []string{strings.ToUpper(adminUPN), helpdeskUPN} {
		src, err := SilentFromCache(ctx, cfg, upn)
		if err != nil {
			t.Fatalf("%s: %v", upn, err)
		}
		tok, err := src.Token(ctx, TokenOptions{})
		if err != nil || !strings.EqualFold(tok.UPN, upn) || src.Flow() != FlowCache {
			t.Fatalf("%s: token %v, %v", upn, tok, err)
		}
		e.verify(t, tok, e.srv.URL)
		sources[strings.ToLower(upn)] = src
	}
	if p, r := e.grants.count("password"), e.grants.count("refresh_token"); p != 2 || r != 2 {
		t.Errorf("password grants %d, refresh_token grants %d; want 2 and 2", p, r)
	}

	// Signing out removes only that user's sign-in.
	if err := sources[adminUPN].SignOut(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := SilentFromCache(ctx, cfg, adminUPN); !errors.Is(err, ErrInteractionRequired) {
		t.Errorf("after sign-out: err = %v", err)
	}
	if _, err := SilentFromCache(ctx, cfg, helpdeskUPN); err != nil {
		t.Errorf("the other user's sign-in: %v", err)
	}

	// Sign-ins belong to their authority host.
	other := newTestIDP(t)
	otherCfg := other.config(t, "organizations")
	otherCfg.Cache = restarted
	if _, err := SilentFromCache(ctx, otherCfg, helpdeskUPN); !errors.Is(err, ErrInteractionRequired) {
		t.Errorf("another authority: err = %v", err)
	}
	if _, err := SilentFromCache(ctx, cfg, "nobody@contoso.onmicrosoft.com"); !errors.Is(err, ErrInteractionRequired) {
		t.Errorf("unknown user: err = %v", err)
	}
}

func TestFileCacheFiles(t *testing.T) {
	t.Parallel()
	t.Run("shared directory refused", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if _, err := NewFileCache(filepath.Join(dir, "tokens.json"), nil); err == nil || !strings.Contains(err.Error(), "0700") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("readable file tightened", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "c", "tokens.json")
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := NewFileCache(path, nil); err != nil {
			t.Fatal(err)
		}
		if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
			t.Errorf("mode = %v", st.Mode())
		}
	})
	t.Run("unreadable file replaced", func(t *testing.T) {
		e := newTestIDP(t)
		ctx := context.Background()
		path := filepath.Join(t.TempDir(), "c", "tokens.json")
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
			t.Fatal(err)
		}
		cache, err := NewFileCache(path, zaptest.NewLogger(t))
		if err != nil {
			t.Fatal(err)
		}
		cfg := e.config(t, "organizations")
		cfg.Cache = cache
		if _, err := NewPassword(ctx, cfg, adminUPN, adminPassword); err != nil {
			t.Fatal(err)
		}
		if _, err := SilentFromCache(ctx, cfg, adminUPN); err != nil {
			t.Fatal(err)
		}
		if e.grants.count("refresh_token") != 0 {
			t.Error("the cached access token was not used")
		}
	})
}

func TestLogsCarryNoSecrets(t *testing.T) {
	t.Parallel()
	e := newTestIDP(t, tokenLifetime(3*time.Second))
	ctx := context.Background()
	core, logs := observer.New(zapcore.DebugLevel)
	cfg := e.config(t, "organizations")
	cfg.Logger = zap.New(core)
	src, err := NewPassword(ctx, cfg, adminUPN, adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	first, _ := src.Token(ctx, TokenOptions{})
	renewed, err := src.Token(ctx, TokenOptions{ForceRefresh: true})
	if err != nil {
		t.Fatal(err)
	}
	if logs.Len() == 0 {
		t.Fatal("nothing was logged")
	}
	for _, entry := range logs.All() {
		line := entry.Message
		for k, v := range entry.ContextMap() {
			line += " " + k + "=" + fmt.Sprint(v)
		}
		for _, secret := range []string{adminPassword, first.AccessToken, renewed.AccessToken} {
			if strings.Contains(line, secret) {
				t.Fatalf("log entry %q holds a secret", entry.Message)
			}
		}
	}
	if s := renewed.String(); strings.Contains(s, renewed.AccessToken) || !strings.Contains(s, tenantID) {
		t.Errorf("String() = %s", s)
	}
}
