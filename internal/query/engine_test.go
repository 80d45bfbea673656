package query

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openexo/exo/internal/adminclient"
)

// upn is the user principal name of the fake tenant's mailbox i.
func upn(i int) string { return fmt.Sprintf("user%03d@contoso.com", i) }

// upnIndex is i for upn(i), -1 for anything else.
func upnIndex(s string) int {
	var i int
	if _, err := fmt.Sscanf(s, "user%03d@contoso.com", &i); err != nil || upn(i) != s {
		return -1
	}
	return i
}

// mailboxJSON is mailbox i as the service sends it: members in an order of
// their own, annotated GUID and date, a property no set asks for, and no
// DistinguishedName (so the output shows it null).
func mailboxJSON(i int) string {
	return fmt.Sprintf(`{"Guid@odata.type":"#Guid","Guid":"00000000-0000-0000-0000-%012d","UserPrincipalName":%q,`+
		`"PrimarySmtpAddress":%q,"Name":"user%03d","Identity":"user%03d","ExternalDirectoryObjectId":"10000000-0000-0000-0000-%012d",`+
		`"Alias":"user%03d","DisplayName":"User %d","RecipientType":"UserMailbox","RecipientTypeDetails":"UserMailbox",`+
		`"WhenCreated@odata.type":"#DateTimeOffset","WhenCreated":"2024-01-02T03:04:05Z","NotAskedFor":1}`,
		i, upn(i), upn(i), i, i, i, i, i)
}

func mailboxes(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = mailboxJSON(i)
	}
	return out
}

// folderJSON is folder k of a mailbox's folder statistics.
func folderJSON(mailbox string, k int) string {
	return fmt.Sprintf(`{"Name":"Folder %d","FolderPath":"/Folder %d","Identity":%q,"ItemsInFolder":%d}`,
		k, k, mailbox+"\\Folder "+strconv.Itoa(k), k)
}

// permJSON is a MailboxPermission entity: one user's entries on a mailbox,
// or with no rights the owner's entity.
func permJSON(mailbox, user string, rights ...string) string {
	var list []string
	for _, r := range rights {
		list = append(list, fmt.Sprintf(`{"AccessRights":[%q],"IsInherited":false,"Deny":false,"InheritanceType":"All"}`, r))
	}
	owner := len(rights) == 0
	if owner {
		user = `NT AUTHORITY\SYSTEM`
	}
	js := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	return `{"PermissionId":` + js(mailbox+":"+user) + `,"MailboxIdentity":` + js(mailbox) + `,"User":` + js(user) +
		`,"IsOwner":` + strconv.FormatBool(owner) + `,"PermissionList":[` + strings.Join(list, ",") + `]}`
}

func prepare(t *testing.T, call Call) *Prepared {
	t.Helper()
	p, err := Prepare(call)
	if err != nil {
		t.Fatalf("Prepare(%+v): %v", call, err)
	}
	return p
}

// collect runs a call and returns every event.
// collect runs call and returns its events without the page-end marks,
// which TestRunMarksPageEnds checks on their own.
func collect(t *testing.T, tgt Target, call Call) ([]Event, error) {
	t.Helper()
	p := prepare(t, call)
	var events []Event
	err := Run(context.Background(), tgt, p, func(ev Event) error {
		if !ev.PageEnd {
			events = append(events, ev)
		}
		return nil
	})
	return events, err
}

// prop is a record's property as JSON text ("null" when absent or null).
func prop(r *Record, name string) string {
	for _, p := range r.Props {
		if p.Name == name {
			if p.Value == nil {
				return "null"
			}
			return string(p.Value)
		}
	}
	return "<missing>"
}

func propNames(r *Record) []string {
	var out []string
	for _, p := range r.Props {
		out = append(out, p.Name)
	}
	return out
}

// summary is a compact view of events for failure messages and
// comparisons: "0:R user000", "0:W", "3:E 404 <exception class>", or
// "3:E <message>" for an error that is not the service's.
func summary(events []Event, key string) []string {
	var out []string
	for _, ev := range events {
		switch {
		case ev.Record != nil:
			v := prop(ev.Record, key)
			var s string
			if json.Unmarshal([]byte(v), &s) == nil {
				v = s
			}
			out = append(out, fmt.Sprintf("%d:R %s", ev.Input, v))
		case ev.Warning != "":
			out = append(out, fmt.Sprintf("%d:W", ev.Input))
		default:
			var se *adminclient.ServiceError
			if errors.As(ev.Err, &se) {
				out = append(out, fmt.Sprintf("%d:E %d %s", ev.Input, se.Status, se.ExceptionType))
			} else {
				out = append(out, fmt.Sprintf("%d:E %v", ev.Input, ev.Err))
			}
		}
	}
	return out
}

