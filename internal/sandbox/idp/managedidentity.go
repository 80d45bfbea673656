package idp

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"go.uber.org/zap"
)

// Managed identity endpoints. MSAL for Go's apps/managedidentity picks its
// source from the environment: with IDENTITY_ENDPOINT and IDENTITY_HEADER set
// (and neither IDENTITY_SERVER_THUMBPRINT nor IMDS_ENDPOINT) it calls the App
// Service endpoint at IDENTITY_ENDPOINT, which can be this handler's
// /msi/token. Its IMDS source always calls http://169.254.169.254, so the IMDS
// imitation is reachable only by clients that can be given a URL.

const (
	appServiceAPIVersion = "2019-08-01"
	imdsAPIVersion       = "2018-02-01"
)

// miError is the error body of the managed identity endpoints.
type miError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// appServiceToken imitates the App Service / Functions identity endpoint.
func (h *Handler) appServiceToken(w http.ResponseWriter, r *http.Request) {
	got := r.Header.Get("X-IDENTITY-HEADER")
	if subtle.ConstantTimeCompare([]byte(got), []byte(h.identityHeader)) != 1 {
		h.miRefuse(w, http.StatusUnauthorized, "unauthorized", "The X-IDENTITY-HEADER header is missing or wrong.")
		return
	}
	q := r.URL.Query()
	if v := q.Get("api-version"); v != appServiceAPIVersion {
		h.miRefuse(w, http.StatusBadRequest, "invalid_request", "api-version '"+v+"' is not supported; use "+appServiceAPIVersion+".")
		return
	}
	sel := ManagedIdentitySelector{ClientID: q.Get("client_id"), ObjectID: firstNonEmpty(q.Get("object_id"), q.Get("principal_id")), ResourceID: q.Get("mi_res_id")}
	tok, ok := h.managedIdentityToken(w, r, sel, q.Get("resource"))
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{
		"access_token": tok.accessToken,
		"expires_on":   strconv.FormatInt(h.now().Unix()+tok.lifetime, 10),
		"resource":     tok.resource,
		"token_type":   "Bearer",
		"client_id":    tok.clientID,
	})
}

// imdsToken imitates the Azure Instance Metadata Service identity endpoint.
func (h *Handler) imdsToken(w http.ResponseWriter, r *http.Request) {
	// IMDS demands Metadata: true and refuses proxied requests, to defeat
	// server-side request forgery.
	if !strings.EqualFold(r.Header.Get("Metadata"), "true") || r.Header.Get("X-Forwarded-For") != "" {
		h.miRefuse(w, http.StatusBadRequest, "invalid_request", "Required metadata header not specified")
		return
	}
	q := r.URL.Query()
	if v := q.Get("api-version"); v != imdsAPIVersion {
		h.miRefuse(w, http.StatusBadRequest, "invalid_request", "Invalid api-version '"+v+"'.")
		return
	}
	sel := ManagedIdentitySelector{ClientID: q.Get("client_id"), ObjectID: q.Get("object_id"), ResourceID: firstNonEmpty(q.Get("msi_res_id"), q.Get("mi_res_id"))}
	tok, ok := h.managedIdentityToken(w, r, sel, q.Get("resource"))
	if !ok {
		return
	}
	now := h.now().Unix()
	life := strconv.FormatInt(tok.lifetime, 10)
	writeJSON(w, http.StatusOK, map[string]string{
		"access_token":   tok.accessToken,
		"client_id":      tok.clientID,
		"expires_in":     life,
		"expires_on":     strconv.FormatInt(now+tok.lifetime, 10),
		"ext_expires_in": life,
		"not_before":     strconv.FormatInt(now, 10),
		"resource":       tok.resource,
		"token_type":     "Bearer",
	})
}

// managedIdentityToken resolves the identity and resource of a managed
// identity request and issues the token, or answers with an error and
// returns false. The errors are 400s: MSAL retries IMDS 404s and 5xx.
func (h *Handler) managedIdentityToken(w http.ResponseWriter, r *http.Request, sel ManagedIdentitySelector, resource string) (miToken, bool) {
	if resource == "" {
		h.miRefuse(w, http.StatusBadRequest, "invalid_request", "Required query variable 'resource' is missing")
		return miToken{}, false
	}
	t, err := h.dir.Tenant(r.Context())
	if err != nil {
		h.log.Error("read tenant", zap.Error(err))
		h.miRefuse(w, http.StatusInternalServerError, "server_error", "The tenant could not be read.")
		return miToken{}, false
	}
	res, _, oerr := h.matchResource(strings.TrimSuffix(strings.TrimRight(resource, "/"), "/.default")+"/.default", tenantRef{TenantInfo: t, specific: true})
	if oerr != nil {
		h.miRefuse(w, http.StatusBadRequest, "invalid_resource", oerr.message())
		return miToken{}, false
	}
	sp, err := h.dir.ManagedIdentity(r.Context(), sel)
	switch {
	case errors.Is(err, ErrNotFound):
		h.miRefuse(w, http.StatusBadRequest, "invalid_request", "Identity not found")
		return miToken{}, false
	case err != nil:
		h.log.Error("read managed identity", zap.Error(err))
		h.miRefuse(w, http.StatusInternalServerError, "server_error", "The managed identity could not be read.")
		return miToken{}, false
	}
	at, exp, err := h.appAccessToken(t, sp, acrCertificate, res)
	if err != nil {
		h.log.Error("issue managed identity token", zap.Error(err))
		h.miRefuse(w, http.StatusInternalServerError, "server_error", "The token could not be issued.")
		return miToken{}, false
	}
	return miToken{accessToken: at, clientID: sp.AppID, resource: res.URL, lifetime: exp}, true
}

type miToken struct {
	accessToken, clientID, resource string
	lifetime                        int64 // seconds
}

func (h *Handler) miRefuse(w http.ResponseWriter, status int, code, desc string) {
	h.log.Info("managed identity request refused", zap.String("error", code), zap.String("description", desc))
	writeJSON(w, status, miError{Error: code, Description: desc})
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
