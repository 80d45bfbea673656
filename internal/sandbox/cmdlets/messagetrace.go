package cmdlets

import (
	"context"
	"fmt"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/store"
)

// Message trace over the seeded trace rows (one per message and
// recipient), with the service's limits: Get-MessageTraceV2 reads up to 90
// days back, at most 10 days per query and 5,000 rows per call; the older
// Get-MessageTrace reads the last 10 days, by Page and PageSize.

const (
	classInvalidTraceQuery = "Microsoft.Exchange.Management.FfoReporting.InvalidQueryException"
	traceMaxBack           = 90 * 24 * time.Hour
	traceMaxSpan           = 10 * 24 * time.Hour
	traceV1MaxBack         = 10 * 24 * time.Hour
	traceDefaultSpan       = 48 * time.Hour
	traceDefaultResultSize = 1000
	traceMaxResultSize     = 5000
)

var (
	tnMessageTrace       = []string{"Microsoft.Exchange.Management.FfoReporting.MessageTrace", "System.Object"}
	tnMessageTraceDetail = []string{"Microsoft.Exchange.Management.FfoReporting.MessageTraceDetail", "System.Object"}
)

func messageTraceCmdlets() []*cmdlet {
	common := func() []param {
		return []param{
			named("StartDate", adminapi.KindDateTime), named("EndDate", adminapi.KindDateTime),
			named("SenderAddress", adminapi.KindMultiValued), named("RecipientAddress", adminapi.KindMultiValued),
			named("MessageId", adminapi.KindMultiValued), named("MessageTraceId", adminapi.KindGuid),
			named("Status", adminapi.KindMultiValued), named("FromIP", adminapi.KindString), named("ToIP", adminapi.KindString),
		}
	}
	detail := func() []param {
		return []param{
			{Name: "MessageTraceId", Kind: adminapi.KindGuid, Sets: []adminapi.ParameterSetInfo{{Mandatory: true, ValueFromPipelineByPropertyName: true}}},
			{Name: "RecipientAddress", Kind: adminapi.KindString, Sets: []adminapi.ParameterSetInfo{{Mandatory: true, ValueFromPipelineByPropertyName: true}}},
			named("StartDate", adminapi.KindDateTime), named("EndDate", adminapi.KindDateTime),
			named("Action", adminapi.KindMultiValued), named("Event", adminapi.KindMultiValued),
			named("MessageId", adminapi.KindString), named("SenderAddress", adminapi.KindString),
		}
	}
	return []*cmdlet{
		{
			info: adminapi.CmdletInfo{Name: "Get-MessageTraceV2", Parameters: append(common(),
				param{Name: "ResultSize", Kind: adminapi.KindInt, Range: &adminapi.IntRange{Min: 1, Max: traceMaxResultSize}},
				named("Subject", adminapi.KindString),
				oneOf(named("SubjectFilterType", adminapi.KindString), "Contains", "EndsWith", "StartsWith"),
				named("StartingRecipientAddress", adminapi.KindString),
			)},
			endpoints: exchangeEndpoint,
			needs:     readOrg,
			run:       getMessageTraceV2,
		},
		{
			info: adminapi.CmdletInfo{Name: "Get-MessageTrace", Parameters: append(common(),
				param{Name: "Page", Kind: adminapi.KindInt, Range: &adminapi.IntRange{Min: 1, Max: 1000}},
				param{Name: "PageSize", Kind: adminapi.KindInt, Range: &adminapi.IntRange{Min: 1, Max: traceMaxResultSize}},
			)},
			endpoints: exchangeEndpoint,
			needs:     readOrg,
			run:       getMessageTrace,
		},
		{
			info:      adminapi.CmdletInfo{Name: "Get-MessageTraceDetailV2", Parameters: detail()},
			endpoints: exchangeEndpoint,
			needs:     readOrg,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				return getMessageTraceDetail(ctx, e, r, traceMaxBack)
			},
		},
		{
			info:      adminapi.CmdletInfo{Name: "Get-MessageTraceDetail", Parameters: detail()},
			endpoints: exchangeEndpoint,
			needs:     readOrg,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				return getMessageTraceDetail(ctx, e, r, traceV1MaxBack)
			},
		},
	}
}

