package adminapi

import (
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"go.uber.org/zap"
)

// Config configures a Server.
type Config struct {
	// Verifier checks bearer tokens. Required.
	Verifier TokenVerifier
	// Backend runs cmdlets. Required.
	Backend Backend
	// Logger receives request and failure logs; nil discards them.
	Logger *zap.Logger
	// Now is the clock (Date headers, rate limiting, link expiry); nil
	// means time.Now.
	Now func() time.Time

	// Audience is the token audience this endpoint accepts, e.g.
	// "https://outlook.office365.com", or for a Security & Compliance
	// endpoint "https://ps.compliance.protection.outlook.com". Required.
	Audience string
	// AuthorizationURI is the authority named in WWW-Authenticate
	// challenges (the sandbox identity provider's authorize endpoint).
	AuthorizationURI string

	// ComplianceRegion, when set, makes this handler behave as the
	// Security & Compliance front door: a request without the
	// "/region/<ComplianceRegion>" path prefix is answered with a 302 whose
	// Location is the same URL under that prefix, which the client must
	// keep using as its base (see redirect.go).
	ComplianceRegion string

	// BackendServer is the mailbox server name reported in
	// X-CalculatedBETarget (the module puts it into ErrorRecord ids).
	BackendServer string

	// SecretKeys decrypt secret parameters. SecretKeys[0] is published as
	// the module's $PublicKey; the rest are rotated-out keys still
	// accepted. Empty generates one 2048-bit key.
	SecretKeys []*rsa.PrivateKey

	// LinkKey signs @odata.nextLink tokens; empty generates a random key.
	LinkKey []byte
	// LinkTTL is how long a nextLink stays valid; 0 means one hour.
	LinkTTL time.Duration

	// ControlSecret guards POST /sandbox/control/faults: the caller must
	// send "Authorization: Bearer <ControlSecret>" from a loopback address.
	// Empty disables the control endpoint.
	ControlSecret string

	// BareForbidden answers an unknown (or not permitted) cmdlet with a 403
	// and an empty body, as some peers report the service does; by default
	// the 403 carries a JSON envelope with a CommandNotFoundException.
	BareForbidden bool

	// Banner is the EXOBanner text; empty uses a sandbox notice.
	Banner string

	// Settings are the initial throttling and fault settings; zero fields
	// take the defaults of DefaultSettings. Server.SetSettings and the
	// control endpoint change them at run time.
	Settings Settings
}

// Settings are the run-time adjustable behaviours: throttling, the cmdlet
// timeout and injected faults.
type Settings struct {
	// Seed seeds the fault PRNG; the same seed and the same sequence of
	// requests give the same faults.
	Seed uint64 `json:"seed"`
	// Throttle is the per-tenant request budget and concurrency limit.
	Throttle ThrottleSettings `json:"throttle"`
	// CmdletTimeout is the server-side limit on one cmdlet page; 0 means
	// 15 minutes, the service's documented limit.
	CmdletTimeout Duration `json:"cmdletTimeout"`
	// CmdletTimeouts overrides CmdletTimeout per cmdlet name.
	CmdletTimeouts map[string]Duration `json:"cmdletTimeouts,omitempty"`
	// Faults are injected in order; see Fault.
	Faults []Fault `json:"faults,omitempty"`
	// CaptureRequests keeps the newest this many admin API requests, as
	// sent, for GET /sandbox/control/requests (capture.go); 0 keeps none.
	CaptureRequests int `json:"captureRequests,omitempty"`
}

// DefaultSettings returns the settings a Server starts with: a budget of
// 30000 requests per hour per tenant (the capture shows
// Rate-Limit-Limit: 30000), no concurrency limit, the service's 15-minute
// cmdlet timeout with the longer limits the module knows for six cmdlets,
// and no faults.
func DefaultSettings() Settings {
	hour := Duration(time.Hour)
	half := Duration(30 * time.Minute)
	return Settings{
		Throttle:      ThrottleSettings{Budget: 30000, Window: hour},
		CmdletTimeout: Duration(15 * time.Minute),
		CmdletTimeouts: map[string]Duration{
			"Get-DistributionGroupMember":    hour,
			"Import-TransportRuleCollection": hour,
			"Set-OrganizationConfig":         half,
			"Set-UnifiedGroup":               hour,
			"Update-DistributionGroupMember": hour,
			"Update-RoleGroupMember":         half,
		},
	}
}

// withDefaults fills zero fields from DefaultSettings and checks the rest.
func (st Settings) withDefaults() (Settings, error) {
	def := DefaultSettings()
	if st.Throttle.Budget == 0 {
		st.Throttle.Budget = def.Throttle.Budget
	}
	if st.Throttle.Window == 0 {
		st.Throttle.Window = def.Throttle.Window
	}
	if st.CmdletTimeout == 0 {
		st.CmdletTimeout = def.CmdletTimeout
	}
	if st.CmdletTimeouts == nil {
		st.CmdletTimeouts = def.CmdletTimeouts
	}
	st.CmdletTimeouts = maps.Clone(st.CmdletTimeouts)
	if st.Throttle.Budget < 0 || st.Throttle.Window < 0 || st.Throttle.MaxConcurrent < 0 {
		return st, errors.New("throttle budget, window and maxConcurrent must not be negative")
	}
	if st.CaptureRequests < 0 || st.CaptureRequests > maxCaptureRequests {
		return st, fmt.Errorf("captureRequests must be between 0 and %d", maxCaptureRequests)
	}
	if st.CmdletTimeout < 0 {
		return st, errors.New("cmdletTimeout must not be negative")
	}
	faults := make([]Fault, len(st.Faults))
	for i, f := range st.Faults {
		if err := f.validate(); err != nil {
			return st, fmt.Errorf("fault %d: %w", i, err)
		}
		faults[i] = f
	}
	st.Faults = faults
	return st, nil
}

// cmdletTimeout is the limit for one cmdlet.
func (st Settings) cmdletTimeout(name string) time.Duration {
	for n, d := range st.CmdletTimeouts {
		if strings.EqualFold(n, name) {
			return time.Duration(d)
		}
	}
	return time.Duration(st.CmdletTimeout)
}

// Duration is a time.Duration written in JSON as a Go duration string
// ("1.5s", "15m"); a bare number is read as seconds.
type Duration time.Duration

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON reads a duration string or a number of seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("duration %q: %w", s, err)
		}
		*d = Duration(v)
		return nil
	}
	var secs float64
	if err := json.Unmarshal(b, &secs); err != nil {
		return fmt.Errorf("duration must be a string such as \"1.5s\" or a number of seconds: %w", err)
	}
	*d = Duration(secs * float64(time.Second))
	return nil
}
