package adminapi

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
)

const (
	testTenant      = "7c6b4a2e-1111-4222-8333-944455556666"
	testDomain      = "contoso.onmicrosoft.com"
	otherTenant     = "9d0e0f10-2222-4333-8444-a55566667777"
	testAudience    = "https://outlook.office365.com"
	tokAdmin        = "tok-admin"
	tokReader       = "tok-reader"
	tokOtherTenant  = "tok-other"
	tokExpired      = "tok-expired"
	tokWrongAud     = "tok-aud"
	tokRevoked      = "tok-cae"
	testControlAuth = "control-secret"
)

// testKeys are generated once: RSA key generation is slow under -race.
var testKeys = sync.OnceValue(func() []*rsa.PrivateKey {
	var keys []*rsa.PrivateKey
	for range 2 {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		keys = append(keys, k)
	}
	return keys
})

// fakeVerifier knows a fixed set of tokens.
type fakeVerifier struct{}

func (fakeVerifier) Verify(_ context.Context, token, audience string) (Caller, error) {
	if audience != testAudience && audience != "https://ps.compliance.protection.outlook.com" {
		return Caller{}, fmt.Errorf("verifier asked for %q: %w", audience, ErrWrongAudience)
	}
	switch token {
	case tokAdmin:
		return Caller{TenantID: testTenant, ObjectID: "oid-admin", UPN: "admin@" + testDomain, Roles: []string{"Organization Management"}, Audience: audience}, nil
	case tokReader:
		return Caller{TenantID: testTenant, ObjectID: "oid-reader", UPN: "reader@" + testDomain, Roles: []string{"View-Only Organization Management"}, Audience: audience}, nil
	case tokOtherTenant:
		return Caller{TenantID: otherTenant, ObjectID: "oid-x", Audience: audience}, nil
	case tokExpired:
		return Caller{}, fmt.Errorf("exp in the past: %w", ErrTokenExpired)
	case tokWrongAud:
		return Caller{}, ErrWrongAudience
	case tokRevoked:
		return Caller{}, &ClaimsChallengeError{Claims: `{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}`, Reason: "session revoked"}
	}
	return Caller{}, ErrTokenInvalid
}

// fakeBackend is a tiny tenant with mailboxes and a handful of cmdlets.
type fakeBackend struct {
	mailboxes int
	release   chan struct{} // Get-Slow waits on it (or its context)
	inSlow    chan struct{} // Get-Slow signals it started

	mu      sync.Mutex
	calls   []CmdletCall
	queries []EntityQuery
}

func newFakeBackend(mailboxes int) *fakeBackend {
	return &fakeBackend{mailboxes: mailboxes, release: make(chan struct{}), inSlow: make(chan struct{}, 16)}
}

func (b *fakeBackend) lastCall() CmdletCall {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.calls) == 0 {
		return CmdletCall{}
	}
	return b.calls[len(b.calls)-1]
}

func (b *fakeBackend) lastQuery() EntityQuery {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.queries) == 0 {
		return EntityQuery{}
	}
	return b.queries[len(b.queries)-1]
}

// Query serves every route: keyed reads give specRecord (or typedRecord
// for Mailbox('typed')), collections page the mailboxes; the keys "ghost",
// "slow", "warn" and "bad" give a 404, a wait on release, warnings and a
// $select refusal.
func (b *fakeBackend) Query(ctx context.Context, c Caller, q EntityQuery, page Page) (Result, error) {
	b.mu.Lock()
	b.queries = append(b.queries, q)
	b.mu.Unlock()
	switch q.Key {
	case "ghost":
		return Result{}, &CmdletError{Class: ClassObjectNotFound, StringID: "Ex6F9304",
			Message: "The operation couldn't be performed because object 'ghost' couldn't be found on 'SBXDC001.SANDBOX.PROD.OUTLOOK.COM'."}
	case "slow":
		b.inSlow <- struct{}{}
		select {
		case <-b.release:
		case <-ctx.Done():
			return Result{}, ctx.Err()
		}
	case "warn":
		return Result{Records: []Record{specRecord()}, Warnings: []string{"first warning", "second warning"}}, nil
	case "bad":
		return Result{}, &CmdletError{Class: ClassRestClient, Status: http.StatusBadRequest,
			Message: "Could not find a property named 'Bogus' on type 'Exchange.Mailbox'."}
	case "typed":
		return Result{Records: []Record{typedRecord()}}, nil
	}
	if q.Single {
		return Result{Records: []Record{specRecord()}}, nil
	}
	start := 0
	if page.Cursor != "" {
		start, _ = strconv.Atoi(page.Cursor)
	}
	end := min(b.mailboxes, start+page.MaxPageSize)
	res := Result{}
	for i := start; i < end; i++ {
		res.Records = append(res.Records, mailboxRecord(i))
	}
	if end < b.mailboxes {
		res.NextCursor = strconv.Itoa(end)
	}
	return res, nil
}

