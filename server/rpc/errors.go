package rpc

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"go.uber.org/zap"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/protoadapt"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/openexo/exo/internal/adminclient"
	"github.com/openexo/exo/internal/auth"
	"github.com/openexo/exo/internal/catalog"
	"github.com/openexo/exo/internal/connection"
	"github.com/openexo/exo/internal/environment"
	"github.com/openexo/exo/internal/opathfilter"
	"github.com/openexo/exo/internal/propertyset"
	"github.com/openexo/exo/internal/query"
	exov1 "github.com/openexo/exo/proto/exo/v1"
)

// errorDomain is the ErrorInfo domain of every error the daemon describes.
const errorDomain = "exo.v1"

// Reasons of the error catalogue (docs/errors.md). They are API: clients
// branch on them, so they are never renamed.
const (
	reasonInvalidArgument     = "INVALID_ARGUMENT"
	reasonFilterInvalid       = "FILTER_INVALID"
	reasonPropertyUnknown     = "PROPERTY_UNKNOWN"
	reasonCmdletNotFound      = "CMDLET_NOT_FOUND"
	reasonConnectionNotFound  = "CONNECTION_NOT_FOUND"
	reasonSignInFailed        = "SIGN_IN_FAILED"
	reasonCredentialsInvalid  = "CREDENTIALS_INVALID"
	reasonAccountDisabled     = "ACCOUNT_DISABLED"
	reasonClientInvalid       = "CLIENT_INVALID"
	reasonTokenExpired        = "TOKEN_EXPIRED"
	reasonDeviceCodeExpired   = "DEVICE_CODE_EXPIRED"
	reasonInteractionRequired = "INTERACTION_REQUIRED"
	reasonBrowserUnavailable  = "BROWSER_UNAVAILABLE"
	reasonTenantNotFound      = "TENANT_NOT_FOUND"
	reasonScopeInvalid        = "SCOPE_INVALID"
	reasonIdentityUnreachable = "IDENTITY_PROVIDER_UNREACHABLE"
	reasonThrottled           = "THROTTLED"
	reasonServiceError        = "SERVICE_ERROR"
	reasonServiceUnreachable  = "SERVICE_UNREACHABLE"
	reasonCancelled           = "CANCELLED"
	reasonDeadlineExceeded    = "DEADLINE_EXCEEDED"
	reasonInternal            = "INTERNAL"
)

// kindRule maps a sentinel error kind to its status code and reason.
type kindRule struct {
	kind   error
	code   codes.Code
	reason string
}

// kindRules is checked in order; the first kind err matches wins, so the
// more specific kinds come first.
var kindRules = [...]kindRule{
	{connection.ErrNoConnection, codes.FailedPrecondition, reasonConnectionNotFound},
	{catalog.ErrNotInCatalog, codes.NotFound, reasonCmdletNotFound},
	{auth.ErrInvalidCredentials, codes.Unauthenticated, reasonCredentialsInvalid},
	{auth.ErrAccountDisabled, codes.Unauthenticated, reasonAccountDisabled},
	{auth.ErrInvalidClient, codes.Unauthenticated, reasonClientInvalid},
	{auth.ErrTokenExpired, codes.Unauthenticated, reasonTokenExpired},
	{auth.ErrDeviceCodeExpired, codes.Unauthenticated, reasonDeviceCodeExpired},
	{auth.ErrSignInFailed, codes.Unauthenticated, reasonSignInFailed},
	{auth.ErrInteractionRequired, codes.FailedPrecondition, reasonInteractionRequired},
	{auth.ErrNoBrowser, codes.FailedPrecondition, reasonBrowserUnavailable},
	{auth.ErrTenantNotFound, codes.NotFound, reasonTenantNotFound},
	{auth.ErrInvalidScope, codes.InvalidArgument, reasonScopeInvalid},
	{auth.ErrUnreachable, codes.Unavailable, reasonIdentityUnreachable},
	{auth.ErrInvalidParameter, codes.InvalidArgument, reasonInvalidArgument},
	{connection.ErrInvalidRequest, codes.InvalidArgument, reasonInvalidArgument},
	{environment.ErrInvalidParameter, codes.InvalidArgument, reasonInvalidArgument},
	{query.ErrInvalidParameter, codes.InvalidArgument, reasonInvalidArgument},
	{context.Canceled, codes.Canceled, reasonCancelled},
	{context.DeadlineExceeded, codes.DeadlineExceeded, reasonDeadlineExceeded},
}

// invalidArgument builds an INVALID_ARGUMENT status with its ErrorInfo.
func invalidArgument(format string, args ...any) error {
	return newStatus(codes.InvalidArgument, fmt.Sprintf(format, args...), reasonInvalidArgument, nil)
}

// invalidField is invalidArgument for one request field, which it names in
// a BadRequest field violation.
func invalidField(field, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return newStatus(codes.InvalidArgument, msg, reasonInvalidArgument, nil, fieldViolation(field, msg))
}

// newStatus is a status with an ErrorInfo of reason and metadata, then
// extra details.
func newStatus(code codes.Code, msg, reason string, metadata map[string]string, extra ...protoadapt.MessageV1) error {
	st := status.New(code, msg)
	details := append([]protoadapt.MessageV1{&errdetails.ErrorInfo{Reason: reason, Domain: errorDomain, Metadata: metadata}}, extra...)
	withDetails, err := st.WithDetails(details...)
	if err != nil {
		// Only a detail that cannot be marshalled fails here; the code and
		// message still reach the client.
		return st.Err()
	}
	return withDetails.Err()
}

