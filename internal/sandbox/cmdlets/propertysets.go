package cmdlets

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/openexo/exo/internal/sandbox/adminapi"
)

// The property sets of the Get-EXO* cmdlets: the sandbox's own copy of the
// tables in cmdlet-surface.md §3, verbatim and in table order, except that
// Minimum is the observed default output where it is wider than the
// documented list (§3 caveat): Get-EXOMailbox's adds Identity and is in
// the §5.1 display order, Get-EXORecipient's is the observed twelve.

type propertySet struct {
	name  string
	props []string
}

// entityShape is what an entity type offers PropertySet and $select.
type entityShape struct {
	typeName string        // in messages, e.g. Exchange.Mailbox
	sets     []propertySet // Minimum first; All is implicit
	all      []string      // the All set; also Minimum when sets is empty
	known    map[string]string
}

// newShape makes a shape whose properties are all, the sets' and extra
// (selectable, but in no set), spelled as in all where they overlap.
func newShape(typeName string, sets []propertySet, all []string, extra ...string) *entityShape {
	s := &entityShape{typeName: typeName, sets: sets, all: all, known: map[string]string{}}
	add := func(names []string) {
		for _, n := range names {
			if _, ok := s.known[strings.ToLower(n)]; !ok {
				s.known[strings.ToLower(n)] = n
			}
		}
	}
	add(all)
	for _, ps := range sets {
		add(ps.props)
	}
	add(extra)
	for _, ps := range sets {
		for _, n := range ps.props {
			if !slices.Contains(s.all, s.known[strings.ToLower(n)]) {
				s.all = append(slices.Clip(s.all), s.known[strings.ToLower(n)])
			}
		}
	}
	return s
}

// setNames lists the valid PropertySet values.
func (s *entityShape) setNames() []string {
	names := []string{"Minimum"}
	for _, ps := range s.sets[min(1, len(s.sets)):] {
		names = append(names, ps.name)
	}
	return append(names, "All")
}

// properties lists what an entity carries: Minimum, each requested set in
// table order, then the $select names, each once and spelled canonically.
func (s *entityShape) properties(sets, sel []string) ([]string, error) {
	want := map[string]bool{}
	for _, n := range sets {
		if !slices.ContainsFunc(s.setNames(), func(v string) bool { return strings.EqualFold(v, n) }) {
			return nil, &adminapi.CmdletError{Class: adminapi.ClassRestClient, Status: http.StatusBadRequest, Message: fmt.Sprintf(
				"The property set '%s' is not valid for %s. Valid property sets are %s.", n, s.typeName, strings.Join(s.setNames(), ", "))}
		}
		want[strings.ToLower(n)] = true
	}
	var out []string
	seen := map[string]bool{}
	add := func(names []string) {
		for _, n := range names {
			if l := strings.ToLower(n); !seen[l] {
				seen[l] = true
				out = append(out, s.known[l])
			}
		}
	}
	if len(s.sets) == 0 {
		add(s.all)
	}
	for i, ps := range s.sets {
		if i == 0 || want[strings.ToLower(ps.name)] {
			add(ps.props)
		}
	}
	if want["all"] {
		add(s.all)
	}
	for _, n := range sel {
		if _, ok := s.known[strings.ToLower(n)]; !ok {
			return nil, &adminapi.CmdletError{Class: adminapi.ClassRestClient, Status: http.StatusBadRequest, Message: fmt.Sprintf(
				"Could not find a property named '%s' on type '%s'.", n, s.typeName)}
		}
		add([]string{n})
	}
	return out, nil
}

// names lists a view's fields in order.
func (v *view) names() []string {
	out := make([]string, len(v.fields))
	for i, f := range v.fields {
		out[i] = f.name
	}
	return out
}

// without drops names case-insensitively.
func without(names []string, drop ...string) []string {
	return slices.DeleteFunc(slices.Clone(names), func(n string) bool {
		return slices.ContainsFunc(drop, func(d string) bool { return strings.EqualFold(d, n) })
	})
}

