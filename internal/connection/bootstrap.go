package connection

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/openexo/exo/internal/adminclient"
)

// bannerPath is the banner request below a REST base; Connect-* sends it
// first, so its answer is also where the service redirects a Security &
// Compliance client to its region.
func bannerPath(tenantID string) string {
	return "/AdminApi/v1.0/" + url.PathEscape(tenantID) + "/EXOBanner('AutogenSession')"
}

// bootstrap is what the first request of a connection learns.
type bootstrap struct {
	// base is the REST base to use from now on: the regional one after a
	// redirect, else the one asked for.
	base   string
	banner string
}

// probe requests the banner without following redirects. A 3xx names the
// regional host (the real service's S&C front door does this); the client
// takes the base from Location and asks again there, keeping its token,
// which a plain redirect-following client would drop on a host change.
func probe(ctx context.Context, hc *http.Client, base, tenantID, token string) (bootstrap, error) {
	noRedirect := *hc
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	path := bannerPath(tenantID)
	for range 2 {
		resp, err := get(ctx, &noRedirect, base+path+"?Version="+adminclient.ModuleVersion, token)
		if err != nil {
			return bootstrap{}, err
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		_ = resp.Body.Close()
		if err != nil {
			return bootstrap{}, fmt.Errorf("read banner: %w", err)
		}
		switch {
		case resp.StatusCode >= 300 && resp.StatusCode < 400:
			loc, err := resp.Location()
			if err != nil {
				return bootstrap{}, fmt.Errorf("redirect without a usable Location: %w", err)
			}
			if base, err = regionalBase(loc, path); err != nil {
				return bootstrap{}, err
			}
		case resp.StatusCode == http.StatusOK:
			var b struct {
				Content string `json:"moduleBannerContent"`
			}
			// The banner is cosmetic: an unreadable one is dropped, as the
			// module only logs a banner failure.
			_ = json.Unmarshal(body, &b)
			return bootstrap{base: base, banner: b.Content}, nil
		default:
			// The module only logs a banner failure; the base stands.
			return bootstrap{base: base}, nil
		}
	}
	return bootstrap{}, errors.New("the service redirected more than once")
}

// regionalBase strips the request path from a redirect Location, leaving
// the new base URL (scheme, host, and any path prefix the service added).
func regionalBase(loc *url.URL, path string) (string, error) {
	if loc.Scheme != "https" {
		return "", fmt.Errorf("refusing a redirect to %q: not https", loc.Redacted())
	}
	p := loc.EscapedPath()
	i := strings.LastIndex(strings.ToLower(p), strings.ToLower(strings.ReplaceAll(path, "'", "%27")))
	if i < 0 {
		i = strings.LastIndex(strings.ToLower(p), strings.ToLower(path))
	}
	if i < 0 {
		return "", fmt.Errorf("redirect to %q does not keep the request path", loc.Redacted())
	}
	return loc.Scheme + "://" + loc.Host + p[:i], nil
}

func get(ctx context.Context, hc *http.Client, rawURL, token string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-ClientModuleVersion", adminclient.ModuleVersion)
	req.Header.Set("X-ClientApplication", "ExoManagementModule")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("reach %s: %w", req.URL.Host, err)
	}
	return resp, nil
}
