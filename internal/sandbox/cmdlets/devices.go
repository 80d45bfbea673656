package cmdlets

import (
	"context"
	"fmt"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/opath"
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
	// Get-MobileDevice's -Identity is optional: without either, it lists
	// the tenant's devices.
	listParams := append([]param{identityParam(false, true, "Identity"), params[1],
		named("Filter", adminapi.KindString), resultSizeParam()}, params[2:]...)
	return []*cmdlet{{
		info:      adminapi.CmdletInfo{Name: "Get-MobileDeviceStatistics", DefaultParameterSet: "Identity", Parameters: params},
		endpoints: exchangeEndpoint,
		needs:     readRecipients,
		run:       getMobileDeviceStatistics,
	}, {
		info:      adminapi.CmdletInfo{Name: "Get-MobileDevice", DefaultParameterSet: "Identity", Parameters: listParams},
		endpoints: exchangeEndpoint,
		needs:     readRecipients,
		run:       getMobileDevice,
	}}
}

// getMobileDevice is Get-MobileDeviceStatistics's lookup, or with neither
// -Identity nor -Mailbox every device of every mailbox, in mailbox order.
func getMobileDevice(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	if r.has("Identity") || r.has("Mailbox") {
		return getMobileDeviceStatistics(ctx, e, r)
	}
	var f matcher
	if text := r.text("Filter"); text != "" {
		parsed, err := opath.Parse(text, opath.GenericSchema())
		if err != nil {
			return adminapi.Result{}, filterError("Filter", err)
		}
		f = parsed
	}
	return e.fanOut(ctx, r, store.RecipientQuery{Types: allMailboxKinds}, func(rc *store.Recipient) ([]keyedRecord, error) {
		devices, err := e.st.MobileDevices(ctx, rc.Key)
		if err != nil {
			return nil, fmt.Errorf("devices of %s: %w", rc.Name, err)
		}
		var out []keyedRecord
		for i, d := range devices {
			if f != nil {
				if ok, err := f.Match(opath.Map(d.Props)); err != nil || !ok {
					continue
				}
			}
			out = append(out, keyedRecord{key: int64(i + 1), rec: mobileDeviceView.record(d.Props)})
		}
		return out, nil
	})
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
