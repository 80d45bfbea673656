package exoctl

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestParseFlags(t *testing.T) {
	opts, rest, err := parseFlags([]string{"run", "--output", "json", "Get-EXOMailbox", "-ResultSize", "5", "--columns=Alias, Name", "--no-progress", "--session", "s"})
	if err != nil {
		t.Fatal(err)
	}
	if opts.output != FormatJSON || opts.session != "s" || strings.Join(opts.columns, "|") != "Alias|Name" || opts.progress == nil || *opts.progress {
		t.Errorf("options %+v", opts)
	}
	if strings.Join(rest, " ") != "run Get-EXOMailbox -ResultSize 5" {
		t.Errorf("rest %q", rest)
	}
	for _, args := range [][]string{{"--output", "xml"}, {"--session"}, {"--bogus"}} {
		if _, _, err := parseFlags(args); !errors.Is(err, ErrUsage) {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
}

func TestClientSession(t *testing.T) {
	tests := []struct {
		name string
		flag string
		env  map[string]string
		want string
	}{
		{"the calling shell by default", "", nil, "4242-99-exoctl"},
		{"a flag shares", "nightly", map[string]string{"EXOCTL_SESSION": "other"}, "shared:nightly"},
		{"EXOCTL_SESSION shares", "", map[string]string{"EXOCTL_SESSION": "job", "EXOD_CLIENT_SESSION": "x"}, "shared:job"},
		{"the module's variable too", "", map[string]string{"EXOD_CLIENT_SESSION": "ps"}, "shared:ps"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := Env{ParentSession: "4242-99", Getenv: func(k string) string { return tt.env[k] }}
			if got := clientSession(options{session: tt.flag}, env); got != tt.want {
				t.Errorf("session %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSecret(t *testing.T) {
	tests := []struct {
		name     string
		env      string
		stdin    string
		terminal func() (string, error)
		want     string
		usage    bool
	}{
		{"environment first", "from-env", "from-stdin\n", nil, "from-env", false},
		{"a line of standard input", "", "from-stdin\r\nmore\n", nil, "from-stdin", false},
		{"the last line without a newline", "", "last", nil, "last", false},
		{"the terminal without echo", "", "", func() (string, error) { return "typed", nil }, "typed", false},
		{"nothing", "", "", nil, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &app{env: Env{
				Stdin: strings.NewReader(tt.stdin), Stderr: &bytes.Buffer{}, ReadPassword: tt.terminal,
				Getenv: func(k string) string {
					if k == "EXOCTL_PASSWORD" {
						return tt.env
					}
					return ""
				},
			}}
			got, err := a.secret("EXOCTL_PASSWORD", "password")
			if tt.usage != errors.Is(err, ErrUsage) || got != tt.want {
				t.Errorf("got %q, %v", got, err)
			}
		})
	}
}
