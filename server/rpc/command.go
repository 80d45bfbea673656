package rpc

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.uber.org/zap"

	"github.com/openexo/exo/internal/auth"
	"github.com/openexo/exo/internal/catalog"
	"github.com/openexo/exo/internal/connection"
	"github.com/openexo/exo/internal/invoke"
	"github.com/openexo/exo/internal/query"
	exov1 "github.com/openexo/exo/proto/exo/v1"
)

// catalogCacheSize bounds the catalogues kept in memory: more than a
// session's connections at once, and an evicted one only costs a fetch.
const catalogCacheSize = 32

// CommandServer serves exo.v1.CommandService.
type CommandServer struct {
	exov1.UnimplementedCommandServiceServer
	mgr      *connection.Manager
	catalogs *catalog.Cache
	log      *zap.Logger
	// memberChunk is the members one Update-*Member request sets; 0 means
	// invoke.DefaultMemberChunk.
	memberChunk int
}

// NewCommandServer returns the service over mgr's connections.
func NewCommandServer(mgr *connection.Manager, log *zap.Logger) *CommandServer {
	if log == nil {
		log = zap.NewNop()
	}
	return &CommandServer{mgr: mgr, catalogs: catalog.NewCache(catalogCacheSize), log: log}
}

// GetCatalog returns the connection's catalogue, fetched once per
// connection.
func (s *CommandServer) GetCatalog(ctx context.Context, req *exov1.GetCatalogRequest) (*exov1.GetCatalogResponse, error) {
	c, err := s.mgr.Find(ctx, req.GetClientSession(), req.GetConnectionId())
	if err != nil {
		return nil, err
	}
	cat, err := s.catalog(ctx, c)
	if err != nil {
		return nil, err
	}
	return &exov1.GetCatalogResponse{
		ConnectionId: c.ID, ModuleScript: cat.ModuleScript, ExportedCmdlets: cat.Cmdlets, Sha256: cat.SHA256,
	}, nil
}

// catalog is c's catalogue, from the cache or the service.
func (s *CommandServer) catalog(ctx context.Context, c *connection.Connection) (*catalog.Catalog, error) {
	return s.catalogs.Get(ctx, c.ID, func(ctx context.Context) (*catalog.Catalog, error) {
		tok, err := c.Token(ctx, auth.TokenOptions{})
		if err != nil {
			return nil, err
		}
		cat, err := catalog.Fetch(ctx, catalog.Source{
			Client: c.Admin(), Base: c.RESTBase, Tenant: c.URLTenant(tok), Anchor: c.AnchorMailbox(tok),
			CommandName: c.CommandName,
		})
		if err != nil {
			return nil, err
		}
		s.log.Info("cmdlet catalogue fetched", zap.String("connection_id", c.ID),
			zap.Int("cmdlets", len(cat.Cmdlets)), zap.Bool("public_key", cat.PublicKey != nil))
		return cat, nil
	})
}

// InvokeCommand runs one cmdlet, once or once per pipeline input, and
// streams its events in input order.
func (s *CommandServer) InvokeCommand(req *exov1.InvokeCommandRequest, stream exov1.CommandService_InvokeCommandServer) error {
	ctx := stream.Context()
	if strings.TrimSpace(req.GetCmdlet()) == "" {
		return invalidArgument("cmdlet is required")
	}
	c, cat, err := s.connectionFor(ctx, req.GetClientSession(), req.GetConnectionId(), req.GetCmdlet())
	if err != nil {
		return err
	}
	name, err := cat.Require(req.GetCmdlet())
	if err != nil {
		return err
	}
	call := invoke.Call{Cmdlet: name, WarningAction: req.GetWarningAction(), Batch: req.GetBatch()}
	if call.Params, err = invokeParams(req.GetParameters()); err != nil {
		return invalidArgument("%v", err)
	}
	for i, in := range req.GetInputs() {
		p, err := invokeParams(in.GetParameters())
		if err != nil {
			return invalidArgument("input %d: %v", i, err)
		}
		call.Inputs = append(call.Inputs, p)
	}
	tok, err := c.Token(ctx, auth.TokenOptions{})
	if err != nil {
		return err
	}
	concurrency := 1
	if c.Multithreading {
		concurrency = connection.MaxInFlight
	}
	target := invoke.Target{
		Client: c.Admin(), Base: c.RESTBase, Tenant: c.URLTenant(tok), Anchor: c.AnchorMailbox(tok),
		Token: func(ctx context.Context) (string, error) {
			t, err := c.Token(ctx, auth.TokenOptions{})
			return t.AccessToken, err
		},
		PageSize: int(c.PageSize), Concurrency: concurrency, PublicKey: cat.PublicKey, MemberChunk: s.memberChunk,
		Allowed: func(cmdlet string) bool { _, ok := cat.Lookup(cmdlet); return ok },
	}
	format := req.GetRecordFormat()
	return invoke.Run(ctx, target, call, func(ev invoke.Event) error {
		for _, resp := range invokeResponses(ev, format) {
			if resp == nil {
				continue
			}
			if err := stream.Send(resp); err != nil {
				return err
			}
		}
		return nil
	})
}