func (b *fakeBackend) ResolveTenant(_ context.Context, ref string) (string, error) {
	switch strings.ToLower(ref) {
	case testTenant, testDomain:
		return testTenant, nil
	case otherTenant, "fabrikam.onmicrosoft.com":
		return otherTenant, nil
	}
	return "", ErrTenantNotFound
}

func (b *fakeBackend) Catalog(_ context.Context, c Caller) ([]CmdletInfo, error) {
	identity := ParameterInfo{Name: "Identity", Sets: []ParameterSetInfo{{Mandatory: true, Position: 1, ValueFromPipelineByPropertyName: true}}}
	cat := []CmdletInfo{
		{Name: "Get-Mailbox", DefaultParameterSet: "Identity", Parameters: []ParameterInfo{
			{Name: "Identity", Sets: []ParameterSetInfo{{Name: "Identity", Position: 1, ValueFromPipeline: true, ValueFromPipelineByPropertyName: true}}},
			{Name: "Anr", Kind: KindString, Sets: []ParameterSetInfo{{Name: "AnrSet"}}},
			{Name: "Archive", Kind: KindSwitch},
			{Name: "Filter", Kind: KindString},
			{Name: "RecipientTypeDetails", Kind: KindStringArray, ValidValues: []string{"UserMailbox", "SharedMailbox", "RoomMailbox"}},
			{Name: "ResultSize", Kind: KindUnlimited},
		}},
		{Name: "Set-Mailbox", SupportsShouldProcess: true, Parameters: []ParameterInfo{
			identity,
			{Name: "DisplayName", Kind: KindString, NotNullOrEmpty: true},
			{Name: "EmailAddresses", Kind: KindMultiValued},
			{Name: "ExchangeGuid", Kind: KindGuid},
			{Name: "IssueWarningQuotaMB", Kind: KindInt, Range: &IntRange{Min: 1, Max: 100}},
			{Name: "LitigationHoldEnabled", Kind: KindBool},
			{Name: "Password", Kind: KindSecureString},
			{Name: "StartDateForRetentionHold", Kind: KindDateTime},
			{Name: "Type", Kind: KindString, ValidValues: []string{"Regular", "Room", "Equipment", "Shared"}},
		}},
		{Name: "Set-UserPhoto", SupportsShouldProcess: true, ConfirmImpact: ConfirmHigh, Parameters: []ParameterInfo{
			identity,
			{Name: "PictureData", Kind: KindBytes},
			{Name: "Certificates", Kind: KindBytesArray},
			{Name: "Settings", Kind: KindHashtable},
			{Name: "Rules", Kind: KindHashtableArray},
			{Name: "Extra", Kind: KindAny},
		}},
		{Name: "New-MoveRequest", Parameters: []ParameterInfo{
			identity,
			{Name: "RemoteCredential", Kind: KindCredential},
		}},
		{Name: "Test-Sets", DefaultParameterSet: "A", Parameters: []ParameterInfo{
			{Name: "AOnly", Kind: KindString, Sets: []ParameterSetInfo{{Name: "A", Mandatory: true}}},
			{Name: "BOnly", Kind: KindString, Sets: []ParameterSetInfo{{Name: "B", Mandatory: true}}},
			{Name: "Both", Kind: KindString},
		}},
		{Name: "Get-Slow"}, {Name: "Get-Panic"}, {Name: "Get-Typed"}, {Name: "Get-Unencodable"},
		{Name: "Get-Fails", Parameters: []ParameterInfo{identity}},
	}
	if slices.Contains(c.Roles, "Organization Management") {
		cat = append(cat, CmdletInfo{Name: "Remove-Mailbox", SupportsShouldProcess: true, ConfirmImpact: ConfirmHigh,
			Parameters: []ParameterInfo{identity}})
	}
	return cat, nil
}

