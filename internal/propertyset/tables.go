package propertyset

import (
	"fmt"
	"strings"
)

// catalogSpec is one cmdlet's data as the spec gives it, before
// newCatalog indexes it.
type catalogSpec struct {
	cmdlet string
	// display is the Minimum output in its printed order (§5.1); it may
	// carry more than the documented Minimum table.
	display []string
	// sets are the documented tables, Minimum first, names and properties
	// verbatim and in table order.
	sets []propertySet
	// unionAll adds an "All" set made of every table plus allExtras; false
	// where All is itself a table (Get-EXOMailboxStatistics) or absent
	// (Get-EXORecipient).
	unionAll  bool
	allExtras []string
	// moreProperties are valid in -Properties without being in any set.
	moreProperties []string
	filter         filterSpec
}

// propertySet is one row of a property-set table.
type propertySet struct {
	name       string
	properties []string
}

// set builds a table row from the spec's space-separated list.
func set(name, properties string) propertySet {
	return propertySet{name: name, properties: strings.Fields(properties)}
}

// numbered expands the spec's "Prefix1–N" shorthand.
func numbered(prefix string, last int) string {
	names := make([]string, last)
	for i := range names {
		names[i] = fmt.Sprintf("%s%d", prefix, i+1)
	}
	return strings.Join(names, " ")
}

// specs lists the four cmdlets with property sets (cmdlet-surface.md §3).
func specs() []catalogSpec {
	return []catalogSpec{mailboxSpec(), casMailboxSpec(), recipientSpec(), mailboxStatisticsSpec()}
}

func mailboxSpec() catalogSpec {
	return catalogSpec{
		cmdlet: "Get-EXOMailbox",
		// The documented Minimum plus Identity, in the observed order.
		display: strings.Fields("ExternalDirectoryObjectId UserPrincipalName Alias DisplayName EmailAddresses " +
			"PrimarySmtpAddress RecipientType RecipientTypeDetails Identity Id ExchangeVersion Name " +
			"DistinguishedName OrganizationId Guid"),
		sets: []propertySet{
			set("Minimum", "Alias DisplayName DistinguishedName EmailAddresses ExchangeVersion ExternalDirectoryObjectId "+
				"Guid Id Name OrganizationId PrimarySmtpAddress RecipientType RecipientTypeDetails UserPrincipalName"),
			set("AddressList", "AddressBookPolicy AddressListMembership ExternalDirectoryObjectId "+
				"GeneratedOfflineAddressBooks HiddenFromAddressListsEnabled OfflineAddressBook"),
			set("Archive", "ArchiveDatabase ArchiveDomain ArchiveGuid ArchiveName ArchiveQuota ArchiveRelease "+
				"ArchiveState ArchiveStatus ArchiveWarningQuota AutoExpandingArchiveEnabled DisabledArchiveDatabase "+
				"DisabledArchiveGuid ExternalDirectoryObjectId JournalArchiveAddress"),
			set("Audit", "AuditAdmin AuditDelegate AuditEnabled AuditLogAgeLimit AuditOwner DefaultAuditSet "+
				"ExternalDirectoryObjectId"),
			set("Custom", numbered("CustomAttribute", 15)+" "+numbered("ExtensionCustomAttribute", 5)+
				" ExternalDirectoryObjectId"),
			set("Delivery", "AcceptMessagesOnlyFrom AcceptMessagesOnlyFromDLMembers "+
				"AcceptMessagesOnlyFromSendersOrMembers DeliverToMailboxAndForward "+
				"DowngradeHighPriorityMessagesEnabled ExternalDirectoryObjectId ForwardingAddress "+
				"ForwardingSmtpAddress GrantSendOnBehalfTo MaxBlockedSenders MaxReceiveSize MaxSafeSenders "+
				"MaxSendSize MessageCopyForSendOnBehalfEnabled MessageCopyForSentAsEnabled "+
				"MessageRecallProcessingEnabled MessageTrackingReadStatusEnabled RecipientLimits "+
				"RejectMessagesFrom RejectMessagesFromDLMembers RejectMessagesFromSendersOrMembers RulesQuota"),
			set("Hold", "ComplianceTagHoldApplied DelayHoldApplied ExternalDirectoryObjectId InPlaceHolds "+
				"InactiveMailboxRetireTime LitigationHoldDate LitigationHoldDuration LitigationHoldEnabled "+
				"LitigationHoldOwner"),
			set("Moderation", "BypassModerationFromSendersOrMembers ExternalDirectoryObjectId ModeratedBy "+
				"ModerationEnabled SendModerationNotifications"),
			set("Move", "ExternalDirectoryObjectId MailboxMoveBatchName MailboxMoveFlags MailboxMoveRemoteHostName "+
				"MailboxMoveSourceMDB MailboxMoveStatus MailboxMoveTargetMDB"),
			set("Policy", "AddressBookPolicy DataEncryptionPolicy EmailAddressPolicyEnabled ExternalDirectoryObjectId "+
				"ManagedFolderMailboxPolicy PoliciesExcluded PoliciesIncluded RemoteAccountPolicy RetentionPolicy "+
				"RetentionUrl RoleAssignmentPolicy SharingPolicy ThrottlingPolicy"),
			set("PublicFolder", "DefaultPublicFolderMailbox EffectivePublicFolderMailbox ExternalDirectoryObjectId "+
				"IsExcludedFromServingHierarchy IsHierarchyReady IsHierarchySyncEnabled IsRootPublicFolderMailbox"),
			set("Quota", "ArchiveQuota ArchiveWarningQuota CalendarLoggingQuota ExternalDirectoryObjectId "+
				"IssueWarningQuota ProhibitSendQuota ProhibitSendReceiveQuota RecoverableItemsQuota "+
				"RecoverableItemsWarningQuota RulesQuota UseDatabaseQuotaDefaults"),
			set("Resource", "ExternalDirectoryObjectId IsResource ResourceCapacity ResourceCustom ResourceType "+
				"RoomMailboxAccountEnabled"),
			set("Retention", "EndDateForRetentionHold ExternalDirectoryObjectId OrphanSoftDeleteTrackingTime "+
				"RetainDeletedItemsFor RetainDeletedItemsUntilBackup RetentionComment RetentionHoldEnabled "+
				"RetentionPolicy RetentionUrl SingleItemRecoveryEnabled StartDateForRetentionHold "+
				"UseDatabaseRetentionDefaults"),
			set("SCL", "AntispamBypassEnabled ExternalDirectoryObjectId SCLDeleteEnabled SCLDeleteThreshold "+
				"SCLJunkEnabled SCLJunkThreshold SCLQuarantineEnabled SCLQuarantineThreshold SCLRejectEnabled "+
				"SCLRejectThreshold"),
			set("SoftDelete", "ExternalDirectoryObjectId IncludeInGarbageCollection IsInactiveMailbox "+
				"IsSoftDeletedByDisable IsSoftDeletedByRemove WhenSoftDeleted"),
			set("StatisticsSeed", "ArchiveDatabaseGuid DatabaseGuid ExchangeGuid ExternalDirectoryObjectId"),
		},
		unionAll: true,
		// 3.7.1 added it to the output; it is reachable through All.
		allExtras: []string{"ExoExchangeSecurityDescriptor"},
		// Get-Mailbox properties scripts commonly ask for (§5.2) that are in
		// no table and not filterable; the filterable ones are valid anyway.
		moreProperties: strings.Fields("AccountDisabled Database ExchangeObjectId Languages"),
		filter:         mailboxFilter(),
	}
}

