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

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/opath"
	"github.com/openexo/exo/internal/sandbox/store"
)

// Inbox rules (per mailbox) and transport rules (per organization): rows
// of the objects table, ordered by Priority, with Get/New/Set/Remove/
// Enable/Disable cmdlets.

type ruleKind struct {
	kind     string // store object kind
	noun     string // InboxRule, TransportRule
	what     string // "inbox rule" in messages
	perOwner bool   // rules belong to a mailbox
	settings []setting
	defaults map[string]any
	enabled  func(on bool) map[string]any // the props Enable-/Disable- set
	view     *view
	grantR   grant
	grantW   grant
}

func ruleKinds() []ruleKind {
	addr := func(n string) setting {
		return setting{param: named(n, adminapi.KindMultiValued), value: func(_ context.Context, _ *Engine, v any, cur map[string]any) (any, error) {
			return applyMulti(propStrings(cur, n), v, strings.EqualFold), nil
		}}
	}
	words := func(n string) setting { return setting{param: named(n, adminapi.KindMultiValued)} }
	inbox := []setting{
		{param: named("Priority", adminapi.KindInt)},
		addr("From"), addr("SentTo"), words("SubjectContainsWords"), words("BodyContainsWords"),
		words("SubjectOrBodyContainsWords"), words("FromAddressContainsWords"), words("HeaderContainsWords"),
		boolSetting("HasAttachment"), boolSetting("MyNameInToBox"),
		stringSetting("MoveToFolder"), stringSetting("CopyToFolder"), boolSetting("DeleteMessage"), boolSetting("MarkAsRead"),
		addr("ForwardTo"), addr("ForwardAsAttachmentTo"), addr("RedirectTo"), boolSetting("StopProcessingRules"),
		{param: oneOf(named("MarkImportance", adminapi.KindString), "Low", "Normal", "High")},
		words("ApplyCategory"),
	}
	transport := []setting{
		{param: named("Priority", adminapi.KindInt)},
		stringSetting("Comments"),
		{param: oneOf(named("Mode", adminapi.KindString), "Audit", "AuditAndNotify", "Enforce")},
		addr("From"), addr("SentTo"),
		{param: oneOf(named("FromScope", adminapi.KindString), "InOrganization", "NotInOrganization")},
		{param: oneOf(named("SentToScope", adminapi.KindString), "InOrganization", "NotInOrganization", "ExternalPartner", "ExternalNonPartner")},
		words("SubjectContainsWords"), words("SubjectOrBodyContainsWords"), words("FromAddressContainsWords"),
		words("RecipientDomainIs"), words("SenderDomainIs"), boolSetting("AttachmentHasExecutableContent"),
		stringSetting("PrependSubject"), stringSetting("SetHeaderName"), stringSetting("SetHeaderValue"),
		{param: named("SetSCL", adminapi.KindAny), value: textValue},
		stringSetting("RejectMessageReasonText"), stringSetting("RejectMessageEnhancedStatusCode"), boolSetting("DeleteMessage"),
		addr("BlindCopyTo"), addr("AddToRecipients"), addr("CopyTo"), addr("RedirectMessageTo"), addr("ModerateMessageByUser"),
		stringSetting("ApplyHtmlDisclaimerText"),
		{param: oneOf(named("ApplyHtmlDisclaimerLocation", adminapi.KindString), "Append", "Prepend")},
		{param: oneOf(named("ApplyHtmlDisclaimerFallbackAction", adminapi.KindString), "Wrap", "Ignore", "Reject")},
		boolSetting("StopRuleProcessing"),
		{param: named("ActivationDate", adminapi.KindDateTime)}, {param: named("ExpiryDate", adminapi.KindDateTime)},
	}
	return []ruleKind{
		{
			kind: store.KindInboxRule, noun: "InboxRule", what: "inbox rule", perOwner: true, settings: inbox,
			defaults: map[string]any{"Enabled": true, "InError": false, "SupportedByTask": true, "StopProcessingRules": false},
			enabled:  func(on bool) map[string]any { return map[string]any{"Enabled": on} },
			view: newView([]string{"Microsoft.Exchange.Management.Common.InboxRule", "Microsoft.Exchange.Data.ConfigurableObject", "System.Object"},
				true, strings.Fields(`Name Enabled Priority RuleIdentity Description StopProcessingRules MailboxOwnerId Identity`)),
			grantR: readRecipients, grantW: writeRecipients,
		},
		{
			kind: store.KindTransportRule, noun: "TransportRule", what: "transport rule", settings: transport,
			defaults: map[string]any{"State": "Enabled", "Mode": "Enforce", "RuleVersion": "15.0.5.2", "StopRuleProcessing": false,
				"SenderAddressLocation": "Header", "RuleErrorAction": "Ignore", "RuleSubType": "None"},
			enabled: func(on bool) map[string]any {
				if on {
					return map[string]any{"State": "Enabled"}
				}
				return map[string]any{"State": "Disabled"}
			},
			view: newView([]string{"Microsoft.Exchange.MessagingPolicies.Rules.Tasks.Rule", "Microsoft.Exchange.Data.ConfigurableObject", "System.Object"},
				true, strings.Fields(`Name State Mode Priority Comments Description Identity Guid`)),
			grantR: readOrg, grantW: writeOrg,
		},
	}
}

