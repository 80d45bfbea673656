package rpc

import (
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"

	exov1 "github.com/openexo/exo/proto/exo/v1"
)

// Services are the daemon's service implementations.
type Services struct {
	Daemon      *DaemonServer
	Connections *ConnectionServer
	Queries     *QueryServer
	Commands    *CommandServer
}

// Register adds every service, the standard health service and server
// reflection to srv.
func (s Services) Register(srv *grpc.Server) {
	exov1.RegisterDaemonServiceServer(srv, s.Daemon)
	exov1.RegisterConnectionServiceServer(srv, s.Connections)
	exov1.RegisterQueryServiceServer(srv, s.Queries)
	exov1.RegisterCommandServiceServer(srv, s.Commands)
	hs := health.NewServer()
	for _, name := range []string{"", exov1.DaemonService_ServiceDesc.ServiceName} {
		hs.SetServingStatus(name, healthpb.HealthCheckResponse_SERVING)
	}
	healthpb.RegisterHealthServer(srv, hs)
	reflection.Register(srv)
}
