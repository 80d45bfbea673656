package socketpath

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestResolve(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"explicit socket wins", map[string]string{EnvVar: "/x/y/../s.sock", "XDG_RUNTIME_DIR": "/run/user/7"}, "/x/s.sock"},
		{"runtime dir", map[string]string{"XDG_RUNTIME_DIR": "/run/user/7"}, "/run/user/7/exod/exod.sock"},
		{"temp dir per uid", map[string]string{"TMPDIR": "/var/tmp"}, "/var/tmp/exod-7/exod.sock"},
		{"default temp", map[string]string{}, "/tmp/exod-7/exod.sock"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Resolve(func(k string) string { return tt.env[k] }, 7)
			if got != tt.want {
				t.Fatalf("Resolve = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPrepareDir(t *testing.T) {
	base := t.TempDir()
	tests := []struct {
		name    string
		setup   func(dir string)
		uid     int
		wantErr error
	}{
		{"creates missing directory", func(string) {}, os.Getuid(), nil},
		{"tightens a loose directory", func(dir string) { mustMkdir(t, dir, 0o755) }, os.Getuid(), nil},
		{"refuses another owner", func(dir string) { mustMkdir(t, dir, 0o700) }, os.Getuid() + 1, ErrNotPrivate},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(base, string(rune('a'+i)))
			tt.setup(dir)
			_, err := PrepareDir(filepath.Join(dir, "exod.sock"), tt.uid)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("PrepareDir error = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			fi, err := os.Stat(dir)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o700 {
				t.Fatalf("mode = %v, want 0700", fi.Mode().Perm())
			}
		})
	}
}

func mustMkdir(t *testing.T, dir string, mode os.FileMode) {
	t.Helper()
	if err := os.Mkdir(dir, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, mode); err != nil {
		t.Fatal(err)
	}
}
