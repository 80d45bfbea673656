package cmdlets

import (
	"context"
	"errors"
	"fmt"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/opath"
	"github.com/openexo/exo/internal/sandbox/store"
)

func groupCmdlets() []*cmdlet {
	memberParams := func() []param {
		return []param{
			identityParam(true, false),
			named("BypassSecurityGroupManagerCheck", adminapi.KindSwitch),
			{Name: "Member", Kind: adminapi.KindAny, Sets: []adminapi.ParameterSetInfo{{ValueFromPipeline: true}}},
		}
	}
	linkParams := func() []param {
		return []param{
			identityParam(true, false),
			required("Links", adminapi.KindAny),
			oneOf(required("LinkType", adminapi.KindString), "Members", "Owners", "Subscribers"),
		}
	}
	return []*cmdlet{
		{
			info: adminapi.CmdletInfo{Name: "Get-DistributionGroup", DefaultParameterSet: "Identity", Parameters: []param{
				identityParam(false, true, "Identity"),
				named("Anr", adminapi.KindString, "AnrSet"),
				named("Filter", adminapi.KindString),
				named("ManagedBy", adminapi.KindAny, "ManagedBySet"),
				oneOf(named("RecipientTypeDetails", adminapi.KindStringArray), groupTypes...),
				resultSizeParam(),
			}},
			endpoints: exchangeEndpoint,
			needs:     readRecipients,
			run:       getDistributionGroup,
		},
		{
			info: adminapi.CmdletInfo{Name: "Get-DistributionGroupMember", Parameters: []param{
				identityParam(true, true), named("IncludeSoftDeletedObjects", adminapi.KindSwitch), resultSizeParam(),
			}},
			endpoints: exchangeEndpoint,
			needs:     readRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				g, err := e.resolve(ctx, r.text("Identity"), store.RecipientQuery{Types: groupTypes})
				if err != nil {
					return adminapi.Result{}, err
				}
				return e.listMembers(ctx, r, g, store.LinkMembers)
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "Add-DistributionGroupMember", SupportsShouldProcess: true,
				ConfirmImpact: adminapi.ConfirmMedium, Parameters: memberParams()},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				return changeMember(ctx, e, r, true)
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "Remove-DistributionGroupMember", SupportsShouldProcess: true,
				ConfirmImpact: adminapi.ConfirmHigh, Parameters: memberParams()},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				return changeMember(ctx, e, r, false)
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "Get-UnifiedGroup", DefaultParameterSet: "Identity", Parameters: []param{
				identityParam(false, true, "Identity"),
				named("Anr", adminapi.KindString, "AnrSet"),
				named("Filter", adminapi.KindString),
				named("IncludeSoftDeletedGroups", adminapi.KindSwitch),
				resultSizeParam(),
			}},
			endpoints: exchangeEndpoint,
			needs:     readRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				q := store.RecipientQuery{Types: []string{"GroupMailbox"}}
				if r.on("IncludeSoftDeletedGroups") {
					q.Scope = store.ScopeAll
				}
				schema, _ := opath.CmdletSchema("Get-UnifiedGroup")
				return e.getRecipients(ctx, r, q, schema, unifiedGroupView)
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "Get-UnifiedGroupLinks", Parameters: []param{
				identityParam(true, true),
				oneOf(required("LinkType", adminapi.KindString), "Members", "Owners", "Subscribers"),
				resultSizeParam(),
			}},
			endpoints: exchangeEndpoint,
			needs:     readRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				g, err := e.resolve(ctx, r.text("Identity"), store.RecipientQuery{Types: []string{"GroupMailbox"}})
				if err != nil {
					return adminapi.Result{}, err
				}
				return e.listMembers(ctx, r, g, store.LinkType(r.text("LinkType")))
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "Add-UnifiedGroupLinks", SupportsShouldProcess: true,
				ConfirmImpact: adminapi.ConfirmMedium, Parameters: linkParams()},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				return changeLinks(ctx, e, r, true)
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "Remove-UnifiedGroupLinks", SupportsShouldProcess: true,
				ConfirmImpact: adminapi.ConfirmHigh, Parameters: linkParams()},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				return changeLinks(ctx, e, r, false)
			},
		},
	}
}

func getDistributionGroup(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	types := r.list("RecipientTypeDetails")
	if len(types) == 0 {
		types = groupTypes
	}
	schema, _ := opath.CmdletSchema("Get-DistributionGroup")
	l, err := e.recipientListing(ctx, r, store.RecipientQuery{Types: types}, schema, distributionGroupView)
	if err != nil {
		return adminapi.Result{}, err
	}
	if r.has("ManagedBy") {
		owner, err := e.resolve(ctx, r.text("ManagedBy"), store.RecipientQuery{})
		if err != nil {
			return adminapi.Result{}, err
		}
		names := []string{identityOf(&owner), owner.Name, owner.Alias, trusteeName(&owner), owner.DistinguishedName}
		l.match = and(l.match, func(rc *store.Recipient) (bool, error) {
			for _, m := range propStrings(rc.Props, "ManagedBy") {
				if containsFold(names, m) {
					return true, nil
				}
			}
			return false, nil
		})
	}
	return e.getListing(ctx, r, l)
}

