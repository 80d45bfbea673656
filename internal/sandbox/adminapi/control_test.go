package adminapi

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestControlEndpoint(t *testing.T) {
	e := newEnv(t, 1)
	post := `{"seed":7,"throttle":{"budget":100,"window":"1m","maxConcurrent":4},"cmdletTimeout":"2m",` +
		`"faults":[{"kind":"status","status":503,"count":1,"routes":["InvokeCommand"]},` +
		`{"kind":"latency","probability":0.25,"latency":{"distribution":"exponential","mean":"5ms","max":"20ms"}}]}`
	cases := []struct {
		name, method, token, body string
		hdr                       map[string]string
		status                    int
	}{
		{"no secret", "GET", "", "", nil, 403},
		{"wrong secret", "GET", "nope", "", nil, 403},
		{"browser request", "GET", testControlAuth, "", map[string]string{"Origin": "https://evil.example"}, 403},
		{"read", "GET", testControlAuth, "", nil, 200},
		{"invalid settings", "POST", testControlAuth, `{"faults":[{"kind":"explode"}]}`, nil, 400},
		{"not JSON", "POST", testControlAuth, `{`, nil, 400},
		{"wrong method", "DELETE", testControlAuth, "", nil, 405},
		{"apply", "POST", testControlAuth, post, nil, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.do(t, tc.method, controlPath, tc.token, []byte(tc.body), tc.hdr)
			wantStatus(t, resp, body, tc.status)
		})
	}
	st := e.srv.Settings()
	if st.Seed != 7 || st.Throttle.Budget != 100 || st.Throttle.MaxConcurrent != 4 || len(st.Faults) != 2 {
		t.Fatalf("settings not applied: %+v", st)
	}
	resp, body := e.invoke(t, tokAdmin, "Get-Mailbox", nil, nil)
	wantStatus(t, resp, body, http.StatusServiceUnavailable)
	resp, body = e.invoke(t, tokAdmin, "Get-Mailbox", nil, nil)
	wantStatus(t, resp, body, http.StatusOK)
	if resp.Header.Get("Rate-Limit-Limit") != "100" {
		t.Errorf("new budget not reported: %s", resp.Header.Get("Rate-Limit-Limit"))
	}
	// GET shows what is left: the used-up status fault is gone.
	_, body = e.do(t, http.MethodGet, controlPath, testControlAuth, nil, nil)
	var got Settings
	if err := json.Unmarshal(body, &got); err != nil || len(got.Faults) != 1 || got.Faults[0].Kind != FaultLatency {
		t.Errorf("GET after use: %s (%v)", body, err)
	}

	disabled := newEnv(t, 1, func(c *Config) { c.ControlSecret = "" })
	resp, body = disabled.do(t, http.MethodGet, controlPath, "x", nil, nil)
	wantStatus(t, resp, body, http.StatusNotFound)
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{"127.0.0.1:5": true, "[::1]:9": true, "10.0.0.1:5": false, "junk": false} {
		if isLoopback(addr) != want {
			t.Errorf("isLoopback(%q) != %v", addr, want)
		}
	}
}

func TestCaptureEndpoint(t *testing.T) {
	e := newEnv(t, 1)
	e.invoke(t, tokAdmin, "Get-Mailbox", map[string]any{"Identity": "before"}, nil)
	if err := e.srv.SetSettings(Settings{CaptureRequests: 2}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"first", "second", "third"} {
		// The handler still reads the whole body after the capture: it
		// names the identity it could not find.
		resp, body := e.invoke(t, tokAdmin, "Get-Mailbox", map[string]any{"Identity": id}, nil)
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "'"+id+"'") {
			t.Fatalf("Get-Mailbox %s: %d %s", id, resp.StatusCode, body)
		}
	}

	for _, tc := range []struct {
		name, method, token string
		status              int
	}{
		{"no secret", "GET", "", 403},
		{"wrong method", "POST", testControlAuth, 405},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.do(t, tc.method, capturePath, tc.token, nil, nil)
			wantStatus(t, resp, body, tc.status)
		})
	}

	resp, body := e.do(t, http.MethodGet, capturePath, testControlAuth, nil, nil)
	wantStatus(t, resp, body, http.StatusOK)
	var got []CapturedRequest
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	if len(got) != 2 {
		t.Fatalf("kept %d requests, want the newest 2: %s", len(got), body)
	}
	for i, want := range []string{"second", "third"} {
		r := got[i]
		if r.Method != http.MethodPost || !strings.Contains(r.URL, "InvokeCommand") || !strings.Contains(r.Body, `"`+want+`"`) {
			t.Errorf("request %d = %+v, want the %s Get-Mailbox", i, r, want)
		}
		if auth := r.Header.Get("Authorization"); strings.Contains(auth, tokAdmin) || !strings.HasPrefix(auth, "Bearer") {
			t.Errorf("Authorization captured as %q, want the scheme without the token", auth)
		}
	}

	resp, body = e.do(t, http.MethodDelete, capturePath, testControlAuth, nil, nil)
	wantStatus(t, resp, body, http.StatusNoContent)
	if n := len(e.srv.CapturedRequests()); n != 0 {
		t.Errorf("%d requests left after DELETE", n)
	}
	if err := e.srv.SetSettings(Settings{CaptureRequests: maxCaptureRequests + 1}); err == nil {
		t.Error("a capture larger than the bound was accepted")
	}
}
