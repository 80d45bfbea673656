package cmdlets

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/store"
)

var (
	tnMailboxPermission = []string{
		"Microsoft.Exchange.Management.RecipientTasks.MailboxAcePresentationObject",
		"Microsoft.Exchange.Management.RecipientTasks.AcePresentationObject",
		"Microsoft.Exchange.Data.ConfigurableObject",
		"System.Object",
	}
	tnRecipientPermission = []string{
		"Microsoft.Exchange.Management.RecipientTasks.RecipientPermission",
		"Microsoft.Exchange.Data.ConfigurableObject",
		"System.Object",
	}
	mailboxRights     = []string{"ChangeOwner", "ChangePermission", "DeleteItem", "ExternalAccount", "FullAccess", "ReadPermission"}
	inheritanceTypes  = []string{"None", "All", "Descendents", "SelfAndChildren", "Children"}
	allMailboxKinds   = slices.Concat(mailboxTypes, []string{"GroupMailbox"})
	aceAlreadyPresent = "The appropriate access control entry is already present on object \"%s\" for account \"%s\"."
	aceMissing        = "Can't remove the access control entry on the object \"%s\" for account \"%s\" because the ACE doesn't exist on the object."
)

func permissionCmdlets() []*cmdlet {
	rights := func(mandatory bool) param {
		p := named("AccessRights", adminapi.KindStringArray, "AccessRights")
		if mandatory {
			p = required("AccessRights", adminapi.KindStringArray, "AccessRights")
		}
		return oneOf(p, mailboxRights...)
	}
	sendAs := func(mandatory bool) param {
		p := named("AccessRights", adminapi.KindStringArray)
		if mandatory {
			p = required("AccessRights", adminapi.KindStringArray)
		}
		return oneOf(p, "SendAs")
	}
	return []*cmdlet{
		{
			info: adminapi.CmdletInfo{Name: "Get-MailboxPermission", DefaultParameterSet: "AccessRights", Parameters: []param{
				identityParam(true, true),
				named("Owner", adminapi.KindSwitch, "Owner"),
				resultSizeParam(),
				named("SoftDeletedMailbox", adminapi.KindSwitch, "AccessRights"),
				named("User", adminapi.KindAny, "AccessRights"),
			}},
			endpoints: exchangeEndpoint,
			needs:     readRecipients,
			run:       getMailboxPermission,
		},
		{
			info: adminapi.CmdletInfo{Name: "Add-MailboxPermission", DefaultParameterSet: "AccessRights", SupportsShouldProcess: true,
				ConfirmImpact: adminapi.ConfirmMedium, Parameters: []param{
					identityParam(true, false, "AccessRights"),
					rights(true),
					named("AutoMapping", adminapi.KindBool, "AccessRights"),
					named("Deny", adminapi.KindSwitch, "AccessRights"),
					oneOf(named("InheritanceType", adminapi.KindString, "AccessRights"), inheritanceTypes...),
					required("User", adminapi.KindAny, "AccessRights"),
				}},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run:       addMailboxPermission,
		},
		{
			info: adminapi.CmdletInfo{Name: "Remove-MailboxPermission", DefaultParameterSet: "AccessRights", SupportsShouldProcess: true,
				ConfirmImpact: adminapi.ConfirmHigh, Parameters: []param{
					identityParam(true, false, "AccessRights"),
					rights(true),
					named("Deny", adminapi.KindSwitch, "AccessRights"),
					required("User", adminapi.KindAny, "AccessRights"),
				}},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run:       removeMailboxPermission,
		},
		{
			info: adminapi.CmdletInfo{Name: "Get-RecipientPermission", Parameters: []param{
				identityParam(false, true),
				sendAs(false),
				resultSizeParam(),
				named("Trustee", adminapi.KindAny),
			}},
			endpoints: exchangeEndpoint,
			needs:     readRecipients,
			run:       getRecipientPermission,
		},
		{
			info: adminapi.CmdletInfo{Name: "Add-RecipientPermission", SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmHigh,
				Parameters: []param{identityParam(true, false), sendAs(true), required("Trustee", adminapi.KindAny)}},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run:       addRecipientPermission,
		},
		{
			info: adminapi.CmdletInfo{Name: "Remove-RecipientPermission", SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmHigh,
				Parameters: []param{identityParam(true, false), sendAs(true), required("Trustee", adminapi.KindAny)}},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run:       removeRecipientPermission,
		},
	}
}

