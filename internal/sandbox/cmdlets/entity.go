package cmdlets

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"go.uber.org/zap"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/odatafilter"
	"github.com/openexo/exo/internal/sandbox/opath"
	"github.com/openexo/exo/internal/sandbox/store"
)

// The entity routes of the Get-EXO* cmdlets (docs/entity-routes.md). Each
// is served by the classic cmdlet Exchange runs behind it: its RBAC grant,
// its identity resolution and listing code, with the route's keys and
// custom query options bound as that cmdlet's parameters. What differs is
// the filter language (OData $filter instead of OPATH), the absence of
// -ResultSize (the client counts) and the entities' shape.

// entityRoute is how the engine serves one route.
type entityRoute struct {
	cmdlet  string // the classic cmdlet behind the route
	options []entityOption
	shape   *entityShape
	filter  *odatafilter.Schema // nil: the route takes no $filter
	run     func(ctx context.Context, e *Engine, r *request, q *entityQuery) (adminapi.Result, error)
}

// optionKind is how a custom query option binds as a parameter.
type optionKind uint8

const (
	optSwitch optionKind = iota // "true" or "false"
	optList                     // a comma list
	optText
)

type entityOption struct {
	name string // the parameter it binds to
	kind optionKind
}

// entityQuery is an entity read being served.
type entityQuery struct {
	adminapi.EntityQuery
	props  []string // what each entity carries (bag-backed shapes)
	filter matcher  // the parsed $filter; nil for none
}

func switches(names ...string) []entityOption {
	out := make([]entityOption, len(names))
	for i, n := range names {
		out[i] = entityOption{n, optSwitch}
	}
	return out
}

// mailboxPermissionSchema is what $filter may test on MailboxPermission
// entities; the module sends IsOwner eq true for -Owner.
var mailboxPermissionSchema = odatafilter.NewSchema("Exchange.MailboxPermission", opath.NewSchema(
	opath.Property{Name: "IsOwner", Kind: opath.Bool},
	opath.Property{Name: "User", Kind: opath.String, Wildcard: true},
	opath.Property{Name: "MailboxIdentity", Kind: opath.String, Wildcard: true},
	opath.Property{Name: "PermissionId", Kind: opath.String},
))

// entityRoutes holds the routes by adminapi route name; it is only read.
var entityRoutes = map[string]*entityRoute{
	adminapi.RouteMailbox: {cmdlet: "Get-Mailbox", shape: mailboxShape, filter: odatafilter.MailboxSchema(),
		options: append([]entityOption{{"Anr", optText}, {"OrganizationalUnit", optText}, {"RecipientTypeDetails", optList},
			{"MailboxPlan", optText}}, switches("SoftDeletedMailbox", "InactiveMailboxOnly", "IncludeInactiveMailbox", "Archive", "GroupMailbox")...),
		run: queryMailboxes},
	adminapi.RouteRecipient: {cmdlet: "Get-Recipient", shape: recipientShape, filter: odatafilter.RecipientSchema(),
		options: append([]entityOption{{"Anr", optText}, {"OrganizationalUnit", optText}, {"RecipientType", optList},
			{"RecipientTypeDetails", optList}}, switches("IncludeSoftDeletedRecipients")...),
		run: queryRecipients},
	adminapi.RouteCasMailbox: {cmdlet: "Get-CASMailbox", shape: casMailboxShape, filter: odatafilter.CasMailboxSchema(),
		options: append([]entityOption{{"Anr", optText}, {"OrganizationalUnit", optText}}, switches("ProtocolSettings")...),
		run:     queryCasMailboxes},
	adminapi.RouteMailboxStatistics: {cmdlet: "Get-MailboxStatistics", shape: statisticsShape,
		options: switches("Archive", "IncludeSoftDeletedRecipients"), run: queryStatistics},
	adminapi.RouteMailboxFolderStatistics: {cmdlet: "Get-MailboxFolderStatistics", shape: folderStatisticsShape,
		options: switches("Archive", "IncludeOldestAndNewestItems", "IncludeSoftDeletedRecipients"), run: queryFolderStatistics},
	adminapi.RouteMailboxPermission: {cmdlet: "Get-MailboxPermission", shape: mailboxPermissionShape, filter: mailboxPermissionSchema,
		options: switches("SoftDeletedMailbox"), run: queryMailboxPermissions},
	adminapi.RouteRecipientPermission: {cmdlet: "Get-RecipientPermission", shape: recipientPermissionShape,
		run: queryRecipientPermissions},
	adminapi.RouteRecipientPermissionByFilters: {cmdlet: "Get-RecipientPermission", shape: recipientPermissionShape,
		run: queryRecipientPermissions},
	// Folder keys are paths or folder ids either way, and group mailboxes
	// resolve like any mailbox, so the two switches change nothing.
	adminapi.RouteMailboxFolderPermission: {cmdlet: "Get-MailboxFolderPermission", shape: folderPermissionShape,
		options: switches("IsUsingMailboxFolderId", "GroupMailbox"), run: queryFolderPermissions},
	adminapi.RouteMobileDeviceStatistics: {cmdlet: "Get-MobileDeviceStatistics", shape: mobileDeviceShape,
		options: switches("ActiveSync", "OWAforDevices", "RestApi", "UniversalOutlook"), run: queryMobileDevices},
	adminapi.RouteMobileDeviceStatisticsByIdentity: {cmdlet: "Get-MobileDeviceStatistics", shape: mobileDeviceShape,
		options: switches("ActiveSync", "OWAforDevices", "RestApi", "UniversalOutlook"), run: queryMobileDevices},
}

