// Package connection keeps the daemon's connections to Exchange Online and
// Security & Compliance: it signs in through the auth package, numbers and
// names connections per client session as Connect-ExchangeOnline does, and
// answers Get-ConnectionInformation from local state.
package connection

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"

	"github.com/openexo/exo/internal/adminclient"
	"github.com/openexo/exo/internal/auth"
	"github.com/openexo/exo/internal/environment"
)

// Flow is how a connection signs in.
type Flow int

// Flows, as Connect-ExchangeOnline chooses them from its parameters.
const (
	FlowAuto Flow = iota
	FlowInteractive
	FlowDeviceCode
	FlowPassword
	FlowCertificate
	FlowAccessToken
	FlowManagedIdentity
)

// Request is a connect request, already decoded from the API.
type Request struct {
	ClientSession            string
	ConnectionURI            string
	AuthorityURI             string
	EnvironmentName          string
	SecurityCompliance       bool
	Flow                     Flow
	UserPrincipalName        string
	Password                 string
	AppID                    string
	Organization             string
	DelegatedOrganization    string
	CertificatePKCS12        []byte
	CertificatePassword      string
	AccessToken              string
	ManagedIdentityAccountID string
	ManagedIdentityEndpoint  string
	ManagedIdentityHeader    string
	// ManagedIdentityIMDSEndpoint is an instance metadata service's token
	// URL standing in for the link-local one.
	ManagedIdentityIMDSEndpoint string
	// LogDirectory (-LogDirectoryPath) receives the connection's own log;
	// LogLevel is "Default" or LogLevelAll.
	LogDirectory string
	LogLevel     string
	// TrackPerformance logs every admin API request's duration at Info.
	TrackPerformance      bool
	Prefix                string
	CommandName           []string
	PageSize              uint32
	DisableMultithreading bool
	ShowBanner            bool
	TrustedCAPEM          []byte
}

// ErrInvalidRequest marks a request the daemon refuses before signing in.
var ErrInvalidRequest = errors.New("invalid connect request")

// Connection is one signed-in connection.
type Connection struct {
	ID                    string
	Number                int
	Name                  string
	ClientSession         string
	RESTBase              string
	Authority             string
	Prefix                string
	Organization          string
	DelegatedOrganization string
	AppID                 string
	PageSize              uint32
	// CommandName is -CommandName: the cmdlets asked of the service's
	// catalogue; empty means all.
	CommandName        []string
	SecurityCompliance bool
	CertificateAuth    bool
	// Multithreading lets the Get-EXO* cmdlets run pipeline inputs
	// concurrently (-UseMultithreading, on by default).
	Multithreading bool
	Created        time.Time

	tokens *auth.Source
	admin  *adminclient.Client
	// saved is the connection's record on disk; nil for flows a restarted
	// daemon cannot renew silently.
	saved *record
	// log is the connection's logger, teed to its -LogDirectoryPath file.
	log *zap.Logger
	// closeLog closes that file; nil without one.
	closeLog func() error
	// transport is the connection's own HTTP client (sign-in and admin
	// API); Disconnect closes its idle connections, which would otherwise
	// outlive the connection.
	transport *http.Client
	mu        sync.Mutex
	last      auth.Token
}

// Snapshot is a connection's state for Get-ConnectionInformation.
type Snapshot struct {
	*Connection
	UserPrincipalName string
	TenantID          string
	TokenExpiry       time.Time
	TokenActive       bool
	UsedForInbuilt    bool
}

// Token returns a current access token, renewing it when needed.
func (c *Connection) Token(ctx context.Context, opts auth.TokenOptions) (auth.Token, error) {
	t, err := c.tokens.Token(ctx, opts)
	if err != nil {
		return auth.Token{}, err
	}
	c.mu.Lock()
	c.last = t
	c.mu.Unlock()
	return t, nil
}

// Admin is the connection's admin API client.
func (c *Connection) Admin() *adminclient.Client { return c.admin }

// AnchorMailbox is the X-AnchorMailbox hint for requests not about one
// mailbox: the signed-in user, or for app-only sign-in the organization's
// system mailbox, as the module sends.
func (c *Connection) AnchorMailbox(t auth.Token) string {
	if t.UPN != "" {
		return "UPN:" + t.UPN
	}
	return "APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@" + c.Organization
}

