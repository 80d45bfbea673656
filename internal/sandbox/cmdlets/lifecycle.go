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

// Creating and removing recipients (mailboxes, mail users, contacts) and
// the Get/Set cmdlets of users, contacts and mail users.

const classAlreadyExists = "Microsoft.Exchange.Data.Directory.ADObjectAlreadyExistsException"

var (
	tnMailContact = []string{
		"Microsoft.Exchange.Data.Directory.Management.MailContact",
		"Microsoft.Exchange.Data.Directory.Management.MailEnabledOrgPerson",
		"Microsoft.Exchange.Data.Directory.Management.MailEnabledRecipient",
		"Microsoft.Exchange.Data.Directory.ADPresentationObject",
		"Microsoft.Exchange.Data.ConfigurableObject",
		"System.Object",
	}
	tnMailUser = []string{
		"Microsoft.Exchange.Data.Directory.Management.MailUser",
		"Microsoft.Exchange.Data.Directory.Management.MailEnabledOrgPerson",
		"Microsoft.Exchange.Data.Directory.Management.MailEnabledRecipient",
		"Microsoft.Exchange.Data.Directory.ADPresentationObject",
		"Microsoft.Exchange.Data.ConfigurableObject",
		"System.Object",
	}
	mailContactView = newView(tnMailContact, true, strings.Fields(`Name DisplayName Alias ExternalEmailAddress
		PrimarySmtpAddress EmailAddresses RecipientType RecipientTypeDetails HiddenFromAddressListsEnabled Identity Guid`))
	mailUserView = newView(tnMailUser, true, strings.Fields(`Name DisplayName Alias ExternalEmailAddress
		PrimarySmtpAddress UserPrincipalName MicrosoftOnlineServicesID EmailAddresses RecipientType RecipientTypeDetails
		HiddenFromAddressListsEnabled Identity Guid ExternalDirectoryObjectId`))
	mailUserTypes = []string{"MailUser", "GuestMailUser"}
)

func lifecycleCmdlets() []*cmdlet {
	newRecipientParams := func(extra ...param) []param {
		return append([]param{
			{Name: "Name", Kind: adminapi.KindString, NotNullOrEmpty: true, Sets: []adminapi.ParameterSetInfo{{Mandatory: true, Position: 1}}},
			named("Alias", adminapi.KindString), named("DisplayName", adminapi.KindString),
			named("FirstName", adminapi.KindString), named("LastName", adminapi.KindString),
			named("Initials", adminapi.KindString), named("PrimarySmtpAddress", adminapi.KindAny),
		}, extra...)
	}
	userSettings := userSettings()
	return []*cmdlet{
		{
			info: adminapi.CmdletInfo{Name: "New-Mailbox", DefaultParameterSet: "User", SupportsShouldProcess: true,
				ConfirmImpact: adminapi.ConfirmMedium, Parameters: newRecipientParams(
					named("MicrosoftOnlineServicesID", adminapi.KindAny, "User"),
					param{Name: "Password", Kind: adminapi.KindSecureString, Sets: []adminapi.ParameterSetInfo{{Name: "User"}}},
					named("ResetPasswordOnNextLogon", adminapi.KindBool, "User"),
					required("Shared", adminapi.KindSwitch, "Shared"),
					required("Room", adminapi.KindSwitch, "Room"),
					required("Equipment", adminapi.KindSwitch, "Equipment"),
					named("ResourceCapacity", adminapi.KindInt, "Room", "Equipment"),
					named("Office", adminapi.KindString), named("Phone", adminapi.KindString),
				)},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run:       newMailbox,
		},
		{
			info: adminapi.CmdletInfo{Name: "Remove-Mailbox", DefaultParameterSet: "Identity", SupportsShouldProcess: true,
				ConfirmImpact: adminapi.ConfirmHigh, Parameters: []param{
					identityParam(true, false, "Identity"),
					named("PermanentlyDelete", adminapi.KindSwitch),
					named("Force", adminapi.KindSwitch),
				}},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				return removeRecipient(ctx, e, r, mailboxTypes, "Removing mailbox", r.on("PermanentlyDelete"))
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "Set-User", SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmMedium,
				Parameters: append([]param{identityParam(true, false)}, settingParams(userSettings)...)},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				return setRecipient(ctx, e, r, userTypes, userSettings, "Setting user")
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "Get-MailContact", DefaultParameterSet: "Identity", Parameters: []param{
				identityParam(false, true, "Identity"), named("Anr", adminapi.KindString, "AnrSet"),
				named("Filter", adminapi.KindString), resultSizeParam(),
			}},
			endpoints: exchangeEndpoint,
			needs:     readRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				schema, _ := opath.CmdletSchema("Get-MailContact")
				return e.getRecipients(ctx, r, store.RecipientQuery{Types: []string{"MailContact"}}, orGeneric(schema), mailContactView)
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "New-MailContact", SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmMedium,
				Parameters: newRecipientParams(required("ExternalEmailAddress", adminapi.KindAny))},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				return newExternalRecipient(ctx, e, r, "MailContact", mailContactView)
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "Set-MailContact", SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmMedium,
				Parameters: append([]param{identityParam(true, false)}, settingParams(externalSettings())...)},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				return setRecipient(ctx, e, r, []string{"MailContact"}, externalSettings(), "Setting mail contact")
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "Remove-MailContact", SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmHigh,
				Parameters: []param{identityParam(true, false)}},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				return removeRecipient(ctx, e, r, []string{"MailContact"}, "Removing mail contact", true)
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "Get-MailUser", DefaultParameterSet: "Identity", Parameters: []param{
				identityParam(false, true, "Identity"), named("Anr", adminapi.KindString, "AnrSet"),
				named("Filter", adminapi.KindString), named("SoftDeletedMailUser", adminapi.KindSwitch), resultSizeParam(),
			}},
			endpoints: exchangeEndpoint,
			needs:     readRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				q := store.RecipientQuery{Types: mailUserTypes}
				if r.on("SoftDeletedMailUser") {
					q.Scope = store.ScopeSoftDeleted
				}
				schema, _ := opath.CmdletSchema("Get-MailUser")
				return e.getRecipients(ctx, r, q, orGeneric(schema), mailUserView)
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "New-MailUser", SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmMedium,
				Parameters: newRecipientParams(
					required("ExternalEmailAddress", adminapi.KindAny),
					named("MicrosoftOnlineServicesID", adminapi.KindAny),
					named("Password", adminapi.KindSecureString),
				)},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				return newExternalRecipient(ctx, e, r, "MailUser", mailUserView)
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "Set-MailUser", SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmMedium,
				Parameters: append([]param{identityParam(true, false)}, settingParams(externalSettings())...)},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				return setRecipient(ctx, e, r, mailUserTypes, externalSettings(), "Setting mail user")
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "Remove-MailUser", SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmHigh,
				Parameters: []param{identityParam(true, false), named("PermanentlyDelete", adminapi.KindSwitch)}},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				return removeRecipient(ctx, e, r, mailUserTypes, "Removing mail user", r.on("PermanentlyDelete"))
			},
		},
	}
}