// Query serves one page of an entity route.
func (e *Engine) Query(ctx context.Context, caller adminapi.Caller, q adminapi.EntityQuery, page adminapi.Page) (adminapi.Result, error) {
	rt, ok := entityRoutes[q.Route()]
	if !ok {
		return adminapi.Result{}, &adminapi.CmdletError{Class: adminapi.ClassRestClient, Status: http.StatusNotFound,
			Message: fmt.Sprintf("Resource not found for the route '%s'.", q.Route())}
	}
	c, _ := lookupCmdlet(rt.cmdlet)
	if !e.serves(c, caller) {
		return adminapi.Result{}, commandNotFound(c.info.Name)
	}
	if page.MaxPageSize <= 0 || page.MaxPageSize > adminapi.MaxPageSize {
		page.MaxPageSize = adminapi.MaxPageSize
	}
	params, warnings, err := rt.bind(q.Options)
	if err != nil {
		return adminapi.Result{}, err
	}
	eq := &entityQuery{EntityQuery: q}
	if eq.props, err = rt.shape.properties(q.PropertySets, q.Select); err != nil {
		return adminapi.Result{}, err
	}
	if q.Filter != "" {
		if rt.filter == nil {
			return adminapi.Result{}, &adminapi.CmdletError{Class: adminapi.ClassRestClient, Status: http.StatusBadRequest,
				Message: fmt.Sprintf("The query option '$filter' is not supported on %s.", rt.shape.typeName)}
		}
		f, err := odatafilter.Parse(q.Filter, rt.filter)
		if err != nil {
			return adminapi.Result{}, odataFilterError(err)
		}
		eq.filter = f
	}
	// The client counts objects itself; the route pages through them all.
	params["ResultSize"] = adminapi.Unlimited{IsUnlimited: true}
	r := &request{c: c, caller: caller, call: adminapi.CmdletCall{Name: c.info.Name, Params: params}, page: page}
	res, err := rt.run(ctx, e, r, eq)
	if err != nil {
		var ce *adminapi.CmdletError
		if !errors.As(err, &ce) {
			e.log.Error("entity query failed", zap.String("route", q.Route()), zap.Error(err))
		}
		return adminapi.Result{}, err
	}
	if q.Single && len(res.Records) == 0 {
		// The object exists but the options exclude it (Archive=true on a
		// mailbox without an archive): to a keyed read it isn't there.
		return adminapi.Result{}, e.notFound(ctx, q.Key)
	}
	res.Warnings = append(warnings, res.Warnings...)
	return res, nil
}

// bind turns the route's custom query options into the classic cmdlet's
// parameters. Options the route doesn't know are ignored with a warning.
func (rt *entityRoute) bind(options map[string]string) (map[string]any, []string, error) {
	params := map[string]any{}
	var warnings []string
	for _, name := range slices.Sorted(maps.Keys(options)) {
		value := options[name]
		i := slices.IndexFunc(rt.options, func(o entityOption) bool { return strings.EqualFold(o.name, name) })
		if i < 0 {
			warnings = append(warnings, fmt.Sprintf("The query option '%s' is not supported on %s and was ignored.", name, rt.shape.typeName))
			continue
		}
		o := rt.options[i]
		switch o.kind {
		case optSwitch:
			on, err := strconv.ParseBool(strings.ToLower(strings.TrimSpace(value)))
			if err != nil {
				return nil, nil, &adminapi.CmdletError{Class: adminapi.ClassRestClient, Status: http.StatusBadRequest,
					Message: fmt.Sprintf("The value '%s' of the query option '%s' is not a boolean.", value, o.name)}
			}
			params[o.name] = on
		case optList:
			var list []string
			for _, v := range strings.Split(value, ",") {
				if v = strings.TrimSpace(v); v != "" {
					list = append(list, v)
				}
			}
			params[o.name] = list
		default:
			params[o.name] = strings.TrimSpace(value)
		}
	}
	return params, warnings, nil
}

