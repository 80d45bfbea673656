package exoctl

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/protoadapt"
	"google.golang.org/protobuf/types/known/durationpb"
)

func withDetails(t *testing.T, code codes.Code, details ...protoadapt.MessageV1) error {
	t.Helper()
	st, err := status.New(code, "text").WithDetails(details...)
	if err != nil {
		t.Fatal(err)
	}
	return st.Err()
}

func TestDescribe(t *testing.T) {
	info := func(reason string) *errdetails.ErrorInfo {
		return &errdetails.ErrorInfo{Reason: reason, Domain: "exo.v1"}
	}
	tests := []struct {
		name   string
		err    error
		exit   int
		reason string
		retry  time.Duration
		field  string
	}{
		{"usage", usagef("no command"), ExitUsage, "USAGE", 0, ""},
		{"unreachable", fmt.Errorf("%w: no socket", ErrUnreachable), ExitUnreachable, "", 0, ""},
		{"bad filter", withDetails(t, codes.InvalidArgument, info("FILTER_INVALID"),
			&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: "Filter"}}}), ExitUsage, "FILTER_INVALID", 0, "Filter"},
		{"cmdlet not found", withDetails(t, codes.NotFound, info("CMDLET_NOT_FOUND")), ExitUsage, "CMDLET_NOT_FOUND", 0, ""},
		{"no connection", withDetails(t, codes.FailedPrecondition, info("CONNECTION_NOT_FOUND")), ExitConnection, "CONNECTION_NOT_FOUND", 0, ""},
		{"sign-in", withDetails(t, codes.Unauthenticated, info("CREDENTIALS_INVALID")), ExitConnection, "CREDENTIALS_INVALID", 0, ""},
		{"identity provider down", withDetails(t, codes.Unavailable, info("IDENTITY_PROVIDER_UNREACHABLE")), ExitConnection, "IDENTITY_PROVIDER_UNREACHABLE", 0, ""},
		{"throttled", withDetails(t, codes.ResourceExhausted, info("THROTTLED"), &errdetails.RetryInfo{RetryDelay: durationpb.New(30 * time.Second)}),
			ExitThrottled, "THROTTLED", 30 * time.Second, ""},
		{"service", withDetails(t, codes.NotFound, info("SERVICE_ERROR")), ExitService, "SERVICE_ERROR", 0, ""},
		{"internal", withDetails(t, codes.Internal, info("INTERNAL")), ExitFailure, "INTERNAL", 0, ""},
		{"transport unavailable", status.Error(codes.Unavailable, "connection refused"), ExitUnreachable, "", 0, ""},
		{"unimplemented", status.Error(codes.Unimplemented, "unknown method"), ExitUsage, "", 0, ""},
		{"cancelled", status.Error(codes.Canceled, "cancelled"), ExitInterrupted, "", 0, ""},
		{"not a status", errors.New("boom"), ExitFailure, "", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Describe(tt.err)
			if f.Exit != tt.exit || f.Reason != tt.reason || f.RetryAfter != tt.retry || f.Field != tt.field {
				t.Errorf("got exit %d reason %q retry %v field %q, want %d %q %v %q",
					f.Exit, f.Reason, f.RetryAfter, f.Field, tt.exit, tt.reason, tt.retry, tt.field)
			}
		})
	}
}
