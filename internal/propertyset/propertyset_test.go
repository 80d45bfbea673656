package propertyset

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func mustFor(t *testing.T, cmdlet string) *Catalog {
	t.Helper()
	c, ok := For(cmdlet)
	if !ok {
		t.Fatalf("For(%q) found nothing", cmdlet)
	}
	return c
}

func TestFor(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"Get-EXOMailbox", "get-exomailbox", " GET-EXOCASMAILBOX ", "Get-EXORecipient", "Get-EXOMailboxStatistics"} {
		c := mustFor(t, name)
		if !strings.EqualFold(c.Cmdlet(), strings.TrimSpace(name)) {
			t.Errorf("For(%q).Cmdlet() = %q", name, c.Cmdlet())
		}
	}
	if got := mustFor(t, "get-exocasmailbox").Cmdlet(); got != "Get-EXOCasMailbox" {
		t.Errorf("Cmdlet() = %q, want the documented casing Get-EXOCasMailbox", got)
	}
	for _, name := range []string{"Get-EXOMailboxPermission", "Get-Mailbox", ""} {
		if _, ok := For(name); ok {
			t.Errorf("For(%q) found a catalogue; the cmdlet has no property sets", name)
		}
	}
}

func TestSetNames(t *testing.T) {
	t.Parallel()
	tests := map[string][]string{
		"Get-EXOMailbox": {"Minimum", "AddressList", "Archive", "Audit", "Custom", "Delivery", "Hold", "Moderation",
			"Move", "Policy", "PublicFolder", "Quota", "Resource", "Retention", "SCL", "SoftDelete", "StatisticsSeed", "All"},
		"Get-EXOCasMailbox":        {"Minimum", "ActiveSync", "Ews", "Imap", "Mapi", "Pop", "ProtocolSettings", "All"},
		"Get-EXORecipient":         {"Minimum", "Archive", "Custom", "MailboxMove", "Policy"},
		"Get-EXOMailboxStatistics": {"Minimum", "All"},
	}
	for cmdlet, want := range tests {
		if got := mustFor(t, cmdlet).SetNames(); !slices.Equal(got, want) {
			t.Errorf("%s SetNames() = %v, want %v", cmdlet, got, want)
		}
	}
}

// TestTables checks the tables against the spec's counts (§3), which catches
// a name lost or mangled while copying.
func TestTables(t *testing.T) {
	t.Parallel()
	counts := map[string]map[string]int{
		"Get-EXOMailbox": {"Minimum": 14, "AddressList": 6, "Archive": 14, "Audit": 7, "Custom": 21, "Delivery": 22,
			"Hold": 9, "Moderation": 5, "Move": 7, "Policy": 13, "PublicFolder": 7, "Quota": 11, "Resource": 6,
			"Retention": 12, "SCL": 10, "SoftDelete": 6, "StatisticsSeed": 4},
		"Get-EXOCasMailbox":        {"Minimum": 16, "ActiveSync": 12, "Ews": 8, "Imap": 11, "Mapi": 11, "Pop": 10, "ProtocolSettings": 11},
		"Get-EXORecipient":         {"Minimum": 6, "Archive": 5, "Custom": 20, "MailboxMove": 6, "Policy": 12},
		"Get-EXOMailboxStatistics": {"Minimum": 6, "All": 60},
	}
	distinct := map[string]int{"Get-EXOMailbox": 152, "Get-EXOCasMailbox": 45, "Get-EXORecipient": 49, "Get-EXOMailboxStatistics": 60}
	for _, spec := range specs() {
		seen := make(map[string]bool)
		if len(spec.sets) != len(counts[spec.cmdlet]) {
			t.Errorf("%s has %d tables, want %d", spec.cmdlet, len(spec.sets), len(counts[spec.cmdlet]))
		}
		for _, s := range spec.sets {
			if want := counts[spec.cmdlet][s.name]; len(s.properties) != want {
				t.Errorf("%s %s has %d properties, want %d", spec.cmdlet, s.name, len(s.properties), want)
			}
			if !slices.Equal(uniq(s.properties), s.properties) {
				t.Errorf("%s %s repeats a property", spec.cmdlet, s.name)
			}
			for _, p := range s.properties {
				seen[strings.ToLower(p)] = true
			}
		}
		if len(seen) != distinct[spec.cmdlet] {
			t.Errorf("%s tables have %d distinct properties, want %d", spec.cmdlet, len(seen), distinct[spec.cmdlet])
		}
		// The default output carries the whole documented Minimum.
		for _, p := range spec.sets[0].properties {
			if !slices.ContainsFunc(spec.display, func(d string) bool { return strings.EqualFold(d, p) }) {
				t.Errorf("%s default output lacks Minimum's %s", spec.cmdlet, p)
			}
		}
	}
}