// odataFilterError is how the service refuses a $filter: a 400 carrying
// the parser's text.
func odataFilterError(err error) error {
	var se *odatafilter.SyntaxError
	var pe *odatafilter.PropertyError
	if errors.As(err, &se) || errors.As(err, &pe) {
		return &adminapi.CmdletError{Class: adminapi.ClassRestClient, Status: http.StatusBadRequest, Message: err.Error()}
	}
	return fmt.Errorf("parse $filter: %w", err)
}

// propertyView renders a bag as an entity carrying exactly names.
func propertyView(names []string) *view { return newView(nil, false, names) }

// setIdentity binds a key as -Identity; no key lists every object.
func setIdentity(r *request, key string) {
	if key != "" {
		r.call.Params["Identity"] = key
	}
}

func queryMailboxes(ctx context.Context, e *Engine, r *request, q *entityQuery) (adminapi.Result, error) {
	setIdentity(r, q.Key)
	l := archiveOnly(r, listingOf(r, mailboxQuery(r), q.filter, propertyView(q.props)))
	return e.getListing(ctx, r, directoryOptions(r, l))
}

func queryRecipients(ctx context.Context, e *Engine, r *request, q *entityQuery) (adminapi.Result, error) {
	setIdentity(r, q.Key)
	l := listingOf(r, recipientQuery(r), q.filter, propertyView(q.props))
	return e.getListing(ctx, r, directoryOptions(r, l))
}

func queryCasMailboxes(ctx context.Context, e *Engine, r *request, q *entityQuery) (adminapi.Result, error) {
	setIdentity(r, q.Key)
	props := q.props
	if r.on("ProtocolSettings") {
		// The switch asks for the protocol settings, as the set does.
		var err error
		if props, err = casMailboxShape.properties(append(slices.Clone(q.PropertySets), "ProtocolSettings"), q.Select); err != nil {
			return adminapi.Result{}, err
		}
	}
	l := listingOf(r, mailboxQuery(r), q.filter, propertyView(props))
	return e.getListing(ctx, r, directoryOptions(r, l))
}

// directoryOptions applies -OrganizationalUnit and -MailboxPlan, which the
// classic cmdlets of the sandbox don't take.
func directoryOptions(r *request, l recipientList) recipientList {
	if ou := r.text("OrganizationalUnit"); ou != "" {
		l.match = and(l.match, func(rc *store.Recipient) (bool, error) {
			return strings.EqualFold(ou, propString(rc.Props, "OrganizationalUnit")) ||
				strings.EqualFold(ou, propString(rc.Props, "OrganizationalUnitRoot")) ||
				strings.EqualFold(ou, parentDN(rc.DistinguishedName)), nil
		})
	}
	if plan := r.text("MailboxPlan"); plan != "" {
		l.match = and(l.match, func(rc *store.Recipient) (bool, error) {
			return isMailboxPlan(propString(rc.Props, "MailboxPlan"), plan), nil
		})
	}
	return l
}

// parentDN drops a distinguished name's first RDN (its CN), whose value
// may hold escaped commas.
func parentDN(dn string) string {
	for i := 0; i < len(dn); i++ {
		switch dn[i] {
		case '\\':
			i++
		case ',':
			return dn[i+1:]
		}
	}
	return ""
}

// isMailboxPlan matches a stored plan ("ExchangeOnlineEnterprise-<guid>")
// by its full name, its display name or its GUID.
func isMailboxPlan(stored, want string) bool {
	if strings.EqualFold(stored, want) {
		return true
	}
	const guidLen = 36
	if i := len(stored) - guidLen - 1; i > 0 && stored[i] == '-' {
		if g, err := uuid.Parse(stored[i+1:]); err == nil {
			w, err := uuid.Parse(want)
			return strings.EqualFold(stored[:i], want) || (err == nil && w == g)
		}
	}
	return false
}

func queryStatistics(ctx context.Context, e *Engine, r *request, q *entityQuery) (adminapi.Result, error) {
	r.call.Params["Identity"] = q.Key
	stats, err := e.mailboxStatistics(ctx, r)
	if err != nil {
		return adminapi.Result{}, err
	}
	return single(propertyView(q.props).record(stats)), nil
}

