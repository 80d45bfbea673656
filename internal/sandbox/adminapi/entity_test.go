package adminapi

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
)

func entityURL(rest string) string { return "/adminapi/beta/" + testTenant + "/" + rest }

// b64 is a key as the module encodes it: base64 with + and / escaped.
func b64(s string) string {
	return strings.NewReplacer("+", "%2B", "/", "%2F").Replace(base64.StdEncoding.EncodeToString([]byte(s)))
}

func TestEntityRouting(t *testing.T) {
	// This key's base64 holds both '+' and '/', which must survive the path.
	tricky := "a?~>ÿ"
	if enc := base64.StdEncoding.EncodeToString([]byte(tricky)); !strings.Contains(enc, "+") || !strings.Contains(enc, "/") {
		t.Fatalf("test key encodes to %s", enc)
	}
	cases := []struct {
		name   string
		path   string
		header map[string]string
		want   EntityQuery
	}{
		{"collection", "Mailbox", nil, EntityQuery{Set: "Mailbox"}},
		{"encoded key", "Mailbox('" + b64("alex@contoso.com") + "')?isEncoded=true", nil,
			EntityQuery{Set: "Mailbox", Key: "alex@contoso.com", Single: true}},
		{"key with + and /", "Mailbox('" + b64(tricky) + "')?isEncoded=True", nil,
			EntityQuery{Set: "Mailbox", Key: tricky, Single: true}},
		{"unpadded base64", "Recipient('" + strings.TrimRight(b64("ab"), "=") + "')?isEncoded=true", nil,
			EntityQuery{Set: "Recipient", Key: "ab", Single: true}},
		{"plain key with a quote", "casmailbox('o''brien@contoso.com')", nil,
			EntityQuery{Set: "CasMailbox", Key: "o'brien@contoso.com", Single: true}},
		{"empty key lists all", "Mailbox('')?isEncoded=true", nil, EntityQuery{Set: "Mailbox"}},
		{"options", "Mailbox?PropertySet=Minimum,Quota&PropertySet=Audit&$select=Alias,%20Office&$filter=Alias%20eq%20'x'&Anr=al&Archive=true&RecipientTypeDetails=UserMailbox,SharedMailbox", nil,
			EntityQuery{Set: "Mailbox", PropertySets: []string{"Minimum", "Quota", "Audit"}, Select: []string{"Alias", "Office"},
				Filter: "Alias eq 'x'", Options: map[string]string{"anr": "al", "archive": "true", "recipienttypedetails": "UserMailbox,SharedMailbox"}}},
		{"statistics", "Mailbox('" + b64("alex") + "')/Exchange.GetMailboxStatistics()?isEncoded=true&Archive=true", nil,
			EntityQuery{Set: "Mailbox", Key: "alex", Function: "GetMailboxStatistics", Args: map[string]string{}, Single: true, Options: map[string]string{"archive": "true"}}},
		{"statistics without key", "Mailbox/GetMailboxStatistics()", nil,
			EntityQuery{Set: "Mailbox", Function: "GetMailboxStatistics", Args: map[string]string{}, Single: true}},
		{"folder statistics", "Mailbox('" + b64("alex") + "')/MailboxFolder/Exchange.GetMailboxFolderStatistics(folderscope=Exchange.ElcFolderType'Inbox')?isEncoded=true", nil,
			EntityQuery{Set: "Mailbox", Key: "alex", Navigation: []EntitySegment{{"MailboxFolder", ""}},
				Function: "GetMailboxFolderStatistics", Args: map[string]string{"folderscope": "Inbox"}}},
		{"mailbox permissions", "Mailbox('alex')/MailboxPermission", nil,
			EntityQuery{Set: "Mailbox", Key: "alex", Navigation: []EntitySegment{{"MailboxPermission", ""}}}},
		{"one user's mailbox permission", "Mailbox('" + b64("alex") + "')/MailboxPermission('" + b64("megan") + "')?isEncoded=true", nil,
			EntityQuery{Set: "Mailbox", Key: "alex", Navigation: []EntitySegment{{"MailboxPermission", "megan"}}, Single: true}},
		{"one user on every mailbox", "Mailbox/MailboxPermission('megan')", nil,
			EntityQuery{Set: "Mailbox", Navigation: []EntitySegment{{"MailboxPermission", "megan"}}}},
		{"recipient permissions", "Recipient('" + b64("alex") + "')/RecipientPermission?isEncoded=true", nil,
			EntityQuery{Set: "Recipient", Key: "alex", Navigation: []EntitySegment{{"RecipientPermission", ""}}}},
		{"recipient permissions by filters", "Recipient/Exchange.GetRecipientPermissionByFilters(identity='" + b64("alex") + "',trustee='',accessRights='SendAs')?isEncoded=true", nil,
			EntityQuery{Set: "Recipient", Function: "GetRecipientPermissionByFilters",
				Args: map[string]string{"identity": "alex", "trustee": "", "accessRights": "SendAs"}}},
		{"arguments keep commas in quotes", "Recipient/GetRecipientPermissionByFilters(Identity='a,b', trustee=null)", nil,
			EntityQuery{Set: "Recipient", Function: "GetRecipientPermissionByFilters", Args: map[string]string{"identity": "a,b", "trustee": ""}}},
		{"folder permissions", "Mailbox('" + b64("alex") + "')/MailboxFolder('" + b64(`\Inbox\Sub`) + "')/MailboxFolderPermission?isEncoded=true&IsUsingMailboxFolderId=true", nil,
			EntityQuery{Set: "Mailbox", Key: "alex", Navigation: []EntitySegment{{"MailboxFolder", `\Inbox\Sub`}, {"MailboxFolderPermission", ""}},
				Options: map[string]string{"isusingmailboxfolderid": "true"}}},
		{"one folder permission", "Mailbox('alex')/MailboxFolder('\\Calendar')/MailboxFolderPermission('Default')", nil,
			EntityQuery{Set: "Mailbox", Key: "alex", Navigation: []EntitySegment{{"MailboxFolder", `\Calendar`}, {"MailboxFolderPermission", "Default"}}, Single: true}},
		{"mobile devices", "Mailbox('alex')/MobileDevice/Exchange.GetMobileDeviceStatistics()?ActiveSync=true", nil,
			EntityQuery{Set: "Mailbox", Key: "alex", Navigation: []EntitySegment{{"MobileDevice", ""}}, Function: "GetMobileDeviceStatistics",
				Args: map[string]string{}, Options: map[string]string{"activesync": "true"}}},
		{"mobile device by identity", "Mailbox/MobileDevice/Exchange.GetMobileDeviceStatisticsByIdentity(Identity='XParameter-Identity')",
			map[string]string{"XParameter-Identity": `alex\ExchangeActiveSyncDevices\iPhone`},
			EntityQuery{Set: "Mailbox", Navigation: []EntitySegment{{"MobileDevice", ""}}, Function: "GetMobileDeviceStatisticsByIdentity",
				Args: map[string]string{"Identity": `alex\ExchangeActiveSyncDevices\iPhone`}}},
	}
	e := newEnv(t, 3)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.do(t, http.MethodGet, entityURL(tc.path), tokAdmin, nil, tc.header)
			wantStatus(t, resp, body, http.StatusOK)
			got := e.backend.lastQuery()
			if tc.want.Options == nil {
				tc.want.Options = map[string]string{}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("query\n got %#v\nwant %#v", got, tc.want)
			}
			var obj map[string]any
			if err := json.Unmarshal(body, &obj); err != nil {
				t.Fatal(err)
			}
			_, isCollection := obj["value"]
			if ctx, _ := obj["@odata.context"].(string); isCollection == tc.want.Single || strings.HasSuffix(ctx, "/$entity") != tc.want.Single {
				t.Errorf("single %v, but the answer is %.200s", tc.want.Single, body)
			}
		})
	}
	t.Run("v1.0 and region prefix", func(t *testing.T) {
		e := newEnv(t, 3, func(c *Config) { c.ComplianceRegion = "nam12b" })
		resp, body := e.do(t, http.MethodGet, "/adminapi/v1.0/"+testDomain+"/Recipient", tokAdmin, nil, nil)
		wantStatus(t, resp, body, http.StatusFound)
		loc := resp.Header.Get("Location")
		if !strings.HasSuffix(loc, "/region/nam12b/adminapi/v1.0/"+testDomain+"/Recipient") {
			t.Fatalf("Location %q", loc)
		}
		resp, body = e.do(t, http.MethodGet, loc, tokAdmin, nil, nil)
		wantStatus(t, resp, body, http.StatusOK)
		if ctx := decodePage(t, body).Context; !strings.HasSuffix(ctx, "/region/nam12b/adminapi/v1.0/"+testDomain+"/$metadata#Recipient") {
			t.Errorf("@odata.context %q", ctx)
		}
	})
	if got := e.backend.lastQuery().Route(); got != RouteMobileDeviceStatisticsByIdentity {
		t.Errorf("Route() = %q", got)
	}
}

