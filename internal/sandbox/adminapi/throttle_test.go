package adminapi

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRequestBudget(t *testing.T) {
	e := newEnv(t, 1, func(c *Config) { c.Settings.Throttle = ThrottleSettings{Budget: 2, Window: Duration(time.Hour)} })
	for i, want := range []string{"1", "0"} {
		resp, body := e.invoke(t, tokAdmin, "Get-Mailbox", nil, nil)
		wantStatus(t, resp, body, http.StatusOK)
		if got := resp.Header.Get("Rate-Limit-Remaining"); got != want {
			t.Errorf("request %d: Rate-Limit-Remaining %q, want %q", i, got, want)
		}
	}
	resp, body := e.invoke(t, tokAdmin, "Get-Mailbox", nil, nil)
	wantStatus(t, resp, body, http.StatusTooManyRequests)
	if got := resp.Header.Get("Retry-After"); got != "1800" {
		t.Errorf("Retry-After %q, want 1800 (one token per half hour)", got)
	}
	if got := resp.Header.Get("Rate-Limit-Limit"); got != "2" {
		t.Errorf("Rate-Limit-Limit %q", got)
	}
	if got := resp.Header.Get("Rate-Limit-Reset"); got != "2025-03-04T06:06:07.0000000Z" {
		t.Errorf("Rate-Limit-Reset %q", got)
	}
	env := decodeEnvelope(t, body)
	if env.Error.Code != "TooManyRequests" || !strings.Contains(env.Error.Details[0].Message, "ThrottlingException") {
		t.Errorf("429 body %s", body)
	}
	// Another tenant has its own budget.
	resp, body = e.do(t, http.MethodPost, invokeURL(otherTenant), tokOtherTenant, cmdletBody("Get-Mailbox", nil), nil)
	wantStatus(t, resp, body, http.StatusOK)
	// Budget refills with time.
	e.clock.Advance(30 * time.Minute)
	resp, body = e.invoke(t, tokAdmin, "Get-Mailbox", nil, nil)
	wantStatus(t, resp, body, http.StatusOK)
}

func TestConcurrencyLimit(t *testing.T) {
	e := newEnv(t, 1, func(c *Config) { c.Settings.Throttle.MaxConcurrent = 1 })
	var wg sync.WaitGroup
	wg.Add(1)
	var slowStatus int
	go func() {
		defer wg.Done()
		req, _ := http.NewRequest(http.MethodPost, e.url(invokeURL(testTenant)), bytes.NewReader(cmdletBody("Get-Slow", nil)))
		req.Header.Set("Authorization", "Bearer "+tokAdmin)
		if resp, err := e.client.Do(req); err == nil {
			slowStatus = resp.StatusCode
			resp.Body.Close()
		}
	}()
	<-e.backend.inSlow
	resp, body := e.invoke(t, tokAdmin, "Get-Mailbox", nil, nil)
	wantStatus(t, resp, body, http.StatusInternalServerError)
	if string(body) != concurrencyMessage || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Errorf("concurrency answer %q (%s)", body, resp.Header.Get("Content-Type"))
	}
	// Non-cmdlet endpoints are not limited.
	resp, body = e.do(t, http.MethodGet, "/adminapi/beta/"+testTenant+"/BasicInfo('AdminApiState')", tokAdmin, nil, nil)
	wantStatus(t, resp, body, http.StatusOK)
	close(e.backend.release)
	wg.Wait()
	if slowStatus != http.StatusOK {
		t.Errorf("slow call status %d", slowStatus)
	}
	resp, body = e.invoke(t, tokAdmin, "Get-Mailbox", nil, nil)
	wantStatus(t, resp, body, http.StatusOK)
}

func TestCmdletTimeout(t *testing.T) {
	e := newEnv(t, 1, func(c *Config) {
		c.Settings.CmdletTimeout = Duration(50 * time.Millisecond)
		c.Settings.CmdletTimeouts = map[string]Duration{"Get-Typed": Duration(time.Hour)}
	})
	resp, body := e.invoke(t, tokAdmin, "Get-Slow", nil, nil)
	wantStatus(t, resp, body, http.StatusGatewayTimeout)
	if msg := detailMessage(t, body); !strings.Contains(msg, "|System.TimeoutException|The cmdlet 'Get-Slow' didn't finish within 50ms") {
		t.Errorf("timeout message %q", msg)
	}
	st := e.srv.Settings()
	if st.cmdletTimeout("get-typed") != time.Hour || st.cmdletTimeout("Get-Mailbox") != 50*time.Millisecond {
		t.Errorf("per-cmdlet timeouts not applied: %v", st.CmdletTimeouts)
	}
	if got := DefaultSettings().cmdletTimeout("Get-Mailbox"); got != 15*time.Minute {
		t.Errorf("default cmdlet timeout %v", got)
	}
	if got := timeoutText(15 * time.Minute); got != "15 minutes" {
		t.Errorf("timeoutText %q", got)
	}
}