// elcFolderTypes are the values of Exchange.ElcFolderType, the FolderScope
// of Get-EXOMailboxFolderStatistics (cmdlet-surface.md §2.5).
var elcFolderTypes = strings.Fields(`All Archive Calendar Clutter Contacts ConversationHistory DeletedItems Drafts
	Inbox Journal JunkEmail LegacyArchiveJournals ManagedCustomFolder NonIpmRoot Notes Outbox Personal
	RecoverableItems RssSubscriptions SentItems SyncIssues Tasks`)

func queryFolderStatistics(ctx context.Context, e *Engine, r *request, q *entityQuery) (adminapi.Result, error) {
	r.call.Params["Identity"] = q.Key
	if scope := q.Args["folderscope"]; scope != "" {
		i := slices.IndexFunc(elcFolderTypes, func(t string) bool { return strings.EqualFold(t, scope) })
		if i < 0 {
			return adminapi.Result{}, &adminapi.CmdletError{Class: adminapi.ClassRestClient, Status: http.StatusBadRequest,
				Message: fmt.Sprintf("The value '%s' is not a valid Exchange.ElcFolderType. Valid values are %s.", scope, strings.Join(elcFolderTypes, ", "))}
		}
		r.call.Params["FolderScope"] = elcFolderTypes[i]
	}
	res, err := getFolderStatistics(ctx, e, r)
	return project(res, err, folderStatisticsShape)
}

// project reduces a classic cmdlet's records to an entity shape.
func project(res adminapi.Result, err error, s *entityShape) (adminapi.Result, error) {
	if err != nil {
		return adminapi.Result{}, err
	}
	for i, rec := range res.Records {
		out := make([]adminapi.Property, len(s.all))
		for j, name := range s.all {
			out[j] = adminapi.Property{Name: name, Value: recordValue(rec, name)}
		}
		res.Records[i] = adminapi.Record{TypeNames: rec.TypeNames, Properties: out}
	}
	return res, nil
}

func recordValue(rec adminapi.Record, name string) any {
	for _, p := range rec.Properties {
		if p.Name == name {
			return p.Value
		}
	}
	return nil
}

// mailboxOwner owns every mailbox in Exchange Online (Get-MailboxPermission
// -Owner prints it).
const mailboxOwner = `NT AUTHORITY\SYSTEM`

// queryMailboxPermissions serves MailboxPermission entities: one per user
// with entries on the mailbox, its PermissionList holding the entries,
// and last the owner, with IsOwner set and no entries. Without a mailbox
// key every mailbox's entities are listed.
func queryMailboxPermissions(ctx context.Context, e *Engine, r *request, q *entityQuery) (adminapi.Result, error) {
	mailboxes := permissionMailboxes(r)
	user := q.Navigation[0].Key
	if user != "" {
		var err error
		if user, _, err = e.trustee(ctx, user); err != nil {
			return adminapi.Result{}, err
		}
	}
	entities := func(mbx *store.Recipient) ([]keyedRecord, error) {
		perms, err := e.st.MailboxPermissions(ctx, mbx.Key)
		if err != nil {
			return nil, fmt.Errorf("permissions of %s: %w", mbx.Name, err)
		}
		all := mailboxPermissionEntities(mbx, perms)
		if user != "" {
			all = slices.DeleteFunc(all, func(k keyedRecord) bool { return !strings.EqualFold(fmt.Sprint(recordValue(k.rec, "User")), user) })
			if len(all) == 0 && q.Single {
				// A user without entries has an empty list, as the
				// classic cmdlet prints nothing for it.
				all = []keyedRecord{permissionEntity(mbx, user, false, nil)}
			}
		}
		if q.filter == nil {
			return all, nil
		}
		return slices.DeleteFunc(all, func(k keyedRecord) bool {
			ok, err := q.filter.Match(recordObject(k.rec))
			return !ok || err != nil
		}), nil
	}
	if q.Key == "" {
		return e.fanOut(ctx, r, mailboxes, entities)
	}
	mbx, err := e.resolve(ctx, q.Key, mailboxes)
	if err != nil {
		return adminapi.Result{}, err
	}
	objs, err := entities(&mbx)
	if err != nil {
		return adminapi.Result{}, err
	}
	return pageItems(r, objs, func(k keyedRecord) int64 { return k.key }, func(k keyedRecord) adminapi.Record { return k.rec })
}