// trustee resolves a -User/-Trustee value to the name permission entries
// carry: a well-known principal ("NT AUTHORITY\SELF") as written, else the
// recipient's UPN or primary address.
func (e *Engine) trustee(ctx context.Context, user string) (string, int64, error) {
	if strings.HasPrefix(strings.ToUpper(user), `NT AUTHORITY\`) || strings.EqualFold(user, "Everyone") {
		return user, 0, nil
	}
	rc, err := e.resolve(ctx, user, store.RecipientQuery{})
	if err != nil {
		return "", 0, err
	}
	return trusteeName(&rc), rc.Key, nil
}

func mailboxPermissionRecord(mailbox string, p store.MailboxPermission) adminapi.Record {
	return adminapi.Record{TypeNames: tnMailboxPermission, Properties: []adminapi.Property{
		{Name: "Identity", Value: mailbox},
		{Name: "User", Value: p.User},
		{Name: "AccessRights", Value: p.AccessRights},
		{Name: "IsInherited", Value: p.IsInherited},
		{Name: "Deny", Value: p.Deny},
		{Name: "InheritanceType", Value: p.InheritanceType},
		{Name: "IsValid", Value: true},
		{Name: "ObjectState", Value: "Unchanged"},
	}}
}

// permissionMailboxes selects the mailboxes Get-MailboxPermission sees.
func permissionMailboxes(r *request) store.RecipientQuery {
	q := store.RecipientQuery{Types: allMailboxKinds}
	if r.on("SoftDeletedMailbox") {
		q.Scope = store.ScopeSoftDeleted
	}
	return q
}

func getMailboxPermission(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	mbx, err := e.resolve(ctx, r.text("Identity"), permissionMailboxes(r))
	if err != nil {
		return adminapi.Result{}, err
	}
	if r.on("Owner") {
		// Mailboxes in Exchange Online are owned by the service.
		return single(adminapi.Record{TypeNames: tnMailboxPermission, Properties: []adminapi.Property{
			{Name: "Identity", Value: identityOf(&mbx)}, {Name: "Owner", Value: `NT AUTHORITY\SYSTEM`},
			{Name: "IsValid", Value: true}, {Name: "ObjectState", Value: "Unchanged"},
		}}), nil
	}
	perms, err := e.st.MailboxPermissions(ctx, mbx.Key)
	if err != nil {
		return adminapi.Result{}, fmt.Errorf("permissions of %s: %w", mbx.Name, err)
	}
	if r.has("User") {
		user, _, err := e.trustee(ctx, r.text("User"))
		if err != nil {
			return adminapi.Result{}, err
		}
		perms = slices.DeleteFunc(perms, func(p store.MailboxPermission) bool { return !strings.EqualFold(p.User, user) })
	}
	id := identityOf(&mbx)
	return pageItems(r, perms, func(p store.MailboxPermission) int64 { return p.ID },
		func(p store.MailboxPermission) adminapi.Record { return mailboxPermissionRecord(id, p) })
}

func addMailboxPermission(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	mbx, err := e.resolve(ctx, r.text("Identity"), store.RecipientQuery{Types: allMailboxKinds})
	if err != nil {
		return adminapi.Result{}, err
	}
	user, key, err := e.trustee(ctx, r.text("User"))
	if err != nil {
		return adminapi.Result{}, err
	}
	rights := r.list("AccessRights")
	id := identityOf(&mbx)
	if r.call.WhatIf {
		return adminapi.Result{ConfirmationMessage: fmt.Sprintf("Adding mailbox permission \"%s\" for user \"%s\" on mailbox \"%s\".",
			strings.Join(rights, ", "), user, id)}, nil
	}
	inheritance := r.text("InheritanceType")
	p, err := e.st.AddMailboxPermission(ctx, store.MailboxPermission{MailboxKey: mbx.Key, User: user, TrusteeKey: key,
		AccessRights: rights, Deny: r.on("Deny"), InheritanceType: inheritance})
	res := adminapi.Result{}
	switch {
	case errors.Is(err, store.ErrConflict):
		// Exchange keeps the entry as it was, says so and prints it.
		res.Warnings = []string{fmt.Sprintf(aceAlreadyPresent, id, user)}
	case err != nil:
		return adminapi.Result{}, fmt.Errorf("add permission on %s: %w", mbx.Name, err)
	}
	res.Records = []adminapi.Record{mailboxPermissionRecord(id, p)}
	return res, nil
}

func removeMailboxPermission(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	mbx, err := e.resolve(ctx, r.text("Identity"), store.RecipientQuery{Types: allMailboxKinds})
	if err != nil {
		return adminapi.Result{}, err
	}
	user, _, err := e.trustee(ctx, r.text("User"))
	if err != nil {
		return adminapi.Result{}, err
	}
	rights := r.list("AccessRights")
	id := identityOf(&mbx)
	if r.call.WhatIf {
		return adminapi.Result{ConfirmationMessage: fmt.Sprintf("Removing mailbox permission \"%s\" for user \"%s\" on mailbox \"%s\".",
			strings.Join(rights, ", "), user, id)}, nil
	}
	err = e.st.RemoveMailboxPermission(ctx, mbx.Key, user, rights, r.on("Deny"))
	if errors.Is(err, store.ErrNotFound) {
		return adminapi.Result{}, &adminapi.CmdletError{Class: adminapi.ClassObjectNotFound, Message: fmt.Sprintf(aceMissing, id, user), Target: id}
	}
	if err != nil {
		return adminapi.Result{}, fmt.Errorf("remove permission on %s: %w", mbx.Name, err)
	}
	return adminapi.Result{}, nil
}

func recipientPermissionRecord(recipient string, p store.RecipientPermission) adminapi.Record {
	return adminapi.Record{TypeNames: tnRecipientPermission, Properties: []adminapi.Property{
		{Name: "Identity", Value: recipient},
		{Name: "Trustee", Value: p.Trustee},
		{Name: "AccessControlType", Value: p.AccessControlType},
		{Name: "AccessRights", Value: p.AccessRights},
		{Name: "IsInherited", Value: p.IsInherited},
		{Name: "InheritanceType", Value: p.InheritanceType},
		{Name: "IsValid", Value: true},
		{Name: "ObjectState", Value: "Unchanged"},
	}}
}

// getRecipientPermission lists Send As entries of one recipient, or of
// every recipient. The tenant-wide listing pages by a composite key,
// recipient key in the high half and entry id in the low half, so a page
// may end inside one recipient's entries.
func getRecipientPermission(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	keep := func(p store.RecipientPermission) bool { return true }
	if r.has("Trustee") {
		t, _, err := e.trustee(ctx, r.text("Trustee"))
		if err != nil {
			return adminapi.Result{}, err
		}
		keep = func(p store.RecipientPermission) bool { return strings.EqualFold(p.Trustee, t) }
	}
	if want := r.list("AccessRights"); len(want) > 0 {
		prev := keep
		keep = func(p store.RecipientPermission) bool {
			return prev(p) && slices.ContainsFunc(want, func(w string) bool { return containsFold(p.AccessRights, w) })
		}
	}
	if r.has("Identity") {
		rc, err := e.resolve(ctx, r.text("Identity"), store.RecipientQuery{})
		if err != nil {
			return adminapi.Result{}, err
		}
		perms, err := e.st.RecipientPermissions(ctx, rc.Key)
		if err != nil {
			return adminapi.Result{}, fmt.Errorf("permissions of %s: %w", rc.Name, err)
		}
		id := identityOf(&rc)
		return pageItems(r, slices.DeleteFunc(perms, func(p store.RecipientPermission) bool { return !keep(p) }),
			func(p store.RecipientPermission) int64 { return p.ID },
			func(p store.RecipientPermission) adminapi.Record { return recipientPermissionRecord(id, p) })
	}
	return e.fanOut(ctx, r, store.RecipientQuery{}, func(rc *store.Recipient) ([]keyedRecord, error) {
		perms, err := e.st.RecipientPermissions(ctx, rc.Key)
		if err != nil {
			return nil, fmt.Errorf("permissions of %s: %w", rc.Name, err)
		}
		var out []keyedRecord
		for _, p := range perms {
			if keep(p) {
				out = append(out, keyedRecord{key: p.ID, rec: recipientPermissionRecord(identityOf(rc), p)})
			}
		}
		return out, nil
	})
}

func addRecipientPermission(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	rc, err := e.resolve(ctx, r.text("Identity"), store.RecipientQuery{})
	if err != nil {
		return adminapi.Result{}, err
	}
	t, key, err := e.trustee(ctx, r.text("Trustee"))
	if err != nil {
		return adminapi.Result{}, err
	}
	id := identityOf(&rc)
	if r.call.WhatIf {
		return adminapi.Result{ConfirmationMessage: fmt.Sprintf("Adding recipient permission \"%s\" for trustee \"%s\" on recipient \"%s\".",
			strings.Join(r.list("AccessRights"), ", "), t, id)}, nil
	}
	p, err := e.st.AddRecipientPermission(ctx, store.RecipientPermission{RecipientKey: rc.Key, Trustee: t, TrusteeKey: key,
		AccessRights: r.list("AccessRights")})
	res := adminapi.Result{}
	switch {
	case errors.Is(err, store.ErrConflict):
		res.Warnings = []string{fmt.Sprintf(aceAlreadyPresent, id, t)}
	case err != nil:
		return adminapi.Result{}, fmt.Errorf("add recipient permission on %s: %w", rc.Name, err)
	}
	res.Records = []adminapi.Record{recipientPermissionRecord(id, p)}
	return res, nil
}

func removeRecipientPermission(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	rc, err := e.resolve(ctx, r.text("Identity"), store.RecipientQuery{})
	if err != nil {
		return adminapi.Result{}, err
	}
	t, _, err := e.trustee(ctx, r.text("Trustee"))
	if err != nil {
		return adminapi.Result{}, err
	}
	id := identityOf(&rc)
	if r.call.WhatIf {
		return adminapi.Result{ConfirmationMessage: fmt.Sprintf("Removing recipient permission \"%s\" for trustee \"%s\" on recipient \"%s\".",
			strings.Join(r.list("AccessRights"), ", "), t, id)}, nil
	}
	err = e.st.RemoveRecipientPermission(ctx, rc.Key, t, r.list("AccessRights"))
	if errors.Is(err, store.ErrNotFound) {
		return adminapi.Result{}, &adminapi.CmdletError{Class: adminapi.ClassObjectNotFound, Message: fmt.Sprintf(aceMissing, id, t), Target: id}
	}
	if err != nil {
		return adminapi.Result{}, fmt.Errorf("remove recipient permission on %s: %w", rc.Name, err)
	}
	return adminapi.Result{}, nil
}
