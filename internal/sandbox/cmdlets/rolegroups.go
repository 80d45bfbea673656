package cmdlets

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/store"
)

// Role groups are objects whose Members list holds recipient identities.
// Membership here is tenant data only: who may sign in with which roles is
// the identity provider's business (store users and apps).

var roleGroupView = newView([]string{
	"Microsoft.Exchange.Management.RbacTasks.RoleGroup",
	"Microsoft.Exchange.Data.Directory.ADPresentationObject",
	"Microsoft.Exchange.Data.ConfigurableObject",
	"System.Object",
}, true, strings.Fields(`Name DisplayName Description RoleGroupType Roles RoleAssignments ManagedBy Members Identity Guid`))

func roleGroupCmdlets() []*cmdlet {
	member := func() []param {
		return []param{
			identityParam(true, false),
			{Name: "Member", Kind: adminapi.KindAny, Sets: []adminapi.ParameterSetInfo{{ValueFromPipeline: true, ValueFromPipelineByPropertyName: true}}},
			named("BypassSecurityGroupManagerCheck", adminapi.KindSwitch),
		}
	}
	return []*cmdlet{
		{
			info: adminapi.CmdletInfo{Name: "Get-RoleGroup", Parameters: []param{
				identityParam(false, true), named("Filter", adminapi.KindString), named("ShowPartnerLinked", adminapi.KindSwitch),
				resultSizeParam(),
			}},
			endpoints: exchangeEndpoint | complianceEndpoint,
			needs:     readOrg | readCompliance,
			run:       getRoleGroup,
		},
		{
			info:      adminapi.CmdletInfo{Name: "Get-RoleGroupMember", Parameters: []param{identityParam(true, true), resultSizeParam()}},
			endpoints: exchangeEndpoint | complianceEndpoint,
			needs:     readOrg | readCompliance,
			run:       getRoleGroupMember,
		},
		{
			info:      adminapi.CmdletInfo{Name: "Add-RoleGroupMember", SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmMedium, Parameters: member()},
			endpoints: exchangeEndpoint | complianceEndpoint,
			needs:     writeOrg,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				return changeRoleGroupMember(ctx, e, r, true)
			},
		},
		{
			info:      adminapi.CmdletInfo{Name: "Remove-RoleGroupMember", SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmHigh, Parameters: member()},
			endpoints: exchangeEndpoint | complianceEndpoint,
			needs:     writeOrg,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				return changeRoleGroupMember(ctx, e, r, false)
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "Update-RoleGroupMember", SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmHigh, Parameters: []param{
				identityParam(true, false),
				{Name: "Members", Kind: adminapi.KindMultiValued, Sets: []adminapi.ParameterSetInfo{{ValueFromPipelineByPropertyName: true}}},
				named("BypassSecurityGroupManagerCheck", adminapi.KindSwitch),
			}},
			endpoints: exchangeEndpoint | complianceEndpoint,
			needs:     writeOrg,
			run:       updateRoleGroupMember,
		},
	}
}

func (e *Engine) roleGroup(ctx context.Context, id string) (store.Object, error) {
	o, err := e.st.FindObject(ctx, store.KindRoleGroup, 0, id)
	if err != nil {
		return store.Object{}, e.lookupError(ctx, id, err)
	}
	return o, nil
}

func roleGroupRecord(o store.Object) adminapi.Record {
	m := map[string]any{"Name": o.Name, "DisplayName": o.Name, "Identity": o.Name, "Guid": o.GUID, "IsValid": true, "ObjectState": "Unchanged"}
	for k, v := range o.Props {
		m[k] = v
	}
	return roleGroupView.record(m)
}

func getRoleGroup(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	if r.has("Identity") {
		o, err := e.roleGroup(ctx, r.text("Identity"))
		if err != nil {
			return adminapi.Result{}, err
		}
		return single(roleGroupRecord(o)), nil
	}
	objs, err := e.st.Objects(ctx, store.ObjectQuery{Kind: store.KindRoleGroup})
	if err != nil {
		return adminapi.Result{}, fmt.Errorf("role groups: %w", err)
	}
	return pageItems(r, objs, func(o store.Object) int64 { return o.Key }, roleGroupRecord)
}