// specRecord is the record of the JSON example in wire-protocol.md §2.4.
func specRecord() Record {
	return Record{
		TypeNames: []string{"Microsoft.Exchange.Data.Directory.Management.Mailbox"},
		Properties: []Property{
			{"DisplayName", "Alex"},
			{"RecipientTypeDetails", "UserMailbox"},
			{"EmailAddresses", []string{"SMTP:alex@contoso.com", "smtp:alex@contoso.onmicrosoft.com"}},
			{"ExchangeGuid", uuid.MustParse("2be92a50-0000-0000-0000-000000000000")},
			{"WhenCreated", time.Date(2022, 6, 29, 17, 57, 3, 0, time.UTC)},
			{"ProhibitSendQuota", ByteQuantifiedSize(106300440576)},
			{"RetainDeletedItemsFor", time.Duration(0)},
			{"ForwardingAddress", nil},
		},
	}
}

func mailboxRecord(i int) Record {
	if i == 0 {
		return specRecord()
	}
	return Record{Properties: []Property{
		{"DisplayName", "User " + strconv.Itoa(i)},
		{"PrimarySmtpAddress", fmt.Sprintf("user%d@contoso.com", i)},
	}}
}

func (b *fakeBackend) Invoke(ctx context.Context, c Caller, call CmdletCall, page Page) (Result, error) {
	b.mu.Lock()
	b.calls = append(b.calls, call)
	b.mu.Unlock()
	switch call.Name {
	case "Get-Mailbox":
		if id, ok := call.Params["Identity"]; ok {
			return Result{}, &CmdletError{Class: ClassObjectNotFound, StringID: "Ex6F9304",
				Message: fmt.Sprintf("The operation couldn't be performed because object '%v' couldn't be found on 'SBXDC001.SANDBOX.PROD.OUTLOOK.COM'.", id)}
		}
		total := b.mailboxes
		var warnings []string
		if rs, ok := call.Params["ResultSize"].(Unlimited); ok && !rs.IsUnlimited && int(rs.Value) < total {
			total = int(rs.Value)
			warnings = append(warnings, "There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter.")
		}
		start := 0
		if page.Cursor != "" {
			start, _ = strconv.Atoi(page.Cursor)
		}
		end := min(total, start+page.MaxPageSize)
		res := Result{Warnings: warnings}
		for i := start; i < end; i++ {
			res.Records = append(res.Records, mailboxRecord(i))
		}
		if end < total {
			res.NextCursor = strconv.Itoa(end)
		}
		return res, nil
	case "Remove-Mailbox":
		if call.WhatIf {
			return Result{ConfirmationMessage: fmt.Sprintf("Removing mailbox Identity:\"%v\".", call.Params["Identity"])}, nil
		}
		return Result{}, nil
	case "Get-Slow":
		b.inSlow <- struct{}{}
		select {
		case <-b.release:
			return Result{}, nil
		case <-ctx.Done():
			return Result{}, ctx.Err()
		}
	case "Get-Panic":
		panic("backend bug")
	case "Get-Fails":
		return Result{Errors: []*CmdletError{{Class: ClassTaskException, StringID: "Ex1", Message: "partial"}}}, &CmdletError{
			Class: "Microsoft.Exchange.Data.StorageTransientException", Message: "The mailbox database is temporarily unavailable.", Target: fmt.Sprint(call.Params["Identity"]), TargetType: "Mailbox"}
	case "Get-Typed":
		return Result{Records: []Record{typedRecord()}}, nil
	case "Get-Unencodable":
		return Result{Records: []Record{{Properties: []Property{{"Bad", make(chan int)}}}}}, nil
	}
	return Result{}, nil
}

