package adminapi

import (
	"net/http"
	"net/url"
	"strings"
)

// The Security & Compliance front door answers a client's first request
// with a 3xx whose Location names the tenant's regional host
// (nam12b.admin.protection.outlook.com, used as
// https://nam12b.ps.compliance.protection.outlook.com). A client must take
// that base, keep sending its Authorization header, and stay on it.
//
// The loopback sandbox has no DNS names, so the region is a path prefix on
// the same listener: a request to https://127.0.0.1:PORT/adminapi/... is
// answered 302 with Location https://127.0.0.1:PORT/region/nam12b/adminapi/...
// and the client's new base URL is https://127.0.0.1:PORT/region/nam12b.
// A request under another region's prefix is sent to the right one the
// same way. The redirect comes after authentication, as the front door
// needs the token's tenant to know its region.

// redirectToRegion answers with the redirect when the request is not
// pinned to the configured region, and reports whether it did.
func (s *Server) redirectToRegion(w http.ResponseWriter, r *http.Request, rt route) bool {
	want := s.cfg.ComplianceRegion
	if want == "" || strings.EqualFold(rt.region, want) {
		return false
	}
	rest := r.URL.EscapedPath()
	if rt.region != "" {
		// Drop "/region/<other>" (two segments) before re-prefixing.
		trimmed := strings.TrimPrefix(rest, "/")
		parts := strings.SplitN(trimmed, "/", 3)
		rest = "/"
		if len(parts) == 3 {
			rest += parts[2]
		}
	}
	loc := url.URL{
		Scheme:   "https",
		Host:     r.Host,
		Path:     "/region/" + want + unescapePath(rest),
		RawPath:  "/region/" + want + rest,
		RawQuery: r.URL.RawQuery,
	}
	w.Header().Set("Location", loc.String())
	writeProtocolError(w, r, http.StatusFound, "The tenant is served from region "+want+"; send this and later requests to the Location given.")
	return true
}

func unescapePath(p string) string {
	if u, err := url.PathUnescape(p); err == nil {
		return u
	}
	return p
}
