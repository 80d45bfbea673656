package cmdlets

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/store"
)

// entityEnv serves a seeded tenant's engine behind the real protocol layer.
type entityEnv struct {
	*fixture
	srv  *httptest.Server
	base string // .../adminapi/beta/{tenant}/
}

func newEntityEnv(t testing.TB, mailboxes int, settings ...func(*adminapi.Settings)) *entityEnv {
	t.Helper()
	f := newFixture(t, mailboxes)
	tenant, err := f.st.Tenant(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	cfg := adminapi.Config{Verifier: roleVerifier{tenant.ID}, Backend: f.e, Audience: exoAudience,
		LinkKey: []byte("0123456789abcdef0123456789abcdef")}
	for _, s := range settings {
		s(&cfg.Settings)
	}
	api, err := adminapi.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(api)
	t.Cleanup(srv.Close)
	return &entityEnv{fixture: f, srv: srv, base: srv.URL + "/adminapi/beta/" + tenant.ID + "/"}
}

// reply is a decoded entity-route answer.
type reply struct {
	status int
	header http.Header
	raw    []byte
	obj    map[string]any
}

// values are a collection's entities.
func (r reply) values() []map[string]any {
	var out []map[string]any
	for _, v := range r.obj["value"].([]any) {
		out = append(out, v.(map[string]any))
	}
	return out
}

// detail is the error's details[0].message.
func (r reply) detail() string {
	var env struct {
		Error struct {
			Details []struct{ Message string } `json:"details"`
		} `json:"error"`
	}
	if json.Unmarshal(r.raw, &env) != nil || len(env.Error.Details) == 0 {
		return ""
	}
	return env.Error.Details[0].Message
}

// get sends a GET as the module does, as Organization Management unless
// hdr names another role in "role".
func (en *entityEnv) get(t testing.TB, path string, hdr map[string]string) reply {
	t.Helper()
	target := path
	if !strings.HasPrefix(path, "https://") {
		target = en.base + path
	}
	req, err := http.NewRequest(http.MethodGet, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	role := store.RoleOrganizationManagement
	for k, v := range hdr {
		if k == "role" {
			role = v
			continue
		}
		req.Header.Set(k, v)
	}
	req.Header.Set("Authorization", "Bearer "+role)
	req.Header.Set("Accept", "application/json")
	resp, err := en.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := reply{status: resp.StatusCode, header: resp.Header, raw: raw}
	_ = json.Unmarshal(raw, &r.obj)
	return r
}

// all follows nextLinks and returns every entity.
func (en *entityEnv) all(t *testing.T, path string, pageSize int) ([]map[string]any, int) {
	t.Helper()
	var out []map[string]any
	pages := 0
	for next := path; next != ""; pages++ {
		r := en.get(t, next, map[string]string{"Prefer": fmt.Sprintf("odata.maxpagesize=%d", pageSize)})
		if r.status != http.StatusOK {
			t.Fatalf("page %d of %s: %d %s", pages, path, r.status, r.raw)
		}
		vals := r.values()
		if len(vals) > pageSize {
			t.Fatalf("page of %d entities", len(vals))
		}
		out = append(out, vals...)
		next, _ = r.obj["@odata.nextLink"].(string)
	}
	return out, pages
}

// key is a key or argument as the module encodes it.
func key(s string) string {
	return "'" + strings.NewReplacer("+", "%2B", "/", "%2F").Replace(base64.StdEncoding.EncodeToString([]byte(s))) + "'"
}

// names lists a single entity's properties in order, without annotations.
func names(raw []byte) []string {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	if _, err := dec.Token(); err != nil {
		return nil
	}
	var out []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return out
		}
		if name := tok.(string); !strings.Contains(name, "@") {
			out = append(out, name)
		}
	}
	return out
}

// propCount counts an entity's properties, without annotations.
func propCount(obj map[string]any) int {
	n := 0
	for k := range obj {
		if !strings.Contains(k, "@") {
			n++
		}
	}
	return n
}

