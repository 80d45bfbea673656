package auth

import (
	"context"
	"crypto/tls"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/openexo/exo/internal/sandbox/pki"
)

func TestAuthorityInstanceDiscovery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		authority string
		discovery bool
		tenant    string
	}{
		{"https://login.microsoftonline.com/organizations", true, "organizations"},
		{"https://LOGIN.microsoftonline.us/common/", true, "common"},
		{"https://login.chinacloudapi.cn/contoso.partner.onmschina.cn", true, "contoso.partner.onmschina.cn"},
		{"https://127.0.0.1:8443/contoso.onmicrosoft.com", false, "contoso.onmicrosoft.com"},
		{"https://login.contoso.com/adfs", false, "adfs"},
	}
	for _, tt := range tests {
		a, err := parseAuthority(tt.authority)
		if err != nil {
			t.Fatalf("%s: %v", tt.authority, err)
		}
		if a.instanceDiscovery() != tt.discovery || a.tenant != tt.tenant {
			t.Errorf("%s: discovery %v, tenant %q", tt.authority, a.instanceDiscovery(), a.tenant)
		}
	}
	for _, bad := range []string{"", "http://login.microsoftonline.com/organizations", "https://login.microsoftonline.com", "https://login.microsoftonline.com/"} {
		if _, err := parseAuthority(bad); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("%q: err = %v", bad, err)
		}
	}
}

func TestConfigValidation(t *testing.T) {
	t.Parallel()
	e := newTestIDP(t)
	ctx := context.Background()
	for name, mutate := range map[string]func(*Config){
		"no authority":   func(c *Config) { c.Authority = "" },
		"http authority": func(c *Config) { c.Authority = strings.Replace(c.Authority, "https:", "http:", 1) },
		"no scope":       func(c *Config) { c.Scope = "" },
		"named scope":    func(c *Config) { c.Scope = e.srv.URL + "/Exchange.Manage" },
	} {
		cfg := e.config(t, "organizations")
		mutate(&cfg)
		if _, err := NewPassword(ctx, cfg, adminUPN, adminPassword); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if n := e.grants.count("password"); n != 0 {
		t.Errorf("%d sign-ins were attempted with invalid configurations", n)
	}
}

func TestTrustedHTTPClient(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }))
	defer srv.Close()
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})

	c, err := TrustedHTTPClient(caPEM)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Get(srv.URL)
	if err != nil {
		t.Fatalf("the extra CA is not trusted: %v", err)
	}
	resp.Body.Close()

	// A server with a certificate from another CA is still refused.
	ca, err := pki.NewAuthority("other CA", time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := ca.ServerCertificate([]string{"127.0.0.1"}, time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	other := httptest.NewUnstartedServer(http.NotFoundHandler())
	other.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	other.StartTLS()
	defer other.Close()
	if _, err := c.Get(other.URL); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("an untrusted server was accepted: %v", err)
	}

	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1, 2, 3}})
	for name, bad := range map[string][]byte{
		"empty":         nil,
		"blank":         []byte(" \n"),
		"not PEM":       []byte("hello"),
		"private key":   keyPEM,
		"bad DER":       pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1, 2, 3}}),
		"trailing junk": append(append([]byte{}, caPEM...), "junk"...),
	} {
		if _, err := TrustedHTTPClient(bad); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}