func TestEntityRouteErrors(t *testing.T) {
	cases := []struct {
		name   string
		method string
		path   string
		token  string
		header map[string]string
		status int
		want   string // in the body
	}{
		{"unknown navigation", "GET", "Mailbox('x')/Bogus", "", nil, 404, "Resource not found for the segment 'Bogus'"},
		{"unknown set", "GET", "Mailboxes", "", nil, 404, "Resource not found"},
		{"function without parentheses", "GET", "Mailbox('x')/Exchange.GetMailboxStatistics", "", nil, 404, "Resource not found"},
		{"key where none belongs", "GET", "Recipient('x')/GetRecipientPermissionByFilters(identity='')", "", nil, 404, "Resource not found"},
		{"key on a keyless segment", "GET", "Mailbox('x')/MobileDevice('y')/GetMobileDeviceStatistics()", "", nil, 404, "Resource not found"},
		{"no token", "GET", "Mailbox", "", nil, 401, "bearer access token"},
		{"POST", "POST", "Mailbox", tokAdmin, nil, 405, "'POST' is not allowed"},
		{"bad base64", "GET", "Mailbox('not*base64')?isEncoded=true", tokAdmin, nil, 400,
			"RestClientException|The key 'not*base64' of the segment 'Mailbox' is not base64-encoded"},
		{"base64 of non-UTF-8", "GET", "Mailbox('" + url.PathEscape(base64.StdEncoding.EncodeToString([]byte{0xff, 0xfe})) + "')?isEncoded=true", tokAdmin, nil, 400, "not base64-encoded UTF-8"},
		{"unquoted key", "GET", "Mailbox(abc)", tokAdmin, nil, 400, "must be a single-quoted string"},
		{"stray quote", "GET", "Mailbox('a'b')", tokAdmin, nil, 400, "must be a single-quoted string"},
		{"unknown argument", "GET", "Mailbox('x')/MailboxFolder/GetMailboxFolderStatistics(scope='All')", tokAdmin, nil, 400,
			"The function 'GetMailboxFolderStatistics' has no parameter 'scope'"},
		{"argument twice", "GET", "Recipient/GetRecipientPermissionByFilters(identity='',Identity='')", tokAdmin, nil, 400, "given more than once"},
		{"argument without value", "GET", "Recipient/GetRecipientPermissionByFilters(identity)", tokAdmin, nil, 400, "needs a value"},
		{"bad argument literal", "GET", "Recipient/GetRecipientPermissionByFilters(identity=a%20b)", tokAdmin, nil, 400, "not a valid literal"},
		{"bad argument base64", "GET", "Recipient/GetRecipientPermissionByFilters(identity='***')?isEncoded=true", tokAdmin, nil, 400,
			"The parameter 'identity' of the function 'GetRecipientPermissionByFilters' is not base64-encoded"},
		{"missing header", "GET", "Mailbox/MobileDevice/GetMobileDeviceStatisticsByIdentity(Identity='XParameter-Identity')", tokAdmin, nil, 400,
			"refers to the request header 'XParameter-Identity', which is missing"},
		{"unsupported system option", "GET", "Mailbox?$top=5", tokAdmin, nil, 400, "The query option '$top' is not supported."},
		{"isEncoded not a boolean", "GET", "Mailbox?isEncoded=maybe", tokAdmin, nil, 400, "is not a boolean"},
		{"$filter twice", "GET", "Mailbox?$filter=a&$filter=b", tokAdmin, nil, 400, "given more than once"},
		{"bad query string", "GET", "Mailbox?Anr=%zz", tokAdmin, nil, 400, "The query string is not valid"},
		{"backend not found", "GET", "Mailbox('ghost')", tokAdmin, nil, 404, "ManagementObjectNotFoundException|The operation couldn't be performed because object 'ghost'"},
		{"backend refusal", "GET", "Mailbox('bad')", tokAdmin, nil, 400, "RestClientException|Could not find a property named 'Bogus'"},
	}
	e := newEnv(t, 3)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.do(t, tc.method, entityURL(tc.path), tc.token, nil, tc.header)
			wantStatus(t, resp, body, tc.status)
			if !strings.Contains(string(body), tc.want) {
				t.Errorf("body %s\nwant it to contain %q", body, tc.want)
			}
			if resp.Header.Get("request-id") == "" {
				t.Error("no request-id")
			}
		})
	}
}