// TestRunStreamsPageByPage: the first page's records go out before any
// other request; later pages are read at most one ahead of the output, so
// the daemon holds two pages per input at most.
func TestRunStreamsPageByPage(t *testing.T) {
	for _, tt := range []struct {
		name      string
		call      Call
		entities  []string
		pageSize  int
		perEntity int // records each entity expands to
	}{
		{"mailboxes, pages of 1", Call{Cmdlet: "Get-EXOMailbox", ResultSize: -1}, mailboxes(4), 1, 1},
		{"mailboxes, pages of 2", Call{Cmdlet: "Get-EXOMailbox", ResultSize: -1}, mailboxes(7), 2, 1},
		{"mailboxes, default result size", Call{Cmdlet: "Get-EXOMailbox"}, mailboxes(10), 3, 1},
		{"folder statistics", Call{Cmdlet: "Get-EXOMailboxFolderStatistics", Params: Params{"Identity": upn(1)}},
			[]string{folderJSON("a", 1), folderJSON("a", 2), folderJSON("a", 3), folderJSON("a", 4), folderJSON("a", 5)}, 2, 1},
		{"expanded permissions", Call{Cmdlet: "Get-EXOMailboxPermission", Params: Params{"Identity": upn(1)}},
			[]string{permJSON("a", "u1", "FullAccess", "ReadPermission"), permJSON("a", "u2", "FullAccess", "ChangeOwner"),
				permJSON("a", "u3", "FullAccess", "DeleteItem")}, 1, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeEXO(t, func(*route) answer { return collection(tt.entities...) })
			tgt, _ := f.target(tt.pageSize, 8)
			var atRecord []int64
			err := Run(context.Background(), tgt, prepare(t, tt.call), func(ev Event) error {
				if ev.Err != nil || ev.Warning != "" {
					t.Errorf("unexpected event %+v", ev)
				}
				if ev.Record != nil {
					atRecord = append(atRecord, f.requests.Load())
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if want := len(tt.entities) * tt.perEntity; len(atRecord) != want {
				t.Fatalf("%d records, want %d", len(atRecord), want)
			}
			pages := (len(tt.entities) + tt.pageSize - 1) / tt.pageSize
			for k, got := range atRecord {
				page := k / tt.perEntity / tt.pageSize
				lo, hi := int64(page+1), int64(min(page+2, pages))
				if page == 0 {
					hi = 1 // nothing overlaps the first page
				}
				if got < lo || got > hi {
					t.Errorf("record %d (page %d) went out after %d requests, want %d to %d", k, page, got, lo, hi)
				}
			}
		})
	}
}

// TestRunCancelStopsPaging: cancelling inside emit stops the reads at once.
func TestRunCancelStopsPaging(t *testing.T) {
	stop := errors.New("client went away")
	for _, tt := range []struct {
		name     string
		call     Call
		entities []string
		pageSize int
		// emitErr, when set, is what emit returns at the first record
		// instead of cancelling the context.
		emitErr error
	}{
		{"mailboxes", Call{Cmdlet: "Get-EXOMailbox", ResultSize: -1}, mailboxes(9), 3, nil},
		{"mailboxes, pages of 1", Call{Cmdlet: "Get-EXOMailbox", ResultSize: -1}, mailboxes(5), 1, nil},
		{"recipients by default", Call{Cmdlet: "Get-EXORecipient"}, mailboxes(9), 2, nil},
		{"folder statistics", Call{Cmdlet: "Get-EXOMailboxFolderStatistics", Params: Params{"Identity": upn(1)}},
			[]string{folderJSON("a", 1), folderJSON("a", 2), folderJSON("a", 3)}, 1, nil},
		{"emit fails", Call{Cmdlet: "Get-EXOMailbox", ResultSize: -1}, mailboxes(9), 3, stop},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeEXO(t, func(*route) answer { return collection(tt.entities...) })
			tgt, _ := f.target(tt.pageSize, 8)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			records := 0
			err := Run(ctx, tgt, prepare(t, tt.call), func(ev Event) error {
				if ev.Record == nil {
					t.Errorf("unexpected event %+v", ev)
					return nil
				}
				records++
				if n := f.requests.Load(); n != 1 {
					t.Errorf("record %d went out after %d requests, want 1", records, n)
				}
				if tt.emitErr != nil {
					return tt.emitErr
				}
				cancel()
				return nil
			})
			want := tt.emitErr
			if want == nil {
				want = context.Canceled
			}
			if !errors.Is(err, want) {
				t.Errorf("Run = %v, want %v", err, want)
			}
			if tt.emitErr != nil && records != 1 {
				t.Errorf("emit was called %d times after failing", records)
			}
			if n := f.requests.Load(); n != 1 {
				t.Errorf("%d requests, want 1: pages were read after the cancel", n)
			}
		})
	}
}

// TestRunResultSize: -ResultSize caps each input, asks for no more than it
// needs, and warns once when more objects exist.
func TestRunResultSize(t *testing.T) {
	for _, tt := range []struct {
		name        string
		resultSize  int64
		total       int // mailboxes in the tenant
		pageSize    int
		wantRecords int
		wantPrefers []int
		wantWarning bool
	}{
		{"default caps at 1000", 0, 1500, 0, 1000, []int{1000}, true},
		// Streams longer than a page start with a page of firstPageSize.
		{"default in pages", 0, 1500, 400, 1000, []int{100, 400, 400, 100}, true},
		{"default, exactly 1000", 0, 1000, 0, 1000, []int{1000}, false},
		{"default, fewer", 0, 30, 0, 30, []int{1000}, false},
		{"5 in pages of 2", 5, 9, 2, 5, []int{2, 2, 1}, true},
		{"5 in pages of 2, exactly 5", 5, 5, 2, 5, []int{2, 2, 1}, false},
		{"4 in pages of 2, exactly 4", 4, 4, 2, 4, []int{2, 2}, false},
		{"3 in pages of 10", 3, 20, 10, 3, []int{3}, true},
		{"1", 1, 2, 0, 1, []int{1}, true},
		{"more than there are", 50, 7, 3, 7, []int{3, 3, 3}, false},
		{"unlimited", -1, 7, 2, 7, []int{2, 2, 2, 2}, false},
		{"unlimited past 1000", -1, 2500, 0, 2500, []int{100, 1000, 1000, 1000}, false},
		{"unlimited, pages smaller than the first", -1, 250, 50, 250, []int{50, 50, 50, 50, 50}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			all := mailboxes(tt.total)
			f := newFakeEXO(t, func(*route) answer { return collection(all...) })
			tgt, _ := f.target(tt.pageSize, 8)
			events, err := collect(t, tgt, Call{Cmdlet: "Get-EXOMailbox", ResultSize: tt.resultSize})
			if err != nil {
				t.Fatal(err)
			}
			records, warnings := 0, 0
			for n, ev := range events {
				switch {
				case ev.Record != nil:
					if warnings > 0 {
						t.Errorf("record after the warning")
					}
					if got, want := prop(ev.Record, "UserPrincipalName"), strconv.Quote(upn(records)); got != want {
						t.Fatalf("record %d is %s, want %s", n, got, want)
					}
					records++
				case ev.Warning != "":
					if ev.Warning != PaginationWarning {
						t.Errorf("warning %q", ev.Warning)
					}
					warnings++
				default:
					t.Errorf("error event: %v", ev.Err)
				}
			}
			if records != tt.wantRecords {
				t.Errorf("%d records, want %d", records, tt.wantRecords)
			}
			if want := map[bool]int{true: 1}[tt.wantWarning]; warnings != want {
				t.Errorf("%d pagination warnings, want %d", warnings, want)
			}
			if got := f.prefers(); !slices.Equal(got, tt.wantPrefers) {
				t.Errorf("Prefer page sizes %v, want %v", got, tt.wantPrefers)
			}
		})
	}
}

