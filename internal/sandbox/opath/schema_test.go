package opath

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// specMailbox is the Get-Mailbox list of cmdlet-surface.md §5.3 (144
// entries, two of them ranges).
const specMailbox = "" +
	"AcceptMessagesOnlyFrom AcceptMessagesOnlyFromDLMembers AddressBookPolicy AddressListMembership " +
	"AdministrativeUnits AggregatedMailboxGuids Alias ArbitrationMailbox ArchiveDatabase " +
	"ArchiveDomain ArchiveGuid ArchiveName ArchiveQuota ArchiveRelease ArchiveState ArchiveStatus " +
	"ArchiveWarningQuota AuditEnabled AuditLogAgeLimit CalendarLoggingQuota CalendarRepairDisabled " +
	"ComplianceTagHoldApplied CustomAttribute1–15 DefaultPublicFolderMailbox DeletedItemFlags " +
	"DeliverToMailboxAndForward DisabledArchiveDatabase DisabledArchiveGuid DisplayName " +
	"DistinguishedName EmailAddresses EmailAddressPolicyEnabled ExchangeGuid " +
	"ExchangeUserAccountControl ExchangeVersion ExtensionCustomAttribute1–5 ExternalDirectoryObjectId " +
	"ExternalOofOptions ForwardingAddress ForwardingSmtpAddress GeneratedOfflineAddressBooks " +
	"GrantSendOnBehalfTo Guid HiddenFromAddressListsEnabled Id ImmutableId IncludeInGarbageCollection " +
	"InPlaceHolds IsDirSynced IsExcludedFromServingHierarchy IsHierarchyReady IsHierarchySyncEnabled " +
	"IsInactiveMailbox IsLinked IsMailboxEnabled IsResource IsShared IsSoftDeletedByDisable " +
	"IsSoftDeletedByRemove IssueWarningQuota JournalArchiveAddress LanguagesRaw " +
	"LastExchangeChangedTime LegacyExchangeDN LitigationHoldDate LitigationHoldEnabled " +
	"LitigationHoldOwner MailboxContainerGUID MailboxMoveBatchName MailboxMoveFlags " +
	"MailboxMoveRemoteHostName MailboxMoveSourceMDB MailboxMoveStatus MailboxMoveTargetMDB " +
	"MailboxPlan MailboxRelease MailTipTranslations ManagedFolderMailboxPolicy MasterAccountSid " +
	"MaxBlockedSenders MaxReceiveSize MaxSafeSenders MaxSendSize MemberOfGroup ModeratedBy " +
	"ModerationEnabled Name NetID ObjectCategory ObjectClass Office OfflineAddressBook " +
	"PersistedCapabilities PoliciesExcluded PoliciesIncluded PrimarySmtpAddress ProhibitSendQuota " +
	"ProhibitSendReceiveQuota ProtocolSettings QueryBaseDN RecipientLimits RecipientType " +
	"RecipientTypeDetails RecoverableItemsQuota RecoverableItemsWarningQuota RejectMessagesFrom " +
	"RejectMessagesFromDLMembers RemoteAccountPolicy RemoteRecipientType " +
	"RequireAllSendersAreAuthenticated ResourceCapacity ResourceCustom ResourceType " +
	"RetainDeletedItemsFor RetentionComment RetentionPolicy RetentionUrl RoleAssignmentPolicy " +
	"RulesQuota SamAccountName SCLDeleteThresholdInt SCLJunkThresholdInt SCLQuarantineThresholdInt " +
	"SCLRejectThresholdInt ServerLegacyDN ServerName SharingPolicy SimpleDisplayName " +
	"SingleItemRecoveryEnabled SKUAssigned SourceAnchor StsRefreshTokensValidFrom ThrottlingPolicy " +
	"UsageLocation UseDatabaseQuotaDefaults UserPrincipalName WhenChanged WhenChangedUTC WhenCreated " +
	"WhenCreatedUTC WhenMailboxCreated WhenSoftDeleted WindowsEmailAddress WindowsLiveID"

// expand spells out "CustomAttribute1–15"-style ranges.
func expand(list string) []string {
	var out []string
	for _, f := range strings.Fields(list) {
		base, rng, ok := strings.Cut(f, "1–")
		if !ok {
			out = append(out, f)
			continue
		}
		n, _ := strconv.Atoi(rng)
		for i := 1; i <= n; i++ {
			out = append(out, base+strconv.Itoa(i))
		}
	}
	return out
}

func names(s *Schema) []string {
	var out []string
	for _, p := range s.props {
		out = append(out, p.Name)
	}
	slices.Sort(out)
	return out
}

