package adminapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"
)

func TestStatusFaultForNextRequests(t *testing.T) {
	e := newEnv(t, 1, func(c *Config) {
		c.Settings.Faults = []Fault{{Kind: FaultStatus, Status: 503, Count: 2, Routes: []string{"invokecommand"}}}
	})
	// Other routes are not affected.
	resp, body := e.do(t, http.MethodGet, "/adminapi/beta/"+testTenant+"/BasicInfo('AdminApiState')", tokAdmin, nil, nil)
	wantStatus(t, resp, body, http.StatusOK)
	for i := range 2 {
		// The front end fails before it looks at the token.
		resp, body := e.invoke(t, "", "Get-Mailbox", nil, nil)
		wantStatus(t, resp, body, http.StatusServiceUnavailable)
		if decodeEnvelope(t, body).Error.Code != "ServiceUnavailable" || resp.Header.Get("request-id") == "" {
			t.Errorf("fault %d answer: %s", i, body)
		}
	}
	resp, body = e.invoke(t, tokAdmin, "Get-Mailbox", nil, nil)
	wantStatus(t, resp, body, http.StatusOK)
	if left := e.srv.Settings().Faults; len(left) != 0 {
		t.Errorf("used-up fault still listed: %+v", left)
	}
}

func TestProbabilisticFaultsAreReproducible(t *testing.T) {
	run := func(seed uint64) []int {
		e := newEnv(t, 1, func(c *Config) {
			c.Settings.Seed = seed
			c.Settings.Faults = []Fault{{Kind: FaultStatus, Status: 504, Probability: 0.5, Cmdlets: []string{"Get-Mailbox"}}}
		})
		var got []int
		for range 16 {
			resp, _ := e.invoke(t, tokAdmin, "Get-Mailbox", nil, map[string]string{"X-CmdletName": "Get-Mailbox"})
			got = append(got, resp.StatusCode)
		}
		// Requests for other cmdlets never match.
		resp, body := e.invoke(t, tokAdmin, "Get-Typed", nil, map[string]string{"X-CmdletName": "Get-Typed"})
		wantStatus(t, resp, body, http.StatusOK)
		return got
	}
	a, b := run(42), run(42)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("same seed, different faults:\n%v\n%v", a, b)
	}
	faults := 0
	for _, s := range a {
		if s == http.StatusGatewayTimeout {
			faults++
		}
	}
	if faults == 0 || faults == len(a) {
		t.Errorf("probability 0.5 gave %d faults in %d requests", faults, len(a))
	}
}

func TestResetFault(t *testing.T) {
	e := newEnv(t, 50, func(c *Config) { c.Settings.Faults = []Fault{{Kind: FaultReset, Count: 1}} })
	req, _ := http.NewRequest(http.MethodPost, e.url(invokeURL(testTenant)), bytes.NewReader(cmdletBody("Get-Mailbox", nil)))
	req.Header.Set("Authorization", "Bearer "+tokAdmin)
	req.Header.Set("Accept-Encoding", "identity")
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatalf("the status line and headers should arrive: %v", err)
	}
	if resp.StatusCode != http.StatusOK || resp.Header.Get("request-id") == "" {
		t.Errorf("status %d, headers %v", resp.StatusCode, resp.Header)
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err == nil {
		t.Fatalf("body read completed (%d bytes); want a reset mid-page", len(data))
	}
	if len(data) == 0 || int64(len(data)) >= resp.ContentLength {
		t.Errorf("read %d of %d bytes before the reset", len(data), resp.ContentLength)
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) && !isConnReset(err) {
		t.Errorf("reset surfaced as %v", err)
	}
	// The server did the work: the page was produced before the cut.
	if e.backend.lastCall().Name != "Get-Mailbox" {
		t.Errorf("backend not called")
	}
	resp2, body := e.invoke(t, tokAdmin, "Get-Mailbox", nil, nil)
	wantStatus(t, resp2, body, http.StatusOK)
}

func isConnReset(err error) bool {
	for ; err != nil; err = errors.Unwrap(err) {
		if err.Error() != "" && bytes.Contains([]byte(err.Error()), []byte("reset")) {
			return true
		}
	}
	return false
}

func TestLatencyFault(t *testing.T) {
	e := newEnv(t, 1, func(c *Config) {
		c.Settings.Faults = []Fault{{Kind: FaultLatency, Probability: 1, Latency: &Latency{Distribution: "fixed", Delay: Duration(80 * time.Millisecond)}}}
	})
	start := time.Now()
	resp, body := e.invoke(t, tokAdmin, "Get-Mailbox", nil, nil)
	wantStatus(t, resp, body, http.StatusOK)
	if took := time.Since(start); took < 80*time.Millisecond {
		t.Errorf("request took %v, want at least 80ms", took)
	}
}

