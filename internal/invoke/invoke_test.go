package invoke

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/openexo/exo/internal/adminclient"
	"github.com/openexo/exo/internal/query"
)

// pagedMailboxes answers with total objects, pages as the client asks.
func pagedMailboxes(total int, warnings ...string) func(fakeCall) fakeAnswer {
	return func(c fakeCall) fakeAnswer {
		size := c.PageSize
		if size == 0 {
			size = 1000
		}
		var recs []string
		for i := c.Skip; i < min(total, c.Skip+size); i++ {
			recs = append(recs, obj("mbx"+strconv.Itoa(i)))
		}
		return fakeAnswer{Records: recs, More: c.Skip+len(recs) < total, Warnings: warnings}
	}
}

func TestPaging(t *testing.T) {
	tests := []struct {
		name       string
		total      int
		pageSize   int
		resultSize *Value
		wantPages  []int // the page sizes asked for
		wantCount  int
		wantWarn   bool
	}{
		{name: "no ResultSize: one page", total: 2500, pageSize: 1000, wantPages: []int{1000}, wantCount: 1000, wantWarn: true},
		{name: "no ResultSize, everything fits", total: 10, pageSize: 1000, wantPages: []int{1000}, wantCount: 10},
		{name: "ResultSize over several pages", total: 5000, pageSize: 1000, resultSize: &Value{Kind: KindInt, Int: 2500},
			wantPages: []int{1000, 1000, 500}, wantCount: 2500, wantWarn: true},
		{name: "ResultSize below the page size", total: 50, pageSize: 1000, resultSize: &Value{Kind: KindInt, Int: 20},
			wantPages: []int{20}, wantCount: 20, wantWarn: true},
		{name: "ResultSize exactly what there is", total: 20, pageSize: 1000, resultSize: &Value{Kind: KindInt, Int: 20},
			wantPages: []int{20}, wantCount: 20},
		{name: "Unlimited follows every link", total: 2300, pageSize: 1000, resultSize: &Value{Kind: KindString, Str: "Unlimited"},
			wantPages: []int{1000, 1000, 1000}, wantCount: 2300},
		{name: "connection page size", total: 250, pageSize: 100, resultSize: &Value{Kind: KindString, Str: "unlimited"},
			wantPages: []int{100, 100, 100}, wantCount: 250},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, pagedMailboxes(tt.total))
			target := f.target()
			target.PageSize = tt.pageSize
			params := Params{"Identity": str("*")}
			if tt.resultSize != nil {
				params["ResultSize"] = *tt.resultSize
			}
			events := collect(t, target, Call{Cmdlet: "Get-Mailbox", Params: params})
			var pages []int
			for _, c := range f.allCalls() {
				pages = append(pages, c.PageSize)
				if tt.resultSize != nil && c.Params["ResultSize"] == nil {
					t.Error("ResultSize was not sent")
				}
			}
			if !slices.Equal(pages, tt.wantPages) {
				t.Errorf("pages asked = %v, want %v", pages, tt.wantPages)
			}
			ids := identities(t, events)
			if len(ids) != tt.wantCount {
				t.Errorf("objects = %d, want %d", len(ids), tt.wantCount)
			}
			warnings := 0
			for i, ev := range events {
				if ev.Warning == PaginationWarning {
					warnings++
					if i != len(events)-1 {
						t.Error("the pagination warning came before the last page")
					}
				}
			}
			if want := map[bool]int{true: 1, false: 0}[tt.wantWarn]; warnings != want {
				t.Errorf("pagination warnings = %d, want %d", warnings, want)
			}
		})
	}
}

// TestWarningsPlacement: the service repeats its warnings, and the
// pagination warning, on every page; each is shown once, the pagination
// warning after the last page.
func TestWarningsPlacement(t *testing.T) {
	f := newFake(t, pagedMailboxes(30, "Mailbox x is on hold.", PaginationWarning))
	target := f.target()
	target.PageSize = 10
	events := collect(t, target, Call{Cmdlet: "Get-Mailbox", Params: Params{"ResultSize": str("Unlimited")}})
	var kinds []string
	for _, ev := range events {
		switch {
		case ev.Warning != "":
			kinds = append(kinds, "warn:"+ev.Warning)
		case ev.Records != nil:
			kinds = append(kinds, fmt.Sprintf("page:%d", len(ev.Records)))
		}
	}
	want := []string{"warn:Mailbox x is on hold.", "page:10", "page:10", "page:10", "warn:" + PaginationWarning}
	if !slices.Equal(kinds, want) {
		t.Errorf("events = %v\nwant %v", kinds, want)
	}
}