func TestEntityMailbox(t *testing.T) {
	en := newEntityEnv(t, 30)
	mbs := en.mailboxes()
	mb := en.mailboxes("UserMailbox")[0]
	minimum := strings.Fields(`ExternalDirectoryObjectId UserPrincipalName Alias DisplayName EmailAddresses
		PrimarySmtpAddress RecipientType RecipientTypeDetails Identity Id ExchangeVersion Name DistinguishedName
		OrganizationId Guid`)

	all, _ := en.all(t, "Mailbox", 1000)
	if len(all) != len(mbs) {
		t.Fatalf("%d mailboxes, want %d", len(all), len(mbs))
	}
	for _, id := range []string{mb.UserPrincipalName, mb.ExternalDirectoryObjectID, mb.Alias, mb.ExchangeGUID} {
		r := en.get(t, "Mailbox("+key(id)+")?isEncoded=true", nil)
		if r.status != 200 || r.obj["Guid"] != mb.GUID || r.obj["Guid@odata.type"] != "#Guid" {
			t.Fatalf("Mailbox(%s): %d %.300s", id, r.status, r.raw)
		}
		if got := names(r.raw); !slices.Equal(got, minimum) {
			t.Fatalf("Minimum properties %v", got)
		}
		if !strings.HasSuffix(r.obj["@odata.context"].(string), "/$metadata#Mailbox/$entity") {
			t.Fatalf("context %v", r.obj["@odata.context"])
		}
	}
	// A plain key, without isEncoded.
	if r := en.get(t, "mailbox('"+url.PathEscape(mb.Alias)+"')", nil); r.status != 200 || r.obj["Alias"] != mb.Alias {
		t.Fatalf("plain key: %d %.300s", r.status, r.raw)
	}

	// Sets in table order after Minimum, then $select in canonical case.
	r := en.get(t, "Mailbox("+key(mb.UserPrincipalName)+")?isEncoded=true&PropertySet=Quota,Archive,Minimum&$select=office,WhenCreated,Alias", nil)
	want := slices.Concat(minimum, []string{"ArchiveDatabase", "ArchiveDomain", "ArchiveGuid", "ArchiveName", "ArchiveQuota",
		"ArchiveRelease", "ArchiveState", "ArchiveStatus", "ArchiveWarningQuota", "AutoExpandingArchiveEnabled",
		"DisabledArchiveDatabase", "DisabledArchiveGuid", "JournalArchiveAddress", "CalendarLoggingQuota", "IssueWarningQuota",
		"ProhibitSendQuota", "ProhibitSendReceiveQuota", "RecoverableItemsQuota", "RecoverableItemsWarningQuota", "RulesQuota",
		"UseDatabaseQuotaDefaults", "Office", "WhenCreated"})
	if got := names(r.raw); r.status != 200 || !slices.Equal(got, want) {
		t.Fatalf("sets: %d\n got %v\nwant %v", r.status, got, want)
	}
	if r.obj["WhenCreated@odata.type"] != "#DateTimeOffset" || !strings.HasSuffix(r.obj["WhenCreated"].(string), "Z") ||
		!strings.HasSuffix(r.obj["ProhibitSendQuota"].(string), "bytes)") {
		t.Fatalf("typed values: %v %v %v", r.obj["WhenCreated@odata.type"], r.obj["WhenCreated"], r.obj["ProhibitSendQuota"])
	}
	if _, err := time.Parse(time.RFC3339, r.obj["WhenCreated"].(string)); err != nil {
		t.Fatal(err)
	}
	// All has every property the Get-EXO* output keeps.
	r = en.get(t, "Mailbox("+key(mb.UserPrincipalName)+")?isEncoded=true&PropertySet=All", nil)
	if got := names(r.raw); len(got) < 230 || slices.Contains(got, "IsValid") || !slices.Contains(got, "ExoExchangeSecurityDescriptor") {
		t.Fatalf("All: %d properties", len(got))
	}

	t.Run("options", func(t *testing.T) {
		shared := en.mailboxes("SharedMailbox")
		got, _ := en.all(t, "Mailbox?RecipientTypeDetails=SharedMailbox,RoomMailbox", 1000)
		if len(got) != len(shared)+len(en.mailboxes("RoomMailbox")) {
			t.Fatalf("RecipientTypeDetails: %d", len(got))
		}
		withArchive := 0
		for i := range mbs {
			if hasArchive(&mbs[i]) {
				withArchive++
			}
		}
		if got, _ := en.all(t, "Mailbox?Archive=true", 1000); len(got) != withArchive || withArchive == 0 {
			t.Fatalf("Archive: %d of %d", len(got), withArchive)
		}
		if got, _ := en.all(t, "Mailbox?Anr="+url.QueryEscape(mb.Alias[:3]), 1000); len(got) == 0 ||
			!slices.ContainsFunc(got, func(o map[string]any) bool { return o["Alias"] == mb.Alias }) {
			t.Fatalf("Anr: %v", got)
		}
		ou := propString(mb.Props, "OrganizationalUnit")
		for _, v := range []string{ou, propString(mb.Props, "OrganizationalUnitRoot"), parentDN(mb.DistinguishedName)} {
			if got, _ := en.all(t, "Mailbox?OrganizationalUnit="+url.QueryEscape(v), 1000); len(got) != len(mbs) {
				t.Fatalf("OrganizationalUnit=%s: %d", v, len(got))
			}
		}
		if got, _ := en.all(t, "Mailbox?OrganizationalUnit=elsewhere", 1000); len(got) != 0 {
			t.Fatalf("unknown OU: %d", len(got))
		}
		plan := propString(mb.Props, "MailboxPlan")
		name, guid := plan[:len(plan)-37], plan[len(plan)-36:]
		for _, v := range []string{plan, name, strings.ToUpper(guid)} {
			if got, _ := en.all(t, "Mailbox?MailboxPlan="+url.QueryEscape(v), 1000); len(got) == 0 ||
				!slices.ContainsFunc(got, func(o map[string]any) bool { return o["Alias"] == mb.Alias }) {
				t.Fatalf("MailboxPlan=%s: %d", v, len(got))
			}
		}
		// A keyed read the options exclude is not found.
		noArchive := slices.IndexFunc(mbs, func(r store.Recipient) bool { return !hasArchive(&r) })
		r := en.get(t, "Mailbox("+key(mbs[noArchive].UserPrincipalName)+")?isEncoded=true&Archive=true", nil)
		if r.status != 404 || !strings.Contains(r.detail(), "ManagementObjectNotFoundException") {
			t.Fatalf("excluded keyed read: %d %s", r.status, r.raw)
		}
		if r := en.get(t, "Mailbox?Archive=perhaps", nil); r.status != 400 || !strings.Contains(r.detail(), "'perhaps' of the query option 'Archive' is not a boolean") {
			t.Fatalf("bad switch: %d %s", r.status, r.raw)
		}
	})
	t.Run("soft-deleted", func(t *testing.T) {
		victim := en.mailboxes("UserMailbox")[3]
		if err := en.st.RemoveRecipient(en.ctx, victim.Key, false); err != nil {
			t.Fatal(err)
		}
		if r := en.get(t, "Mailbox("+key(victim.UserPrincipalName)+")?isEncoded=true", nil); r.status != 404 {
			t.Fatalf("removed mailbox: %d", r.status)
		}
		got, _ := en.all(t, "Mailbox?SoftDeletedMailbox=true", 1000)
		if !slices.ContainsFunc(got, func(o map[string]any) bool { return o["Guid"] == victim.GUID }) {
			t.Fatalf("soft-deleted listing misses %s", victim.Name)
		}
	})
}