func traceQueryError(format string, args ...any) *adminapi.CmdletError {
	return &adminapi.CmdletError{Class: classInvalidTraceQuery, Status: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}

// traceWindow checks and defaults StartDate and EndDate.
func (e *Engine) traceWindow(r *request, maxBack time.Duration) (time.Time, time.Time, error) {
	now := e.now().UTC()
	end, hasEnd := r.call.Params["EndDate"].(time.Time)
	if !hasEnd {
		end = now
	}
	start, hasStart := r.call.Params["StartDate"].(time.Time)
	if !hasStart {
		start = end.Add(-traceDefaultSpan)
	}
	switch {
	case !start.Before(end):
		return start, end, traceQueryError("Invalid StartDate value. The StartDate should be earlier than the EndDate.")
	case start.Before(now.Add(-maxBack)):
		return start, end, traceQueryError("Invalid StartDate value. The StartDate can't be older than %d days from today.", int(maxBack.Hours()/24))
	case maxBack == traceMaxBack && end.Sub(start) > traceMaxSpan:
		return start, end, traceQueryError("The date range can't exceed 10 days. Narrow the StartDate and EndDate.")
	}
	return start, end, nil
}

// traces returns the rows in the window matching the common filters,
// newest first.
func (e *Engine) traces(ctx context.Context, r *request, start, end time.Time) ([]store.Object, error) {
	objs, err := e.st.Objects(ctx, store.ObjectQuery{Kind: store.KindMessageTrace, From: start, To: end.Add(time.Millisecond)})
	if err != nil {
		return nil, fmt.Errorf("message trace: %w", err)
	}
	senders, recipients, ids, statuses := r.list("SenderAddress"), r.list("RecipientAddress"), r.list("MessageId"), r.list("Status")
	traceID := ""
	if g, ok := r.call.Params["MessageTraceId"].(uuid.UUID); ok {
		traceID = g.String()
	}
	subject, subjectType := strings.ToLower(r.text("Subject")), r.text("SubjectFilterType")
	out := objs[:0]
	for _, o := range objs {
		s := strings.ToLower(propString(o.Props, "Subject"))
		switch {
		case len(senders) > 0 && !addressMatch(senders, propString(o.Props, "SenderAddress")),
			len(recipients) > 0 && !addressMatch(recipients, propString(o.Props, "RecipientAddress")),
			len(ids) > 0 && !containsFold(ids, o.Name),
			len(statuses) > 0 && !containsFold(statuses, propString(o.Props, "Status")),
			traceID != "" && !strings.EqualFold(traceID, o.GUID),
			r.has("FromIP") && r.text("FromIP") != propString(o.Props, "FromIP"),
			r.has("ToIP") && r.text("ToIP") != propString(o.Props, "ToIP"),
			subject != "" && subjectType == "StartsWith" && !strings.HasPrefix(s, subject),
			subject != "" && subjectType == "EndsWith" && !strings.HasSuffix(s, subject),
			subject != "" && (subjectType == "" || subjectType == "Contains") && !strings.Contains(s, subject):
			continue
		}
		out = append(out, o)
	}
	slices.SortStableFunc(out, func(a, b store.Object) int {
		if c := b.Time.Compare(a.Time); c != 0 {
			return c
		}
		return strings.Compare(strings.ToLower(propString(a.Props, "RecipientAddress")), strings.ToLower(propString(b.Props, "RecipientAddress")))
	})
	return out, nil
}

// addressMatch compares addresses case-insensitively, with * wildcards.
func addressMatch(patterns []string, addr string) bool {
	addr = strings.ToLower(addr)
	for _, p := range patterns {
		if ok, _ := path.Match(strings.ToLower(p), addr); ok {
			return true
		}
	}
	return false
}

func traceRecord(o store.Object) adminapi.Record {
	return adminapi.Record{TypeNames: tnMessageTrace, Properties: []adminapi.Property{
		{Name: "Received", Value: o.Time},
		{Name: "SenderAddress", Value: propString(o.Props, "SenderAddress")},
		{Name: "RecipientAddress", Value: propString(o.Props, "RecipientAddress")},
		{Name: "Subject", Value: propString(o.Props, "Subject")},
		{Name: "Status", Value: propString(o.Props, "Status")},
		{Name: "ToIP", Value: propString(o.Props, "ToIP")},
		{Name: "FromIP", Value: propString(o.Props, "FromIP")},
		{Name: "Size", Value: toPlain(o.Props["Size"])},
		{Name: "MessageId", Value: o.Name},
		{Name: "MessageTraceId", Value: toGUID(o.GUID)},
	}}
}

func getMessageTraceV2(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	start, end, err := e.traceWindow(r, traceMaxBack)
	if err != nil {
		return adminapi.Result{}, err
	}
	rows, err := e.traces(ctx, r, start, end)
	if err != nil {
		return adminapi.Result{}, err
	}
	if from := strings.ToLower(r.text("StartingRecipientAddress")); from != "" {
		// Resume after the last row of an earlier call: rows at its
		// EndDate up to that recipient were returned already.
		rows = slices.DeleteFunc(rows, func(o store.Object) bool {
			return o.Time.Equal(end) && strings.ToLower(propString(o.Props, "RecipientAddress")) <= from
		})
	}
	size := traceDefaultResultSize
	if n, ok := r.call.Params["ResultSize"].(int64); ok {
		size = int(n)
	}
	var warn []string
	if len(rows) > size {
		last := rows[size-1]
		warn = []string{fmt.Sprintf("There are more results, use the following command to get more. Get-MessageTraceV2 -StartDate \"%s\" -EndDate \"%s\" -StartingRecipientAddress \"%s\"",
			start.Format("1/2/2006 3:04:05 PM"), last.Time.Format("1/2/2006 3:04:05 PM"), propString(last.Props, "RecipientAddress"))}
		rows = rows[:size]
	}
	res, err := pageList(r, rows, traceRecord)
	if res.NextCursor == "" {
		res.Warnings = append(res.Warnings, warn...)
	}
	return res, err
}

func getMessageTrace(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	start, end, err := e.traceWindow(r, traceV1MaxBack)
	if err != nil {
		return adminapi.Result{}, err
	}
	rows, err := e.traces(ctx, r, start, end)
	if err != nil {
		return adminapi.Result{}, err
	}
	page, pageSize := 1, traceDefaultResultSize
	if n, ok := r.call.Params["Page"].(int64); ok {
		page = int(n)
	}
	if n, ok := r.call.Params["PageSize"].(int64); ok {
		pageSize = int(n)
	}
	from := min((page-1)*pageSize, len(rows))
	return pageList(r, rows[from:min(from+pageSize, len(rows))], traceRecord)
}

// getMessageTraceDetail lists a message's events for one recipient,
// derived from its trace row's status.
func getMessageTraceDetail(ctx context.Context, e *Engine, r *request, maxBack time.Duration) (adminapi.Result, error) {
	start, end, err := e.traceWindow(r, maxBack)
	if err != nil {
		return adminapi.Result{}, err
	}
	if !r.has("StartDate") {
		start = e.now().UTC().Add(-maxBack) // a detail query looks over the whole retention
	}
	id, _ := r.call.Params["MessageTraceId"].(uuid.UUID)
	objs, err := e.st.Objects(ctx, store.ObjectQuery{Kind: store.KindMessageTrace, From: start, To: end.Add(time.Millisecond)})
	if err != nil {
		return adminapi.Result{}, fmt.Errorf("message trace: %w", err)
	}
	recipient := r.text("RecipientAddress")
	events, actions := r.list("Event"), r.list("Action")
	var out []adminapi.Record
	for _, o := range objs {
		if !strings.EqualFold(o.GUID, id.String()) || !strings.EqualFold(propString(o.Props, "RecipientAddress"), recipient) {
			continue
		}
		for _, ev := range traceEvents(o) {
			if (len(events) > 0 && !containsFold(events, ev.event)) || (len(actions) > 0 && !containsFold(actions, ev.action)) {
				continue
			}
			out = append(out, adminapi.Record{TypeNames: tnMessageTraceDetail, Properties: []adminapi.Property{
				{Name: "Date", Value: ev.at}, {Name: "Event", Value: ev.event}, {Name: "Action", Value: ev.action},
				{Name: "Detail", Value: ev.detail}, {Name: "Data", Value: ev.data},
				{Name: "MessageTraceId", Value: toGUID(o.GUID)}, {Name: "MessageId", Value: o.Name},
				{Name: "SenderAddress", Value: propString(o.Props, "SenderAddress")},
				{Name: "RecipientAddress", Value: propString(o.Props, "RecipientAddress")},
			}})
		}
	}
	return pageList(r, out, func(rec adminapi.Record) adminapi.Record { return rec })
}

type traceEvent struct {
	at                          time.Time
	event, action, detail, data string
}

// traceEvents are the steps a message of the row's status went through.
func traceEvents(o store.Object) []traceEvent {
	at := o.Time
	step := func(d time.Duration, event, action, detail string) traceEvent {
		return traceEvent{at: at.Add(d), event: event, action: action, detail: detail,
			data: fmt.Sprintf("<root><MEP Name=\"Status\" String=\"%s\"/></root>", propString(o.Props, "Status"))}
	}
	out := []traceEvent{step(0, "Receive", "", "Message received by: "+propString(o.Props, "ToIP"))}
	switch propString(o.Props, "Status") {
	case "Delivered":
		out = append(out, step(time.Second, "Deliver", "", "The message was successfully delivered."))
	case "Failed":
		out = append(out, step(2*time.Second, "Fail", "", "Reason: [{LED=550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup}]"))
	case "FilteredAsSpam":
		out = append(out, step(time.Second, "Spam", "MoveToJmf", "The message was marked as spam and delivered to the Junk Email folder."))
	case "Quarantined":
		out = append(out, step(time.Second, "Malware", "Quarantine", "The message was quarantined."))
	case "Expanded":
		out = append(out, step(time.Second, "Expand", "", "The distribution group was expanded."))
	case "Pending":
		out = append(out, step(time.Second, "Defer", "", "The message is waiting to be delivered."))
	}
	return out
}