func TestHeaders(t *testing.T) {
	f := newFake(t, func(fakeCall) fakeAnswer { return fakeAnswer{} })
	collect(t, f.target(), Call{Cmdlet: "Get-MailboxPermission", WarningAction: "Ignore",
		Params: Params{"Identity": str("alex@contoso.com"), "UseCustomRouting": boolean(true)}})
	collect(t, f.target(), Call{Cmdlet: "Get-MailboxPermission", Params: Params{"Identity": str("alex@contoso.com")}})
	calls := f.allCalls()
	if len(calls) != 2 {
		t.Fatalf("calls = %d", len(calls))
	}
	custom, plain := calls[0].Header, calls[1].Header
	for name, want := range map[string]string{
		"X-AnchorMailbox": "SMTP:alex@contoso.com", "parameter-based-routing": "True", "WarningAction": "SilentlyContinue",
		"X-ResponseFormat": "json", "X-SerializationLevel": "Partial", "X-CmdletName": "Get-MailboxPermission",
	} {
		if got := custom.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if _, ok := calls[0].Params["UseCustomRouting"]; ok {
		t.Error("UseCustomRouting was sent")
	}
	if plain.Get("X-AnchorMailbox") != fakeAnchor || plain.Get("parameter-based-routing") != "" {
		t.Errorf("default routing = %q, %q", plain.Get("X-AnchorMailbox"), plain.Get("parameter-based-routing"))
	}
}

// setAnswer answers Set-Mailbox calls by their Identity: "fail-<n>" fails
// with status n (a cmdlet exception when n is 500), the rest succeed.
func setAnswer(c fakeCall) fakeAnswer {
	id := c.str("Identity")
	if code, ok := strings.CutPrefix(id, "fail-"); ok && c.Attempt == 1 {
		n, _ := strconv.Atoi(strings.SplitN(code, "-", 2)[0])
		switch n {
		case 429:
			return fakeAnswer{Status: 429, Body: `{"error":{"code":"TooManyRequests","message":"slow"}}`, Header: map[string]string{"Retry-After": "0"}}
		case 503:
			return fakeAnswer{Status: 503, Body: `{"error":{"code":"ServiceUnavailable","message":"The service is temporarily unavailable."}}`}
		case 404:
			return fakeAnswer{Status: 404, Header: map[string]string{"x-ExceptionType": "ManagementObjectNotFoundException"},
				Body: `{"error":{"code":"NotFound","message":"Error executing cmdlet","details":[{"code":"13","target":"` + id + `","message":"Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed because object '` + id + `' couldn't be found."}]}}`}
		case 500:
			return fakeAnswer{Status: 500, Body: `{"error":{"code":"InternalServerError","message":"Error executing cmdlet","details":[{"code":"Server","message":"x|Microsoft.Exchange.Data.Storage.StorageTransientException|try later"}]}}`}
		}
	}
	return fakeAnswer{Records: []string{obj(id)}}
}

func inputs(ids ...string) []Params {
	out := make([]Params, len(ids))
	for i, id := range ids {
		out[i] = Params{"Identity": str(id)}
	}
	return out
}

// TestBatchOrder: pipeline input goes as $batch requests of 10, several in
// flight, and output keeps input order whatever order batches finish in.
func TestBatchOrder(t *testing.T) {
	f := newFake(t, func(c fakeCall) fakeAnswer {
		time.Sleep(time.Duration(rand.IntN(3)) * time.Millisecond)
		return fakeAnswer{Records: []string{obj(c.str("Identity"))}}
	})
	var ids []string
	for i := range 95 {
		ids = append(ids, "user"+strconv.Itoa(i))
	}
	events := collect(t, f.target(), Call{Cmdlet: "Get-Mailbox", Params: Params{"ErrorAction": str("Stop")}, Inputs: inputs(ids...), Batch: true})
	if got := identities(t, events); !slices.Equal(got, ids) {
		t.Errorf("output order = %v", got)
	}
	for i, ev := range events {
		if ev.Input != i {
			t.Fatalf("event %d has input %d", i, ev.Input)
		}
	}
	batches := f.allBatches()
	if len(batches) != 10 {
		t.Errorf("batches = %d, want 10", len(batches))
	}
	for _, b := range batches {
		for _, c := range b {
			if c.Params["ErrorAction"] != "Stop" {
				t.Errorf("a part lost the common parameters: %v", c.Params)
			}
		}
	}
	if n := len(f.allCalls()); n != 95 {
		t.Errorf("InvokeCommand calls = %d, want 95 (no part re-sent)", n)
	}
}

// TestBatchFailedParts: a failed part is re-sent alone when the rule
// allows, and its failure reported otherwise; the others are not touched.
func TestBatchFailedParts(t *testing.T) {
	tests := []struct {
		name   string
		cmdlet string
		id     string
		resent bool
	}{
		{name: "throttled part of a change is re-sent", cmdlet: "Set-Mailbox", id: "fail-429", resent: true},
		{name: "front-end 503 part of a change is re-sent", cmdlet: "Set-Mailbox", id: "fail-503", resent: true},
		{name: "cmdlet failure of a change is reported", cmdlet: "Set-Mailbox", id: "fail-500", resent: false},
		{name: "not found is reported", cmdlet: "Set-Mailbox", id: "fail-404", resent: false},
		{name: "transient failure of a read is re-sent", cmdlet: "Get-Mailbox", id: "fail-500", resent: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, setAnswer)
			ids := []string{"a", "b", tt.id, "c", "d", "e", "f", "g", "h", "i", "j", "k"}
			events := collect(t, f.target(), Call{Cmdlet: tt.cmdlet, Inputs: inputs(ids...), Batch: true})
			var alone []fakeCall
			for _, c := range f.allCalls() {
				if !c.Part {
					alone = append(alone, c)
				}
			}
			got := identities(t, events)
			if tt.resent {
				if len(alone) != 1 || alone[0].str("Identity") != tt.id {
					t.Fatalf("sent alone: %v", alone)
				}
				if !slices.Equal(got, ids) {
					t.Errorf("output = %v", got)
				}
				return
			}
			if len(alone) != 0 {
				t.Fatalf("%d calls re-sent alone, want none", len(alone))
			}
			want := slices.DeleteFunc(slices.Clone(ids), func(s string) bool { return s == tt.id })
			if !slices.Equal(got, want) {
				t.Errorf("output = %v, want %v", got, want)
			}
			var se *adminclient.ServiceError
			if ev := events[2]; ev.Input != 2 || !errors.As(ev.Err, &se) {
				t.Fatalf("event 2 = %+v, want input 2's error", ev)
			}
		})
	}
}