func TestEntityNotFound(t *testing.T) {
	en := newEntityEnv(t, 10)
	_, err := en.invoke(call{name: "Get-Mailbox", params: map[string]any{"Identity": "ghost@contoso.com"}})
	classic := expectError(t, err, adminapi.ClassObjectNotFound)
	mb := en.mailboxes("UserMailbox")[0]
	for _, path := range []string{
		"Mailbox(" + key("ghost@contoso.com") + ")?isEncoded=true",
		"Recipient(" + key("ghost@contoso.com") + ")?isEncoded=true",
		"CasMailbox(" + key("ghost@contoso.com") + ")?isEncoded=true",
		"Mailbox(" + key("ghost@contoso.com") + ")/Exchange.GetMailboxStatistics()?isEncoded=true",
		"Mailbox(" + key("ghost@contoso.com") + ")/MailboxFolder/Exchange.GetMailboxFolderStatistics(folderscope=Exchange.ElcFolderType'All')?isEncoded=true",
		"Mailbox(" + key("ghost@contoso.com") + ")/MailboxPermission?isEncoded=true",
		"Mailbox(" + key(mb.Alias) + ")/MailboxPermission(" + key("ghost@contoso.com") + ")?isEncoded=true",
		"Recipient(" + key("ghost@contoso.com") + ")/RecipientPermission?isEncoded=true",
		"Recipient/Exchange.GetRecipientPermissionByFilters(identity=" + key("ghost@contoso.com") + ",trustee='',accessRights='')?isEncoded=true",
		"Mailbox(" + key("ghost@contoso.com") + ")/MailboxFolder(" + key(`\Inbox`) + ")/MailboxFolderPermission?isEncoded=true",
		"Mailbox(" + key("ghost@contoso.com") + ")/MobileDevice/Exchange.GetMobileDeviceStatistics()?isEncoded=true",
	} {
		r := en.get(t, path, nil)
		if r.status != 404 || r.detail() != classic.Error() {
			t.Errorf("%s: %d %q\nwant %q", path, r.status, r.detail(), classic.Error())
		}
		if r.header.Get("x-ExceptionType") != "ManagementObjectNotFoundException" {
			t.Errorf("%s: x-ExceptionType %q", path, r.header.Get("x-ExceptionType"))
		}
	}
}

func TestEntityRecipient(t *testing.T) {
	en := newEntityEnv(t, 30)
	recipients, err := en.st.ListRecipients(en.ctx, store.RecipientQuery{})
	if err != nil {
		t.Fatal(err)
	}
	got, pages := en.all(t, "Recipient", 9)
	if len(got) != len(recipients) || pages != (len(recipients)+8)/9 {
		t.Fatalf("%d recipients in %d pages, want %d", len(got), pages, len(recipients))
	}
	var seen []string
	for _, o := range got {
		seen = append(seen, strings.ToLower(o["Name"].(string)))
	}
	if !slices.IsSorted(seen) {
		t.Fatalf("not name-sorted: %v", seen)
	}
	r := en.get(t, "Recipient("+key(recipients[0].PrimarySMTPAddress)+")?isEncoded=true&PropertySet=Archive", nil)
	want := strings.Fields(`ExternalDirectoryObjectId Identity Alias EmailAddresses DisplayName Name PrimarySmtpAddress
		RecipientType RecipientTypeDetails ExchangeVersion DistinguishedName OrganizationId ArchiveDatabase ArchiveGuid
		ArchiveRelease ArchiveState ArchiveStatus`)
	if n := names(r.raw); r.status != 200 || !slices.Equal(n, want) {
		t.Fatalf("Recipient: %d %v", r.status, n)
	}
	contacts, _ := en.all(t, "Recipient?RecipientTypeDetails=MailContact", 1000)
	if len(contacts) == 0 || len(contacts) != len(en.mailboxes("MailContact")) {
		t.Fatalf("contacts %d", len(contacts))
	}
	if got, _ := en.all(t, "Recipient?RecipientType=UserMailbox&RecipientTypeDetails=SharedMailbox", 1000); len(got) != len(en.mailboxes("SharedMailbox")) {
		t.Fatalf("RecipientType and RecipientTypeDetails: %d", len(got))
	}
}