// TestLatencyHoldsConcurrencySlot: injected latency is service time, so a
// request waiting on it counts against the tenant's concurrency limit.
func TestLatencyHoldsConcurrencySlot(t *testing.T) {
	e := newEnv(t, 1, func(c *Config) {
		c.Settings.Throttle.MaxConcurrent = 1
		c.Settings.Faults = []Fault{{Kind: FaultLatency, Probability: 1, Cmdlets: []string{"Get-Mailbox"},
			Latency: &Latency{Distribution: "fixed", Delay: Duration(300 * time.Millisecond)}}}
	})
	done := make(chan int)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, e.url(invokeURL(testTenant)), bytes.NewReader(cmdletBody("Get-Mailbox", nil)))
		req.Header.Set("Authorization", "Bearer "+tokAdmin)
		req.Header.Set("X-CmdletName", "Get-Mailbox")
		status := 0
		if resp, err := e.client.Do(req); err == nil {
			status = resp.StatusCode
			resp.Body.Close()
		}
		done <- status
	}()
	time.Sleep(100 * time.Millisecond) // the first request is in its latency
	resp, body := e.invoke(t, tokAdmin, "Get-Recipient", nil, nil)
	wantStatus(t, resp, body, http.StatusInternalServerError)
	if string(body) != concurrencyMessage {
		t.Errorf("second request answered %q, want the concurrency refusal", body)
	}
	if status := <-done; status != http.StatusOK {
		t.Errorf("delayed request status %d", status)
	}
}

func TestLatencyDistributions(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	uni := &Latency{Distribution: "uniform", Min: Duration(10 * time.Millisecond), Max: Duration(20 * time.Millisecond)}
	exp := &Latency{Distribution: "exponential", Mean: Duration(10 * time.Millisecond), Max: Duration(25 * time.Millisecond)}
	var sum time.Duration
	for range 2000 {
		if d := uni.draw(rng); d < 10*time.Millisecond || d > 20*time.Millisecond {
			t.Fatalf("uniform draw %v out of range", d)
		}
		d := exp.draw(rng)
		if d < 0 || d > 25*time.Millisecond {
			t.Fatalf("exponential draw %v out of range", d)
		}
		sum += d
	}
	if mean := sum / 2000; mean < 7*time.Millisecond || mean > 10*time.Millisecond {
		t.Errorf("capped exponential mean %v", mean)
	}
	if d := (&Latency{Distribution: "fixed", Delay: Duration(time.Second)}).draw(rng); d != time.Second {
		t.Errorf("fixed draw %v", d)
	}
}

func TestSettingsValidation(t *testing.T) {
	for name, f := range map[string]Fault{
		"status out of range":   {Kind: FaultStatus, Status: 200, Count: 1},
		"unknown kind":          {Kind: "explode"},
		"latency without spec":  {Kind: FaultLatency},
		"bad distribution":      {Kind: FaultLatency, Latency: &Latency{Distribution: "pareto"}},
		"probability above 1":   {Kind: FaultReset, Probability: 2},
		"uniform max below min": {Kind: FaultLatency, Latency: &Latency{Distribution: "uniform", Min: 2, Max: 1}},
	} {
		if _, err := (Settings{Faults: []Fault{f}}).withDefaults(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := (Settings{Throttle: ThrottleSettings{Budget: -1}}).withDefaults(); err == nil {
		t.Errorf("negative budget accepted")
	}
	var d Duration
	if err := json.Unmarshal([]byte(`1.5`), &d); err != nil || time.Duration(d) != 1500*time.Millisecond {
		t.Errorf("number of seconds: %v %v", d, err)
	}
	if err := json.Unmarshal([]byte(`"soon"`), &d); err == nil {
		t.Errorf("bad duration accepted")
	}
}

func TestResetFaultOverHTTP2(t *testing.T) {
	b := newFakeBackend(50)
	srv, err := New(Config{Verifier: fakeVerifier{}, Backend: b, Audience: testAudience, SecretKeys: testKeys(),
		Settings: Settings{Faults: []Fault{{Kind: FaultReset, Count: 1}}}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(srv)
	ts.EnableHTTP2 = true
	ts.StartTLS()
	defer ts.Close()
	req, _ := http.NewRequest(http.MethodPost, ts.URL+invokeURL(testTenant), bytes.NewReader(cmdletBody("Get-Mailbox", nil)))
	req.Header.Set("Authorization", "Bearer "+tokAdmin)
	resp, err := ts.Client().Do(req)
	if err == nil {
		if resp.ProtoMajor != 2 {
			t.Fatalf("protocol %s, want HTTP/2", resp.Proto)
		}
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if err == nil {
		t.Fatalf("the HTTP/2 stream was not aborted")
	}
}
