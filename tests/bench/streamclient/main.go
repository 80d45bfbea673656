// Command streamclient reads a Get-EXO* stream straight from the daemon
// with the Go gRPC stubs, decoding every record, and prints what it took as
// one JSON line. tests/bench/getexo.ps1 runs it beside the PowerShell
// module to show the ceiling of the design: the same daemon, connection and
// sandbox, without PowerShell.
//
//	streamclient -socket /run/user/1000/exod.sock -session 1234-6389... -cmdlet Get-EXOMailbox
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/openexo/exo/internal/client"
	exov1 "github.com/openexo/exo/proto/exo/v1"
)

// result is the printed measurement.
type result struct {
	Objects        int     `json:"objects"`
	Seconds        float64 `json:"seconds"`
	FirstObjectMs  float64 `json:"firstObjectMs"`
	ObjectsPerSec  float64 `json:"objectsPerSecond"`
	RecordBatches  int     `json:"recordBatches"`
	ServiceErrors  int     `json:"serviceErrors"`
	ServiceWarning string  `json:"warning,omitempty"`
}

func main() {
	socket := flag.String("socket", "", "the daemon's socket")
	session := flag.String("session", "", "the client session whose connection to use (the module's)")
	cmdlet := flag.String("cmdlet", "Get-EXOMailbox", "the Get-EXO* cmdlet")
	flag.Parse()
	if *socket == "" || *session == "" {
		fmt.Fprintln(os.Stderr, "streamclient: -socket and -session are required")
		os.Exit(2)
	}
	res, err := run(context.Background(), *socket, *session, *cmdlet)
	if err != nil {
		fmt.Fprintln(os.Stderr, "streamclient:", err)
		os.Exit(1)
	}
	_ = json.NewEncoder(os.Stdout).Encode(res)
}

func run(ctx context.Context, socket, session, cmdlet string) (result, error) {
	cc, err := client.Dial(socket)
	if err != nil {
		return result{}, err
	}
	defer func() { _ = cc.Close() }()
	start := time.Now()
	stream, err := exov1.NewQueryServiceClient(cc).Query(ctx, &exov1.QueryRequest{
		ClientSession: session, Cmdlet: cmdlet, ResultSize: -1,
		RecordFormat: exov1.RecordFormat_RECORD_FORMAT_JSON_PAGE,
	})
	if err != nil {
		return result{}, err
	}
	var res result
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return result{}, err
		}
		switch ev := msg.GetEvent().(type) {
		case *exov1.QueryResponse_Records:
			// Decode the objects, as a client that uses them must.
			var objs []map[string]json.RawMessage
			if err := json.Unmarshal([]byte(ev.Records.GetJson()), &objs); err != nil {
				return result{}, fmt.Errorf("decode a batch: %w", err)
			}
			if res.Objects == 0 {
				res.FirstObjectMs = float64(time.Since(start).Microseconds()) / 1000
			}
			res.Objects += len(objs)
			res.RecordBatches++
		case *exov1.QueryResponse_Warning:
			res.ServiceWarning = ev.Warning
		case *exov1.QueryResponse_Error:
			res.ServiceErrors++
		}
	}
	res.Seconds = time.Since(start).Seconds()
	res.ObjectsPerSec = float64(res.Objects) / res.Seconds
	return res, nil
}