func ruleCmdlets() []*cmdlet {
	var out []*cmdlet
	for _, rk := range ruleKinds() {
		scope := []param{}
		if rk.perOwner {
			scope = append(scope, named("Mailbox", adminapi.KindAny))
		}
		get := append([]param{identityParam(false, true)}, scope...)
		get = append(get, resultSizeParam(), named("Filter", adminapi.KindString))
		if !rk.perOwner {
			get = append(get, oneOf(named("State", adminapi.KindString), "Enabled", "Disabled"))
		}
		newParams := append([]param{{Name: "Name", Kind: adminapi.KindString, NotNullOrEmpty: true,
			Sets: []adminapi.ParameterSetInfo{{Mandatory: true, Position: 1}}}}, scope...)
		if !rk.perOwner {
			newParams = append(newParams, named("Enabled", adminapi.KindBool))
		}
		change := func(extra ...param) []param {
			return append(append([]param{identityParam(true, false)}, scope...), extra...)
		}
		out = append(out,
			&cmdlet{info: adminapi.CmdletInfo{Name: "Get-" + rk.noun, Parameters: get}, endpoints: exchangeEndpoint, needs: rk.grantR,
				run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
					return getRules(ctx, e, r, rk)
				}},
			&cmdlet{info: adminapi.CmdletInfo{Name: "New-" + rk.noun, SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmMedium,
				Parameters: append(newParams, settingParams(rk.settings)...)}, endpoints: exchangeEndpoint, needs: rk.grantW,
				run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
					return newRule(ctx, e, r, rk)
				}},
			&cmdlet{info: adminapi.CmdletInfo{Name: "Set-" + rk.noun, SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmMedium,
				Parameters: change(append(settingParams(rk.settings), named("Name", adminapi.KindString))...)}, endpoints: exchangeEndpoint, needs: rk.grantW,
				run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
					return setRule(ctx, e, r, rk, nil)
				}},
			&cmdlet{info: adminapi.CmdletInfo{Name: "Remove-" + rk.noun, SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmHigh,
				Parameters: change()}, endpoints: exchangeEndpoint, needs: rk.grantW,
				run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
					return removeRule(ctx, e, r, rk)
				}},
			&cmdlet{info: adminapi.CmdletInfo{Name: "Enable-" + rk.noun, SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmMedium,
				Parameters: change()}, endpoints: exchangeEndpoint, needs: rk.grantW,
				run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
					return setRule(ctx, e, r, rk, rk.enabled(true))
				}},
			&cmdlet{info: adminapi.CmdletInfo{Name: "Disable-" + rk.noun, SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmHigh,
				Parameters: change()}, endpoints: exchangeEndpoint, needs: rk.grantW,
				run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
					return setRule(ctx, e, r, rk, rk.enabled(false))
				}},
		)
	}
	return out
}