func TestEntityCasMailbox(t *testing.T) {
	en := newEntityEnv(t, 10)
	mb := en.mailboxes("UserMailbox")[0]
	r := en.get(t, "CasMailbox("+key(mb.UserPrincipalName)+")?isEncoded=true", nil)
	minimum := strings.Fields(`ActiveSyncEnabled DisplayName ECPEnabled EmailAddresses EwsEnabled ExchangeVersion Guid
		Identity ImapEnabled MAPIEnabled Name OWAEnabled OrganizationId PopEnabled PrimarySmtpAddress ServerLegacyDN`)
	if n := names(r.raw); r.status != 200 || !slices.Equal(n, minimum) {
		t.Fatalf("CasMailbox: %d %v", r.status, n)
	}
	r = en.get(t, "CasMailbox("+key(mb.UserPrincipalName)+")?isEncoded=true&ProtocolSettings=true", nil)
	if n := names(r.raw); !slices.Contains(n, "ExternalImapSettings") || !slices.Contains(n, "InternalSmtpSettings") {
		t.Fatalf("ProtocolSettings: %v", n)
	}
	if got, _ := en.all(t, "CasMailbox?$filter="+url.QueryEscape("ImapEnabled eq false"), 1000); len(got) > len(en.mailboxes()) {
		t.Fatalf("filter: %d", len(got))
	}
}

func TestEntityFilter(t *testing.T) {
	en := newEntityEnv(t, 30)
	mb := en.mailboxes("UserMailbox")[2]
	count := func(set, filter string) int {
		t.Helper()
		got, _ := en.all(t, set+"?$filter="+url.QueryEscape(filter), 1000)
		return len(got)
	}
	cases := []struct {
		set, filter string
		want        int
	}{
		{"Mailbox", "RecipientTypeDetails eq 'SharedMailbox'", len(en.mailboxes("SharedMailbox"))},
		{"Mailbox", "not (RecipientTypeDetails eq 'SharedMailbox')", len(en.mailboxes()) - len(en.mailboxes("SharedMailbox"))},
		{"Mailbox", "UserPrincipalName eq '" + strings.ToUpper(mb.UserPrincipalName) + "'", 1},
		{"Mailbox", "startswith(Alias,'" + mb.Alias + "') and Alias eq '" + mb.Alias + "'", 1},
		{"Mailbox", "EmailAddresses/any(d:d eq 'smtp:" + mb.PrimarySMTPAddress + "')", 1},
		{"Mailbox", "ExternalDirectoryObjectId eq '" + mb.ExternalDirectoryObjectID + "'", 1},
		{"Recipient", "RecipientTypeDetails eq 'MailContact'", len(en.mailboxes("MailContact"))},
		{"Recipient", "Alias eq '" + mb.Alias + "' or Alias eq 'nobody-at-all'", 1},
		{"CasMailbox", "PrimarySmtpAddress eq '" + mb.PrimarySMTPAddress + "'", 1},
	}
	for _, tc := range cases {
		if got := count(tc.set, tc.filter); got != tc.want || got == 0 {
			t.Errorf("%s $filter=%s: %d, want %d", tc.set, tc.filter, got, tc.want)
		}
	}
	// With a key the filter still applies.
	r := en.get(t, "Mailbox("+key(mb.Alias)+")?isEncoded=true&$filter="+url.QueryEscape("RecipientTypeDetails eq 'SharedMailbox'"), nil)
	if r.status != 404 {
		t.Errorf("keyed read outside the filter: %d", r.status)
	}

	errs := []struct {
		path, want string
	}{
		{"Mailbox?$filter=" + url.QueryEscape("Alias eq"), "RestClientException|Expression expected at position 8 in 'Alias eq'."},
		{"Mailbox?$filter=" + url.QueryEscape("Bogus eq 'x'"), "RestClientException|Could not find a property named 'Bogus' on type 'Exchange.Mailbox'."},
		{"Recipient?$filter=" + url.QueryEscape("Members eq 'x'"), "RestClientException|The property 'Members' on type 'Exchange.Recipient' can't be used in $filter."},
		{"CasMailbox?$filter=" + url.QueryEscape("ExternalDirectoryObjectId eq 'x'"), "can't be used in $filter"},
		{"Mailbox?$filter=" + url.QueryEscape("EmailAddresses eq 'x'"), "is a collection"},
		{"Recipient(" + key(mb.Alias) + ")/RecipientPermission?isEncoded=true&$filter=" + url.QueryEscape("Trustee eq 'x'"),
			"The query option '$filter' is not supported on Exchange.RecipientPermission."},
	}
	for _, tc := range errs {
		r := en.get(t, tc.path, nil)
		if r.status != 400 || !strings.Contains(r.detail(), tc.want) {
			t.Errorf("%s: %d %q, want %q", tc.path, r.status, r.detail(), tc.want)
		}
	}
}

func TestEntityPropertySetErrors(t *testing.T) {
	en := newEntityEnv(t, 5)
	mb := en.mailboxes("UserMailbox")[0]
	cases := []struct {
		path, want string
	}{
		{"Mailbox?PropertySet=Minimum,Bogus", "The property set 'Bogus' is not valid for Exchange.Mailbox. Valid property sets are Minimum, AddressList, Archive,"},
		{"Recipient?PropertySet=Quota", "The property set 'Quota' is not valid for Exchange.Recipient."},
		{"CasMailbox?$select=Name,Nope", "Could not find a property named 'Nope' on type 'Exchange.CasMailbox'."},
		{"Mailbox?$select=IsValid", "Could not find a property named 'IsValid' on type 'Exchange.Mailbox'."},
		{"Mailbox(" + key(mb.Alias) + ")/Exchange.GetMailboxStatistics()?isEncoded=true&PropertySet=Quota", "'Quota' is not valid for Exchange.MailboxStatistics"},
		{"Mailbox(" + key(mb.Alias) + ")/MailboxPermission?isEncoded=true&$select=Owner", "named 'Owner' on type 'Exchange.MailboxPermission'"},
	}
	for _, tc := range cases {
		r := en.get(t, tc.path, nil)
		if r.status != 400 || !strings.Contains(r.detail(), tc.want) || !strings.Contains(r.detail(), adminapi.ClassRestClient) {
			t.Errorf("%s: %d %q, want %q", tc.path, r.status, r.detail(), tc.want)
		}
	}
}

