// Package invoke runs the service's classic cmdlets through InvokeCommand
// (wire-protocol.md §2 to §4): it encodes parameters (§2.3), encrypts
// secrets with the catalogue's public key, picks the routing hint (§2.2),
// pages with Prefer: odata.maxpagesize and ResultSize (§2.5), sends
// pipeline input as $batch requests of 10, keeps output in input order,
// applies the per-cmdlet timeouts and the side-effect rule of
// docs/invoke-command.md, and decodes JSON records with their type
// annotations.
package invoke

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/openexo/exo/internal/adminclient"
	"github.com/openexo/exo/internal/query"
)

// PaginationWarning is the service's warning when ResultSize cut the
// output; it is shown once, after the last page.
const PaginationWarning = query.PaginationWarning

// Target is the connection a call runs through.
type Target struct {
	Client *adminclient.Client
	// Base is the REST base, e.g. https://outlook.office365.com.
	Base string
	// Tenant is the tenant GUID of the URL.
	Tenant string
	// Anchor is the connection's X-AnchorMailbox routing hint.
	Anchor string
	// Token gives the bearer token $batch parts carry.
	Token func(ctx context.Context) (string, error)
	// PageSize is the connection's -PageSize (1 to 1000).
	PageSize int
	// Concurrency bounds the inputs (or batches) run at once.
	Concurrency int
	// PublicKey encrypts secret parameters; nil fails them.
	PublicKey *rsa.PublicKey
	// MemberChunk is how many members one Update-*Member request may set;
	// 0 means DefaultMemberChunk.
	MemberChunk int
	// Allowed says whether the connection's catalogue has a cmdlet the
	// daemon would call on its own (the Add-*Member of a split update);
	// nil allows all.
	Allowed func(cmdlet string) bool
}

// Call is one cmdlet call.
type Call struct {
	// Cmdlet is the name as the catalogue spells it.
	Cmdlet string
	Params Params
	// Inputs are each pipeline input's parameters; none means one run.
	Inputs []Params
	// WarningAction is the caller's -WarningAction.
	WarningAction string
	// Batch allows $batch requests for Inputs.
	Batch bool
}

// Event is one thing a call produced, for input Input.
type Event struct {
	Input int
	// Records are one service page's objects.
	Records []*query.Record
	Warning string
	// Err is a failure of this input: *adminclient.ServiceError, an
	// *InputError, or a transport error.
	Err error
	// Confirmation is the service's description of the change (Confirm or
	// WhatIf true).
	Confirmation string
}

// InputError is a problem with one input's parameters, found before any
// request.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Run runs the call and passes its events to emit in input order. It
// returns when every input is done, emit fails, or ctx ends.
func Run(ctx context.Context, t Target, c Call, emit func(Event) error) error {
	r := &runner{t: t, call: c, enc: encoder{key: t.PublicKey}}
	if r.t.PageSize <= 0 || r.t.PageSize > 1000 {
		r.t.PageSize = 1000
	}
	inputs := c.Inputs
	if len(inputs) == 0 {
		inputs = []Params{nil}
	}
	r.inputs = make([]Params, len(inputs))
	for i, in := range inputs {
		r.inputs[i] = merged(c.Params, in)
	}
	if isMemberUpdate(c.Cmdlet) {
		return runOrdered(ctx, len(r.inputs), 1, emit, func(ctx context.Context, i int, out func(Event) error) error {
			return r.memberUpdate(ctx, i, out)
		})
	}
	if c.Batch && len(r.inputs) > 1 && !r.confirming() {
		units := (len(r.inputs) + BatchSize - 1) / BatchSize
		return runOrdered(ctx, units, max(1, t.Concurrency), emit, func(ctx context.Context, u int, out func(Event) error) error {
			return r.batch(ctx, u*BatchSize, min(len(r.inputs), (u+1)*BatchSize), out)
		})
	}
	return runOrdered(ctx, len(r.inputs), max(1, t.Concurrency), emit, func(ctx context.Context, i int, out func(Event) error) error {
		return r.single(ctx, i, r.inputs[i], out)
	})
}

type runner struct {
	t      Target
	call   Call
	enc    encoder
	inputs []Params
}

// confirming says some input asks for the validation call (Confirm true),
// which is never batched.
func (r *runner) confirming() bool {
	for _, p := range r.inputs {
		if _, v, ok := p.get("Confirm"); ok && v.Kind == KindBool && v.Bool {
			return true
		}
	}
	return false
}

// request is one input's InvokeCommand request, ready to send.
type request struct {
	cmdlet     string
	body       []byte
	header     http.Header
	anchor     string
	replayable bool
	// resultSize is ResultSize, -1 for Unlimited, the page size when absent.
	resultSize int64
}

func (r *runner) invokeURL() string {
	return r.t.Base + "/adminapi/beta/" + url.PathEscape(r.t.Tenant) + "/InvokeCommand"
}