var (
	mailboxDefault = []string{"ExternalDirectoryObjectId", "UserPrincipalName", "Alias", "DisplayName", "EmailAddresses",
		"PrimarySmtpAddress", "RecipientType", "RecipientTypeDetails", "Identity", "Id", "ExchangeVersion", "Name",
		"DistinguishedName", "OrganizationId", "Guid"}
	recipientDefault = []string{"ExternalDirectoryObjectId", "Identity", "Alias", "EmailAddresses", "DisplayName", "Name",
		"PrimarySmtpAddress", "RecipientType", "RecipientTypeDetails", "ExchangeVersion", "DistinguishedName", "OrganizationId"}
	casDefault = []string{"ActiveSyncEnabled", "DisplayName", "ECPEnabled", "EmailAddresses", "EwsEnabled", "ExchangeVersion",
		"Guid", "Identity", "ImapEnabled", "MAPIEnabled", "Name", "OWAEnabled", "OrganizationId", "PopEnabled",
		"PrimarySmtpAddress", "ServerLegacyDN"}
	statisticsDefault = []string{"DeletedItemCount", "DisplayName", "ItemCount", "MailboxGuid", "TotalDeletedItemSize", "TotalItemSize"}
)

func concat(lists ...[]string) []string { return slices.Concat(lists...) }

