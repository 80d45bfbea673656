package rpc

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"go.uber.org/zap"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/openexo/exo/internal/connection"
	"github.com/openexo/exo/internal/jsoncodec"
	"github.com/openexo/exo/internal/sandbox"
	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/cmdlets"
	"github.com/openexo/exo/internal/sandbox/store"
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
	_, info, ca := startBenchSandbox(b, mailboxes)
	log := zap.NewNop()
	mgr := connection.NewManager(connection.Options{Logger: log})
	if _, err := mgr.Connect(context.Background(), connection.Request{
		ClientSession: "bench", ConnectionURI: info.ConnectionURI, AuthorityURI: info.AuthorityURI, TrustedCAPEM: ca,
		UserPrincipalName: info.UserPrincipalName, Password: info.Password,
	}, connection.Events{Prompt: func(string) {}, Banner: func(string) {}}); err != nil {
		b.Fatal(err)
	}
	srv := NewQueryServer(mgr)
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

// startBenchSandbox seeds a tenant with the given number of mailboxes and
// serves it until the benchmark ends; it returns the sandbox, its
// connection values and its CA certificate.
func startBenchSandbox(b *testing.B, mailboxes int) (*sandbox.Sandbox, sandbox.Info, []byte) {
	b.Helper()
	data := filepath.Join(b.TempDir(), "tenant.db")
	if _, err := sandbox.SeedFile(context.Background(), data, store.SeedOptions{Mailboxes: mailboxes}); err != nil {
		b.Fatal(err)
	}
	log := zap.NewNop()
	sb, err := sandbox.Start(context.Background(), sandbox.Options{
		DataPath: data,
		NewBackend: func(st *store.Store, compliance bool) adminapi.Backend {
			return cmdlets.New(st, cmdlets.Options{Logger: log, Compliance: compliance})
		},
		Logger: log,
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = sb.Close(context.Background()) })
	info := sb.Info()
	ca, err := os.ReadFile(info.CAFile)
	if err != nil {
		b.Fatal(err)
	}
	return sb, info, ca
}
