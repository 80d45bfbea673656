package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	msalerrors "github.com/AzureAD/microsoft-authentication-library-for-go/apps/errors"
)

// Kinds of failure. Errors from this package wrap one of them, so the gRPC
// boundary can map them with errors.Is.
var (
	ErrInvalidParameter    = errors.New("invalid parameter")
	ErrInvalidCredentials  = errors.New("invalid credentials")
	ErrAccountDisabled     = errors.New("account disabled or locked")
	ErrInteractionRequired = errors.New("interactive sign-in required")
	ErrNoBrowser           = errors.New("no browser is available to sign in interactively")
	ErrTokenExpired        = errors.New("access token expired")
	ErrDeviceCodeExpired   = errors.New("device code expired")
	ErrInvalidClient       = errors.New("invalid client application or credential")
	ErrTenantNotFound      = errors.New("tenant not found")
	ErrInvalidScope        = errors.New("invalid scope or resource")
	ErrUnreachable         = errors.New("identity provider unreachable")
	ErrSignInFailed        = errors.New("sign-in failed")
)

// Error is an error answer of the identity provider.
type Error struct {
	// Kind is one of the Err* values of this package.
	Kind error
	// Code is the AADSTS number, or 0.
	Code int
	// OAuthError is the OAuth error code, such as "invalid_grant".
	OAuthError string
	// Description is error_description as sent, trace IDs included, which
	// is what users quote to support.
	Description string
	// StatusCode is the HTTP status, or 0.
	StatusCode int
	// Err is MSAL's error.
	Err error
}

// Error is an AADSTS error's description as Entra wrote it, which is what
// the module shows; other answers get their kind and origin added.
func (e *Error) Error() string {
	switch {
	case e.Code != 0 && e.Description != "":
		return e.Description
	case e.Description != "":
		return fmt.Sprintf("%v: %s (%s, HTTP %d)", e.Kind, e.Description, e.OAuthError, e.StatusCode)
	}
	// MSAL wraps a failed request in lines of its own; the request and its
	// cause say it all.
	var ue *url.Error
	if errors.Is(e.Kind, ErrUnreachable) && errors.As(e.Err, &ue) {
		return e.Kind.Error() + ": " + ue.Error()
	}
	return e.Kind.Error() + ": " + e.Err.Error()
}

// Unwrap exposes both the kind and MSAL's error to errors.Is and errors.As.
func (e *Error) Unwrap() []error { return []error{e.Kind, e.Err} }

// messageError is an error of a kind whose text is only its message, a
// sentence for the user to read as it is.
type messageError struct {
	kind error
	msg  string
}

func (e *messageError) Error() string { return e.msg }
func (e *messageError) Unwrap() error { return e.kind }

// invalidParameter is an ErrInvalidParameter with a message for the user.
func invalidParameter(format string, args ...any) error {
	return &messageError{kind: ErrInvalidParameter, msg: fmt.Sprintf(format, args...)}
}

// oauthBody is the error body of Entra's token endpoints; managed identity
// endpoints send the first two fields.
type oauthBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
	Codes       []int  `json:"error_codes"`
}

var aadstsCode = regexp.MustCompile(`AADSTS(\d+)`)

// classify turns an MSAL error into an *Error. silent says the call only
// redeemed cached credentials, whose failure means the user must sign in again.
func classify(err error, silent bool) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var ce msalerrors.CallErr
	if !errors.As(err, &ce) {
		var ue *url.Error
		switch {
		case errors.As(err, &ue):
			return &Error{Kind: ErrUnreachable, Err: err}
		case silent:
			// MSAL found no usable refresh token for the account.
			return &Error{Kind: ErrInteractionRequired, Err: err}
		}
		return &Error{Kind: ErrSignInFailed, Err: err}
	}
	e := &Error{Err: err}
	if ce.Resp != nil {
		e.StatusCode = ce.Resp.StatusCode
	}
	// MSAL puts the response body after the first line of its message and
	// may already have consumed Resp.Body.
	if _, body, ok := strings.Cut(ce.Err.Error(), "\n"); ok {
		var b oauthBody
		if json.Unmarshal([]byte(body), &b) == nil {
			e.OAuthError, e.Description = b.Error, b.Description
			if len(b.Codes) > 0 {
				e.Code = b.Codes[0]
			}
		}
	}
	if m := aadstsCode.FindStringSubmatch(e.Description); e.Code == 0 && m != nil {
		e.Code, _ = strconv.Atoi(m[1])
	}
	e.Kind = kindOf(e.Code, e.OAuthError, silent)
	return e
}

// kindOf maps AADSTS codes and OAuth errors to kinds. The codes are those
// Entra answers the flows of this package with.
func kindOf(code int, oauthErr string, silent bool) error {
	switch code {
	case 50126, 50034:
		return ErrInvalidCredentials
	case 50057, 50053:
		return ErrAccountDisabled
	case 50055, 50072, 50074, 50076, 50078, 50079, 50132, 50133, 50144, 50158, 50173,
		65001, 70008, 700082, 700084:
		return ErrInteractionRequired
	case 70020:
		return ErrDeviceCodeExpired
	case 700016, 700021, 700024, 700025, 700027, 7000215, 7000218, 7000222, 50027:
		return ErrInvalidClient
	case 90002, 900023:
		return ErrTenantNotFound
	case 500011, 70011, 650053, 28000, 1002012:
		return ErrInvalidScope
	}
	switch oauthErr {
	case "interaction_required", "consent_required", "login_required":
		return ErrInteractionRequired
	case "expired_token":
		return ErrDeviceCodeExpired
	case "invalid_client", "unauthorized_client":
		return ErrInvalidClient
	case "invalid_scope", "invalid_resource":
		return ErrInvalidScope
	case "invalid_grant":
		if silent {
			return ErrInteractionRequired
		}
	}
	return ErrSignInFailed
}
