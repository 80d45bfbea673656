package idp

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"
)

const (
	// signInPageLife bounds how long a sign-in page can be submitted.
	signInPageLife = 15 * time.Minute
	// authCodeLife is how long an authorization code can be redeemed; Entra
	// allows about ten minutes.
	authCodeLife = 10 * time.Minute
)

// authRequest is a validated authorization request awaiting the user.
type authRequest struct {
	tenantID      string
	clientID      string
	appName       string
	redirectURI   string
	responseMode  string
	scope         string
	state         string
	nonce         string
	challenge     string
	challengeMode string
	loginHint     string
}

// authorize is GET /{tenant}/oauth2/v2.0/authorize: it validates the request
// and shows the sign-in page. Errors about the client or redirect URI are
// shown to the user; later ones go back to the client as OAuth requires.
func (h *Handler) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	t, oerr := h.resolveTenant(r.Context(), r.PathValue("tenant"))
	if oerr != nil {
		h.errorPage(w, oerr)
		return
	}
	clientID := q.Get("client_id")
	if clientID == "" {
		h.errorPage(w, missingParameter("client_id"))
		return
	}
	app, oerr := h.lookupApp(r.Context(), clientID, t)
	if oerr != nil {
		h.errorPage(w, oerr)
		return
	}
	req := authRequest{
		tenantID:      t.ID,
		clientID:      clientID,
		appName:       app.DisplayName,
		redirectURI:   q.Get("redirect_uri"),
		responseMode:  q.Get("response_mode"),
		scope:         q.Get("scope"),
		state:         q.Get("state"),
		nonce:         q.Get("nonce"),
		challenge:     q.Get("code_challenge"),
		challengeMode: q.Get("code_challenge_method"),
		loginHint:     q.Get("login_hint"),
	}
	if !redirectAllowed(app, req.redirectURI) {
		h.errorPage(w, invalidRequest(50011, "The redirect URI '%s' specified in the request does not match the redirect URIs configured for the application '%s'.", req.redirectURI, clientID))
		return
	}
	switch req.responseMode {
	case "":
		req.responseMode = "query"
	case "query", "fragment", "form_post":
	default:
		req.responseMode = "query"
		h.redirectError(w, r, req, invalidRequest(9002313, "The response_mode '%s' is not supported.", q.Get("response_mode")))
		return
	}
	if rt := q.Get("response_type"); rt != "code" {
		h.redirectError(w, r, req, newError(http.StatusBadRequest, "unsupported_response_type", 700054, "response_type '%s' is not enabled for the application.", rt))
		return
	}
	if _, oerr := h.parseScope(req.scope, t, false); oerr != nil {
		h.redirectError(w, r, req, oerr)
		return
	}
	switch {
	case req.challenge == "" && req.challengeMode != "":
		h.redirectError(w, r, req, missingParameter("code_challenge"))
		return
	case req.challenge != "" && req.challengeMode == "":
		req.challengeMode = "plain" // the RFC 7636 default
	case req.challengeMode != "" && req.challengeMode != "S256" && req.challengeMode != "plain":
		h.redirectError(w, r, req, invalidRequest(9002313, "Invalid code_challenge_method '%s'.", req.challengeMode))
		return
	}
	// There is no single sign-on session, so a silent request always fails
	// the way it does for a signed-out user.
	if q.Get("prompt") == "none" {
		h.redirectError(w, r, req, newError(http.StatusBadRequest, "login_required", 50058, "A silent sign-in request was sent but no user is signed in."))
		return
	}
	id := randomToken(24)
	now := h.now()
	h.state.addPending(id, &pendingAuth{authRequest: req, expires: now.Add(signInPageLife)}, now)
	h.showSignIn(w, r, id, req, req.loginHint, "")
}

func (h *Handler) showSignIn(w http.ResponseWriter, r *http.Request, id string, req authRequest, login, msg string) {
	h.renderPage(w, http.StatusOK, "signin", struct{ Action, Ctx, AppName, Login, Error string }{
		Action:  r.URL.Path,
		Ctx:     id,
		AppName: req.appName,
		Login:   login,
		Error:   msg,
	}, origin(req.redirectURI), "")
}

// signIn is the POST of the sign-in page: it checks the password and sends
// the browser back to the client with an authorization code.
func (h *Handler) signIn(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.errorPage(w, invalidRequest(9002313, "Invalid request. Request is malformed or invalid."))
		return
	}
	id := r.PostForm.Get("ctx")
	req, ok := h.state.getPending(id, h.now())
	if !ok {
		h.errorPage(w, invalidRequest(50089, "Authentication failed due to flow token expired. Please try again."))
		return
	}
	t, oerr := h.resolveTenant(r.Context(), r.PathValue("tenant"))
	if oerr != nil {
		h.errorPage(w, oerr)
		return
	}
	login, password := strings.TrimSpace(r.PostForm.Get("login")), r.PostForm.Get("passwd")
	user, oerr := h.checkPassword(r.Context(), t, login, password)
	if oerr != nil {
		if oerr.status >= http.StatusInternalServerError {
			h.errorPage(w, oerr)
			return
		}
		h.showSignIn(w, r, id, req, login, signInMessage(oerr))
		return
	}
	if !h.state.completePending(id) {
		h.errorPage(w, invalidRequest(50089, "Authentication failed due to flow token expired. Please try again."))
		return
	}
	now := h.now()
	code := randomToken(48)
	h.state.addCode(code, &authCode{
		session:       session{tenantID: t.ID, clientID: req.clientID, userOID: user.ObjectID, amr: []string{"pwd"}, authTime: now},
		redirectURI:   req.redirectURI,
		scope:         req.scope,
		challenge:     req.challenge,
		challengeMode: req.challengeMode,
		nonce:         req.nonce,
		expires:       now.Add(authCodeLife),
	}, now)
	h.log.Info("user signed in", zap.String("client_id", req.clientID), zap.String("oid", user.ObjectID))
	h.redirect(w, req, url.Values{"code": {code}, "state": {req.state}, "session_state": {uuid.NewString()}})
}