// toStatus turns any error a service returns into a gRPC status with the
// catalogue's details. Services wrap errors with %w; the code is chosen
// here, once.
func toStatus(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(interface{ GRPCStatus() *status.Status }); ok {
		return err
	}
	if st, ok := status.FromError(err); ok {
		// A status wrapped with context keeps its code and details.
		return st.Err()
	}
	var fe *opathfilter.Error
	if errors.As(err, &fe) {
		return newStatus(codes.InvalidArgument, err.Error(), reasonFilterInvalid,
			map[string]string{"position": strconv.Itoa(fe.Pos), "syntax": strconv.FormatBool(fe.Syntax)},
			fieldViolation("Filter", err.Error()))
	}
	var ue *propertyset.UnknownNameError
	if errors.As(err, &ue) {
		field := "Properties"
		if ue.Kind == propertyset.PropertySetName {
			field = "PropertySets"
		}
		return newStatus(codes.InvalidArgument, err.Error(), reasonPropertyUnknown,
			map[string]string{"name": ue.Name, "cmdlet": ue.Cmdlet}, fieldViolation(field, err.Error()))
	}
	var se *adminclient.ServiceError
	if errors.As(err, &se) {
		return serviceStatus(err.Error(), se)
	}
	for _, r := range kindRules {
		if errors.Is(err, r.kind) {
			return newStatus(r.code, err.Error(), r.reason, signInMetadata(err))
		}
	}
	return newStatus(codes.Internal, err.Error(), reasonInternal, nil)
}

func fieldViolation(field, msg string) *errdetails.BadRequest {
	return &errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: field, Description: msg}}}
}

// signInMetadata is what Entra said about a failed sign-in, for support.
func signInMetadata(err error) map[string]string {
	var ae *auth.Error
	if !errors.As(err, &ae) {
		return nil
	}
	md := map[string]string{}
	if ae.Code != 0 {
		md["aadsts_code"] = strconv.Itoa(ae.Code)
	}
	if ae.OAuthError != "" {
		md["oauth_error"] = ae.OAuthError
	}
	if ae.StatusCode != 0 {
		md["http_status"] = strconv.Itoa(ae.StatusCode)
	}
	return md
}

// serviceStatus is the status of a call that failed as a whole on a service
// answer (a catalogue fetch, say): the HTTP status picks the code.
func serviceStatus(msg string, se *adminclient.ServiceError) error {
	md := serviceMetadata(se)
	if se.Throttled {
		var retry []protoadapt.MessageV1
		if se.RetryAfter > 0 {
			retry = append(retry, &errdetails.RetryInfo{RetryDelay: durationpb.New(se.RetryAfter)})
		}
		return newStatus(codes.ResourceExhausted, msg, reasonThrottled, md, retry...)
	}
	code := codes.Unknown
	switch {
	case se.Status == http.StatusBadRequest:
		code = codes.InvalidArgument
	case se.Status == http.StatusUnauthorized:
		code = codes.Unauthenticated
	case se.Status == http.StatusForbidden:
		code = codes.PermissionDenied
	case se.Status == http.StatusNotFound:
		code = codes.NotFound
	case se.Status >= 500:
		code = codes.Unavailable
	}
	return newStatus(code, msg, reasonServiceError, md)
}

// serviceMetadata is the ErrorInfo metadata of a service answer; empty
// values are left out.
func serviceMetadata(se *adminclient.ServiceError) map[string]string {
	md := map[string]string{}
	set := func(k, v string) {
		if v != "" {
			md[k] = v
		}
	}
	set("error_id", se.ErrorID())
	set("exception_type", se.ExceptionType)
	set("request_id", se.RequestID)
	set("category", se.Category)
	set("target", se.Target)
	if se.Status != 0 {
		md["http_status"] = strconv.Itoa(se.Status)
	}
	return md
}

// commandError shapes a per-input failure as PowerShell's error record
// needs it, with the catalogue's reason.
func commandError(err error) *exov1.CommandError {
	var se *adminclient.ServiceError
	if errors.As(err, &se) {
		reason := se.ExceptionType
		if reason == "" {
			reason = "Exception"
		}
		category := se.Category
		if category == "" {
			category = "NotSpecified"
		}
		ce := &exov1.CommandError{
			Message: se.Message, ErrorId: se.ErrorID(), Category: category,
			TargetName: se.Target, Reason: reason, HttpStatus: int32(se.Status),
			RequestId: se.RequestID, ExceptionType: se.ExceptionType, ErrorReason: reasonServiceError,
		}
		if se.Throttled {
			ce.ErrorReason = reasonThrottled
			if se.RetryAfter > 0 {
				ce.RetryAfter = durationpb.New(se.RetryAfter)
			}
		}
		return ce
	}
	if query.IsInputError(err) {
		return &exov1.CommandError{
			Message: err.Error(), Category: "InvalidArgument", Reason: "ArgumentException", ErrorReason: reasonInvalidArgument,
		}
	}
	return &exov1.CommandError{
		Message: err.Error(), Category: "ConnectionError", Reason: "HttpRequestException", ErrorReason: reasonServiceUnreachable,
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