// listMembers pages one of a group's link lists by member key.
func (e *Engine) listMembers(ctx context.Context, r *request, g store.Recipient, link store.LinkType) (adminapi.Result, error) {
	w, err := r.window()
	if err != nil {
		return adminapi.Result{}, err
	}
	res := adminapi.Result{}
	members, err := e.st.GroupMembers(ctx, g.Key, store.MemberQuery{Link: link, After: w.cur.after, Limit: w.need + 1,
		IncludeSoftDeleted: r.on("IncludeSoftDeletedObjects")})
	if err != nil {
		return adminapi.Result{}, fmt.Errorf("members of %s: %w", g.Name, err)
	}
	more := len(members) > w.need
	if more {
		members = members[:w.need]
	}
	for i := range members {
		res.Records = append(res.Records, recipientView.record(members[i].Props))
	}
	var last int64
	if len(members) > 0 {
		last = members[len(members)-1].Key
	}
	w.finish(&res, last, more)
	return res, nil
}

func changeMember(ctx context.Context, e *Engine, r *request, add bool) (adminapi.Result, error) {
	g, err := e.resolve(ctx, r.text("Identity"), store.RecipientQuery{Types: groupTypes})
	if err != nil {
		return adminapi.Result{}, err
	}
	if !r.has("Member") {
		return adminapi.Result{}, nil
	}
	m, err := e.resolve(ctx, r.text("Member"), store.RecipientQuery{})
	if err != nil {
		return adminapi.Result{}, err
	}
	gid, mid := identityOf(&g), identityOf(&m)
	if r.call.WhatIf {
		msg := fmt.Sprintf("Adding distribution group member \"%s\" on distribution group \"%s\".", mid, gid)
		if !add {
			msg = fmt.Sprintf("Removing distribution group member \"%s\" on distribution group \"%s\".", mid, gid)
		}
		return adminapi.Result{ConfirmationMessage: msg}, nil
	}
	if add {
		err = e.st.AddGroupMember(ctx, g.Key, m.Key, store.LinkMembers)
	} else {
		err = e.st.RemoveGroupMember(ctx, g.Key, m.Key, store.LinkMembers)
	}
	switch {
	case errors.Is(err, store.ErrConflict):
		return adminapi.Result{}, &adminapi.CmdletError{Class: classMemberExists, Status: 400, Target: gid,
			Message: fmt.Sprintf("The recipient \"%s\" is already a member of the group \"%s\".", mid, gid)}
	case errors.Is(err, store.ErrNotFound) && !add:
		return adminapi.Result{}, &adminapi.CmdletError{Class: classMemberNotFound, Target: gid,
			Message: fmt.Sprintf("The recipient \"%s\" isn't a member of the group \"%s\".", mid, gid)}
	case errors.Is(err, store.ErrInvalid):
		return adminapi.Result{}, &adminapi.CmdletError{Class: classRecipientType, Status: 400, Target: gid, Message: err.Error()}
	case err != nil:
		return adminapi.Result{}, fmt.Errorf("change members of %s: %w", g.Name, err)
	}
	return adminapi.Result{}, nil
}

// changeLinks is Add-/Remove-UnifiedGroupLinks, which (unlike the
// distribution group cmdlets) quietly accept links already in the state
// asked for.
func changeLinks(ctx context.Context, e *Engine, r *request, add bool) (adminapi.Result, error) {
	g, err := e.resolve(ctx, r.text("Identity"), store.RecipientQuery{Types: []string{"GroupMailbox"}})
	if err != nil {
		return adminapi.Result{}, err
	}
	link := store.LinkType(r.text("LinkType"))
	links := make([]store.Recipient, 0, len(r.list("Links")))
	for _, id := range r.list("Links") {
		m, err := e.resolve(ctx, id, store.RecipientQuery{})
		if err != nil {
			return adminapi.Result{}, err
		}
		links = append(links, m)
	}
	if r.call.WhatIf {
		verb := "Adding"
		if !add {
			verb = "Removing"
		}
		return adminapi.Result{ConfirmationMessage: fmt.Sprintf("%s %d %s links on group \"%s\".", verb, len(links), link, identityOf(&g))}, nil
	}
	for _, m := range links {
		if add {
			err = e.st.AddGroupMember(ctx, g.Key, m.Key, link)
		} else {
			err = e.st.RemoveGroupMember(ctx, g.Key, m.Key, link)
		}
		if err != nil && !errors.Is(err, store.ErrConflict) && !errors.Is(err, store.ErrNotFound) {
			return adminapi.Result{}, fmt.Errorf("change %s of %s: %w", link, g.Name, err)
		}
	}
	return adminapi.Result{}, nil
}
