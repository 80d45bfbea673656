package exoctl

import (
	"errors"
	"fmt"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Exit codes (docs/exoctl.md). They are a contract with scripts.
const (
	ExitOK          = 0
	ExitFailure     = 1 // anything not below, such as a daemon bug (INTERNAL)
	ExitUsage       = 2 // the command line or a parameter value is wrong
	ExitService     = 3 // the service refused or failed the cmdlet
	ExitThrottled   = 4 // the service throttled the call after retries
	ExitConnection  = 5 // no connection, or sign-in failed
	ExitUnreachable = 6 // the daemon could not be reached or started
	ExitInterrupted = 130
)

// ErrUnreachable marks a daemon exoctl cannot reach or start.
var ErrUnreachable = errors.New("the exod daemon is unreachable")

// reasonExits maps the error catalogue's reasons (docs/errors.md) to exit
// codes; a status without a reason is mapped by its code.
var reasonExits = map[string]int{
	"INVALID_ARGUMENT": ExitUsage, "FILTER_INVALID": ExitUsage, "PROPERTY_UNKNOWN": ExitUsage,
	"CMDLET_NOT_FOUND": ExitUsage, "SCOPE_INVALID": ExitConnection,
	"CONNECTION_NOT_FOUND": ExitConnection, "SIGN_IN_FAILED": ExitConnection, "CREDENTIALS_INVALID": ExitConnection,
	"ACCOUNT_DISABLED": ExitConnection, "CLIENT_INVALID": ExitConnection, "TOKEN_EXPIRED": ExitConnection,
	"DEVICE_CODE_EXPIRED": ExitConnection, "INTERACTION_REQUIRED": ExitConnection, "BROWSER_UNAVAILABLE": ExitConnection,
	"TENANT_NOT_FOUND": ExitConnection, "IDENTITY_PROVIDER_UNREACHABLE": ExitConnection,
	"THROTTLED": ExitThrottled, "SERVICE_ERROR": ExitService, "SERVICE_UNREACHABLE": ExitService,
	"CANCELLED": ExitInterrupted, "DEADLINE_EXCEEDED": ExitFailure, "INTERNAL": ExitFailure,
}

// Failure is a failed call as exoctl reports it.
type Failure struct {
	// Code is the gRPC status code, or OK for a failure that is no status.
	Code codes.Code
	// Reason is the catalogue reason, "" when the daemon sent none.
	Reason string
	// Message is the daemon's message.
	Message string
	// Metadata is the ErrorInfo metadata.
	Metadata map[string]string
	// RetryAfter is the RetryInfo delay, 0 when absent.
	RetryAfter time.Duration
	// Field names the parameter a BadRequest blamed.
	Field string
	// Exit is the process exit code this failure means.
	Exit int
}

// Describe reads err, a gRPC status or a usage or reachability error.
func Describe(err error) Failure {
	switch {
	case errors.Is(err, ErrUsage):
		return Failure{Message: err.Error(), Exit: ExitUsage, Reason: "USAGE"}
	case errors.Is(err, ErrUnreachable):
		return Failure{Code: codes.Unavailable, Message: err.Error(), Exit: ExitUnreachable}
	}
	st, ok := status.FromError(err)
	if !ok {
		return Failure{Message: err.Error(), Exit: ExitFailure}
	}
	f := Failure{Code: st.Code(), Message: st.Message()}
	for _, d := range st.Details() {
		switch d := d.(type) {
		case *errdetails.ErrorInfo:
			f.Reason, f.Metadata = d.GetReason(), d.GetMetadata()
		case *errdetails.RetryInfo:
			f.RetryAfter = d.GetRetryDelay().AsDuration()
		case *errdetails.BadRequest:
			if v := d.GetFieldViolations(); len(v) > 0 {
				f.Field = v[0].GetField()
			}
		}
	}
	if code, ok := reasonExits[f.Reason]; ok {
		f.Exit = code
		return f
	}
	switch st.Code() {
	case codes.Unavailable:
		// No reason: gRPC itself failed to reach the daemon.
		f.Exit = ExitUnreachable
	case codes.InvalidArgument, codes.Unimplemented:
		f.Exit = ExitUsage
	case codes.Unauthenticated, codes.FailedPrecondition:
		f.Exit = ExitConnection
	case codes.ResourceExhausted:
		f.Exit = ExitThrottled
	case codes.Canceled:
		f.Exit = ExitInterrupted
	default:
		f.Exit = ExitFailure
	}
	return f
}

// String is the one-line message printed on stderr.
func (f Failure) String() string {
	msg := f.Message
	if f.Reason != "" && f.Reason != "USAGE" {
		msg = fmt.Sprintf("%s (%s)", msg, f.Reason)
	}
	if f.RetryAfter > 0 {
		msg += fmt.Sprintf("; retry after %s", f.RetryAfter)
	}
	return msg
}
