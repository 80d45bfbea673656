package invoke

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openexo/exo/internal/adminclient"
	"github.com/openexo/exo/internal/auth"
)

// This file is a small fake of the service's InvokeCommand and $batch
// endpoints, written for these tests alone: the sandbox is an independent
// implementation and stays out of the daemon's unit tests.

const (
	fakeTenant = "6f1c0c33-1d3e-4b6a-9a62-1e2d3c4b5a69"
	fakeAnchor = "UPN:admin@contoso.onmicrosoft.com"
	fakeToken  = "fake-access-token"
)

type fakeTokens struct{}

func (fakeTokens) Token(context.Context, auth.TokenOptions) (auth.Token, error) {
	return auth.Token{AccessToken: fakeToken, ExpiresOn: time.Now().Add(time.Hour), TenantID: fakeTenant}, nil
}

// fakeCall is one InvokeCommand request as the fake read it: standalone,
// or one part of a $batch.
type fakeCall struct {
	Cmdlet string
	Params map[string]any
	Header http.Header
	// Skip is the offset a nextLink carries; 0 on a first page.
	Skip int
	// PageSize is the Prefer: odata.maxpagesize value, 0 when absent.
	PageSize int
	// Part says the call came inside a $batch.
	Part bool
	// Attempt counts the calls with the same cmdlet and parameters
	// before this one, from 1.
	Attempt int
	// Body is the raw InvokeCommand body.
	Body []byte
}

func (c fakeCall) str(name string) string {
	s, _ := c.Params[name].(string)
	return s
}

// fakeAnswer is what the fake sends for a call.
type fakeAnswer struct {
	// Status, when not 0 or 200, fails the call with Body.
	Status int
	Body   string
	Header map[string]string
	// Reset drops the connection after reading the request: its outcome
	// is unknown to the client.
	Reset bool
	// Records are the page's objects, verbatim JSON.
	Records []string
	// More adds a nextLink to the next offset.
	More         bool
	Warnings     []string
	Errors       []string
	Confirmation string
}

// fakeService serves InvokeCommand and $batch through handle.
type fakeService struct {
	t      *testing.T
	srv    *httptest.Server
	handle func(fakeCall) fakeAnswer

	mu      sync.Mutex
	calls   []fakeCall
	batches [][]fakeCall
	seen    map[string]int
}

func newFake(t *testing.T, handle func(fakeCall) fakeAnswer) *fakeService {
	f := &fakeService{t: t, handle: handle, seen: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeService) target() Target {
	return Target{
		Client: adminclient.New(adminclient.Options{Tokens: fakeTokens{}, Backoff: time.Millisecond}),
		Base:   f.srv.URL, Tenant: fakeTenant, Anchor: fakeAnchor, PageSize: 1000, Concurrency: 4,
		Token: func(context.Context) (string, error) { return fakeToken, nil },
	}
}

func (f *fakeService) invokeURL() string {
	return f.srv.URL + "/adminapi/beta/" + fakeTenant + "/InvokeCommand"
}

func (f *fakeService) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if r.Header.Get("Authorization") != "Bearer "+fakeToken {
		f.t.Errorf("request without the bearer token: %q", r.Header.Get("Authorization"))
	}
	switch {
	case strings.HasSuffix(r.URL.Path, "/InvokeCommand"):
		call := f.read(r.URL.Query().Get("$skiptoken"), r.Header, body, false)
		a := f.handle(call)
		if a.Reset {
			panic(http.ErrAbortHandler)
		}
		status, h, out := f.answer(call, a)
		for k, v := range h {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		_, _ = w.Write(out)
	case strings.HasSuffix(r.URL.Path, "/$batch"):
		f.serveBatch(w, r, body)
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeService) serveBatch(w http.ResponseWriter, r *http.Request, body []byte) {
	if !strings.Contains(r.Header.Get("Prefer"), "odata.continue-on-error") {
		f.t.Errorf("batch Prefer = %q, want odata.continue-on-error", r.Header.Get("Prefer"))
	}
	var req struct {
		Requests []struct {
			ID      string            `json:"id"`
			Method  string            `json:"method"`
			URL     string            `json:"url"`
			Headers map[string]string `json:"headers"`
			Body    json.RawMessage   `json:"body"`
		} `json:"requests"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		f.t.Errorf("batch body: %v", err)
		w.WriteHeader(400)
		return
	}
	if len(req.Requests) > BatchSize {
		f.t.Errorf("batch of %d parts", len(req.Requests))
	}
	type partAnswer struct {
		ID      string            `json:"id"`
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    json.RawMessage   `json:"body"`
	}
	var batch []fakeCall
	var out []partAnswer
	for _, p := range req.Requests {
		if p.Method != http.MethodPost || p.URL != f.invokeURL() {
			f.t.Errorf("part %s: %s %s", p.ID, p.Method, p.URL)
		}
		h := http.Header{}
		for k, v := range p.Headers {
			h.Set(k, v)
		}
		if !strings.Contains(h.Get("Prefer"), "odata.continue-on-error") {
			f.t.Errorf("part Prefer = %q", h.Get("Prefer"))
		}
		call := f.read("", h, p.Body, true)
		batch = append(batch, call)
		a := f.handle(call)
		if a.Reset {
			f.t.Error("a batch part cannot reset the connection")
		}
		status, ph, pb := f.answer(call, a)
		out = append(out, partAnswer{ID: p.ID, Status: status, Headers: ph, Body: pb})
	}
	f.mu.Lock()
	f.batches = append(f.batches, batch)
	f.mu.Unlock()
	b, _ := json.Marshal(map[string]any{"responses": out})
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

// read records a call.
func (f *fakeService) read(skip string, h http.Header, body []byte, part bool) fakeCall {
	var in struct {
		CmdletInput struct {
			CmdletName string         `json:"CmdletName"`
			Parameters map[string]any `json:"Parameters"`
		} `json:"CmdletInput"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		f.t.Errorf("InvokeCommand body %s: %v", body, err)
	}
	call := fakeCall{Cmdlet: in.CmdletInput.CmdletName, Params: in.CmdletInput.Parameters, Header: h, Part: part, Body: body}
	call.Skip, _ = strconv.Atoi(skip)
	for _, item := range strings.Split(h.Get("Prefer"), ";") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(item), "odata.maxpagesize="); ok {
			call.PageSize, _ = strconv.Atoi(v)
		}
	}
	if h.Get("X-CmdletName") != call.Cmdlet {
		f.t.Errorf("X-CmdletName = %q, body names %q", h.Get("X-CmdletName"), call.Cmdlet)
	}
	key := string(body) + "#" + skip
	f.mu.Lock()
	f.seen[key]++
	call.Attempt = f.seen[key]
	f.calls = append(f.calls, call)
	f.mu.Unlock()
	return call
}

