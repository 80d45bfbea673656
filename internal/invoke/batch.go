package invoke

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/openexo/exo/internal/adminclient"
)

// BatchSize is how many inputs one $batch request carries, as the
// module's proxies send them.
const BatchSize = 10

type batchPart struct {
	ID      string            `json:"id"`
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"`
}

type batchAnswer struct {
	Responses []struct {
		ID      string            `json:"id"`
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    json.RawMessage   `json:"body"`
	} `json:"responses"`
}

// batch runs inputs lo..hi-1 as one $batch request (wire-protocol.md §2.5)
// and reports them in input order. A part that failed is re-sent alone
// with the normal retries when the side-effect rule allows it, else its
// failure is reported; a part with a nextLink is paged alone; a part the
// service did not answer did not run and is sent alone.
func (r *runner) batch(ctx context.Context, lo, hi int, out func(Event) error) error {
	reqs := make([]*request, hi-lo)
	failed := make([]error, hi-lo)
	var parts []batchPart
	replay := true
	token := ""
	if r.t.Token != nil {
		var err error
		if token, err = r.t.Token(ctx); err != nil {
			return r.failAll(lo, failed, fmt.Errorf("get an access token: %w", err), out)
		}
	}
	for k := range reqs {
		req, err := r.prepare(r.call.Cmdlet, r.inputs[lo+k])
		if err != nil {
			failed[k] = err
			continue
		}
		reqs[k] = req
		replay = replay && req.replayable
		size := r.t.PageSize
		if req.resultSize >= 0 && req.resultSize < int64(size) {
			size = int(max(1, req.resultSize))
		}
		h := map[string]string{
			"Prefer":          "odata.maxpagesize=" + strconv.Itoa(size) + ";odata.continue-on-error",
			"X-AnchorMailbox": req.anchor,
		}
		if token != "" {
			h["Authorization"] = "Bearer " + token
		}
		for name, vs := range req.header {
			h[name] = vs[0]
		}
		parts = append(parts, batchPart{ID: strconv.Itoa(k), Method: http.MethodPost, URL: r.invokeURL(), Headers: h, Body: req.body})
	}
	answers := map[string]int{}
	var ans batchAnswer
	if len(parts) > 0 {
		body, err := json.Marshal(map[string]any{"requests": parts})
		if err != nil {
			return fmt.Errorf("encode a batch: %w", err)
		}
		last := parts[len(parts)-1]
		h := http.Header{}
		for name, v := range last.Headers {
			if name != "Prefer" && name != "Authorization" && name != "X-AnchorMailbox" {
				h[name] = []string{v}
			}
		}
		h.Set("Prefer", "odata.continue-on-error")
		resp, err := r.t.Client.Do(ctx, adminclient.Request{
			Method: http.MethodPost, URL: r.t.Base + "/adminapi/beta/" + url.PathEscape(r.t.Tenant) + "/$batch",
			Header: h, Body: body, AnchorMailbox: last.Headers["X-AnchorMailbox"], Replayable: replay,
			Timeout: Timeout(r.call.Cmdlet),
		})
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return r.failAll(lo, failed, outcomeUnknown(&request{cmdlet: r.call.Cmdlet, replayable: replay}, err), out)
		}
		if err := json.Unmarshal(resp.Body, &ans); err != nil {
			return r.failAll(lo, failed, fmt.Errorf("decode the service's batch answer: %w", err), out)
		}
		for j, a := range ans.Responses {
			answers[a.ID] = j
		}
	}
	for k, req := range reqs {
		i := lo + k
		if req == nil {
			if err := out(Event{Input: i, Err: failed[k]}); err != nil {
				return err
			}
			continue
		}
		j, ok := answers[strconv.Itoa(k)]
		if !ok {
			// Without an answer the part did not run: send it alone.
			if err := r.pages(ctx, i, req, nil, out); err != nil {
				return err
			}
			continue
		}
		a := ans.Responses[j]
		h := http.Header{}
		for name, v := range a.Headers {
			h.Set(name, v)
		}
		if a.Status >= 200 && a.Status < 300 {
			if err := r.pages(ctx, i, req, &adminclient.Response{Header: h, Body: a.Body}, out); err != nil {
				return err
			}
			continue
		}
		se := adminclient.ParseError(a.Status, h, a.Body)
		if se.Retryable(req.replayable) {
			if err := r.pages(ctx, i, req, nil, out); err != nil {
				return err
			}
			continue
		}
		if err := out(Event{Input: i, Err: se}); err != nil {
			return err
		}
	}
	return nil
}

// failAll reports err for every input of a batch, or the input's own
// failure when it had one before the batch was sent.
func (r *runner) failAll(lo int, failed []error, err error, out func(Event) error) error {
	for k, own := range failed {
		e := err
		if own != nil {
			e = own
		}
		if e := out(Event{Input: lo + k, Err: e}); e != nil {
			return e
		}
	}
	return nil
}