func TestEntityStatistics(t *testing.T) {
	en := newEntityEnv(t, 20)
	mbs := en.mailboxes("UserMailbox")
	mb := mbs[0]
	path := "Mailbox(" + key(mb.UserPrincipalName) + ")/Exchange.GetMailboxStatistics()?isEncoded=true"
	r := en.get(t, path, nil)
	if n := names(r.raw); r.status != 200 || !slices.Equal(n, strings.Fields(`DeletedItemCount DisplayName ItemCount MailboxGuid
		TotalDeletedItemSize TotalItemSize`)) || r.obj["MailboxGuid"] != mb.ExchangeGUID || r.obj["MailboxGuid@odata.type"] != "#Guid" {
		t.Fatalf("statistics: %d %s", r.status, r.raw)
	}
	if !strings.HasSuffix(r.obj["@odata.context"].(string), "#MailboxStatistics/$entity") {
		t.Fatalf("context %v", r.obj["@odata.context"])
	}
	r = en.get(t, path+"&PropertySet=All&$select=LastUserActionTime", nil)
	if n := names(r.raw); len(n) != 61 || n[len(n)-1] != "LastUserActionTime" || !slices.Contains(n, "OwnerADGuid") {
		t.Fatalf("All: %d %v", len(n), n)
	}
	for _, m := range mbs {
		if hasArchive(&m) {
			r := en.get(t, "Mailbox("+key(m.Alias)+")/Exchange.GetMailboxStatistics()?isEncoded=true&Archive=true", nil)
			if r.status != 200 || !strings.HasPrefix(r.obj["DisplayName"].(string), "In-Place Archive") {
				t.Fatalf("archive statistics: %d %s", r.status, r.raw)
			}
		} else {
			r := en.get(t, "Mailbox("+key(m.Alias)+")/Exchange.GetMailboxStatistics()?isEncoded=true&Archive=true", nil)
			if r.status != 404 {
				t.Fatalf("statistics of a missing archive: %d", r.status)
			}
		}
	}
}

func TestEntityFolderStatistics(t *testing.T) {
	en := newEntityEnv(t, 10)
	mb := en.mailboxes("UserMailbox")[0]
	classic := en.run("Get-MailboxFolderStatistics", map[string]any{"Identity": mb.Alias})
	base := "Mailbox(" + key(mb.UserPrincipalName) + ")/MailboxFolder/Exchange.GetMailboxFolderStatistics(folderscope=Exchange.ElcFolderType'%s')?isEncoded=true"
	all, pages := en.all(t, fmt.Sprintf(base, "All"), 4)
	if len(all) != len(classic.Records) || pages < 2 {
		t.Fatalf("%d folders in %d pages, want %d", len(all), pages, len(classic.Records))
	}
	r := en.get(t, fmt.Sprintf(base, "inbox")+"&IncludeOldestAndNewestItems=true", nil)
	inbox := r.values()
	if r.status != 200 || len(inbox) != 1 || inbox[0]["FolderType"] != "Inbox" || inbox[0]["Identity"] != mb.Alias+`\Inbox` {
		t.Fatalf("Inbox: %d %s", r.status, r.raw)
	}
	if inbox[0]["CreationTime@odata.type"] != "#DateTimeOffset" || !strings.HasSuffix(inbox[0]["FolderSize"].(string), "bytes)") {
		t.Fatalf("Inbox values: %v", inbox[0])
	}
	if n := propCount(inbox[0]); n != len(folderStatisticsShape.all) {
		t.Fatalf("%d properties", n)
	}
	// The entity's properties are the classic output's, in its order.
	var classicNames []string
	for _, p := range classic.Records[0].Properties {
		classicNames = append(classicNames, p.Name)
	}
	if !slices.Equal(classicNames, folderStatisticsShape.all) {
		t.Fatalf("shape %v\nclassic %v", folderStatisticsShape.all, classicNames)
	}
	if r := en.get(t, fmt.Sprintf(base, "Clutter"), nil); r.status != 200 || len(r.values()) != 0 {
		t.Fatalf("Clutter: %d %s", r.status, r.raw)
	}
	r = en.get(t, fmt.Sprintf(base, "Bogus"), nil)
	if r.status != 400 || !strings.Contains(r.detail(), "The value 'Bogus' is not a valid Exchange.ElcFolderType.") {
		t.Fatalf("bad scope: %d %s", r.status, r.raw)
	}
	if r := en.get(t, fmt.Sprintf(base, "All")+"&Archive=true", nil); (r.status == 200) != hasArchive(&mb) {
		t.Fatalf("archive folders: %d", r.status)
	}
}