// connectionFor picks the call's connection: the one named, or the
// session's newest whose catalogue has the cmdlet.
func (s *CommandServer) connectionFor(ctx context.Context, session, id, cmdlet string) (*connection.Connection, *catalog.Catalog, error) {
	if id != "" {
		c, err := s.mgr.Find(ctx, session, id)
		if err != nil {
			return nil, nil, err
		}
		cat, err := s.catalog(ctx, c)
		return c, cat, err
	}
	conns := s.mgr.List(ctx, session, connection.Selector{})
	if len(conns) == 0 {
		_, err := s.mgr.Find(ctx, session, "")
		return nil, nil, err
	}
	var firstErr error
	var newest *catalog.Catalog
	for i := len(conns) - 1; i >= 0; i-- {
		c := conns[i].Connection
		cat, err := s.catalog(ctx, c)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if _, ok := cat.Lookup(cmdlet); ok {
			return c, cat, nil
		}
		if newest == nil {
			newest = cat
		}
	}
	if newest == nil {
		return nil, nil, firstErr
	}
	_, err := newest.Require(cmdlet)
	return nil, nil, err
}

// invokeParams converts the API's typed values.
func invokeParams(in map[string]*exov1.ParameterValue) (invoke.Params, error) {
	out := make(invoke.Params, len(in))
	for name, v := range in {
		iv, err := invokeValue(v)
		if err != nil {
			return nil, fmt.Errorf("parameter %s: %w", name, err)
		}
		out[name] = iv
	}
	return out, nil
}

func invokeValue(v *exov1.ParameterValue) (invoke.Value, error) {
	switch k := v.GetKind().(type) {
	case nil, *exov1.ParameterValue_NullValue:
		return invoke.Value{Kind: invoke.KindNull}, nil
	case *exov1.ParameterValue_BoolValue:
		return invoke.Value{Kind: invoke.KindBool, Bool: k.BoolValue}, nil
	case *exov1.ParameterValue_IntValue:
		return invoke.Value{Kind: invoke.KindInt, Int: k.IntValue}, nil
	case *exov1.ParameterValue_DoubleValue:
		return invoke.Value{Kind: invoke.KindDouble, Double: k.DoubleValue}, nil
	case *exov1.ParameterValue_StringValue:
		return invoke.Value{Kind: invoke.KindString, Str: k.StringValue}, nil
	case *exov1.ParameterValue_TimeValue:
		if err := k.TimeValue.CheckValid(); err != nil {
			return invoke.Value{}, err
		}
		return invoke.Value{Kind: invoke.KindTime, Time: k.TimeValue.AsTime()}, nil
	case *exov1.ParameterValue_BytesValue:
		return invoke.Value{Kind: invoke.KindBytes, Bytes: k.BytesValue}, nil
	case *exov1.ParameterValue_ListValue:
		out := invoke.Value{Kind: invoke.KindList, List: make([]invoke.Value, 0, len(k.ListValue.GetValues()))}
		for i, item := range k.ListValue.GetValues() {
			iv, err := invokeValue(item)
			if err != nil {
				return invoke.Value{}, fmt.Errorf("item %d: %w", i, err)
			}
			out.List = append(out.List, iv)
		}
		return out, nil
	case *exov1.ParameterValue_MapValue:
		m, err := invokeParams(k.MapValue.GetEntries())
		if err != nil {
			return invoke.Value{}, err
		}
		return invoke.Value{Kind: invoke.KindMap, Map: m}, nil
	case *exov1.ParameterValue_SecretValue:
		return invoke.Value{Kind: invoke.KindSecret, Str: k.SecretValue}, nil
	case *exov1.ParameterValue_CredentialValue:
		return invoke.Value{Kind: invoke.KindCredential, User: k.CredentialValue.GetUserName(), Password: k.CredentialValue.GetPassword()}, nil
	case *exov1.ParameterValue_ObjectValue:
		return invoke.Value{Kind: invoke.KindObject, Object: k.ObjectValue.AsInterface()}, nil
	}
	return invoke.Value{}, fmt.Errorf("unknown value type %T", v.GetKind())
}