// TestSideEffectRule: a change whose outcome is unknown is never re-sent;
// one the service proves it did not run is; reads are re-sent either way.
func TestSideEffectRule(t *testing.T) {
	reset := func(c fakeCall) fakeAnswer {
		if c.Attempt == 1 {
			return fakeAnswer{Reset: true}
		}
		return fakeAnswer{Records: []string{obj("done")}}
	}
	status := func(code int, body string) func(fakeCall) fakeAnswer {
		return func(c fakeCall) fakeAnswer {
			if c.Attempt == 1 {
				return fakeAnswer{Status: code, Body: body, Header: map[string]string{"Retry-After": "0"}}
			}
			return fakeAnswer{Records: []string{obj("done")}}
		}
	}
	tests := []struct {
		name     string
		cmdlet   string
		params   Params
		handle   func(fakeCall) fakeAnswer
		attempts int
	}{
		{name: "change, connection reset after sending", cmdlet: "Set-Mailbox", handle: reset, attempts: 1},
		{name: "read, connection reset", cmdlet: "Get-Mailbox", handle: reset, attempts: 2},
		{name: "WhatIf is a read", cmdlet: "Set-Mailbox", params: Params{"WhatIf": boolean(true)}, handle: reset, attempts: 2},
		{name: "change, 504", cmdlet: "Remove-MailboxPermission", handle: status(504, `{"error":{"code":"GatewayTimeout","message":"timed out"}}`), attempts: 1},
		{name: "change, 429", cmdlet: "Add-MailboxPermission", handle: status(429, `{"error":{"code":"TooManyRequests","message":"slow"}}`), attempts: 2},
		{name: "change, concurrency refusal", cmdlet: "Set-Mailbox", handle: status(500, "You have reached the maximum number of concurrent requests per tenant. Please wait and try again"), attempts: 2},
		{name: "change, front-end 503", cmdlet: "Set-Mailbox", handle: status(503, `{"error":{"code":"ServiceUnavailable","message":"busy"}}`), attempts: 2},
		{name: "change, 401", cmdlet: "New-MailContact", handle: status(401, `{"error":{"code":"Unauthorized","message":"expired"}}`), attempts: 2},
		{name: "read, 504", cmdlet: "Search-UnifiedAuditLog", handle: status(504, `{"error":{"code":"GatewayTimeout","message":"timed out"}}`), attempts: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, tt.handle)
			params := merged(Params{"Identity": str("alex@contoso.com")}, tt.params)
			events := collect(t, f.target(), Call{Cmdlet: tt.cmdlet, Params: params})
			if n := len(f.allCalls()); n != tt.attempts {
				t.Errorf("attempts = %d, want %d", n, tt.attempts)
			}
			failed := len(events) == 1 && events[0].Err != nil
			if failed != (tt.attempts == 1) {
				t.Errorf("events = %+v", events)
			}
			var se *adminclient.ServiceError
			if failed && !errors.As(events[0].Err, &se) && !strings.Contains(events[0].Err.Error(), "was not sent again") {
				t.Errorf("a change with an unknown outcome says nothing about it: %v", events[0].Err)
			}
		})
	}
}

