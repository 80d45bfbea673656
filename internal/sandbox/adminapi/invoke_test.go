package adminapi

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestInvokeCommonHeaders(t *testing.T) {
	e := newEnv(t, 3)
	resp, body := e.invoke(t, tokAdmin, "Get-Mailbox", nil, map[string]string{"client-request-id": "crid-1"})
	wantStatus(t, resp, body, http.StatusOK)
	for _, h := range []string{"request-id", "Rate-Limit-Limit", "Rate-Limit-Remaining", "Rate-Limit-Reset", "X-CalculatedBETarget", "Date"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("missing header %s", h)
		}
	}
	if got := resp.Header.Get("OData-Version"); got != "4.0" {
		t.Errorf("OData-Version = %q", got)
	}
	if got := resp.Header.Get("client-request-id"); got != "crid-1" {
		t.Errorf("client-request-id = %q", got)
	}
	if got := resp.Header.Get("Content-Type"); got != contentTypeJSON {
		t.Errorf("Content-Type = %q", got)
	}
	if got := resp.Header.Get("Date"); got != "Tue, 04 Mar 2025 05:06:07 GMT" {
		t.Errorf("Date = %q, want the injected clock", got)
	}
	if got := resp.Header.Get("Rate-Limit-Remaining"); got != "29999" {
		t.Errorf("Rate-Limit-Remaining = %q", got)
	}
	if _, err := uuid.Parse(resp.Header.Get("request-id")); err != nil {
		t.Errorf("request-id is not a GUID: %v", err)
	}
}

