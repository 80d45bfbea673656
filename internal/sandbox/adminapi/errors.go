package adminapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"strings"
)

// Exception classes the protocol layer raises itself, and a few the
// Backend commonly needs.
const (
	ClassObjectNotFound     = "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException"
	ClassObjectAmbiguous    = "Microsoft.Exchange.Configuration.Tasks.ManagementObjectAmbiguousException"
	ClassTaskException      = "Microsoft.Exchange.Configuration.Tasks.TaskException"
	ClassParameterBinding   = "System.Management.Automation.ParameterBindingException"
	ClassCommandNotFound    = "System.Management.Automation.CommandNotFoundException"
	ClassTimeout            = "System.TimeoutException"
	ClassRestClient         = "Microsoft.Exchange.Management.RestApiClient.RestClientException" // entity routes' 400s
	classODataService       = "Microsoft.Exchange.Admin.OData.Core.ODataServiceException"
	classParamTransform     = "Microsoft.Exchange.Admin.OData.Core.ParameterTransformationException"
	genericCmdletErrorTitle = "Error executing cmdlet"
)

// CmdletError is a cmdlet failure. The service reports it in the OData
// error envelope with details[0].message = "<StringID>|<Class>|<Message>"
// and an x-ExceptionType header naming the class.
type CmdletError struct {
	// Class is the full .NET exception type name.
	Class string
	// Message is the localized text users see.
	Message string
	// StringID is Exchange's localized-string id ("Ex6F9304"); empty gets a
	// stable synthetic id derived from Class.
	StringID string
	// Status is the HTTP status; 0 derives it from Class: *NotFoundException
	// gives 404, binding and validation classes 400, anything else 500.
	Status int
	// Target becomes details[0].target (ErrorRecord.TargetObject).
	Target string
	// TargetType becomes the x-ExceptionTargetType header.
	TargetType string
}

func (e *CmdletError) Error() string { return e.pipe() }

// pipe is the details[0].message form.
func (e *CmdletError) pipe() string {
	return e.stringID() + "|" + e.Class + "|" + e.Message
}

func (e *CmdletError) stringID() string {
	if e.StringID != "" {
		return e.StringID
	}
	h := fnv.New32a()
	h.Write([]byte(e.Class))
	return fmt.Sprintf("Ex%06X", h.Sum32()&0xFFFFFF)
}

func (e *CmdletError) status() int {
	if e.Status != 0 {
		return e.Status
	}
	short := shortClass(e.Class)
	switch {
	case strings.HasSuffix(short, "NotFoundException"):
		return http.StatusNotFound
	case short == "ParameterBindingException", short == "ArgumentException",
		short == "ArgumentOutOfRangeException", short == "ArgumentNullException",
		short == "ValidationArgumentException", short == "DataValidationException",
		short == "ManagementObjectAmbiguousException", short == "ParameterTransformationException":
		return http.StatusBadRequest
	default:
		return http.StatusInternalServerError
	}
}

// shortClass is the class name without its namespace, as x-ExceptionType
// carries it (the module shows it as CategoryInfo.Reason).
func shortClass(class string) string {
	return class[strings.LastIndex(class, ".")+1:]
}

// bindingError builds the 400 a parameter binding failure gets.
func bindingError(format string, args ...any) *CmdletError {
	return &CmdletError{Class: ClassParameterBinding, Message: fmt.Sprintf(format, args...), Status: http.StatusBadRequest}
}

// envelope is the OData error body.
type envelope struct {
	Error envelopeError `json:"error"`
}

type envelopeError struct {
	Code       string           `json:"code"`
	Message    string           `json:"message"`
	Details    []envelopeDetail `json:"details,omitempty"`
	InnerError *innerError      `json:"innererror,omitempty"`
}

type envelopeDetail struct {
	Code    string `json:"code"`
	Target  string `json:"target"`
	Message string `json:"message"`
}

type innerError struct {
	Message           string      `json:"message"`
	Type              string      `json:"type"`
	StackTrace        string      `json:"stacktrace"`
	InternalException *innerError `json:"internalexception,omitempty"`
}

// statusCode is the .NET HttpStatusCode name for a status: the module
// turns a failed batch part back into a status by parsing error.code.
func statusCode(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "BadRequest"
	case http.StatusUnauthorized:
		return "Unauthorized"
	case http.StatusForbidden:
		return "Forbidden"
	case http.StatusNotFound:
		return "NotFound"
	case http.StatusMethodNotAllowed:
		return "MethodNotAllowed"
	case http.StatusRequestEntityTooLarge:
		return "RequestEntityTooLarge"
	case http.StatusTooManyRequests:
		return "TooManyRequests"
	case http.StatusServiceUnavailable:
		return "ServiceUnavailable"
	case http.StatusGatewayTimeout:
		return "GatewayTimeout"
	case http.StatusBadGateway:
		return "BadGateway"
	default:
		if status >= 500 {
			return "InternalServerError"
		}
		return strings.ReplaceAll(http.StatusText(status), " ", "")
	}
}

// cmdletEnvelope is the body for a cmdlet failure: details for the
// module's first lookup and innererror.internalexception for its fallback.
func cmdletEnvelope(e *CmdletError) envelope {
	status := e.status()
	code := "Client"
	if status >= 500 {
		code = "Server"
	}
	return envelope{Error: envelopeError{
		Code:    statusCode(status),
		Message: genericCmdletErrorTitle,
		Details: []envelopeDetail{{Code: code, Target: e.Target, Message: e.pipe()}},
		InnerError: &innerError{
			Message: genericCmdletErrorTitle,
			Type:    classODataService,
			InternalException: &innerError{
				Message: e.Message,
				Type:    e.Class,
			},
		},
	}}
}

// protocolEnvelope is the body for failures outside any cmdlet (routing,
// body syntax, paging links, gateways): no details, as OData answers them.
func protocolEnvelope(status int, message string) envelope {
	return envelope{Error: envelopeError{Code: statusCode(status), Message: message}}
}

// exceptionHeaders sets x-ExceptionType (the short class name, which the
// module shows as CategoryInfo.Reason) and x-ExceptionTargetType.
func exceptionHeaders(h http.Header, e *CmdletError) {
	setRaw(h, "x-ExceptionType", shortClass(e.Class))
	if e.TargetType != "" {
		setRaw(h, "x-ExceptionTargetType", e.TargetType)
	}
}

// setRaw sets a header in the exact casing the service uses on the wire
// (http.Header.Set would canonicalize "request-id" to "Request-Id").
func setRaw(h http.Header, key, value string) {
	h.Del(key)
	h[key] = []string{value}
}

// writeProtocolError answers with a protocol-level failure.
func writeProtocolError(w http.ResponseWriter, r *http.Request, status int, message string) {
	writeJSON(w, r, status, protocolEnvelope(status, message))
}

// contentTypeJSON is what the service declares on JSON answers.
const contentTypeJSON = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"

// writeJSON marshals v and writes it, gzip-compressed when accepted.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	writeBody(w, r, status, contentTypeJSON, mustMarshal(v))
}

// mustMarshal encodes values this package builds itself, leaving <, > and &
// readable (module text and CLIXML are full of them).
func mustMarshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only a programming error gets here: every value is built by us.
		panic(fmt.Errorf("marshal response: %w", err))
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}