// signInMessage is what the sign-in page tells the user about a failure.
func signInMessage(e *oauthError) string {
	switch e.aadsts {
	case 50034:
		return "This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin."
	case 50057:
		return "Your account has been locked. Contact your support person to unlock it, then try again."
	}
	return "Your account or password is incorrect. If you don't remember your password, reset it now."
}

// redirectError sends an OAuth error back to the client's redirect URI.
func (h *Handler) redirectError(w http.ResponseWriter, r *http.Request, req authRequest, e *oauthError) {
	h.log.Info("authorize refused", zap.String("path", r.URL.Path), zap.String("error", e.code), zap.Int("aadsts", e.aadsts))
	v := url.Values{"error": {e.code}, "error_description": {e.message()}}
	if req.state != "" {
		v.Set("state", req.state)
	}
	h.redirect(w, req, v)
}

// redirect returns parameters to the client in the requested response mode.
func (h *Handler) redirect(w http.ResponseWriter, req authRequest, v url.Values) {
	switch req.responseMode {
	case "form_post":
		fields := make([]field, 0, len(v))
		for _, k := range []string{"code", "state", "session_state", "error", "error_description"} {
			if v.Has(k) {
				fields = append(fields, field{k, v.Get(k)})
			}
		}
		nonce := randomToken(16)
		h.renderPage(w, http.StatusOK, "formpost", struct {
			Action, Nonce string
			Fields        []field
		}{req.redirectURI, nonce, fields}, origin(req.redirectURI), nonce)
	case "fragment":
		w.Header().Set("Location", req.redirectURI+"#"+v.Encode())
		w.WriteHeader(http.StatusFound)
	default:
		sep := "?"
		if strings.Contains(req.redirectURI, "?") {
			sep = "&"
		}
		w.Header().Set("Location", req.redirectURI+sep+v.Encode())
		w.WriteHeader(http.StatusFound)
	}
}

// redirectAllowed accepts registered redirect URIs and, for public clients,
// any http loopback URI: native apps such as MSAL listen on a random port.
func redirectAllowed(app App, uri string) bool {
	if uri == "" {
		return false
	}
	for _, u := range app.RedirectURIs {
		if u == uri {
			return true
		}
	}
	if !app.PublicClient {
		return false
	}
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "http" || u.Fragment != "" {
		return false
	}
	host := u.Hostname()
	ip := net.ParseIP(host)
	return strings.EqualFold(host, "localhost") || (ip != nil && ip.IsLoopback())
}

// authorizationCodeGrant redeems an authorization code.
func (h *Handler) authorizationCodeGrant(r *http.Request, t tenantRef) (tokenResponse, *oauthError) {
	raw := r.PostForm.Get("code")
	if raw == "" {
		return tokenResponse{}, missingParameter("code")
	}
	app, acr, oerr := h.authenticateClient(r, t, false)
	if oerr != nil {
		return tokenResponse{}, oerr
	}
	c := h.state.takeCode(raw)
	switch {
	case c == nil:
		return tokenResponse{}, invalidGrant(70000, "The provided value for the 'code' parameter is not valid. The code may have been redeemed already.")
	case h.now().After(c.expires):
		return tokenResponse{}, invalidGrant(70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.")
	case c.clientID != app.AppID:
		return tokenResponse{}, invalidGrant(70000, "The provided value for the 'code' parameter is not valid. The code was issued to a different client.")
	case c.tenantID != t.ID:
		return tokenResponse{}, invalidGrant(70000, "The provided value for the 'code' parameter is not valid. The code was issued by a different tenant.")
	case r.PostForm.Get("redirect_uri") != c.redirectURI:
		return tokenResponse{}, invalidGrant(500112, "The reply address '%s' does not match the reply address '%s' provided when requesting the authorization code.", r.PostForm.Get("redirect_uri"), c.redirectURI)
	}
	if oerr := checkPKCE(c, r.PostForm.Get("code_verifier")); oerr != nil {
		return tokenResponse{}, oerr
	}
	scopeParam := r.PostForm.Get("scope")
	if scopeParam == "" {
		scopeParam = c.scope
	}
	scope, oerr := h.parseScope(scopeParam, t, false)
	if oerr != nil {
		return tokenResponse{}, oerr
	}
	user, oerr := h.currentUser(r.Context(), c.userOID)
	if oerr != nil {
		return tokenResponse{}, oerr
	}
	return h.issueUser(r, t, app, acr, user, c.session, scope, c.nonce)
}

// checkPKCE verifies the code_verifier against the authorization request's
// code_challenge (RFC 7636).
func checkPKCE(c *authCode, verifier string) *oauthError {
	if c.challenge == "" {
		return nil
	}
	if verifier == "" {
		return missingParameter("code_verifier")
	}
	got := verifier
	if c.challengeMode == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		got = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(c.challenge)) != 1 {
		return invalidGrant(501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.")
	}
	return nil
}
