// Package query is the engine behind the nine Get-EXO* cmdlets: it checks
// parameters, translates -Filter, builds the OData entity reads of
// docs/entity-routes.md, follows @odata.nextLink page by page, and runs
// pipeline inputs concurrently while keeping their output in input order.
package query

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/openexo/exo/internal/adminclient"
	"github.com/openexo/exo/internal/opathfilter"
	"github.com/openexo/exo/internal/propertyset"
)

// ErrInvalidParameter marks a call refused before any request.
var ErrInvalidParameter = errors.New("invalid parameter")

// invalidParameter wraps a parameter error so it matches
// ErrInvalidParameter while its message stays the user-facing one.
type invalidParameter struct{ err error }

func (e invalidParameter) Error() string   { return e.err.Error() }
func (e invalidParameter) Unwrap() []error { return []error{ErrInvalidParameter, e.err} }

func invalid(format string, args ...any) error {
	return invalidParameter{fmt.Errorf(format, args...)}
}

// PaginationWarning is the service's warning when ResultSize cut the output.
const PaginationWarning = "There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter."

// DefaultResultSize is -ResultSize when not given.
const DefaultResultSize = 1000

// Target is the connection a call reads through.
type Target struct {
	Client *adminclient.Client
	// Base is the REST base, e.g. https://outlook.office365.com.
	Base string
	// Tenant is the tenant GUID of the URL.
	Tenant string
	// Anchor is the X-AnchorMailbox routing hint.
	Anchor string
	// PageSize is the connection's -PageSize (1 to 1000).
	PageSize int
	// Concurrency bounds inputs run at once: 1 when the connection has
	// -UseMultithreading:$false.
	Concurrency int
}

// Call is one cmdlet call.
type Call struct {
	Cmdlet string
	Params Params
	// Inputs are the pipeline inputs' own parameters; none means one run.
	Inputs []Params
	// ResultSize caps each input's objects: 0 for the default, -1 Unlimited.
	ResultSize int64
}

// Event is one thing a call produced, for input Input.
type Event struct {
	Input   int
	Record  *Record
	Warning string
	// Err is a failure of this input, typically *adminclient.ServiceError.
	Err error
	// PageEnd marks the end of a service page's records, so a client that
	// ships records in batches knows when to send what it holds.
	PageEnd bool
}

// Prepared is a call whose parameters were checked.
type Prepared struct {
	call   Call
	cmdlet *cmdlet
	// order is the output order of cmdlets with property sets.
	order  []string
	query  url.Values
	limit  int64 // -1 is unlimited
	inputs []Params
}

// Prepare checks a call without sending anything: the cmdlet, the property
// sets and properties, the filter. Errors wrap ErrInvalidParameter.
func Prepare(call Call) (*Prepared, error) {
	c, ok := cmdlets()[strings.ToLower(call.Cmdlet)]
	if !ok {
		return nil, invalid("%q is not one of the Get-EXO* cmdlets", call.Cmdlet)
	}
	call.Params = merged(call.Params, nil) // lower-case keys, as Params' accessors expect
	p := &Prepared{call: call, cmdlet: c, query: url.Values{}, limit: -1, inputs: call.Inputs}
	if len(p.inputs) == 0 {
		p.inputs = []Params{nil}
	}
	if c.resultSize {
		switch {
		case call.ResultSize == 0:
			p.limit = DefaultResultSize
		case call.ResultSize > 0:
			p.limit = call.ResultSize
		case call.ResultSize < -1:
			return nil, invalid("ResultSize must be a positive number or Unlimited")
		}
	}
	sets, props := call.Params.strs("PropertySets"), call.Params.strs("Properties")
	if cat, ok := propertyset.For(c.name); ok {
		sel, err := cat.Resolve(sets, props)
		if err != nil {
			return nil, invalidParameter{err}
		}
		p.order = sel.Output
		p.query.Set("PropertySet", strings.Join(sel.Sets, ","))
		if len(sel.Select) > 0 {
			p.query.Set("$select", strings.Join(sel.Select, ","))
		}
	} else if len(sets) > 0 || len(props) > 0 {
		return nil, invalid("%s has no -PropertySets or -Properties", c.name)
	}
	if f := call.Params.str("Filter"); strings.TrimSpace(f) != "" {
		odata, err := opathfilter.Translate(f, c.name)
		if err != nil {
			return nil, invalidParameter{err}
		}
		p.query.Set("$filter", odata)
	}
	return p, nil
}

// Run sends the reads and calls emit for each event, in input order. It
// returns when every input is done, emit fails, or ctx ends.
func Run(ctx context.Context, t Target, p *Prepared, emit func(Event) error) error {
	return runOrdered(ctx, len(p.inputs), max(1, t.Concurrency), emit, func(ctx context.Context, i int, out func(Event) error) error {
		return runInput(ctx, t, p, i, out)
	})
}

