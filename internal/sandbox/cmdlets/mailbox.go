package cmdlets

import (
	"context"
	"slices"
	"strings"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/opath"
	"github.com/openexo/exo/internal/sandbox/store"
)

func mailboxCmdlets() []*cmdlet {
	return []*cmdlet{
		{
			info: adminapi.CmdletInfo{Name: "Get-Mailbox", DefaultParameterSet: "Identity", Parameters: []param{
				identityParam(false, true, "Identity"),
				named("Anr", adminapi.KindString, "AnrSet"),
				named("Archive", adminapi.KindSwitch),
				named("Filter", adminapi.KindString),
				named("GroupMailbox", adminapi.KindSwitch),
				named("InactiveMailboxOnly", adminapi.KindSwitch, "AnrSet", "Identity"),
				named("IncludeInactiveMailbox", adminapi.KindSwitch, "AnrSet", "Identity"),
				oneOf(named("RecipientTypeDetails", adminapi.KindStringArray), slices.Concat(mailboxTypes, []string{"GroupMailbox"})...),
				resultSizeParam(),
				named("SoftDeletedMailbox", adminapi.KindSwitch, "AnrSet", "Identity"),
			}},
			endpoints: exchangeEndpoint,
			needs:     readRecipients,
			run:       getMailbox,
		},
		{
			info: adminapi.CmdletInfo{Name: "Set-Mailbox", DefaultParameterSet: "Identity", SupportsShouldProcess: true,
				ConfirmImpact: adminapi.ConfirmMedium,
				Parameters:    append([]param{identityParam(true, false)}, settingParams(mailboxSettings())...)},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run:       setMailbox,
		},
	}
}

// mailboxScope maps the lifecycle switches of the mailbox cmdlets.
func mailboxScope(r *request) store.Scope {
	switch {
	case r.on("SoftDeletedMailbox"):
		return store.ScopeSoftDeleted
	case r.on("InactiveMailboxOnly"):
		return store.ScopeInactiveOnly
	case r.on("IncludeInactiveMailbox"):
		return store.ScopeActiveAndInactive
	}
	return store.ScopeActive
}

// mailboxQuery selects the mailboxes a mailbox cmdlet sees: every mailbox
// kind but Microsoft 365 group mailboxes, unless -GroupMailbox or
// -RecipientTypeDetails says otherwise.
func mailboxQuery(r *request) store.RecipientQuery {
	types := r.list("RecipientTypeDetails")
	switch {
	case r.on("GroupMailbox"):
		types = []string{"GroupMailbox"}
	case len(types) == 0:
		types = mailboxTypes
	}
	return store.RecipientQuery{Types: types, Scope: mailboxScope(r)}
}

func getMailbox(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	l, err := e.recipientListing(ctx, r, mailboxQuery(r), opath.MailboxSchema(), mailboxView)
	if err != nil {
		return adminapi.Result{}, err
	}
	return e.getListing(ctx, r, archiveOnly(r, l))
}

// archiveOnly applies -Archive: only mailboxes with an archive.
func archiveOnly(r *request, l recipientList) recipientList {
	if r.on("Archive") {
		l.match = and(l.match, func(rc *store.Recipient) (bool, error) { return hasArchive(rc), nil })
	}
	return l
}

// mailboxSettings are the Set-Mailbox parameters the sandbox implements.
func mailboxSettings() []setting {
	s := []setting{
		{param: named("AccountDisabled", adminapi.KindBool)},
		stringSetting("Alias"),
		multiSetting("AuditAdmin"), multiSetting("AuditDelegate"), boolSetting("AuditEnabled"), multiSetting("AuditOwner"),
		boolSetting("DeliverToMailboxAndForward"),
		{param: param{Name: "DisplayName", Kind: adminapi.KindString, NotNullOrEmpty: true}},
		{param: named("EmailAddresses", adminapi.KindMultiValued), value: emailAddressesValue},
		{param: named("ForwardingAddress", adminapi.KindAny), value: recipientRefValue},
		{param: named("ForwardingSmtpAddress", adminapi.KindAny), value: smtpAddressValue},
		{param: named("GrantSendOnBehalfTo", adminapi.KindMultiValued), value: recipientListValue("GrantSendOnBehalfTo")},
		boolSetting("HiddenFromAddressListsEnabled"),
		quotaSetting("IssueWarningQuota"),
		{param: named("LitigationHoldDate", adminapi.KindDateTime)},
		{param: named("LitigationHoldDuration", adminapi.KindAny), value: holdDurationValue},
		boolSetting("LitigationHoldEnabled"),
		stringSetting("LitigationHoldOwner"),
		quotaSetting("MaxReceiveSize"), quotaSetting("MaxSendSize"),
		boolSetting("MessageCopyForSendOnBehalfEnabled"), boolSetting("MessageCopyForSentAsEnabled"),
		{param: param{Name: "Name", Kind: adminapi.KindString, NotNullOrEmpty: true}},
		stringSetting("Office"),
		{param: named("PrimarySmtpAddress", adminapi.KindAny), value: plainAddressValue},
		quotaSetting("ProhibitSendQuota"), quotaSetting("ProhibitSendReceiveQuota"),
		quotaSetting("RecoverableItemsQuota"), quotaSetting("RecoverableItemsWarningQuota"),
		timeSpanSetting("RetainDeletedItemsFor"),
		boolSetting("RetentionHoldEnabled"),
		{param: named("RetentionPolicy", adminapi.KindAny), value: textValue},
		boolSetting("SingleItemRecoveryEnabled"),
		{param: oneOf(named("Type", adminapi.KindString), "Regular", "Room", "Equipment", "Shared"),
			prop: "RecipientTypeDetails", value: mailboxTypeValue},
		{param: named("WindowsEmailAddress", adminapi.KindAny), value: plainAddressValue},
	}
	for _, n := range numbered("CustomAttribute", 15) {
		s = append(s, stringSetting(n))
	}
	for _, n := range numbered("ExtensionCustomAttribute", 5) {
		s = append(s, multiSetting(n))
	}
	return s
}

