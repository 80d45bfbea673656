package adminapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"go.uber.org/zap"
)

// maxBodyBytes bounds request bodies (byte-array parameters such as
// transport rule collections make them large).
const maxBodyBytes = 32 << 20

// invokeRequest is one InvokeCommand call, standalone or as a $batch part.
type invokeRequest struct {
	caller   Caller
	endpoint *url.URL // absolute InvokeCommand URL, without query
	query    url.Values
	header   http.Header
	body     []byte
	settings Settings
}

// invokeResponse is its answer before it is written or embedded in a batch.
type invokeResponse struct {
	status int
	header http.Header
	body   []byte // JSON; nil for a bodiless answer
}

func jsonResponse(status int, header http.Header, v any) invokeResponse {
	if header == nil {
		header = http.Header{}
	}
	header.Set("Content-Type", contentTypeJSON)
	return invokeResponse{status: status, header: header, body: mustMarshal(v)}
}

func protocolFailure(status int, message string) invokeResponse {
	return jsonResponse(status, nil, protocolEnvelope(status, message))
}

func cmdletFailure(e *CmdletError) invokeResponse {
	h := http.Header{}
	exceptionHeaders(h, e)
	return jsonResponse(e.status(), h, cmdletEnvelope(e))
}

// invokeBody is the CmdletInput envelope.
type invokeBody struct {
	CmdletInput *struct {
		CmdletName string          `json:"CmdletName"`
		Parameters json.RawMessage `json:"Parameters"`
	} `json:"CmdletInput"`
}

func (s *Server) serveInvoke(w http.ResponseWriter, r *http.Request, rt route, caller Caller, settings Settings) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeProtocolError(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("The request body is larger than %d bytes.", maxBodyBytes))
		}
		return
	}
	endpoint := &url.URL{Scheme: "https", Host: r.Host, Path: rt.base() + "/" + resInvoke}
	resp := s.invoke(r.Context(), invokeRequest{
		caller: caller, endpoint: endpoint, query: r.URL.Query(), header: r.Header, body: body, settings: settings,
	})
	writeResponse(w, r, resp)
}

// writeResponse sends a prepared answer.
func writeResponse(w http.ResponseWriter, r *http.Request, resp invokeResponse) {
	for k, v := range resp.header {
		w.Header()[k] = v
	}
	if resp.body == nil {
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(resp.status)
		return
	}
	writeBody(w, r, resp.status, w.Header().Get("Content-Type"), resp.body)
}

// invoke validates and runs one cmdlet page.
func (s *Server) invoke(ctx context.Context, req invokeRequest) invokeResponse {
	var in invokeBody
	if err := json.Unmarshal(req.body, &in); err != nil {
		return protocolFailure(http.StatusBadRequest, "The request body is not a valid InvokeCommand payload: "+err.Error()+".")
	}
	if in.CmdletInput == nil || strings.TrimSpace(in.CmdletInput.CmdletName) == "" {
		return protocolFailure(http.StatusBadRequest, "The request body must contain CmdletInput with a CmdletName.")
	}
	name := strings.TrimSpace(in.CmdletInput.CmdletName)

	catalog, err := s.cfg.Backend.Catalog(ctx, req.caller)
	if err != nil {
		s.log.Error("backend catalog", zap.Error(err))
		return internalFailure()
	}
	info := findCmdlet(catalog, name)
	if info == nil {
		return s.unknownCmdlet(name)
	}
	wire, err := decodeWireParams(in.CmdletInput.Parameters)
	if err != nil {
		return cmdletFailure(&CmdletError{Class: classParamTransform, Status: http.StatusBadRequest,
			Message: "The parameters could not be read: " + err.Error() + "."})
	}
	call, cerr := s.bind(info, wire)
	if cerr != nil {
		return cmdletFailure(cerr)
	}

	prefs := parsePrefer(req.header)
	page := Page{MaxPageSize: prefs.pageSize(DefaultPageSize)}
	want := linkClaims{
		Tenant:    req.caller.TenantID,
		Principal: req.caller.principal(),
		Cmdlet:    info.Name,
		Params:    paramsDigest(in.CmdletInput.Parameters),
	}
	if token := req.query.Get(skipTokenParam); token != "" {
		cursor, err := s.verifyLink(token, want)
		if err != nil {
			return protocolFailure(http.StatusBadRequest, capitalize(err.Error())+".")
		}
		page.Cursor = cursor
	}

	res, err := runBackend(ctx, req.settings.cmdletTimeout(call.Name), "The cmdlet '"+call.Name+"'",
		func(ctx context.Context) (Result, error) { return s.cfg.Backend.Invoke(ctx, req.caller, call, page) })
	if err != nil {
		var ce *CmdletError
		if errors.As(err, &ce) {
			return cmdletFailure(ce)
		}
		s.log.Error("backend invoke", zap.String("cmdlet", call.Name), zap.Error(err))
		return internalFailure()
	}
	if len(res.Records) > page.MaxPageSize {
		s.log.Error("backend returned more records than the page size",
			zap.String("cmdlet", call.Name), zap.Int("records", len(res.Records)), zap.Int("pageSize", page.MaxPageSize))
		return internalFailure()
	}
	if call.WhatIf && res.ConfirmationMessage == "" {
		res.ConfirmationMessage = defaultConfirmation(call)
	}

	var next string
	if res.NextCursor != "" && !call.WhatIf {
		want.Cursor, want.Issued = res.NextCursor, s.now().Unix()
		next = nextLink(req.endpoint, s.signLink(want), req.query.Get("$select"))
	}
	body, err := s.encodePage(req, res, next)
	if err != nil {
		s.log.Error("encode cmdlet output", zap.String("cmdlet", call.Name), zap.Error(err))
		return internalFailure()
	}
	h := http.Header{}
	h.Set("Content-Type", contentTypeJSON)
	h.Set("Preference-Applied", `odata.include-annotations="*"`)
	return invokeResponse{status: http.StatusOK, header: h, body: body}
}

