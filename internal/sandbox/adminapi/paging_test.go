package adminapi

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

// collect pages through a cmdlet by re-POSTing the same body to each
// nextLink, as the module does, and returns the page sizes.
func (e *env) collect(t *testing.T, body []byte, prefer string) ([]int, []string) {
	t.Helper()
	var sizes []int
	var names []string
	target := e.url(invokeURL(testTenant))
	for range 20 {
		hdr := map[string]string{}
		if prefer != "" {
			hdr["Prefer"] = prefer
		}
		resp, data := e.do(t, http.MethodPost, target, tokAdmin, body, hdr)
		wantStatus(t, resp, data, http.StatusOK)
		p := decodePage(t, data)
		sizes = append(sizes, len(p.Value))
		for _, v := range p.Value {
			names = append(names, v["DisplayName"].(string))
		}
		if p.NextLink == "" {
			return sizes, names
		}
		if !strings.HasPrefix(p.NextLink, e.url(invokeURL(testTenant)+"?$skiptoken=")) {
			t.Fatalf("nextLink %q is not an absolute InvokeCommand URL", p.NextLink)
		}
		target = p.NextLink
	}
	t.Fatal("too many pages")
	return nil, nil
}

func TestPagingBoundaries(t *testing.T) {
	cases := []struct {
		name      string
		mailboxes int
		prefer    string
		want      []int
	}{
		{"no results", 0, "odata.maxpagesize=5", []int{0}},
		{"exactly one page", 5, "odata.maxpagesize=5", []int{5}},
		{"page size multiple", 10, "odata.maxpagesize=5", []int{5, 5}},
		{"remainder", 11, "odata.maxpagesize=5", []int{5, 5, 1}},
		{"single item pages", 3, "odata.maxpagesize=1", []int{1, 1, 1}},
		{"maxpagesize absent", 1500, "", []int{1000, 500}},
		{"maxpagesize over the cap", 1500, "odata.maxpagesize=5000", []int{1000, 500}},
		{"unusable maxpagesize", 1001, "odata.maxpagesize=zero", []int{1000, 1}},
		{"batch-part form", 4, "odata.maxpagesize=3;odata.continue-on-error", []int{3, 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.mailboxes)
			sizes, names := e.collect(t, cmdletBody("Get-Mailbox", map[string]any{"ResultSize": "Unlimited"}), tc.prefer)
			if !reflect.DeepEqual(sizes, tc.want) {
				t.Errorf("page sizes %v, want %v", sizes, tc.want)
			}
			if len(names) != tc.mailboxes {
				t.Errorf("got %d records, want %d", len(names), tc.mailboxes)
			}
			seen := map[string]bool{}
			for _, n := range names {
				if seen[n] {
					t.Errorf("record %s returned twice", n)
				}
				seen[n] = true
			}
			if calls := e.backend.lastCall(); tc.mailboxes > 0 && calls.Name != "Get-Mailbox" {
				t.Errorf("last call %q", calls.Name)
			}
		})
	}
}

func TestNextLinkValidation(t *testing.T) {
	e := newEnv(t, 10)
	body := cmdletBody("Get-Mailbox", map[string]any{"ResultSize": "Unlimited", "Filter": "Name -like 'a*'"})
	hdr := map[string]string{"Prefer": "odata.maxpagesize=2"}
	resp, data := e.do(t, http.MethodPost, invokeURL(testTenant)+"?$select=DisplayName", tokAdmin, body, hdr)
	wantStatus(t, resp, data, http.StatusOK)
	next := decodePage(t, data).NextLink
	u, err := url.Parse(next)
	if err != nil || u.Query().Get("$select") != "DisplayName" {
		t.Fatalf("nextLink %q does not keep $select", next)
	}
	token := u.Query().Get(skipTokenParam)
	tampered := func(tok string) string {
		q := u.Query()
		q.Set(skipTokenParam, tok)
		v := *u
		v.RawQuery = q.Encode()
		return v.String()
	}
	flip := []byte(token)
	flip[3] ^= 1

	cases := []struct {
		name   string
		link   string
		token  string
		body   []byte
		status int
		msg    string
	}{
		{"same body resumes", next, tokAdmin, body, 200, ""},
		{"key order does not matter", next, tokAdmin, []byte(`{"CmdletInput":{"Parameters":{"Filter":"Name -like 'a*'","ResultSize":"Unlimited"},"CmdletName":"Get-Mailbox"}}`), 200, ""},
		{"tampered token", tampered(string(flip)), tokAdmin, body, 400, "The paging link is not valid."},
		{"garbage token", tampered("abc"), tokAdmin, body, 400, "The paging link is not valid."},
		{"other parameters", next, tokAdmin, cmdletBody("Get-Mailbox", map[string]any{"ResultSize": 5}), 400, "belongs to a different request"},
		{"other cmdlet", next, tokAdmin, cmdletBody("Get-Typed", nil), 400, "belongs to a different request"},
		{"other caller", next, tokReader, body, 400, "belongs to a different request"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, data := e.do(t, http.MethodPost, tc.link, tc.token, tc.body, hdr)
			wantStatus(t, resp, data, tc.status)
			if tc.status == 200 {
				p := decodePage(t, data)
				if len(p.Value) != 2 || p.Value[0]["DisplayName"] != "User 2" || len(p.Value[0]) != 1 {
					t.Errorf("resumed page: %v", p.Value)
				}
				return
			}
			if got := decodeEnvelope(t, data).Error.Message; !strings.Contains(got, tc.msg) {
				t.Errorf("message %q, want %q", got, tc.msg)
			}
		})
	}
	t.Run("expired", func(t *testing.T) {
		e.clock.Advance(61 * time.Minute)
		resp, data := e.do(t, http.MethodPost, next, tokAdmin, body, hdr)
		wantStatus(t, resp, data, 400)
		if got := decodeEnvelope(t, data).Error.Message; got != "The paging link has expired." {
			t.Errorf("message %q", got)
		}
	})
}

func TestParsePrefer(t *testing.T) {
	cases := []struct {
		values []string
		size   int
		cont   bool
	}{
		{nil, DefaultPageSize, false},
		{[]string{"odata.maxpagesize=10"}, 10, false},
		{[]string{"odata.maxpagesize=10;odata.continue-on-error"}, 10, true},
		{[]string{"odata.continue-on-error", "odata.maxpagesize=\"7\""}, 7, true},
		{[]string{"return=minimal, odata.maxpagesize=0"}, DefaultPageSize, false},
		{[]string{"odata.maxpagesize=1001"}, MaxPageSize, false},
		{[]string{"odata.continue-on-error=false"}, DefaultPageSize, false},
	}
	for _, tc := range cases {
		h := http.Header{"Prefer": tc.values}
		p := parsePrefer(h)
		if p.pageSize(DefaultPageSize) != tc.size || p.continueOnError != tc.cont {
			t.Errorf("%q: size %d cont %v, want %d %v", tc.values, p.pageSize(DefaultPageSize), p.continueOnError, tc.size, tc.cont)
		}
	}
}
