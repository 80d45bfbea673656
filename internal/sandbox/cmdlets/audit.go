package cmdlets

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/store"
)

// The unified audit log: every cmdlet run that changes the tenant (a
// ShouldProcess cmdlet that succeeded, not under -WhatIf) appends an
// ExchangeAdmin record, so tests can count how often a change was applied;
// Search-UnifiedAuditLog reads the records back, seeded ones included.

var tnAuditRecord = []string{
	"Microsoft.Exchange.Management.SystemConfigurationTasks.UnifiedAuditLogRecord",
	"Microsoft.Exchange.Data.ConfigurableObject",
	"System.Object",
}

// Search-UnifiedAuditLog limits (cmdlet-surface.md §6).
const (
	auditDefaultResultSize = 100
	auditMaxResultSize     = 5000
	auditMaxLargeSet       = 50000
)

// auditSessions tracks how far each Search-UnifiedAuditLog session has
// read, by caller and SessionId.
type auditSessions struct {
	mu     sync.Mutex
	offset map[string]int
}

func newAuditSessions() *auditSessions { return &auditSessions{offset: map[string]int{}} }

// take returns where session key stands and moves it on by up to n of
// total results.
func (s *auditSessions) take(key string, n, total int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	at := min(s.offset[key], total)
	s.offset[key] = min(at+n, total)
	return at
}

// audit appends the ExchangeAdmin record of a cmdlet run that changed the
// tenant. The change is made by then, so a failure here is only logged:
// failing the call would invite the client to apply it again.
func (e *Engine) audit(ctx context.Context, caller adminapi.Caller, call adminapi.CmdletCall) {
	t, err := e.st.Tenant(ctx)
	if err != nil {
		e.log.Error("audit record", zap.String("cmdlet", call.Name), zap.Error(err))
		return
	}
	now := e.now().UTC()
	id := uuid.New().String()
	object := textOf(call.Params["Identity"])
	if object == "" {
		object = textOf(call.Params["Name"])
	}
	names := make([]string, 0, len(call.Params))
	for n := range call.Params {
		names = append(names, n)
	}
	sort.Strings(names)
	params := make([]map[string]string, 0, len(names))
	for _, n := range names {
		params = append(params, map[string]string{"Name": n, "Value": auditValue(call.Params[n])})
	}
	userType := 2 // Admin
	if caller.UPN == "" {
		userType = 5 // Application
	}
	data, err := json.Marshal(map[string]any{
		"CreationTime": now.Format("2006-01-02T15:04:05"), "Id": id, "Operation": call.Name,
		"OrganizationId": t.ID, "RecordType": 1, "ResultStatus": "True", "UserKey": callerKey(caller),
		"UserType": userType, "Version": 1, "Workload": "Exchange", "ObjectId": object, "UserId": callerName(caller),
		"AppId": caller.AppID, "ExternalAccess": false, "OrganizationName": t.InitialDomain, "Parameters": params,
	})
	if err != nil {
		e.log.Error("audit record", zap.String("cmdlet", call.Name), zap.Error(err))
		return
	}
	if _, err := e.st.NewObjects(ctx, []store.Object{{Kind: store.KindAuditRecord, Name: call.Name, GUID: id, Time: now,
		Props: map[string]any{"RecordType": "ExchangeAdmin", "UserIds": callerName(caller), "Operations": call.Name,
			"ObjectId": object, "AuditData": string(data)}}}); err != nil {
		e.log.Error("audit record", zap.String("cmdlet", call.Name), zap.Error(err))
	}
}

