package rpc

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/openexo/exo/internal/connection"
	"github.com/openexo/exo/internal/invoke"
	"github.com/openexo/exo/internal/sandbox"
	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/cmdlets"
	"github.com/openexo/exo/internal/sandbox/store"
	exov1 "github.com/openexo/exo/proto/exo/v1"
)

// invokeStream collects an InvokeCommand stream's messages.
type invokeStream struct {
	grpc.ServerStream
	ctx  context.Context
	sent []*exov1.InvokeCommandResponse
}

func (s *invokeStream) Context() context.Context { return s.ctx }
func (s *invokeStream) Send(r *exov1.InvokeCommandResponse) error {
	s.sent = append(s.sent, r)
	return nil
}

// commandFixture is a sandbox tenant and a CommandServer connected to it.
type commandFixture struct {
	sb   *sandbox.Sandbox
	srv  *CommandServer
	mgr  *connection.Manager
	info sandbox.Info
	ca   []byte
}

func newCommandFixture(t *testing.T) *commandFixture {
	return newCommandFixtureWith(t, cmdlets.Options{})
}

// newCommandFixtureWith starts the sandbox with engine options.
func newCommandFixtureWith(t *testing.T, opts cmdlets.Options) *commandFixture {
	t.Helper()
	return startCommandFixture(t, zaptest.NewLogger(t), 0, opts)
}

// startCommandFixture serves a sandbox tenant until tb ends: the small
// default tenant, or one seeded with that many mailboxes.
func startCommandFixture(tb testing.TB, log *zap.Logger, mailboxes int, opts cmdlets.Options) *commandFixture {
	tb.Helper()
	data := filepath.Join(tb.TempDir(), "tenant.db")
	if mailboxes > 0 {
		if _, err := sandbox.SeedFile(context.Background(), data, store.SeedOptions{Mailboxes: mailboxes}); err != nil {
			tb.Fatal(err)
		}
	}
	sb, err := sandbox.Start(context.Background(), sandbox.Options{
		DataPath: data,
		NewBackend: func(st *store.Store, compliance bool) adminapi.Backend {
			o := opts
			o.Logger, o.Compliance = log, compliance
			return cmdlets.New(st, o)
		},
		Logger: log,
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = sb.Close(ctx)
	})
	info := sb.Info()
	ca, err := os.ReadFile(info.CAFile)
	if err != nil {
		tb.Fatal(err)
	}
	mgr := connection.NewManager(connection.Options{Logger: log})
	return &commandFixture{sb: sb, srv: NewCommandServer(mgr, log), mgr: mgr, info: info, ca: ca}
}

func (f *commandFixture) connect(tb testing.TB, session string, commandName ...string) *connection.Connection {
	tb.Helper()
	return f.connectWith(tb, connection.Request{ClientSession: session, CommandName: commandName})
}

