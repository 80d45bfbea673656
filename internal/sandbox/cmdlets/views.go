package cmdlets

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/openexo/exo/internal/sandbox/adminapi"
)

// A view turns a store property bag into the record a cmdlet prints: its
// .NET type names and its properties in the service's order. Values are
// typed on the way out (GUIDs, DateTimes, Int32s) so that the protocol
// layer annotates them as the service does; sizes and time spans stay the
// display strings the service sends.
type view struct {
	typeNames []string
	fields    []field
	// open views print every other bag property too, sorted by name, after
	// fields; closed views print exactly fields (missing ones as $null),
	// as a typed object always has the same properties.
	open bool
}

type field struct {
	name string
	conv func(any) any
}

func newView(typeNames []string, open bool, groups ...[]string) *view {
	v := &view{typeNames: typeNames, open: open}
	seen := map[string]bool{}
	for _, g := range groups {
		for _, name := range g {
			if seen[name] {
				continue
			}
			seen[name] = true
			v.fields = append(v.fields, field{name: name, conv: converterFor(name)})
		}
	}
	return v
}

// record builds the record of one bag.
func (v *view) record(props map[string]any) adminapi.Record {
	n := len(v.fields)
	if v.open {
		n = max(n, len(props))
	}
	out := make([]adminapi.Property, 0, n)
	for _, f := range v.fields {
		out = append(out, adminapi.Property{Name: f.name, Value: f.conv(props[f.name])})
	}
	if v.open {
		var rest []string
		for k := range props {
			if !v.has(k) {
				rest = append(rest, k)
			}
		}
		slices.Sort(rest)
		for _, k := range rest {
			out = append(out, adminapi.Property{Name: k, Value: converterFor(k)(props[k])})
		}
	}
	return adminapi.Record{TypeNames: v.typeNames, Properties: out}
}

func (v *view) has(name string) bool {
	return slices.ContainsFunc(v.fields, func(f field) bool { return f.name == name })
}

// storeTime is how the store keeps DateTimes (the admin API's own form).
const storeTime = "2006-01-02T15:04:05.0000000-07:00"

// converterFor picks how a property's stored value is typed for output.
func converterFor(name string) func(any) any {
	switch {
	case guidProps[name]:
		return toGUID
	case timeProps[name] || strings.HasPrefix(name, "When") || strings.HasSuffix(name, "Time") ||
		strings.HasSuffix(name, "Date") || strings.HasSuffix(name, "Timestamp"):
		return toTime
	}
	return toPlain
}

// guidProps are the System.Guid properties; other GUID-looking values
// (ExternalDirectoryObjectId, Identity) are strings in the service's output.
var guidProps = map[string]bool{
	"Guid": true, "ExchangeGuid": true, "ArchiveGuid": true, "ArchiveDatabaseGuid": true,
	"DisabledArchiveGuid": true, "ExchangeObjectId": true, "MailboxGuid": true, "OwnerADGuid": true,
	"DatabaseGuid": true, "MailboxContainerGuid": true, "ExternalDirectoryOrganizationId": true,
}

// timeProps are DateTime properties the name rules above miss.
var timeProps = map[string]bool{
	"StsRefreshTokensValidFrom": true, "StartDateForRetentionHold": true, "EndDateForRetentionHold": true,
	"InactiveMailboxRetireTime": true, "OrphanSoftDeleteTrackingTime": true, "MailboxRegionLastUpdateTime": true,
	"SharedEmailDomainStateLastModified": true, "LastSuccessSync": true, "LastPolicyUpdateTime": true,
	"LastSyncAttemptTime": true, "DisconnectDate": true, "QuarantineEnd": true, "QuarantineLastCrash": true,
}

func toGUID(v any) any {
	s, ok := v.(string)
	if !ok || s == "" {
		return v
	}
	if g, err := uuid.Parse(s); err == nil {
		return g
	}
	return s
}

func toTime(v any) any {
	s, ok := v.(string)
	if !ok || s == "" {
		return v
	}
	if t, err := time.Parse(storeTime, s); err == nil {
		return t.UTC()
	}
	return s
}

// toPlain narrows bag integers (int64 from JSON) to the Int32 most
// Exchange counters are.
func toPlain(v any) any {
	if i, ok := v.(int64); ok && i >= math.MinInt32 && i <= math.MaxInt32 {
		return int(i)
	}
	return v
}

