package idp

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"go.uber.org/zap"
)

// tokenResponse is the v2.0 token endpoint's success body.
type tokenResponse struct {
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope,omitempty"`
	ExpiresIn    int64  `json:"expires_in"`
	ExtExpiresIn int64  `json:"ext_expires_in"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	IDToken      string `json:"id_token,omitempty"`
	ClientInfo   string `json:"client_info,omitempty"`
}

// grantDeviceCodeURN is the RFC 8628 grant type; MSAL for Go sends the
// short "device_code" form, which Entra accepts too.
const grantDeviceCodeURN = "urn:ietf:params:oauth:grant-type:device_code"

// token is the /{tenant}/oauth2/v2.0/token endpoint.
func (h *Handler) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.writeError(w, r, invalidRequest(9002313, "Invalid request. Request is malformed or invalid."))
		return
	}
	t, oerr := h.resolveTenant(r.Context(), r.PathValue("tenant"))
	if oerr != nil {
		h.writeError(w, r, oerr)
		return
	}
	var resp tokenResponse
	switch gt := r.PostForm.Get("grant_type"); gt {
	case "":
		oerr = missingParameter("grant_type")
	case "password":
		resp, oerr = h.passwordGrant(r, t)
	case "client_credentials":
		resp, oerr = h.clientCredentialsGrant(r, t)
	case "refresh_token":
		resp, oerr = h.refreshTokenGrant(r, t)
	case "authorization_code":
		resp, oerr = h.authorizationCodeGrant(r, t)
	case "device_code", grantDeviceCodeURN:
		resp, oerr = h.deviceCodeGrant(r, t)
	default:
		oerr = newError(http.StatusBadRequest, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '%s'.", gt)
	}
	if oerr != nil {
		h.writeError(w, r, oerr)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// passwordGrant is the resource owner password credentials flow (ROPC).
func (h *Handler) passwordGrant(r *http.Request, t tenantRef) (tokenResponse, *oauthError) {
	app, acr, oerr := h.authenticateClient(r, t, false)
	if oerr != nil {
		return tokenResponse{}, oerr
	}
	username, password := r.PostForm.Get("username"), r.PostForm.Get("password")
	if username == "" {
		return tokenResponse{}, missingParameter("username")
	}
	if password == "" {
		return tokenResponse{}, missingParameter("password")
	}
	scope, oerr := h.parseScope(r.PostForm.Get("scope"), t, false)
	if oerr != nil {
		return tokenResponse{}, oerr
	}
	user, oerr := h.checkPassword(r.Context(), t, username, password)
	if oerr != nil {
		return tokenResponse{}, oerr
	}
	s := session{tenantID: t.ID, clientID: app.AppID, userOID: user.ObjectID, amr: []string{"pwd"}, authTime: h.now()}
	return h.issueUser(r, t, app, acr, user, s, scope, "")
}

// checkPassword verifies a user's password, answering with the AADSTS errors
// Entra uses for each failure.
func (h *Handler) checkPassword(ctx context.Context, t tenantRef, upn, password string) (Principal, *oauthError) {
	user, err := h.dir.VerifyPassword(ctx, upn, password)
	switch {
	case errors.Is(err, ErrNotFound):
		return Principal{}, invalidGrant(50034, "The user account %s does not exist in the %s directory. To sign into this application, the account must be added to the directory.", upn, tenantDisplayName(t))
	case errors.Is(err, ErrInvalidCredentials):
		return Principal{}, invalidGrant(50126, "Error validating credentials due to invalid username or password.")
	case err != nil:
		h.log.Error("verify password", zap.Error(err))
		return Principal{}, serverError()
	case user.Disabled:
		return Principal{}, invalidGrant(50057, "The user account is disabled.")
	}
	return user, nil
}

// clientCredentialsGrant issues app-only tokens to confidential clients.
func (h *Handler) clientCredentialsGrant(r *http.Request, t tenantRef) (tokenResponse, *oauthError) {
	if !t.specific {
		return tokenResponse{}, invalidRequest(50059, "No tenant-identifying information found in either the request or implied by any provided credentials.")
	}
	app, acr, oerr := h.authenticateClient(r, t, true)
	if oerr != nil {
		return tokenResponse{}, oerr
	}
	scope, oerr := h.parseScope(r.PostForm.Get("scope"), t, true)
	if oerr != nil {
		return tokenResponse{}, oerr
	}
	at, exp, err := h.appAccessToken(t.TenantInfo, app, acr, scope.resource)
	if err != nil {
		h.log.Error("issue app token", zap.Error(err))
		return tokenResponse{}, serverError()
	}
	return tokenResponse{TokenType: "Bearer", ExpiresIn: exp, ExtExpiresIn: exp, AccessToken: at}, nil
}

// currentUser re-reads a signed-in user when a grant is redeemed, so that
// deleted and disabled accounts lose access.
func (h *Handler) currentUser(ctx context.Context, oid string) (Principal, *oauthError) {
	user, err := h.dir.UserByObjectID(ctx, oid)
	switch {
	case errors.Is(err, ErrNotFound):
		return Principal{}, invalidGrant(50173, "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password or been deleted.")
	case err != nil:
		h.log.Error("read user", zap.Error(err))
		return Principal{}, serverError()
	case user.Disabled:
		return Principal{}, invalidGrant(50057, "The user account is disabled.")
	}
	return user, nil
}

// issueUser makes the delegated token response: an access token for the
// resource, plus an ID token and client_info when openid was asked for and a
// refresh token when offline_access was.
func (h *Handler) issueUser(r *http.Request, t tenantRef, app App, acr string, user Principal, s session, scope grantedScope, nonce string) (tokenResponse, *oauthError) {
	now := h.now()
	exp := now.Add(h.tokenLife)
	claims := h.userAccessClaims(t.TenantInfo, app, acr, user, s, scope.resource, now, exp)
	at, err := h.signer.sign(typJWT, claims)
	if err != nil {
		h.log.Error("issue user token", zap.Error(err))
		return tokenResponse{}, serverError()
	}
	life := int64(h.tokenLife / time.Second)
	resp := tokenResponse{TokenType: "Bearer", Scope: scope.echo, ExpiresIn: life, ExtExpiresIn: life, AccessToken: at}
	if scope.openid {
		if resp.IDToken, err = h.signer.sign(typJWT, idTokenClaims(h.baseURL(r), t.TenantInfo, app, user, s, nonce, now, exp)); err != nil {
			h.log.Error("issue ID token", zap.Error(err))
			return tokenResponse{}, serverError()
		}
		info, _ := json.Marshal(map[string]string{"uid": user.ObjectID, "utid": t.ID})
		resp.ClientInfo = base64.RawURLEncoding.EncodeToString(info)
	}
	if scope.offline {
		if resp.RefreshToken, err = h.newRefreshToken(s, now); err != nil {
			h.log.Error("issue refresh token", zap.Error(err))
			return tokenResponse{}, serverError()
		}
	}
	h.log.Info("token issued",
		zap.String("client_id", app.AppID),
		zap.String("oid", user.ObjectID),
		zap.String("aud", scope.resource.URL))
	return resp, nil
}

// appAccessToken issues an app-only access token for a service principal:
// a client-credentials app or a managed identity. It returns the lifetime in
// seconds.
func (h *Handler) appAccessToken(t TenantInfo, sp App, acr string, res Resource) (string, int64, error) {
	now := h.now()
	exp := now.Add(h.tokenLife)
	at, err := h.signer.sign(typJWT, h.appAccessClaims(t, sp, acr, res, now, exp))
	if err != nil {
		return "", 0, err
	}
	h.log.Info("app token issued", zap.String("app_id", sp.AppID), zap.String("aud", res.URL))
	return at, int64(h.tokenLife / time.Second), nil
}

// stsIssuer is the issuer of v1 access tokens, which Exchange Online receives.
func stsIssuer(tenantID string) string { return "https://sts.windows.net/" + tenantID + "/" }

// userAccessClaims are the claims of a delegated v1 access token.
func (h *Handler) userAccessClaims(t TenantInfo, app App, acr string, user Principal, s session, res Resource, now, exp time.Time) jwt.MapClaims {
	c := baseAccessClaims(t, app, acr, res, now, exp)
	c["oid"] = user.ObjectID
	c["sub"] = pairwiseSubject(user.ObjectID, app.AppID)
	c["upn"] = user.UPN
	c["unique_name"] = user.UPN
	c["name"] = user.DisplayName
	c["scp"] = res.Scope
	c["amr"] = s.amr
	c["acr"] = "1"
	c["idtyp"] = "user"
	c["wids"] = directoryRoleIDs(user.Roles, true)
	if len(user.Roles) > 0 {
		c[claimExchangeRoles] = user.Roles
	}
	return c
}

// appAccessClaims are the claims of an app-only v1 access token.
func (h *Handler) appAccessClaims(t TenantInfo, sp App, acr string, res Resource, now, exp time.Time) jwt.MapClaims {
	c := baseAccessClaims(t, sp, acr, res, now, exp)
	c["oid"] = sp.ObjectID
	c["sub"] = sp.ObjectID
	c["idtyp"] = "app"
	c["idp"] = stsIssuer(t.ID)
	if len(sp.Permissions) > 0 {
		c["roles"] = sp.Permissions
	}
	if wids := directoryRoleIDs(sp.Roles, false); len(wids) > 0 {
		c["wids"] = wids
	}
	if len(sp.Roles) > 0 {
		c[claimExchangeRoles] = sp.Roles
	}
	if sp.ResourceID != "" {
		c["xms_mirid"] = sp.ResourceID
	}
	return c
}

// baseAccessClaims are the claims every v1 access token carries. azp, a v2
// claim, is added beside appid for consumers that look for either.
func baseAccessClaims(t TenantInfo, client App, acr string, res Resource, now, exp time.Time) jwt.MapClaims {
	return jwt.MapClaims{
		"aud":             res.URL,
		"iss":             stsIssuer(t.ID),
		"iat":             now.Unix(),
		"nbf":             now.Unix(),
		"exp":             exp.Unix(),
		"tid":             t.ID,
		"appid":           client.AppID,
		"azp":             client.AppID,
		"appidacr":        acr,
		"app_displayname": client.DisplayName,
		"uti":             randomToken(16),
		"ver":             "1.0",
	}
}

// idTokenClaims are the claims of a v2.0 ID token, which MSAL reads to build
// the cached account.
func idTokenClaims(base string, t TenantInfo, app App, user Principal, s session, nonce string, now, exp time.Time) jwt.MapClaims {
	c := jwt.MapClaims{
		"aud":                app.AppID,
		"iss":                base + "/" + t.ID + "/v2.0",
		"iat":                now.Unix(),
		"nbf":                now.Unix(),
		"exp":                exp.Unix(),
		"name":               user.DisplayName,
		"oid":                user.ObjectID,
		"preferred_username": user.UPN,
		"sub":                pairwiseSubject(user.ObjectID, app.AppID),
		"tid":                t.ID,
		"uti":                randomToken(16),
		"ver":                "2.0",
		"auth_time":          s.authTime.Unix(),
	}
	if nonce != "" {
		c["nonce"] = nonce
	}
	return c
}

// pairwiseSubject is the per-application user identifier of sub, as Entra
// makes sub differ between apps for the same user.
func pairwiseSubject(oid, appID string) string {
	sum := sha256.Sum256([]byte(oid + "|" + appID))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
