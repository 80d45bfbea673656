package adminclient

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ServiceError is a failed answer of the admin API, with what PowerShell's
// error record needs (wire-protocol.md §4.1).
type ServiceError struct {
	// Status is the HTTP status.
	Status int
	// Code is error.code of the envelope, e.g. "NotFound".
	Code string
	// Message is details[0].message ("<id>|<exception class>|<text>"), else
	// innererror.internalexception.message, else error.message, else the
	// raw body text.
	Message string
	// Target is details[0].target.
	Target string
	// Category is details[0].code when it names a PowerShell ErrorCategory.
	Category string
	// ExceptionType is the x-ExceptionType header, else the class in Message.
	ExceptionType string
	// RequestID, Server and Time form the module's ErrorId.
	RequestID string
	Server    string
	Time      time.Time
	// RetryAfter is the 429 Retry-After delay; zero when absent.
	RetryAfter time.Duration
	// Throttled marks a 429 or the tenant's concurrency-limit answer.
	Throttled bool
	// ConcurrencyLimited marks the concurrency-limit answer: too many
	// requests in flight, as opposed to too many over time.
	ConcurrencyLimited bool

	claims string // a 401's claims challenge, for the next token
}

func (e *ServiceError) Error() string { return e.Message }

// ErrorID is the module's ErrorId: [Server=…,RequestId=…,TimeStamp=…].
func (e *ServiceError) ErrorID() string {
	ts := ""
	if !e.Time.IsZero() {
		ts = e.Time.UTC().Format("1/2/2006 3:04:05 PM")
	}
	return fmt.Sprintf("[Server=%s,RequestId=%s,TimeStamp=%s]", e.Server, e.RequestID, ts)
}

// concurrencyLimitText starts the plain-text answer the service gives when
// the tenant has too many requests in flight (§4.2).
const concurrencyLimitText = "You have reached the maximum number of concurrent requests per tenant"

// transientExceptions are the exception names the module retries on
// whatever the status (§4.3).
var transientExceptions = [...]string{
	"DCOverloadedException", "SuitabilityDirectoryException", "ServerInMMException",
	"ADServerSettingsChangedException", "StorageTransientException",
}

// envelope is the OData error body.
type envelope struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Details []struct {
			Code    json.RawMessage `json:"code"`
			Target  string          `json:"target"`
			Message json.RawMessage `json:"message"`
		} `json:"details"`
		InnerError struct {
			InternalException struct {
				Message string `json:"message"`
			} `json:"internalexception"`
		} `json:"innererror"`
	} `json:"error"`
}

// ParseError reads a failed answer, such as a failed part of a $batch.
func ParseError(status int, h http.Header, body []byte) *ServiceError {
	return parseError(status, h, body)
}

// parseError reads a failed answer.
func parseError(status int, h http.Header, body []byte) *ServiceError {
	e := &ServiceError{
		Status:        status,
		RequestID:     h.Get("request-id"),
		Server:        shortServer(h.Get("X-CalculatedBETarget")),
		ExceptionType: h.Get("x-ExceptionType"),
	}
	if t, err := http.ParseTime(h.Get("Date")); err == nil {
		e.Time = t
	}
	if secs, err := strconv.ParseFloat(strings.TrimSpace(h.Get("Retry-After")), 64); err == nil && secs >= 0 {
		e.RetryAfter = time.Duration(secs * float64(time.Second))
	}
	text := strings.TrimSpace(string(body))
	var env envelope
	if json.Unmarshal(body, &env) == nil && (env.Error.Code != "" || env.Error.Message != "") {
		e.Code = env.Error.Code
		e.Message = env.Error.Message
		if len(env.Error.Details) > 0 {
			d := env.Error.Details[0]
			e.Target = d.Target
			e.Category = category(d.Code)
			if m := detailMessage(d.Message); m != "" {
				e.Message = m
			}
		} else if m := env.Error.InnerError.InternalException.Message; m != "" {
			e.Message = m
		}
	} else if text != "" {
		e.Message = text
	}
	if e.Message == "" {
		e.Message = fmt.Sprintf("The service answered HTTP %d with no error text.", status)
	}
	if e.ExceptionType == "" {
		if parts := strings.SplitN(e.Message, "|", 3); len(parts) == 3 {
			e.ExceptionType = parts[1]
		}
	}
	e.ConcurrencyLimited = strings.HasPrefix(text, concurrencyLimitText)
	e.Throttled = status == http.StatusTooManyRequests || e.ConcurrencyLimited
	return e
}

// detailMessage is details[0].message, which is either the pipe string or
// an object the module formats into one.
func detailMessage(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var obj struct {
		ClassName       string `json:"ClassName"`
		Message         string `json:"Message"`
		LocalizedString struct {
			StringID string `json:"stringId"`
		} `json:"localizedString"`
	}
	if json.Unmarshal(raw, &obj) == nil && obj.Message != "" {
		return obj.LocalizedString.StringID + "|" + obj.ClassName + "|" + obj.Message
	}
	return ""
}

// errorCategories are PowerShell's ErrorCategory names by value.
var errorCategories = [...]string{
	"NotSpecified", "OpenError", "CloseError", "DeviceError", "DeadlockDetected", "InvalidArgument",
	"InvalidData", "InvalidOperation", "InvalidResult", "InvalidType", "MetadataError", "NotImplemented",
	"NotInstalled", "ObjectNotFound", "OperationStopped", "OperationTimeout", "SyntaxError", "ParserError",
	"PermissionDenied", "ResourceBusy", "ResourceExists", "ResourceUnavailable", "ReadError", "WriteError",
	"FromStdErr", "SecurityError", "ProtocolError", "ConnectionError", "AuthenticationError",
	"LimitsExceeded", "QuotaExceeded", "NotEnabled",
}

// category maps details[0].code to an ErrorCategory name when it is one
// (the module accepts only an integer that is a valid category).
func category(raw json.RawMessage) string {
	var n int
	if json.Unmarshal(raw, &n) != nil {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return ""
		}
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			return ""
		}
	}
	if n < 0 || n >= len(errorCategories) {
		return ""
	}
	return errorCategories[n]
}

// shortServer is the first label of the back-end server name, as the
// module prints it.
func shortServer(s string) string {
	name, _, _ := strings.Cut(s, ".")
	return name
}

// Retryable says whether a failure is worth another attempt under §4.3;
// with replayable false (a change), only when NotRun.
func (e *ServiceError) Retryable(replayable bool) bool {
	if !replayable {
		return e.NotRun()
	}
	return e.retryable()
}

// NotRun says the answer proves the service did not run the request:
// throttling and the concurrency refusal come before any work, a 401
// before the token is accepted, and a 503 without a cmdlet exception is
// the front end refusing to pass the request on (a cmdlet that ran and
// failed carries its exception class). A 500, a 504 or a transient
// exception may come after part of the work, so they do not prove it.
func (e *ServiceError) NotRun() bool {
	switch {
	case e.Throttled, e.Status == http.StatusUnauthorized:
		return true
	case e.Status == http.StatusServiceUnavailable:
		return e.ExceptionType == ""
	}
	return false
}

// retryable says whether a failure is worth another attempt under §4.3.
func (e *ServiceError) retryable() bool {
	switch e.Status {
	case http.StatusUnauthorized, http.StatusTooManyRequests, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	if e.Throttled {
		return true
	}
	for _, name := range transientExceptions {
		if strings.Contains(e.Message, name) {
			return true
		}
	}
	return false
}
