package cmdlets

import (
	"testing"
	"time"

	"github.com/openexo/exo/internal/sandbox/adminapi"
)

func TestMailboxConfigurations(t *testing.T) {
	f := newFixture(t, 30)
	mb := f.mailboxes("UserMailbox")[1]
	room := f.mailboxes("RoomMailbox")[0]
	start, end := time.Date(2026, 2, 1, 8, 0, 0, 0, time.UTC), time.Date(2026, 2, 10, 17, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		noun     string
		identity string
		set      map[string]any
		class    string // expected error class of the Set call
		check    map[string]any
	}{
		{"defaults", "MailboxAutoReplyConfiguration", mb.Name, nil, "", map[string]any{"AutoReplyState": "Disabled", "ExternalAudience": "All"}},
		{"enable", "MailboxAutoReplyConfiguration", mb.Name, map[string]any{"AutoReplyState": "Enabled", "InternalMessage": "Away", "ExternalAudience": "Known"}, "",
			map[string]any{"AutoReplyState": "Enabled", "InternalMessage": "Away", "ExternalAudience": "Known"}},
		{"scheduled", "MailboxAutoReplyConfiguration", mb.Name, map[string]any{"AutoReplyState": "Scheduled", "StartTime": start, "EndTime": end}, "",
			map[string]any{"AutoReplyState": "Scheduled", "StartTime": start, "InternalMessage": "Away"}},
		{"scheduled backwards", "MailboxAutoReplyConfiguration", mb.Name, map[string]any{"StartTime": end, "EndTime": start}, classDataValidation,
			map[string]any{"StartTime": start}},
		{"regional", "MailboxRegionalConfiguration", mb.Name, map[string]any{"TimeZone": "W. Europe Standard Time", "Language": "de-DE"}, "",
			map[string]any{"TimeZone": "W. Europe Standard Time", "Language": "de-DE", "DateFormat": "M/d/yyyy"}},
		{"room defaults", "CalendarProcessing", room.Name, nil, "", map[string]any{"AutomateProcessing": "AutoAccept", "BookingWindowInDays": 180}},
		{"room settings", "CalendarProcessing", room.Name, map[string]any{"AllowConflicts": true, "BookingWindowInDays": int64(365), "ResourceDelegates": []string{mb.Name}}, "",
			map[string]any{"AllowConflicts": true, "BookingWindowInDays": 365}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.set != nil {
				p := map[string]any{"Identity": tt.identity}
				for k, v := range tt.set {
					p[k] = v
				}
				_, err := f.invoke(call{name: "Set-" + tt.noun, params: p})
				if tt.class != "" {
					expectError(t, err, tt.class)
				} else if err != nil {
					t.Fatal(err)
				}
			}
			rec := f.run("Get-"+tt.noun, map[string]any{"Identity": tt.identity}).Records[0]
			for k, want := range tt.check {
				if got := prop(rec, k); got != want {
					t.Errorf("%s = %v (%T), want %v", k, got, got, want)
				}
			}
		})
	}
	res := f.run("Set-MailboxAutoReplyConfiguration", map[string]any{"Identity": mb.Name, "AutoReplyState": "Scheduled"})
	if len(res.Warnings) != 1 {
		t.Errorf("no-op set: %v", res.Warnings)
	}
	if _, err := f.invoke(call{name: "Set-MailboxRegionalConfiguration", params: map[string]any{"Identity": mb.Name, "TimeZone": "UTC"}, whatIf: true}); err != nil {
		t.Fatal(err)
	}
	if got := text(f.run("Get-MailboxRegionalConfiguration", map[string]any{"Identity": mb.Name}).Records[0], "TimeZone"); got != "W. Europe Standard Time" {
		t.Errorf("WhatIf changed TimeZone to %s", got)
	}
	_, err := f.invoke(call{name: "Get-CalendarProcessing", params: map[string]any{"Identity": "ghost"}})
	expectError(t, err, adminapi.ClassObjectNotFound)
}

func TestGetMobileDevice(t *testing.T) {
	f := newFixture(t, 30)
	total, withDevices := 0, ""
	for _, mb := range f.mailboxes() {
		d, err := f.st.MobileDevices(f.ctx, mb.Key)
		if err != nil {
			t.Fatal(err)
		}
		total += len(d)
		if len(d) > 0 && withDevices == "" {
			withDevices = mb.Name
		}
	}
	if total == 0 {
		t.Fatal("no seeded devices")
	}
	all, _ := f.all(call{name: "Get-MobileDevice", page: 3})
	if len(all) != total {
		t.Errorf("%d devices, want %d", len(all), total)
	}
	one := f.run("Get-MobileDevice", map[string]any{"Mailbox": withDevices})
	if len(one.Records) == 0 {
		t.Error("-Mailbox found no devices")
	}
	byID := f.run("Get-MobileDevice", map[string]any{"Identity": text(one.Records[0], "Identity")})
	if len(byID.Records) != 1 {
		t.Errorf("-Identity: %d devices", len(byID.Records))
	}
}
