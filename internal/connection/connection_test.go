package connection_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"
	"go.uber.org/zap/zaptest/observer"

	"github.com/openexo/exo/internal/auth"
	"github.com/openexo/exo/internal/connection"
	"github.com/openexo/exo/internal/sandbox"
	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/cmdlets"
	"github.com/openexo/exo/internal/sandbox/store"
)

func startSandbox(t *testing.T) sandbox.Info {
	t.Helper()
	log := zaptest.NewLogger(t)
	sb, err := sandbox.Start(context.Background(), sandbox.Options{
		DataPath: filepath.Join(t.TempDir(), "tenant.db"),
		NewBackend: func(st *store.Store, compliance bool) adminapi.Backend {
			return cmdlets.New(st, cmdlets.Options{Logger: log, Compliance: compliance})
		},
		Logger: log,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = sb.Close(ctx)
	})
	return sb.Info()
}

func TestConnectListDisconnect(t *testing.T) {
	info := startSandbox(t)
	ca, err := os.ReadFile(info.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	pfx, err := os.ReadFile(info.CertificatePath)
	if err != nil {
		t.Fatal(err)
	}
	mgr := connection.NewManager(connection.Options{Logger: zaptest.NewLogger(t)})
	ctx := context.Background()
	// The S&C front door redirects the first request to its region; the
	// connection keeps the regional base from then on.
	exchangeBase := strings.TrimSuffix(info.ConnectionURI, "/powershell-liveid/")
	complianceBase := strings.TrimSuffix(info.ComplianceConnectionURI, "/powershell-liveid/")
	base := connection.Request{ClientSession: "pwsh-1", ConnectionURI: info.ConnectionURI, AuthorityURI: info.AuthorityURI, TrustedCAPEM: ca}

	tests := []struct {
		name     string
		edit     func(r *connection.Request)
		wantErr  error
		wantName string
		wantUPN  string
		wantCert bool
		wantBase string
	}{
		{"password, with the banner", func(r *connection.Request) {
			r.UserPrincipalName, r.Password, r.ShowBanner = info.UserPrincipalName, info.Password, true
		}, nil, "ExchangeOnline_1", info.UserPrincipalName, false, exchangeBase},
		{"certificate app-only", func(r *connection.Request) {
			r.AppID, r.Organization, r.CertificatePKCS12, r.CertificatePassword = info.AppID, info.TenantDomain, pfx, info.CertificatePassword
		}, nil, "ExchangeOnline_2", "", true, exchangeBase},
		{"security and compliance", func(r *connection.Request) {
			r.ConnectionURI, r.SecurityCompliance = info.ComplianceConnectionURI, true
			r.UserPrincipalName, r.Password = info.UserPrincipalName, info.Password
		}, nil, "ExchangeOnlineProtection_1", info.UserPrincipalName, false, complianceBase + "/region/nam12b"},
		{"wrong password", func(r *connection.Request) { r.UserPrincipalName, r.Password = info.UserPrincipalName, "nope" },
			auth.ErrInvalidCredentials, "", "", false, ""},
		{"sandbox CA not trusted", func(r *connection.Request) {
			r.TrustedCAPEM = nil
			r.UserPrincipalName, r.Password = info.UserPrincipalName, info.Password
		}, auth.ErrUnreachable, "", "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := base
			tt.edit(&req)
			var banners []string
			c, err := mgr.Connect(ctx, req, connection.Events{Prompt: func(string) {}, Banner: func(b string) { banners = append(banners, b) }})
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Connect error = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Connect: %v", err)
			}
			snap := mgr.List(ctx, "pwsh-1", connection.Selector{ConnectionIDs: []string{c.ID}})
			if len(snap) != 1 {
				t.Fatalf("List found %d connections", len(snap))
			}
			s := snap[0]
			if s.Name != tt.wantName || s.UserPrincipalName != tt.wantUPN || s.CertificateAuth != tt.wantCert ||
				s.TenantID != info.TenantID || !s.TokenActive || s.RESTBase != tt.wantBase {
				t.Fatalf("snapshot %+v", s)
			}
			if req.ShowBanner != (len(banners) == 1) {
				t.Fatalf("banners %q with ShowBanner %v", banners, req.ShowBanner)
			}
		})
	}

	all := mgr.List(ctx, "pwsh-1", connection.Selector{})
	if len(all) != 3 {
		t.Fatalf("%d connections, want 3", len(all))
	}
	if !all[1].UsedForInbuilt || all[0].UsedForInbuilt || all[2].UsedForInbuilt {
		t.Fatal("the newest Exchange connection must be the one Get-EXO* cmdlets use")
	}
	if other := mgr.List(ctx, "pwsh-2", connection.Selector{}); len(other) != 0 {
		t.Fatal("another client session sees this session's connections")
	}
	if ids := mgr.Disconnect(ctx, "pwsh-1", connection.Selector{ConnectionIDs: []string{all[0].ID}}); len(ids) != 1 {
		t.Fatalf("Disconnect by id closed %v", ids)
	}
	if ids := mgr.Disconnect(ctx, "pwsh-1", connection.Selector{}); len(ids) != 2 {
		t.Fatalf("Disconnect all closed %v", ids)
	}
	if left := mgr.List(ctx, "pwsh-1", connection.Selector{}); len(left) != 0 {
		t.Fatalf("%d connections left after Disconnect", len(left))
	}
}