func TestEntityMailboxPermission(t *testing.T) {
	en := newEntityEnv(t, 20)
	mbs := en.mailboxes("UserMailbox")
	mb, delegate := mbs[0], mbs[1]
	en.run("Add-MailboxPermission", map[string]any{"Identity": mb.Alias, "User": delegate.Alias, "AccessRights": []string{"FullAccess"}})
	en.run("Add-MailboxPermission", map[string]any{"Identity": mb.Alias, "User": delegate.Alias, "AccessRights": []string{"ReadPermission"}, "Deny": true})
	base := "Mailbox(" + key(mb.UserPrincipalName) + ")/MailboxPermission"

	r := en.get(t, base+"?isEncoded=true", nil)
	list := r.values()
	if r.status != 200 || len(list) != 3 {
		t.Fatalf("permissions: %d %s", r.status, r.raw)
	}
	if n := propCount(list[0]); n != 5 {
		t.Fatalf("properties %v", n)
	}
	self, granted, owner := list[0], list[1], list[2]
	if self["User"] != `NT AUTHORITY\SELF` || self["IsOwner"] != false || self["MailboxIdentity"] != identityOf(&mb) {
		t.Fatalf("SELF entity %v", self)
	}
	entries := granted["PermissionList"].([]any)
	if granted["User"] != delegate.UserPrincipalName || len(entries) != 2 {
		t.Fatalf("delegate entity %v", granted)
	}
	if e := entries[1].(map[string]any); e["Deny"] != true || fmt.Sprint(e["AccessRights"]) != "[ReadPermission]" {
		t.Fatalf("deny entry %v", e)
	}
	if owner["User"] != mailboxOwner || owner["IsOwner"] != true || len(owner["PermissionList"].([]any)) != 0 {
		t.Fatalf("owner entity %v", owner)
	}

	// -Owner, -User, a user without entries.
	r = en.get(t, base+"?isEncoded=true&$filter="+url.QueryEscape("IsOwner eq true"), nil)
	if got := r.values(); len(got) != 1 || got[0]["User"] != mailboxOwner {
		t.Fatalf("IsOwner: %s", r.raw)
	}
	r = en.get(t, base+"("+key(delegate.Alias)+")?isEncoded=true", nil)
	if r.status != 200 || r.obj["User"] != delegate.UserPrincipalName || len(r.obj["PermissionList"].([]any)) != 2 ||
		!strings.HasSuffix(r.obj["@odata.context"].(string), "#MailboxPermission/$entity") {
		t.Fatalf("one user: %d %s", r.status, r.raw)
	}
	r = en.get(t, base+"("+key(mbs[2].Alias)+")?isEncoded=true", nil)
	if r.status != 200 || r.obj["User"] != mbs[2].UserPrincipalName || len(r.obj["PermissionList"].([]any)) != 0 {
		t.Fatalf("user without entries: %d %s", r.status, r.raw)
	}

	// Every mailbox's, paged across mailboxes, and one user's across all.
	every, pages := en.all(t, "Mailbox/MailboxPermission", 4)
	want := 0
	for _, m := range en.mailboxes(allMailboxKinds...) {
		r := en.get(t, "Mailbox("+key(m.ExchangeGUID)+")/MailboxPermission?isEncoded=true", nil)
		want += len(r.values())
	}
	if len(every) != want || pages != (want+3)/4 {
		t.Fatalf("all mailboxes: %d in %d pages, want %d", len(every), pages, want)
	}
	mine, _ := en.all(t, "Mailbox/MailboxPermission("+key(delegate.UserPrincipalName)+")?isEncoded=true", 2)
	if len(mine) != 1 || mine[0]["MailboxIdentity"] != identityOf(&mb) {
		t.Fatalf("one user everywhere: %v", mine)
	}
}

func TestEntityRecipientPermission(t *testing.T) {
	en := newEntityEnv(t, 20)
	mbs := en.mailboxes("UserMailbox")
	mb, trustee := mbs[0], mbs[1]
	en.run("Add-RecipientPermission", map[string]any{"Identity": mb.Alias, "Trustee": trustee.Alias, "AccessRights": []string{"SendAs"}})

	r := en.get(t, "Recipient("+key(mb.UserPrincipalName)+")/RecipientPermission?isEncoded=true", nil)
	got := r.values()
	if r.status != 200 || len(got) != 2 || got[1]["Trustee"] != trustee.UserPrincipalName || fmt.Sprint(got[1]["AccessRights"]) != "[SendAs]" {
		t.Fatalf("recipient permissions: %d %s", r.status, r.raw)
	}
	if n := propCount(got[0]); n != 6 {
		t.Fatalf("properties %v", n)
	}
	byFilters := func(identity, trustee, rights string) string {
		arg := func(s string) string {
			if s == "" {
				return "''"
			}
			return key(s)
		}
		return "Recipient/Exchange.GetRecipientPermissionByFilters(identity=" + arg(identity) + ",trustee=" + arg(trustee) +
			",accessRights='" + rights + "')?isEncoded=true"
	}
	if got, _ := en.all(t, byFilters("", trustee.PrimarySMTPAddress, "SendAs"), 5); len(got) != 1 || got[0]["Identity"] != identityOf(&mb) {
		t.Fatalf("by trustee: %v", got)
	}
	if got, _ := en.all(t, byFilters(mb.Alias, "", ""), 5); len(got) != 2 {
		t.Fatalf("by identity: %v", got)
	}
	classic, _ := en.fixture.all(call{name: "Get-RecipientPermission", params: map[string]any{"ResultSize": adminapi.Unlimited{IsUnlimited: true}}, page: 1000})
	every, pages := en.all(t, byFilters("", "", ""), 7)
	if len(every) != len(classic) || pages < 2 {
		t.Fatalf("tenant-wide: %d in %d pages, want %d", len(every), pages, len(classic))
	}
	r = en.get(t, byFilters("", "", "FullAccess"), nil)
	if r.status != 400 || !strings.Contains(r.detail(), "the only valid value is SendAs") {
		t.Fatalf("bad rights: %d %s", r.status, r.raw)
	}
}

