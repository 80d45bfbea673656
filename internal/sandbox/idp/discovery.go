package idp

import (
	"net/http"
	"net/url"
	"strings"
)

// instanceDiscovery answers MSAL's authority validation. MSAL for Go only
// sends it to the authority host when that host is a known Microsoft cloud,
// so clients of the sandbox disable instance discovery; it is served for
// clients that call it anyway.
func (h *Handler) instanceDiscovery(w http.ResponseWriter, r *http.Request) {
	base := h.baseURL(r)
	ourHost := strings.ToLower(strings.TrimPrefix(strings.TrimPrefix(base, "https://"), "http://"))
	u, err := url.Parse(r.URL.Query().Get("authorization_endpoint"))
	segs := []string{}
	if err == nil {
		segs = strings.Split(strings.Trim(u.Path, "/"), "/")
	}
	if err != nil || !strings.EqualFold(u.Host, ourHost) || len(segs) != 4 || segs[1] != "oauth2" {
		h.writeError(w, r, newError(http.StatusBadRequest, "invalid_instance", 50049, "Unknown or invalid instance."))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"tenant_discovery_endpoint": base + "/" + segs[0] + "/v2.0/.well-known/openid-configuration",
		"api-version":               "1.1",
		"metadata": []map[string]any{{
			"preferred_network": ourHost,
			"preferred_cache":   ourHost,
			"aliases":           []string{ourHost},
		}},
	})
}

// userRealm tells MSAL's username/password flow that accounts are managed
// (cloud) accounts, not federated ones needing WS-Trust.
func (h *Handler) userRealm(w http.ResponseWriter, r *http.Request) {
	t, err := h.dir.Tenant(r.Context())
	if err != nil {
		h.writeError(w, r, serverError())
		return
	}
	user := r.PathValue("user")
	domain := user[strings.LastIndex(user, "@")+1:]
	accountType := "Unknown"
	for _, d := range t.Domains {
		if strings.EqualFold(d, domain) {
			accountType = "Managed"
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"ver":                 "1.0",
		"account_type":        accountType,
		"domain_name":         domain,
		"cloud_instance_name": "microsoftonline.com",
		"cloud_audience_urn":  "urn:federation:MicrosoftOnline",
	})
}

// openIDConfiguration is the OIDC metadata MSAL resolves the authority to.
// Its issuer host must equal the authority host or MSAL refuses it.
func (h *Handler) openIDConfiguration(w http.ResponseWriter, r *http.Request) {
	t, oerr := h.resolveTenant(r.Context(), r.PathValue("tenant"))
	if oerr != nil {
		oerr.code = "invalid_tenant"
		h.writeError(w, r, oerr)
		return
	}
	base := h.baseURL(r)
	// Like Entra, a specific tenant is named by its GUID; the multi-tenant
	// aliases keep their name and a {tenantid} issuer template.
	name, issuerTenant := r.PathValue("tenant"), "{tenantid}"
	if t.specific {
		name, issuerTenant = t.ID, t.ID
	}
	prefix := base + "/" + name
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                base + "/" + issuerTenant + "/v2.0",
		"authorization_endpoint":                prefix + "/oauth2/v2.0/authorize",
		"token_endpoint":                        prefix + "/oauth2/v2.0/token",
		"device_authorization_endpoint":         prefix + "/oauth2/v2.0/devicecode",
		"jwks_uri":                              prefix + "/discovery/v2.0/keys",
		"response_types_supported":              []string{"code"},
		"response_modes_supported":              []string{"query", "fragment", "form_post"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt"},
		"code_challenge_methods_supported":      []string{"S256", "plain"},
		"grant_types_supported": []string{"authorization_code", "refresh_token", "password", "client_credentials",
			"urn:ietf:params:oauth:grant-type:device_code"},
		"claims_supported": []string{"sub", "iss", "aud", "exp", "iat", "nbf", "name", "oid", "tid",
			"preferred_username", "upn", "nonce", "ver"},
		"tenant_region_scope":             "NA",
		"cloud_instance_name":             "microsoftonline.com",
		"request_uri_parameter_supported": false,
	})
}

// keys serves the signing keys for any tenant alias.
func (h *Handler) keys(w http.ResponseWriter, r *http.Request) {
	if _, oerr := h.resolveTenant(r.Context(), r.PathValue("tenant")); oerr != nil {
		oerr.code = "invalid_tenant"
		h.writeError(w, r, oerr)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(h.signer.jwksJSON())
}