// TestRunResultSizePerInput: each pipeline input has its own -ResultSize and
// its own warning.
func TestRunResultSizePerInput(t *testing.T) {
	f := newFakeEXO(t, func(r *route) answer {
		m := r.Segments[0].Key
		return collection(permJSON(m, "u1", "FullAccess"), permJSON(m, "u2", "FullAccess"),
			permJSON(m, "u3", "FullAccess"), permJSON(m, ""))
	})
	tgt, _ := f.target(0, 8)
	inputs := []Params{{"Identity": upn(0)}, {"Identity": upn(1)}, {"Identity": upn(2)}}
	for _, tt := range []struct {
		resultSize int64
		want       []string
	}{
		{2, []string{"0:R u1", "0:R u2", "0:W", "1:R u1", "1:R u2", "1:W", "2:R u1", "2:R u2", "2:W"}},
		{3, []string{"0:R u1", "0:R u2", "0:R u3", "1:R u1", "1:R u2", "1:R u3", "2:R u1", "2:R u2", "2:R u3"}},
	} {
		events, err := collect(t, tgt, Call{Cmdlet: "Get-EXOMailboxPermission", Inputs: inputs, ResultSize: tt.resultSize})
		if err != nil {
			t.Fatal(err)
		}
		if got := summary(events, "User"); !slices.Equal(got, tt.want) {
			t.Errorf("ResultSize %d: events\n%q\nwant\n%q", tt.resultSize, got, tt.want)
		}
	}
}

// TestRunPipelineInputs: many inputs run concurrently, print in input order,
// and fail one by one.
func TestRunPipelineInputs(t *testing.T) {
	for _, tt := range []struct {
		name        string
		cmdlet      string
		inputs      int
		concurrency int
		pageSize    int
		folders     int              // per mailbox, for folder statistics
		missing     func(i int) bool // mailboxes the service does not know
	}{
		{"mailboxes, 404s", "Get-EXOMailbox", 200, 8, 0, 0, func(i int) bool { return i%13 == 5 || i == 0 || i == 199 }},
		{"mailboxes, all there", "Get-EXOMailbox", 200, 8, 0, 0, func(int) bool { return false }},
		{"mailboxes, all missing", "Get-EXOMailbox", 50, 8, 0, 0, func(int) bool { return true }},
		{"mailboxes, sequential", "Get-EXOMailbox", 40, 1, 0, 0, func(i int) bool { return i%7 == 3 }},
		{"folder statistics, several pages each", "Get-EXOMailboxFolderStatistics", 60, 8, 2, 5, func(i int) bool { return i%11 == 4 }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeEXO(t, func(r *route) answer {
				id := r.Segments[0].Key
				i := upnIndex(id)
				if i < 0 || tt.missing(i) {
					return notFound(id)
				}
				if tt.folders > 0 {
					var list []string
					for k := range tt.folders {
						list = append(list, folderJSON(id, k))
					}
					return collection(list...)
				}
				return single(mailboxJSON(i))
			})
			f.delay = func(*route) time.Duration { return time.Duration(rand.IntN(1500)) * time.Microsecond }
			tgt, _ := f.target(tt.pageSize, tt.concurrency)
			var inputs []Params
			for i := range tt.inputs {
				inputs = append(inputs, Params{"Identity": upn(i)})
			}
			events, err := collect(t, tgt, Call{Cmdlet: tt.cmdlet, Inputs: inputs})
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for i := range tt.inputs {
				switch {
				case tt.missing(i):
					want = append(want, fmt.Sprintf("%d:E 404 Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException", i))
				case tt.folders > 0:
					for k := range tt.folders {
						want = append(want, fmt.Sprintf("%d:R %s\\Folder %d", i, upn(i), k))
					}
				default:
					want = append(want, fmt.Sprintf("%d:R %s", i, upn(i)))
				}
			}
			key := "UserPrincipalName"
			if tt.folders > 0 {
				key = "Identity"
			}
			got := summary(events, key)
			if !slices.Equal(got, want) {
				for n := range max(len(got), len(want)) {
					g, w := "<none>", "<none>"
					if n < len(got) {
						g = got[n]
					}
					if n < len(want) {
						w = want[n]
					}
					if g != w {
						t.Fatalf("%d events, want %d; first difference at %d: %q, want %q", len(got), len(want), n, g, w)
					}
				}
			}
			for _, ev := range events {
				var se *adminclient.ServiceError
				if ev.Err != nil && (!errors.As(ev.Err, &se) || se.Status != http.StatusNotFound ||
					se.ExceptionType != "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException") {
					t.Errorf("input %d: error %#v, want the service's 404", ev.Input, ev.Err)
				}
			}
			if peak := f.peak.Load(); int(peak) > tt.concurrency {
				t.Errorf("%d requests in flight at once, concurrency is %d", peak, tt.concurrency)
			}
		})
	}
}