// Type name chains, most derived first.
var (
	tnMailbox = []string{
		"Microsoft.Exchange.Data.Directory.Management.Mailbox",
		"Microsoft.Exchange.Data.Directory.Management.MailEnabledOrgPerson",
		"Microsoft.Exchange.Data.Directory.Management.MailEnabledRecipient",
		"Microsoft.Exchange.Data.Directory.ADPresentationObject",
		"Microsoft.Exchange.Data.ConfigurableObject",
		"System.Object",
	}
	tnCASMailbox = []string{
		"Microsoft.Exchange.Data.Directory.Management.CASMailbox",
		"Microsoft.Exchange.Data.Directory.ADPresentationObject",
		"Microsoft.Exchange.Data.ConfigurableObject",
		"System.Object",
	}
	tnUser = []string{
		"Microsoft.Exchange.Data.Directory.Management.User",
		"Microsoft.Exchange.Data.Directory.Management.OrgPersonPresentationObject",
		"Microsoft.Exchange.Data.Directory.ADPresentationObject",
		"Microsoft.Exchange.Data.ConfigurableObject",
		"System.Object",
	}
	tnReducedRecipient = []string{
		"Microsoft.Exchange.Data.Directory.Management.ReducedRecipient",
		"Microsoft.Exchange.Data.ConfigurableObject",
		"System.Object",
	}
	tnDistributionGroup = []string{
		"Microsoft.Exchange.Data.Directory.Management.DistributionGroup",
		"Microsoft.Exchange.Data.Directory.Management.DistributionGroupBase",
		"Microsoft.Exchange.Data.Directory.Management.MailEnabledRecipient",
		"Microsoft.Exchange.Data.Directory.ADPresentationObject",
		"Microsoft.Exchange.Data.ConfigurableObject",
		"System.Object",
	}
	tnUnifiedGroup = []string{
		"Microsoft.Exchange.Data.Directory.Management.UnifiedGroup",
		"Microsoft.Exchange.Data.Directory.Management.MailEnabledRecipient",
		"Microsoft.Exchange.Data.Directory.ADPresentationObject",
		"Microsoft.Exchange.Data.ConfigurableObject",
		"System.Object",
	}
)

func numbered(prefix string, n int) []string {
	out := make([]string, n)
	for i := range n {
		out[i] = prefix + strconv.Itoa(i+1)
	}
	return out
}