func TestEntityPaging(t *testing.T) {
	e := newEnv(t, 25)
	prefer := map[string]string{"Prefer": "odata.maxpagesize=10"}
	first := entityURL("Mailbox('')?isEncoded=true&PropertySet=Minimum")
	var sizes []int
	var seen []string
	var links []string
	for next := first; next != ""; {
		resp, body := e.do(t, http.MethodGet, next, tokAdmin, nil, prefer)
		wantStatus(t, resp, body, http.StatusOK)
		p := decodePage(t, body)
		if !strings.HasSuffix(p.Context, "/$metadata#Mailbox") {
			t.Errorf("@odata.context %q", p.Context)
		}
		sizes = append(sizes, len(p.Value))
		for _, v := range p.Value {
			seen = append(seen, v["DisplayName"].(string))
		}
		if q := e.backend.lastQuery(); !reflect.DeepEqual(q.PropertySets, []string{"Minimum"}) {
			t.Errorf("page %d lost the query options: %+v", len(sizes), q)
		}
		next = p.NextLink
		links = append(links, next)
	}
	if !reflect.DeepEqual(sizes, []int{10, 10, 5}) || len(seen) != 25 || seen[24] != "User 24" {
		t.Fatalf("pages %v, objects %d", sizes, len(seen))
	}
	link, err := url.Parse(links[0])
	if err != nil || link.Query().Get("isEncoded") != "true" || link.Query().Get("$skiptoken") == "" ||
		!strings.HasPrefix(links[0], "https://") {
		t.Fatalf("nextLink %q", links[0])
	}

	t.Run("default page size", func(t *testing.T) {
		e := newEnv(t, 150)
		resp, body := e.do(t, http.MethodGet, entityURL("Mailbox"), tokAdmin, nil, nil)
		wantStatus(t, resp, body, http.StatusOK)
		if p := decodePage(t, body); len(p.Value) != DefaultEntityPageSize || p.NextLink == "" {
			t.Errorf("%d entities without Prefer", len(p.Value))
		}
	})
	t.Run("link bound to the request", func(t *testing.T) {
		changed := strings.Replace(links[0], "PropertySet=Minimum", "PropertySet=All", 1)
		resp, body := e.do(t, http.MethodGet, changed, tokAdmin, nil, prefer)
		wantStatus(t, resp, body, http.StatusBadRequest)
		if !strings.Contains(string(body), "belongs to a different request") {
			t.Errorf("changed query: %s", body)
		}
		resp, body = e.do(t, http.MethodGet, links[0], tokReader, nil, prefer)
		wantStatus(t, resp, body, http.StatusBadRequest)
		other := strings.Replace(links[0], "/Mailbox", "/Recipient", 1)
		resp, body = e.do(t, http.MethodGet, other, tokAdmin, nil, prefer)
		wantStatus(t, resp, body, http.StatusBadRequest)
		e.clock.Advance(2 * time.Hour)
		resp, body = e.do(t, http.MethodGet, links[0], tokAdmin, nil, prefer)
		wantStatus(t, resp, body, http.StatusBadRequest)
		if !strings.Contains(string(body), "expired") {
			t.Errorf("old link: %s", body)
		}
	})
}

