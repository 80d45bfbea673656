package cmdlets

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/opath"
	"github.com/openexo/exo/internal/sandbox/store"
)

// Distribution group lifecycle, whole-membership updates and dynamic
// distribution groups.

// DefaultMaxUpdateMembers is how many members one Update-DistributionGroupMember
// or Update-RoleGroupMember call may set. The service's REST calls stop
// after 15 minutes, and Microsoft documents that a 10,000-member update
// doesn't finish: set 5,000, then add the rest one at a time.
const DefaultMaxUpdateMembers = 5000

var (
	tnDynamicDistributionGroup = []string{
		"Microsoft.Exchange.Data.Directory.Management.DynamicDistributionGroup",
		"Microsoft.Exchange.Data.Directory.Management.DistributionGroupBase",
		"Microsoft.Exchange.Data.Directory.Management.MailEnabledRecipient",
		"Microsoft.Exchange.Data.Directory.ADPresentationObject",
		"Microsoft.Exchange.Data.ConfigurableObject",
		"System.Object",
	}
	dynamicGroupView = newView(tnDynamicDistributionGroup, true, strings.Fields(`Name DisplayName Alias
		PrimarySmtpAddress RecipientFilter LdapRecipientFilter IncludedRecipients ManagedBy RecipientType
		RecipientTypeDetails Identity Guid`))
)

func distributionGroupCmdlets() []*cmdlet {
	settings := distributionGroupSettings()
	return []*cmdlet{
		{
			info: adminapi.CmdletInfo{Name: "New-DistributionGroup", SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmMedium,
				Parameters: []param{
					{Name: "Name", Kind: adminapi.KindString, NotNullOrEmpty: true, Sets: []adminapi.ParameterSetInfo{{Mandatory: true, Position: 1}}},
					named("Alias", adminapi.KindString), named("DisplayName", adminapi.KindString),
					named("PrimarySmtpAddress", adminapi.KindAny), named("Notes", adminapi.KindString),
					oneOf(named("Type", adminapi.KindString), "Distribution", "Security"),
					oneOf(named("MemberJoinRestriction", adminapi.KindString), "Open", "Closed", "ApprovalRequired"),
					oneOf(named("MemberDepartRestriction", adminapi.KindString), "Open", "Closed"),
					named("Members", adminapi.KindMultiValued), named("ManagedBy", adminapi.KindMultiValued),
					named("RequireSenderAuthenticationEnabled", adminapi.KindBool),
					named("BypassNestedModerationEnabled", adminapi.KindBool),
					named("RoomList", adminapi.KindSwitch),
				}},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run:       newDistributionGroup,
		},
		{
			info: adminapi.CmdletInfo{Name: "Set-DistributionGroup", SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmMedium,
				Parameters: append([]param{identityParam(true, false), named("BypassSecurityGroupManagerCheck", adminapi.KindSwitch)},
					settingParams(settings)...)},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				return setRecipient(ctx, e, r, groupTypes, settings, "Setting distribution group")
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "Remove-DistributionGroup", SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmHigh,
				Parameters: []param{identityParam(true, false), named("BypassSecurityGroupManagerCheck", adminapi.KindSwitch)}},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				return removeRecipient(ctx, e, r, groupTypes, "Removing distribution group", true)
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "Update-DistributionGroupMember", SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmHigh,
				Parameters: []param{
					identityParam(true, false),
					named("BypassSecurityGroupManagerCheck", adminapi.KindSwitch),
					{Name: "Members", Kind: adminapi.KindMultiValued, Sets: []adminapi.ParameterSetInfo{{ValueFromPipelineByPropertyName: true}}},
				}},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run:       updateDistributionGroupMember,
		},
		{
			info: adminapi.CmdletInfo{Name: "Set-UnifiedGroup", SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmMedium,
				Parameters: append([]param{identityParam(true, false)}, settingParams(unifiedGroupSettings())...)},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				return setRecipient(ctx, e, r, []string{"GroupMailbox"}, unifiedGroupSettings(), "Setting Microsoft 365 group")
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "Remove-UnifiedGroup", SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmHigh,
				Parameters: []param{identityParam(true, false), named("Force", adminapi.KindSwitch)}},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				return removeRecipient(ctx, e, r, []string{"GroupMailbox"}, "Removing Microsoft 365 group", false)
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "Get-DynamicDistributionGroup", DefaultParameterSet: "Identity", Parameters: []param{
				identityParam(false, true, "Identity"), named("Anr", adminapi.KindString, "AnrSet"),
				named("Filter", adminapi.KindString), named("ManagedBy", adminapi.KindAny), resultSizeParam(),
			}},
			endpoints: exchangeEndpoint,
			needs:     readRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				schema, _ := opath.CmdletSchema("Get-DynamicDistributionGroup")
				return e.getRecipients(ctx, r, store.RecipientQuery{Types: []string{"DynamicDistributionGroup"}}, orGeneric(schema), dynamicGroupView)
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "New-DynamicDistributionGroup", SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmMedium,
				Parameters: []param{
					{Name: "Name", Kind: adminapi.KindString, NotNullOrEmpty: true, Sets: []adminapi.ParameterSetInfo{{Mandatory: true, Position: 1}}},
					named("Alias", adminapi.KindString), named("DisplayName", adminapi.KindString),
					named("PrimarySmtpAddress", adminapi.KindAny), named("RecipientFilter", adminapi.KindString),
					oneOf(named("IncludedRecipients", adminapi.KindString), "None", "MailboxUsers", "Resources",
						"MailContacts", "MailGroups", "MailUsers", "AllRecipients"),
				}},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run:       newDynamicDistributionGroup,
		},
		{
			info: adminapi.CmdletInfo{Name: "Remove-DynamicDistributionGroup", SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmHigh,
				Parameters: []param{identityParam(true, false)}},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				return removeRecipient(ctx, e, r, []string{"DynamicDistributionGroup"}, "Removing dynamic distribution group", true)
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "Get-DynamicDistributionGroupMember", Parameters: []param{
				identityParam(true, true), resultSizeParam(),
			}},
			endpoints: exchangeEndpoint,
			needs:     readRecipients,
			run:       getDynamicDistributionGroupMember,
		},
	}
}