// URLTenant is the tenant segment of the connection's admin API URLs: the
// -DelegatedOrganization (the customer tenant a partner manages), else the
// token's tenant id, as Microsoft's module builds them.
func (c *Connection) URLTenant(t auth.Token) string {
	if c.DelegatedOrganization != "" {
		return c.DelegatedOrganization
	}
	return t.TenantID
}

// delegatedAuthority points a multi-tenant authority (organizations,
// common) at the customer tenant, where a partner's delegated (GDAP)
// sign-in must happen; an authority naming a tenant is kept.
func delegatedAuthority(authority, org string) string {
	i := strings.LastIndex(authority, "/")
	if i < 0 {
		return authority
	}
	switch strings.ToLower(authority[i+1:]) {
	case "organizations", "common":
		return authority[:i+1] + org
	}
	return authority
}

func (c *Connection) lastToken() auth.Token {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

// MaxInFlight bounds a connection's concurrent admin API requests; the
// limiter lowers it to the tenant's concurrency limit when the service
// refuses, and halves it on 429s.
const MaxInFlight = 16

// ErrNoConnection is returned when a client session has no usable
// connection.
var ErrNoConnection = errors.New("no connection")

// sessionConns is a copy of the session's connections in creation order,
// after restoring those an earlier daemon process left on disk.
func (m *Manager) sessionConns(ctx context.Context, clientSession string) []*Connection {
	m.restore(ctx, clientSession)
	m.mu.Lock()
	defer m.mu.Unlock()
	if s := m.sessions[clientSession]; s != nil {
		return slices.Clone(s.conns)
	}
	return nil
}

// Find returns the client session's connection with id, or with an empty
// id the newest Exchange Online one, which the Get-EXO* cmdlets use.
func (m *Manager) Find(ctx context.Context, clientSession, id string) (*Connection, error) {
	conns := m.sessionConns(ctx, clientSession)
	if id == "" {
		if c := newestExchange(conns); c != nil {
			return c, nil
		}
		return nil, fmt.Errorf("%w: you must call Connect-ExchangeOnline before calling any other cmdlets", ErrNoConnection)
	}
	for _, c := range conns {
		if strings.EqualFold(c.ID, id) {
			return c, nil
		}
	}
	return nil, fmt.Errorf("%w: connection %s is not open in this session", ErrNoConnection, id)
}

// Options configure a Manager.
type Options struct {
	// Cache persists user sign-ins across daemon restarts; nil keeps them
	// in memory.
	Cache *auth.FileCache
	// RecordPath is the file (mode 0600) where the connections of the
	// refresh-token flows are recorded, without secrets, so that a restarted
	// daemon restores them from Cache when their session next calls. Empty,
	// or a nil Cache, keeps connections in memory only.
	RecordPath string
	Logger     *zap.Logger
	Now        func() time.Time
}

// Manager holds the connections of every client session.
type Manager struct {
	opts     Options
	mu       sync.Mutex
	sessions map[string]*session
	// records is nil when connections are not persisted.
	records *recordFile
	// pending are the records of an earlier daemon process not restored
	// yet, by client session.
	pending map[string][]record
	// restoreMu serialises restores, so a caller arriving during one waits
	// for its outcome.
	restoreMu sync.Mutex
}

type session struct {
	conns []*Connection
	// next numbers Exchange and S&C connections separately, as the module
	// names them ExchangeOnline_<n> and ExchangeOnlineProtection_<n>.
	nextExchange, nextCompliance int
}

// NewManager returns an empty manager.
func NewManager(opts Options) *Manager {
	if opts.Logger == nil {
		opts.Logger = zap.NewNop()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	m := &Manager{opts: opts, sessions: map[string]*session{}, pending: map[string][]record{}}
	if opts.RecordPath != "" && opts.Cache != nil {
		m.records = &recordFile{path: opts.RecordPath}
		recs, err := m.records.load()
		if err != nil {
			// Unreadable records only cost a new sign-in; the next save
			// replaces the file.
			opts.Logger.Warn("ignoring connection records", zap.Error(err))
		}
		kept := 0
		for _, r := range recs {
			if clientGone(r.ClientSession) {
				continue
			}
			m.pending[r.ClientSession] = append(m.pending[r.ClientSession], r)
			kept++
		}
		if kept < len(recs) {
			m.saveLocked()
		}
	}
	return m
}

// Events are how Connect reaches the user while it signs in; every callback
// is called before Connect returns.
type Events struct {
	// Prompt shows what a flow needs the user to do (a device code).
	Prompt func(string)
	// Banner shows the service's banner.
	Banner func(string)
	// OpenURL shows a sign-in page in the user's browser; nil means the
	// client has no way to, and interactive sign-in fails with a hint to
	// use -Device.
	OpenURL func(string) error
}

// Connect signs in and records the connection.
func (m *Manager) Connect(ctx context.Context, req Request, ev Events) (*Connection, error) {
	if req.ClientSession == "" {
		return nil, fmt.Errorf("%w: a client session is required", ErrInvalidRequest)
	}
	// Restored connections keep their numbers; new ones follow them.
	m.restore(ctx, req.ClientSession)
	ep, err := environment.Resolve(environment.Input{
		ConnectionURI:      req.ConnectionURI,
		AuthorityURI:       req.AuthorityURI,
		EnvironmentName:    req.EnvironmentName,
		SecurityCompliance: req.SecurityCompliance,
	})
	if err != nil {
		return nil, err
	}
	if ep.Note != "" {
		ev.Prompt(ep.Note)
	}
	if req.DelegatedOrganization != "" {
		ep.Authority = delegatedAuthority(ep.Authority, req.DelegatedOrganization)
	}
	pageSize := req.PageSize
	if pageSize == 0 {
		pageSize = 1000
	}
	if pageSize > 1000 {
		return nil, fmt.Errorf("%w: PageSize must be between 1 and 1000", ErrInvalidRequest)
	}
	id := uuid.NewString()
	log, closeLog, err := m.connectionLog(id, req.LogDirectory, req.LogLevel)
	if err != nil {
		return nil, err
	}
	hc := &http.Client{}
	if len(req.TrustedCAPEM) > 0 {
		if hc, err = auth.TrustedHTTPClient(req.TrustedCAPEM); err != nil {
			if closeLog != nil {
				_ = closeLog()
			}
			return nil, err
		}
	}
	ok := false
	defer func() {
		if !ok {
			hc.CloseIdleConnections()
			if closeLog != nil {
				_ = closeLog()
			}
		}
	}()
	cfg := auth.Config{Authority: ep.Authority, Scope: ep.Scope, HTTPClient: hc, Logger: log.Named("auth")}
	if m.opts.Cache != nil {
		cfg.Cache = m.opts.Cache
	}
	src, certAuth, err := m.signIn(ctx, cfg, req, ev)
	if err != nil {
		return nil, err
	}
	c := &Connection{
		ID:                    id,
		ClientSession:         req.ClientSession,
		RESTBase:              ep.RESTBase.String(),
		Authority:             ep.Authority,
		Prefix:                req.Prefix,
		Organization:          req.Organization,
		DelegatedOrganization: req.DelegatedOrganization,
		AppID:                 req.AppID,
		PageSize:              pageSize,
		CommandName:           req.CommandName,
		SecurityCompliance:    ep.SecurityCompliance,
		CertificateAuth:       certAuth,
		Multithreading:        !req.DisableMultithreading,
		Created:               m.opts.Now(),
		tokens:                src,
		log:                   log,
		closeLog:              closeLog,
		transport:             hc,
	}
	m.attachAdmin(c, timedClient(hc, log.Named("adminapi"), req.TrackPerformance))
	tok, err := c.Token(ctx, auth.TokenOptions{})
	if err != nil {
		return nil, err
	}
	if src.Flow() == auth.FlowManagedIdentity {
		// The identity's client id is the application that signed in.
		c.AppID = tok.AppID
	}
	boot, err := probe(ctx, hc, c.RESTBase, c.URLTenant(tok), tok.AccessToken)
	if err != nil {
		return nil, fmt.Errorf("first request to %s: %w", c.RESTBase, err)
	}
	c.RESTBase = boot.base
	if req.ShowBanner && boot.banner != "" {
		ev.Banner(boot.banner)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.sessions[req.ClientSession]
	if s == nil {
		s = &session{}
		m.sessions[req.ClientSession] = s
	}
	if c.SecurityCompliance {
		s.nextCompliance++
		c.Number, c.Name = s.nextCompliance, fmt.Sprintf("ExchangeOnlineProtection_%d", s.nextCompliance)
	} else {
		s.nextExchange++
		c.Number, c.Name = s.nextExchange, fmt.Sprintf("ExchangeOnline_%d", s.nextExchange)
	}
	s.conns = append(s.conns, c)
	if m.records != nil && renewable(src.Flow()) && tok.UPN != "" {
		c.saved = &record{
			ID: c.ID, Number: c.Number, Name: c.Name, ClientSession: c.ClientSession, RESTBase: c.RESTBase,
			Authority: c.Authority, Scope: ep.Scope, UserPrincipalName: tok.UPN, Prefix: c.Prefix,
			Organization: c.Organization, DelegatedOrganization: c.DelegatedOrganization, PageSize: c.PageSize,
			CommandName: c.CommandName, SecurityCompliance: c.SecurityCompliance, Multithreading: c.Multithreading, Created: c.Created,
			TrustedCAPEM: req.TrustedCAPEM, LogDirectory: req.LogDirectory, LogLevel: req.LogLevel,
			TrackPerformance: req.TrackPerformance,
		}
		m.saveLocked()
	}
	ok = true
	log.Info("connected", zap.String("name", c.Name),
		zap.String("rest_base", c.RESTBase), zap.String("flow", string(src.Flow())))
	return c, nil
}

// attachAdmin gives c its admin API client.
func (m *Manager) attachAdmin(c *Connection, hc *http.Client) {
	c.admin = adminclient.New(adminclient.Options{
		HTTP: hc, Tokens: c, ConnectionID: c.ID, Limiter: adminclient.NewLimiter(MaxInFlight),
		Logger: c.log.Named("adminapi"),
	})
}

// connectionLog is the logger of connection id: the daemon's, teed to a
// file in dir when one is given. The closer is nil without a file.
func (m *Manager) connectionLog(id, dir, level string) (*zap.Logger, func() error, error) {
	base := m.opts.Logger.With(zap.String("connection_id", id))
	if dir == "" {
		return base, nil, nil
	}
	return openConnectionLog(base, dir, id, level)
}

func (m *Manager) signIn(ctx context.Context, cfg auth.Config, req Request, ev Events) (*auth.Source, bool, error) {
	flow := req.Flow
	if flow == FlowAuto {
		flow = chooseFlow(req)
	}
	switch flow {
	case FlowPassword:
		src, err := auth.NewPassword(ctx, cfg, req.UserPrincipalName, req.Password)
		return src, false, err
	case FlowDeviceCode:
		src, err := auth.NewDeviceCode(ctx, cfg, ev.Prompt)
		return src, false, err
	case FlowInteractive:
		// A user the token cache already knows signs in without a page, as
		// MSAL clients do: silent first.
		if req.UserPrincipalName != "" && cfg.Cache != nil {
			src, err := auth.SilentFromCache(ctx, cfg, req.UserPrincipalName)
			if err == nil {
				return src, false, nil
			}
			if !errors.Is(err, auth.ErrInteractionRequired) {
				return nil, false, err
			}
		}
		// The daemon has no desktop of its own: the client opens the page.
		src, err := auth.NewInteractive(ctx, cfg, auth.InteractiveOptions{OpenURL: ev.OpenURL, LoginHint: req.UserPrincipalName})
		return src, false, err
	case FlowCertificate:
		if req.AppID == "" || req.Organization == "" {
			return nil, false, fmt.Errorf("%w: certificate sign-in needs -AppId and -Organization", ErrInvalidRequest)
		}
		if len(req.CertificatePKCS12) == 0 {
			return nil, false, fmt.Errorf("%w: certificate sign-in needs -Certificate or -CertificateFilePath", ErrInvalidRequest)
		}
		cert, err := auth.CertificateFromPKCS12(req.CertificatePKCS12, req.CertificatePassword)
		if err != nil {
			return nil, false, err
		}
		cfg.ClientID = req.AppID
		src, err := auth.NewCertificate(ctx, cfg, req.Organization, cert)
		return src, true, err
	case FlowAccessToken:
		src, err := auth.NewAccessToken(cfg, req.AccessToken)
		return src, false, err
	case FlowManagedIdentity:
		cfg.ClientID = req.ManagedIdentityAccountID
		src, err := auth.NewManagedIdentity(ctx, cfg, auth.ManagedIdentityEndpoint{
			URL: req.ManagedIdentityEndpoint, Header: req.ManagedIdentityHeader, IMDS: req.ManagedIdentityIMDSEndpoint,
		})
		return src, false, err
	default:
		return nil, false, fmt.Errorf("%w: unknown sign-in flow %d", ErrInvalidRequest, flow)
	}
}

// chooseFlow picks the flow from the parameters given, in the order the
// module checks them.
func chooseFlow(req Request) Flow {
	switch {
	case req.AccessToken != "":
		return FlowAccessToken
	case req.ManagedIdentityEndpoint != "" || req.ManagedIdentityIMDSEndpoint != "" || req.ManagedIdentityAccountID != "":
		return FlowManagedIdentity
	case req.AppID != "":
		return FlowCertificate
	case req.Password != "":
		return FlowPassword
	default:
		return FlowInteractive
	}
}

// Selector narrows List and Disconnect; empty fields select everything.
type Selector struct {
	ConnectionIDs []string
	ModulePrefix  []string
}

func (sel Selector) matches(c *Connection) bool {
	if len(sel.ConnectionIDs) > 0 && !slices.ContainsFunc(sel.ConnectionIDs, func(id string) bool { return strings.EqualFold(id, c.ID) }) {
		return false
	}
	if len(sel.ModulePrefix) > 0 && !slices.ContainsFunc(sel.ModulePrefix, func(p string) bool { return strings.EqualFold(p, c.Prefix) }) {
		return false
	}
	return true
}

// List returns the session's selected connections in creation order.
func (m *Manager) List(ctx context.Context, clientSession string, sel Selector) []Snapshot {
	conns := m.sessionConns(ctx, clientSession)
	inbuilt := newestExchange(conns)
	now := m.opts.Now()
	var out []Snapshot
	for _, c := range conns {
		if !sel.matches(c) {
			continue
		}
		t := c.lastToken()
		out = append(out, Snapshot{
			Connection:        c,
			UserPrincipalName: t.UPN,
			TenantID:          t.TenantID,
			TokenExpiry:       t.ExpiresOn,
			TokenActive:       now.Before(t.ExpiresOn),
			UsedForInbuilt:    c == inbuilt,
		})
	}
	return out
}

// newestExchange is the connection the Get-EXO* cmdlets use: the newest
// Exchange Online one.
func newestExchange(conns []*Connection) *Connection {
	for i := len(conns) - 1; i >= 0; i-- {
		if !conns[i].SecurityCompliance {
			return conns[i]
		}
	}
	return nil
}

// Disconnect closes the session's selected connections and returns their ids.
func (m *Manager) Disconnect(ctx context.Context, clientSession string, sel Selector) []string {
	m.restore(ctx, clientSession)
	m.mu.Lock()
	s := m.sessions[clientSession]
	var closed []*Connection
	if s != nil {
		kept := s.conns[:0]
		for _, c := range s.conns {
			if sel.matches(c) {
				closed = append(closed, c)
			} else {
				kept = append(kept, c)
			}
		}
		s.conns = kept
		if len(kept) == 0 {
			delete(m.sessions, clientSession)
		}
	}
	// The cache holds one sign-in per user and authority: keep it while
	// another connection, of any session, still renews from it.
	var signOut []*Connection
	for _, c := range closed {
		if !m.sharesSignInLocked(c) {
			signOut = append(signOut, c)
		}
	}
	if len(closed) > 0 && m.records != nil {
		m.saveLocked()
	}
	m.mu.Unlock()
	for _, c := range signOut {
		if err := c.tokens.SignOut(ctx); err != nil {
			m.opts.Logger.Warn("sign-out failed", zap.String("connection_id", c.ID), zap.Error(err))
		}
	}
	ids := make([]string, 0, len(closed))
	for _, c := range closed {
		c.transport.CloseIdleConnections()
		c.log.Info("disconnected")
		if c.closeLog != nil {
			if err := c.closeLog(); err != nil {
				m.opts.Logger.Warn("closing the connection log failed", zap.String("connection_id", c.ID), zap.Error(err))
			}
		}
		ids = append(ids, c.ID)
	}
	return ids
}

// sharesSignInLocked reports whether an open or not yet restored
// connection signs in as the same user at the same authority as closed.
// The caller holds m.mu.
func (m *Manager) sharesSignInLocked(closed *Connection) bool {
	upn := closed.lastToken().UPN
	if upn == "" {
		return false
	}
	same := func(authority, u string) bool {
		return strings.EqualFold(authority, closed.Authority) && strings.EqualFold(u, upn)
	}
	for _, s := range m.sessions {
		for _, c := range s.conns {
			if c != closed && same(c.Authority, c.lastToken().UPN) {
				return true
			}
		}
	}
	for _, recs := range m.pending {
		for _, r := range recs {
			if same(r.Authority, r.UserPrincipalName) {
				return true
			}
		}
	}
	return false
}