func typedRecord() Record {
	return Record{TypeNames: []string{"Sandbox.Typed"}, Properties: []Property{
		{"Str", "a_x0041_<b>&\r\n"},
		{"Flag", true},
		{"Count", 42},
		{"Small", int16(7)},
		{"Big", int64(1) << 40},
		{"Ratio", 0.5},
		{"When", time.Date(2024, 1, 2, 3, 4, 5, 600, time.UTC)},
		{"Id", uuid.MustParse("11111111-2222-3333-4444-555555555555")},
		{"Span", 36*time.Hour + 90*time.Second},
		{"Size", ByteQuantifiedSize(1536)},
		{"Raw", []byte{1, 2, 255}},
		{"Table", map[string]any{"b": int64(2), "a": "x"}},
		{"Nums", []int{1, 2}},
		{"Ids", []uuid.UUID{uuid.MustParse("11111111-2222-3333-4444-555555555555")}},
		{"Tables", []map[string]any{{"k": "v"}}},
		{"Nothing", nil},
	}}
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type env struct {
	srv     *Server
	ts      *httptest.Server
	backend *fakeBackend
	clock   *fakeClock
	client  *http.Client
}

// newEnv starts a TLS test server; opts adjust the Config.
func newEnv(t *testing.T, mailboxes int, opts ...func(*Config)) *env {
	t.Helper()
	b := newFakeBackend(mailboxes)
	clock := &fakeClock{now: time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)}
	cfg := Config{
		Verifier:      fakeVerifier{},
		Backend:       b,
		Now:           clock.Now,
		Audience:      testAudience,
		SecretKeys:    testKeys(),
		LinkKey:       []byte("test link key"),
		ControlSecret: testControlAuth,
	}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewTLSServer(srv)
	t.Cleanup(ts.Close)
	client := ts.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &env{srv: srv, ts: ts, backend: b, clock: clock, client: client}
}

func (e *env) url(path string) string { return e.ts.URL + path }

func invokeURL(tenant string) string { return "/adminapi/beta/" + tenant + "/InvokeCommand" }

func cmdletBody(name string, params map[string]any) []byte {
	if params == nil {
		params = map[string]any{}
	}
	b, _ := json.Marshal(map[string]any{"CmdletInput": map[string]any{"CmdletName": name, "Parameters": params}})
	return b
}

// do sends a request and returns the response with its (decompressed) body.
func (e *env) do(t *testing.T, method, target, token string, body []byte, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	if !strings.HasPrefix(target, "https://") {
		target = e.url(target)
	}
	req, err := http.NewRequest(method, target, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return resp, data
}

func (e *env) invoke(t *testing.T, token, name string, params map[string]any, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	return e.do(t, http.MethodPost, invokeURL(testTenant), token, cmdletBody(name, params), hdr)
}

// page is the decoded InvokeCommand answer.
type page struct {
	Context      string           `json:"@odata.context"`
	Warnings     []string         `json:"@adminapi.warnings"`
	Errors       []string         `json:"@adminapi.errors"`
	Confirmation string           `json:"@adminapi.confirmationmessage"`
	Value        []map[string]any `json:"value"`
	NextLink     string           `json:"@odata.nextLink"`
}

func decodePage(t *testing.T, body []byte) page {
	t.Helper()
	var p page
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("decode page: %v\n%s", err, body)
	}
	return p
}

func decodeEnvelope(t *testing.T, body []byte) envelope {
	t.Helper()
	var e envelope
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("decode envelope: %v\n%s", err, body)
	}
	return e
}

func detailMessage(t *testing.T, body []byte) string {
	t.Helper()
	e := decodeEnvelope(t, body)
	if len(e.Error.Details) == 0 {
		t.Fatalf("no details in %s", body)
	}
	return e.Error.Details[0].Message
}

// encrypt protects a secret as the module's Encrypt-Value does.
func encrypt(t *testing.T, pub *rsa.PublicKey, plain string) string {
	t.Helper()
	//lint:ignore SA1019 the module encrypts with PKCS #1 v1.5; tests must too.
	ct, err := rsa.EncryptPKCS1v15(rand.Reader, pub, []byte(plain))
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(ct)
}

func wantStatus(t *testing.T, resp *http.Response, body []byte, status int) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status %d, want %d; body: %s", resp.StatusCode, status, body)
	}
}
