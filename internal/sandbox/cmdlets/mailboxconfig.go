package cmdlets

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/store"
)

// Per-mailbox configuration objects (auto-reply, regional settings,
// calendar processing): each lives in the mailbox's bag under its own key,
// holding only what was set; reads lay it over the service's defaults.

type mailboxConfig struct {
	noun     string // e.g. MailboxAutoReplyConfiguration
	what     string // for the confirmation message
	defaults func(rc *store.Recipient) map[string]any
	settings []setting
	check    func(merged map[string]any) error // validates a merged result; nil accepts all
	view     *view
}

func configTypeNames(noun string) []string {
	return []string{"Microsoft.Exchange.Data.Storage.Management." + noun, "Microsoft.Exchange.Data.ConfigurableObject", "System.Object"}
}

func mailboxConfigs() []mailboxConfig {
	autoReply := []setting{
		boolSetting("AutoDeclineFutureRequestsWhenOOF"),
		{param: oneOf(named("AutoReplyState", adminapi.KindString), "Disabled", "Enabled", "Scheduled")},
		boolSetting("CreateOOFEvent"), boolSetting("DeclineAllEventsForScheduledOOF"), boolSetting("DeclineEventsForScheduledOOF"),
		stringSetting("DeclineMeetingMessage"),
		{param: named("EndTime", adminapi.KindDateTime)},
		{param: named("EventsToDeleteIDs", adminapi.KindStringArray)},
		{param: oneOf(named("ExternalAudience", adminapi.KindString), "None", "Known", "All")},
		stringSetting("ExternalMessage"), stringSetting("InternalMessage"), stringSetting("OOFEventSubject"),
		{param: named("StartTime", adminapi.KindDateTime)},
	}
	regional := []setting{
		stringSetting("DateFormat"), stringSetting("Language"), stringSetting("TimeFormat"), stringSetting("TimeZone"),
	}
	calendar := []setting{
		{param: oneOf(named("AutomateProcessing", adminapi.KindString), "None", "AutoUpdate", "AutoAccept")},
		stringSetting("AdditionalResponse"),
		{param: param{Name: "BookingWindowInDays", Kind: adminapi.KindInt, Range: &adminapi.IntRange{Min: 0, Max: 1080}}},
		{param: param{Name: "MaximumDurationInMinutes", Kind: adminapi.KindInt, Range: &adminapi.IntRange{Min: 0, Max: 2147483647}}},
		{param: param{Name: "MinimumDurationInMinutes", Kind: adminapi.KindInt, Range: &adminapi.IntRange{Min: 0, Max: 2147483647}}},
		{param: param{Name: "MaximumConflictInstances", Kind: adminapi.KindInt, Range: &adminapi.IntRange{Min: 0, Max: 2147483647}}},
		{param: param{Name: "ConflictPercentageAllowed", Kind: adminapi.KindInt, Range: &adminapi.IntRange{Min: 0, Max: 100}}},
		{param: named("ResourceDelegates", adminapi.KindMultiValued), value: recipientListValue("ResourceDelegates")},
		{param: named("BookInPolicy", adminapi.KindMultiValued), value: recipientListValue("BookInPolicy")},
		{param: named("RequestInPolicy", adminapi.KindMultiValued), value: recipientListValue("RequestInPolicy")},
		{param: named("RequestOutOfPolicy", adminapi.KindMultiValued), value: recipientListValue("RequestOutOfPolicy")},
	}
	for _, n := range calendarFlags {
		calendar = append(calendar, boolSetting(n))
	}
	return []mailboxConfig{
		{
			noun: "MailboxAutoReplyConfiguration", what: "Setting automatic replies of mailbox", settings: autoReply,
			defaults: func(*store.Recipient) map[string]any {
				return map[string]any{"AutoDeclineFutureRequestsWhenOOF": false, "AutoReplyState": "Disabled", "CreateOOFEvent": false,
					"DeclineAllEventsForScheduledOOF": false, "DeclineEventsForScheduledOOF": false, "DeclineMeetingMessage": nil,
					"EndTime": nil, "EventsToDeleteIDs": nil, "ExternalAudience": "All", "ExternalMessage": nil, "InternalMessage": nil,
					"OOFEventSubject": nil, "StartTime": nil}
			},
			check: func(m map[string]any) error {
				if m["AutoReplyState"] != "Scheduled" {
					return nil
				}
				start, _ := time.Parse(storeTime, propString(m, "StartTime"))
				end, _ := time.Parse(storeTime, propString(m, "EndTime"))
				if start.IsZero() || end.IsZero() || !end.After(start) {
					return validationError("The EndTime must be later than the StartTime for scheduled automatic replies.")
				}
				return nil
			},
			view: newView(configTypeNames("MailboxAutoReplyConfiguration"), false, strings.Fields(`AutoDeclineFutureRequestsWhenOOF
				AutoReplyState CreateOOFEvent DeclineAllEventsForScheduledOOF DeclineEventsForScheduledOOF DeclineMeetingMessage
				EndTime EventsToDeleteIDs ExternalAudience ExternalMessage InternalMessage OOFEventSubject StartTime
				MailboxOwnerId Identity IsValid ObjectState`)),
		},
		{
			noun: "MailboxRegionalConfiguration", what: "Setting regional configuration of mailbox", settings: regional,
			defaults: func(rc *store.Recipient) map[string]any {
				lang := "en-US"
				if l := propStrings(rc.Props, "Languages"); len(l) > 0 {
					lang = l[0]
				}
				return map[string]any{"DateFormat": "M/d/yyyy", "Language": lang, "DefaultFolderNameMatchingUserLanguage": true,
					"TimeFormat": "h:mm tt", "TimeZone": "Pacific Standard Time"}
			},
			view: newView(configTypeNames("MailboxRegionalConfiguration"), false, strings.Fields(`DateFormat Language
				DefaultFolderNameMatchingUserLanguage TimeFormat TimeZone MailboxOwnerId Identity IsValid ObjectState`)),
		},
		{
			noun: "CalendarProcessing", what: "Setting calendar processing of mailbox", settings: calendar,
			defaults: func(rc *store.Recipient) map[string]any {
				m := map[string]any{"AutomateProcessing": "AutoUpdate", "AdditionalResponse": nil, "BookingWindowInDays": int64(180),
					"MaximumDurationInMinutes": int64(1440), "MinimumDurationInMinutes": int64(0), "MaximumConflictInstances": int64(0),
					"ConflictPercentageAllowed": int64(0), "ResourceDelegates": []any{}, "BookInPolicy": []any{},
					"RequestInPolicy": []any{}, "RequestOutOfPolicy": []any{}}
				for _, n := range calendarFlags {
					m[n] = calendarFlagDefaults[n]
				}
				if rc.RecipientTypeDetails == "RoomMailbox" || rc.RecipientTypeDetails == "EquipmentMailbox" {
					m["AutomateProcessing"] = "AutoAccept"
				}
				return m
			},
			view: newView(configTypeNames("CalendarConfiguration"), false, append(append(strings.Fields(`AutomateProcessing
				AdditionalResponse BookingWindowInDays MaximumDurationInMinutes MinimumDurationInMinutes MaximumConflictInstances
				ConflictPercentageAllowed ResourceDelegates BookInPolicy RequestInPolicy RequestOutOfPolicy`), calendarFlags...),
				"MailboxOwnerId", "Identity", "IsValid", "ObjectState")),
		},
	}
}

