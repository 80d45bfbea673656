package idp

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/managedidentity"
)

// MSAL for Go's managed identity client reads its source from environment
// variables and keeps a process-wide token cache, so these tests set the
// environment (and cannot run in parallel) and use resources no earlier run
// in the process has used.

func clearManagedIdentityEnv(t *testing.T) {
	for _, k := range []string{"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT", "IMDS_ENDPOINT", "MSI_ENDPOINT", "MSI_SECRET"} {
		t.Setenv(k, "")
	}
}

// uniqueResources makes one fresh resource URL per name and an option
// registering them.
func uniqueResources(names ...string) (map[string]string, envOption) {
	run := make([]byte, 4)
	_, _ = rand.Read(run)
	urls := map[string]string{}
	for _, n := range names {
		urls[n] = "https://" + n + "-" + hex.EncodeToString(run) + ".exo.test"
	}
	return urls, func(c *Config, _ string) {
		for _, u := range urls {
			c.Resources = append(c.Resources, Resource{URL: u})
		}
	}
}

func TestAppServiceManagedIdentity(t *testing.T) {
	res, opt := uniqueResources("system", "user", "bad")
	e := newTestEnv(t, opt)
	clearManagedIdentityEnv(t)
	// What the daemon sets to reach the sandbox with stock MSAL.
	t.Setenv("IDENTITY_ENDPOINT", e.srv.URL+"/msi/token")
	t.Setenv("IDENTITY_HEADER", e.h.IdentityHeader())
	if src, err := managedidentity.GetSource(); err != nil || src != managedidentity.AppService {
		t.Fatalf("source = %v, %v", src, err)
	}
	tests := []struct {
		name     string
		id       managedidentity.ID
		resource string
		appID    string
	}{
		{"system-assigned", managedidentity.SystemAssigned(), res["system"], systemMIID},
		{"user-assigned by client ID", managedidentity.UserAssignedClientID(userMIID), res["user"] + "/.default", userMIID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := managedidentity.New(tt.id, managedidentity.WithHTTPClient(e.srv.Client()), managedidentity.WithRetryPolicyDisabled())
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.AcquireToken(context.Background(), tt.resource)
			if err != nil {
				t.Fatal(err)
			}
			if got.Metadata.TokenSource != managedidentity.TokenSourceIdentityProvider {
				t.Fatal("token came from MSAL's cache, not the sandbox")
			}
			claims := e.verify(t, got.AccessToken, strings.TrimSuffix(tt.resource, "/.default"))
			if !claims.IsApp || claims.AppID != tt.appID || len(claims.AppRoles) != 1 {
				t.Errorf("claims = %+v", claims)
			}
		})
	}
	t.Run("wrong identity header", func(t *testing.T) {
		t.Setenv("IDENTITY_HEADER", "guess")
		c, err := managedidentity.New(managedidentity.SystemAssigned(), managedidentity.WithHTTPClient(e.srv.Client()), managedidentity.WithRetryPolicyDisabled())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.AcquireToken(context.Background(), res["bad"]); err == nil || !strings.Contains(err.Error(), "401") {
			t.Fatalf("err = %v, want a 401", err)
		}
	})
}

// imdsTransport stands in for the network path to IMDS: it sends requests for
// 169.254.169.254 to the loopback test server and refuses every other
// non-loopback host, so the test never leaves the machine.
type imdsTransport struct {
	server *url.URL
	next   http.RoundTripper
}

func (tr imdsTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	switch host := r.URL.Hostname(); {
	case host == "169.254.169.254":
		r.URL.Scheme, r.URL.Host, r.Host = tr.server.Scheme, tr.server.Host, ""
	case net.ParseIP(host) == nil || !net.ParseIP(host).IsLoopback():
		return nil, errors.New("test transport: refusing non-loopback host " + host)
	}
	return tr.next.RoundTrip(r)
}

func TestIMDSManagedIdentity(t *testing.T) {
	res, opt := uniqueResources("system", "user", "none")
	e := newTestEnv(t, opt)
	clearManagedIdentityEnv(t)
	if src, err := managedidentity.GetSource(); err != nil || src != managedidentity.DefaultToIMDS {
		t.Skipf("this machine looks like a managed identity host (source %v)", src)
	}
	server, _ := url.Parse(e.srv.URL)
	client := &http.Client{Transport: imdsTransport{server: server, next: e.srv.Client().Transport}}
	tests := []struct {
		name     string
		id       managedidentity.ID
		resource string
		appID    string
		wantErr  string
	}{
		{"system-assigned", managedidentity.SystemAssigned(), res["system"], systemMIID, ""},
		{"user-assigned by resource ID", managedidentity.UserAssignedResourceID(userMIResID), res["user"], userMIID, ""},
		{"unknown identity", managedidentity.UserAssignedClientID("99999999-0000-4000-8000-000000000000"), res["none"], "", "Identity not found"},
		{"unknown resource", managedidentity.SystemAssigned(), "https://graph.microsoft.com", "", "AADSTS500011"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := managedidentity.New(tt.id, managedidentity.WithHTTPClient(client), managedidentity.WithRetryPolicyDisabled())
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.AcquireToken(context.Background(), tt.resource)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			claims := e.verify(t, got.AccessToken, tt.resource)
			if !claims.IsApp || claims.AppID != tt.appID {
				t.Errorf("claims = %+v", claims)
			}
		})
	}
	t.Run("metadata header required", func(t *testing.T) {
		resp, err := e.client.Get(e.srv.URL + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=" + url.QueryEscape(res["system"]))
		if err != nil {
			t.Fatal(err)
		}
		if body := readBody(t, resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "metadata header") {
			t.Errorf("status %d: %s", resp.StatusCode, body)
		}
	})
}