func TestInvokeParameterBinding(t *testing.T) {
	e := newEnv(t, 0)
	pub := &testKeys()[0].PublicKey
	cases := []struct {
		name    string
		cmdlet  string
		params  map[string]any
		status  int
		message string         // expected details[0].message suffix (errors)
		check   map[string]any // expected backend params (success)
		whatIf  bool
		set     string
	}{
		{name: "unknown parameter", cmdlet: "Get-Mailbox", params: map[string]any{"Foo": 1}, status: 400,
			message: "|System.Management.Automation.ParameterBindingException|A parameter cannot be found that matches parameter name 'Foo'."},
		{name: "missing mandatory", cmdlet: "Set-Mailbox", params: map[string]any{"DisplayName": "x"}, status: 400,
			message: "|Cannot process command because of one or more missing mandatory parameters: Identity."},
		{name: "wrong type bool", cmdlet: "Set-Mailbox", params: map[string]any{"Identity": "a", "LitigationHoldEnabled": "yes"}, status: 400,
			message: "Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0."},
		{name: "wrong type int", cmdlet: "Set-Mailbox", params: map[string]any{"Identity": "a", "IssueWarningQuotaMB": "ten"}, status: 400,
			message: `Cannot convert value "ten" to type "System.Int32". Error: "Input string was not in a correct format."`},
		{name: "range", cmdlet: "Set-Mailbox", params: map[string]any{"Identity": "a", "IssueWarningQuotaMB": 500}, status: 400,
			message: "The 500 argument is greater than the maximum allowed range of 100."},
		{name: "validate set", cmdlet: "Set-Mailbox", params: map[string]any{"Identity": "a", "Type": "Castle"}, status: 400,
			message: `The argument "Castle" does not belong to the set "Regular,Room,Equipment,Shared"`},
		{name: "not null or empty", cmdlet: "Set-Mailbox", params: map[string]any{"Identity": "a", "DisplayName": ""}, status: 400,
			message: "The argument is null or empty."},
		{name: "null mandatory", cmdlet: "Set-Mailbox", params: map[string]any{"Identity": nil}, status: 400,
			message: "Cannot bind argument to parameter 'Identity' because it is null."},
		{name: "bad guid", cmdlet: "Set-Mailbox", params: map[string]any{"Identity": "a", "ExchangeGuid": "nope"}, status: 400,
			message: "Unrecognized Guid format."},
		{name: "duplicate casing", cmdlet: "Set-Mailbox", params: map[string]any{"Identity": "a", "identity": "b"}, status: 400,
			message: "is specified more than once"},
		{name: "ambiguous sets", cmdlet: "Test-Sets", params: map[string]any{"AOnly": "a", "BOnly": "b"}, status: 400,
			message: "Parameter set cannot be resolved using the specified named parameters."},
		{name: "WhatIf on a cmdlet without ShouldProcess", cmdlet: "Get-Mailbox", params: map[string]any{"WhatIf": true}, status: 400,
			message: "matches parameter name 'WhatIf'."},
		{name: "secret not encrypted", cmdlet: "Set-Mailbox", params: map[string]any{"Identity": "a", "Password": "plain"}, status: 400,
			message: "is not protected with the service's public key"},
		{name: "converted values", cmdlet: "Set-Mailbox", status: 200, set: allParameterSets,
			params: map[string]any{
				"identity": "alex", "DisplayName": 7, "LitigationHoldEnabled": 1, "IssueWarningQuotaMB": "50", "Type": "room",
				"ExchangeGuid":              "2be92a50-0000-0000-0000-000000000000",
				"StartDateForRetentionHold": "2024-05-06T07:08:09",
				"EmailAddresses":            map[string]any{"add": []any{"smtp:a2@contoso.com"}, "Remove": "smtp:old@contoso.com", "@odata.type": odataHashtable},
				"ErrorAction":               "Stop", "WarningAction": "SilentlyContinue", "Confirm": false,
				"Password": encrypt(t, pub, "P@ssw0rd!"),
			},
			check: map[string]any{
				"Identity": "alex", "DisplayName": "7", "LitigationHoldEnabled": true, "IssueWarningQuotaMB": int64(50), "Type": "Room",
				"ExchangeGuid":              uuid.MustParse("2be92a50-0000-0000-0000-000000000000"),
				"StartDateForRetentionHold": time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC),
				"EmailAddresses":            MultiValuedDelta{Add: []string{"smtp:a2@contoso.com"}, Remove: []string{"smtp:old@contoso.com"}},
				"Password":                  SecureString("P@ssw0rd!"),
			}},
		{name: "previous key still accepted", cmdlet: "Set-Mailbox", status: 200, set: allParameterSets,
			params: map[string]any{"Identity": "a", "Password": encrypt(t, &testKeys()[1].PublicKey, "old")},
			check:  map[string]any{"Identity": "a", "Password": SecureString("old")}},
		{name: "odata annotations", cmdlet: "Set-UserPhoto", status: 200, set: allParameterSets,
			params: map[string]any{
				"Identity":                 "a",
				"PictureData":              map[string]any{"@odata.type": odataByteArray, "Data": []any{1, 2, 255}},
				"Certificates":             []any{map[string]any{"Data": []any{9}}, map[string]any{"Data": []any{8, 7}}},
				"Certificates@odata.type":  odataByteArrayArray,
				"Settings":                 map[string]any{"@odata.type": odataHashtable, "Inner": map[string]any{"@odata.type": odataHashtable, "n": 1}},
				"Rules":                    []any{map[string]any{"@odata.type": odataHashtable, "k": "v"}},
				"Rules@odata.type":         odataHashtableArray,
				"Extra":                    []any{1.5, "s", true},
				"Confirm":                  false,
				"InformationVariable":      "iv",
				"PipelineVariable@unknown": "ignored annotation",
			},
			check: map[string]any{
				"Identity":     "a",
				"PictureData":  []byte{1, 2, 255},
				"Certificates": [][]byte{{9}, {8, 7}},
				"Settings":     map[string]any{"Inner": map[string]any{"n": int64(1)}},
				"Rules":        []map[string]any{{"k": "v"}},
				"Extra":        []any{1.5, "s", true},
			}},
		{name: "positional default set", cmdlet: "Get-Mailbox", status: 200, set: "Identity",
			params: map[string]any{"RecipientTypeDetails": []any{"usermailbox", "SharedMailbox"}, "ResultSize": "unlimited"},
			check:  map[string]any{"RecipientTypeDetails": []string{"UserMailbox", "SharedMailbox"}, "ResultSize": Unlimited{IsUnlimited: true}}},
		{name: "set chosen by mandatory", cmdlet: "Test-Sets", status: 200, set: "B",
			params: map[string]any{"BOnly": "b"}, check: map[string]any{"BOnly": "b"}},
		{name: "WhatIf is a validation call", cmdlet: "Set-Mailbox", status: 200, set: allParameterSets, whatIf: true,
			params: map[string]any{"Identity": "a", "WhatIf": true}, check: map[string]any{"Identity": "a"}},
		{name: "Confirm true is a validation call", cmdlet: "Set-Mailbox", status: 200, set: allParameterSets, whatIf: true,
			params: map[string]any{"Identity": "a", "Confirm": true}, check: map[string]any{"Identity": "a"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.invoke(t, tokAdmin, tc.cmdlet, tc.params, nil)
			wantStatus(t, resp, body, tc.status)
			if tc.status != http.StatusOK {
				if msg := detailMessage(t, body); !strings.Contains(msg, tc.message) {
					t.Errorf("details[0].message = %q, want it to contain %q", msg, tc.message)
				}
				if !strings.HasPrefix(resp.Header.Get("x-ExceptionType"), "ParameterBinding") {
					t.Errorf("x-ExceptionType = %q", resp.Header.Get("x-ExceptionType"))
				}
				return
			}
			call := e.backend.lastCall()
			if !reflect.DeepEqual(call.Params, tc.check) {
				t.Errorf("backend params:\n got %#v\nwant %#v", call.Params, tc.check)
			}
			if call.WhatIf != tc.whatIf || call.ParameterSet != tc.set {
				t.Errorf("WhatIf=%v set=%q, want %v %q", call.WhatIf, call.ParameterSet, tc.whatIf, tc.set)
			}
		})
	}
}

