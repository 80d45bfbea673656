package rpc

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/openexo/exo/internal/auth"
	"github.com/openexo/exo/internal/connection"
	"github.com/openexo/exo/internal/propertyset"
	"github.com/openexo/exo/internal/query"
	exov1 "github.com/openexo/exo/proto/exo/v1"
)

// QueryServer serves exo.v1.QueryService.
type QueryServer struct {
	exov1.UnimplementedQueryServiceServer
	mgr *connection.Manager
}

// NewQueryServer returns the service over mgr's connections.
func NewQueryServer(mgr *connection.Manager) *QueryServer {
	return &QueryServer{mgr: mgr}
}

// Query checks the call, then streams its events in input order.
func (s *QueryServer) Query(req *exov1.QueryRequest, stream exov1.QueryService_QueryServer) error {
	call := query.Call{
		Cmdlet:     req.GetCmdlet(),
		Params:     req.GetParameters().AsMap(),
		ResultSize: req.GetResultSize(),
	}
	for _, in := range req.GetInputs() {
		call.Inputs = append(call.Inputs, in.AsMap())
	}
	prepared, err := query.Prepare(call)
	if err != nil {
		return err
	}
	ctx := stream.Context()
	target, err := s.target(ctx, req.GetClientSession(), req.GetConnectionId())
	if err != nil {
		return err
	}
	format := req.GetRecordFormat()
	if format == exov1.RecordFormat_RECORD_FORMAT_JSON_PAGE {
		b := &pageBatcher{typeNameMember: req.GetTypeNameMember(), send: func(in int, batch *exov1.RecordBatch) error {
			return stream.Send(&exov1.QueryResponse{InputIndex: int32(in), Event: &exov1.QueryResponse_Records{Records: batch}})
		}}
		err := query.Run(ctx, target, prepared, func(ev query.Event) error {
			if ev.Record != nil || ev.PageEnd {
				return b.add(ev)
			}
			if err := b.flush(); err != nil {
				return err
			}
			resp, err := queryResponse(ev, false)
			if err != nil {
				return err
			}
			return stream.Send(resp)
		})
		if err != nil {
			return err
		}
		return b.flush()
	}
	asJSON := format == exov1.RecordFormat_RECORD_FORMAT_JSON
	return query.Run(ctx, target, prepared, func(ev query.Event) error {
		if ev.PageEnd {
			return nil
		}
		resp, err := queryResponse(ev, asJSON)
		if err != nil {
			return err
		}
		return stream.Send(resp)
	})
}

// maxBatchRecords bounds a RecordBatch however large the service's pages.
const maxBatchRecords = 1000

// pageBatcher gathers a page's records into one RecordBatch. The first
// record of a call goes out alone, so it reaches the client's pipeline
// without waiting for the rest of its page to be encoded and parsed.
type pageBatcher struct {
	send func(input int, batch *exov1.RecordBatch) error
	// typeNameMember, when set, begins each object with the type name
	// (QueryRequest.type_name_member).
	typeNameMember string
	input          int
	records        []*query.Record
	sent           bool
}

func (b *pageBatcher) add(ev query.Event) error {
	if ev.PageEnd {
		return b.flush()
	}
	if len(b.records) > 0 && ev.Input != b.input {
		if err := b.flush(); err != nil {
			return err
		}
	}
	b.input = ev.Input
	b.records = append(b.records, ev.Record)
	if !b.sent || len(b.records) >= maxBatchRecords {
		return b.flush()
	}
	return nil
}

func (b *pageBatcher) flush() error {
	if len(b.records) == 0 {
		return nil
	}
	var member []byte
	if b.typeNameMember != "" && len(b.records[0].TypeNames) > 0 {
		name, _ := json.Marshal(b.typeNameMember)
		value, _ := json.Marshal(b.records[0].TypeNames[0])
		member = append(append(name, ':'), value...)
	}
	objs := make([][]byte, len(b.records))
	size := 2
	for i, r := range b.records {
		objs[i] = r.JSON()
		size += len(objs[i]) + len(member) + 2
	}
	var js strings.Builder
	js.Grow(size) // a page is about a megabyte: growing it step by step cost more than building it
	js.WriteByte('[')
	var guids []string
	objectValues := false
	for i, r := range b.records {
		if i > 0 {
			js.WriteByte(',')
		}
		obj := objs[i]
		if member != nil {
			// {"member":"type"} then the record's own members, if any.
			js.WriteByte('{')
			js.Write(member)
			if len(r.Props) > 0 {
				js.WriteByte(',')
			}
			obj = obj[1:]
		}
		js.Write(obj)
		for _, p := range r.Props {
			if p.Kind == query.KindGUID && !slices.Contains(guids, p.Name) {
				guids = append(guids, p.Name)
			}
			objectValues = objectValues || holdsObject(p.Value)
		}
	}
	js.WriteByte(']')
	batch := &exov1.RecordBatch{
		TypeNames: b.records[0].TypeNames, Json: js.String(), GuidProperties: guids, Count: int32(len(b.records)),
		HasObjectValues: objectValues,
	}
	b.records = b.records[:0]
	b.sent = true
	return b.send(b.input, batch)
}