func getRoleGroupMember(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	o, err := e.roleGroup(ctx, r.text("Identity"))
	if err != nil {
		return adminapi.Result{}, err
	}
	// Members are kept by identity; ones since removed from the tenant drop out.
	var members []store.Recipient
	for _, id := range propStrings(o.Props, "Members") {
		rc, err := e.st.FindRecipient(ctx, id, store.RecipientQuery{})
		if err == nil {
			members = append(members, rc)
		}
	}
	return pageList(r, members, func(rc store.Recipient) adminapi.Record { return recipientView.record(rc.Props) })
}

func changeRoleGroupMember(ctx context.Context, e *Engine, r *request, add bool) (adminapi.Result, error) {
	o, err := e.roleGroup(ctx, r.text("Identity"))
	if err != nil {
		return adminapi.Result{}, err
	}
	m, err := e.resolve(ctx, r.text("Member"), store.RecipientQuery{})
	if err != nil {
		return adminapi.Result{}, err
	}
	mid := identityOf(&m)
	cur := propStrings(o.Props, "Members")
	has := containsFold(cur, mid)
	switch {
	case add && has:
		return adminapi.Result{}, &adminapi.CmdletError{Class: classMemberExists, Status: http.StatusBadRequest, Target: o.Name,
			Message: fmt.Sprintf("The recipient \"%s\" is already a member of the group \"%s\".", mid, o.Name)}
	case !add && !has:
		return adminapi.Result{}, &adminapi.CmdletError{Class: classMemberNotFound, Target: o.Name,
			Message: fmt.Sprintf("The recipient \"%s\" isn't a member of the group \"%s\".", mid, o.Name)}
	}
	if r.call.WhatIf {
		verb := "Adding"
		if !add {
			verb = "Removing"
		}
		return adminapi.Result{ConfirmationMessage: fmt.Sprintf("%s member \"%s\" on role group \"%s\".", verb, mid, o.Name)}, nil
	}
	next := applyMulti(cur, adminapi.MultiValuedDelta{Add: []string{mid}}, strings.EqualFold)
	if !add {
		next = applyMulti(cur, adminapi.MultiValuedDelta{Remove: []string{mid}}, strings.EqualFold)
	}
	return adminapi.Result{}, e.writeRoleGroupMembers(ctx, o, next)
}

func (e *Engine) writeRoleGroupMembers(ctx context.Context, o store.Object, members []string) error {
	if members == nil {
		members = []string{}
	}
	_, err := e.st.UpdateObject(ctx, o.Key, "", map[string]any{"Members": members})
	if errors.Is(err, store.ErrNotFound) {
		return e.notFound(ctx, o.Name)
	}
	if err != nil {
		return fmt.Errorf("members of %s: %w", o.Name, err)
	}
	return nil
}

// updateRoleGroupMember replaces the whole membership, resolving every
// member first so a bad entry changes nothing.
func updateRoleGroupMember(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	o, err := e.roleGroup(ctx, r.text("Identity"))
	if err != nil {
		return adminapi.Result{}, err
	}
	ids := r.list("Members")
	if d, ok := r.call.Params["Members"].(adminapi.MultiValuedDelta); ok {
		ids = applyMulti(propStrings(o.Props, "Members"), d, strings.EqualFold)
	}
	if len(ids) > e.maxUpdateMembers {
		return adminapi.Result{}, e.tooManyMembers(r.c.info.Name, len(ids))
	}
	members, err := e.resolveAll(ctx, ids)
	if err != nil {
		return adminapi.Result{}, err
	}
	if r.call.WhatIf {
		return adminapi.Result{ConfirmationMessage: fmt.Sprintf(
			"Updating the membership of role group \"%s\" to %d members. The current members will be replaced.", o.Name, len(members))}, nil
	}
	names := make([]string, 0, len(members))
	for i := range members {
		if id := identityOf(&members[i]); !containsFold(names, id) {
			names = append(names, id)
		}
	}
	return adminapi.Result{}, e.writeRoleGroupMembers(ctx, o, names)
}