// The printed property lists. Each starts with the cmdlet's Minimum set
// (cmdlet-surface.md §3, §5.1) and goes on in the order the service prints.
var (
	mailboxView = newView(tnMailbox, false, []string{
		"ExternalDirectoryObjectId", "UserPrincipalName", "Alias", "DisplayName", "EmailAddresses",
		"PrimarySmtpAddress", "RecipientType", "RecipientTypeDetails", "Identity", "Id", "ExchangeVersion",
		"Name", "DistinguishedName", "OrganizationId", "Guid",
	}, strings.Fields(`Database MailboxProvisioningConstraint IsMonitoringMailbox MailboxRegion
		MailboxRegionLastUpdateTime MailboxRegionSuffix MessageRecallProcessingEnabled MessageCopyForSentAsEnabled
		MessageCopyForSendOnBehalfEnabled MailboxProvisioningPreferences UseDatabaseRetentionDefaults
		RetainDeletedItemsUntilBackup DeliverToMailboxAndForward IsExcludedFromServingHierarchy IsHierarchyReady
		IsHierarchySyncEnabled IsPublicFolderSystemMailbox HasSnackyAppData LitigationHoldEnabled
		SingleItemRecoveryEnabled RetentionHoldEnabled EndDateForRetentionHold StartDateForRetentionHold
		RetentionComment RetentionUrl LitigationHoldDate LitigationHoldOwner ElcProcessingDisabled
		ComplianceTagHoldApplied WasInactiveMailbox DelayHoldApplied DelayReleaseHoldApplied PitrEnabled
		PitrCopyIntervalInSeconds PitrPaused PitrPausedTimestamp PitrOffboarded PitrOffboardedTimestamp
		InactiveMailboxRetireTime OrphanSoftDeleteTrackingTime LitigationHoldDuration ManagedFolderMailboxPolicy
		RetentionPolicy AddressBookPolicy CalendarRepairDisabled ExchangeGuid MailboxContainerGuid UnifiedMailbox
		MailboxLocations AggregatedMailboxGuids ExchangeSecurityDescriptor ExchangeUserAccountControl
		AdminDisplayVersion MessageTrackingReadStatusEnabled ExternalOofOptions ForwardingAddress
		ForwardingSmtpAddress RetainDeletedItemsFor IsMailboxEnabled Languages OfflineAddressBook ProhibitSendQuota
		ProhibitSendReceiveQuota RecoverableItemsQuota RecoverableItemsWarningQuota CalendarLoggingQuota
		DowngradeHighPriorityMessagesEnabled ProtocolSettings RecipientLimits ImListMigrationCompleted SiloName
		IsResource IsLinked IsShared IsRootPublicFolderMailbox LinkedMasterAccount ResetPasswordOnNextLogon
		ResourceCapacity ResourceCustom ResourceType RoomMailboxAccountEnabled SamAccountName SCLDeleteThreshold
		SCLDeleteEnabled SCLRejectThreshold SCLRejectEnabled SCLQuarantineThreshold SCLQuarantineEnabled
		SCLJunkThreshold SCLJunkEnabled AntispamBypassEnabled ServerLegacyDN ServerName UseDatabaseQuotaDefaults
		IssueWarningQuota RulesQuota Office UMEnabled MaxSafeSenders MaxBlockedSenders NetID ReconciliationId
		WindowsLiveID MicrosoftOnlineServicesID ThrottlingPolicy RoleAssignmentPolicy DefaultPublicFolderMailbox
		EffectivePublicFolderMailbox SharingPolicy RemoteAccountPolicy MailboxPlan ArchiveDatabase
		ArchiveDatabaseGuid ArchiveGuid ArchiveName JournalArchiveAddress ArchiveQuota ArchiveWarningQuota
		ArchiveDomain ArchiveStatus ArchiveState AutoExpandingArchiveEnabled DisabledMailboxLocations
		RemoteRecipientType DisabledArchiveDatabase DisabledArchiveGuid QueryBaseDN QueryBaseDNRestrictionEnabled
		MailboxMoveTargetMDB MailboxMoveSourceMDB MailboxMoveFlags MailboxMoveRemoteHostName MailboxMoveBatchName
		MailboxMoveStatus MailboxRelease ArchiveRelease IsPersonToPersonTextMessagingEnabled
		IsMachineToPersonTextMessagingEnabled UserSMimeCertificate UserCertificate CalendarVersionStoreDisabled
		ImmutableId PersistedCapabilities SKUAssigned AuditEnabled AuditLogAgeLimit AuditAdmin AuditDelegate
		AuditOwner DefaultAuditSet WhenMailboxCreated SourceAnchor UsageLocation IsSoftDeletedByRemove
		IsSoftDeletedByDisable IsInactiveMailbox IncludeInGarbageCollection WhenSoftDeleted InPlaceHolds
		GeneratedOfflineAddressBooks AccountDisabled StsRefreshTokensValidFrom NonCompliantDevices
		EnforcedTimestamps DataEncryptionPolicy MessageCopyForSMTPClientSubmissionEnabled
		RecipientThrottlingThreshold SharedEmailDomainTenant SharedEmailDomainState SharedWithTargetSmtpAddress
		SharedEmailDomainStateLastModified ExoExchangeSecurityDescriptor ResourceProvisioningOptions HasPicture
		HasSpokenName IsDirSynced AcceptMessagesOnlyFrom AcceptMessagesOnlyFromDLMembers
		AcceptMessagesOnlyFromSendersOrMembers AddressListMembership AdministrativeUnits ArbitrationMailbox
		BypassModerationFromSendersOrMembers OrganizationalUnit`),
		numbered("CustomAttribute", 15), numbered("ExtensionCustomAttribute", 5),
		strings.Fields(`Extensions GrantSendOnBehalfTo HiddenFromAddressListsEnabled LegacyExchangeDN MaxSendSize
		MaxReceiveSize ModeratedBy ModerationEnabled PoliciesIncluded PoliciesExcluded EmailAddressPolicyEnabled
		RejectMessagesFrom RejectMessagesFromDLMembers RejectMessagesFromSendersOrMembers
		RequireSenderAuthenticationEnabled SimpleDisplayName SendModerationNotifications UMDtmfMap
		WindowsEmailAddress MailTip MailTipTranslations IsValid ObjectCategory ObjectClass WhenChanged WhenCreated
		WhenChangedUTC WhenCreatedUTC ExchangeObjectId OrganizationalUnitRoot OriginatingServer ObjectState`))

	recipientView = newView(tnReducedRecipient, false, []string{
		"ExternalDirectoryObjectId", "Identity", "Alias", "EmailAddresses", "DisplayName", "Name",
		"PrimarySmtpAddress", "RecipientType", "RecipientTypeDetails", "ExchangeVersion", "DistinguishedName",
		"OrganizationId",
	}, strings.Fields(`AcceptMessagesOnlyFrom AcceptMessagesOnlyFromDLMembers AcceptMessagesOnlyFromSendersOrMembers
		ActiveSyncMailboxPolicy ActiveSyncMailboxPolicyIsDefaulted AddressListMembership AdministrativeUnits
		ArchiveDatabase ArchiveGuid ArchiveRelease ArchiveState ArchiveStatus Capabilities City Company
		CountryOrRegion`), numbered("CustomAttribute", 15),
		strings.Fields(`Database Department EmailAddressPolicyEnabled ExchangeGuid`),
		numbered("ExtensionCustomAttribute", 5),
		strings.Fields(`ExternalEmailAddress Fax FirstName HasActiveSyncDevicePartnership HiddenFromAddressListsEnabled
		IsDirSynced IsInactiveMailbox LastName LitigationHoldEnabled MailboxMoveBatchName MailboxMoveFlags
		MailboxMoveRemoteHostName MailboxMoveSourceMDB MailboxMoveStatus MailboxMoveTargetMDB ManagedBy Manager
		MobilePhone ModeratedBy ModerationEnabled Notes Office OrganizationalUnit OwaMailboxPolicy Phone
		PoliciesExcluded PoliciesIncluded PostalCode RetentionPolicy ResourceType SKUAssigned
		SharingPolicy StateOrProvince StreetAddress Title UMMailboxPolicy UsageLocation WhenMailboxCreated
		WhenSoftDeleted WindowsLiveID IsValid ObjectCategory ObjectClass Guid Id WhenChanged WhenCreated
		WhenChangedUTC WhenCreatedUTC ExchangeObjectId OrganizationalUnitRoot OriginatingServer ObjectState`))

	userView = newView(tnUser, false, strings.Fields(`ExternalDirectoryObjectId UserPrincipalName DisplayName Name
		FirstName LastName Initials RecipientType RecipientTypeDetails Identity Id AccountDisabled City Company
		CountryOrRegion Department Fax HomePhone IsDirSynced ImmutableId Manager MicrosoftOnlineServicesID
		MobilePhone NetID Notes Office Phone PostalCode ResetPasswordOnNextLogon SKUAssigned SamAccountName
		SimpleDisplayName StateOrProvince StreetAddress StsRefreshTokensValidFrom Title UsageLocation
		WindowsEmailAddress WindowsLiveID AdministrativeUnits IsInactiveMailbox IsSoftDeletedByRemove
		IsSoftDeletedByDisable WhenSoftDeleted ExchangeVersion DistinguishedName OrganizationId Guid IsValid
		ObjectCategory ObjectClass WhenChanged WhenCreated WhenChangedUTC WhenCreatedUTC ExchangeObjectId
		OrganizationalUnitRoot OriginatingServer ObjectState`))

	casMailboxView = newView(tnCASMailbox, false, strings.Fields(`ActiveSyncEnabled DisplayName ECPEnabled
		EmailAddresses EwsEnabled ExchangeVersion Guid Identity ImapEnabled MAPIEnabled Name OWAEnabled
		OrganizationId PopEnabled PrimarySmtpAddress ServerLegacyDN
		ActiveSyncAllowedDeviceIDs ActiveSyncBlockedDeviceIDs ActiveSyncDebugLogging ActiveSyncMailboxPolicy
		ActiveSyncMailboxPolicyIsDefaulted ActiveSyncSuppressReadReceipt EwsAllowEntourage EwsAllowList
		EwsAllowMacOutlook EwsAllowOutlook EwsApplicationAccessPolicy EwsBlockList ExternalImapSettings
		ExternalPopSettings ExternalSmtpSettings HasActiveSyncDevicePartnership ImapEnableExactRFC822Size
		ImapForceICalForCalendarRetrievalOption ImapMessagesRetrievalMimeFormat ImapSuppressReadReceipt
		ImapUseProtocolDefaults InternalImapSettings InternalPopSettings InternalSmtpSettings
		IsOptimizedForAccessibility MacOutlookEnabled MAPIBlockOutlookExternalConnectivity
		MAPIBlockOutlookNonCachedMode MAPIBlockOutlookRpcHttp MAPIBlockOutlookVersions MapiHttpEnabled
		OneWinNativeOutlookEnabled OutlookMobileEnabled OWAforDevicesEnabled OwaMailboxPolicy
		PopEnableExactRFC822Size PopForceICalForCalendarRetrievalOption PopMessagesRetrievalMimeFormat
		PopSuppressReadReceipt PopUseProtocolDefaults PublicFolderClientAccess ShowGalAsDefaultView
		SmtpClientAuthenticationDisabled UniversalOutlookEnabled LegacyExchangeDN SamAccountName
		ExternalDirectoryObjectId DistinguishedName Id IsValid ObjectCategory ObjectClass WhenChanged WhenCreated
		WhenChangedUTC WhenCreatedUTC ExchangeObjectId OrganizationalUnitRoot OriginatingServer ObjectState`))

	distributionGroupView = newView(tnDistributionGroup, true, strings.Fields(`Name DisplayName Alias
		PrimarySmtpAddress EmailAddresses GroupType ManagedBy RecipientType RecipientTypeDetails Identity Id
		ExternalDirectoryObjectId`))

	unifiedGroupView = newView(tnUnifiedGroup, true, strings.Fields(`DisplayName Alias PrimarySmtpAddress
		EmailAddresses AccessType ManagedBy GroupType Name RecipientType RecipientTypeDetails Identity Id
		ExternalDirectoryObjectId SharePointSiteUrl`))
)
