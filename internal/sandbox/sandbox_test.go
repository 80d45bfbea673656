package sandbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/openexo/exo/internal/auth"
	"github.com/openexo/exo/internal/environment"
	"github.com/openexo/exo/internal/sandbox"
	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/cmdlets"
	"github.com/openexo/exo/internal/sandbox/store"
)

// client is a minimal client of the documented protocol: it signs in with
// MSAL through the auth package, then speaks InvokeCommand and $batch.
type client struct {
	http  *http.Client
	base  string
	tid   string
	token auth.TokenSource
}

func startSandbox(t *testing.T, data string) *sandbox.Sandbox {
	t.Helper()
	log := zaptest.NewLogger(t)
	sb, err := sandbox.Start(context.Background(), sandbox.Options{
		DataPath: data,
		NewBackend: func(st *store.Store, compliance bool) adminapi.Backend {
			return cmdlets.New(st, cmdlets.Options{Logger: log, Compliance: compliance})
		},
		Logger: log,
	})
	if err != nil {
		t.Fatalf("start sandbox: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = sb.Close(ctx)
	})
	return sb
}

func signIn(t *testing.T, info sandbox.Info, connectionURI string) *client {
	t.Helper()
	ctx := context.Background()
	ca, err := os.ReadFile(info.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	hc, err := auth.TrustedHTTPClient(ca)
	if err != nil {
		t.Fatal(err)
	}
	ep, err := environment.Resolve(environment.Input{ConnectionURI: connectionURI, AuthorityURI: info.AuthorityURI})
	if err != nil {
		t.Fatal(err)
	}
	src, err := auth.NewPassword(ctx, auth.Config{Authority: ep.Authority, Scope: ep.Scope, HTTPClient: hc, Logger: zaptest.NewLogger(t)},
		info.UserPrincipalName, info.Password)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	tok, err := src.Token(ctx, auth.TokenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if tok.TenantID != info.TenantID {
		t.Fatalf("token tenant %s, want %s", tok.TenantID, info.TenantID)
	}
	return &client{http: hc, base: ep.RESTBase.String(), tid: tok.TenantID, token: src}
}

type page struct {
	Value    []map[string]any `json:"value"`
	NextLink string           `json:"@odata.nextLink"`
	Warnings []string         `json:"@adminapi.warnings"`
}

func (c *client) post(t *testing.T, url, cmdlet string, body any, prefer string) *http.Response {
	t.Helper()
	data, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := c.token.Token(context.Background(), auth.TokenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CmdletName", cmdlet)
	req.Header.Set("X-ResponseFormat", "json")
	if prefer != "" {
		req.Header.Set("Prefer", prefer)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	return resp
}

func (c *client) invokeURL() string { return c.base + "/adminapi/beta/" + c.tid + "/InvokeCommand" }

func cmdletInput(name string, params map[string]any) map[string]any {
	return map[string]any{"CmdletInput": map[string]any{"CmdletName": name, "Parameters": params}}
}

func decode[T any](t *testing.T, resp *http.Response) T {
	t.Helper()
	defer func() { _ = resp.Body.Close() }()
	var v T
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return v
}

func TestSignInAndPageThroughMailboxes(t *testing.T) {
	data := filepath.Join(t.TempDir(), "tenant.db")
	sb := startSandbox(t, data)
	c := signIn(t, sb.Info(), sb.Info().ConnectionURI)

	body := cmdletInput("Get-Mailbox", map[string]any{"ResultSize": "Unlimited"})
	seen := map[string]bool{}
	pages := 0
	url := c.invokeURL()
	for url != "" {
		p := decode[page](t, c.post(t, url, "Get-Mailbox", body, "odata.maxpagesize=7"))
		if len(p.Value) > 7 {
			t.Fatalf("page of %d objects, asked for at most 7", len(p.Value))
		}
		for _, m := range p.Value {
			id := fmt.Sprint(m["ExchangeGuid"], m["Guid"], m["PrimarySmtpAddress"])
			if seen[id] {
				t.Fatalf("object %s returned twice", id)
			}
			seen[id] = true
		}
		pages++
		url = p.NextLink
	}
	if len(seen) < 40 || pages < 6 {
		t.Fatalf("paged %d objects over %d pages; want the default tenant's mailboxes over several pages", len(seen), pages)
	}
}

func TestBatchPartsFailIndependently(t *testing.T) {
	sb := startSandbox(t, filepath.Join(t.TempDir(), "tenant.db"))
	c := signIn(t, sb.Info(), sb.Info().ConnectionURI)
	part := func(id, identity string) map[string]any {
		return map[string]any{
			"id": id, "method": "POST", "url": c.invokeURL(),
			"headers": map[string]string{"X-CmdletName": "Get-Mailbox", "Prefer": "odata.maxpagesize=1000;odata.continue-on-error", "Content-Type": "application/json"},
			"body":    cmdletInput("Get-Mailbox", map[string]any{"Identity": identity}),
		}
	}
	admin := sb.Info().UserPrincipalName
	batch := map[string]any{"requests": []any{part("0", admin), part("1", "nobody-at-all@nowhere.invalid"), part("2", admin)}}
	resp := c.post(t, c.base+"/adminapi/beta/"+c.tid+"/$batch", "Get-Mailbox", batch, "odata.continue-on-error")
	got := decode[struct {
		Responses []struct {
			ID     string          `json:"id"`
			Status int             `json:"status"`
			Body   json.RawMessage `json:"body"`
		} `json:"responses"`
	}](t, resp)
	want := map[string]int{"0": 200, "1": 404, "2": 200}
	if len(got.Responses) != len(want) {
		t.Fatalf("%d responses, want %d", len(got.Responses), len(want))
	}
	for _, r := range got.Responses {
		if r.Status != want[r.ID] {
			t.Errorf("part %s status %d, want %d (%s)", r.ID, r.Status, want[r.ID], r.Body)
		}
	}
	if !strings.Contains(string(got.Responses[1].Body), "ManagementObjectNotFoundException") {
		t.Errorf("failed part lacks the service's error: %s", got.Responses[1].Body)
	}
}

func TestThrottlingAndFaults(t *testing.T) {
	sb := startSandbox(t, filepath.Join(t.TempDir(), "tenant.db"))
	c := signIn(t, sb.Info(), sb.Info().ConnectionURI)
	body := cmdletInput("Get-AcceptedDomain", map[string]any{})

	tests := []struct {
		name     string
		settings adminapi.Settings
		want     int
		check    func(t *testing.T, resp *http.Response)
	}{
		{"over budget is 429 with Retry-After", adminapi.Settings{Throttle: adminapi.ThrottleSettings{Budget: 1, Window: adminapi.Duration(time.Hour)}}, 429,
			func(t *testing.T, resp *http.Response) {
				if resp.Header.Get("Retry-After") == "" {
					t.Error("429 without Retry-After")
				}
			}},
		{"injected 503", adminapi.Settings{Faults: []adminapi.Fault{{Kind: adminapi.FaultStatus, Status: 503, Count: 1}}}, 503, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := sb.SetSettings(tt.settings); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = sb.SetSettings(adminapi.Settings{}) })
			var last *http.Response
			for range 3 {
				last = c.post(t, c.invokeURL(), "Get-AcceptedDomain", body, "")
				_ = last.Body.Close()
				if last.StatusCode == tt.want {
					break
				}
			}
			if last.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", last.StatusCode, tt.want)
			}
			if tt.check != nil {
				tt.check(t, last)
			}
		})
	}
}

func TestRestartKeepsDataAndCredentials(t *testing.T) {
	data := filepath.Join(t.TempDir(), "tenant.db")
	first := startSandbox(t, data)
	info := first.Info()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := first.Close(ctx); err != nil {
		t.Fatal(err)
	}
	second := startSandbox(t, data)
	again := second.Info()
	if again.TenantID != info.TenantID || again.AppID != info.AppID || again.CertificateThumbprint != info.CertificateThumbprint {
		t.Fatalf("restart changed the tenant: %+v vs %+v", again, info)
	}
	c := signIn(t, again, again.ConnectionURI)
	p := decode[page](t, c.post(t, c.invokeURL(), "Get-AcceptedDomain", cmdletInput("Get-AcceptedDomain", map[string]any{}), ""))
	if len(p.Value) == 0 {
		t.Fatal("no accepted domains after a restart")
	}
}
