package idp

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap"
)

// challengeState is one armed claims challenge: the next request is
// refused with a claims challenge, once, as continuous access evaluation
// does when a session's conditions change (a new network location, for
// example). Unlike RevokeUser it leaves refresh tokens valid, so the client
// renews silently.
type challengeState struct {
	armed bool
	at    time.Time
	// served counts the challenges answered so far.
	served int
}

// ChallengeNext arms a one-time claims challenge for the next request.
func (h *Handler) ChallengeNext() {
	h.state.mu.Lock()
	defer h.state.mu.Unlock()
	h.state.challenge.armed, h.state.challenge.at = true, h.now()
}

// ChallengesServed returns how many armed challenges requests have met.
func (h *Handler) ChallengesServed() int {
	h.state.mu.Lock()
	defer h.state.mu.Unlock()
	return h.state.challenge.served
}

// takeChallenge disarms an armed challenge and returns the claims request
// the client must satisfy. It fires whatever the token's age, so that it
// fires once even when the client renewed its token after arming.
func (s *state) takeChallenge() (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &s.challenge
	if !c.armed {
		return "", false
	}
	c.armed = false
	c.served++
	return `{"access_token":{"nbf":{"essential":true,"value":"` + strconv.FormatInt(c.at.Unix(), 10) + `"}}}`, true
}

// controlChallenge serves /sandbox/idp/challenge for tests: POST arms a
// challenge, GET reports how many were served. Both need the bearer
// ControlSecret.
func (h *Handler) controlChallenge(w http.ResponseWriter, r *http.Request) {
	scheme, secret, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if h.controlSecret == "" || !strings.EqualFold(scheme, "Bearer") ||
		subtle.ConstantTimeCompare([]byte(secret), []byte(h.controlSecret)) != 1 {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	if r.Method == http.MethodPost {
		h.ChallengeNext()
		h.log.Info("claims challenge armed")
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(struct {
		Served int `json:"served"`
	}{h.ChallengesServed()})
	h.log.Debug("claims challenge control", zap.String("method", r.Method))
}