// calendarFlags are the Boolean settings of Set-CalendarProcessing.
var (
	calendarFlags = strings.Fields(`AddAdditionalResponse AddNewRequestsTentatively AddOrganizerToSubject AllBookInPolicy
		AllowConflicts AllowRecurringMeetings AllRequestInPolicy AllRequestOutOfPolicy DeleteAttachments DeleteComments
		DeleteNonCalendarItems DeleteSubject EnableResponseDetails EnforceCapacity EnforceSchedulingHorizon
		ForwardRequestsToDelegates OrganizerInfo ProcessExternalMeetingMessages RemoveCanceledMeetings
		RemoveForwardedMeetingNotifications RemoveOldMeetingMessages RemovePrivateProperty ScheduleOnlyDuringWorkHours
		TentativePendingApproval`)
	calendarFlagDefaults = map[string]bool{ // the rest default to false
		"AddNewRequestsTentatively": true, "AddOrganizerToSubject": true, "AllBookInPolicy": true,
		"AllowRecurringMeetings": true, "DeleteAttachments": true, "DeleteComments": true, "DeleteNonCalendarItems": true,
		"DeleteSubject": true, "EnableResponseDetails": true, "EnforceSchedulingHorizon": true, "ForwardRequestsToDelegates": true,
		"OrganizerInfo": true, "RemoveForwardedMeetingNotifications": false, "RemoveOldMeetingMessages": true,
		"RemovePrivateProperty": true, "TentativePendingApproval": true}
)