// orGeneric falls back to the schema of every filterable property for
// cmdlets whose own list isn't modelled.
func orGeneric(s *opath.Schema) *opath.Schema {
	if s == nil {
		return opath.GenericSchema()
	}
	return s
}

// userSettings are the Set-User parameters the sandbox implements.
func userSettings() []setting {
	s := []setting{
		{param: named("Manager", adminapi.KindAny), value: recipientRefValue},
		{param: param{Name: "DisplayName", Kind: adminapi.KindString, NotNullOrEmpty: true}},
		{param: named("VIP", adminapi.KindBool), prop: "IsVIP"},
	}
	for _, n := range strings.Fields(`AssistantName City Company CountryOrRegion Department Fax FirstName HomePhone
		Initials LastName MobilePhone Notes Office OtherFax OtherHomePhone OtherTelephone Pager Phone PostalCode
		SimpleDisplayName StateOrProvince StreetAddress Title WebPage`) {
		s = append(s, stringSetting(n))
	}
	return s
}

// externalSettings are the Set-MailContact and Set-MailUser parameters.
func externalSettings() []setting {
	s := []setting{
		{param: param{Name: "DisplayName", Kind: adminapi.KindString, NotNullOrEmpty: true}},
		stringSetting("Alias"),
		{param: named("EmailAddresses", adminapi.KindMultiValued), value: emailAddressesValue},
		{param: named("ExternalEmailAddress", adminapi.KindAny), value: smtpAddressValue},
		boolSetting("HiddenFromAddressListsEnabled"),
		{param: named("PrimarySmtpAddress", adminapi.KindAny), value: plainAddressValue},
	}
	for _, n := range numbered("CustomAttribute", 15) {
		s = append(s, stringSetting(n))
	}
	return s
}

// setRecipient is a Set-* cmdlet over the recipients of the given kinds.
func setRecipient(ctx context.Context, e *Engine, r *request, types []string, settings []setting, what string) (adminapi.Result, error) {
	rc, err := e.resolve(ctx, r.text("Identity"), store.RecipientQuery{Types: types})
	if err != nil {
		return adminapi.Result{}, err
	}
	upd, err := e.changes(ctx, r, settings, rc.Props)
	if err != nil {
		return adminapi.Result{}, err
	}
	return e.applyRecipientChanges(ctx, r, &rc, upd, what)
}

