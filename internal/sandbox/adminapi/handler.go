package adminapi

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"
)

// Server is the admin API simulator. It is an http.Handler; its methods
// change throttling and faults at run time.
type Server struct {
	cfg        Config
	log        *zap.Logger
	now        func() time.Time
	secretKeys []*rsa.PrivateKey
	linkKey    []byte

	mu       sync.Mutex
	settings Settings
	throttle *throttler
	faults   *injector

	capture wireCapture
}

// New checks cfg, fills its defaults and returns the handler.
func New(cfg Config) (*Server, error) {
	if cfg.Verifier == nil || cfg.Backend == nil {
		return nil, errors.New("adminapi: Config needs a Verifier and a Backend")
	}
	if cfg.Audience == "" {
		return nil, errors.New("adminapi: Config needs the token Audience")
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.AuthorizationURI == "" {
		cfg.AuthorizationURI = "https://login.microsoftonline.com/common/oauth2/authorize"
	}
	if cfg.BackendServer == "" {
		cfg.BackendServer = "SBX01MB0001.sandbox.prod.outlook.com"
	}
	if cfg.LinkTTL == 0 {
		cfg.LinkTTL = time.Hour
	}
	if len(cfg.SecretKeys) == 0 {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, fmt.Errorf("adminapi: generate secret key: %w", err)
		}
		cfg.SecretKeys = []*rsa.PrivateKey{k}
	}
	if len(cfg.LinkKey) == 0 {
		cfg.LinkKey = make([]byte, 32)
		if _, err := rand.Read(cfg.LinkKey); err != nil {
			return nil, fmt.Errorf("adminapi: generate link key: %w", err)
		}
	}
	st, err := cfg.Settings.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("adminapi: settings: %w", err)
	}
	return &Server{
		cfg:        cfg,
		log:        cfg.Logger,
		now:        cfg.Now,
		secretKeys: cfg.SecretKeys,
		linkKey:    cfg.LinkKey,
		settings:   st,
		throttle:   newThrottler(st.Throttle),
		faults:     newInjector(st.Seed, st.Faults),
	}, nil
}

// PublicKeyXML is the $PublicKey the generated module carries.
func (s *Server) PublicKeyXML() string { return publicKeyXML(&s.secretKeys[0].PublicKey) }

// Settings returns the current settings; fault counts show what is left.
func (s *Server) Settings() Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.settings
	st.CmdletTimeouts = maps.Clone(st.CmdletTimeouts)
	st.Faults = s.faults.snapshot()
	return st
}

// SetSettings replaces the settings: budgets start full, the fault PRNG is
// reseeded and counts restart.
func (s *Server) SetSettings(st Settings) error {
	st, err := st.withDefaults()
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settings = st
	s.throttle.reset(st.Throttle)
	s.faults = newInjector(st.Seed, st.Faults)
	s.log.Info("sandbox admin API settings changed", zap.Uint64("seed", st.Seed),
		zap.Int("faults", len(st.Faults)), zap.Int("budget", st.Throttle.Budget))
	return nil
}

func (s *Server) current() (Settings, *injector) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settings, s.faults
}

// reqState is what one request has learnt, for its response headers.
type reqState struct {
	id              string
	clientRequestID string
	tenant          string // the tenant GUID once the caller is authenticated
}

// ServeHTTP answers one request. Every answer carries request-id, Date,
// OData-Version, X-CalculatedBETarget and the Rate-Limit-* headers; a
// panic becomes a 500 envelope.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	st := &reqState{id: uuid.NewString(), clientRequestID: r.Header.Get("client-request-id")}
	hw := &headerWriter{ResponseWriter: w, s: s, st: st}
	start := time.Now()
	defer func() {
		s.log.Debug("admin API request", zap.String("method", r.Method), zap.String("path", r.URL.Path),
			zap.Int("status", hw.status), zap.Duration("took", time.Since(start)), zap.String("request-id", st.id))
	}()
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		if p == http.ErrAbortHandler {
			panic(p)
		}
		s.log.Error("admin API handler panicked", zap.Any("panic", p), zap.String("request-id", st.id),
			zap.ByteString("stack", debug.Stack()))
		if !hw.wroteHeader {
			writeProtocolError(hw, r, http.StatusInternalServerError, "An internal server error occurred. The operation failed.")
		}
	}()
	switch path := strings.TrimSuffix(r.URL.Path, "/"); {
	case strings.EqualFold(path, controlPath):
		s.serveControl(hw, r)
		return
	case strings.EqualFold(path, capturePath):
		s.serveCapture(hw, r)
		return
	}
	if settings, _ := s.current(); settings.CaptureRequests > 0 {
		s.capture.record(r, settings.CaptureRequests, s.now())
	}
	rt, ok := parseRoute(r.URL.EscapedPath())
	if !ok || (rt.region != "" && s.cfg.ComplianceRegion == "") {
		writeProtocolError(hw, r, http.StatusNotFound, fmt.Sprintf("Resource not found for the segment '%s'.", lastSegment(r.URL.Path)))
		return
	}
	s.serveAPI(hw, r, rt, st)
}

