package query

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openexo/exo/internal/adminclient"
	"github.com/openexo/exo/internal/auth"
)

// This file is a small fake of the service's OData entity routes
// (docs/entity-routes.md), written for these tests alone: the sandbox is an
// independent implementation and stays out of the daemon's tests.

const (
	fakeTenant = "6f1c0c33-1d3e-4b6a-9a62-1e2d3c4b5a69"
	fakeAnchor = "UPN:admin@contoso.onmicrosoft.com"
	fakeToken  = "fake-access-token"
	// concurrencyText is the service's plain-text answer when the tenant
	// has too many requests in flight.
	concurrencyText = "You have reached the maximum number of concurrent requests per tenant. Please wait and try again"
)

// fakeTokens is a TokenSource that always has the same token.
type fakeTokens struct{}

func (fakeTokens) Token(context.Context, auth.TokenOptions) (auth.Token, error) {
	return auth.Token{AccessToken: fakeToken, ExpiresOn: time.Now().Add(time.Hour), TenantID: fakeTenant}, nil
}

// segment is one decoded path segment: Mailbox('user@x') is Name "Mailbox",
// Key "user@x"; a function call keeps its arguments, base64 ones decoded.
type segment struct {
	Name   string
	HasKey bool
	Key    string
	Args   map[string]string // function arguments by name, decoded
}

// route is one request as the fake server read it.
type route struct {
	// Path is the path below /adminapi/beta/{tenant}/ with every encoded
	// key and identity argument decoded: Mailbox('user@x')/MailboxPermission.
	Path     string
	Segments []segment
	Query    url.Values // decoded, $skiptoken removed
	Header   http.Header
	// PageSize is the Prefer: odata.maxpagesize value, 0 when absent.
	PageSize int
	// Skip is the $skiptoken offset of a next-page request.
	Skip int
}

// answer is what the fake server sends for a route.
type answer struct {
	Status int
	// Entities is a collection, paged by the server; each is one JSON
	// object, kept verbatim so member order is the test's.
	Entities []string
	// Entity is a single-entity answer when set.
	Entity string
	// Body is a raw answer when Status is not 200.
	Body string
	// Header is sent with every answer (X-Warnings on a 200, Retry-After
	// on a 429, ...).
	Header http.Header
}

func collection(entities ...string) answer {
	return answer{Status: http.StatusOK, Entities: append([]string{}, entities...)}
}
func single(entity string) answer { return answer{Status: http.StatusOK, Entity: entity} }

// notFound is the service's 404 envelope for an unknown identity.
func notFound(id string) answer {
	body, _ := json.Marshal(map[string]any{"error": map[string]any{
		"code": "NotFound", "message": "Not Found",
		"details": []map[string]any{{
			"code": "13", "target": "",
			"message": "Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed because object '" + id + "' couldn't be found.",
		}},
	}})
	return answer{Status: http.StatusNotFound, Body: string(body), Header: http.Header{"Content-Type": {"application/json"}}}
}

// tooMany is a 429 asking to come back in 10 ms.
func tooMany() answer {
	return answer{Status: http.StatusTooManyRequests, Body: `{"error":{"code":"TooManyRequests","message":"Too many requests"}}`,
		Header: http.Header{"Retry-After": {"0.01"}, "Content-Type": {"application/json"}}}
}

// unavailable is a 503 without a body the client can read.
func unavailable() answer {
	return answer{Status: http.StatusServiceUnavailable, Body: "Service Unavailable"}
}

// concurrencyRefusal is the tenant concurrency limit's plain-text 500.
func concurrencyRefusal() answer {
	return answer{Status: http.StatusInternalServerError, Body: concurrencyText, Header: http.Header{"Content-Type": {"text/plain"}}}
}

// fakeEXO is the fake service.
type fakeEXO struct {
	t   *testing.T
	srv *httptest.Server

	// resolve answers a well-formed request; it is called concurrently.
	resolve func(r *route) answer
	// fault, when set, may answer instead of resolve (n counts every
	// request from 1, refused ones included); nil lets the request through.
	fault func(n int64, r *route) *answer
	// delay, when set, is slept before answering.
	delay func(r *route) time.Duration
	// maxInFlight, when positive, refuses requests beyond that many in
	// flight with the concurrency-limit text.
	maxInFlight int32

	requests atomic.Int64 // every request, refused ones included
	refused  atomic.Int64 // refusals of the concurrency cap
	inFlight atomic.Int32
	peak     atomic.Int32

	mu  sync.Mutex
	log []*route
}

