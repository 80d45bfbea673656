package adminapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"go.uber.org/zap"
)

// MaxBatchParts is the most requests one $batch may carry: the module
// sends batches of up to 10, and the sandbox refuses larger ones with a
// 400 so that a client batching more fails here before it fails there.
const MaxBatchParts = 10

// batchRequest is the OData JSON batch body.
type batchRequest struct {
	Requests []batchPart `json:"requests"`
}

type batchPart struct {
	ID     string `json:"id"`
	Method string `json:"method"`
	URL    string `json:"url"`
	// Headers values are strings, but the module also puts booleans there
	// (parameter-based-routing).
	Headers map[string]any  `json:"headers"`
	Body    json.RawMessage `json:"body"`
}

type batchResponse struct {
	Responses []batchPartResponse `json:"responses"`
}

type batchPartResponse struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body,omitempty"`
}

// serveBatch runs the parts in order. Each part is an InvokeCommand call
// with its own status and body, and costs one unit of the tenant's budget.
// Without Prefer: odata.continue-on-error the batch stops at the first
// failed part, as OData specifies; with it every part runs.
func (s *Server) serveBatch(w http.ResponseWriter, r *http.Request, rt route, caller Caller, settings Settings) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeProtocolError(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("The request body is larger than %d bytes.", maxBodyBytes))
		}
		return
	}
	var batch batchRequest
	if err := json.Unmarshal(raw, &batch); err != nil {
		writeProtocolError(w, r, http.StatusBadRequest, "The batch request body is not valid JSON: "+err.Error()+".")
		return
	}
	if n := len(batch.Requests); n > MaxBatchParts {
		writeProtocolError(w, r, http.StatusBadRequest, fmt.Sprintf("The batch request contains %d requests, more than the maximum of %d.", n, MaxBatchParts))
		return
	}
	ids := map[string]bool{}
	for i, p := range batch.Requests {
		if p.ID == "" || ids[p.ID] {
			writeProtocolError(w, r, http.StatusBadRequest, fmt.Sprintf("Request %d of the batch needs an id that is unique within the batch.", i))
			return
		}
		ids[p.ID] = true
	}
	outer := &url.URL{Scheme: "https", Host: r.Host, Path: rt.base() + "/" + resBatch}
	continueOnError := parsePrefer(r.Header).continueOnError
	out := batchResponse{Responses: []batchPartResponse{}}
	for _, p := range batch.Requests {
		resp := s.batchPart(r, outer, caller, settings, p)
		out.Responses = append(out.Responses, partResponse(p.ID, resp))
		if resp.status >= 400 && !continueOnError {
			break
		}
	}
	writeJSON(w, r, http.StatusOK, out)
}

// batchPart runs one part; a panic fails the part alone.
func (s *Server) batchPart(r *http.Request, outer *url.URL, caller Caller, settings Settings, p batchPart) (resp invokeResponse) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("batch part panicked", zap.String("id", p.ID), zap.Any("panic", v))
			resp = internalFailure()
		}
	}()
	if !strings.EqualFold(p.Method, http.MethodPost) {
		return protocolFailure(http.StatusMethodNotAllowed, fmt.Sprintf("The HTTP method '%s' is not allowed for this resource.", p.Method))
	}
	u, err := outer.Parse(p.URL)
	if err != nil {
		return protocolFailure(http.StatusBadRequest, "The request URL is not valid: "+err.Error()+".")
	}
	prt, ok := parseRoute(u.EscapedPath())
	if !ok || prt.resource != resInvoke {
		return protocolFailure(http.StatusNotFound, fmt.Sprintf("Resource not found for the segment '%s'.", lastSegment(u.Path)))
	}
	if tid, err := s.cfg.Backend.ResolveTenant(r.Context(), prt.tenant); err != nil || !strings.EqualFold(tid, caller.TenantID) {
		return protocolFailure(http.StatusForbidden, fmt.Sprintf("The access token is not valid for the tenant '%s'.", prt.tenant))
	}
	if ok, wait := s.throttle.take(caller.TenantID, s.now()); !ok {
		secs := retryAfterSeconds(wait)
		h := http.Header{}
		h.Set("Retry-After", strconv.Itoa(secs))
		return jsonResponse(http.StatusTooManyRequests, h, throttledEnvelope(secs))
	}
	header := http.Header{}
	for k, v := range p.Headers {
		header.Set(k, fmt.Sprint(v))
	}
	body := []byte(p.Body)
	var asString string
	if json.Unmarshal(p.Body, &asString) == nil {
		body = []byte(asString) // a body sent as a JSON string
	}
	endpoint := &url.URL{Scheme: "https", Host: u.Host, Path: prt.base() + "/" + resInvoke}
	return s.invoke(r.Context(), invokeRequest{
		caller: caller, endpoint: endpoint, query: u.Query(), header: header, body: body, settings: settings,
	})
}

func partResponse(id string, resp invokeResponse) batchPartResponse {
	h := map[string]string{"OData-Version": "4.0"}
	for k, v := range resp.header {
		if len(v) > 0 {
			h[k] = v[0]
		}
	}
	out := batchPartResponse{ID: id, Status: resp.status, Headers: h}
	if resp.body != nil {
		out.Body = json.RawMessage(bytes.TrimSpace(resp.body))
	}
	return out
}