// The shapes of the entity types. Mailbox, CasMailbox and Recipient offer
// their classic cmdlet's output, less what the Get-EXO* output omits
// (cmdlet-surface.md §2.1, §2.2).
var (
	mailboxShape = newShape("Exchange.Mailbox", []propertySet{
		{"Minimum", strings.Fields(`ExternalDirectoryObjectId UserPrincipalName Alias DisplayName EmailAddresses
			PrimarySmtpAddress RecipientType RecipientTypeDetails Identity Id ExchangeVersion Name DistinguishedName
			OrganizationId Guid`)},
		{"AddressList", strings.Fields(`AddressBookPolicy AddressListMembership ExternalDirectoryObjectId
			GeneratedOfflineAddressBooks HiddenFromAddressListsEnabled OfflineAddressBook`)},
		{"Archive", strings.Fields(`ArchiveDatabase ArchiveDomain ArchiveGuid ArchiveName ArchiveQuota ArchiveRelease
			ArchiveState ArchiveStatus ArchiveWarningQuota AutoExpandingArchiveEnabled DisabledArchiveDatabase
			DisabledArchiveGuid ExternalDirectoryObjectId JournalArchiveAddress`)},
		{"Audit", strings.Fields(`AuditAdmin AuditDelegate AuditEnabled AuditLogAgeLimit AuditOwner DefaultAuditSet
			ExternalDirectoryObjectId`)},
		{"Custom", append(append(numbered("CustomAttribute", 15), numbered("ExtensionCustomAttribute", 5)...),
			"ExternalDirectoryObjectId")},
		{"Delivery", strings.Fields(`AcceptMessagesOnlyFrom AcceptMessagesOnlyFromDLMembers
			AcceptMessagesOnlyFromSendersOrMembers DeliverToMailboxAndForward DowngradeHighPriorityMessagesEnabled
			ExternalDirectoryObjectId ForwardingAddress ForwardingSmtpAddress GrantSendOnBehalfTo MaxBlockedSenders
			MaxReceiveSize MaxSafeSenders MaxSendSize MessageCopyForSendOnBehalfEnabled MessageCopyForSentAsEnabled
			MessageRecallProcessingEnabled MessageTrackingReadStatusEnabled RecipientLimits RejectMessagesFrom
			RejectMessagesFromDLMembers RejectMessagesFromSendersOrMembers RulesQuota`)},
		{"Hold", strings.Fields(`ComplianceTagHoldApplied DelayHoldApplied ExternalDirectoryObjectId InPlaceHolds
			InactiveMailboxRetireTime LitigationHoldDate LitigationHoldDuration LitigationHoldEnabled
			LitigationHoldOwner`)},
		{"Moderation", strings.Fields(`BypassModerationFromSendersOrMembers ExternalDirectoryObjectId ModeratedBy
			ModerationEnabled SendModerationNotifications`)},
		{"Move", strings.Fields(`ExternalDirectoryObjectId MailboxMoveBatchName MailboxMoveFlags MailboxMoveRemoteHostName
			MailboxMoveSourceMDB MailboxMoveStatus MailboxMoveTargetMDB`)},
		{"Policy", strings.Fields(`AddressBookPolicy DataEncryptionPolicy EmailAddressPolicyEnabled ExternalDirectoryObjectId
			ManagedFolderMailboxPolicy PoliciesExcluded PoliciesIncluded RemoteAccountPolicy RetentionPolicy
			RetentionUrl RoleAssignmentPolicy SharingPolicy ThrottlingPolicy`)},
		{"PublicFolder", strings.Fields(`DefaultPublicFolderMailbox EffectivePublicFolderMailbox ExternalDirectoryObjectId
			IsExcludedFromServingHierarchy IsHierarchyReady IsHierarchySyncEnabled IsRootPublicFolderMailbox`)},
		{"Quota", strings.Fields(`ArchiveQuota ArchiveWarningQuota CalendarLoggingQuota ExternalDirectoryObjectId
			IssueWarningQuota ProhibitSendQuota ProhibitSendReceiveQuota RecoverableItemsQuota
			RecoverableItemsWarningQuota RulesQuota UseDatabaseQuotaDefaults`)},
		{"Resource", strings.Fields(`ExternalDirectoryObjectId IsResource ResourceCapacity ResourceCustom ResourceType
			RoomMailboxAccountEnabled`)},
		{"Retention", strings.Fields(`EndDateForRetentionHold ExternalDirectoryObjectId OrphanSoftDeleteTrackingTime
			RetainDeletedItemsFor RetainDeletedItemsUntilBackup RetentionComment RetentionHoldEnabled RetentionPolicy
			RetentionUrl SingleItemRecoveryEnabled StartDateForRetentionHold UseDatabaseRetentionDefaults`)},
		{"SCL", strings.Fields(`AntispamBypassEnabled ExternalDirectoryObjectId SCLDeleteEnabled SCLDeleteThreshold
			SCLJunkEnabled SCLJunkThreshold SCLQuarantineEnabled SCLQuarantineThreshold SCLRejectEnabled
			SCLRejectThreshold`)},
		{"SoftDelete", strings.Fields(`ExternalDirectoryObjectId IncludeInGarbageCollection IsInactiveMailbox
			IsSoftDeletedByDisable IsSoftDeletedByRemove WhenSoftDeleted`)},
		{"StatisticsSeed", strings.Fields(`ArchiveDatabaseGuid DatabaseGuid ExchangeGuid ExternalDirectoryObjectId`)},
	}, without(mailboxView.names(), "RunspaceId", "Servername", "AdminDisplayVersion", "DelayReleaseHoldApplied",
		"EnforcedTimestamps", "Description", "OriginatingServer", "IsValid", "ObjectState"))

	casMailboxShape = newShape("Exchange.CasMailbox", []propertySet{
		{"Minimum", strings.Fields(`ActiveSyncEnabled DisplayName ECPEnabled EmailAddresses EwsEnabled ExchangeVersion Guid
			Identity ImapEnabled MAPIEnabled Name OWAEnabled OrganizationId PopEnabled PrimarySmtpAddress
			ServerLegacyDN`)},
		{"ActiveSync", strings.Fields(`ActiveSyncAllowedDeviceIDs ActiveSyncBlockedDeviceIDs ActiveSyncEnabled
			ActiveSyncMailboxPolicy ActiveSyncMailboxPolicyIsDefaulted ActiveSyncSuppressReadReceipt
			ExternalDirectoryObjectId Guid HasActiveSyncDevicePartnership Identity Name OrganizationId`)},
		{"Ews", strings.Fields(`EwsAllowMacOutlook EwsAllowOutlook EwsEnabled ExternalDirectoryObjectId Guid Identity Name
			OrganizationId`)},
		{"Imap", strings.Fields(`ExternalDirectoryObjectId Guid Identity ImapEnableExactRFC822Size ImapEnabled
			ImapForceICalForCalendarRetrievalOption ImapMessagesRetrievalMimeFormat ImapSuppressReadReceipt
			ImapUseProtocolDefaults Name OrganizationId`)},
		{"Mapi", strings.Fields(`ExternalDirectoryObjectId Guid Identity MAPIBlockOutlookExternalConnectivity
			MAPIBlockOutlookNonCachedMode MAPIBlockOutlookRpcHttp MAPIBlockOutlookVersions MAPIEnabled
			MapiHttpEnabled Name OrganizationId`)},
		{"Pop", strings.Fields(`ExternalDirectoryObjectId Guid Identity Name OrganizationId PopEnableExactRFC822Size
			PopEnabled PopMessagesRetrievalMimeFormat PopSuppressReadReceipt PopUseProtocolDefaults`)},
		{"ProtocolSettings", strings.Fields(`ExternalDirectoryObjectId ExternalImapSettings ExternalPopSettings
			ExternalSmtpSettings Guid Identity InternalImapSettings InternalPopSettings InternalSmtpSettings Name
			OrganizationId`)},
	}, without(casMailboxView.names(), "RunspaceId", "Servername", "OriginatingServer", "IsValid"))

	recipientShape = newShape("Exchange.Recipient", []propertySet{
		{"Minimum", strings.Fields(`ExternalDirectoryObjectId Identity Alias EmailAddresses DisplayName Name
			PrimarySmtpAddress RecipientType RecipientTypeDetails ExchangeVersion DistinguishedName OrganizationId`)},
		{"Archive", strings.Fields(`ArchiveDatabase ArchiveGuid ArchiveRelease ArchiveState ArchiveStatus`)},
		{"Custom", append(numbered("CustomAttribute", 15), numbered("ExtensionCustomAttribute", 5)...)},
		{"MailboxMove", strings.Fields(`MailboxMoveBatchName MailboxMoveFlags MailboxMoveRemoteHostName MailboxMoveSourceMDB
			MailboxMoveStatus MailboxMoveTargetMDB`)},
		{"Policy", strings.Fields(`ActiveSyncMailboxPolicy ActiveSyncMailboxPolicyIsDefaulted AddressBookPolicy
			EmailAddressPolicyEnabled ManagedFolderMailboxPolicy OwaMailboxPolicy PoliciesExcluded PoliciesIncluded
			RetentionPolicy SharingPolicy ShouldUseDefaultRetentionPolicy UMMailboxPolicy`)},
	}, recipientView.names())

	// Get-EXOMailboxStatistics: All is a table of its own; two more
	// properties are reachable by $select only (§3).
	statisticsShape = newShape("Exchange.MailboxStatistics", []propertySet{
		{"Minimum", strings.Fields(`DeletedItemCount DisplayName ItemCount MailboxGuid TotalDeletedItemSize TotalItemSize`)},
	}, strings.Fields(`AssociatedItemCount AttachmentTableAvailableSize AttachmentTableTotalSize DatabaseIssueWarningQuota
		DatabaseName DatabaseProhibitSendQuota DatabaseProhibitSendReceiveQuota DeletedItemCount DisconnectDate
		DisconnectReason DisplayName DumpsterMessagesPerFolderCountReceiveQuota
		DumpsterMessagesPerFolderCountWarningQuota ExternalDirectoryOrganizationId FastIsEnabled
		FolderHierarchyChildrenCountReceiveQuota FolderHierarchyChildrenCountWarningQuota
		FolderHierarchyDepthReceiveQuota FolderHierarchyDepthWarningQuota FoldersCountReceiveQuota
		FoldersCountWarningQuota IsAbandonedMoveDestination IsArchiveMailbox IsDatabaseCopyActive IsHighDensityShard
		IsMoveDestination IsQuarantined ItemCount LastLoggedOnUserAccount LastLogoffTime LastLogonTime LegacyDN
		MailboxGuid MailboxMessagesPerFolderCountReceiveQuota MailboxMessagesPerFolderCountWarningQuota MailboxType
		MailboxTypeDetail MessageTableAvailableSize MessageTableTotalSize NamedPropertiesCountQuota NeedsToMove
		OtherTablesAvailableSize OtherTablesTotalSize OwnerADGuid QuarantineClients QuarantineDescription
		QuarantineEnd QuarantineFileVersion QuarantineLastCrash ResourceUsageRollingAvgDatabaseReads
		ResourceUsageRollingAvgRop ResourceUsageRollingClientTypes ServerName StorageLimitStatus SystemMessageCount
		SystemMessageSize SystemMessageSizeShutoffQuota SystemMessageSizeWarningQuota TotalDeletedItemSize
		TotalItemSize`), "LastUserActionTime", "LastInteractionTime")

	// The other entity types have no property sets: each entity carries
	// all of its properties (docs/entity-routes.md).
	mailboxPermissionShape = newShape("Exchange.MailboxPermission", nil,
		strings.Fields(`PermissionId MailboxIdentity User IsOwner PermissionList`))
	recipientPermissionShape = newShape("Exchange.RecipientPermission", nil,
		strings.Fields(`Identity Trustee AccessControlType AccessRights IsInherited InheritanceType`))
	folderPermissionShape = newShape("Exchange.MailboxFolderPermission", nil,
		strings.Fields(`Identity FolderName User AccessRights SharingPermissionFlags`))
	folderStatisticsShape = newShape("Exchange.MailboxFolderStatistics", nil,
		strings.Fields(`Date CreationTime LastModifiedTime Name FolderPath FolderId FolderType ContainerClass ItemsInFolder
		DeletedItemsInFolder FolderSize ItemsInFolderAndSubfolders DeletedItemsInFolderAndSubfolders
		FolderAndSubfolderSize OldestItemReceivedDate NewestItemReceivedDate VisibleItemsInFolder
		HiddenItemsInFolder Identity IsValid ObjectState`))
	mobileDeviceShape = newShape("Exchange.MobileDeviceStatistics", nil, mobileDeviceView.names())
)