func TestEntityFolderPermission(t *testing.T) {
	en := newEntityEnv(t, 10)
	mbs := en.mailboxes("UserMailbox")
	mb, delegate := mbs[0], mbs[1]
	en.run("Add-MailboxFolderPermission", map[string]any{"Identity": mb.Alias + `:\Calendar`, "User": delegate.Alias,
		"AccessRights": []string{"Editor"}, "SharingPermissionFlags": "Delegate"})
	base := "Mailbox(" + key(mb.UserPrincipalName) + ")/MailboxFolder(" + key(`\Calendar`) + ")/MailboxFolderPermission"
	r := en.get(t, base+"?isEncoded=true&IsUsingMailboxFolderId=true", nil)
	got := r.values()
	if r.status != 200 || len(got) != 3 || got[0]["User"] != "Default" || got[2]["User"] != delegate.DisplayName ||
		got[2]["SharingPermissionFlags"] != "Delegate" || got[2]["Identity"] != mb.Alias+`:\Calendar` || got[2]["FolderName"] != "Calendar" {
		t.Fatalf("folder permissions: %d %s", r.status, r.raw)
	}
	if n := propCount(got[0]); n != 5 {
		t.Fatalf("properties %v", n)
	}
	r = en.get(t, base+"("+key(delegate.Alias)+")?isEncoded=true", nil)
	if r.status != 200 || fmt.Sprint(r.obj["AccessRights"]) != "[Editor]" {
		t.Fatalf("one user: %d %s", r.status, r.raw)
	}
	r = en.get(t, base+"("+key(mbs[2].Alias)+")?isEncoded=true", nil)
	if r.status != 404 || !strings.Contains(r.detail(), "There is no existing permission entry found for user: "+mbs[2].Alias+".") {
		t.Fatalf("user without an entry: %d %s", r.status, r.raw)
	}
	// The folder by id, and a missing folder.
	folder, err := en.st.FindFolder(en.ctx, mb.Key, `\Calendar`)
	if err != nil {
		t.Fatal(err)
	}
	byID := "Mailbox(" + key(mb.Alias) + ")/MailboxFolder(" + key(folder.FolderID) + ")/MailboxFolderPermission?isEncoded=true"
	if r := en.get(t, byID, nil); r.status != 200 || len(r.values()) != 3 {
		t.Fatalf("by folder id: %d %s", r.status, r.raw)
	}
	r = en.get(t, "Mailbox("+key(mb.Alias)+")/MailboxFolder("+key(`\Nowhere`)+")/MailboxFolderPermission?isEncoded=true", nil)
	if r.status != 404 || !strings.Contains(r.detail(), `ManagementObjectNotFoundException|The operation couldn't be performed because '`+mb.Alias+`:\Nowhere' couldn't be found.`) {
		t.Fatalf("missing folder: %d %s", r.status, r.raw)
	}
	if r := en.get(t, "Mailbox/MailboxFolder("+key(`\Inbox`)+")/MailboxFolderPermission?isEncoded=true", nil); r.status != 404 {
		t.Fatalf("no mailbox: %d %s", r.status, r.raw)
	}
}

func TestEntityMobileDevices(t *testing.T) {
	en := newEntityEnv(t, 40)
	for _, mb := range en.mailboxes("UserMailbox") {
		devices, err := en.st.MobileDevices(en.ctx, mb.Key)
		if err != nil {
			t.Fatal(err)
		}
		if len(devices) == 0 {
			continue
		}
		r := en.get(t, "Mailbox("+key(mb.UserPrincipalName)+")/MobileDevice/Exchange.GetMobileDeviceStatistics()?isEncoded=true", nil)
		got := r.values()
		if r.status != 200 || len(got) != len(devices) || got[0]["Guid@odata.type"] != "#Guid" {
			t.Fatalf("devices: %d %s", r.status, r.raw)
		}
		if n := propCount(got[0]); n != len(mobileDeviceShape.all) {
			t.Fatalf("properties %v", n)
		}
		byIdentity := "Mailbox/MobileDevice/Exchange.GetMobileDeviceStatisticsByIdentity(Identity='XParameter-Identity')"
		r = en.get(t, byIdentity, map[string]string{"XParameter-Identity": devices[0].DeviceID})
		if got := r.values(); r.status != 200 || len(got) != 1 || got[0]["DeviceId"] != devices[0].DeviceID {
			t.Fatalf("by identity: %d %s", r.status, r.raw)
		}
		r = en.get(t, byIdentity, map[string]string{"XParameter-Identity": "no-such-device"})
		if r.status != 404 {
			t.Fatalf("unknown device: %d %s", r.status, r.raw)
		}
		var want int
		for _, d := range devices {
			if containsFold(clientTypes["ActiveSync"], propString(d.Props, "ClientType")) {
				want++
			}
		}
		r = en.get(t, "Mailbox("+key(mb.UserPrincipalName)+")/MobileDevice/Exchange.GetMobileDeviceStatistics()?isEncoded=true&ActiveSync=true", nil)
		if len(r.values()) != want {
			t.Fatalf("ActiveSync: %d, want %d", len(r.values()), want)
		}
		return
	}
	t.Skip("the seeded tenant has no mobile devices")
}

