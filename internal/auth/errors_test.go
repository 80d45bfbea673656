package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	msalerrors "github.com/AzureAD/microsoft-authentication-library-for-go/apps/errors"
)

// callErr is the error MSAL makes of an error answer.
func callErr(status int, body string) error {
	err := fmt.Errorf("http call(https://login.microsoftonline.com/organizations/oauth2/v2.0/token)(POST) error: reply status code was %d", status)
	if body != "" {
		err = fmt.Errorf("%w:\n%s", err, body)
	}
	return msalerrors.CallErr{Resp: &http.Response{StatusCode: status}, Err: err}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		err      error
		silent   bool
		want     error
		wantCode int
		wantText string
	}{
		{name: "wrong password", err: callErr(400, `{"error":"invalid_grant","error_description":"AADSTS50126: Error validating credentials due to invalid username or password. Trace ID: x","error_codes":[50126]}`),
			want: ErrInvalidCredentials, wantCode: 50126, wantText: "AADSTS50126: Error validating credentials due to invalid username or password. Trace ID: x"},
		{name: "MFA required", err: callErr(400, `{"error":"invalid_grant","error_description":"AADSTS50076: Due to a configuration change made by your administrator...","error_codes":[50076]}`),
			want: ErrInteractionRequired, wantCode: 50076},
		{name: "code only in description", err: callErr(400, `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}`),
			want: ErrInvalidClient, wantCode: 7000215},
		{name: "revoked refresh token", err: callErr(400, `{"error":"invalid_grant","error_description":"AADSTS50173: The provided grant has expired","error_codes":[50173]}`),
			silent: true, want: ErrInteractionRequired, wantCode: 50173},
		{name: "unknown invalid_grant in silent", err: callErr(400, `{"error":"invalid_grant","error_description":"something new"}`),
			silent: true, want: ErrInteractionRequired},
		{name: "device code expired", err: callErr(400, `{"error":"expired_token","error_description":"AADSTS70020: expired","error_codes":[70020]}`),
			want: ErrDeviceCodeExpired, wantCode: 70020},
		{name: "resource not in tenant", err: callErr(400, `{"error":"invalid_resource","error_description":"AADSTS500011: The resource principal named x was not found","error_codes":[500011]}`),
			want: ErrInvalidScope, wantCode: 500011},
		{name: "managed identity", err: callErr(400, `{"error":"invalid_request","error_description":"Identity not found"}`),
			want: ErrSignInFailed, wantText: "sign-in failed: Identity not found (invalid_request, HTTP 400)"},
		{name: "no body", err: callErr(503, ""), want: ErrSignInFailed},
		{name: "network", err: fmt.Errorf("server response error:\n %w", &url.Error{Op: "Post", URL: "https://x", Err: errors.New("connection refused")}), want: ErrUnreachable,
			wantText: `identity provider unreachable: Post "https://x": connection refused`},
		{name: "nothing cached", err: errors.New("no token found"), silent: true, want: ErrInteractionRequired},
		{name: "canceled", err: fmt.Errorf("x: %w", context.Canceled), want: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := classify(tt.err, tt.silent)
			if !errors.Is(got, tt.want) {
				t.Fatalf("classify = %v, want %v", got, tt.want)
			}
			var ae *Error
			if errors.As(got, &ae) {
				if ae.Code != tt.wantCode {
					t.Errorf("code = %d, want %d", ae.Code, tt.wantCode)
				}
				var ce msalerrors.CallErr
				if _, isCall := tt.err.(msalerrors.CallErr); isCall && !errors.As(got, &ce) {
					t.Error("MSAL's error is not reachable")
				}
			}
			if tt.wantText != "" && got.Error() != tt.wantText {
				t.Errorf("text = %q, want %q", got.Error(), tt.wantText)
			}
		})
	}
}