// newFakeEXO starts a fake service answering with resolve.
func newFakeEXO(t *testing.T, resolve func(r *route) answer) *fakeEXO {
	t.Helper()
	f := &fakeEXO{t: t, resolve: resolve}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// target is a connection to the fake service with a fresh limiter.
func (f *fakeEXO) target(pageSize, concurrency int) (Target, *adminclient.Limiter) {
	lim := adminclient.NewLimiter(8)
	client := adminclient.New(adminclient.Options{
		HTTP: f.srv.Client(), Tokens: fakeTokens{}, Backoff: time.Millisecond, Limiter: lim,
	})
	return Target{Client: client, Base: f.srv.URL, Tenant: fakeTenant, Anchor: fakeAnchor,
		PageSize: pageSize, Concurrency: concurrency}, lim
}

// routes is every request received, in arrival order.
func (f *fakeEXO) routes() []*route {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*route(nil), f.log...)
}

// prefers is the Prefer page size of every request, in arrival order.
func (f *fakeEXO) prefers() []int {
	var out []int
	for _, r := range f.routes() {
		out = append(out, r.PageSize)
	}
	return out
}

func (f *fakeEXO) serve(w http.ResponseWriter, req *http.Request) {
	n := f.requests.Add(1)
	in := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for p := f.peak.Load(); in > p && !f.peak.CompareAndSwap(p, in); p = f.peak.Load() {
	}
	r, err := f.parse(req)
	if err != nil {
		f.t.Errorf("fake service: %s %s: %v", req.Method, req.URL.RequestURI(), err)
		write(w, answer{Status: http.StatusBadRequest, Body: err.Error()})
		return
	}
	f.mu.Lock()
	f.log = append(f.log, r)
	f.mu.Unlock()

	if f.maxInFlight > 0 && in > f.maxInFlight {
		f.refused.Add(1)
		write(w, concurrencyRefusal())
		return
	}
	if f.fault != nil {
		if a := f.fault(n, r); a != nil {
			write(w, *a)
			return
		}
	}
	if f.delay != nil {
		time.Sleep(f.delay(r))
	}
	a := f.resolve(r)
	if a.Status != http.StatusOK {
		write(w, a)
		return
	}
	if a.Entities == nil {
		if a.Entity == "" {
			a.Entity = "{}"
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal([]byte(a.Entity), &obj); err != nil {
			f.t.Errorf("fake service: entity %s: %v", a.Entity, err)
		}
		// The context goes first, as the service writes it.
		body := `{"@odata.context":"` + f.srv.URL + `/$metadata#` + r.Segments[0].Name + `/$entity"`
		if rest := strings.TrimPrefix(strings.TrimSpace(a.Entity), "{"); strings.TrimSpace(rest) != "}" {
			body += "," + rest
		} else {
			body += "}"
		}
		write(w, answer{Status: http.StatusOK, Body: body})
		return
	}
	size := r.PageSize
	if size <= 0 {
		size = 100
	}
	end := min(len(a.Entities), r.Skip+size)
	start := min(r.Skip, end)
	var b strings.Builder
	b.WriteString(`{"@odata.context":"` + f.srv.URL + `/$metadata#` + r.Segments[0].Name + `","value":[`)
	b.WriteString(strings.Join(a.Entities[start:end], ","))
	b.WriteString("]")
	if end < len(a.Entities) {
		q := req.URL.Query()
		q.Set("$skiptoken", strconv.Itoa(end))
		link, _ := json.Marshal(f.srv.URL + req.URL.EscapedPath() + "?" + q.Encode())
		b.WriteString(`,"@odata.nextLink":` + string(link))
	}
	b.WriteString("}")
	write(w, answer{Status: http.StatusOK, Body: b.String(), Header: a.Header})
}

func write(w http.ResponseWriter, a answer) {
	for k, vs := range a.Header {
		w.Header()[k] = vs
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json;odata.metadata=minimal")
	}
	w.WriteHeader(a.Status)
	_, _ = w.Write([]byte(a.Body))
}

// parse checks the request against the common rules and decodes its route.
func (f *fakeEXO) parse(req *http.Request) (*route, error) {
	if req.Method != http.MethodGet {
		return nil, fmt.Errorf("method %s, want GET", req.Method)
	}
	for name, want := range map[string]string{
		"Authorization":   "Bearer " + fakeToken,
		"X-AnchorMailbox": fakeAnchor,
		"Accept":          "application/json",
	} {
		if got := req.Header.Get(name); got != want {
			return nil, fmt.Errorf("header %s = %q, want %q", name, got, want)
		}
	}
	r := &route{Header: req.Header.Clone(), Query: req.URL.Query()}
	if p := req.Header.Get("Prefer"); p != "" {
		v, ok := strings.CutPrefix(p, "odata.maxpagesize=")
		n, err := strconv.Atoi(v)
		if !ok || err != nil || n < 1 || n > 1000 {
			return nil, fmt.Errorf("bad Prefer %q", p)
		}
		r.PageSize = n
	}
	if s := r.Query.Get("$skiptoken"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return nil, fmt.Errorf("bad $skiptoken %q", s)
		}
		r.Skip = n
		r.Query.Del("$skiptoken")
	}
	prefix := "/adminapi/beta/" + fakeTenant + "/"
	rest, ok := strings.CutPrefix(req.URL.EscapedPath(), prefix)
	if !ok {
		return nil, fmt.Errorf("path %s is not below %s", req.URL.EscapedPath(), prefix)
	}
	encoded := r.Query.Get("isEncoded") == "true"
	var clear []string
	for _, raw := range strings.Split(rest, "/") {
		seg, text, err := parseSegment(raw, encoded)
		if err != nil {
			return nil, fmt.Errorf("segment %q: %w", raw, err)
		}
		r.Segments = append(r.Segments, seg)
		clear = append(clear, text)
	}
	r.Path = strings.Join(clear, "/")
	return r, nil
}