// holdsObject says whether a JSON value is an object or an array holding
// one. A string in an array that contains "{" also answers true, which
// only costs the client its faster path.
func holdsObject(raw json.RawMessage) bool {
	v := bytes.TrimLeft(raw, " \t\r\n")
	if len(v) == 0 {
		return false
	}
	return v[0] == '{' || (v[0] == '[' && bytes.IndexByte(v, '{') >= 0)
}

func (s *QueryServer) target(ctx context.Context, clientSession, id string) (query.Target, error) {
	c, err := s.mgr.Find(ctx, clientSession, id)
	if err != nil {
		return query.Target{}, err
	}
	tok, err := c.Token(ctx, auth.TokenOptions{})
	if err != nil {
		return query.Target{}, err
	}
	concurrency := 1
	if c.Multithreading {
		// As many inputs as the connection may have requests in flight.
		concurrency = connection.MaxInFlight
	}
	return query.Target{
		Client: c.Admin(), Base: c.RESTBase, Tenant: c.URLTenant(tok), Anchor: c.AnchorMailbox(tok),
		PageSize: int(c.PageSize), Concurrency: concurrency,
	}, nil
}

func queryResponse(ev query.Event, asJSON bool) (*exov1.QueryResponse, error) {
	resp := &exov1.QueryResponse{InputIndex: int32(ev.Input)}
	switch {
	case ev.Record != nil && asJSON:
		rec := &exov1.Record{TypeNames: ev.Record.TypeNames, Json: string(ev.Record.JSON())}
		for _, p := range ev.Record.Props {
			if p.Kind == query.KindGUID {
				rec.GuidProperties = append(rec.GuidProperties, p.Name)
			}
		}
		resp.Event = &exov1.QueryResponse_Record{Record: rec}
	case ev.Record != nil:
		rec, err := recordMessage(ev.Record)
		if err != nil {
			return nil, err
		}
		resp.Event = &exov1.QueryResponse_Record{Record: rec}
	case ev.Warning != "":
		resp.Event = &exov1.QueryResponse_Warning{Warning: ev.Warning}
	default:
		resp.Event = &exov1.QueryResponse_Error{Error: commandError(ev.Err)}
	}
	return resp, nil
}

var valueKinds = map[query.Kind]exov1.ValueKind{
	query.KindPlain:    exov1.ValueKind_VALUE_KIND_UNSPECIFIED,
	query.KindGUID:     exov1.ValueKind_VALUE_KIND_GUID,
	query.KindDateTime: exov1.ValueKind_VALUE_KIND_DATE_TIME,
}

func recordMessage(r *query.Record) (*exov1.Record, error) {
	out := &exov1.Record{TypeNames: r.TypeNames, Properties: make([]*exov1.Property, 0, len(r.Props))}
	for _, p := range r.Props {
		var value any
		if p.Value != nil {
			if err := json.Unmarshal(p.Value, &value); err != nil {
				return nil, fmt.Errorf("property %s: %w", p.Name, err)
			}
		}
		v, err := structpb.NewValue(value)
		if err != nil {
			return nil, fmt.Errorf("property %s: %w", p.Name, err)
		}
		out.Properties = append(out.Properties, &exov1.Property{Name: p.Name, Value: v, Kind: valueKinds[p.Kind]})
	}
	return out, nil
}

// DescribeCmdlet returns the property sets and properties of a cmdlet.
func (s *QueryServer) DescribeCmdlet(_ context.Context, req *exov1.DescribeCmdletRequest) (*exov1.DescribeCmdletResponse, error) {
	cat, ok := propertyset.For(req.GetCmdlet())
	if !ok {
		return &exov1.DescribeCmdletResponse{}, nil
	}
	out := &exov1.DescribeCmdletResponse{Properties: cat.Properties()}
	for _, name := range cat.SetNames() {
		sel, err := cat.Resolve([]string{name}, nil)
		if err != nil {
			return nil, err
		}
		out.PropertySets = append(out.PropertySets, &exov1.PropertySet{Name: name, Properties: sel.Output})
	}
	return out, nil
}
