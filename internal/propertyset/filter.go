package propertyset

import "strings"

// ValueKind is the type of a filterable property's values; it decides how a
// -Filter value is written in OData and which operators apply.
type ValueKind int

// Value kinds of filterable properties.
const (
	String      ValueKind = iota + 1 // text; -like allowed
	MultiString                      // a collection of text; matches if any element does
	Bool
	Int
	Guid
	DateTime
	Enum
	Size     // a byte quantity: a number of bytes, a text size like '50 GB', or 'Unlimited'
	TimeSpan // dd.hh:mm:ss text
)

func (k ValueKind) String() string {
	switch k {
	case String:
		return "String"
	case MultiString:
		return "MultiString"
	case Bool:
		return "Bool"
	case Int:
		return "Int"
	case Guid:
		return "Guid"
	case DateTime:
		return "DateTime"
	case Enum:
		return "Enum"
	case Size:
		return "Size"
	case TimeSpan:
		return "TimeSpan"
	}
	return "ValueKind(?)"
}

// FilterProperty is a property name the service knows in -Filter.
type FilterProperty struct {
	Name string // canonical casing
	Kind ValueKind
	// Filterable is false for the names Get-EXO* refuses in -Filter
	// (cmdlet-surface.md §4.2), which the classic cmdlets accept.
	Filterable bool
}

// filterSpec is one cmdlet's -Filter vocabulary.
type filterSpec struct {
	names []string
	// unfilterable is the §4.2 row for the cmdlet: names it knows but refuses.
	unfilterable []string
}

// mailboxFilter is the 144 Exchange Online filterable properties of
// Get-Mailbox (§5.3), of which Get-EXOMailbox refuses nine (§4.2).
func mailboxFilter() filterSpec {
	return filterSpec{
		names: strings.Fields("AcceptMessagesOnlyFrom AcceptMessagesOnlyFromDLMembers AddressBookPolicy " +
			"AddressListMembership AdministrativeUnits AggregatedMailboxGuids Alias ArbitrationMailbox " +
			"ArchiveDatabase ArchiveDomain ArchiveGuid ArchiveName ArchiveQuota ArchiveRelease ArchiveState " +
			"ArchiveStatus ArchiveWarningQuota AuditEnabled AuditLogAgeLimit CalendarLoggingQuota " +
			"CalendarRepairDisabled ComplianceTagHoldApplied " + numbered("CustomAttribute", 15) + " " +
			"DefaultPublicFolderMailbox DeletedItemFlags DeliverToMailboxAndForward DisabledArchiveDatabase " +
			"DisabledArchiveGuid DisplayName DistinguishedName EmailAddresses EmailAddressPolicyEnabled " +
			"ExchangeGuid ExchangeUserAccountControl ExchangeVersion " + numbered("ExtensionCustomAttribute", 5) + " " +
			"ExternalDirectoryObjectId ExternalOofOptions ForwardingAddress ForwardingSmtpAddress " +
			"GeneratedOfflineAddressBooks GrantSendOnBehalfTo Guid HiddenFromAddressListsEnabled Id ImmutableId " +
			"IncludeInGarbageCollection InPlaceHolds IsDirSynced IsExcludedFromServingHierarchy IsHierarchyReady " +
			"IsHierarchySyncEnabled IsInactiveMailbox IsLinked IsMailboxEnabled IsResource IsShared " +
			"IsSoftDeletedByDisable IsSoftDeletedByRemove IssueWarningQuota JournalArchiveAddress LanguagesRaw " +
			"LastExchangeChangedTime LegacyExchangeDN LitigationHoldDate LitigationHoldEnabled LitigationHoldOwner " +
			"MailboxContainerGUID MailboxMoveBatchName MailboxMoveFlags MailboxMoveRemoteHostName " +
			"MailboxMoveSourceMDB MailboxMoveStatus MailboxMoveTargetMDB MailboxPlan MailboxRelease " +
			"MailTipTranslations ManagedFolderMailboxPolicy MasterAccountSid MaxBlockedSenders MaxReceiveSize " +
			"MaxSafeSenders MaxSendSize MemberOfGroup ModeratedBy ModerationEnabled Name NetID ObjectCategory " +
			"ObjectClass Office OfflineAddressBook PersistedCapabilities PoliciesExcluded PoliciesIncluded " +
			"PrimarySmtpAddress ProhibitSendQuota ProhibitSendReceiveQuota ProtocolSettings QueryBaseDN " +
			"RecipientLimits RecipientType RecipientTypeDetails RecoverableItemsQuota RecoverableItemsWarningQuota " +
			"RejectMessagesFrom RejectMessagesFromDLMembers RemoteAccountPolicy RemoteRecipientType " +
			"RequireAllSendersAreAuthenticated ResourceCapacity ResourceCustom ResourceType RetainDeletedItemsFor " +
			"RetentionComment RetentionPolicy RetentionUrl RoleAssignmentPolicy RulesQuota SamAccountName " +
			"SCLDeleteThresholdInt SCLJunkThresholdInt SCLQuarantineThresholdInt SCLRejectThresholdInt " +
			"ServerLegacyDN ServerName SharingPolicy SimpleDisplayName SingleItemRecoveryEnabled SKUAssigned " +
			"SourceAnchor StsRefreshTokensValidFrom ThrottlingPolicy UsageLocation UseDatabaseQuotaDefaults " +
			"UserPrincipalName WhenChanged WhenChangedUTC WhenCreated WhenCreatedUTC WhenMailboxCreated " +
			"WhenSoftDeleted WindowsEmailAddress WindowsLiveID"),
		unfilterable: strings.Fields("DeletedItemFlags LanguagesRaw MasterAccountSid MemberOfGroup " +
			"RequireAllSendersAreAuthenticated SCLDeleteThresholdInt SCLJunkThresholdInt " +
			"SCLQuarantineThresholdInt SCLRejectThresholdInt"),
	}
}

