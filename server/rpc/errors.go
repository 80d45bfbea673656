package rpc

import (
	"context"
	"errors"
	"fmt"

	"go.uber.org/zap"

	"github.com/openexo/exo/internal/auth"
	"github.com/openexo/exo/internal/catalog"
	"github.com/openexo/exo/internal/connection"
	"github.com/openexo/exo/internal/environment"
	"github.com/openexo/exo/internal/query"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// invalidArgument builds an error that already carries its gRPC code.
func invalidArgument(format string, args ...any) error {
	return status.Error(codes.InvalidArgument, fmt.Sprintf(format, args...))
}

// toStatus turns any error a service returns into a gRPC status. Services
// wrap errors with %w; the code is chosen here, once.
func toStatus(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	switch {
	case errors.Is(err, connection.ErrNoConnection):
		return status.Error(codes.FailedPrecondition, err.Error())
	case errors.Is(err, connection.ErrInvalidRequest), errors.Is(err, environment.ErrInvalidParameter),
		errors.Is(err, query.ErrInvalidParameter),
		errors.Is(err, auth.ErrInvalidParameter), errors.Is(err, auth.ErrInvalidScope):
		return status.Error(codes.InvalidArgument, err.Error())
	case errors.Is(err, auth.ErrInvalidCredentials), errors.Is(err, auth.ErrInvalidClient),
		errors.Is(err, auth.ErrAccountDisabled), errors.Is(err, auth.ErrTokenExpired),
		errors.Is(err, auth.ErrDeviceCodeExpired), errors.Is(err, auth.ErrSignInFailed):
		return status.Error(codes.Unauthenticated, err.Error())
	case errors.Is(err, auth.ErrNoBrowser), errors.Is(err, auth.ErrInteractionRequired):
		return status.Error(codes.FailedPrecondition, err.Error())
	case errors.Is(err, auth.ErrTenantNotFound), errors.Is(err, catalog.ErrNotInCatalog):
		return status.Error(codes.NotFound, err.Error())
	case errors.Is(err, auth.ErrUnreachable):
		return status.Error(codes.Unavailable, err.Error())
	case errors.Is(err, context.Canceled):
		return status.Error(codes.Canceled, err.Error())
	case errors.Is(err, context.DeadlineExceeded):
		return status.Error(codes.DeadlineExceeded, err.Error())
	default:
		return status.Error(codes.Internal, err.Error())
	}
}

// ErrorBoundary returns interceptors that map errors to status codes and log
// the ones that are the daemon's fault.
func ErrorBoundary(log *zap.Logger) (grpc.UnaryServerInterceptor, grpc.StreamServerInterceptor) {
	report := func(method string, err error) error {
		st := toStatus(err)
		if status.Code(st) == codes.Internal {
			log.Error("call failed", zap.String("method", method), zap.Error(err))
		}
		return st
	}
	unary := func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		resp, err := handler(ctx, req)
		return resp, report(info.FullMethod, err)
	}
	stream := func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		return report(info.FullMethod, handler(srv, ss))
	}
	return unary, stream
}
