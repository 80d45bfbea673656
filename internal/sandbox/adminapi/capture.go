package adminapi

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// capturePath returns the requests the sandbox captured (Settings.
// CaptureRequests), oldest first, as the client sent them: what a packet
// capture of the service's side of the TLS connection would show. Tests
// use it to prove what crosses the wire (no secret in clear text); users
// to see what their scripts send. DELETE empties it. Same guard as
// controlPath.
const capturePath = "/sandbox/control/requests"

// maxCaptureRequests bounds Settings.CaptureRequests, and maxCaptureBody
// the bytes kept of one body, so a capture left on cannot eat the sandbox.
const (
	maxCaptureRequests = 10000
	maxCaptureBody     = 1 << 20
)

// CapturedRequest is one request as it arrived.
type CapturedRequest struct {
	// Time is when the sandbox read it.
	Time time.Time `json:"time"`
	// Method and URL are the request line (URL with its query).
	Method string `json:"method"`
	URL    string `json:"url"`
	// Header holds every header; Authorization keeps its scheme only, so a
	// capture handed around does not hand out tokens.
	Header http.Header `json:"header"`
	// Body is the body as sent, cut at 1 MiB; Truncated says when it was.
	Body      string `json:"body"`
	Truncated bool   `json:"truncated,omitempty"`
}

// wireCapture keeps the newest requests up to a limit.
type wireCapture struct {
	mu       sync.Mutex
	requests []CapturedRequest
}

// record keeps r (at most limit requests in all) and gives r a body that
// still reads in full.
func (c *wireCapture) record(r *http.Request, limit int, now time.Time) {
	entry := CapturedRequest{Time: now, Method: r.Method, URL: r.URL.String(), Header: r.Header.Clone()}
	if auth := entry.Header.Get("Authorization"); auth != "" {
		scheme, _, _ := strings.Cut(auth, " ")
		entry.Header.Set("Authorization", scheme+" (token not captured)")
	}
	if r.Body != nil {
		head, err := io.ReadAll(io.LimitReader(r.Body, maxCaptureBody+1))
		if len(head) > maxCaptureBody {
			entry.Body, entry.Truncated = string(head[:maxCaptureBody]), true
		} else {
			entry.Body = string(head)
		}
		// The handler reads what was captured, then the rest (or the
		// read error, which it reports as it would have).
		rest := io.Reader(r.Body)
		if err != nil {
			rest = errReader{err}
		}
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(head), rest), r.Body}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.requests = append(c.requests, entry)
	if over := len(c.requests) - limit; over > 0 {
		c.requests = append(c.requests[:0], c.requests[over:]...)
	}
}

func (c *wireCapture) snapshot() []CapturedRequest {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]CapturedRequest{}, c.requests...)
}

func (c *wireCapture) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.requests = nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// CapturedRequests returns the captured requests, oldest first.
func (s *Server) CapturedRequests() []CapturedRequest { return s.capture.snapshot() }

func (s *Server) serveCapture(w http.ResponseWriter, r *http.Request) {
	if !s.controlAllowed(w, r) {
		return
	}
	switch r.Method {
	case http.MethodGet:
		writeJSON(w, r, http.StatusOK, s.capture.snapshot())
	case http.MethodDelete:
		s.capture.clear()
		w.WriteHeader(http.StatusNoContent)
	default:
		methodIs(w, r, http.MethodGet)
	}
}