// recipientFilter is what §5.3 says Get-Recipient adds, plus the Get-Mailbox
// properties filter-properties.md also lists for Get-Recipient. That is a
// superset of the service's 79 names; the service rejects the rest itself.
func recipientFilter() filterSpec {
	return filterSpec{
		names: strings.Fields("City Company CountryCode CountryOrRegion Department FirstName LastName Manager " +
			"ManagedBy Members Notes Phone PostalCode StateOrProvince Title ExternalEmailAddress " +
			"HasActiveSyncDevicePartnership OwaMailboxPolicy ActiveSyncMailboxPolicy BlockedSendersHash " +
			"SafeSendersHash SafeRecipientsHash ExpansionServer " +
			"AddressBookPolicy AddressListMembership Alias ArchiveDatabase ArchiveGuid ArchiveRelease ArchiveState " +
			"ArchiveStatus " + numbered("CustomAttribute", 15) + " DisplayName DistinguishedName EmailAddresses " +
			"EmailAddressPolicyEnabled ExchangeGuid ExchangeVersion " + numbered("ExtensionCustomAttribute", 5) + " " +
			"ExternalDirectoryObjectId Guid HiddenFromAddressListsEnabled Id IsDirSynced LitigationHoldEnabled " +
			"MailboxMoveBatchName MailboxMoveFlags MailboxMoveRemoteHostName MailboxMoveSourceMDB " +
			"MailboxMoveStatus MailboxMoveTargetMDB MailboxRelease ManagedFolderMailboxPolicy MasterAccountSid " +
			"MemberOfGroup Name ObjectCategory ObjectClass Office PoliciesExcluded PoliciesIncluded " +
			"PrimarySmtpAddress RecipientType RecipientTypeDetails ResourceType RetentionPolicy SamAccountName " +
			"ServerLegacyDN ServerName SharingPolicy SKUAssigned UsageLocation WhenChanged WhenChangedUTC " +
			"WhenCreated WhenCreatedUTC WhenMailboxCreated WindowsLiveID"),
		unfilterable: strings.Fields("CountryCode ExternalDirectoryObjectId MasterAccountSid MemberOfGroup Members"),
	}
}