// runInput runs one input and reports its objects, warning and failure.
func runInput(ctx context.Context, t Target, p *Prepared, i int, out func(Event) error) error {
	params := merged(p.call.Params, p.inputs[i])
	emitted := int64(0)
	// left is how many objects ResultSize still allows; -1 is no bound.
	left := func() int64 {
		if p.limit < 0 {
			return -1
		}
		return max(0, p.limit-emitted)
	}
	full := func() bool { return left() == 0 }
	record := func(e entity) error {
		rec := e.record(p.typeName(), p.orderFor())
		emitted++
		return out(Event{Input: i, Record: &rec})
	}
	pageEnd := func() error { return out(Event{Input: i, PageEnd: true}) }
	warned := map[string]bool{}
	warn := func(text string) error {
		if warned[text] {
			return nil // the service repeats a query's warnings on every page
		}
		warned[text] = true
		return out(Event{Input: i, Warning: text})
	}
	s := sink{record: record, pageEnd: pageEnd, warn: warn}
	var more bool
	var err error
	if p.cmdlet.listAll && mailboxIdentity(params) == "" {
		more, err = readEveryMailbox(ctx, t, p, params, full, s)
	} else {
		more, err = readInput(ctx, t, p, params, left, s)
	}
	var se *adminclient.ServiceError
	var ie *inputError
	switch {
	case err == nil:
	case errors.As(err, &se), errors.As(err, &ie):
		return out(Event{Input: i, Err: err})
	case ctx.Err() != nil:
		return err
	default:
		// A transport failure of this input after its retries: report it
		// on the input and go on with the others.
		return out(Event{Input: i, Err: err})
	}
	if more {
		return out(Event{Input: i, Warning: PaginationWarning})
	}
	return nil
}

// ownerMode is Get-EXOMailboxPermission -Owner, which prints owners.
func (p *Prepared) ownerMode() bool {
	return p.cmdlet.name == "Get-EXOMailboxPermission" && p.call.Params.flag("Owner")
}

func (p *Prepared) typeName() string {
	if p.ownerMode() {
		return "ExchangeOnlineManagement.ExoMailboxOwner"
	}
	return p.cmdlet.typeName
}

func (p *Prepared) orderFor() []string {
	if p.order != nil {
		return p.order
	}
	if p.ownerMode() {
		return ownerOrder
	}
	return p.cmdlet.order
}

// sink takes what reading an input produces.
type sink struct {
	record func(entity) error
	// pageEnd follows each page's records.
	pageEnd func() error
	// warn takes the service's X-Warnings, before the page's records.
	warn func(string) error
}

// readInput reads every page of one input's request until left (the
// objects still allowed, -1 for no bound) reaches zero.
func readInput(ctx context.Context, t Target, p *Prepared, params Params, left func() int64, out sink) (more bool, err error) {
	record, pageEnd := out.record, out.pageEnd
	full := func() bool { return left() == 0 }
	q := url.Values{}
	for k, v := range p.query {
		q[k] = v
	}
	req, err := p.cmdlet.build(params, q)
	if err != nil {
		return false, err
	}
	next := t.Base + "/adminapi/beta/" + url.PathEscape(t.Tenant) + "/" + req.path
	if enc := req.query.Encode(); enc != "" {
		next += "?" + enc
	}
	pageSize := t.PageSize
	if pageSize <= 0 {
		pageSize = 1000
	}
	// sizeFor is the page size to ask for when n objects are still allowed
	// (-1 for no bound).
	sizeFor := func(first bool, n int64) int {
		size := pageSize
		// Ask for no more than ResultSize still allows. Not when entities
		// expand: there an entity can give several objects, or none.
		if n > 0 && n < int64(size) && p.cmdlet.expand == nil {
			size = int(n)
		}
		// A stream that ResultSize lets run over several pages starts with
		// a small one, so its first objects reach the client while the
		// service is still building full pages: one extra request in a
		// long stream, none for a call that fits in one page.
		if first && p.cmdlet.resultSize && size > firstPageSize && (n < 0 || n > int64(pageSize)) {
			size = firstPageSize
		}
		return size
	}
	fetch := func(ctx context.Context, link string, size int) fetched {
		resp, err := t.Client.Do(ctx, adminclient.Request{
			Method: http.MethodGet, URL: link, Header: req.header, PageSize: size,
			AnchorMailbox: t.Anchor, Replayable: true,
		})
		if err != nil {
			return fetched{err: err}
		}
		pg, err := decodePage(resp.Body)
		return fetched{page: pg, warnings: serviceWarnings(resp.Header), err: err}
	}
	var ahead chan fetched
	stopAhead := func() {}
	defer func() { stopAhead() }()
	for first := true; next != ""; first = false {
		var f fetched
		if ahead != nil {
			f, ahead = <-ahead, nil
		} else {
			f = fetch(ctx, next, sizeFor(first, left()))
		}
		if f.err != nil {
			return false, f.err
		}
		pg := f.page
		for _, w := range f.warnings {
			if err := out.warn(w); err != nil {
				return false, err
			}
		}
		// Read ahead from the second page on: the next page loads while
		// this one's objects go to the client, so neither waits for the
		// other. The first page is never overlapped, so its objects reach
		// the client before any other request is made.
		if n := left(); !first && pg.nextLink != "" && n != 0 {
			if n > 0 && p.cmdlet.expand == nil {
				n = max(0, n-int64(len(pg.entities)))
			}
			if n != 0 {
				actx, cancel := context.WithCancel(ctx)
				stopAhead = cancel
				ch := make(chan fetched, 1)
				ahead = ch
				link, size := pg.nextLink, sizeFor(false, n)
				go func() { ch <- fetch(actx, link, size) }()
			}
		}
		for _, e := range pg.entities {
			objs := []entity{e}
			if p.cmdlet.expand != nil {
				objs = p.cmdlet.expand(params, e)
			}
			for _, o := range objs {
				if full() {
					return true, pageEnd()
				}
				if err := record(o); err != nil {
					return false, err
				}
			}
		}
		if err := pageEnd(); err != nil {
			return false, err
		}
		next = pg.nextLink
		if full() && next != "" {
			return true, nil
		}
	}
	return false, nil
}