// serveAPI applies faults, then authentication, the S&C front door, the
// request budget, and finally the endpoint.
func (s *Server) serveAPI(w *headerWriter, r *http.Request, rt route, st *reqState) {
	settings, inj := s.current()
	plan := inj.plan(rt.resource, r.Header.Get("X-CmdletName"))
	if plan.status != 0 {
		if plan.status == http.StatusTooManyRequests {
			// The service's 429s always say when to come back.
			w.Header().Set("Retry-After", "1")
		}
		writeJSON(w, r, plan.status, faultEnvelope(plan.status))
		return
	}
	serve := func(w http.ResponseWriter, r *http.Request) { s.serveAuthenticated(w, r, rt, st, settings, plan.delay) }
	if plan.reset {
		serveWithReset(w, r, serve)
		return
	}
	serve(w, r)
}

// serveAuthenticated runs an authenticated request. An injected latency
// is service time: it is spent while the request holds one of the tenant's
// concurrency slots, so a concurrency limit binds as it does on the
// service.
func (s *Server) serveAuthenticated(w http.ResponseWriter, r *http.Request, rt route, st *reqState, settings Settings, latency time.Duration) {
	caller, ok := s.authenticate(w, r, rt)
	if !ok {
		return
	}
	st.tenant = caller.TenantID
	if s.redirectToRegion(w, r, rt) {
		return
	}
	if ok, wait := s.throttle.take(caller.TenantID, s.now()); !ok {
		secs := retryAfterSeconds(wait)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		writeJSON(w, r, http.StatusTooManyRequests, throttledEnvelope(secs))
		return
	}
	if rt.entity != nil {
		if !methodIs(w, r, http.MethodGet) || !s.acquireSlot(w, r, caller.TenantID) {
			return
		}
		defer s.throttle.release(caller.TenantID)
		if sleep(r.Context(), latency) != nil {
			return
		}
		s.serveEntity(w, r, rt, caller, settings)
		return
	}
	if rt.resource == resInvoke || rt.resource == resBatch {
		if !methodIs(w, r, http.MethodPost) {
			return
		}
		if !strings.EqualFold(rt.version, "beta") {
			// A peer reports 405 for InvokeCommand under v1.0.
			writeProtocolError(w, r, http.StatusMethodNotAllowed, "The HTTP method 'POST' is not allowed for this resource under "+rt.version+"; use the beta endpoint.")
			return
		}
		if !s.acquireSlot(w, r, caller.TenantID) {
			return
		}
		defer s.throttle.release(caller.TenantID)
		if sleep(r.Context(), latency) != nil {
			return
		}
		if rt.resource == resInvoke {
			s.serveInvoke(w, r, rt, caller, settings)
		} else {
			s.serveBatch(w, r, rt, caller, settings)
		}
		return
	}
	if sleep(r.Context(), latency) != nil {
		return
	}
	switch rt.resource {
	case resModuleFile:
		if methodIs(w, r, http.MethodGet) {
			s.serveModuleFile(w, r, rt, caller)
		}
	case resBanner:
		if methodIs(w, r, http.MethodGet) {
			s.serveBanner(w, r, rt)
		}
	case resBasicInfo:
		if methodIs(w, r, http.MethodGet) {
			s.serveBasicInfo(w, r, rt)
		}
	}
}

// acquireSlot takes one of the tenant's in-flight slots, or answers with
// the service's plain-text concurrency refusal; release must follow a true.
func (s *Server) acquireSlot(w http.ResponseWriter, r *http.Request, tenant string) bool {
	if s.throttle.acquire(tenant) {
		return true
	}
	writeBody(w, r, http.StatusInternalServerError, "text/plain; charset=utf-8", []byte(concurrencyMessage))
	return false
}

func methodIs(w http.ResponseWriter, r *http.Request, method string) bool {
	if r.Method == method {
		return true
	}
	w.Header().Set("Allow", method)
	writeProtocolError(w, r, http.StatusMethodNotAllowed, fmt.Sprintf("The HTTP method '%s' is not allowed for this resource.", r.Method))
	return false
}

// Resources served under /adminapi/{version}/{tenant}/.
const (
	resInvoke     = "InvokeCommand"
	resBatch      = "$batch"
	resModuleFile = "EXOModuleFile"
	resBanner     = "EXOBanner"
	resBasicInfo  = "BasicInfo"
)

// route is a parsed admin API path:
// [/region/{region}]/adminapi/{version}/{tenant}/{resource}[('{key}')],
// or for an entity route .../{tenant}/{set}[('{key}')]/... (entity.go).
type route struct {
	region   string
	version  string
	tenant   string
	resource string // for entity routes the entity set, which faults match
	key      string
	entity   *entityPath
}

// prefix is the region part of the path ("" or "/region/<name>").
func (rt route) prefix() string {
	if rt.region == "" {
		return ""
	}
	return "/region/" + rt.region
}