// TestSecretsNeverLogged: with every log level on and a retry logged, no
// log entry holds a secret, and the wire holds it only encrypted.
func TestSecretsNeverLogged(t *testing.T) {
	const secret = "Pa55-word-never-in-logs"
	key := privateKey(t)
	f := newFake(t, func(c fakeCall) fakeAnswer {
		if c.Attempt == 1 {
			return fakeAnswer{Status: 503, Body: `{"error":{"code":"ServiceUnavailable","message":"busy"}}`}
		}
		return fakeAnswer{}
	})
	core, logs := observer.New(zapcore.DebugLevel)
	target := f.target()
	target.Client = adminclient.New(adminclient.Options{Tokens: fakeTokens{}, Backoff: time.Millisecond, Logger: zap.New(core)})
	target.PublicKey = &key.PublicKey
	collect(t, target, Call{Cmdlet: "Set-Mailbox", Params: Params{
		"Identity": str("alex@contoso.com"),
		"Password": {Kind: KindSecret, Str: secret},
		"Cred":     {Kind: KindCredential, User: "u@contoso.com", Password: secret},
	}})
	if logs.Len() == 0 {
		t.Fatal("nothing was logged; the test needs the retry to be logged")
	}
	for _, e := range logs.All() {
		line := e.Message
		for k, v := range e.ContextMap() {
			line += fmt.Sprintf(" %s=%v", k, v)
		}
		if strings.Contains(line, secret) {
			t.Errorf("log entry holds the secret: %s", line)
		}
	}
	calls := f.allCalls()
	for _, c := range calls {
		if strings.Contains(string(c.Body), secret) {
			t.Error("the secret crossed the wire in clear text")
		}
	}
	if got := decrypt(t, key, calls[0].str("Password")); got != secret {
		t.Errorf("Password decrypts to %q", got)
	}
}

func TestConfirmation(t *testing.T) {
	f := newFake(t, func(c fakeCall) fakeAnswer {
		if c.Params["Confirm"] == true || c.Params["WhatIf"] == true {
			return fakeAnswer{Confirmation: "Set mailbox " + c.str("Identity") + "?"}
		}
		return fakeAnswer{}
	})
	events := collect(t, f.target(), Call{Cmdlet: "Set-Mailbox", Params: Params{"Confirm": boolean(true), "Type": str("Shared")},
		Inputs: inputs("a@contoso.com", "b@contoso.com"), Batch: true})
	if len(f.allBatches()) != 0 {
		t.Error("a Confirm call was batched")
	}
	var got []string
	for _, ev := range events {
		got = append(got, fmt.Sprintf("%d:%s", ev.Input, ev.Confirmation))
	}
	if want := []string{"0:Set mailbox a@contoso.com?", "1:Set mailbox b@contoso.com?"}; !slices.Equal(got, want) {
		t.Errorf("events = %v, want %v", got, want)
	}
}