// removeRecipient is a Remove-* cmdlet: mailboxes and mail users are
// soft-deleted unless permanent, contacts and groups are deleted.
func removeRecipient(ctx context.Context, e *Engine, r *request, types []string, what string, permanent bool) (adminapi.Result, error) {
	rc, err := e.resolve(ctx, r.text("Identity"), store.RecipientQuery{Types: types})
	if err != nil {
		return adminapi.Result{}, err
	}
	if r.call.WhatIf {
		return adminapi.Result{ConfirmationMessage: fmt.Sprintf("%s \"%s\".", what, identityOf(&rc))}, nil
	}
	if err := e.st.RemoveRecipient(ctx, rc.Key, permanent); err != nil {
		return adminapi.Result{}, fmt.Errorf("remove %s: %w", rc.Name, err)
	}
	return adminapi.Result{}, nil
}

// newRecipientProps collects what every New-* cmdlet sets.
func newRecipientProps(ctx context.Context, e *Engine, r *request, kind string) (map[string]any, error) {
	props := map[string]any{"Name": r.text("Name"), "RecipientTypeDetails": kind}
	for _, n := range []string{"Alias", "DisplayName", "FirstName", "LastName", "Initials", "Office", "Phone"} {
		if s := r.text(n); s != "" {
			props[n] = s
		}
	}
	if r.has("PrimarySmtpAddress") {
		a, err := plainAddressValue(ctx, e, r.call.Params["PrimarySmtpAddress"], nil)
		if err != nil {
			return nil, err
		}
		props["PrimarySmtpAddress"] = a
	}
	return props, nil
}

// create stores a new recipient or explains why not.
func (e *Engine) create(ctx context.Context, r *request, props map[string]any, what string, v *view) (adminapi.Result, error) {
	name := propString(props, "Name")
	if r.call.WhatIf {
		return adminapi.Result{ConfirmationMessage: fmt.Sprintf("%s \"%s\".", what, name)}, nil
	}
	rc, err := e.st.NewRecipient(ctx, props)
	switch {
	case errors.Is(err, store.ErrConflict):
		return adminapi.Result{}, &adminapi.CmdletError{Class: classAlreadyExists, Status: http.StatusBadRequest, Target: name,
			Message: fmt.Sprintf("The name \"%s\" or an address of it is already being used. Please use another name or address.", name)}
	case errors.Is(err, store.ErrInvalid):
		return adminapi.Result{}, validationError("%v", err)
	case err != nil:
		return adminapi.Result{}, fmt.Errorf("create %s: %w", name, err)
	}
	return single(v.record(rc.Props)), nil
}

func newMailbox(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	kind := "UserMailbox"
	switch {
	case r.on("Shared"):
		kind = "SharedMailbox"
	case r.on("Room"):
		kind = "RoomMailbox"
	case r.on("Equipment"):
		kind = "EquipmentMailbox"
	}
	props, err := newRecipientProps(ctx, e, r, kind)
	if err != nil {
		return adminapi.Result{}, err
	}
	if id := r.text("MicrosoftOnlineServicesID"); id != "" {
		if !strings.Contains(id, "@") {
			return adminapi.Result{}, validationError("\"%s\" isn't a valid Microsoft Online Services ID.", id)
		}
		props["UserPrincipalName"], props["MicrosoftOnlineServicesID"] = id, id
		if !r.has("PrimarySmtpAddress") {
			props["PrimarySmtpAddress"] = id
		}
	}
	if n, ok := r.call.Params["ResourceCapacity"].(int64); ok {
		props["ResourceCapacity"] = n
	}
	return e.create(ctx, r, props, "Creating mailbox", mailboxView)
}

// newExternalRecipient is New-MailContact and New-MailUser.
func newExternalRecipient(ctx context.Context, e *Engine, r *request, kind string, v *view) (adminapi.Result, error) {
	props, err := newRecipientProps(ctx, e, r, kind)
	if err != nil {
		return adminapi.Result{}, err
	}
	ext, err := smtpAddressValue(ctx, e, r.call.Params["ExternalEmailAddress"], nil)
	if err != nil {
		return adminapi.Result{}, err
	}
	props["ExternalEmailAddress"] = strings.Replace(fmt.Sprint(ext), "smtp:", "SMTP:", 1)
	if kind == "MailContact" {
		_, addr := splitProxy(textOf(r.call.Params["ExternalEmailAddress"]))
		if !r.has("PrimarySmtpAddress") {
			props["PrimarySmtpAddress"] = addr
		}
	}
	if id := r.text("MicrosoftOnlineServicesID"); id != "" {
		props["UserPrincipalName"], props["MicrosoftOnlineServicesID"] = id, id
	}
	what := "Creating mail contact"
	if kind != "MailContact" {
		what = "Creating mail user"
	}
	return e.create(ctx, r, props, what, v)
}
