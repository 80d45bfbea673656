package connection_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

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
			snap := mgr.List("pwsh-1", connection.Selector{ConnectionIDs: []string{c.ID}})
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

	all := mgr.List("pwsh-1", connection.Selector{})
	if len(all) != 3 {
		t.Fatalf("%d connections, want 3", len(all))
	}
	if !all[1].UsedForInbuilt || all[0].UsedForInbuilt || all[2].UsedForInbuilt {
		t.Fatal("the newest Exchange connection must be the one Get-EXO* cmdlets use")
	}
	if other := mgr.List("pwsh-2", connection.Selector{}); len(other) != 0 {
		t.Fatal("another client session sees this session's connections")
	}
	if ids := mgr.Disconnect(ctx, "pwsh-1", connection.Selector{ConnectionIDs: []string{all[0].ID}}); len(ids) != 1 {
		t.Fatalf("Disconnect by id closed %v", ids)
	}
	if ids := mgr.Disconnect(ctx, "pwsh-1", connection.Selector{}); len(ids) != 2 {
		t.Fatalf("Disconnect all closed %v", ids)
	}
	if left := mgr.List("pwsh-1", connection.Selector{}); len(left) != 0 {
		t.Fatalf("%d connections left after Disconnect", len(left))
	}
}
