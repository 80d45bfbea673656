package cmdlets

import (
	"context"
	"fmt"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/store"
)

var mobileDeviceView = newView([]string{
	"Microsoft.Exchange.Management.Tasks.MobileDeviceConfiguration",
	"Microsoft.Exchange.Data.ConfigurableObject",
	"System.Object",
}, true, []string{"FirstSyncTime", "LastPolicyUpdateTime", "LastSyncAttemptTime", "LastSuccessSync", "DeviceType",
	"DeviceId", "DeviceUserAgent", "DeviceWipeSentTime", "DeviceWipeRequestTime", "DeviceWipeAckTime",
	"LastPingHeartbeat", "RecoveryPassword", "DeviceModel", "DeviceImei", "DeviceFriendlyName", "DeviceOS",
	"DeviceOSLanguage", "DevicePhoneNumber", "MailboxLogReport", "DeviceEnableOutboundSMS", "DeviceMobileOperator",
	"Identity", "Guid", "IsRemoteWipeSupported", "Status", "StatusNote", "DeviceAccessState",
	"DeviceAccessStateReason", "DeviceAccessControlRule", "DevicePolicyApplied", "DevicePolicyApplicationStatus",
	"LastDeviceWipeRequestor", "ClientVersion", "NumberOfFoldersSynced", "SyncStateUpgradeTime", "ClientType"})

// clientTypes are the ClientType values each protocol switch selects.
var clientTypes = map[string][]string{
	"ActiveSync":       {"EAS"},
	"OWAforDevices":    {"MOWA"},
	"RestApi":          {"REST", "Outlook"},
	"UniversalOutlook": {"UniversalOutlook"},
}

func deviceCmdlets() []*cmdlet {
	params := []param{
		{Name: "Identity", Kind: adminapi.KindAny, Sets: []adminapi.ParameterSetInfo{{Name: "Identity", Mandatory: true,
			Position: 1, ValueFromPipeline: true, ValueFromPipelineByPropertyName: true}}},
		{Name: "Mailbox", Kind: adminapi.KindAny, Sets: []adminapi.ParameterSetInfo{{Name: "Mailbox", Mandatory: true,
			ValueFromPipeline: true, ValueFromPipelineByPropertyName: true}}},
	}
	for _, sw := range []string{"ActiveSync", "OWAforDevices", "RestApi", "UniversalOutlook"} {
		params = append(params, named(sw, adminapi.KindSwitch))
	}
	return []*cmdlet{{
		info:      adminapi.CmdletInfo{Name: "Get-MobileDeviceStatistics", DefaultParameterSet: "Identity", Parameters: params},
		endpoints: exchangeEndpoint,
		needs:     readRecipients,
		run:       getMobileDeviceStatistics,
	}}
}

func getMobileDeviceStatistics(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	var devices []store.MobileDevice
	if r.has("Mailbox") {
		mbx, err := e.resolve(ctx, r.text("Mailbox"), store.RecipientQuery{Types: allMailboxKinds})
		if err != nil {
			return adminapi.Result{}, err
		}
		if devices, err = e.st.MobileDevices(ctx, mbx.Key); err != nil {
			return adminapi.Result{}, fmt.Errorf("devices of %s: %w", mbx.Name, err)
		}
	} else {
		id := r.text("Identity")
		d, err := e.st.FindMobileDevice(ctx, id)
		if err != nil {
			return adminapi.Result{}, e.lookupError(ctx, id, err)
		}
		devices = []store.MobileDevice{d}
	}
	var want []string
	for sw, types := range clientTypes {
		if r.on(sw) {
			want = append(want, types...)
		}
	}
	kept := devices[:0]
	for _, d := range devices {
		if len(want) == 0 || containsFold(want, propString(d.Props, "ClientType")) {
			kept = append(kept, d)
		}
	}
	return pageItems(r, kept, func(d store.MobileDevice) int64 { return d.Key },
		func(d store.MobileDevice) adminapi.Record { return mobileDeviceView.record(d.Props) })
}
