package adminapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
)

type partSpec struct {
	method string
	url    string
	cmdlet string
	params map[string]any
	prefer string
}

func (e *env) batch(t *testing.T, outerPrefer string, parts ...partSpec) (*http.Response, []byte) {
	t.Helper()
	var reqs []any
	for i, p := range parts {
		var body any
		_ = json.Unmarshal(cmdletBody(p.cmdlet, p.params), &body)
		method, url, prefer := p.method, p.url, p.prefer
		if method == "" {
			method = "POST"
		}
		if url == "" {
			url = e.url(invokeURL(testTenant))
		}
		if prefer == "" {
			prefer = "odata.maxpagesize=1000;odata.continue-on-error"
		}
		reqs = append(reqs, map[string]any{"id": fmt.Sprint(i), "method": method, "url": url,
			"headers": map[string]any{"Prefer": prefer, "X-CmdletName": p.cmdlet}, "body": body})
	}
	raw, _ := json.Marshal(map[string]any{"requests": reqs})
	hdr := map[string]string{}
	if outerPrefer != "" {
		hdr["Prefer"] = outerPrefer
	}
	return e.do(t, http.MethodPost, "/adminapi/beta/"+testTenant+"/$batch", tokAdmin, raw, hdr)
}

type batchOut struct {
	Responses []struct {
		ID      string            `json:"id"`
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    json.RawMessage   `json:"body"`
	} `json:"responses"`
}

func decodeBatch(t *testing.T, body []byte) batchOut {
	t.Helper()
	var out batchOut
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("decode batch: %v\n%s", err, body)
	}
	return out
}

func TestBatchPartsFailIndependently(t *testing.T) {
	e := newEnv(t, 3)
	parts := []partSpec{
		{cmdlet: "Get-Mailbox"},
		{cmdlet: "Get-Mailbox", params: map[string]any{"Identity": "ghost"}},
		{cmdlet: "Get-Nothing"},
		{cmdlet: "Set-Mailbox", params: map[string]any{"Identity": "a", "Bogus": 1}},
		{cmdlet: "Get-Mailbox", method: "GET"},
		{cmdlet: "Get-Mailbox", url: e.url(invokeURL(otherTenant))},
		{cmdlet: "Get-Panic"},
		{cmdlet: "Get-Mailbox", url: invokeURL(testDomain)},
		{cmdlet: "Get-Mailbox", url: e.url("/adminapi/beta/" + testTenant + "/EXOBanner('AutogenSession')")},
		{cmdlet: "Set-Mailbox", params: map[string]any{"Identity": "a", "DisplayName": "ok", "Confirm": false}},
	}
	resp, body := e.batch(t, "odata.continue-on-error", parts...)
	wantStatus(t, resp, body, http.StatusOK)
	out := decodeBatch(t, body)
	want := []int{200, 404, 403, 400, 405, 403, 500, 200, 404, 200}
	if len(out.Responses) != len(want) {
		t.Fatalf("%d responses, want %d: %s", len(out.Responses), len(want), body)
	}
	for i, r := range out.Responses {
		if r.ID != fmt.Sprint(i) || r.Status != want[i] {
			t.Errorf("part %d: id %q status %d, want %d: %s", i, r.ID, r.Status, want[i], r.Body)
		}
		if r.Status >= 400 {
			var env envelope
			if err := json.Unmarshal(r.Body, &env); err != nil || env.Error.Code != statusCode(r.Status) {
				t.Errorf("part %d: error.code must name the status for the module: %s", i, r.Body)
			}
		}
	}
	if got := out.Responses[1].Headers["x-ExceptionType"]; got != "ManagementObjectNotFoundException" {
		t.Errorf("part 1 x-ExceptionType = %q", got)
	}
	if e.backend.lastCall().Params["DisplayName"] != "ok" {
		t.Errorf("the last part did not run after the failures")
	}
}

