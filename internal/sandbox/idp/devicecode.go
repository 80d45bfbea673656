package idp

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"strings"

	"go.uber.org/zap"
)

// devicePollInterval is the polling interval advertised to clients, in seconds.
const devicePollInterval = 5

// deviceCode is POST /{tenant}/oauth2/v2.0/devicecode (RFC 8628).
func (h *Handler) deviceCode(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.writeError(w, r, invalidRequest(9002313, "Invalid request. Request is malformed or invalid."))
		return
	}
	t, oerr := h.resolveTenant(r.Context(), r.PathValue("tenant"))
	if oerr != nil {
		h.writeError(w, r, oerr)
		return
	}
	app, _, oerr := h.authenticateClient(r, t, false)
	if oerr != nil {
		h.writeError(w, r, oerr)
		return
	}
	scope := r.PostForm.Get("scope")
	if _, oerr := h.parseScope(scope, t, false); oerr != nil {
		h.writeError(w, r, oerr)
		return
	}
	now := h.now()
	deviceCode, userCode := randomToken(48), newUserCode()
	h.state.addDevice(deviceCode, &deviceAuth{
		session:  session{tenantID: t.ID, clientID: app.AppID},
		userCode: userCode,
		scope:    scope,
		appName:  app.DisplayName,
		expires:  now.Add(h.deviceCodeLife),
	}, now)
	verify := h.baseURL(r) + "/devicelogin"
	writeJSON(w, http.StatusOK, map[string]any{
		"user_code":        userCode,
		"device_code":      deviceCode,
		"verification_uri": verify,
		"expires_in":       int64(h.deviceCodeLife.Seconds()),
		"interval":         devicePollInterval,
		"message":          fmt.Sprintf("To sign in, use a web browser to open the page %s and enter the code %s to authenticate.", verify, userCode),
	})
}

// newUserCode makes a nine-character code without look-alike characters.
func newUserCode() string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789" // 32 symbols: no modulo bias
	b := make([]byte, 9)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

type deviceLoginData struct {
	Action, Code, Login, Error string
}

// deviceLoginPage is the verification page users open on another device.
func (h *Handler) deviceLoginPage(w http.ResponseWriter, r *http.Request) {
	h.renderPage(w, http.StatusOK, "devicelogin", deviceLoginData{Action: r.URL.Path, Code: r.URL.Query().Get("otc")}, "", "")
}

// deviceLogin takes the user code and the user's credentials and approves
// the device's pending request.
func (h *Handler) deviceLogin(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.errorPage(w, invalidRequest(9002313, "Invalid request. Request is malformed or invalid."))
		return
	}
	data := deviceLoginData{
		Action: r.URL.Path,
		Code:   strings.TrimSpace(r.PostForm.Get("otc")),
		Login:  strings.TrimSpace(r.PostForm.Get("login")),
	}
	code := strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(data.Code))
	deviceCode, d, ok := h.state.deviceByUserCode(code)
	if !ok || h.now().After(d.expires) || d.userOID != "" {
		data.Error = "That code didn't work. Check the code and try again."
		h.renderPage(w, http.StatusOK, "devicelogin", data, "", "")
		return
	}
	t, oerr := h.resolveTenant(r.Context(), d.tenantID)
	if oerr != nil {
		h.errorPage(w, oerr)
		return
	}
	user, oerr := h.checkPassword(r.Context(), t, data.Login, r.PostForm.Get("passwd"))
	if oerr != nil {
		if oerr.status >= http.StatusInternalServerError {
			h.errorPage(w, oerr)
			return
		}
		data.Error = signInMessage(oerr)
		h.renderPage(w, http.StatusOK, "devicelogin", data, "", "")
		return
	}
	if !h.state.approveDevice(deviceCode, user.ObjectID, h.now()) {
		data.Error = "That code didn't work. Check the code and try again."
		h.renderPage(w, http.StatusOK, "devicelogin", data, "", "")
		return
	}
	h.log.Info("device code approved", zap.String("client_id", d.clientID), zap.String("oid", user.ObjectID))
	h.renderPage(w, http.StatusOK, "devicedone", struct{ AppName string }{d.appName}, "", "")
}

// deviceCodeGrant is the device's polling of the token endpoint.
func (h *Handler) deviceCodeGrant(r *http.Request, t tenantRef) (tokenResponse, *oauthError) {
	raw := r.PostForm.Get("device_code")
	if raw == "" {
		return tokenResponse{}, missingParameter("device_code")
	}
	app, acr, oerr := h.authenticateClient(r, t, false)
	if oerr != nil {
		return tokenResponse{}, oerr
	}
	d, status := h.state.pollDevice(raw, app.AppID, h.now())
	switch status {
	case deviceUnknown, deviceWrongClient:
		return tokenResponse{}, newError(http.StatusBadRequest, "bad_verification_code", 70000, "The provided value for the input parameter 'device_code' is not valid.")
	case deviceExpired:
		return tokenResponse{}, newError(http.StatusBadRequest, "expired_token", 70020, "The provided value for the input parameter 'device_code' is not valid. This device code has expired.")
	case devicePending:
		return tokenResponse{}, newError(http.StatusBadRequest, "authorization_pending", 70016, "OAuth 2.0 device flow error. Authorization is pending. Continue polling.")
	}
	scopeParam := r.PostForm.Get("scope")
	if scopeParam == "" {
		scopeParam = d.scope
	}
	scope, oerr := h.parseScope(scopeParam, t, false)
	if oerr != nil {
		return tokenResponse{}, oerr
	}
	user, oerr := h.currentUser(r.Context(), d.userOID)
	if oerr != nil {
		return tokenResponse{}, oerr
	}
	return h.issueUser(r, t, app, acr, user, d.session, scope, "")
}
