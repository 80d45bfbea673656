package idp

import (
	"sync"
	"time"
)

// state is the handler's short-lived server-side memory: sign-in pages in
// progress, authorization and device codes, and revocations. Refresh tokens
// are self-contained (refresh.go), so they outlive a restart when the
// signing key is kept.
type state struct {
	mu        sync.Mutex
	pending   map[string]*pendingAuth // sign-in page id → authorize request
	codes     map[string]*authCode
	devices   map[string]*deviceAuth // device_code → state
	userCodes map[string]string      // user_code → device_code
	revoked   map[string]time.Time   // user oid → revocation time
	challenge challengeState
	lastSweep time.Time
}

// session is a completed user sign-in that tokens are issued from.
type session struct {
	tenantID string
	clientID string
	userOID  string
	amr      []string
	authTime time.Time
}

type pendingAuth struct {
	authRequest
	expires time.Time
}

type authCode struct {
	session
	redirectURI   string
	scope         string
	challenge     string
	challengeMode string
	nonce         string
	expires       time.Time
}

type deviceAuth struct {
	session  // userOID is empty until the user approves
	userCode string
	scope    string
	appName  string
	expires  time.Time
}

const (
	sweepEvery = time.Minute
	// expiredDeviceGrace keeps expired device codes so that polling clients
	// get expired_token rather than an unknown-code error.
	expiredDeviceGrace = 15 * time.Minute
)

func newState() *state {
	return &state{
		pending:   map[string]*pendingAuth{},
		codes:     map[string]*authCode{},
		devices:   map[string]*deviceAuth{},
		userCodes: map[string]string{},
		revoked:   map[string]time.Time{},
	}
}

// sweep drops expired entries; callers hold mu. It runs at most once a
// minute, from the paths that add entries, so memory stays bounded.
func (s *state) sweep(now time.Time) {
	if now.Sub(s.lastSweep) < sweepEvery {
		return
	}
	s.lastSweep = now
	for k, v := range s.pending {
		if now.After(v.expires) {
			delete(s.pending, k)
		}
	}
	for k, v := range s.codes {
		if now.After(v.expires) {
			delete(s.codes, k)
		}
	}
	for k, v := range s.devices {
		if now.After(v.expires.Add(expiredDeviceGrace)) {
			delete(s.devices, k)
			delete(s.userCodes, v.userCode)
		}
	}
}

func (s *state) addPending(id string, p *pendingAuth, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep(now)
	s.pending[id] = p
}

// getPending returns a copy of the sign-in in progress; it stays until the
// user signs in, so a wrong password can be retried on the same page.
func (s *state) getPending(id string, now time.Time) (authRequest, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pending[id]
	if !ok || now.After(p.expires) {
		return authRequest{}, false
	}
	return p.authRequest, true
}

// completePending forgets the sign-in; false when another submission of the
// same page completed it first.
func (s *state) completePending(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.pending[id]
	delete(s.pending, id)
	return ok
}

func (s *state) addCode(code string, c *authCode, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep(now)
	s.codes[code] = c
}

// takeCode returns and forgets an authorization code: codes are single use,
// and forgetting it on any attempt stops PKCE verifier guessing.
func (s *state) takeCode(code string) *authCode {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.codes[code]
	delete(s.codes, code)
	return c
}

func (s *state) addDevice(deviceCode string, d *deviceAuth, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep(now)
	s.devices[deviceCode] = d
	s.userCodes[d.userCode] = deviceCode
}

// deviceByUserCode returns a copy of the device authorization the user code
// names, with its device code.
func (s *state) deviceByUserCode(userCode string) (string, deviceAuth, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	dc, ok := s.userCodes[userCode]
	if !ok {
		return "", deviceAuth{}, false
	}
	return dc, *s.devices[dc], true
}

// approveDevice records the user's consent unless the code expired or was
// approved meanwhile.
func (s *state) approveDevice(deviceCode, userOID string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.devices[deviceCode]
	if !ok || now.After(d.expires) || d.userOID != "" {
		return false
	}
	d.userOID = userOID
	d.amr = []string{"pwd"}
	d.authTime = now
	return true
}

type deviceStatus int

const (
	deviceUnknown deviceStatus = iota
	deviceWrongClient
	deviceExpired
	devicePending
	deviceApproved
)

// pollDevice reports on a device code for its client. An approved code is
// returned once and forgotten, so it yields tokens only once.
func (s *state) pollDevice(deviceCode, clientID string, now time.Time) (deviceAuth, deviceStatus) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.devices[deviceCode]
	switch {
	case !ok:
		return deviceAuth{}, deviceUnknown
	case d.clientID != clientID:
		return deviceAuth{}, deviceWrongClient
	case now.After(d.expires):
		return deviceAuth{}, deviceExpired
	case d.userOID == "":
		return deviceAuth{}, devicePending
	}
	delete(s.devices, deviceCode)
	delete(s.userCodes, d.userCode)
	return *d, deviceApproved
}

func (s *state) revokeUser(oid string, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoked[oid] = now
}

// revokedAt returns when the user's tokens were last revoked.
func (s *state) revokedAt(oid string) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.revoked[oid]
	return t, ok
}