// cacheSecrets returns every "secret" value (access and refresh tokens) in
// an MSAL cache file.
func cacheSecrets(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]map[string]map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, kind := range []string{"AccessToken", "RefreshToken"} {
		for _, entry := range doc[kind] {
			if s, _ := entry["secret"].(string); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func TestRestartRestoresUserConnectionsSilently(t *testing.T) {
	info := startSandbox(t)
	ca, err := os.ReadFile(info.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	pfx, err := os.ReadFile(info.CertificatePath)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "state")
	cachePath, recordPath := filepath.Join(dir, "tokens.json"), filepath.Join(dir, "connections.json")
	core, logs := observer.New(zapcore.DebugLevel)
	log := zap.New(core)
	// newDaemon is one daemon process's manager over the same files.
	newDaemon := func() *connection.Manager {
		cache, err := auth.NewFileCache(cachePath, log.Named("tokencache"))
		if err != nil {
			t.Fatal(err)
		}
		return connection.NewManager(connection.Options{Cache: cache, RecordPath: recordPath, Logger: log})
	}
	ctx := context.Background()
	user := connection.Request{ClientSession: "pwsh-1", ConnectionURI: info.ConnectionURI, AuthorityURI: info.AuthorityURI,
		TrustedCAPEM: ca, UserPrincipalName: info.UserPrincipalName, Password: info.Password, Prefix: "Ct", PageSize: 50,
		CommandName: []string{"Get-Mailbox", "Set-*"}}
	app := connection.Request{ClientSession: "pwsh-1", ConnectionURI: info.ConnectionURI, AuthorityURI: info.AuthorityURI,
		TrustedCAPEM: ca, AppID: info.AppID, Organization: info.TenantDomain, CertificatePKCS12: pfx, CertificatePassword: info.CertificatePassword}
	quiet := connection.Events{Prompt: func(string) {}, Banner: func(string) {}}

	first := newDaemon()
	userConn, err := first.Connect(ctx, user, quiet)
	if err != nil {
		t.Fatal(err)
	}
	firstToken, err := userConn.Token(ctx, auth.TokenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := first.Connect(ctx, app, quiet); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{cachePath, recordPath} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Fatalf("%s has mode %04o, want 0600", p, st.Mode().Perm())
		}
	}

	// The restarted daemon brings back the user's connection, not the
	// app-only one, whose certificate it never kept.
	second := newDaemon()
	if got := second.List(ctx, "pwsh-2", connection.Selector{}); len(got) != 0 {
		t.Fatalf("another session sees %d restored connections", len(got))
	}
	got := second.List(ctx, "pwsh-1", connection.Selector{})
	if len(got) != 1 {
		t.Fatalf("restored %d connections, want 1", len(got))
	}
	r := got[0]
	if r.ID != userConn.ID || r.Name != "ExchangeOnline_1" || r.UserPrincipalName != info.UserPrincipalName ||
		r.Prefix != "Ct" || r.PageSize != 50 || !r.TokenActive || r.TenantID != info.TenantID || !r.UsedForInbuilt {
		t.Fatalf("restored %+v", r)
	}
	restored, err := second.Find(ctx, "pwsh-1", "")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(restored.CommandName, ",") != "Get-Mailbox,Set-*" {
		t.Errorf("restored CommandName = %v", restored.CommandName)
	}
	// A second connection as the same user shares the cached sign-in;
	// closing it must not sign the first one out.
	again, err := second.Connect(ctx, user, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if again.Name != "ExchangeOnline_2" {
		t.Fatalf("new connection after restore is %s, want ExchangeOnline_2", again.Name)
	}
	second.Disconnect(ctx, "pwsh-1", connection.Selector{ConnectionIDs: []string{again.ID}})
	if _, err := restored.Token(ctx, auth.TokenOptions{ForceRefresh: true}); err != nil {
		t.Fatalf("the remaining connection lost its sign-in: %v", err)
	}

	secrets := append(cacheSecrets(t, cachePath), firstToken.AccessToken, info.Password, info.CertificatePassword)
	records, err := os.ReadFile(recordPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range logs.All() {
		line := e.Message
		for k, v := range e.ContextMap() {
			line += " " + k + "=" + fmt.Sprint(v)
		}
		for _, s := range secrets {
			if strings.Contains(line, s) {
				t.Fatalf("a log line carries a secret: %q", e.Message)
			}
		}
	}
	for _, s := range secrets {
		if strings.Contains(string(records), s) {
			t.Fatal("the connection records carry a secret")
		}
	}

	// Disconnect forgets the connection for good.
	second.Disconnect(ctx, "pwsh-1", connection.Selector{})
	if left := newDaemon().List(ctx, "pwsh-1", connection.Selector{}); len(left) != 0 {
		t.Fatalf("%d connections come back after Disconnect", len(left))
	}
	if secrets := cacheSecrets(t, cachePath); len(secrets) != 0 {
		t.Fatalf("the token cache keeps %d tokens after Disconnect", len(secrets))
	}
}