func TestErrors(t *testing.T) {
	f := newFake(t, func(c fakeCall) fakeAnswer {
		if c.str("Identity") == "partial" {
			return fakeAnswer{Records: []string{obj("partial")}, Errors: []string{"Ab12|Microsoft.Exchange.Management.Tasks.RecipientTaskException|Couldn't update one address."}}
		}
		return setAnswer(c)
	})
	events := collect(t, f.target(), Call{Cmdlet: "Set-Mailbox", Inputs: inputs("fail-404-x", "partial")})
	if len(events) != 3 {
		t.Fatalf("events = %+v", events)
	}
	var se *adminclient.ServiceError
	if !errors.As(events[0].Err, &se) {
		t.Fatalf("event 0 = %+v", events[0])
	}
	if se.Status != 404 || se.Target != "fail-404-x" || se.Category != "ObjectNotFound" ||
		se.ExceptionType != "ManagementObjectNotFoundException" || !strings.HasPrefix(se.Message, "Ex6F9304|") ||
		se.ErrorID() != "[Server=FAKE01MB0001,RequestId=req-1,TimeStamp=11/28/2026 10:00:00 AM]" {
		t.Errorf("error = %+v (%s)", se, se.ErrorID())
	}
	if events[1].Input != 1 || len(events[1].Records) != 1 {
		t.Errorf("event 1 = %+v, want the partial object", events[1])
	}
	if !errors.As(events[2].Err, &se) || se.ExceptionType != "Microsoft.Exchange.Management.Tasks.RecipientTaskException" ||
		!strings.Contains(se.Message, "Couldn't update") || se.Status != 0 {
		t.Errorf("in-page error = %+v", events[2].Err)
	}
	// An input whose parameters cannot be encoded fails alone, before any
	// request.
	f2 := newFake(t, setAnswer)
	events = collect(t, f2.target(), Call{Cmdlet: "Set-Mailbox", Inputs: []Params{
		{"Identity": str("a"), "Password": {Kind: KindSecret, Str: "x"}}, {"Identity": str("b")},
	}})
	var ie *InputError
	if len(events) != 2 || !errors.As(events[0].Err, &ie) || len(events[1].Records) != 1 {
		t.Errorf("events = %+v", events)
	}
	if n := len(f2.allCalls()); n != 1 {
		t.Errorf("calls = %d, want 1", n)
	}
}

func TestRecordDecoding(t *testing.T) {
	const record = `{
		"DisplayName":"Alex",
		"EmailAddresses@odata.type":"#Collection(String)",
		"EmailAddresses":["SMTP:alex@contoso.com","smtp:alex@contoso.onmicrosoft.com"],
		"ExchangeGuid@data.type":"System.Guid","ExchangeGuid@odata.type":"#Guid",
		"ExchangeGuid":"2be92a50-0000-0000-0000-000000000000",
		"WhenCreated@data.type":"System.DateTime",
		"WhenCreated":"2022-06-29T19:57:03.1234567+02:00",
		"Stamps@odata.type":"#Collection(DateTimeOffset)","Stamps":["2022-01-01T00:00:00.0000000+00:00"],
		"ProhibitSendQuota":"99 GB (106,300,440,576 bytes)",
		"Settings":{"@odata.type":"#Exchange.GenericHashTable","Mode@data.type":"System.Int32","Mode":1},
		"ForwardingAddress":null}`
	pg, err := decodePage([]byte(`{"value":[`+record+`]}`), TypeNames("Get-Mailbox"))
	if err != nil {
		t.Fatal(err)
	}
	r := pg.records[0]
	var names []string
	kinds := map[string]query.Kind{}
	values := map[string]string{}
	for _, p := range r.Props {
		names = append(names, p.Name)
		kinds[p.Name] = p.Kind
		values[p.Name] = string(p.Value)
	}
	if want := []string{"DisplayName", "EmailAddresses", "ExchangeGuid", "WhenCreated", "Stamps", "ProhibitSendQuota", "Settings", "ForwardingAddress"}; !slices.Equal(names, want) {
		t.Errorf("properties = %v, want %v", names, want)
	}
	if kinds["ExchangeGuid"] != query.KindGUID || kinds["WhenCreated"] != query.KindDateTime || kinds["Stamps"] != query.KindDateTime || kinds["DisplayName"] != query.KindPlain {
		t.Errorf("kinds = %v", kinds)
	}
	for name, want := range map[string]string{
		"WhenCreated":       `"2022-06-29T17:57:03.1234567Z"`,
		"Stamps":            `["2022-01-01T00:00:00Z"]`,
		"ProhibitSendQuota": `"99 GB (106,300,440,576 bytes)"`,
		"Settings":          `{"Mode":1}`,
		"ForwardingAddress": ``,
	} {
		if values[name] != want {
			t.Errorf("%s = %s, want %s", name, values[name], want)
		}
	}
	if r.TypeNames[0] != "Deserialized.Microsoft.Exchange.Data.Directory.Management.Mailbox" {
		t.Errorf("type names = %v", r.TypeNames)
	}
	var back map[string]any
	if err := json.Unmarshal(r.JSON(), &back); err != nil {
		t.Fatalf("record JSON: %v", err)
	}
}

