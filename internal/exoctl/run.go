package exoctl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"

	exov1 "github.com/openexo/exo/proto/exo/v1"
)

// event is what the two streaming services have in common.
type event interface {
	GetInputIndex() int32
	GetRecord() *exov1.Record
	GetRecords() *exov1.RecordBatch
	GetWarning() string
	GetError() *exov1.CommandError
}

// run runs a cmdlet and prints its output; failures of inputs make the
// exit code 3 (4 when one was throttled), the output goes on.
func (a *app) run(ctx context.Context, args []string) (int, error) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return 0, usagef("run needs a cmdlet name: exoctl run Get-EXOMailbox -ResultSize 10")
	}
	cmdlet, rest := args[0], args[1:]
	params, positional, err := ParseParams(rest)
	if err != nil {
		return 0, err
	}
	if name, ok := queryCmdlets[strings.ToLower(cmdlet)]; ok {
		return a.query(ctx, name, params, positional)
	}
	return a.invoke(ctx, cmdlet, params, positional)
}

func (a *app) query(ctx context.Context, cmdlet string, params []Param, positional []Value) (int, error) {
	sig := Signature{Position0: "Identity"}
	if cmdlet == "Get-EXOMailboxStatistics" || cmdlet == "Get-EXOMailboxFolderStatistics" {
		sig.Position0 = "" // -Identity is not positional on these
	}
	params, err := sig.Bind(params, positional)
	if err != nil {
		return 0, err
	}
	values, resultSize, err := QueryParameters(params)
	if err != nil {
		return 0, err
	}
	inputs, err := a.inputs("Identity")
	if err != nil {
		return 0, err
	}
	var inputValues []*structpb.Struct
	for _, in := range inputs {
		v, _, err := QueryParameters(in)
		if err != nil {
			return 0, err
		}
		inputValues = append(inputValues, v)
	}
	cc, err := a.conn(ctx)
	if err != nil {
		return 0, err
	}
	stream, err := exov1.NewQueryServiceClient(cc).Query(ctx, &exov1.QueryRequest{
		ClientSession: a.session, ConnectionId: a.opts.connection, Cmdlet: cmdlet, Parameters: values,
		Inputs: inputValues, ResultSize: resultSize, RecordFormat: exov1.RecordFormat_RECORD_FORMAT_JSON_PAGE,
	})
	if err != nil {
		return 0, err
	}
	return a.drain(cmdlet, func() (event, error) { return stream.Recv() })
}

func (a *app) invoke(ctx context.Context, cmdlet string, params []Param, positional []Value) (int, error) {
	cc, err := a.conn(ctx)
	if err != nil {
		return 0, err
	}
	commands := exov1.NewCommandServiceClient(cc)
	sig := Signature{Types: map[string]string{}, Names: map[string]string{}}
	cat, err := commands.GetCatalog(ctx, &exov1.GetCatalogRequest{ClientSession: a.session, ConnectionId: a.opts.connection})
	switch {
	case err == nil:
		if s, ok := ReadSignature(cat.GetModuleScript(), cmdlet); ok {
			sig = s
		}
	case status.Code(err) != codes.NotFound:
		return 0, err
	}
	// A cmdlet the catalogue lacks is refused by InvokeCommand with
	// CMDLET_NOT_FOUND, which says so better than exoctl could.
	params, err = sig.Bind(params, positional)
	if err != nil {
		return 0, err
	}
	values, err := CommandParameters(sig, params)
	if err != nil {
		return 0, err
	}
	position0 := sig.Position0
	if position0 == "" {
		position0 = "Identity"
	}
	inputs, err := a.inputs(position0)
	if err != nil {
		return 0, err
	}
	var sets []*exov1.ParameterSet
	for _, in := range inputs {
		v, err := CommandParameters(sig, in)
		if err != nil {
			return 0, err
		}
		sets = append(sets, &exov1.ParameterSet{Parameters: v})
	}
	stream, err := commands.InvokeCommand(ctx, &exov1.InvokeCommandRequest{
		ClientSession: a.session, ConnectionId: a.opts.connection, Cmdlet: cmdlet, Parameters: values,
		// Pipeline input goes in $batch requests, as the module's proxies send it.
		Inputs: sets, Batch: len(sets) > 1, RecordFormat: exov1.RecordFormat_RECORD_FORMAT_JSON_PAGE,
	})
	if err != nil {
		return 0, err
	}
	return a.drain(cmdlet, func() (event, error) {
		ev, err := stream.Recv()
		if err == nil && ev.GetConfirmationMessage() != "" {
			a.p.Note(ev.GetConfirmationMessage())
		}
		return ev, err
	})
}

// inputs reads --inputs, from standard input for "-".
func (a *app) inputs(position0 string) ([][]Param, error) {
	switch a.opts.inputs {
	case "":
		return nil, nil
	case "-":
		return ReadInputs(a.env.Stdin, position0)
	}
	f, err := os.Open(a.opts.inputs)
	if err != nil {
		return nil, usagef("--inputs: %v", err)
	}
	defer func() { _ = f.Close() }()
	return ReadInputs(f, position0)
}

// drain prints a call's events until it ends.
func (a *app) drain(cmdlet string, recv func() (event, error)) (int, error) {
	code := ExitOK
	for {
		ev, err := recv()
		if errors.Is(err, io.EOF) {
			return code, nil
		}
		if err != nil {
			return 0, err
		}
		switch {
		case ev.GetRecords() != nil:
			if err := a.p.Objects(ev.GetRecords().GetJson()); err != nil {
				return 0, err
			}
		case ev.GetRecord() != nil:
			if err := a.p.Object([]byte(ev.GetRecord().GetJson())); err != nil {
				return 0, err
			}
		case ev.GetWarning() != "":
			a.p.Warning(ev.GetWarning())
		case ev.GetError() != nil:
			ce := ev.GetError()
			if ce.GetErrorReason() == "THROTTLED" {
				code = ExitThrottled
			} else if code == ExitOK {
				code = ExitService
			}
			text := cmdlet + ": " + ce.GetMessage()
			if ce.GetRetryAfter() != nil {
				text += fmt.Sprintf(" (retry after %s)", ce.GetRetryAfter().AsDuration())
			}
			a.p.Error(commandErrorJSON(ev.GetInputIndex(), ce), text)
		}
	}
}

// commandErrorJSON is a CommandError as --output json writes it on stderr.
func commandErrorJSON(input int32, ce *exov1.CommandError) map[string]any {
	e := map[string]any{
		"inputIndex": input, "reason": ce.GetErrorReason(), "message": ce.GetMessage(), "errorId": ce.GetErrorId(),
		"category": ce.GetCategory(), "targetName": ce.GetTargetName(), "exceptionType": ce.GetExceptionType(),
		"httpStatus": ce.GetHttpStatus(), "requestId": ce.GetRequestId(),
	}
	if ce.GetRetryAfter() != nil {
		e["retryAfterSeconds"] = ce.GetRetryAfter().AsDuration().Seconds()
	}
	return e
}