func TestEntityJSON(t *testing.T) {
	e := newEnv(t, 3)
	resp, body := e.do(t, http.MethodGet, entityURL("Mailbox('typed')"), tokAdmin, nil, map[string]string{"Accept-Encoding": "identity"})
	wantStatus(t, resp, body, http.StatusOK)
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"@odata.context":  "https://" + strings.TrimPrefix(e.ts.URL, "https://") + "/adminapi/beta/" + testTenant + "/$metadata#Mailbox/$entity",
		"Str":             "a_x0041_<b>&\r\n",
		"Flag":            true,
		"Count":           42.0,
		"Small":           7.0,
		"Big":             float64(int64(1) << 40),
		"Ratio":           0.5,
		"When@odata.type": "#DateTimeOffset",
		"When":            "2024-01-02T03:04:05.0000006Z",
		"Id@odata.type":   "#Guid",
		"Id":              "11111111-2222-3333-4444-555555555555",
		"Span":            "1.12:01:30",
		"Size":            "1.5 KB (1,536 bytes)",
		"Raw@odata.type":  "#Binary",
		"Raw":             "AQL/",
		"Table":           map[string]any{"a": "x", "b": 2.0},
		"Nums":            []any{1.0, 2.0},
		"Ids@odata.type":  "#Collection(Guid)",
		"Ids":             []any{"11111111-2222-3333-4444-555555555555"},
		"Tables":          []any{map[string]any{"k": "v"}},
		"Nothing":         nil,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("entity\n got %v\nwant %v", got, want)
	}
	// Members keep the record's order, each annotation before its value.
	if i, j := bytes.Index(body, []byte(`"When@odata.type"`)), bytes.Index(body, []byte(`"When"`)); i < 0 || i > j ||
		bytes.Index(body, []byte(`"Str"`)) > bytes.Index(body, []byte(`"Flag"`)) {
		t.Errorf("member order: %s", body)
	}

	// Complex values: a Record and a []Record, as MailboxPermission's
	// PermissionList; dates inside keep their annotation.
	raw, typ, err := entityValue([]Record{{Properties: []Property{
		{"AccessRights", []string{"FullAccess"}}, {"IsInherited", false},
		{"Since", time.Date(2025, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600))},
	}}})
	if err != nil || typ != "" || string(raw) != `[{"AccessRights":["FullAccess"],"IsInherited":false,"Since@odata.type":"#DateTimeOffset","Since":"2025-01-02T02:04:05Z"}]` {
		t.Errorf("[]Record: %s %q %v", raw, typ, err)
	}
	if raw, typ, _ := entityValue([]any{time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC), nil}); typ != "#Collection(DateTimeOffset)" ||
		string(raw) != `["2025-01-02T00:00:00Z",null]` {
		t.Errorf("dates: %s %s", raw, typ)
	}
	if _, _, err := entityValue(make(chan int)); err == nil {
		t.Error("a channel encoded")
	}
	if raw, typ, _ := entityValue(uuid.Nil); typ != "#Guid" || string(raw) != `"00000000-0000-0000-0000-000000000000"` {
		t.Errorf("GUID: %s %s", raw, typ)
	}
}