// prepare encodes one input's parameters.
func (r *runner) prepare(cmdlet string, p Params) (*request, error) {
	params, err := r.enc.encode(p)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	body, err := json.Marshal(map[string]any{"CmdletInput": map[string]any{"CmdletName": cmdlet, "Parameters": params}})
	if err != nil {
		return nil, &InputError{Err: fmt.Errorf("encode the parameters: %w", err)}
	}
	rs, err := resultSize(p, r.t.PageSize)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	req := &request{cmdlet: cmdlet, body: body, header: http.Header{}, anchor: r.t.Anchor,
		replayable: replayable(cmdlet, p), resultSize: rs}
	h := req.header
	h.Set("X-CmdletName", cmdlet)
	warn := r.call.WarningAction
	if strings.EqualFold(warn, "Ignore") {
		warn = "SilentlyContinue"
	}
	h["WarningAction"] = []string{warn}
	h.Set("X-ResponseFormat", "json")
	h.Set("X-SerializationLevel", "Partial")
	h.Set("Accept-Charset", "UTF-8")
	if hint := customRoute(p, r.t.Tenant); hint != "" {
		req.anchor = hint
		h.Set("parameter-based-routing", "True")
	}
	return req, nil
}

// resultSize reads ResultSize: an int, "Unlimited", or absent (one page).
func resultSize(p Params, pageSize int) (int64, error) {
	_, v, ok := p.get("ResultSize")
	if !ok || v.Kind == KindNull {
		return int64(pageSize), nil
	}
	switch v.Kind {
	case KindInt:
		if v.Int >= 0 {
			return v.Int, nil
		}
	case KindDouble:
		if v.Double >= 0 {
			return int64(v.Double), nil
		}
	case KindString:
		s := strings.TrimSpace(v.Str)
		if strings.EqualFold(s, "Unlimited") {
			return -1, nil
		}
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n >= 0 {
			return n, nil
		}
	}
	return 0, errors.New("ResultSize must be a positive number or Unlimited")
}

// single runs one input on its own.
func (r *runner) single(ctx context.Context, i int, p Params, out func(Event) error) error {
	req, err := r.prepare(r.call.Cmdlet, p)
	if err != nil {
		return out(Event{Input: i, Err: err})
	}
	return r.pages(ctx, i, req, nil, out)
}

// pages sends req and follows its nextLinks. first, when set, is the first
// page already received (a $batch part's answer).
func (r *runner) pages(ctx context.Context, i int, req *request, first *adminclient.Response, out func(Event) error) error {
	left := req.resultSize
	next := r.invokeURL()
	warned := map[string]bool{}
	paginationWarning := false
	for {
		size := r.t.PageSize
		if left >= 0 && left < int64(size) {
			size = int(max(1, left))
		}
		resp := first
		first = nil
		if resp == nil {
			var err error
			resp, err = r.t.Client.Do(ctx, adminclient.Request{
				Method: http.MethodPost, URL: next, Header: req.header, Body: req.body, PageSize: size,
				AnchorMailbox: req.anchor, Replayable: req.replayable, Timeout: Timeout(req.cmdlet),
			})
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				return out(Event{Input: i, Err: outcomeUnknown(req, err)})
			}
		}
		pg, err := decodePage(resp.Body, TypeNames(req.cmdlet))
		if err != nil {
			return out(Event{Input: i, Err: err})
		}
		if pg.confirmation != "" {
			if err := out(Event{Input: i, Confirmation: pg.confirmation}); err != nil {
				return err
			}
		}
		for _, w := range pg.warnings {
			if w == PaginationWarning {
				paginationWarning = true
				continue
			}
			if warned[w] {
				continue // the service repeats a call's warnings on every page
			}
			warned[w] = true
			if err := out(Event{Input: i, Warning: w}); err != nil {
				return err
			}
		}
		if len(pg.records) > 0 {
			if err := out(Event{Input: i, Records: pg.records}); err != nil {
				return err
			}
		}
		for _, text := range pg.errors {
			if err := out(Event{Input: i, Err: inPageError(resp.Header, text)}); err != nil {
				return err
			}
		}
		if pg.next == "" {
			break
		}
		if left >= 0 {
			if len(pg.records) < size || left <= int64(size) {
				paginationWarning = true // ResultSize stops a call that has more
				break
			}
			left -= int64(size)
		}
		next = pg.next
	}
	if paginationWarning {
		return out(Event{Input: i, Warning: PaginationWarning})
	}
	return nil
}

// outcomeUnknown says, for a change that failed without an answer, that
// it may have been applied and was not sent again (the side-effect rule).
func outcomeUnknown(req *request, err error) error {
	var se *adminclient.ServiceError
	if req.replayable || errors.As(err, &se) {
		return err
	}
	return fmt.Errorf("%w. %s changes the tenant and the request may have run, so it was not sent again: check whether the change was applied", err, req.cmdlet)
}

// inPageError is an @adminapi.errors entry: a failure inside a 200.
func inPageError(h http.Header, text string) *adminclient.ServiceError {
	se := adminclient.ParseError(http.StatusOK, h, nil)
	se.Status = 0
	se.Message = text
	if h.Get("x-ExceptionType") == "" {
		se.ExceptionType = ""
		if parts := strings.SplitN(text, "|", 3); len(parts) == 3 {
			se.ExceptionType = parts[1]
		}
	}
	return se
}