func setMailbox(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	rc, err := e.resolve(ctx, r.text("Identity"), store.RecipientQuery{Types: slices.Concat(mailboxTypes, []string{"GroupMailbox"})})
	if err != nil {
		return adminapi.Result{}, err
	}
	upd, err := e.changes(ctx, r, mailboxSettings(), rc.Props)
	if err != nil {
		return adminapi.Result{}, err
	}
	return e.applyRecipientChanges(ctx, r, &rc, upd, "Setting mailbox")
}

// emailAddressesValue applies EmailAddresses: proxies compare without
// regard to case, except that "SMTP:" marks the primary address.
func emailAddressesValue(_ context.Context, _ *Engine, v any, cur map[string]any) (any, error) {
	out := applyMulti(propStrings(cur, "EmailAddresses"), v, sameProxy)
	for i, a := range out {
		if !strings.Contains(a, ":") {
			out[i] = "smtp:" + a // a bare address is a secondary SMTP proxy
		}
	}
	return out, nil
}

// sameProxy compares proxy addresses by type and address; a bare address
// is an SMTP one.
func sameProxy(a, b string) bool {
	pa, aa := splitProxy(a)
	pb, ab := splitProxy(b)
	return strings.EqualFold(pa, pb) && strings.EqualFold(aa, ab)
}

func splitProxy(a string) (prefix, addr string) {
	if p, rest, ok := strings.Cut(a, ":"); ok && !strings.ContainsAny(p, "@/") {
		return p, rest
	}
	return "smtp", a
}

// recipientRefValue stores a reference to another recipient by its name,
// as Exchange prints ForwardingAddress.
func recipientRefValue(ctx context.Context, e *Engine, v any, _ map[string]any) (any, error) {
	id := textOf(v)
	if id == "" {
		return nil, nil
	}
	rc, err := e.resolve(ctx, id, store.RecipientQuery{})
	if err != nil {
		return nil, err
	}
	return identityOf(&rc), nil
}

// smtpAddressValue is a ProxyAddress such as ForwardingSmtpAddress:
// Exchange prints it with its "smtp:" prefix.
func smtpAddressValue(_ context.Context, _ *Engine, v any, _ map[string]any) (any, error) {
	a := textOf(v)
	if a == "" {
		return nil, nil
	}
	p, addr := splitProxy(a)
	if !strings.Contains(addr, "@") {
		return nil, validationError("\"%s\" isn't a valid SMTP address.", a)
	}
	return strings.ToLower(p) + ":" + addr, nil
}

func plainAddressValue(_ context.Context, _ *Engine, v any, _ map[string]any) (any, error) {
	_, addr := splitProxy(textOf(v))
	if !strings.Contains(addr, "@") {
		return nil, validationError("\"%s\" isn't a valid SMTP address.", textOf(v))
	}
	return addr, nil
}

func textValue(_ context.Context, _ *Engine, v any, _ map[string]any) (any, error) {
	return textOf(v), nil
}

func holdDurationValue(_ context.Context, _ *Engine, v any, _ map[string]any) (any, error) {
	s := textOf(v)
	if strings.EqualFold(s, "Unlimited") {
		return "Unlimited", nil
	}
	d, err := parseTimeSpan(s)
	if err != nil {
		return nil, validationError("Cannot convert value \"%s\" of parameter LitigationHoldDuration to type Unlimited<EnhancedTimeSpan>.", s)
	}
	return store.FormatTimeSpan(d), nil
}

// mailboxTypeValue converts a mailbox between regular, shared and resource.
func mailboxTypeValue(_ context.Context, _ *Engine, v any, _ map[string]any) (any, error) {
	switch textOf(v) {
	case "Room":
		return "RoomMailbox", nil
	case "Equipment":
		return "EquipmentMailbox", nil
	case "Shared":
		return "SharedMailbox", nil
	}
	return "UserMailbox", nil
}
