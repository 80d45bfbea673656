package cmdlets

import (
	"context"
	"slices"
	"strings"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/opath"
	"github.com/openexo/exo/internal/sandbox/store"
)

func recipientCmdlets() []*cmdlet {
	return []*cmdlet{
		{
			info: adminapi.CmdletInfo{Name: "Get-Recipient", DefaultParameterSet: "Identity", Parameters: []param{
				identityParam(false, true, "Identity"),
				named("Anr", adminapi.KindString, "AnrSet"),
				named("Filter", adminapi.KindString),
				named("IncludeSoftDeletedRecipients", adminapi.KindSwitch),
				oneOf(named("RecipientType", adminapi.KindStringArray), "UserMailbox", "MailUser", "MailContact",
					"MailUniversalDistributionGroup", "MailUniversalSecurityGroup", "DynamicDistributionGroup"),
				oneOf(named("RecipientTypeDetails", adminapi.KindStringArray), allTypes...),
				resultSizeParam(),
			}},
			endpoints: exchangeEndpoint | complianceEndpoint,
			needs:     readRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				return e.getRecipients(ctx, r, recipientQuery(r), opath.RecipientSchema(), recipientView)
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "Get-User", DefaultParameterSet: "Identity", Parameters: []param{
				identityParam(false, true, "Identity"),
				named("Anr", adminapi.KindString, "AnrSet"),
				named("Filter", adminapi.KindString),
				named("IsVIP", adminapi.KindSwitch),
				oneOf(named("RecipientTypeDetails", adminapi.KindStringArray), userTypes...),
				resultSizeParam(),
			}},
			endpoints: exchangeEndpoint | complianceEndpoint,
			needs:     readRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				types := r.list("RecipientTypeDetails")
				if len(types) == 0 {
					types = userTypes
				}
				schema, _ := opath.CmdletSchema("Get-User")
				l, err := e.recipientListing(ctx, r, store.RecipientQuery{Types: types}, schema, userView)
				if err != nil {
					return adminapi.Result{}, err
				}
				if r.on("IsVIP") {
					l.match = and(l.match, func(rc *store.Recipient) (bool, error) { return propBool(rc.Props, "IsVIP"), nil })
				}
				return e.getListing(ctx, r, l)
			},
		},
	}
}

// recipientQuery selects the recipients Get-Recipient sees.
func recipientQuery(r *request) store.RecipientQuery {
	scope := store.ScopeActive
	if r.on("IncludeSoftDeletedRecipients") {
		scope = store.ScopeAll
	}
	return store.RecipientQuery{Types: r.list("RecipientTypeDetails"), RecipientTypes: r.list("RecipientType"), Scope: scope}
}

// getRecipients runs a Get-* cmdlet over recipients: one object for
// -Identity, else a page of the listing.
func (e *Engine) getRecipients(ctx context.Context, r *request, q store.RecipientQuery, schema *opath.Schema, v *view) (adminapi.Result, error) {
	l, err := e.recipientListing(ctx, r, q, schema, v)
	if err != nil {
		return adminapi.Result{}, err
	}
	return e.getListing(ctx, r, l)
}

func (e *Engine) getListing(ctx context.Context, r *request, l recipientList) (adminapi.Result, error) {
	if !r.has("Identity") {
		return e.listRecipients(ctx, r, l)
	}
	rc, err := e.resolve(ctx, r.text("Identity"), l.query)
	if err != nil {
		return adminapi.Result{}, err
	}
	if l.match != nil {
		if ok, err := l.match(&rc); err != nil || !ok {
			return adminapi.Result{}, err
		}
	}
	return single(l.render(&rc)), nil
}

// recipientListing builds a listing from the parameters every recipient
// Get-* shares: -Filter (with the cmdlet's schema) and -Anr.
func (e *Engine) recipientListing(ctx context.Context, r *request, q store.RecipientQuery, schema *opath.Schema, v *view) (recipientList, error) {
	l := listingOf(r, q, nil, v)
	if text := r.text("Filter"); text != "" {
		f, err := opath.Parse(text, schema)
		if err != nil {
			return recipientList{}, filterError("Filter", err)
		}
		l.match = and(func(rc *store.Recipient) (bool, error) {
			ok, err := f.Match(&linkedObject{ctx: ctx, e: e, rc: rc})
			// As in listingOf: a value the filter can't compare doesn't match.
			return ok && err == nil, nil
		}, l.match)
	}
	return l, nil
}

// linkedObject is a recipient as a filter sees it: its bag, plus the
// group links Members and MemberOfGroup (as distinguished names), read
// from the store only when a filter asks for them.
type linkedObject struct {
	ctx context.Context
	e   *Engine
	rc  *store.Recipient
}