func casMailboxSpec() catalogSpec {
	minimum := set("Minimum", "ActiveSyncEnabled DisplayName ECPEnabled EmailAddresses EwsEnabled "+
		"ExchangeVersion Guid Identity ImapEnabled MAPIEnabled Name OWAEnabled OrganizationId PopEnabled "+
		"PrimarySmtpAddress ServerLegacyDN")
	return catalogSpec{
		cmdlet:  "Get-EXOCasMailbox",
		display: minimum.properties,
		sets: []propertySet{
			minimum,
			set("ActiveSync", "ActiveSyncAllowedDeviceIDs ActiveSyncBlockedDeviceIDs ActiveSyncEnabled "+
				"ActiveSyncMailboxPolicy ActiveSyncMailboxPolicyIsDefaulted ActiveSyncSuppressReadReceipt "+
				"ExternalDirectoryObjectId Guid HasActiveSyncDevicePartnership Identity Name OrganizationId"),
			set("Ews", "EwsAllowMacOutlook EwsAllowOutlook EwsEnabled ExternalDirectoryObjectId Guid Identity "+
				"Name OrganizationId"),
			set("Imap", "ExternalDirectoryObjectId Guid Identity ImapEnableExactRFC822Size ImapEnabled "+
				"ImapForceICalForCalendarRetrievalOption ImapMessagesRetrievalMimeFormat ImapSuppressReadReceipt "+
				"ImapUseProtocolDefaults Name OrganizationId"),
			set("Mapi", "ExternalDirectoryObjectId Guid Identity MAPIBlockOutlookExternalConnectivity "+
				"MAPIBlockOutlookNonCachedMode MAPIBlockOutlookRpcHttp MAPIBlockOutlookVersions MAPIEnabled "+
				"MapiHttpEnabled Name OrganizationId"),
			set("Pop", "ExternalDirectoryObjectId Guid Identity Name OrganizationId PopEnableExactRFC822Size "+
				"PopEnabled PopMessagesRetrievalMimeFormat PopSuppressReadReceipt PopUseProtocolDefaults"),
			set("ProtocolSettings", "ExternalDirectoryObjectId ExternalImapSettings ExternalPopSettings "+
				"ExternalSmtpSettings Guid Identity InternalImapSettings InternalPopSettings InternalSmtpSettings "+
				"Name OrganizationId"),
		},
		unionAll: true,
		filter:   casMailboxFilter(),
	}
}