func TestEntityPagingAndWarnings(t *testing.T) {
	en := newEntityEnv(t, 60)
	got, pages := en.all(t, "Mailbox?PropertySet=Minimum&isEncoded=true", 7)
	want := en.mailboxes()
	if len(got) != len(want) || pages != (len(want)+6)/7 {
		t.Fatalf("%d mailboxes in %d pages, want %d", len(got), pages, len(want))
	}
	seen := map[any]int{}
	for _, o := range got {
		seen[o["Guid"]]++
	}
	for _, mb := range want {
		if seen[mb.GUID] != 1 {
			t.Fatalf("%s seen %d times", mb.Name, seen[mb.GUID])
		}
	}
	// The link is bound to the caller.
	r := en.get(t, "Mailbox", map[string]string{"Prefer": "odata.maxpagesize=5"})
	next := r.obj["@odata.nextLink"].(string)
	if r := en.get(t, next, map[string]string{"role": store.RoleViewOnlyOrganizationManagement}); r.status != 400 {
		t.Fatalf("link used by another caller: %d", r.status)
	}
	// Options a route doesn't know are ignored with a warning.
	r = en.get(t, "Mailbox?Migration=true&PublicFolder=true", map[string]string{"Prefer": "odata.maxpagesize=1"})
	if w := r.header.Values("X-Warnings"); r.status != 200 || len(w) != 2 ||
		w[0] != "The query option 'migration' is not supported on Exchange.Mailbox and was ignored." {
		t.Fatalf("warnings %q (%d)", w, r.status)
	}
}

func TestEntityAccess(t *testing.T) {
	en := newEntityEnv(t, 5)
	if r := en.get(t, "Mailbox", map[string]string{"role": "nobody"}); r.status != 403 || !strings.Contains(r.detail(), "CommandNotFoundException|The term 'Get-Mailbox'") {
		t.Fatalf("no role: %d %s", r.status, r.raw)
	}
	if r := en.get(t, "Mailbox", map[string]string{"role": store.RoleViewOnlyOrganizationManagement}); r.status != 200 {
		t.Fatalf("view-only: %d", r.status)
	}
	// The Security & Compliance endpoint has Get-Recipient but not Get-Mailbox.
	res, err := en.scc.Query(en.ctx, admin, adminapi.EntityQuery{Set: "Mailbox"}, adminapi.Page{MaxPageSize: 10})
	expectError(t, err, adminapi.ClassCommandNotFound)
	if res, err = en.scc.Query(en.ctx, admin, adminapi.EntityQuery{Set: "Recipient"}, adminapi.Page{}); err != nil || len(res.Records) == 0 {
		t.Fatalf("S&C Recipient: %v", err)
	}
	_, err = en.e.Query(en.ctx, admin, adminapi.EntityQuery{Set: "Mailbox", Function: "Bogus"}, adminapi.Page{})
	if ce := expectError(t, err, adminapi.ClassRestClient); ce.Status != 404 {
		t.Fatalf("unknown route: %+v", ce)
	}
}

func TestEntityThrottled(t *testing.T) {
	en := newEntityEnv(t, 5, func(s *adminapi.Settings) {
		s.Throttle = adminapi.ThrottleSettings{Budget: 2, Window: adminapi.Duration(time.Hour)}
	})
	for i := range 2 {
		if r := en.get(t, "Recipient", nil); r.status != 200 {
			t.Fatalf("request %d: %d", i, r.status)
		}
	}
	r := en.get(t, "Mailbox("+key("x")+")/MailboxPermission?isEncoded=true", nil)
	if r.status != 429 || r.header.Get("Retry-After") == "" || !strings.Contains(r.detail(), "ThrottlingException") {
		t.Fatalf("throttled: %d %s", r.status, r.raw)
	}
}

// TestEntityShapes checks the property-set tables against the views the
// entities are rendered from.
func TestEntityShapes(t *testing.T) {
	for _, s := range []*entityShape{mailboxShape, casMailboxShape, recipientShape, statisticsShape} {
		for _, ps := range s.sets {
			for _, n := range ps.props {
				if !slices.Contains(s.all, s.known[strings.ToLower(n)]) {
					t.Errorf("%s: %s of %s is not in All", s.typeName, n, ps.name)
				}
			}
		}
	}
	if len(statisticsShape.all) != 60 || len(mailboxShape.sets) != 17 || len(casMailboxShape.sets) != 7 || len(recipientShape.sets) != 5 {
		t.Errorf("tables: %d statistics properties, %d/%d/%d sets", len(statisticsShape.all), len(mailboxShape.sets),
			len(casMailboxShape.sets), len(recipientShape.sets))
	}
	for _, n := range []string{"ServerName", "OriginatingServer", "IsValid", "ObjectState", "AdminDisplayVersion"} {
		if _, ok := mailboxShape.known[strings.ToLower(n)]; ok {
			t.Errorf("Exchange.Mailbox offers %s, which Get-EXOMailbox omits", n)
		}
	}
	if got, _ := recipientShape.properties(nil, []string{"externaldirectoryobjectid"}); len(got) != 12 || got[0] != "ExternalDirectoryObjectId" {
		t.Errorf("Recipient Minimum %v", got)
	}
}
