package rpc

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/openexo/exo/internal/adminclient"
	"github.com/openexo/exo/internal/invoke"
	"github.com/openexo/exo/internal/query"
	exov1 "github.com/openexo/exo/proto/exo/v1"
)

// TestInvokeParams: every ParameterValue kind reaches the engine typed.
func TestInvokeParams(t *testing.T) {
	when := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	obj, _ := structpb.NewValue(map[string]any{"a": 1.0})
	in := map[string]*exov1.ParameterValue{
		"N":    {Kind: &exov1.ParameterValue_NullValue{}},
		"B":    {Kind: &exov1.ParameterValue_BoolValue{BoolValue: true}},
		"I":    {Kind: &exov1.ParameterValue_IntValue{IntValue: 7}},
		"D":    {Kind: &exov1.ParameterValue_DoubleValue{DoubleValue: 1.5}},
		"S":    sv("x"),
		"T":    {Kind: &exov1.ParameterValue_TimeValue{TimeValue: timestamppb.New(when)}},
		"Y":    {Kind: &exov1.ParameterValue_BytesValue{BytesValue: []byte{1, 2}}},
		"L":    {Kind: &exov1.ParameterValue_ListValue{ListValue: &exov1.ParameterList{Values: []*exov1.ParameterValue{sv("a"), sv("b")}}}},
		"M":    {Kind: &exov1.ParameterValue_MapValue{MapValue: &exov1.ParameterMap{Entries: map[string]*exov1.ParameterValue{"k": sv("v")}}}},
		"P":    {Kind: &exov1.ParameterValue_SecretValue{SecretValue: "s"}},
		"C":    {Kind: &exov1.ParameterValue_CredentialValue{CredentialValue: &exov1.Credential{UserName: "u", Password: "p"}}},
		"O":    {Kind: &exov1.ParameterValue_ObjectValue{ObjectValue: obj}},
		"None": {},
	}
	got, err := invokeParams(in)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]invoke.Kind{"N": invoke.KindNull, "B": invoke.KindBool, "I": invoke.KindInt, "D": invoke.KindDouble,
		"S": invoke.KindString, "T": invoke.KindTime, "Y": invoke.KindBytes, "L": invoke.KindList, "M": invoke.KindMap,
		"P": invoke.KindSecret, "C": invoke.KindCredential, "O": invoke.KindObject, "None": invoke.KindNull}
	for name, k := range want {
		if got[name].Kind != k {
			t.Errorf("%s: kind %d, want %d", name, got[name].Kind, k)
		}
	}
	if !got["T"].Time.Equal(when) || got["L"].List[1].Str != "b" || got["M"].Map["k"].Str != "v" ||
		got["C"].User != "u" || got["C"].Password != "p" || got["O"].Object.(map[string]any)["a"] != 1.0 {
		t.Errorf("values = %+v", got)
	}
	bad := map[string]*exov1.ParameterValue{"T": {Kind: &exov1.ParameterValue_TimeValue{TimeValue: &timestamppb.Timestamp{Nanos: -1}}}}
	if _, err := invokeParams(bad); err == nil {
		t.Error("an invalid time was accepted")
	}
}

// TestInvokeResponses: the shape of each event in each record format.
func TestInvokeResponses(t *testing.T) {
	recs := []*query.Record{
		{TypeNames: []string{"Deserialized.T"}, Props: []query.Prop{
			{Name: "Name", Value: json.RawMessage(`"a"`)},
			{Name: "Guid", Value: json.RawMessage(`"2be92a50-0000-0000-0000-000000000000"`), Kind: query.KindGUID},
			{Name: "When", Value: json.RawMessage(`"2026-11-28T10:00:00Z"`), Kind: query.KindDateTime},
			{Name: "Empty"},
		}},
		{TypeNames: []string{"Deserialized.T"}, Props: []query.Prop{{Name: "Name", Value: json.RawMessage(`"b"`)}}},
	}
	page := invoke.Event{Input: 3, Records: recs}

	out := invokeResponses(page, exov1.RecordFormat_RECORD_FORMAT_JSON_PAGE)
	if len(out) != 1 || out[0].GetInputIndex() != 3 {
		t.Fatalf("JSON_PAGE: %v", out)
	}
	b := out[0].GetRecords()
	var objs []map[string]any
	if err := json.Unmarshal([]byte(b.GetJson()), &objs); err != nil {
		t.Fatal(err)
	}
	if b.GetCount() != 2 || len(objs) != 2 || objs[1]["Name"] != "b" || b.GetTypeNames()[0] != "Deserialized.T" ||
		strings.Join(b.GetGuidProperties(), ",") != "Guid" || !strings.HasPrefix(b.GetJson(), `[{"Name":"a","Guid":`) {
		t.Errorf("batch = %v", b)
	}

	out = invokeResponses(page, exov1.RecordFormat_RECORD_FORMAT_JSON)
	if len(out) != 2 || out[0].GetRecord().GetJson() != `{"Name":"a","Guid":"2be92a50-0000-0000-0000-000000000000","When":"2026-11-28T10:00:00Z","Empty":null}` ||
		strings.Join(out[0].GetRecord().GetGuidProperties(), ",") != "Guid" || out[1].GetInputIndex() != 3 {
		t.Errorf("JSON = %v", out)
	}

	out = invokeResponses(page, exov1.RecordFormat_RECORD_FORMAT_UNSPECIFIED)
	props := out[0].GetRecord().GetProperties()
	if len(out) != 2 || len(props) != 4 || props[1].GetKind() != exov1.ValueKind_VALUE_KIND_GUID ||
		props[2].GetKind() != exov1.ValueKind_VALUE_KIND_DATE_TIME || props[3].GetValue().GetNullValue() != structpb.NullValue_NULL_VALUE {
		t.Errorf("PROPERTIES = %v", out)
	}

	se := adminclient.ParseError(404, nil, []byte(`{"error":{"code":"NotFound","message":"m","details":[{"code":"13","target":"x","message":"id|Ns.NotFoundException|gone"}]}}`))
	for _, tc := range []struct {
		ev   invoke.Event
		want string
	}{
		{invoke.Event{Warning: "w"}, "warning"},
		{invoke.Event{Confirmation: "c"}, "confirmation"},
		{invoke.Event{Err: se}, "error:ObjectNotFound:Ns.NotFoundException:404"},
		{invoke.Event{Err: &invoke.InputError{Err: errors.New("bad")}}, "error:InvalidArgument:ArgumentException:0"},
	} {
		r := invokeResponses(tc.ev, exov1.RecordFormat_RECORD_FORMAT_JSON_PAGE)[0]
		got := ""
		switch {
		case r.GetWarning() != "":
			got = "warning"
		case r.GetConfirmationMessage() != "":
			got = "confirmation"
		case r.GetError() != nil:
			e := r.GetError()
			got = fmt.Sprintf("error:%s:%s:%d", e.GetCategory(), e.GetReason(), e.GetHttpStatus())
		}
		if got != tc.want {
			t.Errorf("event %+v gave %s, want %s", tc.ev, got, tc.want)
		}
	}
}