func TestMailboxSchemaMatchesSpec(t *testing.T) {
	if n := len(strings.Fields(specMailbox)); n != 144 {
		t.Fatalf("spec list has %d entries, want 144", n)
	}
	want := expand(specMailbox)
	slices.Sort(want)
	got := names(MailboxSchema())
	if !slices.Equal(got, want) {
		for _, w := range want {
			if !slices.Contains(got, w) {
				t.Errorf("missing %s", w)
			}
		}
		for _, g := range got {
			if !slices.Contains(want, g) {
				t.Errorf("extra %s", g)
			}
		}
	}
}

func TestRecipientSchema(t *testing.T) {
	s := RecipientSchema()
	// 79 entries in filter-properties.md, 97 once the custom-attribute
	// ranges (15 and 5) are spelled out.
	if n := len(s.props); n != 79-2+15+5 {
		t.Errorf("Get-Recipient has %d properties, want 97", n)
	}
	// The properties cmdlet-surface.md §5.3 names as Get-Recipient additions.
	for _, n := range strings.Fields("City Company CountryOrRegion Department FirstName LastName Manager ManagedBy Members Notes Phone PostalCode StateOrProvince Title ExternalEmailAddress HasActiveSyncDevicePartnership OWAMailboxPolicy ActiveSyncMailboxPolicy BlockedSendersHash SafeSendersHash SafeRecipientsHash ExpansionServer") {
		if _, ok := s.Lookup(n); !ok {
			t.Errorf("Get-Recipient lacks %s", n)
		}
	}
	// On-premises only, or not on Get-Recipient.
	for _, n := range strings.Fields("Database UMEnabled UMMailboxPolicy UMRecipientDialPlanId LegacyExchangeDN ExchangeUserAccountControl UserPrincipalName") {
		if _, ok := s.Lookup(n); ok {
			t.Errorf("Get-Recipient must not filter on %s", n)
		}
	}
}

func TestCmdletSchema(t *testing.T) {
	for _, tc := range []struct {
		cmdlet, has, hasNot string
	}{
		{"Get-CASMailbox", "OWAEnabled", "RecipientType"},
		{"get-user", "UserAccountControl", "EmailAddresses"},
		{"Get-DistributionGroup", "MemberJoinRestriction", "UserPrincipalName"},
		{"Get-UnifiedGroup", "ResourceProvisioningOptions", "MemberOfGroup"},
		{"Get-MailPublicFolder", "EntryId", "IsShared"},
		{"Get-Contact", "Manager", "Alias"},
		{"Get-LinkedUser", "IsSecurityPrincipal", "Alias"},
		{"Get-SecurityPrincipal", "Sid", "Alias"},
		{"Get-Group", "GroupType", "Alias"},
		{"Get-MailContact", "ExternalEmailAddress", "IsShared"},
		{"Get-MailUser", "ExternalEmailAddress", "IsShared"},
		{"Get-DynamicDistributionGroup", "RecipientContainer", "Members"},
	} {
		s, ok := CmdletSchema(tc.cmdlet)
		if !ok {
			t.Errorf("CmdletSchema(%q) not found", tc.cmdlet)
			continue
		}
		if _, ok := s.Lookup(tc.has); !ok {
			t.Errorf("%s lacks %s", tc.cmdlet, tc.has)
		}
		if _, ok := s.Lookup(tc.hasNot); ok {
			t.Errorf("%s must not filter on %s", tc.cmdlet, tc.hasNot)
		}
	}
	if _, ok := CmdletSchema("Get-RemoteMailbox"); ok {
		t.Error("Get-RemoteMailbox is on-premises only")
	}
	g := GenericSchema()
	for _, n := range []string{"OWAEnabled", "UserAccountControl", "EntryId", "WindowsLiveID"} {
		if _, ok := g.Lookup(n); !ok {
			t.Errorf("generic schema lacks %s", n)
		}
	}
}

func TestSchemaLookupAndWithout(t *testing.T) {
	s := MailboxSchema()
	p, ok := s.Lookup("primarysmtpADDRESS")
	if !ok || p.Name != "PrimarySmtpAddress" || p.Also != "EmailAddresses" {
		t.Fatalf("Lookup = %+v, %v", p, ok)
	}
	w := s.Without("memberofgroup", "NoSuchProperty")
	if _, ok := w.Lookup("MemberOfGroup"); ok {
		t.Error("Without kept MemberOfGroup")
	}
	if _, ok := s.Lookup("MemberOfGroup"); !ok {
		t.Error("Without changed the original schema")
	}
	if len(w.props) != len(s.props)-1 {
		t.Errorf("Without removed %d properties", len(s.props)-len(w.props))
	}
	custom := NewSchema(Property{Name: "Color", Kind: Enum, Values: []string{"Red"}}, Property{Name: "color", Kind: String})
	if p, _ := custom.Lookup("COLOR"); p.Kind != String {
		t.Errorf("later property should win, got %v", p.Kind)
	}
}