// ruleOwner is the mailbox an inbox rule cmdlet works on: the part of
// -Identity before a backslash, else -Mailbox, else the caller's own.
func (e *Engine) ruleOwner(ctx context.Context, r *request, rk ruleKind) (store.Recipient, string, error) {
	id := r.text("Identity")
	if !rk.perOwner {
		return store.Recipient{}, id, nil
	}
	owner := r.text("Mailbox")
	if o, rest, ok := strings.Cut(id, `\`); ok {
		owner, id = o, rest
	}
	if owner == "" {
		owner = r.caller.UPN
	}
	mb, err := e.resolve(ctx, owner, store.RecipientQuery{Types: mailboxTypes})
	return mb, id, err
}

// rules lists a kind's rules (of one owner) in priority order.
func (e *Engine) rules(ctx context.Context, rk ruleKind, owner int64) ([]store.Object, error) {
	objs, err := e.st.Objects(ctx, store.ObjectQuery{Kind: rk.kind, OwnerKey: owner})
	if err != nil {
		return nil, fmt.Errorf("list %ss: %w", rk.what, err)
	}
	slices.SortStableFunc(objs, func(a, b store.Object) int { return int(priorityOf(a) - priorityOf(b)) })
	return objs, nil
}

func priorityOf(o store.Object) int64 {
	p, _ := o.Props["Priority"].(int64)
	return p
}

// findRule resolves a rule by name, GUID or RuleIdentity.
func (e *Engine) findRule(ctx context.Context, r *request, rk ruleKind) (store.Recipient, store.Object, error) {
	mb, id, err := e.ruleOwner(ctx, r, rk)
	if err != nil {
		return mb, store.Object{}, err
	}
	o, err := e.st.FindObject(ctx, rk.kind, mb.Key, id)
	if errors.Is(err, store.ErrNotFound) {
		if n, perr := strconv.ParseInt(id, 10, 64); perr == nil && rk.perOwner {
			all, lerr := e.rules(ctx, rk, mb.Key)
			if lerr != nil {
				return mb, store.Object{}, lerr
			}
			for _, x := range all {
				if x.Props["RuleIdentity"] == n {
					return mb, x, nil
				}
			}
		}
	}
	if err != nil {
		return mb, store.Object{}, e.lookupError(ctx, r.text("Identity"), err)
	}
	return mb, o, nil
}

func ruleRecord(rk ruleKind, o store.Object, mb *store.Recipient) adminapi.Record {
	m := maps.Clone(rk.defaults)
	maps.Copy(m, o.Props)
	m["Name"], m["Guid"] = o.Name, o.GUID
	m["Description"] = describeRule(m)
	if mb != nil {
		m["MailboxOwnerId"] = identityOf(mb)
		m["Identity"] = identityOf(mb) + `\` + fmt.Sprint(m["RuleIdentity"])
	} else {
		m["Identity"] = o.Name
	}
	return rk.view.record(m)
}

// describeRule is a short text of the rule's conditions and actions, as the
// Description property gives.
func describeRule(m map[string]any) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		switch k {
		case "Name", "Guid", "Enabled", "State", "Mode", "Priority", "RuleIdentity", "InError", "SupportedByTask",
			"RuleVersion", "SenderAddressLocation", "RuleErrorAction", "RuleSubType", "Comments", "Identity", "MailboxOwnerId":
			continue
		}
		if v := m[k]; v != nil && v != false && v != "" {
			parts = append(parts, fmt.Sprintf("%s: %v", k, v))
		}
	}
	return strings.Join(parts, "\r\n")
}

func getRules(ctx context.Context, e *Engine, r *request, rk ruleKind) (adminapi.Result, error) {
	var mb *store.Recipient
	var objs []store.Object
	var err error
	switch {
	case rk.perOwner:
		var owner store.Recipient
		if owner, _, err = e.ruleOwner(ctx, r, rk); err != nil {
			return adminapi.Result{}, err
		}
		mb = &owner
		objs, err = e.rules(ctx, rk, owner.Key)
	default:
		objs, err = e.rules(ctx, rk, 0)
	}
	if err != nil {
		return adminapi.Result{}, err
	}
	if r.has("Identity") {
		_, o, err := e.findRule(ctx, r, rk)
		if err != nil {
			return adminapi.Result{}, err
		}
		return single(ruleRecord(rk, o, mb)), nil
	}
	var f matcher
	if text := r.text("Filter"); text != "" {
		if f, err = opath.Parse(text, opath.GenericSchema()); err != nil {
			return adminapi.Result{}, filterError("Filter", err)
		}
	}
	state := r.text("State")
	var keep []store.Object
	for _, o := range objs {
		m := maps.Clone(rk.defaults)
		maps.Copy(m, o.Props)
		m["Name"] = o.Name
		if state != "" && !strings.EqualFold(propString(m, "State"), state) {
			continue
		}
		if f != nil {
			if ok, err := f.Match(opath.Map(m)); err != nil || !ok {
				continue
			}
		}
		keep = append(keep, o)
	}
	// Pages follow priority order; the cursor counts rules already sent.
	return pageList(r, keep, func(o store.Object) adminapi.Record { return ruleRecord(rk, o, mb) })
}

// reprioritize renumbers rules 0..n-1 in order, moving moved (if any) to
// position at, and writes the priorities that changed.
func (e *Engine) reprioritize(ctx context.Context, rules []store.Object, moved int64, at int64) error {
	order := slices.DeleteFunc(slices.Clone(rules), func(o store.Object) bool { return o.Key == moved })
	if moved != 0 {
		i := int(min(max(at, 0), int64(len(order))))
		idx := slices.IndexFunc(rules, func(o store.Object) bool { return o.Key == moved })
		order = slices.Insert(order, i, rules[idx])
	}
	for i, o := range order {
		if priorityOf(o) == int64(i) {
			continue
		}
		if _, err := e.st.UpdateObject(ctx, o.Key, "", map[string]any{"Priority": int64(i)}); err != nil {
			return fmt.Errorf("reprioritize: %w", err)
		}
	}
	return nil
}

func newRule(ctx context.Context, e *Engine, r *request, rk ruleKind) (adminapi.Result, error) {
	var mb store.Recipient
	var err error
	if rk.perOwner {
		if mb, _, err = e.ruleOwner(ctx, r, rk); err != nil {
			return adminapi.Result{}, err
		}
	}
	name := r.text("Name")
	if _, err := e.st.FindObject(ctx, rk.kind, mb.Key, name); err == nil {
		return adminapi.Result{}, &adminapi.CmdletError{Class: classAlreadyExists, Status: http.StatusBadRequest, Target: name,
			Message: fmt.Sprintf("A %s with the name \"%s\" already exists.", rk.what, name)}
	}
	props, err := e.changes(ctx, r, rk.settings, map[string]any{})
	if err != nil {
		return adminapi.Result{}, err
	}
	if on, ok := r.call.Params["Enabled"].(bool); ok {
		maps.Copy(props, rk.enabled(on))
	}
	if r.call.WhatIf {
		return adminapi.Result{ConfirmationMessage: fmt.Sprintf("Creating %s \"%s\".", rk.what, name)}, nil
	}
	existing, err := e.rules(ctx, rk, mb.Key)
	if err != nil {
		return adminapi.Result{}, err
	}
	at, hasAt := props["Priority"].(int64)
	props["Priority"] = int64(len(existing))
	if rk.perOwner {
		var next int64 = 1
		for _, o := range existing {
			if id, _ := o.Props["RuleIdentity"].(int64); id >= next {
				next = id + 1
			}
		}
		props["RuleIdentity"] = next
	}
	made, err := e.st.NewObjects(ctx, []store.Object{{Kind: rk.kind, OwnerKey: mb.Key, Name: name, Props: props}})
	if err != nil {
		return adminapi.Result{}, fmt.Errorf("create %s: %w", rk.what, err)
	}
	if hasAt {
		if err := e.reprioritize(ctx, append(existing, made[0]), made[0].Key, at); err != nil {
			return adminapi.Result{}, err
		}
		made[0].Props["Priority"] = min(max(at, 0), int64(len(existing)))
	}
	var owner *store.Recipient
	if rk.perOwner {
		owner = &mb
	}
	return single(ruleRecord(rk, made[0], owner)), nil
}

// setRule is Set-, Enable- and Disable-: fixed holds the properties the
// latter two set; nil means the bound parameters.
func setRule(ctx context.Context, e *Engine, r *request, rk ruleKind, fixed map[string]any) (adminapi.Result, error) {
	mb, o, err := e.findRule(ctx, r, rk)
	if err != nil {
		return adminapi.Result{}, err
	}
	cur := maps.Clone(rk.defaults)
	maps.Copy(cur, o.Props)
	upd := fixed
	if upd == nil {
		if upd, err = e.changes(ctx, r, rk.settings, cur); err != nil {
			return adminapi.Result{}, err
		}
	}
	for k, v := range upd {
		if sameValue(cur[k], v) {
			delete(upd, k)
		}
	}
	rename := r.text("Name")
	if rename == o.Name {
		rename = ""
	}
	if r.call.WhatIf {
		return adminapi.Result{ConfirmationMessage: fmt.Sprintf("Setting %s \"%s\".", rk.what, o.Name)}, nil
	}
	if len(upd) == 0 && rename == "" {
		return adminapi.Result{Warnings: []string{noChangeWarning(o.Name)}}, nil
	}
	at, moving := upd["Priority"].(int64)
	delete(upd, "Priority")
	if _, err := e.st.UpdateObject(ctx, o.Key, rename, upd); err != nil {
		return adminapi.Result{}, fmt.Errorf("update %s: %w", rk.what, err)
	}
	if moving {
		all, err := e.rules(ctx, rk, mb.Key)
		if err != nil {
			return adminapi.Result{}, err
		}
		return adminapi.Result{}, e.reprioritize(ctx, all, o.Key, at)
	}
	return adminapi.Result{}, nil
}

func removeRule(ctx context.Context, e *Engine, r *request, rk ruleKind) (adminapi.Result, error) {
	mb, o, err := e.findRule(ctx, r, rk)
	if err != nil {
		return adminapi.Result{}, err
	}
	if r.call.WhatIf {
		return adminapi.Result{ConfirmationMessage: fmt.Sprintf("Removing %s \"%s\".", rk.what, o.Name)}, nil
	}
	if err := e.st.RemoveObject(ctx, o.Key); err != nil {
		return adminapi.Result{}, fmt.Errorf("remove %s: %w", rk.what, err)
	}
	rest, err := e.rules(ctx, rk, mb.Key)
	if err != nil {
		return adminapi.Result{}, err
	}
	return adminapi.Result{}, e.reprioritize(ctx, rest, 0, 0)
}