// TestRunInputWithoutMailbox: an input that names no mailbox fails alone,
// without a request.
func TestRunInputWithoutMailbox(t *testing.T) {
	f := newFakeEXO(t, func(r *route) answer {
		return single(`{"DisplayName":"x","MailboxGuid":"g","ItemCount":1}`)
	})
	tgt, _ := f.target(0, 4)
	events, err := collect(t, tgt, Call{Cmdlet: "Get-EXOMailboxStatistics",
		Inputs: []Params{{"Identity": upn(0)}, {"DisplayName": "no identity"}, {"PrimarySmtpAddress": upn(2)}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 3 || events[0].Record == nil || events[2].Record == nil || events[1].Input != 1 || !IsInputError(events[1].Err) {
		t.Fatalf("events %q, want a record, an input error, a record", summary(events, "DisplayName"))
	}
	if n := f.requests.Load(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// TestRunThrottled: 429s, 503s, the tenant's concurrency refusals and a
// real cap on requests in flight cost time, never records.
func TestRunThrottled(t *testing.T) {
	for _, tt := range []struct {
		name    string
		cmdlet  string
		inputs  int
		folders int
	}{
		{"mailboxes", "Get-EXOMailbox", 40, 0},
		{"folder statistics in pages", "Get-EXOMailboxFolderStatistics", 20, 5},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeEXO(t, func(r *route) answer {
				id := r.Segments[0].Key
				i := upnIndex(id)
				if tt.folders > 0 {
					var list []string
					for k := range tt.folders {
						list = append(list, folderJSON(id, k))
					}
					return collection(list...)
				}
				return single(mailboxJSON(i))
			})
			f.maxInFlight = 3
			var throttled, failed, refused atomic.Int64
			var mu sync.Mutex
			injected := map[string]bool{} // first pages that had their fault
			f.fault = func(n int64, r *route) *answer {
				i := upnIndex(r.Segments[0].Key)
				if n%4 == 0 { // a steady fraction, to the end
					throttled.Add(1)
					a := tooMany()
					return &a
				}
				if r.Skip != 0 || (i%5 != 1 && i%5 != 3) {
					return nil
				}
				mu.Lock()
				defer mu.Unlock()
				if injected[r.Path] {
					return nil
				}
				injected[r.Path] = true
				a := unavailable()
				if i%5 == 3 {
					refused.Add(1)
					a = concurrencyRefusal()
				} else {
					failed.Add(1)
				}
				return &a
			}
			f.delay = func(*route) time.Duration { return time.Duration(rand.IntN(1000)) * time.Microsecond }
			tgt, lim := f.target(2, 8)
			var inputs []Params
			for i := range tt.inputs {
				inputs = append(inputs, Params{"Identity": upn(i)})
			}
			events, err := collect(t, tgt, Call{Cmdlet: tt.cmdlet, Inputs: inputs})
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for i := range tt.inputs {
				if tt.folders == 0 {
					want = append(want, fmt.Sprintf("%d:R %s", i, upn(i)))
				}
				for k := range tt.folders {
					want = append(want, fmt.Sprintf("%d:R %s\\Folder %d", i, upn(i), k))
				}
			}
			key := "UserPrincipalName"
			if tt.folders > 0 {
				key = "Identity"
			}
			if got := summary(events, key); !slices.Equal(got, want) {
				t.Errorf("events\n%q\nwant\n%q", got, want)
			}
			if throttled.Load() == 0 || int(failed.Load()) != tt.inputs/5 || int(refused.Load()) != tt.inputs/5 {
				t.Errorf("faults injected: %d 429s, %d 503s, %d refusals; want some 429s and %d of the others", throttled.Load(), failed.Load(), refused.Load(), tt.inputs/5)
			}
			if got := lim.Limit(); got >= 8 {
				t.Errorf("limiter ends at %d, want below its maximum 8", got)
			}
			t.Logf("%d requests, %d 429s, %d 503s, %d injected and %d cap refusals, limit %d",
				f.requests.Load(), throttled.Load(), failed.Load(), refused.Load(), f.refused.Load(), lim.Limit())
		})
	}
}

// TestRunRoutes: each cmdlet reads the route of docs/entity-routes.md.
func TestRunRoutes(t *testing.T) {
	const (
		mbx   = "alice@contoso.com"
		weird = "??>???@contoso.com" // base64 has + and /
	)
	if k := key(weird); !strings.Contains(k, "%2B") || !strings.Contains(k, "%2F") {
		t.Fatalf("key(%q) = %s: the test identity should need %%2B and %%2F", weird, k)
	}
	for _, tt := range []struct {
		name      string
		cmdlet    string
		params    Params
		inputs    []Params
		wantPath  string
		wantQuery map[string]string
		// wantHeader are extra request headers; XParameter-Identity is
		// checked absent when not listed.
		wantHeader map[string]string
	}{
		{"mailbox by identity", "Get-EXOMailbox", Params{"Identity": mbx},
			nil, "Mailbox('alice@contoso.com')", map[string]string{"isEncoded": "true", "PropertySet": "Minimum"}, nil},
		{"mailbox, key needing escapes", "Get-EXOMailbox", Params{"Identity": weird},
			nil, "Mailbox('" + weird + "')", map[string]string{"isEncoded": "true", "PropertySet": "Minimum"}, nil},
		{"mailbox, fastest identity first", "Get-EXOMailbox", Params{"Identity": "Alice", "ExternalDirectoryObjectId": "edo-1"},
			nil, "Mailbox('edo-1')", map[string]string{"isEncoded": "true", "PropertySet": "Minimum"}, nil},
		{"mailbox, piped input over the call's", "Get-EXOMailbox", Params{"Archive": true}, []Params{{"UserPrincipalName": mbx}},
			"Mailbox('alice@contoso.com')", map[string]string{"isEncoded": "true", "PropertySet": "Minimum", "Archive": "true"}, nil},
		{"mailbox list with options", "Get-EXOMailbox", Params{
			"PropertySets": []any{"Audit", "Archive"}, "Properties": []any{"whencreated", "ArchiveGuid"},
			"Filter": "DisplayName -like 'A*'", "RecipientTypeDetails": []any{"UserMailbox", "SharedMailbox"},
			"Anr": "smith", "SoftDeletedMailbox": true, "InactiveMailboxOnly": false, "MailboxPlan": "ExchangeOnline"},
			nil, "Mailbox", map[string]string{
				"PropertySet": "Minimum,Archive,Audit", "$select": "WhenCreated", "$filter": "startswith(DisplayName,'A')",
				"RecipientTypeDetails": "UserMailbox,SharedMailbox", "Anr": "smith", "SoftDeletedMailbox": "true",
				"MailboxPlan": "ExchangeOnline"}, nil},
		{"recipient by identity", "Get-EXORecipient", Params{"Identity": mbx, "PropertySets": []any{"Archive"}},
			nil, "Recipient('alice@contoso.com')", map[string]string{"isEncoded": "true", "PropertySet": "Minimum,Archive"}, nil},
		{"recipient list", "Get-EXORecipient", Params{"RecipientType": []any{"UserMailbox", "MailUser"}, "IncludeSoftDeletedRecipients": true, "Filter": "RecipientTypeDetails -eq 'UserMailbox'"},
			nil, "Recipient", map[string]string{"PropertySet": "Minimum", "RecipientType": "UserMailbox,MailUser",
				"IncludeSoftDeletedRecipients": "true", "$filter": "RecipientTypeDetails eq 'UserMailbox'"}, nil},
		{"CAS mailbox", "Get-EXOCasMailbox", Params{"Identity": mbx, "ProtocolSettings": true},
			nil, "CasMailbox('alice@contoso.com')", map[string]string{"isEncoded": "true", "PropertySet": "Minimum", "ProtocolSettings": "true"}, nil},
		{"CAS mailbox list", "Get-EXOCasMailbox", Params{"OrganizationalUnit": "contoso.onmicrosoft.com"},
			nil, "CasMailbox", map[string]string{"PropertySet": "Minimum", "OrganizationalUnit": "contoso.onmicrosoft.com"}, nil},
		{"mailbox statistics", "Get-EXOMailboxStatistics", Params{"Identity": mbx, "Archive": true, "PropertySets": []any{"All"}},
			nil, "Mailbox('alice@contoso.com')/Exchange.GetMailboxStatistics()",
			map[string]string{"isEncoded": "true", "PropertySet": "Minimum,All", "Archive": "true"}, nil},
		{"mailbox statistics by exchange guid", "Get-EXOMailboxStatistics", Params{"ExchangeGuid": "6f1c0c33-0000-0000-0000-000000000001", "Properties": []any{"LastUserActionTime"}},
			nil, "Mailbox('6f1c0c33-0000-0000-0000-000000000001')/Exchange.GetMailboxStatistics()",
			map[string]string{"isEncoded": "true", "PropertySet": "Minimum", "$select": "LastUserActionTime"}, nil},
		{"folder statistics, default scope", "Get-EXOMailboxFolderStatistics", Params{"Identity": mbx},
			nil, "Mailbox('alice@contoso.com')/MailboxFolder/Exchange.GetMailboxFolderStatistics(folderscope=Exchange.ElcFolderType'All')",
			map[string]string{"isEncoded": "true"}, nil},
		{"folder statistics, inbox", "Get-EXOMailboxFolderStatistics", Params{"UserPrincipalName": weird, "FolderScope": "Inbox", "IncludeOldestAndNewestItems": true, "Archive": true},
			nil, "Mailbox('" + weird + "')/MailboxFolder/Exchange.GetMailboxFolderStatistics(folderscope=Exchange.ElcFolderType'Inbox')",
			map[string]string{"isEncoded": "true", "IncludeOldestAndNewestItems": "true", "Archive": "true"}, nil},
		{"mailbox permission", "Get-EXOMailboxPermission", Params{"Identity": mbx},
			nil, "Mailbox('alice@contoso.com')/MailboxPermission", map[string]string{"isEncoded": "true"}, nil},
		{"mailbox permission of a user", "Get-EXOMailboxPermission", Params{"Identity": mbx, "User": "bob@contoso.com", "SoftDeletedMailbox": true},
			nil, "Mailbox('alice@contoso.com')/MailboxPermission('bob@contoso.com')", map[string]string{"isEncoded": "true", "SoftDeletedMailbox": "true"}, nil},
		{"mailbox owner", "Get-EXOMailboxPermission", Params{"Identity": mbx, "Owner": true},
			nil, "Mailbox('alice@contoso.com')/MailboxPermission", map[string]string{"isEncoded": "true", "$filter": "IsOwner eq true"}, nil},
		{"recipient permission", "Get-EXORecipientPermission", Params{"Identity": mbx},
			nil, "Recipient('alice@contoso.com')/RecipientPermission", map[string]string{"isEncoded": "true"}, nil},
		{"recipient permission by trustee", "Get-EXORecipientPermission", Params{"Trustee": "bob@contoso.com", "AccessRights": []any{"SendAs"}},
			nil, "Recipient/Exchange.GetRecipientPermissionByFilters(identity='',trustee='bob@contoso.com',accessRights='SendAs')",
			map[string]string{"isEncoded": "true"}, nil},
		{"recipient permission by identity and trustee", "Get-EXORecipientPermission", Params{"Identity": weird, "Trustee": "bob@contoso.com"},
			nil, "Recipient/Exchange.GetRecipientPermissionByFilters(identity='" + weird + "',trustee='bob@contoso.com',accessRights='')",
			map[string]string{"isEncoded": "true"}, nil},
		{"recipient permission by access rights", "Get-EXORecipientPermission", Params{"AccessRights": "SendAs"},
			nil, "Recipient/Exchange.GetRecipientPermissionByFilters(identity='',trustee='',accessRights='SendAs')",
			map[string]string{"isEncoded": "true"}, nil},
		{"folder permission, calendar", "Get-EXOMailboxFolderPermission", Params{"Identity": mbx + `:\Calendar`},
			nil, `Mailbox('alice@contoso.com')/MailboxFolder('\Calendar')/MailboxFolderPermission`,
			map[string]string{"isEncoded": "true", "IsUsingMailboxFolderId": "true"}, nil},
		{"folder permission, nested folder of a user", "Get-EXOMailboxFolderPermission", Params{"Identity": weird + `:\Inbox\Reports`, "User": "bob@contoso.com", "GroupMailbox": true},
			nil, "Mailbox('" + weird + `')/MailboxFolder('\Inbox\Reports')/MailboxFolderPermission('bob@contoso.com')`,
			map[string]string{"isEncoded": "true", "IsUsingMailboxFolderId": "true", "GroupMailbox": "true"}, nil},
		{"folder permission, top folder", "Get-EXOMailboxFolderPermission", Params{"Identity": mbx},
			nil, `Mailbox('alice@contoso.com')/MailboxFolder('\')/MailboxFolderPermission`,
			map[string]string{"isEncoded": "true", "IsUsingMailboxFolderId": "true"}, nil},
		{"mobile devices of a mailbox", "Get-EXOMobileDeviceStatistics", Params{"Mailbox": mbx, "ActiveSync": true},
			nil, "Mailbox('alice@contoso.com')/MobileDevice/Exchange.GetMobileDeviceStatistics()",
			map[string]string{"isEncoded": "true", "ActiveSync": "true"}, nil},
		{"mobile device by identity", "Get-EXOMobileDeviceStatistics", Params{"Identity": `alice\ExchangeActiveSyncDevices\iPhone§ABC123`, "OWAforDevices": true},
			nil, "Mailbox/MobileDevice/Exchange.GetMobileDeviceStatisticsByIdentity(Identity='XParameter-Identity')",
			map[string]string{"OWAforDevices": "true"}, map[string]string{"XParameter-Identity": `alice\ExchangeActiveSyncDevices\iPhone§ABC123`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeEXO(t, func(*route) answer { return collection() })
			tgt, _ := f.target(0, 1)
			events, err := collect(t, tgt, Call{Cmdlet: tt.cmdlet, Params: tt.params, Inputs: tt.inputs})
			if err != nil {
				t.Fatal(err)
			}
			for _, ev := range events {
				t.Errorf("unexpected event %q", summary([]Event{ev}, ""))
			}
			routes := f.routes()
			if len(routes) != 1 {
				t.Fatalf("%d requests, want 1", len(routes))
			}
			r := routes[0]
			if r.Path != tt.wantPath {
				t.Errorf("path\n%s\nwant\n%s", r.Path, tt.wantPath)
			}
			query := map[string]string{}
			for k, vs := range r.Query {
				query[k] = strings.Join(vs, "|")
			}
			if !reflect.DeepEqual(query, tt.wantQuery) {
				t.Errorf("query %v\nwant  %v", query, tt.wantQuery)
			}
			for name, want := range tt.wantHeader {
				if got := r.Header.Values(name); len(got) != 1 || got[0] != want {
					t.Errorf("header %s = %q, want %q", name, got, want)
				}
			}
			if _, ok := tt.wantHeader["XParameter-Identity"]; !ok && r.Header.Get("XParameter-Identity") != "" {
				t.Errorf("unexpected XParameter-Identity header %q", r.Header.Get("XParameter-Identity"))
			}
			if got := r.Header.Get("Prefer"); got != "odata.maxpagesize=1000" {
				t.Errorf("Prefer %q", got)
			}
		})
	}
}

// TestPrepareErrors: bad calls are refused before any request.
func TestPrepareErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		call Call
		want []string // substrings of the message
	}{
		{"unknown cmdlet", Call{Cmdlet: "Get-EXOMailboxes"}, []string{`"Get-EXOMailboxes"`}},
		{"not a Get-EXO cmdlet", Call{Cmdlet: "Get-Mailbox"}, []string{"Get-Mailbox"}},
		{"unknown property", Call{Cmdlet: "Get-EXOMailbox", Params: Params{"Properties": []any{"DisplayName", "NoSuchProperty"}}},
			[]string{"NoSuchProperty"}},
		{"misspelt property", Call{Cmdlet: "Get-EXOMailbox", Params: Params{"Properties": []any{"DisplayNam"}}},
			[]string{"DisplayNam", `"DisplayName"`}},
		{"unknown property set", Call{Cmdlet: "Get-EXORecipient", Params: Params{"PropertySets": []any{"All"}}}, []string{`"All"`}},
		{"malformed filter", Call{Cmdlet: "Get-EXOMailbox", Params: Params{"Filter": "Name -eq"}}, []string{"filter"}},
		{"filter on an unknown property", Call{Cmdlet: "Get-EXOCasMailbox", Params: Params{"Filter": "NoSuchThing -eq 'x'"}}, []string{"NoSuchThing"}},
		{"filter without -Filter", Call{Cmdlet: "Get-EXOMailboxPermission", Params: Params{"Filter": "User -eq 'x'"}}, []string{"Get-EXOMailboxPermission"}},
		{"negative result size", Call{Cmdlet: "Get-EXOMailbox", ResultSize: -2}, []string{"ResultSize"}},
		{"properties without property sets", Call{Cmdlet: "Get-EXOMailboxPermission", Params: Params{"Properties": []any{"User"}}},
			[]string{"Get-EXOMailboxPermission", "-Properties"}},
		{"property sets without property sets", Call{Cmdlet: "Get-EXOMobileDeviceStatistics", Params: Params{"PropertySets": "All"}},
			[]string{"Get-EXOMobileDeviceStatistics", "-PropertySets"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Prepare(tt.call)
			if err == nil {
				t.Fatalf("Prepare accepted it: %+v", p)
			}
			if !errors.Is(err, ErrInvalidParameter) {
				t.Errorf("error %q does not wrap ErrInvalidParameter", err)
			}
			for _, s := range tt.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %s", err, s)
				}
			}
		})
	}
	// And the edges that are fine.
	for _, call := range []Call{
		{Cmdlet: "get-exomailbox", ResultSize: -1},
		{Cmdlet: "Get-EXOMailbox", Params: Params{"filter": "  ", "PROPERTIES": []any{" displayname "}}},
		{Cmdlet: "Get-EXOMailboxPermission", Params: Params{"Properties": []any{}}},
	} {
		if _, err := Prepare(call); err != nil {
			t.Errorf("Prepare(%+v): %v", call, err)
		}
	}
}