func internalFailure() invokeResponse {
	return cmdletFailure(&CmdletError{Class: classODataService, Status: http.StatusInternalServerError,
		Message: "An internal server error occurred. The operation failed."})
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func findCmdlet(catalog []CmdletInfo, name string) *CmdletInfo {
	for i := range catalog {
		if strings.EqualFold(catalog[i].Name, name) {
			return &catalog[i]
		}
	}
	return nil
}

// unknownCmdlet refuses a cmdlet that does not exist or that the caller's
// roles do not grant, identically, with a 403.
func (s *Server) unknownCmdlet(name string) invokeResponse {
	if s.cfg.BareForbidden {
		return invokeResponse{status: http.StatusForbidden, header: http.Header{}}
	}
	return cmdletFailure(&CmdletError{Class: ClassCommandNotFound, Status: http.StatusForbidden, Message: fmt.Sprintf(
		"The term '%s' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.", name)})
}

// defaultConfirmation is PowerShell's generic ShouldProcess text.
func defaultConfirmation(call CmdletCall) string {
	target := call.Name
	if id, ok := call.Params["Identity"]; ok && id != nil {
		target = fmt.Sprint(id)
	}
	return fmt.Sprintf("Performing the operation \"%s\" on target \"%s\".", call.Name, target)
}

// runBackend calls the Backend under the server-side timeout limit. A
// Backend that ignores its context is abandoned at the deadline; what
// names the work in the timeout error ("The cmdlet 'Get-Mailbox'").
func runBackend(ctx context.Context, limit time.Duration, what string, call func(context.Context) (Result, error)) (Result, error) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	type outcome struct {
		res Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- outcome{err: fmt.Errorf("backend panicked: %v", p)}
			}
		}()
		res, err := call(ctx)
		done <- outcome{res, err}
	}()
	var o outcome
	select {
	case o = <-done:
	case <-ctx.Done():
		o.err = ctx.Err()
	}
	if o.err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return Result{}, &CmdletError{Class: ClassTimeout, Status: http.StatusGatewayTimeout, Message: fmt.Sprintf(
			"%s didn't finish within %s and was stopped by the server. Reduce the work of one call, for example with a narrower -Filter or a smaller -ResultSize, and try again.", what, timeoutText(limit))}
	}
	return o.res, o.err
}

func timeoutText(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		return fmt.Sprintf("%d minutes", int(d/time.Minute))
	}
	return d.String()
}

// encodePage writes the page in the requested response format.
func (s *Server) encodePage(req invokeRequest, res Result, next string) ([]byte, error) {
	var buf bytes.Buffer
	metadata := req.endpoint.Scheme + "://" + req.endpoint.Host +
		strings.TrimSuffix(req.endpoint.Path, resInvoke) + "$metadata#Collection(Exchange.GenericHashTable)"
	buf.WriteString(`{"@odata.context":`)
	buf.Write(mustMarshal(metadata))
	warnings := res.Warnings
	if warnings == nil {
		warnings = []string{}
	}
	buf.WriteString(`,"adminapi.warnings@odata.type":"#Collection(String)","@adminapi.warnings":`)
	buf.Write(mustMarshal(warnings))
	if len(res.Errors) > 0 {
		errs := make([]string, len(res.Errors))
		for i, e := range res.Errors {
			errs[i] = e.pipe()
		}
		buf.WriteString(`,"adminapi.errors@odata.type":"#Collection(String)","@adminapi.errors":`)
		buf.Write(mustMarshal(errs))
	}
	if res.ConfirmationMessage != "" {
		buf.WriteString(`,"@adminapi.confirmationmessage":`)
		buf.Write(mustMarshal(res.ConfirmationMessage))
	}
	keep := selectList(req.query.Get("$select"))
	buf.WriteString(`,"value":[`)
	if strings.EqualFold(req.header.Get("X-ResponseFormat"), "clixml") {
		xml, err := clixml(res.Records, keep)
		if err != nil {
			return nil, err
		}
		buf.WriteString(`{"_cliXml":`)
		buf.Write(mustMarshal(xml))
		buf.WriteString(`}`)
	} else {
		for i, rec := range res.Records {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := encodeRecord(&buf, rec, keep); err != nil {
				return nil, fmt.Errorf("record %d: %w", i, err)
			}
		}
	}
	buf.WriteByte(']')
	if next != "" {
		buf.WriteString(`,"@odata.nextLink":`)
		buf.Write(mustMarshal(next))
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// selectList parses $select into lower-cased names; nil keeps everything.
func selectList(sel string) map[string]bool {
	if strings.TrimSpace(sel) == "" {
		return nil
	}
	keep := map[string]bool{}
	for _, name := range strings.Split(sel, ",") {
		if name = strings.TrimSpace(name); name != "" {
			keep[strings.ToLower(name)] = true
		}
	}
	return keep
}
