package rpc

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/openexo/exo/internal/adminclient"
	"github.com/openexo/exo/internal/auth"
	"github.com/openexo/exo/internal/catalog"
	"github.com/openexo/exo/internal/connection"
	"github.com/openexo/exo/internal/query"
)

// details splits a status's details by type.
func details(t *testing.T, err error) (*errdetails.ErrorInfo, *errdetails.RetryInfo, *errdetails.BadRequest) {
	t.Helper()
	st, ok := status.FromError(err)
	if !ok {
		t.Fatalf("%v is not a status", err)
	}
	var info *errdetails.ErrorInfo
	var retry *errdetails.RetryInfo
	var bad *errdetails.BadRequest
	for _, d := range st.Details() {
		switch d := d.(type) {
		case *errdetails.ErrorInfo:
			info = d
		case *errdetails.RetryInfo:
			retry = d
		case *errdetails.BadRequest:
			bad = d
		default:
			t.Errorf("unexpected detail %T", d)
		}
	}
	return info, retry, bad
}

func prepareErr(t *testing.T, params query.Params) error {
	t.Helper()
	return prepareCallErr(t, query.Call{Cmdlet: "Get-EXOMailbox", Params: params})
}

func prepareCallErr(t *testing.T, call query.Call) error {
	t.Helper()
	_, err := query.Prepare(call)
	if err == nil {
		t.Fatal("Prepare accepted bad parameters")
	}
	return err
}

// TestToStatusCatalogue: every kind of failure gets its catalogue code, reason,
// metadata and extra details (docs/errors.md).
func TestToStatusCatalogue(t *testing.T) {
	when := time.Date(2026, 11, 28, 13, 0, 0, 0, time.UTC)
	throttled := &adminclient.ServiceError{
		Status: 429, Message: "Too many requests", RequestID: "req-1", Throttled: true, RetryAfter: 7 * time.Second,
	}
	notFound := &adminclient.ServiceError{
		Status: 404, Message: "ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|not found",
		ExceptionType: "ManagementObjectNotFoundException", RequestID: "req-2", Server: "BE1", Time: when, Category: "ObjectNotFound",
	}
	tests := []struct {
		name     string
		err      error
		code     codes.Code
		reason   string
		metadata map[string]string
		field    string
		retry    time.Duration
	}{
		{"bad filter", prepareErr(t, query.Params{"Filter": "Name -eq"}), codes.InvalidArgument, reasonFilterInvalid,
			map[string]string{"syntax": "true"}, "Filter", 0},
		{"unknown property", prepareErr(t, query.Params{"Properties": []any{"NoSuchProperty"}}), codes.InvalidArgument, reasonPropertyUnknown,
			map[string]string{"name": "NoSuchProperty", "cmdlet": "Get-EXOMailbox"}, "Properties", 0},
		{"unknown property set", prepareErr(t, query.Params{"PropertySets": []any{"Nope"}}), codes.InvalidArgument, reasonPropertyUnknown,
			map[string]string{"name": "Nope"}, "PropertySets", 0},
		{"other parameter", prepareCallErr(t, query.Call{Cmdlet: "Get-EXOMailbox", ResultSize: -5}),
			codes.InvalidArgument, reasonInvalidArgument, nil, "", 0},
		{"no connection", fmt.Errorf("query: %w", connection.ErrNoConnection), codes.FailedPrecondition, reasonConnectionNotFound, nil, "", 0},
		{"cmdlet not in catalogue", fmt.Errorf("Set-Nothing: %w", catalog.ErrNotInCatalog), codes.NotFound, reasonCmdletNotFound, nil, "", 0},
		{"wrong password", &auth.Error{Kind: auth.ErrInvalidCredentials, Code: 50126, OAuthError: "invalid_grant", StatusCode: 400, Description: "AADSTS50126: bad", Err: errors.New("msal")},
			codes.Unauthenticated, reasonCredentialsInvalid, map[string]string{"aadsts_code": "50126", "oauth_error": "invalid_grant", "http_status": "400"}, "", 0},
		{"sign-in failed", &auth.Error{Kind: auth.ErrSignInFailed, Err: errors.New("msal")}, codes.Unauthenticated, reasonSignInFailed, nil, "", 0},
		{"interaction required", fmt.Errorf("restore: %w", auth.ErrInteractionRequired), codes.FailedPrecondition, reasonInteractionRequired, nil, "", 0},
		{"tenant not found", fmt.Errorf("x: %w", auth.ErrTenantNotFound), codes.NotFound, reasonTenantNotFound, nil, "", 0},
		{"identity provider down", fmt.Errorf("x: %w", auth.ErrUnreachable), codes.Unavailable, reasonIdentityUnreachable, nil, "", 0},
		{"throttled", fmt.Errorf("catalogue: %w", throttled), codes.ResourceExhausted, reasonThrottled,
			map[string]string{"request_id": "req-1", "http_status": "429"}, "", 7 * time.Second},
		{"service error", notFound, codes.NotFound, reasonServiceError,
			map[string]string{"request_id": "req-2", "exception_type": "ManagementObjectNotFoundException", "category": "ObjectNotFound",
				"error_id": "[Server=BE1,RequestId=req-2,TimeStamp=11/28/2026 1:00:00 PM]", "http_status": "404"}, "", 0},
		{"service down", &adminclient.ServiceError{Status: 503, Message: "down"}, codes.Unavailable, reasonServiceError, nil, "", 0},
		{"cancelled", fmt.Errorf("x: %w", context.Canceled), codes.Canceled, reasonCancelled, nil, "", 0},
		{"deadline", fmt.Errorf("x: %w", context.DeadlineExceeded), codes.DeadlineExceeded, reasonDeadlineExceeded, nil, "", 0},
		{"a bug", errors.New("boom"), codes.Internal, reasonInternal, nil, "", 0},
		{"field helper", invalidField("count", "count must be positive"), codes.InvalidArgument, reasonInvalidArgument, nil, "count", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := toStatus(tt.err)
			if got := status.Code(err); got != tt.code {
				t.Fatalf("code %v, want %v (%v)", got, tt.code, err)
			}
			if got := status.Convert(err).Message(); got != tt.err.Error() && tt.name != "field helper" {
				t.Errorf("message %q, want the error's text %q", got, tt.err.Error())
			}
			info, retry, bad := details(t, err)
			if info == nil || info.GetReason() != tt.reason || info.GetDomain() != "exo.v1" {
				t.Fatalf("ErrorInfo %v, want reason %s in exo.v1", info, tt.reason)
			}
			for k, v := range tt.metadata {
				if got := info.GetMetadata()[k]; got != v {
					t.Errorf("metadata %s = %q, want %q", k, got, v)
				}
			}
			switch {
			case tt.field == "" && bad != nil:
				t.Errorf("unexpected BadRequest %v", bad)
			case tt.field != "" && (bad == nil || bad.GetFieldViolations()[0].GetField() != tt.field):
				t.Errorf("BadRequest %v, want field %s", bad, tt.field)
			}
			switch {
			case tt.retry == 0 && retry != nil:
				t.Errorf("unexpected RetryInfo %v", retry)
			case tt.retry != 0 && retry.GetRetryDelay().AsDuration() != tt.retry:
				t.Errorf("RetryInfo %v, want %v", retry, tt.retry)
			}
		})
	}
}