func TestInvokeConfirmationMessage(t *testing.T) {
	e := newEnv(t, 0)
	for _, tc := range []struct{ cmdlet, want string }{
		{"Remove-Mailbox", `Removing mailbox Identity:"alex".`},
		{"Set-Mailbox", `Performing the operation "Set-Mailbox" on target "alex".`},
	} {
		resp, body := e.invoke(t, tokAdmin, tc.cmdlet, map[string]any{"Identity": "alex", "Confirm": true}, nil)
		wantStatus(t, resp, body, http.StatusOK)
		if p := decodePage(t, body); p.Confirmation != tc.want || len(p.Value) != 0 {
			t.Errorf("%s: confirmation %q, %d values; want %q", tc.cmdlet, p.Confirmation, len(p.Value), tc.want)
		}
	}
}

func TestInvokeCredentialForms(t *testing.T) {
	e := newEnv(t, 0)
	pub := &testKeys()[0].PublicKey
	want := Credential{UserName: "svc@contoso.com", Password: "s3cret"}
	for name, value := range map[string]any{
		"whole object encrypted": encrypt(t, pub, `{"UserName":"svc@contoso.com","Password":"s3cret"}`),
		"password encrypted":     map[string]any{"UserName": "svc@contoso.com", "Password": encrypt(t, pub, "s3cret")},
	} {
		t.Run(name, func(t *testing.T) {
			resp, body := e.invoke(t, tokAdmin, "New-MoveRequest", map[string]any{"Identity": "a", "RemoteCredential": value}, nil)
			wantStatus(t, resp, body, http.StatusOK)
			if got := e.backend.lastCall().Params["RemoteCredential"]; got != want {
				t.Errorf("credential = %#v", got)
			}
		})
	}
}

func TestInvokeRefusals(t *testing.T) {
	e := newEnv(t, 0)
	bare := newEnv(t, 0, func(c *Config) { c.BareForbidden = true })
	notRecognized := "|System.Management.Automation.CommandNotFoundException|The term 'Remove-Mailbox' is not recognized as the name of a cmdlet"
	cases := []struct {
		name   string
		env    *env
		token  string
		cmdlet string
		status int
		detail string
	}{
		{"unknown cmdlet", e, tokAdmin, "Get-Nothing", 403, "The term 'Get-Nothing' is not recognized"},
		{"role may not run it", e, tokReader, "Remove-Mailbox", 403, notRecognized},
		{"role may run it", e, tokAdmin, "Remove-Mailbox", 200, ""},
		{"bare 403", bare, tokAdmin, "Get-Nothing", 403, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := tc.env.invoke(t, tc.token, tc.cmdlet, map[string]any{"Identity": "a", "Confirm": false}, nil)
			wantStatus(t, resp, body, tc.status)
			switch {
			case tc.detail != "":
				if msg := detailMessage(t, body); !strings.Contains(msg, tc.detail) {
					t.Errorf("details[0].message = %q", msg)
				}
			case tc.status == 403 && len(body) != 0:
				t.Errorf("bare 403 has a body: %s", body)
			}
		})
	}
}