func TestEntityWarningsAndFaults(t *testing.T) {
	e := newEnv(t, 3, func(c *Config) {
		c.Settings.Faults = []Fault{{Kind: FaultStatus, Status: 503, Count: 1, Routes: []string{"recipient"}}}
	})
	resp, body := e.do(t, http.MethodGet, entityURL("Mailbox('warn')"), tokAdmin, nil, nil)
	wantStatus(t, resp, body, http.StatusOK)
	if got := resp.Header.Values("X-Warnings"); !reflect.DeepEqual(got, []string{"first warning", "second warning"}) {
		t.Errorf("X-Warnings %q", got)
	}
	// A fault aimed at the Recipient set leaves Mailbox alone.
	resp, body = e.do(t, http.MethodGet, entityURL("Mailbox"), tokAdmin, nil, nil)
	wantStatus(t, resp, body, http.StatusOK)
	resp, body = e.do(t, http.MethodGet, entityURL("Recipient('x')/RecipientPermission"), tokAdmin, nil, nil)
	wantStatus(t, resp, body, http.StatusServiceUnavailable)
	resp, body = e.do(t, http.MethodGet, entityURL("Recipient('x')/RecipientPermission"), tokAdmin, nil, nil)
	wantStatus(t, resp, body, http.StatusOK)
}