// base is the path up to and including the tenant.
func (rt route) base() string {
	return rt.prefix() + "/adminapi/" + rt.version + "/" + rt.tenant
}

// parseRoute reads an escaped path. It is split into segments before
// unescaping, so an entity key may carry an escaped slash (%2F).
func parseRoute(escapedPath string) (route, bool) {
	segs, ok := splitSegments(strings.TrimPrefix(escapedPath, "/"))
	var rt route
	if !ok {
		return rt, false
	}
	if len(segs) >= 2 && strings.EqualFold(segs[0], "region") {
		rt.region, segs = segs[1], segs[2:]
		if rt.region == "" {
			return rt, false
		}
	}
	if len(segs) < 4 || !strings.EqualFold(segs[0], "adminapi") || segs[2] == "" {
		return rt, false
	}
	switch strings.ToLower(segs[1]) {
	case "beta", "v1.0":
		rt.version = segs[1]
	default:
		return rt, false
	}
	rt.tenant = segs[2]
	if len(segs) == 4 {
		name, key := segs[3], ""
		if i := strings.IndexByte(name, '('); i >= 0 && strings.HasSuffix(name, ")") {
			name, key = name[:i], strings.Trim(name[i+1:len(name)-1], "'")
		}
		for _, res := range []string{resInvoke, resBatch, resModuleFile, resBanner, resBasicInfo} {
			if strings.EqualFold(name, res) {
				rt.resource, rt.key = res, key
				return rt, true
			}
		}
	}
	p, ok := matchEntityPath(segs[3:])
	if !ok {
		return rt, false
	}
	rt.resource, rt.entity = p.route.segs[0].name, p
	return rt, true
}

// splitSegments splits an escaped path at the slashes outside single
// quotes and unescapes each segment.
func splitSegments(path string) ([]string, bool) {
	var segs []string
	quoted, start := false, 0
	for i := 0; i <= len(path); i++ {
		if i < len(path) && path[i] == '\'' {
			quoted = !quoted
		}
		if i < len(path) && (path[i] != '/' || quoted) {
			continue
		}
		seg, err := url.PathUnescape(path[start:i])
		if err != nil {
			return nil, false
		}
		segs = append(segs, seg)
		start = i + 1
	}
	return segs, true
}

func lastSegment(path string) string {
	path = strings.TrimSuffix(path, "/")
	return path[strings.LastIndexByte(path, '/')+1:]
}

// headerWriter adds the headers every answer carries when the status is
// written.
type headerWriter struct {
	http.ResponseWriter
	s           *Server
	st          *reqState
	status      int
	wroteHeader bool
}

func (w *headerWriter) WriteHeader(code int) {
	if w.wroteHeader {
		return
	}
	w.addCommonHeaders(code)
	w.wroteHeader, w.status = true, code
	w.ResponseWriter.WriteHeader(code)
}

func (w *headerWriter) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(p)
}

// rateResetLayout is the ISO form of Rate-Limit-Reset.
const rateResetLayout = "2006-01-02T15:04:05.0000000Z"

func (w *headerWriter) addCommonHeaders(status int) {
	h := w.Header()
	now := w.s.now()
	setRaw(h, "request-id", w.st.id)
	if w.st.clientRequestID != "" {
		setRaw(h, "client-request-id", w.st.clientRequestID)
	}
	h.Set("Date", now.UTC().Format(http.TimeFormat))
	h.Set("OData-Version", "4.0")
	h.Set("X-CalculatedBETarget", w.s.cfg.BackendServer)
	h.Set("X-BackEndHttpStatus", strconv.Itoa(status))
	rs := w.s.throttle.state(w.st.tenant, now)
	h.Set("Rate-Limit-Limit", strconv.Itoa(rs.limit))
	h.Set("Rate-Limit-Remaining", strconv.Itoa(rs.remaining))
	h.Set("Rate-Limit-Reset", rs.reset.UTC().Format(rateResetLayout))
}

// gzipThreshold is the size above which answers are compressed for
// clients that accept gzip (the module always does).
const gzipThreshold = 1024

// writeBody writes a complete answer, gzip-compressed when worthwhile and
// accepted.
func writeBody(w http.ResponseWriter, r *http.Request, status int, contentType string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	if len(body) >= gzipThreshold && acceptsGzip(r) {
		var buf bytes.Buffer
		// BestSpeed: at the default level, compression took a fifth of the
		// sandbox's CPU while it served pages of mailboxes.
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
		_, _ = zw.Write(body)
		_ = zw.Close()
		body = buf.Bytes()
		h.Set("Content-Encoding", "gzip")
		h.Add("Vary", "Accept-Encoding")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func acceptsGzip(r *http.Request) bool {
	for _, line := range r.Header.Values("Accept-Encoding") {
		for _, item := range strings.Split(line, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(item), ";")
			if strings.EqualFold(strings.TrimSpace(coding), "gzip") && strings.ReplaceAll(params, " ", "") != "q=0" {
				return true
			}
		}
	}
	return false
}