// TestMemberUpdate: a huge -Members list is split so the final membership
// equals one call's, each member set exactly once.
func TestMemberUpdate(t *testing.T) {
	var mu sync.Mutex
	members := map[string]int{}
	f := newFake(t, func(c fakeCall) fakeAnswer {
		mu.Lock()
		defer mu.Unlock()
		switch c.Cmdlet {
		case "Update-DistributionGroupMember":
			if c.str("Identity") != "big-group" {
				t.Errorf("Identity = %v", c.Params["Identity"])
			}
			list, _ := c.Params["Members"].([]any)
			if len(list) > 100 {
				t.Errorf("Update with %d members", len(list))
			}
			clear(members)
			for _, m := range list {
				members[m.(string)]++
			}
		case "Add-DistributionGroupMember":
			if c.str("Identity") != "big-group" || c.Params["BypassSecurityGroupManagerCheck"] != true {
				t.Errorf("Add parameters = %v", c.Params)
			}
			if c.Attempt == 1 && strings.HasSuffix(c.str("Member"), "7") {
				return fakeAnswer{Status: 429, Body: `{"error":{"code":"TooManyRequests","message":"slow"}}`, Header: map[string]string{"Retry-After": "0"}}
			}
			members[c.str("Member")]++
		default:
			t.Errorf("unexpected %s", c.Cmdlet)
		}
		return fakeAnswer{}
	})
	var list []Value
	want := map[string]int{}
	for i := range 1000 {
		m := "user" + strconv.Itoa(i) + "@contoso.com"
		list = append(list, str(m))
		want[m] = 1
	}
	list = append(list, str("USER5@contoso.com")) // a duplicate
	target := f.target()
	target.MemberChunk = 100
	events := collect(t, target, Call{Cmdlet: "Update-DistributionGroupMember", Params: Params{
		"Identity": str("big-group"), "Members": {Kind: KindList, List: list}, "BypassSecurityGroupManagerCheck": boolean(true),
	}})
	for _, ev := range events {
		if ev.Err != nil {
			t.Errorf("error: %v", ev.Err)
		}
	}
	if len(members) != len(want) {
		t.Fatalf("members = %d, want %d", len(members), len(want))
	}
	for m, n := range members {
		if want[m] != 1 || n != 1 {
			t.Fatalf("member %s set %d times (wanted: %v)", m, n, want[m] == 1)
		}
	}
	if len(f.allBatches()) < 90 {
		t.Errorf("batches = %d, want the adds batched", len(f.allBatches()))
	}
}

// TestFakeAnswersStatus: a final failure of the only input is its error
// event, with the answer's status.
func TestFakeAnswersStatus(t *testing.T) {
	f := newFake(t, func(fakeCall) fakeAnswer { return fakeAnswer{Status: http.StatusTeapot, Body: "no"} })
	events := collect(t, f.target(), Call{Cmdlet: "Get-Mailbox"})
	var se *adminclient.ServiceError
	if len(events) != 1 || !errors.As(events[0].Err, &se) || se.Status != http.StatusTeapot {
		t.Errorf("events = %+v", events)
	}
}