// answer renders an answer.
func (f *fakeService) answer(call fakeCall, a fakeAnswer) (int, map[string]string, []byte) {
	h := map[string]string{"Content-Type": "application/json", "request-id": "req-" + strconv.Itoa(call.Attempt),
		"X-CalculatedBETarget": "FAKE01MB0001.prod.outlook.com", "Date": "Sat, 28 Nov 2026 10:00:00 GMT"}
	for k, v := range a.Header {
		h[k] = v
	}
	if a.Status != 0 && a.Status != 200 {
		return a.Status, h, []byte(a.Body)
	}
	var b strings.Builder
	b.WriteString(`{"@odata.context":"ctx","adminapi.warnings@odata.type":"#Collection(String)","@adminapi.warnings":`)
	warnings, _ := json.Marshal(append([]string{}, a.Warnings...))
	b.Write(warnings)
	if len(a.Errors) > 0 {
		errs, _ := json.Marshal(a.Errors)
		b.WriteString(`,"@adminapi.errors":`)
		b.Write(errs)
	}
	if a.Confirmation != "" {
		c, _ := json.Marshal(a.Confirmation)
		b.WriteString(`,"@adminapi.confirmationmessage":`)
		b.Write(c)
	}
	b.WriteString(`,"value":[` + strings.Join(a.Records, ",") + `]`)
	if a.More {
		b.WriteString(`,"@odata.nextLink":"` + f.invokeURL() + `?$skiptoken=` + strconv.Itoa(call.Skip+len(a.Records)) + `"`)
	}
	b.WriteString("}")
	return 200, h, []byte(b.String())
}

func (f *fakeService) allCalls() []fakeCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeCall(nil), f.calls...)
}

func (f *fakeService) allBatches() [][]fakeCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([][]fakeCall(nil), f.batches...)
}

// collect runs a call and returns its events.
func collect(t *testing.T, target Target, c Call) []Event {
	t.Helper()
	var events []Event
	if err := Run(context.Background(), target, c, func(ev Event) error {
		events = append(events, ev)
		return nil
	}); err != nil {
		t.Fatalf("Run: %v", err)
	}
	return events
}

func str(s string) Value    { return Value{Kind: KindString, Str: s} }
func integer(n int64) Value { return Value{Kind: KindInt, Int: n} }
func boolean(b bool) Value  { return Value{Kind: KindBool, Bool: b} }

// obj is a record with the given identity.
func obj(id string) string { return `{"Identity":"` + id + `"}` }

// identities lists the Identity of every record event, in order.
func identities(t *testing.T, events []Event) []string {
	t.Helper()
	var out []string
	for _, ev := range events {
		for _, r := range ev.Records {
			for _, p := range r.Props {
				if p.Name == "Identity" {
					var s string
					if err := json.Unmarshal(p.Value, &s); err != nil {
						t.Fatal(err)
					}
					out = append(out, s)
				}
			}
		}
	}
	return out
}
