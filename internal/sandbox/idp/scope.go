package idp

import (
	"net/http"
	"strings"
)

// grantedScope is a parsed scope parameter: the one resource requested and
// the OpenID Connect extras.
type grantedScope struct {
	resource Resource
	// echo is the scope string returned to the client. MSAL for Go treats
	// any requested scope missing from it as declined, so the requested
	// resource scopes are echoed as sent.
	echo    string
	openid  bool
	offline bool
}

// parseScope resolves a v2.0 scope parameter. App-only requests must ask for
// <resource>/.default, and MSAL's automatic openid/profile/offline_access
// are ignored for them, as Entra does.
func (h *Handler) parseScope(raw string, t tenantRef, appOnly bool) (grantedScope, *oauthError) {
	if strings.TrimSpace(raw) == "" {
		return grantedScope{}, missingParameter("scope")
	}
	var g grantedScope
	var res *Resource
	echo := []string{}
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[strings.ToLower(s)] {
			seen[strings.ToLower(s)] = true
			echo = append(echo, s)
		}
	}
	for _, s := range strings.Fields(raw) {
		switch strings.ToLower(s) {
		case "openid", "profile", "email":
			g.openid = g.openid || strings.EqualFold(s, "openid")
			if !appOnly {
				add(s)
			}
			continue
		case "offline_access":
			g.offline = true
			if !appOnly {
				add(s)
			}
			continue
		}
		r, perm, oerr := h.matchResource(s, t)
		if oerr != nil {
			return grantedScope{}, oerr
		}
		if res != nil && res.URL != r.URL {
			return grantedScope{}, invalidScope(28000, "Provided value for the input parameter scope is not valid because it contains more than one resource. Scope %s is not valid.", raw)
		}
		res = &r
		switch {
		case perm == ".default":
			add(s)
			if !appOnly {
				add(r.URL + "/" + r.Scope)
			}
		case appOnly:
			return grantedScope{}, invalidScope(1002012, "The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", s)
		case strings.EqualFold(perm, r.Scope):
			add(s)
		default:
			return grantedScope{}, invalidScope(650053, "The application asked for scope '%s' that doesn't exist on the resource '%s'.", perm, r.URL)
		}
	}
	if res == nil {
		return grantedScope{}, invalidScope(70011, "The provided value for the input parameter 'scope' is not valid. The scope '%s' does not name a resource this tenant serves.", raw)
	}
	g.resource = *res
	g.echo = strings.Join(echo, " ")
	if appOnly {
		g.openid, g.offline = false, false
	}
	return g, nil
}

// matchResource splits "<resource URL>/<permission>" on the longest
// configured resource URL. "<resource>//.default", which PowerShell users
// often write, names the same resource.
func (h *Handler) matchResource(scope string, t tenantRef) (Resource, string, *oauthError) {
	var best Resource
	perm := ""
	for _, r := range h.resources {
		prefix := r.URL + "/"
		if len(scope) > len(prefix) && strings.EqualFold(scope[:len(prefix)], prefix) && len(r.URL) > len(best.URL) {
			best, perm = r, strings.TrimPrefix(scope[len(prefix):], "/")
		}
	}
	if best.URL != "" {
		return best, perm, nil
	}
	if i := strings.LastIndex(scope, "/"); i > 0 && strings.Contains(scope, "://") {
		return Resource{}, "", newError(http.StatusBadRequest, "invalid_resource", 500011,
			"The resource principal named %s was not found in the tenant named %s. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.",
			scope[:i], tenantDisplayName(t))
	}
	return Resource{}, "", invalidScope(70011, "The provided value for the input parameter 'scope' is not valid. The scope %s is not valid.", scope)
}

func invalidScope(aadsts int, format string, args ...any) *oauthError {
	return newError(http.StatusBadRequest, "invalid_scope", aadsts, format, args...)
}

func tenantDisplayName(t tenantRef) string {
	if len(t.Domains) > 0 {
		return t.Domains[0]
	}
	return t.ID
}