func mailboxConfigCmdlets() []*cmdlet {
	var out []*cmdlet
	for _, mc := range mailboxConfigs() {
		out = append(out,
			&cmdlet{
				info: adminapi.CmdletInfo{Name: "Get-" + mc.noun, Parameters: []param{
					identityParam(true, true), named("UseCustomRouting", adminapi.KindSwitch), resultSizeParam(),
				}},
				endpoints: exchangeEndpoint,
				needs:     readRecipients,
				run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
					rc, cfg, err := e.mailboxConfig(ctx, r, mc)
					if err != nil {
						return adminapi.Result{}, err
					}
					return single(mc.view.record(withOwner(cfg, &rc))), nil
				},
			},
			&cmdlet{
				info: adminapi.CmdletInfo{Name: "Set-" + mc.noun, SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmMedium,
					Parameters: append([]param{identityParam(true, false), named("UseCustomRouting", adminapi.KindSwitch)},
						settingParams(mc.settings)...)},
				endpoints: exchangeEndpoint,
				needs:     writeRecipients,
				run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
					return setMailboxConfig(ctx, e, r, mc)
				},
			})
	}
	return out
}

// mailboxConfig reads the configuration of the mailbox -Identity names.
func (e *Engine) mailboxConfig(ctx context.Context, r *request, mc mailboxConfig) (store.Recipient, map[string]any, error) {
	rc, err := e.resolve(ctx, r.text("Identity"), store.RecipientQuery{Types: mailboxTypes})
	if err != nil {
		return store.Recipient{}, nil, err
	}
	cfg := mc.defaults(&rc)
	if own, ok := rc.Props[mc.noun].(map[string]any); ok {
		maps.Copy(cfg, own)
	}
	return rc, cfg, nil
}

func withOwner(cfg map[string]any, rc *store.Recipient) map[string]any {
	out := maps.Clone(cfg)
	out["MailboxOwnerId"], out["Identity"] = identityOf(rc), identityOf(rc)
	out["IsValid"], out["ObjectState"] = true, "Unchanged"
	return out
}

func setMailboxConfig(ctx context.Context, e *Engine, r *request, mc mailboxConfig) (adminapi.Result, error) {
	rc, cfg, err := e.mailboxConfig(ctx, r, mc)
	if err != nil {
		return adminapi.Result{}, err
	}
	upd, err := e.changes(ctx, r, mc.settings, cfg)
	if err != nil {
		return adminapi.Result{}, err
	}
	merged := maps.Clone(cfg)
	maps.Copy(merged, upd)
	if mc.check != nil {
		if err := mc.check(merged); err != nil {
			return adminapi.Result{}, err
		}
	}
	id := identityOf(&rc)
	if r.call.WhatIf {
		return adminapi.Result{ConfirmationMessage: fmt.Sprintf("%s \"%s\".", mc.what, id)}, nil
	}
	if len(upd) == 0 {
		return adminapi.Result{Warnings: []string{noChangeWarning(id)}}, nil
	}
	own, _ := rc.Props[mc.noun].(map[string]any)
	stored := maps.Clone(own)
	if stored == nil {
		stored = map[string]any{}
	}
	maps.Copy(stored, upd)
	if _, err := e.st.UpdateRecipientProps(ctx, rc.Key, map[string]any{mc.noun: stored}); err != nil {
		return adminapi.Result{}, fmt.Errorf("update %s of %s: %w", mc.noun, id, err)
	}
	return adminapi.Result{}, nil
}