// casMailboxFilter is the filter-properties.md entries available on
// Get-CASMailbox: the protocol switches and the common identity properties.
func casMailboxFilter() filterSpec {
	return filterSpec{
		names: strings.Fields("ActiveSyncAllowedDeviceIDs ActiveSyncBlockedDeviceIDs ActiveSyncEnabled " +
			"ActiveSyncMailboxPolicy ActiveSyncSuppressReadReceipt DisplayName DistinguishedName ECPEnabled " +
			"EmailAddresses EwsApplicationAccessPolicy EwsEnabled ExchangeVersion ExternalDirectoryObjectId Guid " +
			"HasActiveSyncDevicePartnership Id ImapEnabled LegacyExchangeDN MAPIEnabled MemberOfGroup Name " +
			"ObjectCategory ObjectClass OWAEnabled OWAforDevicesEnabled OwaMailboxPolicy PopEnabled " +
			"PrimarySmtpAddress SamAccountName ServerLegacyDN ServerName WhenChanged WhenChangedUTC WhenCreated " +
			"WhenCreatedUTC"),
		unfilterable: strings.Fields("ExternalDirectoryObjectId MemberOfGroup"),
	}
}

// valueKinds classifies every filter name that is not plain String, from the
// "Value" column of filter-properties.md.
func valueKinds() map[string]ValueKind {
	kinds := map[ValueKind]string{
		MultiString: "AcceptMessagesOnlyFrom AcceptMessagesOnlyFromDLMembers ActiveSyncAllowedDeviceIDs " +
			"ActiveSyncBlockedDeviceIDs AddressListMembership AdministrativeUnits AggregatedMailboxGuids " +
			"ArchiveName EmailAddresses " + numbered("ExtensionCustomAttribute", 5) + " " +
			"GeneratedOfflineAddressBooks GrantSendOnBehalfTo InPlaceHolds LanguagesRaw MailTipTranslations " +
			"ManagedBy MemberOfGroup Members ModeratedBy ObjectClass PersistedCapabilities PoliciesExcluded " +
			"PoliciesIncluded ProtocolSettings RejectMessagesFrom RejectMessagesFromDLMembers ResourceCustom",
		Bool: "ActiveSyncEnabled ActiveSyncSuppressReadReceipt AuditEnabled CalendarRepairDisabled " +
			"ComplianceTagHoldApplied DeliverToMailboxAndForward ECPEnabled EmailAddressPolicyEnabled EwsEnabled " +
			"HasActiveSyncDevicePartnership HiddenFromAddressListsEnabled ImapEnabled IncludeInGarbageCollection " +
			"IsDirSynced IsExcludedFromServingHierarchy IsHierarchyReady IsHierarchySyncEnabled IsInactiveMailbox " +
			"IsLinked IsMailboxEnabled IsResource IsShared IsSoftDeletedByDisable IsSoftDeletedByRemove " +
			"LitigationHoldEnabled MAPIEnabled ModerationEnabled OWAEnabled OWAforDevicesEnabled PopEnabled " +
			"RequireAllSendersAreAuthenticated SingleItemRecoveryEnabled SKUAssigned UseDatabaseQuotaDefaults",
		Int: "CountryCode ExchangeVersion MaxBlockedSenders MaxSafeSenders ResourceCapacity SCLDeleteThresholdInt " +
			"SCLJunkThresholdInt SCLQuarantineThresholdInt SCLRejectThresholdInt",
		Guid: "ArchiveGuid DisabledArchiveGuid ExchangeGuid Guid MailboxContainerGUID",
		DateTime: "LastExchangeChangedTime LitigationHoldDate StsRefreshTokensValidFrom WhenChanged WhenChangedUTC " +
			"WhenCreated WhenCreatedUTC WhenMailboxCreated WhenSoftDeleted",
		Enum: "ArchiveRelease ArchiveState ArchiveStatus DeletedItemFlags EwsApplicationAccessPolicy " +
			"ExchangeUserAccountControl ExternalOofOptions MailboxMoveFlags MailboxMoveStatus MailboxRelease " +
			"RecipientType RecipientTypeDetails RemoteRecipientType ResourceType",
		// RecipientLimits is a count, but like the sizes it may be 'Unlimited'.
		Size: "ArchiveQuota ArchiveWarningQuota CalendarLoggingQuota IssueWarningQuota MaxReceiveSize MaxSendSize " +
			"ProhibitSendQuota ProhibitSendReceiveQuota RecipientLimits RecoverableItemsQuota " +
			"RecoverableItemsWarningQuota RulesQuota",
		TimeSpan: "AuditLogAgeLimit RetainDeletedItemsFor",
	}
	byName := make(map[string]ValueKind)
	for kind, names := range kinds {
		for _, name := range strings.Fields(names) {
			byName[strings.ToLower(name)] = kind
		}
	}
	return byName
}
