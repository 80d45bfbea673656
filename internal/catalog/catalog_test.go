package catalog

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openexo/exo/internal/adminclient"
	"github.com/openexo/exo/internal/auth"
)

type fakeTokens struct{}

func (fakeTokens) Token(context.Context, auth.TokenOptions) (auth.Token, error) {
	return auth.Token{AccessToken: "tok", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func keyXML(pub *rsa.PublicKey) string {
	return "<RSAKeyValue><Modulus>" + base64.StdEncoding.EncodeToString(pub.N.Bytes()) +
		"</Modulus><Exponent>" + base64.StdEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()) +
		"</Exponent></RSAKeyValue>"
}

func moduleBody(t *testing.T, script, exported string) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"value": []map[string]string{
		{"fileName": "tmpEXO.format.ps1xml", "fileContent": "<Configuration/>", "exportedCmdlets": ""},
		{"fileName": "tmpEXO.psm1", "fileContent": script, "exportedCmdlets": exported},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParse(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	script := "function script:Get-Mailbox {}\n$PublicKey = '" + keyXML(&key.PublicKey) + "'\n"
	tests := []struct {
		name        string
		body        []byte
		wantCmdlets []string
		wantKey     bool
		wantErr     string
	}{
		{name: "module with key", body: moduleBody(t, script, "Get-Mailbox, Set-Mailbox,,get-mailbox"),
			wantCmdlets: []string{"Get-Mailbox", "Set-Mailbox"}, wantKey: true},
		{name: "module without key", body: moduleBody(t, "function script:Get-User {}", "Get-User"),
			wantCmdlets: []string{"Get-User"}},
		{name: "no cmdlets", body: moduleBody(t, "x", ""), wantErr: "exports no cmdlet"},
		{name: "not JSON", body: []byte("<html>"), wantErr: "read the cmdlet catalogue"},
		{name: "bad key", body: moduleBody(t, "$PublicKey = '<RSAKeyValue><Modulus>!!</Modulus><Exponent>AQAB</Exponent></RSAKeyValue>'", "Get-User"),
			wantErr: "public key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse(tt.body)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(c.Cmdlets, "|") != strings.Join(tt.wantCmdlets, "|") {
				t.Errorf("cmdlets = %v, want %v", c.Cmdlets, tt.wantCmdlets)
			}
			if (c.PublicKey != nil) != tt.wantKey {
				t.Fatalf("key = %v, want one: %v", c.PublicKey, tt.wantKey)
			}
			if tt.wantKey && (c.PublicKey.N.Cmp(key.N) != 0 || c.PublicKey.E != key.E) {
				t.Error("the parsed key is not the module's")
			}
			if len(c.SHA256) != 64 {
				t.Errorf("sha256 = %q", c.SHA256)
			}
			for _, n := range tt.wantCmdlets {
				if got, ok := c.Lookup(strings.ToUpper(n)); !ok || got != n {
					t.Errorf("Lookup(%s) = %q, %v", n, got, ok)
				}
			}
			if _, err := c.Require("Remove-Everything"); !errors.Is(err, ErrNotInCatalog) {
				t.Errorf("Require of a missing cmdlet = %v", err)
			}
		})
	}
}

func TestFetch(t *testing.T) {
	tests := []struct {
		name        string
		commandName []string
		wantHeader  string
	}{
		{name: "all cmdlets", wantHeader: "*"},
		{name: "CommandName list", commandName: []string{"Get-Mailbox", "Set-*"}, wantHeader: "Get-Mailbox,Set-*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *http.Request
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got = r
				_, _ = w.Write(moduleBody(t, "function script:Get-Mailbox {}", "Get-Mailbox"))
			}))
			defer srv.Close()
			c, err := Fetch(context.Background(), Source{
				Client: adminclient.New(adminclient.Options{Tokens: fakeTokens{}}),
				Base:   srv.URL, Tenant: "tid-1", Anchor: "UPN:a@b", CommandName: tt.commandName,
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Cmdlets) != 1 {
				t.Fatalf("cmdlets = %v", c.Cmdlets)
			}
			if got.Method != http.MethodGet || got.URL.Path != "/AdminApi/v1.0/tid-1/EXOModuleFile" ||
				got.URL.Query().Get("Version") != adminclient.ModuleVersion {
				t.Errorf("request = %s %s", got.Method, got.URL)
			}
			if h := got.Header.Get("CommandName"); h != tt.wantHeader {
				t.Errorf("CommandName = %q, want %q", h, tt.wantHeader)
			}
			if h := got.Header.Get("X-AnchorMailbox"); h != "UPN:a@b" {
				t.Errorf("X-AnchorMailbox = %q", h)
			}
		})
	}
}

func TestCache(t *testing.T) {
	ctx := context.Background()
	one := &Catalog{Cmdlets: []string{"Get-User"}}
	t.Run("concurrent callers share one fetch", func(t *testing.T) {
		c := NewCache(4)
		var fetches atomic.Int32
		release := make(chan struct{})
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, err := c.Get(ctx, "conn", func(context.Context) (*Catalog, error) {
					fetches.Add(1)
					<-release
					return one, nil
				})
				if err != nil || got != one {
					t.Errorf("Get = %v, %v", got, err)
				}
			}()
		}
		time.Sleep(20 * time.Millisecond)
		close(release)
		wg.Wait()
		if n := fetches.Load(); n != 1 {
			t.Errorf("fetches = %d, want 1", n)
		}
	})
	t.Run("a failure is not kept", func(t *testing.T) {
		c := NewCache(4)
		boom := errors.New("boom")
		if _, err := c.Get(ctx, "conn", func(context.Context) (*Catalog, error) { return nil, boom }); !errors.Is(err, boom) {
			t.Fatalf("err = %v", err)
		}
		got, err := c.Get(ctx, "conn", func(context.Context) (*Catalog, error) { return one, nil })
		if err != nil || got != one {
			t.Fatalf("Get after a failure = %v, %v", got, err)
		}
	})
	t.Run("least recently used is evicted", func(t *testing.T) {
		c := NewCache(2)
		fetches := map[string]int{}
		get := func(key string) {
			if _, err := c.Get(ctx, key, func(context.Context) (*Catalog, error) { fetches[key]++; return one, nil }); err != nil {
				t.Fatal(err)
			}
		}
		get("a")
		get("b")
		get("a") // a is now the most recent
		get("c") // evicts b
		get("a")
		get("b")
		if fetches["a"] != 1 || fetches["b"] != 2 || fetches["c"] != 1 {
			t.Errorf("fetches = %v", fetches)
		}
	})
}