func distributionGroupSettings() []setting {
	s := []setting{
		{param: param{Name: "DisplayName", Kind: adminapi.KindString, NotNullOrEmpty: true}},
		stringSetting("Alias"),
		{param: named("EmailAddresses", adminapi.KindMultiValued), value: emailAddressesValue},
		{param: named("PrimarySmtpAddress", adminapi.KindAny), value: plainAddressValue},
		{param: named("ManagedBy", adminapi.KindMultiValued), value: recipientListValue("ManagedBy")},
		{param: named("AcceptMessagesOnlyFromSendersOrMembers", adminapi.KindMultiValued), value: recipientListValue("AcceptMessagesOnlyFromSendersOrMembers")},
		{param: named("GrantSendOnBehalfTo", adminapi.KindMultiValued), value: recipientListValue("GrantSendOnBehalfTo")},
		boolSetting("HiddenFromAddressListsEnabled"), boolSetting("RequireSenderAuthenticationEnabled"),
		boolSetting("ModerationEnabled"), boolSetting("ReportToOriginatorEnabled"),
		{param: oneOf(named("MemberJoinRestriction", adminapi.KindString), "Open", "Closed", "ApprovalRequired")},
		{param: oneOf(named("MemberDepartRestriction", adminapi.KindString), "Open", "Closed")},
		stringSetting("MailTip"), stringSetting("SimpleDisplayName"),
	}
	for _, n := range numbered("CustomAttribute", 15) {
		s = append(s, stringSetting(n))
	}
	return s
}

func unifiedGroupSettings() []setting {
	s := []setting{
		{param: param{Name: "DisplayName", Kind: adminapi.KindString, NotNullOrEmpty: true}},
		stringSetting("Alias"),
		{param: oneOf(named("AccessType", adminapi.KindString), "Public", "Private")},
		{param: named("EmailAddresses", adminapi.KindMultiValued), value: emailAddressesValue},
		{param: named("PrimarySmtpAddress", adminapi.KindAny), value: plainAddressValue},
		boolSetting("AutoSubscribeNewMembers"), boolSetting("HiddenFromAddressListsEnabled"),
		boolSetting("HiddenFromExchangeClientsEnabled"), boolSetting("RequireSenderAuthenticationEnabled"),
		stringSetting("MailTip"), stringSetting("Notes"),
	}
	for _, n := range numbered("CustomAttribute", 15) {
		s = append(s, stringSetting(n))
	}
	return s
}