// parseSegment decodes Name, Name('<b64>') or Name(arg=…,…); it returns the
// segment and its text with the encoded values in clear.
func parseSegment(raw string, encoded bool) (segment, string, error) {
	name, args, hasArgs := strings.Cut(raw, "(")
	seg := segment{Name: name}
	if !hasArgs {
		if strings.ContainsAny(raw, "')%") {
			return seg, "", fmt.Errorf("stray characters")
		}
		return seg, raw, nil
	}
	args, ok := strings.CutSuffix(args, ")")
	if !ok {
		return seg, "", fmt.Errorf("no closing parenthesis")
	}
	if strings.HasPrefix(args, "'") {
		// A key: base64 with only + and / percent-encoded.
		key, err := decodeQuoted(args, encoded)
		if err != nil {
			return seg, "", err
		}
		seg.HasKey, seg.Key = true, key
		return seg, name + "('" + key + "')", nil
	}
	seg.Args = map[string]string{}
	var parts []string
	if args != "" {
		for _, a := range strings.Split(args, ",") {
			k, v, ok := strings.Cut(a, "=")
			if !ok {
				return seg, "", fmt.Errorf("argument %q has no value", a)
			}
			typ, quoted, _ := strings.Cut(v, "'")
			quoted = "'" + quoted
			// Identities are base64; enums, accessRights and XParameter
			// references are plain text.
			base64Arg := encoded && (k == "identity" || k == "trustee")
			val, err := decodeQuoted(quoted, base64Arg)
			if err != nil {
				return seg, "", fmt.Errorf("argument %s: %w", k, err)
			}
			seg.Args[k] = typ + val
			parts = append(parts, k+"="+typ+"'"+val+"'")
		}
	}
	return seg, name + "(" + strings.Join(parts, ",") + ")", nil
}

// decodeQuoted reads '<value>', base64-decoding it when asked.
func decodeQuoted(s string, b64 bool) (string, error) {
	if len(s) < 2 || s[0] != '\'' || s[len(s)-1] != '\'' {
		return "", fmt.Errorf("%q is not quoted", s)
	}
	v := s[1 : len(s)-1]
	if strings.ContainsAny(v, "+/'") {
		return "", fmt.Errorf("%q has characters the path must percent-encode", v)
	}
	v, err := url.PathUnescape(v)
	if err != nil {
		return "", err
	}
	if !b64 || v == "" {
		return v, nil
	}
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return "", fmt.Errorf("key %q is not padded standard base64: %w", v, err)
	}
	return string(b), nil
}
