package rpc

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/openexo/exo/internal/connection"
	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/cmdlets"
	exov1 "github.com/openexo/exo/proto/exo/v1"
)

// BenchmarkSetMailboxPipeline measures issue 6's bulk case through the
// daemon alone: 2,000 Set-Mailbox pipeline inputs with 50 ms of added
// service latency, sent one at a time, concurrently, and as $batch
// requests; each mode checks in the tenant's audit log that every change
// ran exactly once. Run with -bench SetMailboxPipeline -benchtime 1x.
func BenchmarkSetMailboxPipeline(b *testing.B) {
	const mailboxes = 2000
	f := startCommandFixture(b, zap.NewNop(), mailboxes*5/4, cmdlets.Options{})
	connect := func(session string, single bool) {
		f.connectWith(b, connection.Request{ClientSession: session, DisableMultithreading: single})
	}
	connect("sequential", true)
	connect("parallel", false)

	var ids []string
	sent, err := f.invoke(b, &exov1.InvokeCommandRequest{ClientSession: "parallel", Cmdlet: "Get-Mailbox",
		Parameters:   map[string]*exov1.ParameterValue{"ResultSize": sv("Unlimited"), "RecipientTypeDetails": sv("UserMailbox")},
		RecordFormat: exov1.RecordFormat_RECORD_FORMAT_JSON})
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range sent {
		var o map[string]any
		if rec := r.GetRecord(); rec != nil && json.Unmarshal([]byte(rec.GetJson()), &o) == nil {
			ids = append(ids, o["UserPrincipalName"].(string))
		}
	}
	if len(ids) < mailboxes {
		b.Fatalf("%d mailboxes, want %d", len(ids), mailboxes)
	}
	ids = ids[:mailboxes]
	inputs := make([]*exov1.ParameterSet, len(ids))
	for i, id := range ids {
		inputs[i] = &exov1.ParameterSet{Parameters: map[string]*exov1.ParameterValue{"Identity": sv(id)}}
	}
	settings := adminapi.DefaultSettings()
	settings.Faults = []adminapi.Fault{{Kind: adminapi.FaultLatency, Probability: 1, Routes: []string{"InvokeCommand", "$batch"},
		Latency: &adminapi.Latency{Distribution: "fixed", Delay: adminapi.Duration(50 * time.Millisecond)}}}
	if err := f.sb.SetSettings(settings); err != nil {
		b.Fatal(err)
	}
	modes := []struct {
		name, session string
		batch         bool
	}{
		{"sequential", "sequential", false},
		{"concurrent", "parallel", false},
		{"batched", "parallel", true},
	}
	for _, m := range modes {
		b.Run(m.name, func(b *testing.B) {
			marker := "bench-" + m.name
			for range b.N {
				sent, err := f.invoke(b, &exov1.InvokeCommandRequest{ClientSession: m.session, Cmdlet: "Set-Mailbox", Batch: m.batch,
					Inputs: inputs, Parameters: map[string]*exov1.ParameterValue{"CustomAttribute11": sv(marker)}})
				if err != nil {
					b.Fatal(err)
				}
				for _, r := range sent {
					if e := r.GetError(); e != nil {
						b.Fatalf("input %d: %v", r.GetInputIndex(), e)
					}
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/2000-calls")
			runs := f.auditRuns(b, "parallel", map[string]*exov1.ParameterValue{"FreeText": sv(marker)})
			for _, id := range ids {
				if runs[strings.ToLower(id)] != b.N {
					b.Fatalf("%s: Set-Mailbox ran %d times, want %d", id, runs[strings.ToLower(id)], b.N)
				}
			}
		})
	}
}

// BenchmarkGetCatalog measures the catalogue's first fetch for a
// connection (the sandbox's ~800-cmdlet module) and a cached answer.
func BenchmarkGetCatalog(b *testing.B) {
	log := zap.NewNop()
	f := startCommandFixture(b, log, 0, cmdlets.Options{})
	f.connect(b, "s")
	mgr := f.mgr
	req := &exov1.GetCatalogRequest{ClientSession: "s"}
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			if _, err := NewCommandServer(mgr, log).GetCatalog(context.Background(), req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		srv := NewCommandServer(mgr, log)
		for b.Loop() {
			if _, err := srv.GetCatalog(context.Background(), req); err != nil {
				b.Fatal(err)
			}
		}
	})
}