func TestResolve(t *testing.T) {
	t.Parallel()
	archive := []string{"ArchiveDatabase", "ArchiveDomain", "ArchiveGuid", "ArchiveName", "ArchiveQuota", "ArchiveRelease",
		"ArchiveState", "ArchiveStatus", "ArchiveWarningQuota", "AutoExpandingArchiveEnabled", "DisabledArchiveDatabase",
		"DisabledArchiveGuid", "JournalArchiveAddress"} // ExternalDirectoryObjectId is already shown
	quotaAfterArchive := []string{"CalendarLoggingQuota", "IssueWarningQuota", "ProhibitSendQuota", "ProhibitSendReceiveQuota",
		"RecoverableItemsQuota", "RecoverableItemsWarningQuota", "RulesQuota", "UseDatabaseQuotaDefaults"}

	tests := []struct {
		name        string
		cmdlet      string
		sets, props []string
		want        Selection
	}{
		{
			name:   "no sets or properties is Minimum with the observed default output",
			cmdlet: "Get-EXOMailbox",
			want:   Selection{Sets: []string{"Minimum"}, Output: mailboxDefault},
		},
		{
			name:   "Minimum named explicitly, in any casing, is not repeated",
			cmdlet: "Get-EXOMailbox", sets: []string{"minimum", "MINIMUM"},
			want: Selection{Sets: []string{"Minimum"}, Output: mailboxDefault},
		},
		{
			name:   "a set adds its properties after the default output",
			cmdlet: "Get-EXOMailbox", sets: []string{"archive"},
			want: Selection{Sets: []string{"Minimum", "Archive"}, Output: concat(mailboxDefault, archive)},
		},
		{
			name:   "sets follow table order whatever the request order, without repeats",
			cmdlet: "Get-EXOMailbox", sets: []string{"Quota", " Archive ", "quota"},
			want: Selection{Sets: []string{"Minimum", "Archive", "Quota"}, Output: concat(mailboxDefault, archive, quotaAfterArchive)},
		},
		{
			name:   "requested properties outside the sets go to $select and print last, in request order",
			cmdlet: "Get-EXOMailbox", sets: []string{"Archive"}, props: []string{"whencreated", "ArchiveGuid", "LitigationHoldEnabled", "WHENCREATED"},
			want: Selection{
				Sets:   []string{"Minimum", "Archive"},
				Select: []string{"WhenCreated", "LitigationHoldEnabled"},
				Output: concat(mailboxDefault, archive, []string{"WhenCreated", "LitigationHoldEnabled"}),
			},
		},
		{
			name:   "a property of the Minimum table needs no $select",
			cmdlet: "Get-EXOMailbox", props: []string{"UserPrincipalName", "alias"},
			want: Selection{Sets: []string{"Minimum"}, Output: mailboxDefault},
		},
		{
			name:   "Identity is shown by default but not in the Minimum table, so asking for it selects it",
			cmdlet: "Get-EXOMailbox", props: []string{"Identity"},
			want: Selection{Sets: []string{"Minimum"}, Select: []string{"Identity"}, Output: mailboxDefault},
		},
		{
			name:   "properties in no table are valid: the 3.7.1 security descriptor and common Get-Mailbox ones",
			cmdlet: "Get-EXOMailbox", props: []string{"ExoExchangeSecurityDescriptor", "IsMailboxEnabled", "AccountDisabled"},
			want: Selection{
				Sets:   []string{"Minimum"},
				Select: []string{"ExoExchangeSecurityDescriptor", "IsMailboxEnabled", "AccountDisabled"},
				Output: concat(mailboxDefault, []string{"ExoExchangeSecurityDescriptor", "IsMailboxEnabled", "AccountDisabled"}),
			},
		},
		{
			name:   "All replaces the other sets and covers the security descriptor",
			cmdlet: "Get-EXOMailbox", sets: []string{"Archive", "all"}, props: []string{"ExoExchangeSecurityDescriptor", "WhenCreated"},
			want: Selection{Sets: []string{"Minimum", "All"}, Select: []string{"WhenCreated"}},
		},
		{
			name:   "Get-EXORecipient prints the 12 observed properties by default",
			cmdlet: "Get-EXORecipient",
			want:   Selection{Sets: []string{"Minimum"}, Output: recipientDefault},
		},
		{
			name:   "the documented ExternalDirectoryObjectID spelling is the observed one, and is covered",
			cmdlet: "Get-EXORecipient", props: []string{"ExternalDirectoryObjectID", "Alias"},
			want: Selection{Sets: []string{"Minimum"}, Select: []string{"Alias"}, Output: recipientDefault},
		},
		{
			name:   "Get-EXORecipient sets",
			cmdlet: "Get-EXORecipient", sets: []string{"MailboxMove", "Archive"}, props: []string{"City"},
			want: Selection{
				Sets:   []string{"Minimum", "Archive", "MailboxMove"},
				Select: []string{"City"},
				Output: concat(recipientDefault, []string{"ArchiveDatabase", "ArchiveGuid", "ArchiveRelease", "ArchiveState",
					"ArchiveStatus", "MailboxMoveBatchName", "MailboxMoveFlags", "MailboxMoveRemoteHostName",
					"MailboxMoveSourceMDB", "MailboxMoveStatus", "MailboxMoveTargetMDB", "City"}),
			},
		},
		{
			name:   "Get-EXOCasMailbox set",
			cmdlet: "Get-EXOCasMailbox", sets: []string{"ews"},
			want: Selection{Sets: []string{"Minimum", "Ews"},
				Output: concat(casDefault, []string{"EwsAllowMacOutlook", "EwsAllowOutlook", "ExternalDirectoryObjectId"})},
		},
		{
			name:   "Get-EXOMailboxStatistics All is its own table; LastUserActionTime is outside it",
			cmdlet: "Get-EXOMailboxStatistics", sets: []string{"All"}, props: []string{"LastUserActionTime", "ItemCount", "ServerName"},
			want: Selection{Sets: []string{"Minimum", "All"}, Select: []string{"LastUserActionTime"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := mustFor(t, tt.cmdlet).Resolve(tt.sets, tt.props)
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if !slices.Equal(got.Sets, tt.want.Sets) {
				t.Errorf("Sets = %v, want %v", got.Sets, tt.want.Sets)
			}
			if !slices.Equal(got.Select, tt.want.Select) {
				t.Errorf("Select = %v, want %v", got.Select, tt.want.Select)
			}
			if tt.want.Output != nil && !slices.Equal(got.Output, tt.want.Output) {
				t.Errorf("Output =\n%v\nwant\n%v", got.Output, tt.want.Output)
			}
			if !slices.Equal(uniq(got.Output), got.Output) {
				t.Errorf("Output repeats a name: %v", got.Output)
			}
		})
	}
}

func TestResolveAllOutput(t *testing.T) {
	t.Parallel()
	got, err := mustFor(t, "Get-EXOMailbox").Resolve([]string{"All"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Default output, then every table's new names in table order, then the
	// descriptor: 15 + (152 distinct - 14 Minimum) + 1.
	if len(got.Output) != 15+138+1 {
		t.Errorf("All prints %d properties, want 154", len(got.Output))
	}
	if !slices.Equal(got.Output[:15], mailboxDefault) || got.Output[15] != "AddressBookPolicy" ||
		got.Output[len(got.Output)-1] != "ExoExchangeSecurityDescriptor" {
		t.Errorf("All output order is wrong: %v", got.Output)
	}

	stats, err := mustFor(t, "Get-EXOMailboxStatistics").Resolve([]string{"All"}, []string{"LastInteractionTime"})
	if err != nil {
		t.Fatal(err)
	}
	if len(stats.Output) != 6+54+1 || !slices.Equal(stats.Output[:6], statisticsDefault) ||
		stats.Output[6] != "AssociatedItemCount" || stats.Output[len(stats.Output)-1] != "LastInteractionTime" {
		t.Errorf("statistics All output = %v", stats.Output)
	}
}

func TestResolveUnknownNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		cmdlet      string
		sets, props []string
		kind        NameKind
		bad         string
		msg         string
	}{
		{
			name: "unknown set lists the valid ones", cmdlet: "Get-EXOMailboxStatistics", sets: []string{"Quota"},
			kind: PropertySetName, bad: "Quota",
			msg: `The property set "Quota" is not valid for Get-EXOMailboxStatistics. Valid property sets are: Minimum, All.`,
		},
		{
			name: "Get-EXORecipient has no All", cmdlet: "get-exorecipient", sets: []string{"Minimum", "All"},
			kind: PropertySetName, bad: "All",
			msg: `The property set "All" is not valid for Get-EXORecipient. Valid property sets are: Minimum, Archive, Custom, MailboxMove, Policy.`,
		},
		{
			name: "a near miss gets a suggestion", cmdlet: "Get-EXOCasMailbox", sets: []string{"ActivSync"},
			kind: PropertySetName, bad: "ActivSync",
			msg: `The property set "ActivSync" is not valid for Get-EXOCasMailbox. Did you mean "ActiveSync"? ` +
				`Valid property sets are: Minimum, ActiveSync, Ews, Imap, Mapi, Pop, ProtocolSettings, All.`,
		},
		{
			name: "unknown property", cmdlet: "Get-EXOMailbox", props: []string{"Alias", "Foo"},
			kind: PropertyName, bad: "Foo",
			msg: `The property "Foo" is not valid for Get-EXOMailbox. Valid properties are listed by Get-Help Get-EXOMailbox -Parameter Properties.`,
		},
		{
			name: "misspelt property", cmdlet: "Get-EXOMailbox", props: []string{"PrimarySmtpAdress"},
			kind: PropertyName, bad: "PrimarySmtpAdress",
			msg: `The property "PrimarySmtpAdress" is not valid for Get-EXOMailbox. Did you mean "PrimarySmtpAddress"? ` +
				`Valid properties are listed by Get-Help Get-EXOMailbox -Parameter Properties.`,
		},
		{
			name: "filter-only names are not output properties", cmdlet: "Get-EXOMailbox", props: []string{"MemberOfGroup"},
			kind: PropertyName, bad: "MemberOfGroup",
		},
		{
			name: "another cmdlet's property", cmdlet: "Get-EXOMailboxStatistics", props: []string{"Alias"},
			kind: PropertyName, bad: "Alias",
		},
		{
			name: "an empty name", cmdlet: "Get-EXOMailbox", props: []string{""},
			kind: PropertyName, bad: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := mustFor(t, tt.cmdlet).Resolve(tt.sets, tt.props)
			var unknown *UnknownNameError
			if !errors.As(err, &unknown) {
				t.Fatalf("Resolve error = %v, want *UnknownNameError", err)
			}
			if unknown.Kind != tt.kind || unknown.Name != tt.bad || len(unknown.Valid) == 0 ||
				!strings.EqualFold(unknown.Cmdlet, tt.cmdlet) {
				t.Errorf("error = %+v", unknown)
			}
			if tt.msg != "" && err.Error() != tt.msg {
				t.Errorf("message =\n%s\nwant\n%s", err, tt.msg)
			}
		})
	}
}