// TestToStatusKeepsStatuses: an error that is already a status passes
// through unchanged, and a wrapped one keeps its code and details.
func TestToStatusKeepsStatuses(t *testing.T) {
	in := invalidArgument("bad %s", "thing")
	if out := toStatus(in); out != in {
		t.Fatalf("toStatus changed %v into %v", in, out)
	}
	if toStatus(nil) != nil {
		t.Fatal("toStatus(nil) is not nil")
	}
	wrapped := toStatus(fmt.Errorf("page 2: %w", invalidField("count", "count must be positive")))
	if info, _, bad := details(t, wrapped); status.Code(wrapped) != codes.InvalidArgument || info.GetReason() != reasonInvalidArgument || bad == nil {
		t.Errorf("a wrapped status became %v", wrapped)
	}
}

// TestCommandError: per-input failures carry the catalogue reason, the
// request id, the exception type and the retry delay.
func TestCommandError(t *testing.T) {
	tests := []struct {
		name                    string
		err                     error
		reason, category, class string
		requestID, exception    string
		retry                   time.Duration
	}{
		{"service error", &adminclient.ServiceError{Status: 404, Message: "a|B|c", ExceptionType: "B", RequestID: "r1", Category: "ObjectNotFound"},
			reasonServiceError, "ObjectNotFound", "B", "r1", "B", 0},
		{"throttled", &adminclient.ServiceError{Status: 429, Message: "slow down", RequestID: "r2", Throttled: true, RetryAfter: 3 * time.Second},
			reasonThrottled, "NotSpecified", "Exception", "r2", "", 3 * time.Second},
		{"transport", errors.New("connection reset"), reasonServiceUnreachable, "ConnectionError", "HttpRequestException", "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ce := commandError(tt.err)
			if ce.GetErrorReason() != tt.reason || ce.GetCategory() != tt.category || ce.GetReason() != tt.class ||
				ce.GetRequestId() != tt.requestID || ce.GetExceptionType() != tt.exception {
				t.Errorf("got %v", ce)
			}
			if got := ce.GetRetryAfter().AsDuration(); got != tt.retry {
				t.Errorf("retry after %v, want %v", got, tt.retry)
			}
		})
	}
}