// connectWith signs the admin in with req's other fields (session,
// multithreading, ...).
func (f *commandFixture) connectWith(tb testing.TB, req connection.Request) *connection.Connection {
	tb.Helper()
	req.ConnectionURI, req.AuthorityURI, req.TrustedCAPEM = f.info.ConnectionURI, f.info.AuthorityURI, f.ca
	req.UserPrincipalName, req.Password = f.info.UserPrincipalName, f.info.Password
	c, err := f.mgr.Connect(context.Background(), req, connection.Events{Prompt: func(string) {}, Banner: func(string) {}})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func (f *commandFixture) invoke(tb testing.TB, req *exov1.InvokeCommandRequest) ([]*exov1.InvokeCommandResponse, error) {
	tb.Helper()
	s := &invokeStream{ctx: context.Background()}
	err := toStatus(f.srv.InvokeCommand(req, s))
	return s.sent, err
}

func sv(s string) *exov1.ParameterValue {
	return &exov1.ParameterValue{Kind: &exov1.ParameterValue_StringValue{StringValue: s}}
}

func TestCommandServiceAgainstSandbox(t *testing.T) {
	f := newCommandFixture(t)
	ctx := context.Background()
	all := f.connect(t, "pwsh-1")

	cat, err := f.srv.GetCatalog(ctx, &exov1.GetCatalogRequest{ClientSession: "pwsh-1"})
	if err != nil {
		t.Fatal(err)
	}
	if cat.GetConnectionId() != all.ID || len(cat.GetExportedCmdlets()) < 100 || len(cat.GetSha256()) != 64 ||
		!strings.Contains(cat.GetModuleScript(), "function ") || !slices.Contains(cat.GetExportedCmdlets(), "Set-Mailbox") {
		t.Fatalf("catalogue: %d cmdlets, sha %q", len(cat.GetExportedCmdlets()), cat.GetSha256())
	}
	again, err := f.srv.GetCatalog(ctx, &exov1.GetCatalogRequest{ClientSession: "pwsh-1", ConnectionId: all.ID})
	if err != nil || again.GetModuleScript() != cat.GetModuleScript() {
		t.Fatalf("second GetCatalog: %v", err)
	}

	t.Run("CommandName narrows the catalogue and unknown cmdlets are NOT_FOUND", func(t *testing.T) {
		narrow := f.connect(t, "pwsh-2", "Get-Mailbox", "Set-Mai*")
		got, err := f.srv.GetCatalog(ctx, &exov1.GetCatalogRequest{ClientSession: "pwsh-2", ConnectionId: narrow.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range got.GetExportedCmdlets() {
			if n != "Get-Mailbox" && !strings.HasPrefix(n, "Set-Mai") {
				t.Errorf("catalogue has %s", n)
			}
		}
		_, err = f.invoke(t, &exov1.InvokeCommandRequest{ClientSession: "pwsh-2", ConnectionId: narrow.ID, Cmdlet: "Get-User"})
		if status.Code(err) != codes.NotFound {
			t.Errorf("Get-User outside the catalogue: %v, want NOT_FOUND", err)
		}
	})

	t.Run("pages and the ResultSize warning", func(t *testing.T) {
		sent, err := f.invoke(t, &exov1.InvokeCommandRequest{ClientSession: "pwsh-1", Cmdlet: "get-mailbox",
			Parameters:   map[string]*exov1.ParameterValue{"ResultSize": {Kind: &exov1.ParameterValue_IntValue{IntValue: 3}}},
			RecordFormat: exov1.RecordFormat_RECORD_FORMAT_JSON_PAGE})
		if err != nil {
			t.Fatal(err)
		}
		var objs []map[string]any
		warnings := 0
		for i, r := range sent {
			if b := r.GetRecords(); b != nil {
				var page []map[string]any
				if err := json.Unmarshal([]byte(b.GetJson()), &page); err != nil {
					t.Fatal(err)
				}
				objs = append(objs, page...)
				if !slices.Contains(b.GetGuidProperties(), "ExchangeGuid") || !strings.HasPrefix(b.GetTypeNames()[0], "Deserialized.") {
					t.Errorf("batch guid properties %v, type names %v", b.GetGuidProperties(), b.GetTypeNames())
				}
			}
			if r.GetWarning() == invoke.PaginationWarning && i == len(sent)-1 {
				warnings++
			}
			if e := r.GetError(); e != nil {
				t.Errorf("error: %v", e)
			}
		}
		if len(objs) != 3 {
			t.Errorf("objects = %d, want 3", len(objs))
		}
		if warnings != 1 {
			t.Errorf("the pagination warning did not come once at the end: %v", sent)
		}
	})

	t.Run("pipeline batches change each mailbox once, and errors come per input", func(t *testing.T) {
		sent, err := f.invoke(t, &exov1.InvokeCommandRequest{ClientSession: "pwsh-1", Cmdlet: "Get-Mailbox",
			Parameters: map[string]*exov1.ParameterValue{"ResultSize": sv("Unlimited")}, RecordFormat: exov1.RecordFormat_RECORD_FORMAT_JSON})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range sent {
			var o map[string]any
			if rec := r.GetRecord(); rec != nil && json.Unmarshal([]byte(rec.GetJson()), &o) == nil {
				ids = append(ids, o["UserPrincipalName"].(string))
			}
		}
		if len(ids) < 12 {
			t.Fatalf("the sandbox has %d mailboxes; the test needs 12", len(ids))
		}
		ids = ids[:12]
		var inputs []*exov1.ParameterSet
		for _, id := range ids {
			inputs = append(inputs, &exov1.ParameterSet{Parameters: map[string]*exov1.ParameterValue{"Identity": sv(id)}})
		}
		inputs = append(inputs[:5], append([]*exov1.ParameterSet{{Parameters: map[string]*exov1.ParameterValue{"Identity": sv("nobody-" + ids[0])}}}, inputs[5:]...)...)
		sent, err = f.invoke(t, &exov1.InvokeCommandRequest{ClientSession: "pwsh-1", Cmdlet: "Set-Mailbox", Batch: true, Inputs: inputs,
			Parameters: map[string]*exov1.ParameterValue{"CustomAttribute7": sv("batched")}})
		if err != nil {
			t.Fatal(err)
		}
		if len(sent) != 1 || sent[0].GetInputIndex() != 5 || sent[0].GetError() == nil || sent[0].GetError().GetHttpStatus() == 0 ||
			!strings.Contains(sent[0].GetError().GetErrorId(), "RequestId=") {
			t.Fatalf("events = %v, want input 5's error alone", sent)
		}
		for _, id := range ids {
			sent, err := f.invoke(t, &exov1.InvokeCommandRequest{ClientSession: "pwsh-1", Cmdlet: "Get-Mailbox",
				Parameters: map[string]*exov1.ParameterValue{"Identity": sv(id)}, RecordFormat: exov1.RecordFormat_RECORD_FORMAT_PROPERTIES})
			if err != nil || len(sent) != 1 || sent[0].GetRecord() == nil {
				t.Fatalf("read back %s: %v %v", id, sent, err)
			}
			found := false
			for _, p := range sent[0].GetRecord().GetProperties() {
				if p.GetName() == "CustomAttribute7" {
					found = p.GetValue().GetStringValue() == "batched"
				}
			}
			if !found {
				t.Errorf("%s was not changed", id)
			}
		}
	})

	t.Run("secrets are encrypted with the catalogue's key", func(t *testing.T) {
		sent, err := f.invoke(t, &exov1.InvokeCommandRequest{ClientSession: "pwsh-1", Cmdlet: "Set-Mailbox",
			Parameters: map[string]*exov1.ParameterValue{"Identity": sv(f.info.UserPrincipalName),
				"Password": {Kind: &exov1.ParameterValue_SecretValue{SecretValue: "N3w-Passw0rd!"}}}})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range sent {
			if r.GetError() != nil {
				t.Errorf("the service refused the secret: %v", r.GetError())
			}
		}
	})

	t.Run("WhatIf answers with the confirmation message", func(t *testing.T) {
		sent, err := f.invoke(t, &exov1.InvokeCommandRequest{ClientSession: "pwsh-1", Cmdlet: "Set-Mailbox",
			Parameters: map[string]*exov1.ParameterValue{"Identity": sv(f.info.UserPrincipalName), "CustomAttribute8": sv("x"),
				"WhatIf": {Kind: &exov1.ParameterValue_BoolValue{BoolValue: true}}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(sent) == 0 || sent[0].GetConfirmationMessage() == "" {
			t.Errorf("events = %v, want a confirmation message", sent)
		}
	})
}

// mailboxIDs lists the sandbox's mailboxes.
func (f *commandFixture) mailboxIDs(t *testing.T, session string) []string {
	t.Helper()
	sent, err := f.invoke(t, &exov1.InvokeCommandRequest{ClientSession: session, Cmdlet: "Get-Mailbox",
		Parameters: map[string]*exov1.ParameterValue{"ResultSize": sv("Unlimited")}, RecordFormat: exov1.RecordFormat_RECORD_FORMAT_JSON})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range sent {
		var o map[string]any
		if rec := r.GetRecord(); rec != nil && json.Unmarshal([]byte(rec.GetJson()), &o) == nil {
			ids = append(ids, o["UserPrincipalName"].(string))
		}
	}
	return ids
}

// auditRuns counts, per mailbox, the audited runs of the cmdlets the
// search parameters select.
func (f *commandFixture) auditRuns(tb testing.TB, session string, search map[string]*exov1.ParameterValue) map[string]int {
	tb.Helper()
	now := time.Now().UTC()
	params := map[string]*exov1.ParameterValue{
		"StartDate":  {Kind: &exov1.ParameterValue_TimeValue{TimeValue: timestamppb.New(now.Add(-24 * time.Hour))}},
		"EndDate":    {Kind: &exov1.ParameterValue_TimeValue{TimeValue: timestamppb.New(now.Add(24 * time.Hour))}},
		"ResultSize": {Kind: &exov1.ParameterValue_IntValue{IntValue: 5000}},
	}
	for k, v := range search {
		params[k] = v
	}
	sent, err := f.invoke(tb, &exov1.InvokeCommandRequest{ClientSession: session, Cmdlet: "Search-UnifiedAuditLog",
		Parameters: params, RecordFormat: exov1.RecordFormat_RECORD_FORMAT_JSON})
	if err != nil {
		tb.Fatal(err)
	}
	runs := map[string]int{}
	for _, r := range sent {
		if e := r.GetError(); e != nil {
			tb.Fatalf("audit search: %v", e)
		}
		rec := r.GetRecord()
		if rec == nil {
			continue
		}
		var top struct{ AuditData string }
		var data struct {
			ObjectID string `json:"ObjectId"`
		}
		if err := json.Unmarshal([]byte(rec.GetJson()), &top); err != nil {
			tb.Fatal(err)
		}
		if err := json.Unmarshal([]byte(top.AuditData), &data); err != nil {
			tb.Fatalf("AuditData %q: %v", top.AuditData, err)
		}
		runs[strings.ToLower(data.ObjectID)]++
	}
	return runs
}

// TestStormsApplyEachChangeOnce: with 503s and 429s from the front end,
// batched changes are all applied, each exactly once; with connections
// reset after the service ran a change, the change is reported failed and
// never applied twice.
func TestStormsApplyEachChangeOnce(t *testing.T) {
	f := newCommandFixture(t)
	f.connect(t, "pwsh-storm")
	ids := f.mailboxIDs(t, "pwsh-storm")
	if len(ids) < 15 {
		t.Fatalf("the sandbox has %d mailboxes; the test needs 15", len(ids))
	}
	ids = ids[:15]
	settings := adminapi.DefaultSettings()
	settings.Throttle.MaxConcurrent = 2
	settings.Faults = []adminapi.Fault{
		{Kind: adminapi.FaultStatus, Status: 503, Probability: 0.15, Routes: []string{"InvokeCommand", "$batch"}},
		{Kind: adminapi.FaultStatus, Status: 429, Probability: 0.1, Routes: []string{"InvokeCommand", "$batch"}},
		{Kind: adminapi.FaultReset, Probability: 0.1, Routes: []string{"InvokeCommand", "$batch"}, Cmdlets: []string{"Set-Mailbox"}},
	}
	if err := f.sb.SetSettings(settings); err != nil {
		t.Fatal(err)
	}
	var inputs []*exov1.ParameterSet
	for _, id := range ids {
		inputs = append(inputs, &exov1.ParameterSet{Parameters: map[string]*exov1.ParameterValue{"Identity": sv(id)}})
	}
	failed := map[string]bool{}
	for _, batch := range []bool{true, false} {
		sent, err := f.invoke(t, &exov1.InvokeCommandRequest{ClientSession: "pwsh-storm", Cmdlet: "Set-Mailbox", Batch: batch, Inputs: inputs,
			Parameters: map[string]*exov1.ParameterValue{"CustomAttribute9": sv(fmt.Sprint("storm-", batch))}})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range sent {
			if e := r.GetError(); e != nil {
				if !strings.Contains(e.GetReason(), "HttpRequestException") {
					t.Errorf("input %d failed with %v; only unknown outcomes may fail", r.GetInputIndex(), e)
				}
				failed[fmt.Sprint(batch, ids[r.GetInputIndex()])] = true
			}
		}
	}
	if err := f.sb.SetSettings(adminapi.DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	runs := f.auditRuns(t, "pwsh-storm", map[string]*exov1.ParameterValue{
		"Operations": {Kind: &exov1.ParameterValue_ListValue{ListValue: &exov1.ParameterList{Values: []*exov1.ParameterValue{sv("Set-Mailbox")}}}},
	})
	for _, id := range ids {
		n := runs[strings.ToLower(id)]
		if n > 2 {
			t.Errorf("%s: Set-Mailbox ran %d times for 2 calls", id, n)
		}
		if !failed[fmt.Sprint(true, id)] && !failed[fmt.Sprint(false, id)] && n != 2 {
			t.Errorf("%s: Set-Mailbox ran %d times, want 2", id, n)
		}
	}
	t.Logf("inputs reported failed after a reset: %d of %d", len(failed), 2*len(ids))
}

// TestMemberUpdateSplit: an Update-DistributionGroupMember list longer than
// the service accepts in one call is split, and the group ends with exactly
// the list's members.
func TestMemberUpdateSplit(t *testing.T) {
	f := newCommandFixtureWith(t, cmdlets.Options{MaxUpdateMembers: 20})
	f.srv.memberChunk = 20
	f.connect(t, "pwsh-m")
	ids := f.mailboxIDs(t, "pwsh-m")
	if len(ids) < 45 {
		t.Fatalf("the sandbox has %d mailboxes; the test needs 45", len(ids))
	}
	ids = ids[:45]
	sent, err := f.invoke(t, &exov1.InvokeCommandRequest{ClientSession: "pwsh-m", Cmdlet: "Get-DistributionGroup",
		Parameters: map[string]*exov1.ParameterValue{"ResultSize": {Kind: &exov1.ParameterValue_IntValue{IntValue: 1}}}, RecordFormat: exov1.RecordFormat_RECORD_FORMAT_JSON})
	if err != nil || len(sent) == 0 || sent[0].GetRecord() == nil {
		t.Fatalf("Get-DistributionGroup: %v %v", sent, err)
	}
	var group struct{ PrimarySmtpAddress string }
	if err := json.Unmarshal([]byte(sent[0].GetRecord().GetJson()), &group); err != nil {
		t.Fatal(err)
	}
	members := &exov1.ParameterList{}
	for _, id := range append(ids, strings.ToUpper(ids[3])) { // with a duplicate
		members.Values = append(members.Values, sv(id))
	}
	sent, err = f.invoke(t, &exov1.InvokeCommandRequest{ClientSession: "pwsh-m", Cmdlet: "Update-DistributionGroupMember",
		Parameters: map[string]*exov1.ParameterValue{
			"Identity": sv(group.PrimarySmtpAddress), "Members": {Kind: &exov1.ParameterValue_ListValue{ListValue: members}},
			"BypassSecurityGroupManagerCheck": {Kind: &exov1.ParameterValue_BoolValue{BoolValue: true}},
			"Confirm":                         {Kind: &exov1.ParameterValue_BoolValue{BoolValue: false}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sent {
		if e := r.GetError(); e != nil {
			t.Fatalf("Update-DistributionGroupMember: %v", e)
		}
	}
	sent, err = f.invoke(t, &exov1.InvokeCommandRequest{ClientSession: "pwsh-m", Cmdlet: "Get-DistributionGroupMember",
		Parameters:   map[string]*exov1.ParameterValue{"Identity": sv(group.PrimarySmtpAddress), "ResultSize": sv("Unlimited")},
		RecordFormat: exov1.RecordFormat_RECORD_FORMAT_JSON})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range sent {
		var m struct{ PrimarySmtpAddress, WindowsLiveID string }
		if rec := r.GetRecord(); rec != nil && json.Unmarshal([]byte(rec.GetJson()), &m) == nil {
			got = append(got, strings.ToLower(m.PrimarySmtpAddress))
		}
	}
	want := make([]string, len(ids))
	for i, id := range ids {
		want[i] = strings.ToLower(id)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("members after the update:\n got %v\nwant %v", got, want)
	}
}