func TestProperties(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cmdlet      string
		has, hasNot []string
	}{
		{"Get-EXOMailbox",
			[]string{"Identity", "AuditOwner", "ExoExchangeSecurityDescriptor", "WhenMailboxCreated", "Database", "Languages"},
			[]string{"MemberOfGroup", "LanguagesRaw", "SCLJunkThresholdInt", "LastUserActionTime", "ExternalDirectoryObjectID"}},
		{"Get-EXORecipient",
			[]string{"Alias", "ExternalDirectoryObjectId", "OwaMailboxPolicy", "City", "WhenCreated"},
			[]string{"ExternalDirectoryObjectID", "Members", "CountryCode", "All"}},
		{"Get-EXOCasMailbox",
			[]string{"ECPEnabled", "InternalSmtpSettings", "OWAforDevicesEnabled", "ExternalDirectoryObjectId"},
			[]string{"MemberOfGroup", "Alias"}},
		{"Get-EXOMailboxStatistics",
			[]string{"TotalItemSize", "LastUserActionTime", "LastInteractionTime"},
			[]string{"Alias"}},
	}
	for _, tt := range tests {
		props := mustFor(t, tt.cmdlet).Properties()
		for _, name := range tt.has {
			if !slices.Contains(props, name) {
				t.Errorf("%s Properties() lacks %s", tt.cmdlet, name)
			}
		}
		for _, name := range tt.hasNot {
			if slices.Contains(props, name) {
				t.Errorf("%s Properties() has %s", tt.cmdlet, name)
			}
		}
		lower := make(map[string]bool)
		for _, name := range props {
			if lower[strings.ToLower(name)] {
				t.Errorf("%s Properties() repeats %s", tt.cmdlet, name)
			}
			lower[strings.ToLower(name)] = true
		}
	}

	// Callers get copies.
	c := mustFor(t, "Get-EXOMailbox")
	c.Properties()[0] = "Mangled"
	c.SetNames()[0] = "Mangled"
	if c.Properties()[0] == "Mangled" || c.SetNames()[0] == "Mangled" {
		t.Error("a returned slice aliases the catalogue")
	}
}
