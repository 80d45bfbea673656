package idp

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/google/uuid"
	"go.uber.org/zap"
)

// oauthError is an Entra ID error: an OAuth error code plus the AADSTS number
// clients and humans recognise.
type oauthError struct {
	status int
	code   string // OAuth "error"
	aadsts int
	desc   string
}

func (e *oauthError) Error() string { return e.code + ": " + e.message() }

// message is the error_description without the trace ids.
func (e *oauthError) message() string { return fmt.Sprintf("AADSTS%d: %s", e.aadsts, e.desc) }

func newError(status int, code string, aadsts int, format string, args ...any) *oauthError {
	return &oauthError{status: status, code: code, aadsts: aadsts, desc: fmt.Sprintf(format, args...)}
}

func invalidRequest(aadsts int, format string, args ...any) *oauthError {
	return newError(http.StatusBadRequest, "invalid_request", aadsts, format, args...)
}

func invalidGrant(aadsts int, format string, args ...any) *oauthError {
	return newError(http.StatusBadRequest, "invalid_grant", aadsts, format, args...)
}

func invalidClient(aadsts int, format string, args ...any) *oauthError {
	return newError(http.StatusUnauthorized, "invalid_client", aadsts, format, args...)
}

func missingParameter(name string) *oauthError {
	return invalidRequest(900144, "The request body must contain the following parameter: '%s'.", name)
}

// errorBody is the JSON shape Entra ID's token endpoints answer errors with.
type errorBody struct {
	Error         string `json:"error"`
	Description   string `json:"error_description"`
	ErrorCodes    []int  `json:"error_codes"`
	Timestamp     string `json:"timestamp"`
	TraceID       string `json:"trace_id"`
	CorrelationID string `json:"correlation_id"`
}

const timestampLayout = "2006-01-02 15:04:05Z"

func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, e *oauthError) {
	trace := uuid.NewString()
	correlation := r.Header.Get("client-request-id")
	if correlation == "" {
		correlation = uuid.NewString()
	}
	ts := h.now().UTC().Format(timestampLayout)
	level := zap.InfoLevel
	if e.code == "authorization_pending" {
		level = zap.DebugLevel // every poll of a device waiting for its user
	}
	h.log.Log(level, "request refused",
		zap.String("path", r.URL.Path),
		zap.String("error", e.code),
		zap.Int("aadsts", e.aadsts),
		zap.String("client_id", r.PostFormValue("client_id")),
		zap.String("trace_id", trace))
	body := errorBody{
		Error: e.code,
		// Entra appends the ids to the description so they survive when
		// clients only show the description.
		Description:   fmt.Sprintf("%s Trace ID: %s Correlation ID: %s Timestamp: %s", e.message(), trace, correlation, ts),
		ErrorCodes:    []int{e.aadsts},
		Timestamp:     ts,
		TraceID:       trace,
		CorrelationID: correlation,
	}
	w.Header().Set("x-ms-request-id", trace)
	writeJSON(w, e.status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store, no-cache")
	w.Header().Set("Pragma", "no-cache")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