func TestBatchStopsAtFirstFailureWithoutContinueOnError(t *testing.T) {
	e := newEnv(t, 1)
	resp, body := e.batch(t, "", partSpec{cmdlet: "Get-Mailbox"}, partSpec{cmdlet: "Get-Nothing"}, partSpec{cmdlet: "Get-Mailbox"})
	wantStatus(t, resp, body, http.StatusOK)
	if out := decodeBatch(t, body); len(out.Responses) != 2 || out.Responses[1].Status != 403 {
		t.Errorf("responses: %s", body)
	}
}

func TestBatchRequestErrors(t *testing.T) {
	e := newEnv(t, 1)
	var eleven []partSpec
	for range 11 {
		eleven = append(eleven, partSpec{cmdlet: "Get-Mailbox"})
	}
	resp, body := e.batch(t, "odata.continue-on-error", eleven...)
	wantStatus(t, resp, body, http.StatusBadRequest)
	if msg := decodeEnvelope(t, body).Error.Message; msg != "The batch request contains 11 requests, more than the maximum of 10." {
		t.Errorf("message %q", msg)
	}
	var ten []partSpec
	for range 10 {
		ten = append(ten, partSpec{cmdlet: "Get-Mailbox"})
	}
	resp, body = e.batch(t, "odata.continue-on-error", ten...)
	wantStatus(t, resp, body, http.StatusOK)

	for name, raw := range map[string]string{
		"duplicate ids": `{"requests":[{"id":"1","method":"POST","url":"x","body":{}},{"id":"1","method":"POST","url":"x","body":{}}]}`,
		"missing id":    `{"requests":[{"method":"POST","url":"x","body":{}}]}`,
		"not JSON":      `{"requests":`,
	} {
		resp, body := e.do(t, http.MethodPost, "/adminapi/beta/"+testTenant+"/$batch", tokAdmin, []byte(raw), nil)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d: %s", name, resp.StatusCode, body)
		}
	}
}

func TestBatchPartPagingAndThrottling(t *testing.T) {
	e := newEnv(t, 5)
	resp, body := e.batch(t, "odata.continue-on-error", partSpec{cmdlet: "Get-Mailbox", prefer: "odata.maxpagesize=2;odata.continue-on-error"})
	wantStatus(t, resp, body, http.StatusOK)
	part := decodeBatch(t, body).Responses[0]
	p := decodePage(t, part.Body)
	if len(p.Value) != 2 || p.NextLink == "" {
		t.Fatalf("part page: %s", part.Body)
	}
	// The module pages a batch part by re-POSTing that part alone.
	resp, data := e.do(t, http.MethodPost, p.NextLink, tokAdmin, cmdletBody("Get-Mailbox", nil), map[string]string{"Prefer": "odata.maxpagesize=2"})
	wantStatus(t, resp, data, http.StatusOK)
	if q := decodePage(t, data); len(q.Value) != 2 || q.Value[0]["DisplayName"] != "User 2" {
		t.Errorf("second page of the part: %s", data)
	}

	small := newEnv(t, 1, func(c *Config) { c.Settings.Throttle = ThrottleSettings{Budget: 3, Window: Duration(3600e9)} })
	// The batch request itself costs one token, each part one more.
	resp, body = small.batch(t, "odata.continue-on-error", partSpec{cmdlet: "Get-Mailbox"}, partSpec{cmdlet: "Get-Mailbox"}, partSpec{cmdlet: "Get-Mailbox"})
	wantStatus(t, resp, body, http.StatusOK)
	out := decodeBatch(t, body)
	if out.Responses[0].Status != 200 || out.Responses[1].Status != 200 || out.Responses[2].Status != 429 {
		t.Fatalf("statuses: %s", body)
	}
	if out.Responses[2].Headers["Retry-After"] != "1200" {
		t.Errorf("part Retry-After = %q", out.Responses[2].Headers["Retry-After"])
	}
}