func TestEntityThrottling(t *testing.T) {
	t.Run("request budget", func(t *testing.T) {
		e := newEnv(t, 1, func(c *Config) { c.Settings.Throttle = ThrottleSettings{Budget: 1, Window: Duration(time.Hour)} })
		resp, body := e.do(t, http.MethodGet, entityURL("Mailbox"), tokAdmin, nil, nil)
		wantStatus(t, resp, body, http.StatusOK)
		resp, body = e.do(t, http.MethodGet, entityURL("Mailbox"), tokAdmin, nil, nil)
		wantStatus(t, resp, body, http.StatusTooManyRequests)
		if resp.Header.Get("Retry-After") != "3600" || !strings.Contains(detailMessage(t, body), "ThrottlingException") {
			t.Errorf("429: Retry-After %q, %s", resp.Header.Get("Retry-After"), body)
		}
	})
	t.Run("concurrency limit", func(t *testing.T) {
		e := newEnv(t, 1, func(c *Config) { c.Settings.Throttle.MaxConcurrent = 1 })
		var wg sync.WaitGroup
		var slowStatus int
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodGet, e.url(entityURL("Mailbox('slow')")), nil)
			req.Header.Set("Authorization", "Bearer "+tokAdmin)
			if resp, err := e.client.Do(req); err == nil {
				slowStatus = resp.StatusCode
				resp.Body.Close()
			}
		})
		<-e.backend.inSlow
		for _, try := range []func() (*http.Response, []byte){
			func() (*http.Response, []byte) {
				return e.do(t, http.MethodGet, entityURL("Mailbox"), tokAdmin, nil, nil)
			},
			func() (*http.Response, []byte) { return e.invoke(t, tokAdmin, "Get-Mailbox", nil, nil) },
		} {
			resp, body := try()
			wantStatus(t, resp, body, http.StatusInternalServerError)
			if string(body) != concurrencyMessage || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
				t.Errorf("concurrency answer %q (%s)", body, resp.Header.Get("Content-Type"))
			}
		}
		close(e.backend.release)
		wg.Wait()
		if slowStatus != http.StatusOK {
			t.Errorf("slow query status %d", slowStatus)
		}
		resp, body := e.do(t, http.MethodGet, entityURL("Mailbox"), tokAdmin, nil, nil)
		wantStatus(t, resp, body, http.StatusOK)
	})
	t.Run("timeout", func(t *testing.T) {
		e := newEnv(t, 1, func(c *Config) { c.Settings.CmdletTimeout = Duration(50 * time.Millisecond) })
		resp, body := e.do(t, http.MethodGet, entityURL("Mailbox('slow')"), tokAdmin, nil, nil)
		wantStatus(t, resp, body, http.StatusGatewayTimeout)
		if msg := detailMessage(t, body); !strings.Contains(msg, "|System.TimeoutException|The query of 'Mailbox' didn't finish within 50ms") {
			t.Errorf("timeout message %q", msg)
		}
	})
}