func (o *linkedObject) Get(name string) (any, bool) {
	switch name {
	case "Members":
		members, err := o.e.st.GroupMembers(o.ctx, o.rc.Key, store.MemberQuery{})
		if err != nil {
			return nil, false
		}
		dns := make([]string, len(members))
		for i := range members {
			dns[i] = propString(members[i].Props, "DistinguishedName")
		}
		return dns, true
	case "MemberOfGroup":
		keys, err := o.e.st.MemberOf(o.ctx, o.rc.Key, store.LinkMembers)
		if err != nil {
			return nil, false
		}
		dns := make([]string, 0, len(keys))
		for _, k := range keys {
			if g, err := o.e.st.Recipient(o.ctx, k); err == nil {
				dns = append(dns, propString(g.Props, "DistinguishedName"))
			}
		}
		return dns, true
	}
	v, ok := o.rc.Props[name]
	return v, ok
}

// matcher is a parsed filter: OPATH (-Filter) or OData ($filter).
type matcher interface {
	Match(opath.Object) (bool, error)
}

// listingOf builds a listing of the recipients q selects that match f
// (nil for none) and -Anr, rendered with v.
func listingOf(r *request, q store.RecipientQuery, f matcher, v *view) recipientList {
	l := recipientList{query: q, render: func(rc *store.Recipient) adminapi.Record { return v.record(rc.Props) }}
	if f != nil {
		l.match = func(rc *store.Recipient) (bool, error) {
			ok, err := f.Match(opath.Map(rc.Props))
			// A stored value the filter can't compare doesn't match, as
			// Exchange's index simply has no entry for it.
			return ok && err == nil, nil
		}
	}
	if anr := r.text("Anr"); anr != "" {
		l.match = and(l.match, anrMatch(anr))
	}
	return l
}

// and combines two row predicates; either may be nil.
func and(a, b func(*store.Recipient) (bool, error)) func(*store.Recipient) (bool, error) {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return func(rc *store.Recipient) (bool, error) {
		ok, err := a(rc)
		if !ok || err != nil {
			return false, err
		}
		return b(rc)
	}
}

// anrMatch is ambiguous name resolution: a prefix match on the name-like
// properties and on every proxy address.
func anrMatch(anr string) func(*store.Recipient) (bool, error) {
	prefix := strings.ToLower(strings.TrimSpace(anr))
	has := func(s string) bool { return strings.HasPrefix(strings.ToLower(s), prefix) }
	return func(rc *store.Recipient) (bool, error) {
		if has(rc.Name) || has(rc.Alias) || has(rc.DisplayName) || has(rc.PrimarySMTPAddress) ||
			has(propString(rc.Props, "FirstName")) || has(propString(rc.Props, "LastName")) {
			return true, nil
		}
		for _, a := range propStrings(rc.Props, "EmailAddresses") {
			if _, addr, ok := strings.Cut(a, ":"); ok && has(addr) {
				return true, nil
			}
		}
		return false, nil
	}
}

// resolve finds the one recipient identity names among those q selects.
func (e *Engine) resolve(ctx context.Context, identity string, q store.RecipientQuery) (store.Recipient, error) {
	if identity == "" {
		return store.Recipient{}, e.notFound(ctx, identity)
	}
	rc, err := e.st.FindRecipient(ctx, identity, q)
	if err != nil {
		return store.Recipient{}, e.lookupError(ctx, identity, err)
	}
	return rc, nil
}

// Bag accessors. Bags hold JSON-decoded values: strings, bools, int64s,
// []any and nil.

func propString(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func propBool(m map[string]any, k string) bool {
	b, _ := m[k].(bool)
	return b
}

func propStrings(m map[string]any, k string) []string {
	return listOf(m[k])
}

// hasArchive reports whether a mailbox has an archive.
func hasArchive(rc *store.Recipient) bool {
	g := propString(rc.Props, "ArchiveGuid")
	return g != "" && g != "00000000-0000-0000-0000-000000000000"
}

// trusteeName is how permission entries name a recipient: its UPN, else
// its primary SMTP address.
func trusteeName(rc *store.Recipient) string {
	if rc.UserPrincipalName != "" {
		return rc.UserPrincipalName
	}
	return rc.PrimarySMTPAddress
}

// identityOf is the Identity a recipient prints.
func identityOf(rc *store.Recipient) string {
	if id := propString(rc.Props, "Identity"); id != "" {
		return id
	}
	return rc.Name
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}
