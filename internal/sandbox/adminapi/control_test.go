package adminapi

import (
	"encoding/json"
	"net/http"
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