func TestInvokeBackendFailures(t *testing.T) {
	e := newEnv(t, 0)
	cases := []struct {
		cmdlet     string
		status     int
		exception  string
		targetType string
		detail     string
	}{
		{"Get-Mailbox", 404, "ManagementObjectNotFoundException", "", "Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|"},
		{"Get-Fails", 500, "StorageTransientException", "Mailbox", "|Microsoft.Exchange.Data.StorageTransientException|The mailbox database is temporarily unavailable."},
		{"Get-Panic", 500, "ODataServiceException", "", "An internal server error occurred."},
		{"Get-Unencodable", 500, "ODataServiceException", "", "An internal server error occurred."},
	}
	for _, tc := range cases {
		t.Run(tc.cmdlet, func(t *testing.T) {
			resp, body := e.invoke(t, tokAdmin, tc.cmdlet, map[string]any{"Identity": "who"}, nil)
			if tc.cmdlet != "Get-Mailbox" && tc.cmdlet != "Get-Fails" {
				resp, body = e.invoke(t, tokAdmin, tc.cmdlet, nil, nil)
			}
			wantStatus(t, resp, body, tc.status)
			if got := resp.Header.Get("x-ExceptionType"); got != tc.exception {
				t.Errorf("x-ExceptionType = %q, want %q", got, tc.exception)
			}
			if got := resp.Header.Get("x-ExceptionTargetType"); got != tc.targetType {
				t.Errorf("x-ExceptionTargetType = %q", got)
			}
			for _, h := range []string{"request-id", "X-CalculatedBETarget", "Date"} {
				if resp.Header.Get(h) == "" {
					t.Errorf("missing %s", h)
				}
			}
			if msg := detailMessage(t, body); !strings.Contains(msg, tc.detail) {
				t.Errorf("details[0].message = %q, want %q", msg, tc.detail)
			}
		})
	}
}

func TestInvokeRequestErrors(t *testing.T) {
	e := newEnv(t, 0)
	cases := []struct {
		name, method, path, body string
		status                   int
	}{
		{"not JSON", "POST", invokeURL(testTenant), "{", 400},
		{"no cmdlet name", "POST", invokeURL(testTenant), `{"CmdletInput":{}}`, 400},
		{"parameters not an object", "POST", invokeURL(testTenant), `{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":[1]}}`, 400},
		{"bad byte array", "POST", invokeURL(testTenant), `{"CmdletInput":{"CmdletName":"Set-UserPhoto","Parameters":{"Identity":"a","PictureData":{"@odata.type":"#Exchange.ByteArrayType","Data":[300]}}}}`, 400},
		{"GET InvokeCommand", "GET", invokeURL(testTenant), "", 405},
		{"InvokeCommand under v1.0", "POST", "/adminapi/v1.0/" + testTenant + "/InvokeCommand", `{}`, 405},
		{"unknown resource", "POST", "/adminapi/beta/" + testTenant + "/Nope", `{}`, 404},
		{"unknown version", "POST", "/adminapi/v2.0/" + testTenant + "/InvokeCommand", `{}`, 404},
		{"region prefix without front door", "POST", "/region/nam12b" + invokeURL(testTenant), `{}`, 404},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.do(t, tc.method, tc.path, tokAdmin, []byte(tc.body), nil)
			wantStatus(t, resp, body, tc.status)
			if decodeEnvelope(t, body).Error.Code == "" {
				t.Errorf("no error code in %s", body)
			}
			if resp.Header.Get("request-id") == "" || resp.Header.Get("Rate-Limit-Limit") == "" {
				t.Errorf("common headers missing on %d", resp.StatusCode)
			}
		})
	}
}

func TestInvokeCaseInsensitivePath(t *testing.T) {
	e := newEnv(t, 1)
	resp, body := e.do(t, "POST", "/AdminApi/BETA/"+strings.ToUpper(testDomain)+"/invokecommand", tokAdmin, cmdletBody("get-mailbox", nil), nil)
	wantStatus(t, resp, body, http.StatusOK)
}