// fetched is one page read from the service, or why it could not be.
type fetched struct {
	page     page
	warnings []string
	err      error
}

// firstPageSize is the first page of a stream that needs several.
const firstPageSize = 100

// unbounded is readInput's left when ResultSize does not apply.
func unbounded() int64 { return -1 }

// serviceWarnings reads the X-Warnings headers: one warning per value, or
// several in one value separated by <eow> as the module's client splits
// them (wire-protocol.md §2.4).
func serviceWarnings(h http.Header) []string {
	var out []string
	for _, v := range h.Values("X-Warnings") {
		for _, w := range strings.Split(v, "<eow>") {
			if w = strings.TrimSpace(w); w != "" {
				out = append(out, w)
			}
		}
	}
	return out
}

// errLimitReached stops the mailbox listing once ResultSize is reached.
var errLimitReached = errors.New("result size reached")

// mailboxBatch is how many mailboxes' objects are read at a time when a
// cmdlet lists them all.
const mailboxBatch = 100

// readEveryMailbox lists the tenant's mailboxes and reads each one's
// objects, a batch of mailboxes at a time, concurrently and printed in
// mailbox order.
func readEveryMailbox(ctx context.Context, t Target, p *Prepared, params Params, full func() bool, out sink) (bool, error) {
	list := &Prepared{cmdlet: cmdlets()["get-exomailbox"], query: url.Values{"PropertySet": {"Minimum"}}, limit: -1}
	// -SoftDeletedMailbox reads the soft-deleted mailboxes' entries, so
	// those are the mailboxes to list.
	var listParams Params
	if params.flag("SoftDeletedMailbox") {
		listParams = merged(Params{"SoftDeletedMailbox": true}, nil)
	}
	var batch []string
	flush := func() error {
		objs := make([][]entity, len(batch))
		warnings := make([][]string, len(batch))
		errs := make([]error, len(batch))
		sem := make(chan struct{}, max(1, t.Concurrency))
		var wg sync.WaitGroup
		for i, id := range batch {
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done() }()
				one := merged(params, Params{"UserPrincipalName": id})
				_, errs[i] = readInput(ctx, t, p, one, unbounded, sink{
					record:  func(e entity) error { objs[i] = append(objs[i], e); return nil },
					pageEnd: func() error { return nil },
					warn:    func(w string) error { warnings[i] = append(warnings[i], w); return nil },
				})
			}()
		}
		wg.Wait()
		batch = batch[:0]
		for i := range objs {
			var se *adminclient.ServiceError
			if errors.As(errs[i], &se) && se.Status == http.StatusNotFound {
				continue // removed since it was listed
			}
			if errs[i] != nil {
				return errs[i]
			}
			for _, w := range warnings[i] {
				if err := out.warn(w); err != nil {
					return err
				}
			}
			for _, e := range objs[i] {
				if full() {
					return errLimitReached
				}
				if err := out.record(e); err != nil {
					return err
				}
			}
		}
		return out.pageEnd()
	}
	_, err := readInput(ctx, t, list, listParams, unbounded, sink{warn: out.warn, pageEnd: func() error { return nil }, record: func(e entity) error {
		var upn string
		if raw, ok := e.get("UserPrincipalName"); ok {
			_ = json.Unmarshal(raw, &upn)
		}
		if upn != "" {
			batch = append(batch, upn)
		}
		if len(batch) < mailboxBatch {
			return nil
		}
		return flush()
	}})
	if err == nil {
		err = flush()
	}
	if errors.Is(err, errLimitReached) {
		return true, nil
	}
	return false, err
}