// mailboxDefault is Get-EXOMailbox's Minimum output order.
var mailboxDefault = []string{"ExternalDirectoryObjectId", "UserPrincipalName", "Alias", "DisplayName", "EmailAddresses",
	"PrimarySmtpAddress", "RecipientType", "RecipientTypeDetails", "Identity", "Id", "ExchangeVersion", "Name",
	"DistinguishedName", "OrganizationId", "Guid"}

// TestRunRecords: what the records hold, in which order.
func TestRunRecords(t *testing.T) {
	perm := func(mailbox string) []string {
		return []string{permJSON(mailbox, "bob", "FullAccess", "ReadPermission"), permJSON(mailbox, ""),
			permJSON(mailbox, "carol", "ChangePermission")}
	}
	type want struct {
		typeName string
		names    []string
		values   map[string]string // JSON text by property
		kinds    map[string]Kind
	}
	for _, tt := range []struct {
		name     string
		call     Call
		answer   answer
		want     []want
		wantUser []string // with "User" or "Owner" values per record, when set
	}{
		{"mailbox minimum", Call{Cmdlet: "Get-EXOMailbox", Params: Params{"Identity": upn(3)}}, single(mailboxJSON(3)),
			[]want{{"ExchangeOnlineManagement.ExoMailbox", mailboxDefault,
				map[string]string{"UserPrincipalName": `"user003@contoso.com"`, "DistinguishedName": "null", "EmailAddresses": "null",
					"Guid": `"00000000-0000-0000-0000-000000000003"`},
				map[string]Kind{"Guid": KindGUID, "UserPrincipalName": KindPlain}}}, nil},
		{"mailbox with sets and properties", Call{Cmdlet: "Get-EXOMailbox", Params: Params{"Identity": upn(3),
			"PropertySets": []any{"Audit", "archive"}, "Properties": []any{"WhenCreated", "AuditEnabled", "ExchangeGuid"}}},
			single(`{"ExchangeGuid":"eg","ExchangeGuid@odata.type":"#Guid","AuditEnabled":true,"WhenCreated@odata.type":"#DateTimeOffset",` +
				`"WhenCreated":"2024-01-02T03:04:05Z","ArchiveStatus":"Active","Name":"n","DistinguishedName":null}`),
			[]want{{"ExchangeOnlineManagement.ExoMailbox", slices.Concat(mailboxDefault,
				[]string{"ArchiveDatabase", "ArchiveDomain", "ArchiveGuid", "ArchiveName", "ArchiveQuota", "ArchiveRelease",
					"ArchiveState", "ArchiveStatus", "ArchiveWarningQuota", "AutoExpandingArchiveEnabled", "DisabledArchiveDatabase",
					"DisabledArchiveGuid", "JournalArchiveAddress"},
				[]string{"AuditAdmin", "AuditDelegate", "AuditEnabled", "AuditLogAgeLimit", "AuditOwner", "DefaultAuditSet"},
				[]string{"WhenCreated", "ExchangeGuid"}),
				map[string]string{"ArchiveStatus": `"Active"`, "AuditEnabled": "true", "Name": `"n"`, "DistinguishedName": "null",
					"WhenCreated": `"2024-01-02T03:04:05Z"`, "ExchangeGuid": `"eg"`, "ArchiveGuid": "null"},
				map[string]Kind{"WhenCreated": KindDateTime, "ExchangeGuid": KindGUID, "ArchiveGuid": KindPlain}}}, nil},
		{"folder statistics keep the entity's order", Call{Cmdlet: "Get-EXOMailboxFolderStatistics", Params: Params{"Identity": upn(1)}},
			collection(`{"Name":"Inbox","FolderId@odata.type":"#Guid","FolderId":"f","CreationTime@odata.type":"#DateTimeOffset","CreationTime":"2024-05-06T07:08:09Z","ItemsInFolder":3,"Empty":null}`),
			[]want{{"ExchangeOnlineManagement.ExoMailboxFolderStatistics", []string{"Name", "FolderId", "CreationTime", "ItemsInFolder", "Empty"},
				map[string]string{"Name": `"Inbox"`, "ItemsInFolder": "3", "Empty": "null"},
				map[string]Kind{"FolderId": KindGUID, "CreationTime": KindDateTime, "Name": KindPlain}}}, nil},
		{"recipient permission in fixed order", Call{Cmdlet: "Get-EXORecipientPermission", Params: Params{"Identity": upn(1)}},
			collection(`{"AccessRights":["SendAs"],"Trustee":"bob","Identity":"alice","Extra":1,"IsInherited":false}`),
			[]want{{"ExchangeOnlineManagement.ExoRecipientPermission",
				[]string{"Identity", "Trustee", "AccessControlType", "AccessRights", "IsInherited", "InheritanceType"},
				map[string]string{"Identity": `"alice"`, "Trustee": `"bob"`, "AccessControlType": "null", "AccessRights": `["SendAs"]`, "IsInherited": "false"},
				nil}}, nil},
		{"folder permission in fixed order", Call{Cmdlet: "Get-EXOMailboxFolderPermission", Params: Params{"Identity": upn(1) + `:\Calendar`}},
			collection(`{"User":"Default","AccessRights":["AvailabilityOnly"],"FolderName":"Calendar","Identity":"alice:\\Calendar"}`),
			[]want{{"ExchangeOnlineManagement.ExoMailboxFolderPermission",
				[]string{"Identity", "FolderName", "User", "AccessRights", "SharingPermissionFlags"},
				map[string]string{"Identity": `"alice:\\Calendar"`, "User": `"Default"`, "SharingPermissionFlags": "null"}, nil}}, nil},
		{"mailbox permission expands its entries", Call{Cmdlet: "Get-EXOMailboxPermission", Params: Params{"Identity": upn(1)}},
			collection(perm("alice")...),
			[]want{
				{"ExchangeOnlineManagement.ExoMailboxPermission", []string{"Identity", "User", "AccessRights", "IsInherited", "Deny", "InheritanceType"},
					map[string]string{"Identity": `"alice"`, "User": `"bob"`, "AccessRights": `["FullAccess"]`, "IsInherited": "false", "Deny": "false", "InheritanceType": `"All"`}, nil},
				{"ExchangeOnlineManagement.ExoMailboxPermission", []string{"Identity", "User", "AccessRights", "IsInherited", "Deny", "InheritanceType"},
					map[string]string{"Identity": `"alice"`, "User": `"bob"`, "AccessRights": `["ReadPermission"]`}, nil},
				{"ExchangeOnlineManagement.ExoMailboxPermission", []string{"Identity", "User", "AccessRights", "IsInherited", "Deny", "InheritanceType"},
					map[string]string{"Identity": `"alice"`, "User": `"carol"`, "AccessRights": `["ChangePermission"]`}, nil},
			}, nil},
		{"mailbox permission of one user", Call{Cmdlet: "Get-EXOMailboxPermission", Params: Params{"Identity": upn(1), "User": "carol"}},
			single(permJSON("alice", "carol", "ChangePermission", "FullAccess")),
			nil, []string{"carol", "carol"}},
		{"mailbox permission of a user without entries", Call{Cmdlet: "Get-EXOMailboxPermission", Params: Params{"Identity": upn(1), "User": "dave"}},
			single(`{"PermissionId":"alice:dave","MailboxIdentity":"alice","User":"dave","IsOwner":false,"PermissionList":[]}`),
			nil, []string{}},
		{"mailbox owner", Call{Cmdlet: "Get-EXOMailboxPermission", Params: Params{"Identity": upn(1), "Owner": true}},
			collection(permJSON("alice", "")),
			[]want{{"ExchangeOnlineManagement.ExoMailboxOwner", []string{"Identity", "Owner"},
				map[string]string{"Identity": `"alice"`, "Owner": `"NT AUTHORITY\\SYSTEM"`}, nil}}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeEXO(t, func(*route) answer { return tt.answer })
			tgt, _ := f.target(0, 8)
			events, err := collect(t, tgt, tt.call)
			if err != nil {
				t.Fatal(err)
			}
			var recs []*Record
			for _, ev := range events {
				if ev.Record == nil {
					t.Fatalf("unexpected event %q", summary([]Event{ev}, ""))
				}
				recs = append(recs, ev.Record)
			}
			if tt.wantUser != nil {
				var users []string
				for _, r := range recs {
					users = append(users, prop(r, "User"))
				}
				want := make([]string, 0, len(tt.wantUser))
				for _, u := range tt.wantUser {
					want = append(want, strconv.Quote(u))
				}
				if !slices.Equal(users, want) {
					t.Errorf("users %q, want %q", users, want)
				}
				return
			}
			if len(recs) != len(tt.want) {
				t.Fatalf("%d records, want %d", len(recs), len(tt.want))
			}
			for n, w := range tt.want {
				r := recs[n]
				if !slices.Equal(r.TypeNames, []string{w.typeName}) {
					t.Errorf("record %d: type names %q, want %s", n, r.TypeNames, w.typeName)
				}
				if got := propNames(r); !slices.Equal(got, w.names) {
					t.Errorf("record %d: properties\n%q\nwant\n%q", n, got, w.names)
				}
				for name, v := range w.values {
					if got := prop(r, name); got != v {
						t.Errorf("record %d: %s = %s, want %s", n, name, got, v)
					}
				}
				for _, p := range r.Props {
					if k, ok := w.kinds[p.Name]; ok && p.Kind != k {
						t.Errorf("record %d: %s kind %d, want %d", n, p.Name, p.Kind, k)
					}
				}
				var obj map[string]any
				if err := json.Unmarshal(r.JSON(), &obj); err != nil || len(obj) != len(w.names) {
					t.Errorf("record %d: JSON %s: %v", n, r.JSON(), err)
				}
			}
		})
	}
}