// auditValue renders a parameter value as the audit record prints it,
// secrets masked.
func auditValue(v any) string {
	switch t := v.(type) {
	case adminapi.SecureString:
		return "********"
	case adminapi.Credential:
		return t.UserName
	case adminapi.MultiValuedDelta:
		return "Add=" + strings.Join(t.Add, ",") + ";Remove=" + strings.Join(t.Remove, ",")
	case adminapi.Unlimited:
		if t.IsUnlimited {
			return "Unlimited"
		}
		return fmt.Sprint(t.Value)
	case time.Time:
		return t.UTC().Format("2006-01-02T15:04:05")
	case []byte:
		return fmt.Sprintf("<%d bytes>", len(t))
	case []string:
		return strings.Join(t, ",")
	case []any:
		parts := make([]string, len(t))
		for i, x := range t {
			parts[i] = auditValue(x)
		}
		return strings.Join(parts, ",")
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// callerKey is the caller's object id, or an app's id.
func callerKey(c adminapi.Caller) string {
	if c.ObjectID != "" {
		return c.ObjectID
	}
	return c.AppID
}

func auditCmdlets() []*cmdlet {
	return []*cmdlet{{
		info: adminapi.CmdletInfo{Name: "Search-UnifiedAuditLog", Parameters: []param{
			required("StartDate", adminapi.KindDateTime),
			required("EndDate", adminapi.KindDateTime),
			named("Formatted", adminapi.KindSwitch),
			named("FreeText", adminapi.KindString),
			named("HighCompleteness", adminapi.KindSwitch),
			named("IPAddresses", adminapi.KindStringArray),
			named("LegacyFlow", adminapi.KindSwitch),
			named("LongerRetentionEnabled", adminapi.KindString),
			named("ObjectIds", adminapi.KindStringArray),
			named("Operations", adminapi.KindStringArray),
			named("RecordType", adminapi.KindString),
			{Name: "ResultSize", Kind: adminapi.KindInt, Range: &adminapi.IntRange{Min: 1, Max: auditMaxResultSize}},
			oneOf(named("SessionCommand", adminapi.KindString), "ReturnLargeSet", "ReturnNextPreviewPage"),
			named("SessionId", adminapi.KindString),
			named("SiteIds", adminapi.KindStringArray),
			named("UserIds", adminapi.KindStringArray),
		}},
		endpoints: exchangeEndpoint | complianceEndpoint,
		needs:     readOrg | readCompliance,
		run:       searchUnifiedAuditLog,
	}}
}

// searchUnifiedAuditLog returns up to ResultSize records per call. With a
// SessionId each call goes on where the session's last one stopped, up to
// 50,000 records for ReturnLargeSet (oldest first, as the service leaves
// a large set unsorted) or newest first otherwise; without one, a call
// returns the newest records. A call larger than a page pages through
// @odata.nextLink within the call.
func searchUnifiedAuditLog(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	start, _ := r.call.Params["StartDate"].(time.Time)
	end, _ := r.call.Params["EndDate"].(time.Time)
	if !start.Before(end) {
		return adminapi.Result{}, argumentError("The StartDate value must be earlier than the EndDate value.")
	}
	size := auditDefaultResultSize
	if n, ok := r.call.Params["ResultSize"].(int64); ok {
		size = int(n)
	}
	recs, err := e.st.Objects(ctx, store.ObjectQuery{Kind: store.KindAuditRecord, From: start, To: end})
	if err != nil {
		return adminapi.Result{}, fmt.Errorf("audit records: %w", err)
	}
	match := auditFilter(r)
	matched := recs[:0]
	for _, o := range recs {
		if match(o) {
			matched = append(matched, o)
		}
	}
	largeSet := strings.EqualFold(r.text("SessionCommand"), "ReturnLargeSet")
	total := len(matched)
	if largeSet {
		total = min(total, auditMaxLargeSet)
	} else {
		slices.Reverse(matched)
	}
	cur, err := parseCursor(r.page.Cursor)
	if err != nil {
		return adminapi.Result{}, err
	}
	base := int(cur.after)
	if sid := r.text("SessionId"); r.page.Cursor == "" && sid != "" {
		base = e.auditSessions.take(callerKey(r.caller)+"|"+sid, size, total)
	}
	base = min(base, total)
	call := matched[base:min(base+size, total)]
	res := adminapi.Result{}
	for i := cur.emitted; i < len(call); i++ {
		if len(res.Records) == r.page.MaxPageSize {
			res.NextCursor = cursor{after: int64(base), emitted: i}.String()
			break
		}
		res.Records = append(res.Records, auditRecord(call[i], base+i+1, total))
	}
	return res, nil
}

// auditFilter applies the search's filter parameters.
func auditFilter(r *request) func(store.Object) bool {
	ops, users, objects, ips := r.list("Operations"), r.list("UserIds"), r.list("ObjectIds"), r.list("IPAddresses")
	recordType, free := r.text("RecordType"), strings.ToLower(r.text("FreeText"))
	return func(o store.Object) bool {
		data := propString(o.Props, "AuditData")
		switch {
		case len(ops) > 0 && !containsFold(ops, o.Name),
			len(users) > 0 && !containsFold(users, propString(o.Props, "UserIds")),
			len(objects) > 0 && !containsFold(objects, propString(o.Props, "ObjectId")),
			len(ips) > 0 && !containsFold(ips, propString(o.Props, "ClientIP")),
			recordType != "" && !strings.EqualFold(recordType, propString(o.Props, "RecordType")),
			free != "" && !strings.Contains(strings.ToLower(data), free):
			return false
		}
		return true
	}
}

func auditRecord(o store.Object, index, count int) adminapi.Record {
	return adminapi.Record{TypeNames: tnAuditRecord, Properties: []adminapi.Property{
		{Name: "RecordType", Value: propString(o.Props, "RecordType")},
		{Name: "CreationDate", Value: o.Time},
		{Name: "UserIds", Value: propString(o.Props, "UserIds")},
		{Name: "Operations", Value: o.Name},
		{Name: "AuditData", Value: propString(o.Props, "AuditData")},
		{Name: "ResultIndex", Value: index},
		{Name: "ResultCount", Value: count},
		{Name: "Identity", Value: o.GUID},
		{Name: "IsValid", Value: true},
		{Name: "ObjectState", Value: "Unchanged"},
	}}
}