// invokeResponses turns one event into the stream's messages.
func invokeResponses(ev invoke.Event, format exov1.RecordFormat) []*exov1.InvokeCommandResponse {
	in := int32(ev.Input)
	one := func(r *exov1.InvokeCommandResponse) []*exov1.InvokeCommandResponse {
		r.InputIndex = in
		return []*exov1.InvokeCommandResponse{r}
	}
	switch {
	case ev.Confirmation != "":
		return one(&exov1.InvokeCommandResponse{Event: &exov1.InvokeCommandResponse_ConfirmationMessage{ConfirmationMessage: ev.Confirmation}})
	case ev.Warning != "":
		return one(&exov1.InvokeCommandResponse{Event: &exov1.InvokeCommandResponse_Warning{Warning: ev.Warning}})
	case ev.Err != nil:
		return one(&exov1.InvokeCommandResponse{Event: &exov1.InvokeCommandResponse_Error{Error: invokeError(ev.Err)}})
	case format == exov1.RecordFormat_RECORD_FORMAT_JSON_PAGE:
		return one(&exov1.InvokeCommandResponse{Event: &exov1.InvokeCommandResponse_Records{Records: recordBatch(ev.Records)}})
	}
	out := make([]*exov1.InvokeCommandResponse, 0, len(ev.Records))
	for _, r := range ev.Records {
		var rec *exov1.Record
		if format == exov1.RecordFormat_RECORD_FORMAT_JSON {
			rec = &exov1.Record{TypeNames: r.TypeNames, Json: string(r.JSON()), GuidProperties: guidProperties(r, nil)}
		} else {
			var err error
			if rec, err = recordMessage(r); err != nil {
				out = append(out, &exov1.InvokeCommandResponse{InputIndex: in, Event: &exov1.InvokeCommandResponse_Error{Error: invokeError(err)}})
				continue
			}
		}
		out = append(out, &exov1.InvokeCommandResponse{InputIndex: in, Event: &exov1.InvokeCommandResponse_Record{Record: rec}})
	}
	return out
}

// recordBatch is one page as a RecordBatch.
func recordBatch(records []*query.Record) *exov1.RecordBatch {
	var js strings.Builder
	js.WriteByte('[')
	var guids []string
	for i, r := range records {
		if i > 0 {
			js.WriteByte(',')
		}
		js.Write(r.JSON())
		guids = guidProperties(r, guids)
	}
	js.WriteByte(']')
	b := &exov1.RecordBatch{Json: js.String(), GuidProperties: guids, Count: int32(len(records))}
	if len(records) > 0 {
		b.TypeNames = records[0].TypeNames
	}
	return b
}

// guidProperties adds r's GUID properties to names.
func guidProperties(r *query.Record, names []string) []string {
	for _, p := range r.Props {
		if p.Kind == query.KindGUID && !slices.Contains(names, p.Name) {
			names = append(names, p.Name)
		}
	}
	return names
}

// invokeError shapes a per-input failure for PowerShell's error record.
func invokeError(err error) *exov1.CommandError {
	var ie *invoke.InputError
	if errors.As(err, &ie) {
		return &exov1.CommandError{Message: err.Error(), Category: "InvalidArgument", Reason: "ArgumentException"}
	}
	return commandError(err)
}