// TestRunMailboxPermissionOfEveryMailbox: without an identity,
// Get-EXOMailboxPermission lists the mailboxes and reads each one's
// permissions, printed in mailbox order.
func TestRunMailboxPermissionOfEveryMailbox(t *testing.T) {
	for _, tt := range []struct {
		name       string
		mailboxes  int
		resultSize int64
		params     Params
		removed    func(i int) bool // listed, then gone (404)
		perMailbox int              // records per mailbox
		wantN      int
		wantWarn   bool
	}{
		{"all", 7, -1, nil, nil, 3, 21, false},
		{"capped mid-mailbox", 7, 8, nil, nil, 3, 8, true},
		{"capped at a mailbox's end, more follow", 7, 9, nil, nil, 3, 9, true},
		{"exactly the limit", 7, 21, nil, nil, 3, 21, false},
		{"default result size", 7, 0, nil, nil, 3, 21, false},
		{"removed mailboxes are skipped", 9, -1, nil, func(i int) bool { return i%4 == 1 }, 3, 21, false},
		{"owners", 5, -1, Params{"Owner": true}, nil, 1, 5, false},
		{"owners, capped", 5, 3, Params{"Owner": true}, nil, 1, 3, true},
		{"one user on every mailbox", 6, -1, Params{"User": "bob"}, nil, 2, 12, false},
		{"several batches", 230, -1, nil, nil, 3, 690, false},
		{"several batches, capped in the second", 230, 400, nil, nil, 3, 400, true},
		{"soft-deleted mailboxes", 4, -1, Params{"SoftDeletedMailbox": true}, nil, 3, 12, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.removed == nil {
				tt.removed = func(int) bool { return false }
			}
			f := newFakeEXO(t, func(r *route) answer {
				if len(r.Segments) == 1 && r.Segments[0].Name == "Mailbox" && !r.Segments[0].HasKey {
					if got := r.Query.Get("PropertySet"); got != "Minimum" {
						t.Errorf("mailbox list with PropertySet %q", got)
					}
					if got, want := r.Query.Get("SoftDeletedMailbox"), map[bool]string{true: "true"}[merged(tt.params, nil).flag("SoftDeletedMailbox")]; got != want {
						t.Errorf("mailbox list with SoftDeletedMailbox=%q, want %q", got, want)
					}
					return collection(mailboxes(tt.mailboxes)...)
				}
				m := r.Segments[0].Key
				i := upnIndex(m)
				if len(r.Segments) != 2 || r.Segments[1].Name != "MailboxPermission" || i < 0 || tt.removed(i) {
					return notFound(m)
				}
				owner := permJSON(m, "")
				if r.Query.Get("$filter") == "IsOwner eq true" {
					return collection(owner)
				}
				if r.Segments[1].HasKey {
					return single(permJSON(m, r.Segments[1].Key, "FullAccess", "ReadPermission"))
				}
				return collection(permJSON(m, "bob", "FullAccess", "ReadPermission"), owner, permJSON(m, "carol", "SendAs"))
			})
			f.delay = func(*route) time.Duration { return time.Duration(rand.IntN(500)) * time.Microsecond }
			tgt, _ := f.target(2, 8)
			events, err := collect(t, tgt, Call{Cmdlet: "Get-EXOMailboxPermission", Params: tt.params, ResultSize: tt.resultSize})
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for i := range tt.mailboxes {
				if tt.removed(i) {
					continue
				}
				for k := range tt.perMailbox {
					want = append(want, fmt.Sprintf("0:R %s %d", upn(i), k))
				}
			}
			want = want[:tt.wantN]
			if tt.wantWarn {
				want = append(want, "0:W")
			}
			var got []string
			seen := map[string]int{}
			for _, s := range summary(events, "Identity") {
				if m, ok := strings.CutPrefix(s, "0:R "); ok {
					s = fmt.Sprintf("%s %d", s, seen[m])
					seen[m]++
				}
				got = append(got, s)
			}
			if !slices.Equal(got, want) {
				t.Errorf("events\n%q\nwant\n%q", got, want)
			}
		})
	}
}

