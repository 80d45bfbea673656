// Package rpc implements the daemon's gRPC services. It is the one place
// where the daemon's errors become gRPC status codes.
package rpc

import (
	"context"
	"os"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/openexo/exo/internal/buildinfo"
	"github.com/openexo/exo/internal/callstats"
	exov1 "github.com/openexo/exo/proto/exo/v1"
	"github.com/openexo/exo/proto/released"
)

// DaemonServer serves exo.v1.DaemonService.
type DaemonServer struct {
	exov1.UnimplementedDaemonServiceServer
	build      buildinfo.Info
	stats      *callstats.Counters
	socketPath string
	executable string
	started    time.Time
}

// NewDaemonServer returns the service for a daemon that runs executable and
// started at started.
func NewDaemonServer(build buildinfo.Info, stats *callstats.Counters, socketPath, executable string, started time.Time) *DaemonServer {
	return &DaemonServer{build: build, stats: stats, socketPath: socketPath, executable: executable, started: started}
}

// GetVersion returns the daemon's build.
func (s *DaemonServer) GetVersion(context.Context, *exov1.GetVersionRequest) (*exov1.GetVersionResponse, error) {
	return &exov1.GetVersionResponse{
		Version:       s.build.Version,
		Commit:        s.build.Commit,
		GoVersion:     s.build.GoVersion,
		ApiVersion:    buildinfo.APIVersion,
		ModuleSurface: buildinfo.ModuleSurface,
	}, nil
}

// GetStatus returns the process facts and call counters.
func (s *DaemonServer) GetStatus(context.Context, *exov1.GetStatusRequest) (*exov1.GetStatusResponse, error) {
	snap := s.stats.Snapshot()
	return &exov1.GetStatusResponse{
		Pid:            int64(os.Getpid()),
		StartTime:      timestamppb.New(s.started),
		SocketPath:     s.socketPath,
		CallsStarted:   snap.Started,
		CallsInFlight:  snap.InFlight,
		CallsCancelled: snap.Cancelled,
		Executable:     s.executable,
		ApiVersion:     buildinfo.APIVersion,
		// Clients compare it with the descriptor they were generated from.
		ApiReleasedSha256: released.SHA256(),
	}, nil
}

const (
	defaultHeartbeatInterval = time.Second
	minHeartbeatInterval     = time.Millisecond
)

// WatchHeartbeat sends heartbeats until the count is reached or the client
// cancels.
func (s *DaemonServer) WatchHeartbeat(req *exov1.WatchHeartbeatRequest, stream exov1.DaemonService_WatchHeartbeatServer) error {
	interval := defaultHeartbeatInterval
	if req.GetInterval() != nil {
		if err := req.GetInterval().CheckValid(); err != nil {
			return invalidField("interval", "interval: %v", err)
		}
		interval = max(req.GetInterval().AsDuration(), minHeartbeatInterval)
	}
	if req.GetCount() < 0 {
		return invalidField("count", "count must be 0 (unlimited) or positive, not %d", req.GetCount())
	}
	ctx := stream.Context()
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for seq := int64(1); req.GetCount() == 0 || seq <= req.GetCount(); seq++ {
		if err := stream.Send(&exov1.WatchHeartbeatResponse{Sequence: seq, Time: timestamppb.Now()}); err != nil {
			return err
		}
		if seq == req.GetCount() {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.C:
		}
	}
	return nil
}
