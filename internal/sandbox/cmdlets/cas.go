package cmdlets

import (
	"context"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/opath"
	"github.com/openexo/exo/internal/sandbox/store"
)

// Get-CASMailbox and Set-CASMailbox: the client access settings of
// mailboxes, which the store keeps in the mailbox's bag.
func casCmdlets() []*cmdlet {
	return []*cmdlet{
		{
			info: adminapi.CmdletInfo{Name: "Get-CASMailbox", DefaultParameterSet: "Identity", Parameters: []param{
				identityParam(false, true, "Identity"),
				named("Anr", adminapi.KindString, "AnrSet"),
				named("Filter", adminapi.KindString),
				oneOf(named("RecipientTypeDetails", adminapi.KindStringArray), mailboxTypes...),
				resultSizeParam(),
			}},
			endpoints: exchangeEndpoint,
			needs:     readRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				schema, _ := opath.CmdletSchema("Get-CASMailbox")
				return e.getRecipients(ctx, r, mailboxQuery(r), schema, casMailboxView)
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "Set-CASMailbox", SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmMedium,
				Parameters: append([]param{identityParam(true, false)}, settingParams(casSettings())...)},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				rc, err := e.resolve(ctx, r.text("Identity"), store.RecipientQuery{Types: mailboxTypes})
				if err != nil {
					return adminapi.Result{}, err
				}
				upd, err := e.changes(ctx, r, casSettings(), rc.Props)
				if err != nil {
					return adminapi.Result{}, err
				}
				return e.applyRecipientChanges(ctx, r, &rc, upd, "Setting CAS mailbox")
			},
		},
	}
}

func casSettings() []setting {
	mime := func(name string) setting {
		return setting{param: oneOf(named(name, adminapi.KindString), "TextOnly", "HtmlOnly", "HtmlAndTextAlternative",
			"TextEnrichedOnly", "TextEnrichedAndTextAlternative", "BestBodyFormat", "Tnef")}
	}
	return []setting{
		multiSetting("ActiveSyncAllowedDeviceIDs"), multiSetting("ActiveSyncBlockedDeviceIDs"),
		boolSetting("ActiveSyncDebugLogging"), boolSetting("ActiveSyncEnabled"),
		{param: named("ActiveSyncMailboxPolicy", adminapi.KindAny), value: textValue},
		boolSetting("ActiveSyncSuppressReadReceipt"),
		boolSetting("EwsAllowEntourage"), multiSetting("EwsAllowList"), boolSetting("EwsAllowMacOutlook"),
		boolSetting("EwsAllowOutlook"),
		{param: oneOf(named("EwsApplicationAccessPolicy", adminapi.KindString), "EnforceAllowList", "EnforceBlockList")},
		multiSetting("EwsBlockList"), boolSetting("EwsEnabled"),
		boolSetting("ImapEnabled"), boolSetting("ImapForceICalForCalendarRetrievalOption"),
		mime("ImapMessagesRetrievalMimeFormat"), boolSetting("ImapSuppressReadReceipt"), boolSetting("ImapUseProtocolDefaults"),
		boolSetting("IsOptimizedForAccessibility"), boolSetting("MacOutlookEnabled"), boolSetting("MAPIEnabled"),
		boolSetting("OneWinNativeOutlookEnabled"), boolSetting("OutlookMobileEnabled"), boolSetting("OWAEnabled"),
		boolSetting("OWAforDevicesEnabled"),
		{param: named("OwaMailboxPolicy", adminapi.KindAny), value: textValue},
		boolSetting("PopEnabled"), boolSetting("PopForceICalForCalendarRetrievalOption"),
		mime("PopMessagesRetrievalMimeFormat"), boolSetting("PopSuppressReadReceipt"), boolSetting("PopUseProtocolDefaults"),
		boolSetting("PublicFolderClientAccess"), boolSetting("ShowGalAsDefaultView"),
		boolSetting("SmtpClientAuthenticationDisabled"), boolSetting("UniversalOutlookEnabled"),
	}
}