// TestRunMarksPageEnds: each page's records are followed by a page-end
// mark, before the next page is read and before the ResultSize warning.
func TestRunMarksPageEnds(t *testing.T) {
	f := newFakeEXO(t, func(*route) answer { return collection(mailboxes(5)...) })
	tgt, _ := f.target(2, 1)
	for _, tc := range []struct {
		name       string
		resultSize int64
		want       string
	}{
		{"every page", -1, "RRPRRPRP"},
		{"stopped by ResultSize", 3, "RRPRPW"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := prepare(t, Call{Cmdlet: "Get-EXOMailbox", ResultSize: tc.resultSize})
			var got strings.Builder
			err := Run(context.Background(), tgt, p, func(ev Event) error {
				switch {
				case ev.PageEnd:
					got.WriteString("P")
				case ev.Record != nil:
					got.WriteString("R")
				case ev.Warning != "":
					got.WriteString("W")
				default:
					got.WriteString("E")
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != tc.want {
				t.Errorf("events %s, want %s", got.String(), tc.want)
			}
		})
	}
}

// TestRunServiceWarnings: X-Warnings reach the client once per input,
// before the page's objects, whether one per header value or several
// separated by <eow>.
func TestRunServiceWarnings(t *testing.T) {
	f := newFakeEXO(t, func(*route) answer {
		a := collection(mailboxes(3)...)
		a.Header = http.Header{"X-Warnings": {"first<eow>second", "third"}}
		return a
	})
	tgt, _ := f.target(2, 1)
	p := prepare(t, Call{Cmdlet: "Get-EXOMailbox", ResultSize: -1})
	var got []string
	err := Run(context.Background(), tgt, p, func(ev Event) error {
		switch {
		case ev.Warning != "":
			got = append(got, "W:"+ev.Warning)
		case ev.Record != nil:
			got = append(got, "R")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"W:first", "W:second", "W:third", "R", "R", "R"}
	if !slices.Equal(got, want) {
		t.Errorf("events %q, want %q", got, want)
	}
}

// TestRunPageLinks: next pages are read from the service's link as given,
// with the same page size and headers.
func TestRunPageLinks(t *testing.T) {
	f := newFakeEXO(t, func(*route) answer { return collection(mailboxes(5)...) })
	tgt, _ := f.target(2, 1)
	events, err := collect(t, tgt, Call{Cmdlet: "Get-EXOMobileDeviceStatistics", Params: Params{"Identity": `dev\1`}})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 5 {
		t.Fatalf("%d events, want 5", len(events))
	}
	routes := f.routes()
	if len(routes) != 3 {
		t.Fatalf("%d requests, want 3", len(routes))
	}
	for n, r := range routes {
		if r.Skip != 2*n || r.PageSize != 2 || r.Header.Get("XParameter-Identity") != `dev\1` || r.Path != routes[0].Path {
			t.Errorf("request %d: %s skip %d, page size %d, XParameter-Identity %q", n, r.Path, r.Skip, r.PageSize, r.Header.Get("XParameter-Identity"))
		}
	}
}