func recipientSpec() catalogSpec {
	return catalogSpec{
		cmdlet: "Get-EXORecipient",
		// The observed default output; the documented Minimum is a subset
		// (and spells ExternalDirectoryObjectID, which this casing replaces).
		display: strings.Fields("ExternalDirectoryObjectId Identity Alias EmailAddresses DisplayName Name " +
			"PrimarySmtpAddress RecipientType RecipientTypeDetails ExchangeVersion DistinguishedName OrganizationId"),
		sets: []propertySet{
			set("Minimum", "ExchangeVersion ExternalDirectoryObjectID Name OrganizationId RecipientType "+
				"RecipientTypeDetails"),
			set("Archive", "ArchiveDatabase ArchiveGuid ArchiveRelease ArchiveState ArchiveStatus"),
			set("Custom", numbered("CustomAttribute", 15)+" "+numbered("ExtensionCustomAttribute", 5)),
			set("MailboxMove", "MailboxMoveBatchName MailboxMoveFlags MailboxMoveRemoteHostName "+
				"MailboxMoveSourceMDB MailboxMoveStatus MailboxMoveTargetMDB"),
			set("Policy", "ActiveSyncMailboxPolicy ActiveSyncMailboxPolicyIsDefaulted AddressBookPolicy "+
				"EmailAddressPolicyEnabled ManagedFolderMailboxPolicy OwaMailboxPolicy PoliciesExcluded "+
				"PoliciesIncluded RetentionPolicy SharingPolicy ShouldUseDefaultRetentionPolicy UMMailboxPolicy"),
		},
		// The documentation lists no All set for this cmdlet, so its
		// PropertySets parameter rejects it.
		unionAll: false,
		filter:   recipientFilter(),
	}
}

func mailboxStatisticsSpec() catalogSpec {
	minimum := set("Minimum", "DeletedItemCount DisplayName ItemCount MailboxGuid TotalDeletedItemSize TotalItemSize")
	return catalogSpec{
		cmdlet:  "Get-EXOMailboxStatistics",
		display: minimum.properties,
		sets: []propertySet{
			minimum,
			set("All", "AssociatedItemCount AttachmentTableAvailableSize AttachmentTableTotalSize "+
				"DatabaseIssueWarningQuota DatabaseName DatabaseProhibitSendQuota DatabaseProhibitSendReceiveQuota "+
				"DeletedItemCount DisconnectDate DisconnectReason DisplayName "+
				"DumpsterMessagesPerFolderCountReceiveQuota DumpsterMessagesPerFolderCountWarningQuota "+
				"ExternalDirectoryOrganizationId FastIsEnabled FolderHierarchyChildrenCountReceiveQuota "+
				"FolderHierarchyChildrenCountWarningQuota FolderHierarchyDepthReceiveQuota "+
				"FolderHierarchyDepthWarningQuota FoldersCountReceiveQuota FoldersCountWarningQuota "+
				"IsAbandonedMoveDestination IsArchiveMailbox IsDatabaseCopyActive IsHighDensityShard "+
				"IsMoveDestination IsQuarantined ItemCount LastLoggedOnUserAccount LastLogoffTime LastLogonTime "+
				"LegacyDN MailboxGuid MailboxMessagesPerFolderCountReceiveQuota "+
				"MailboxMessagesPerFolderCountWarningQuota MailboxType MailboxTypeDetail MessageTableAvailableSize "+
				"MessageTableTotalSize NamedPropertiesCountQuota NeedsToMove OtherTablesAvailableSize "+
				"OtherTablesTotalSize OwnerADGuid QuarantineClients QuarantineDescription QuarantineEnd "+
				"QuarantineFileVersion QuarantineLastCrash ResourceUsageRollingAvgDatabaseReads "+
				"ResourceUsageRollingAvgRop ResourceUsageRollingClientTypes ServerName StorageLimitStatus "+
				"SystemMessageCount SystemMessageSize SystemMessageSizeShutoffQuota SystemMessageSizeWarningQuota "+
				"TotalDeletedItemSize TotalItemSize"),
		},
		// Exposed since 2.0.4 but not part of the All table.
		moreProperties: []string{"LastUserActionTime", "LastInteractionTime"},
	}
}