// mailboxPermissionEntities groups entries by user, in the order users
// first appear, and adds the owner. An entity's key is its first entry's
// id; the owner's is the largest key.
func mailboxPermissionEntities(mbx *store.Recipient, perms []store.MailboxPermission) []keyedRecord {
	var users []string
	byUser := map[string][]store.MailboxPermission{}
	for _, p := range perms {
		u := strings.ToLower(p.User)
		if _, ok := byUser[u]; !ok {
			users = append(users, p.User)
		}
		byUser[u] = append(byUser[u], p)
	}
	out := make([]keyedRecord, 0, len(users)+1)
	for _, u := range users {
		out = append(out, permissionEntity(mbx, u, false, byUser[strings.ToLower(u)]))
	}
	return append(out, permissionEntity(mbx, mailboxOwner, true, nil))
}

func permissionEntity(mbx *store.Recipient, user string, owner bool, entries []store.MailboxPermission) keyedRecord {
	list := make([]adminapi.Record, len(entries))
	for i, p := range entries {
		list[i] = adminapi.Record{Properties: []adminapi.Property{
			{Name: "AccessRights", Value: p.AccessRights},
			{Name: "IsInherited", Value: p.IsInherited},
			{Name: "Deny", Value: p.Deny},
			{Name: "InheritanceType", Value: p.InheritanceType},
		}}
	}
	key := int64(maxItemKey)
	if len(entries) > 0 {
		key = entries[0].ID
	}
	return keyedRecord{key: key, rec: adminapi.Record{TypeNames: tnMailboxPermission, Properties: []adminapi.Property{
		{Name: "PermissionId", Value: mbx.GUID + ":" + user},
		{Name: "MailboxIdentity", Value: identityOf(mbx)},
		{Name: "User", Value: user},
		{Name: "IsOwner", Value: owner},
		{Name: "PermissionList", Value: list},
	}}}
}

// recordObject lets a filter read a record's properties.
func recordObject(rec adminapi.Record) opath.Map {
	m := make(opath.Map, len(rec.Properties))
	for _, p := range rec.Properties {
		m[p.Name] = p.Value
	}
	return m
}

// queryRecipientPermissions serves both RecipientPermission routes: the
// recipient's entries, or GetRecipientPermissionByFilters, whose empty
// arguments select everything.
func queryRecipientPermissions(ctx context.Context, e *Engine, r *request, q *entityQuery) (adminapi.Result, error) {
	identity, trustee, rights := q.Key, q.Args["trustee"], q.Args["accessRights"]
	if q.Function != "" {
		identity = q.Args["identity"]
	}
	setIdentity(r, identity)
	if trustee != "" {
		r.call.Params["Trustee"] = trustee
	}
	if rights != "" {
		var list []string
		for _, v := range strings.Split(rights, ",") {
			if v = strings.TrimSpace(v); !strings.EqualFold(v, "SendAs") {
				return adminapi.Result{}, &adminapi.CmdletError{Class: adminapi.ClassRestClient, Status: http.StatusBadRequest,
					Message: fmt.Sprintf("The value '%s' of accessRights is not valid; the only valid value is SendAs.", v)}
			}
			list = append(list, "SendAs")
		}
		r.call.Params["AccessRights"] = list
	}
	res, err := getRecipientPermission(ctx, e, r)
	return project(res, err, recipientPermissionShape)
}

func queryFolderPermissions(ctx context.Context, e *Engine, r *request, q *entityQuery) (adminapi.Result, error) {
	if q.Key == "" {
		return adminapi.Result{}, e.notFound(ctx, "")
	}
	folder, user := q.Navigation[0].Key, q.Navigation[1].Key
	r.call.Params["Identity"] = q.Key + ":" + folder
	if user != "" {
		r.call.Params["User"] = user
	}
	res, err := getFolderPermission(ctx, e, r)
	if err == nil && user != "" && len(res.Records) == 0 {
		return adminapi.Result{}, &adminapi.CmdletError{Class: classFolderUserAbsent, Status: http.StatusNotFound, Target: q.Key + ":" + folder,
			Message: fmt.Sprintf("There is no existing permission entry found for user: %s.", user)}
	}
	return project(res, err, folderPermissionShape)
}

func queryMobileDevices(ctx context.Context, e *Engine, r *request, q *entityQuery) (adminapi.Result, error) {
	if q.Function == "GetMobileDeviceStatisticsByIdentity" {
		r.call.Params["Identity"] = q.Args["Identity"]
	} else {
		r.call.Params["Mailbox"] = q.Key
	}
	res, err := getMobileDeviceStatistics(ctx, e, r)
	return project(res, err, mobileDeviceShape)
}
