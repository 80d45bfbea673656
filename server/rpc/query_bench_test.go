package rpc

import (
	"context"
	"testing"

	"go.uber.org/zap"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/openexo/exo/internal/jsoncodec"
	"github.com/openexo/exo/internal/sandbox/cmdlets"
	exov1 "github.com/openexo/exo/proto/exo/v1"
)

// encodingStream is the daemon's side of a Query stream to the module: each
// message is encoded with the JSON codec the module asks for, then dropped.
type encodingStream struct {
	grpc.ServerStream
	ctx     context.Context
	records int
	bytes   int
}

func (s *encodingStream) Context() context.Context { return s.ctx }
func (s *encodingStream) Send(r *exov1.QueryResponse) error {
	raw, err := jsoncodec.Codec{}.Marshal(r)
	if err != nil {
		return err
	}
	s.bytes += len(raw)
	if b := r.GetRecords(); b != nil {
		s.records += int(b.GetCount())
	}
	if r.GetRecord() != nil {
		s.records++
	}
	return nil
}

// BenchmarkQueryMailboxes measures Get-EXOMailbox -ResultSize Unlimited
// through the daemon's QueryService and an in-process sandbox over HTTPS,
// encoded as the module receives it (one JSON array per page): the work
// of the daemon and the sandbox together, without PowerShell. Profile
// with -cpuprofile to tell the two apart (internal/sandbox/... against
// internal/query, internal/adminclient and server/rpc).
//
//	go test -run '^$' -bench QueryMailboxes -benchtime 3x ./server/rpc/
func BenchmarkQueryMailboxes(b *testing.B) {
	const mailboxes = 20000
	f := startCommandFixture(b, zap.NewNop(), mailboxes, cmdlets.Options{})
	f.connect(b, "bench")
	srv := NewQueryServer(f.mgr)
	req := &exov1.QueryRequest{
		ClientSession: "bench", Cmdlet: "Get-EXOMailbox", ResultSize: -1,
		Parameters: &structpb.Struct{}, RecordFormat: exov1.RecordFormat_RECORD_FORMAT_JSON_PAGE,
	}
	objects, sent := 0, 0
	for b.Loop() {
		stream := &encodingStream{ctx: context.Background()}
		if err := srv.Query(req, stream); err != nil {
			b.Fatal(err)
		}
		// The seed makes some of the mailboxes shared, room or equipment
		// mailboxes and a few inactive; Get-EXOMailbox lists most of them.
		if stream.records < mailboxes*9/10 {
			b.Fatalf("%d objects, want about %d", stream.records, mailboxes)
		}
		objects += stream.records
		sent += stream.bytes
	}
	b.ReportMetric(float64(objects)/b.Elapsed().Seconds(), "objects/s")
	b.ReportMetric(float64(sent)/float64(objects), "bytes/object")
}