// recipientListValue is a multi-valued list of recipients (ManagedBy and
// the like), each resolved and stored by its identity.
func recipientListValue(prop string) func(ctx context.Context, e *Engine, v any, cur map[string]any) (any, error) {
	return func(ctx context.Context, e *Engine, v any, cur map[string]any) (any, error) {
		resolveAll := func(ids []string) ([]string, error) {
			out := make([]string, 0, len(ids))
			for _, id := range ids {
				rc, err := e.resolve(ctx, id, store.RecipientQuery{})
				if err != nil {
					return nil, err
				}
				out = append(out, identityOf(&rc))
			}
			return out, nil
		}
		var err error
		if d, ok := v.(adminapi.MultiValuedDelta); ok {
			if d.Add, err = resolveAll(d.Add); err != nil {
				return nil, err
			}
			if d.Remove, err = resolveAll(d.Remove); err != nil {
				return nil, err
			}
			v = d
		} else if v, err = resolveAll(listOf(v)); err != nil {
			return nil, err
		}
		return applyMulti(propStrings(cur, prop), v, strings.EqualFold), nil
	}
}

func newDistributionGroup(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	kind := "MailUniversalDistributionGroup"
	switch {
	case r.on("RoomList"):
		kind = "RoomList"
	case strings.EqualFold(r.text("Type"), "Security"):
		kind = "MailUniversalSecurityGroup"
	}
	props, err := newRecipientProps(ctx, e, r, kind)
	if err != nil {
		return adminapi.Result{}, err
	}
	for _, n := range []string{"Notes", "MemberJoinRestriction", "MemberDepartRestriction"} {
		if s := r.text(n); s != "" {
			props[n] = s
		}
	}
	if b, ok := r.call.Params["RequireSenderAuthenticationEnabled"].(bool); ok {
		props["RequireSenderAuthenticationEnabled"] = b
	}
	owners, err := e.resolveAll(ctx, r.list("ManagedBy"))
	if err != nil {
		return adminapi.Result{}, err
	}
	if len(owners) > 0 {
		names := make([]string, len(owners))
		for i := range owners {
			names[i] = identityOf(&owners[i])
		}
		props["ManagedBy"] = names
	}
	members, err := e.resolveAll(ctx, r.list("Members"))
	if err != nil {
		return adminapi.Result{}, err
	}
	res, err := e.create(ctx, r, props, "Creating distribution group", distributionGroupView)
	if err != nil || r.call.WhatIf || len(members) == 0 {
		return res, err
	}
	g, err := e.resolve(ctx, propString(props, "Name"), store.RecipientQuery{Types: groupTypes})
	if err != nil {
		return adminapi.Result{}, err
	}
	keys := make([]int64, len(members))
	for i := range members {
		keys[i] = members[i].Key
	}
	if err := e.st.ReplaceGroupMembers(ctx, g.Key, store.LinkMembers, keys); err != nil {
		return adminapi.Result{}, fmt.Errorf("members of %s: %w", g.Name, err)
	}
	return res, nil
}

// resolveAll resolves every identity or fails on the first unknown one.
func (e *Engine) resolveAll(ctx context.Context, ids []string) ([]store.Recipient, error) {
	out := make([]store.Recipient, 0, len(ids))
	for _, id := range ids {
		rc, err := e.resolve(ctx, id, store.RecipientQuery{})
		if err != nil {
			return nil, err
		}
		out = append(out, rc)
	}
	return out, nil
}

// tooManyMembers refuses an update larger than the engine's limit.
func (e *Engine) tooManyMembers(cmdlet string, n int) *adminapi.CmdletError {
	return &adminapi.CmdletError{Class: classRecipientType, Status: http.StatusBadRequest, Message: fmt.Sprintf(
		"The member list has %d entries, more than the %d one %s call can set within the service's time limit. No members were changed. "+
			"Set up to %d members with %s, then add the rest with %s.",
		n, e.maxUpdateMembers, cmdlet, e.maxUpdateMembers, cmdlet, strings.Replace(cmdlet, "Update-", "Add-", 1))}
}

