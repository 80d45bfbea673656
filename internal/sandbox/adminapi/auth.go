package adminapi

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"go.uber.org/zap"
)

// exchangeResourceAppID is Office 365 Exchange Online's app id, which the
// service names as client_id in its challenges.
const exchangeResourceAppID = "00000002-0000-0ff1-ce00-000000000000"

// challenge describes a 401.
type challenge struct {
	errorCode   string // "", "invalid_token" or "insufficient_claims"
	description string
	claims      string
	diagnostic  string // x-ms-diagnostics code
}

// authenticate verifies the bearer token and that it belongs to the
// tenant in the URL. It answers the request itself when it returns false.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, rt route) (Caller, bool) {
	token, ok := bearerToken(r)
	if !ok {
		s.unauthorized(w, r, challenge{description: "The request does not carry a bearer access token.", diagnostic: "2000000"})
		return Caller{}, false
	}
	caller, err := s.cfg.Verifier.Verify(r.Context(), token, s.cfg.Audience)
	if err != nil {
		var cc *ClaimsChallengeError
		switch {
		case errors.As(err, &cc):
			s.unauthorized(w, r, challenge{errorCode: "insufficient_claims", claims: cc.Claims,
				description: "Continuous access evaluation requires a new token: " + cc.Reason, diagnostic: "2000004"})
		case errors.Is(err, ErrTokenExpired):
			s.unauthorized(w, r, challenge{errorCode: "invalid_token", description: "The access token has expired.", diagnostic: "2000003"})
		case errors.Is(err, ErrWrongAudience):
			s.unauthorized(w, r, challenge{errorCode: "invalid_token", description: "The audience of the access token is not valid for this resource.", diagnostic: "2000002"})
		default:
			s.unauthorized(w, r, challenge{errorCode: "invalid_token", description: "The access token is not valid.", diagnostic: "2000001"})
		}
		s.log.Debug("token rejected", zap.Error(err))
		return Caller{}, false
	}
	tid, err := s.cfg.Backend.ResolveTenant(r.Context(), rt.tenant)
	if err != nil && !errors.Is(err, ErrTenantNotFound) {
		s.log.Error("resolve tenant", zap.String("tenant", rt.tenant), zap.Error(err))
		writeProtocolError(w, r, http.StatusInternalServerError, "An internal server error occurred. The operation failed.")
		return Caller{}, false
	}
	if err != nil || !strings.EqualFold(tid, caller.TenantID) {
		// One answer for unknown and foreign tenants: no tenant probing.
		writeProtocolError(w, r, http.StatusForbidden, fmt.Sprintf("The access token is not valid for the tenant '%s'.", rt.tenant))
		return Caller{}, false
	}
	return caller, true
}

func bearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}

// unauthorized answers 401 with the service's challenge. The body is a
// JSON envelope: the module only retries (and so only re-acquires a token
// with the claims) when the failure has a readable body.
func (s *Server) unauthorized(w http.ResponseWriter, r *http.Request, c challenge) {
	parts := []string{
		`client_id="` + exchangeResourceAppID + `"`,
		`trusted_issuers="00000001-0000-0000-c000-000000000000@*"`,
		`token_types="app_asserted_user_v1 service_asserted_app_v1"`,
		`authorization_uri="` + s.cfg.AuthorizationURI + `"`,
	}
	if c.errorCode != "" {
		parts = append(parts, `error="`+c.errorCode+`"`)
	}
	if c.claims != "" {
		parts = append(parts, `claims="`+base64.StdEncoding.EncodeToString([]byte(c.claims))+`"`)
	}
	h := w.Header()
	h.Set("WWW-Authenticate", "Bearer "+strings.Join(parts, ", "))
	category := c.errorCode
	if category == "" {
		category = "invalid_msg"
	}
	setRaw(h, "x-ms-diagnostics", fmt.Sprintf(`%s;reason="%s";error_category="%s"`, c.diagnostic, c.description, category))
	writeProtocolError(w, r, http.StatusUnauthorized, c.description)
}