func TestInvokeSelectAndTypedValues(t *testing.T) {
	e := newEnv(t, 0)
	resp, body := e.do(t, "POST", invokeURL(testTenant)+"?$select=Count,Id,Span,Size,Raw,Table,Nums,Ids,Tables,Big,Small,Flag,Ratio,Nothing", tokAdmin, cmdletBody("Get-Typed", nil), nil)
	wantStatus(t, resp, body, http.StatusOK)
	var raw struct {
		Value []json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	// $select keeps the record's own order, not the $select order.
	want := `{"Flag@data.type":"System.Boolean","Flag":true,"Count@data.type":"System.Int32","Count":42,` +
		`"Small@data.type":"System.Int16","Small@odata.type":"#Int16","Small":7,` +
		`"Big@data.type":"System.Int64","Big@odata.type":"#Int64","Big":1099511627776,` +
		`"Ratio@data.type":"System.Double","Ratio":0.5,` +
		`"Id@data.type":"System.Guid","Id@odata.type":"#Guid","Id":"11111111-2222-3333-4444-555555555555",` +
		`"Span":"1.12:01:30","Size":"1.5 KB (1,536 bytes)","Raw@odata.type":"#Binary","Raw":"AQL/",` +
		`"Table":{"@odata.type":"#Exchange.GenericHashTable","a":"x","b@data.type":"System.Int64","b@odata.type":"#Int64","b":2},` +
		`"Nums@odata.type":"#Collection(Int32)","Nums":[1,2],` +
		`"Ids@odata.type":"#Collection(Guid)","Ids":["11111111-2222-3333-4444-555555555555"],` +
		`"Tables@odata.type":"#Collection(Exchange.GenericHashTable)","Tables":[{"@odata.type":"#Exchange.GenericHashTable","k":"v"}],` +
		`"Nothing":null}`
	if len(raw.Value) != 1 || string(raw.Value[0]) != want {
		t.Errorf("record:\n got %s\nwant %s", raw.Value, want)
	}
}

func TestInvokeCLIXML(t *testing.T) {
	e := newEnv(t, 0)
	resp, body := e.invoke(t, tokAdmin, "Get-Typed", nil, map[string]string{"X-ResponseFormat": "clixml"})
	wantStatus(t, resp, body, http.StatusOK)
	var p struct {
		Value []map[string]string `json:"value"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Value) != 1 {
		t.Fatalf("value has %d elements, want one _cliXml element", len(p.Value))
	}
	xml := p.Value[0]["_cliXml"]
	for _, want := range []string{
		`<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">`,
		`<TN RefId="0"><T>Sandbox.Typed</T><T>System.Object</T></TN>`,
		`<S N="Str">a_x005F_x0041_&lt;b&gt;&amp;_x000D__x000A_</S>`,
		`<I32 N="Count">42</I32>`, `<I16 N="Small">7</I16>`, `<I64 N="Big">1099511627776</I64>`,
		`<DT N="When">2024-01-02T03:04:05.0000006Z</DT>`, `<G N="Id">11111111-2222-3333-4444-555555555555</G>`,
		`<TS N="Span">P1DT12H1M30S</TS>`, `<BA N="Raw">AQL/</BA>`, `<Nil N="Nothing" />`,
		`<DCT><En><S N="Key">a</S><S N="Value">x</S></En>`,
	} {
		if !strings.Contains(xml, want) {
			t.Errorf("CLIXML lacks %s\n%s", want, xml)
		}
	}
	// An empty page still has the one element the module dereferences.
	_, body = e.invoke(t, tokAdmin, "Get-Mailbox", nil, map[string]string{"X-ResponseFormat": "clixml"})
	if !strings.Contains(string(body), `"value":[{"_cliXml":"<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\"></Objs>"}]`) {
		t.Errorf("empty CLIXML page: %s", body)
	}
}

func TestInvokePartialErrorsAndGzip(t *testing.T) {
	e := newEnv(t, 20)
	resp, body := e.invoke(t, tokAdmin, "Get-Mailbox", map[string]any{"ResultSize": 5}, nil)
	wantStatus(t, resp, body, http.StatusOK)
	p := decodePage(t, body)
	if len(p.Value) != 5 || len(p.Warnings) != 1 || p.NextLink != "" {
		t.Errorf("ResultSize page: %d values, warnings %v, next %q", len(p.Value), p.Warnings, p.NextLink)
	}
	// The client's transport asked for gzip and undid it; a large page is compressed.
	big := newEnv(t, 200)
	resp, body = big.invoke(t, tokAdmin, "Get-Mailbox", nil, nil)
	wantStatus(t, resp, body, http.StatusOK)
	if !resp.Uncompressed {
		t.Errorf("large page was not gzip-compressed")
	}
}