// updateDistributionGroupMember replaces the whole membership. Every
// member is resolved before anything changes, so a bad entry changes
// nothing.
func updateDistributionGroupMember(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	g, err := e.resolve(ctx, r.text("Identity"), store.RecipientQuery{Types: groupTypes})
	if err != nil {
		return adminapi.Result{}, err
	}
	ids := r.list("Members")
	if d, ok := r.call.Params["Members"].(adminapi.MultiValuedDelta); ok {
		// @{Add=...;Remove=...} edits the current list.
		cur, err := e.st.GroupMembers(ctx, g.Key, store.MemberQuery{})
		if err != nil {
			return adminapi.Result{}, fmt.Errorf("members of %s: %w", g.Name, err)
		}
		names := make([]string, len(cur))
		for i := range cur {
			names[i] = identityOf(&cur[i])
		}
		ids = applyMulti(names, d, strings.EqualFold)
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
			"Updating the membership of distribution group \"%s\" to %d members. The current members will be replaced.", identityOf(&g), len(members))}, nil
	}
	keys := make([]int64, len(members))
	for i := range members {
		keys[i] = members[i].Key
	}
	err = e.st.ReplaceGroupMembers(ctx, g.Key, store.LinkMembers, keys)
	if errors.Is(err, store.ErrInvalid) {
		return adminapi.Result{}, &adminapi.CmdletError{Class: classRecipientType, Status: http.StatusBadRequest, Target: g.Name, Message: err.Error()}
	}
	if err != nil {
		return adminapi.Result{}, fmt.Errorf("members of %s: %w", g.Name, err)
	}
	return adminapi.Result{}, nil
}

// includedFilters are the precanned filters of -IncludedRecipients.
var includedFilters = map[string]string{
	"AllRecipients": "(RecipientType -like '*')",
	"MailboxUsers":  "(RecipientType -eq 'UserMailbox')",
	"MailContacts":  "(RecipientType -eq 'MailContact')",
	"MailUsers":     "(RecipientType -eq 'MailUser')",
	"MailGroups":    "((RecipientType -eq 'MailUniversalDistributionGroup') -or (RecipientType -eq 'MailUniversalSecurityGroup'))",
	"Resources":     "((RecipientTypeDetails -eq 'RoomMailbox') -or (RecipientTypeDetails -eq 'EquipmentMailbox'))",
}

func newDynamicDistributionGroup(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	filter := r.text("RecipientFilter")
	if inc := r.text("IncludedRecipients"); filter == "" && inc != "" {
		for k, f := range includedFilters {
			if strings.EqualFold(k, inc) {
				filter = f
			}
		}
	}
	if filter == "" {
		return adminapi.Result{}, validationError("A dynamic distribution group needs a RecipientFilter or IncludedRecipients.")
	}
	if _, err := opath.Parse(filter, opath.RecipientSchema()); err != nil {
		return adminapi.Result{}, filterError("RecipientFilter", err)
	}
	props, err := newRecipientProps(ctx, e, r, "DynamicDistributionGroup")
	if err != nil {
		return adminapi.Result{}, err
	}
	props["RecipientFilter"] = filter
	if inc := r.text("IncludedRecipients"); inc != "" {
		props["IncludedRecipients"] = inc
	}
	return e.create(ctx, r, props, "Creating dynamic distribution group", dynamicGroupView)
}

// getDynamicDistributionGroupMember evaluates the group's RecipientFilter
// over the active recipients.
func getDynamicDistributionGroupMember(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	g, err := e.resolve(ctx, r.text("Identity"), store.RecipientQuery{Types: []string{"DynamicDistributionGroup"}})
	if err != nil {
		return adminapi.Result{}, err
	}
	f, err := opath.Parse(propString(g.Props, "RecipientFilter"), opath.RecipientSchema())
	if err != nil {
		return adminapi.Result{}, filterError("RecipientFilter", err)
	}
	l := listingOf(r, store.RecipientQuery{}, f, recipientView)
	l.match = and(l.match, func(rc *store.Recipient) (bool, error) { return rc.Key != g.Key, nil })
	return e.listRecipients(ctx, r, l)
}
