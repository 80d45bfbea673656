package opath

import (
	"strconv"
	"strings"
)

// cmdletSet is a set of the cmdlets whose -Filter Exchange Online supports.
type cmdletSet uint16

const (
	cas cmdletSet = 1 << iota // Get-CASMailbox
	con                       // Get-Contact
	dg                        // Get-DistributionGroup
	ddg                       // Get-DynamicDistributionGroup
	grp                       // Get-Group
	lu                        // Get-LinkedUser
	mbx                       // Get-Mailbox
	mc                        // Get-MailContact
	mpf                       // Get-MailPublicFolder
	mu                        // Get-MailUser
	rcp                       // Get-Recipient
	sp                        // Get-SecurityPrincipal
	usr                       // Get-User
	ug                        // Get-UnifiedGroup

	anyCmdlet = cas | con | dg | ddg | grp | lu | mbx | mc | mpf | mu | rcp | sp | usr | ug
	// Groups of cmdlets that recur in filter-properties.md.
	mailEnabled = dg | ddg | mbx | mc | mpf | mu | ug // AcceptMessagesOnlyFrom and friends
	person      = con | lu | usr                      // AssistantName and friends
)

func cmdletByName(name string) (cmdletSet, bool) {
	switch strings.ToLower(name) {
	case "get-casmailbox":
		return cas, true
	case "get-contact":
		return con, true
	case "get-distributiongroup":
		return dg, true
	case "get-dynamicdistributiongroup":
		return ddg, true
	case "get-group":
		return grp, true
	case "get-linkeduser":
		return lu, true
	case "get-mailbox":
		return mbx, true
	case "get-mailcontact":
		return mc, true
	case "get-mailpublicfolder":
		return mpf, true
	case "get-mailuser":
		return mu, true
	case "get-recipient":
		return rcp, true
	case "get-securityprincipal":
		return sp, true
	case "get-user":
		return usr, true
	case "get-unifiedgroup":
		return ug, true
	}
	return 0, false
}

// propRow is one property of filter-properties.md and the cmdlets it is
// filterable on in Exchange Online.
type propRow struct {
	Property
	in cmdletSet
}

// opt flags abbreviate the Property booleans in the table below.
type opt uint8

const (
	multi opt = 1 << iota
	wild
	noNull
	unlimited
	inverted
)

func row(name string, k Kind, in cmdletSet, o opt, values ...string) propRow {
	return propRow{in: in, Property: Property{
		Name:      name,
		Kind:      k,
		Multi:     o&multi != 0,
		Wildcard:  o&wild != 0,
		NoNull:    o&noNull != 0,
		Unlimited: o&unlimited != 0,
		Inverted:  o&inverted != 0,
		Values:    values,
	}}
}

// propertyTable lists every property that filter-properties.md (2026
// revision) marks as filterable in Exchange Online, with the cmdlets it is
// filterable on there. Kinds follow the "Value" column; where the article
// says a property is multi-valued and matches by "contains", it is multi.
// Exchange-Online-specific notes are applied: ArchiveDatabase and
// DisabledArchiveDatabase can only be tested for presence, LegacyExchangeDN
// takes no wildcards, SidHistory takes no $null. Time spans and RulesQuota
// can't be compared with values, so they are Presence.
//
// It is a function, not a variable, so no caller can change the table.
func propertyTable() []propRow {
	releases := []string{"None", "E14", "E15"}
	groupRestrictions := []string{"Closed", "Open", "ApprovalRequired"}
	// RecipientType members of Exchange's enumeration, not only the eight
	// mail-enabled ones the article lists, so Get-User can filter on User.
	recipientTypes := []string{"Invalid", "User", "UserMailbox", "MailUser", "Contact", "MailContact", "Group", "MailUniversalDistributionGroup", "MailUniversalSecurityGroup", "MailNonUniversalGroup", "DynamicDistributionGroup", "PublicFolder", "PublicDatabase", "SystemAttendantMailbox", "SystemMailbox", "MicrosoftExchange", "Computer"}
	rows := []propRow{
		row("AcceptMessagesOnlyFrom", DN, mailEnabled, multi),
		row("AcceptMessagesOnlyFromDLMembers", DN, mailEnabled, multi),
		row("ActiveSyncAllowedDeviceIDs", String, cas, multi|wild),
		row("ActiveSyncBlockedDeviceIDs", String, cas, multi|wild),
		row("ActiveSyncEnabled", Bool, cas, 0),
		row("ActiveSyncMailboxPolicy", DN, cas|rcp, 0),
		row("ActiveSyncSuppressReadReceipt", Bool, cas, 0),
		row("AddressBookPolicy", DN, mbx|rcp, 0),
		row("AddressListMembership", DN, mailEnabled|rcp, multi),
		row("AdministrativeUnits", Presence, con|dg|ddg|grp|lu|mbx|mc|mpf|mu|usr|ug, multi),
		row("AggregatedMailboxGuids", String, mbx|mu, multi),
		row("Alias", String, mailEnabled|rcp, wild),
		row("AllowUMCallsFromNonUsers", Enum, person, 0, "None", "SearchEnabled"),
		row("ArbitrationMailbox", DN, dg|ddg|mbx|mc|mpf|mu, 0),
		row("ArchiveDatabase", Presence, mbx|mu|rcp, 0),
		row("ArchiveDomain", String, mbx, wild),
		row("ArchiveGuid", GUID, mbx|mu|rcp, 0),
		row("ArchiveName", String, mbx|mu, multi|wild),
		row("ArchiveQuota", Quota, mbx|mu, 0),
		row("ArchiveRelease", Enum, mbx|mu|rcp|usr, 0, releases...),
		row("ArchiveState", Enum, mbx|rcp, 0, "None", "Local", "HostedProvisioned", "HostedPending", "OnPremise"),
		row("ArchiveStatus", Enum, mbx|mu|rcp, 0, "None", "Active"),
		row("ArchiveWarningQuota", Quota, mbx|mu, 0),
		row("AssistantName", String, person, wild),
		row("AuditEnabled", Bool, mbx, 0),
		row("AuditLogAgeLimit", Presence, mbx|ug, 0),
		row("AuthenticationPolicy", DN, usr, wild),
		row("BlockedSendersHash", Presence, rcp, 0),
		row("c", String, person|rcp|sp, wild),
		row("CalendarLoggingQuota", Quota, mbx, 0),
		row("CalendarRepairDisabled", Bool, mbx, 0),
		row("CertificateSubject", String, lu|usr, multi),
		row("City", String, person|rcp, wild),
		row("Company", String, person|rcp, wild),
		row("ComplianceTagHoldApplied", Bool, mbx|mu, 0),
		row("ConsumerNetID", String, lu|usr, 0),
		row("CountryCode", Int, person|rcp|sp, 0),
		row("CountryOrRegion", String, person|rcp|sp, wild),
		row("DefaultPublicFolderMailbox", DN, mbx, 0),
		row("DeletedItemFlags", Enum, mbx|sp, 0, "DatabaseDefault", "RetainUntilBackupOrCustomPeriod", "RetainForCustomPeriod"),
		row("DeliverToMailboxAndForward", Bool, mbx|mpf|mu, 0),
		row("Department", String, person|rcp, wild),
		row("DirectReports", DN, person, multi),
		row("DisabledArchiveDatabase", Presence, mbx|mu, 0),
		row("DisabledArchiveGuid", GUID, mbx|mu, 0),
		row("DisplayName", String, anyCmdlet, wild),
		row("DistinguishedName", DN, anyCmdlet, 0),
		row("EcpEnabled", Bool, cas, 0),
		row("EmailAddresses", ProxyAddress, cas|mailEnabled|rcp, multi|wild),
		row("EmailAddressPolicyEnabled", Bool, mailEnabled|rcp, 0),
		row("EntryId", String, mpf, wild),
		row("EwsApplicationAccessPolicy", Enum, cas, 0, "EnforceAllowList", "EnforceBlockList"),
		row("EwsEnabled", Bool, cas, 0),
		row("ExchangeGuid", GUID, mbx|mu|rcp|ug, 0),
		row("ExchangeUserAccountControl", Enum, mbx|mu, 0, "None", "AccountDisabled"),
		row("ExchangeVersion", Int, anyCmdlet&^ug, 0),
		row("ExpansionServer", String, dg|ddg|rcp, wild),
		row("ExternalDirectoryObjectId", String, dg|ddg|lu|mbx|mc|mpf|mu|rcp|usr|ug, 0),
		row("ExternalEmailAddress", ProxyAddress, mc|mpf|mu|rcp, wild),
		row("ExternalOofOptions", Enum, mbx, 0, "External", "InternalOnly"),
		row("Fax", String, person, wild),
		row("FirstName", String, person|rcp, wild),
		row("ForwardingAddress", DN, mbx|mpf|mu, 0),
		row("ForwardingSmtpAddress", ProxyAddress, mbx, wild),
		row("GeneratedOfflineAddressBooks", DN, mbx, multi),
		row("GrantSendOnBehalfTo", DN, mailEnabled, multi),
		row("GroupExternalMemberCount", Int, ug, 0),
		row("GroupMemberCount", Int, ug, 0),
		row("GroupType", Flags, dg|grp|ug, 0, "None", "Global", "DomainLocal", "BuiltinLocal", "Universal", "SecurityEnabled"),
		row("Guid", GUID, anyCmdlet, 0),
		row("HasActiveSyncDevicePartnership", Bool, cas|rcp, 0),
		row("HiddenFromAddressListsEnabled", Bool, mailEnabled|rcp, 0),
		row("HiddenGroupMembershipEnabled", Bool, ug, 0),
		row("HomePhone", String, person, wild),
		row("Id", DN, anyCmdlet, 0),
		row("IgnoreMissingFolderLink", Bool, mpf, 0),
		row("ImapEnabled", Bool, cas, 0),
		row("ImmutableId", String, mbx|mu, 0),
		row("IncludeInGarbageCollection", Bool, mbx, 0),
		row("Initials", String, person, wild),
		row("InPlaceHolds", String, mbx|mu, multi),
		row("InPlaceHoldsRaw", String, lu|usr, multi),
		row("IsDirSynced", Bool, con|dg|grp|lu|mbx|mc|mu|rcp|usr|ug, 0),
		row("IsExcludedFromServingHierarchy", Bool, mbx, 0),
		row("IsHierarchyReady", Bool, mbx, 0),
		row("IsHierarchySyncEnabled", Bool, mbx, 0),
		row("IsInactiveMailbox", Bool, mbx, 0),
		row("IsLinked", Bool, lu|mbx|usr, 0),
		row("IsMailboxEnabled", Bool, mbx, 0),
		row("IsResource", Bool, mbx, 0),
		row("IsSecurityPrincipal", Bool, lu|usr, 0),
		row("IsShared", Bool, mbx, 0),
		row("IsSoftDeletedByDisable", Bool, lu|mbx|mu|usr, 0),
		row("IsSoftDeletedByRemove", Bool, lu|mbx|mu|usr, 0),
		row("IssueWarningQuota", Quota, mbx|mu, 0),
		row("JournalArchiveAddress", String, mbx|mu, 0),
		row("LanguagesRaw", String, mbx, multi|wild),
		row("LastExchangeChangedTime", DateTime, mailEnabled, 0),
		row("LastName", String, person|rcp, wild),
		row("LegacyExchangeDN", String, cas|dg|ddg|lu|mbx|mc|mpf|mu|usr|ug, 0),
		row("LitigationHoldDate", DateTime, mbx|mu, 0),
		row("LitigationHoldEnabled", Bool, mbx|mu|rcp, 0),
		row("LitigationHoldOwner", String, mbx|mu, wild),
		row("MailboxContainerGUID", GUID, mbx|mu, 0),
		row("MailboxMoveBatchName", String, mbx|mu|rcp, wild),
		row("MailboxMoveFlags", Flags, mbx|mu|rcp, 0),
		row("MailboxMoveRemoteHostName", String, mbx|mu|rcp, 0),
		row("MailboxMoveSourceMDB", DN, mbx|mu|rcp, 0),
		row("MailboxMoveStatus", Enum, mbx|mu|rcp, 0),
		row("MailboxMoveTargetMDB", DN, mbx|mu|rcp, 0),
		row("MailboxPlan", DN, mbx, 0),
		row("MailboxRelease", Enum, mbx|mu|rcp|usr, 0, releases...),
		row("MailTipTranslations", String, mailEnabled, multi|wild),
		row("ManagedBy", DN, dg|ddg|grp|rcp|ug, multi),
		row("ManagedFolderMailboxPolicy", DN, mbx|rcp, 0),
		row("Manager", DN, person|rcp, 0),
		row("MAPIEnabled", Bool, cas, 0),
		row("MasterAccountSid", String, mbx|lu|rcp|sp|usr, 0),
		row("MaxBlockedSenders", Int, mbx, 0),
		row("MaxReceiveSize", Quota, mailEnabled, 0),
		row("MaxSafeSenders", Int, mbx, 0),
		row("MaxSendSize", Quota, mailEnabled, 0),
		row("MemberDepartRestriction", Enum, dg, 0, groupRestrictions...),
		row("MemberJoinRestriction", Enum, dg, 0, groupRestrictions...),
		row("MemberOfGroup", DN, anyCmdlet&^ug, multi),
		row("Members", DN, dg|grp|rcp, multi),
		row("MobilePhone", String, person, wild),
		row("ModeratedBy", DN, mailEnabled, multi),
		row("ModerationEnabled", Bool, mailEnabled, 0),
		row("Name", String, anyCmdlet, wild),
		row("NetID", String, lu|mbx|usr, 0),
		row("Notes", String, con|ddg|grp|lu|rcp|usr|ug, wild),
		row("ObjectCategory", String, anyCmdlet, 0),
		row("ObjectClass", String, anyCmdlet, multi),
		row("Office", String, person|mbx|rcp, wild),
		row("OfflineAddressBook", DN, mbx, 0),
		row("OnPremisesObjectId", String, mpf, 0),
		row("OtherFax", String, person, multi|wild),
		row("OtherHomePhone", String, person, multi|wild),
		row("OtherTelephone", String, person, multi|wild),
		row("OWAEnabled", Bool, cas, inverted),
		row("OWAforDevicesEnabled", Bool, cas, 0),
		row("OWAMailboxPolicy", DN, cas|rcp, 0),
		row("Pager", String, person, wild),
		row("PersistedCapabilities", String, mbx|mu, multi),
		row("Phone", String, person|rcp, wild),
		row("PhoneticDisplayName", String, con|ddg|grp|lu|mpf|usr, wild),
		row("PoliciesExcluded", String, mailEnabled|rcp, multi),
		row("PoliciesIncluded", String, mailEnabled|rcp, multi),
		row("PopEnabled", Bool, cas, 0),
		row("PostalCode", String, person|rcp, wild),
		row("PostOfficeBox", String, person, multi|wild),
		row("PreviousRecipientTypeDetails", String, lu|usr, 0),
		row("PrimarySmtpAddress", ProxyAddress, cas|mailEnabled|rcp, wild),
		row("ProhibitSendQuota", Quota, mbx|mu, 0),
		row("ProhibitSendReceiveQuota", Quota, mbx|mu, 0),
		row("ProtocolSettings", String, mbx|mu, multi|wild),
		row("PublicFolderContacts", DN, mpf, multi),
		row("QueryBaseDN", DN, mbx, 0),
		row("RecipientContainer", DN, ddg, 0),
		row("RecipientLimits", Int, mbx|mu, unlimited),
		row("RecipientType", Enum, anyCmdlet&^cas, 0, recipientTypes...),
		// RecipientTypeDetails has more members than any list in the docs, so
		// it is not validated.
		row("RecipientTypeDetails", Enum, anyCmdlet&^cas, 0),
		row("RecoverableItemsQuota", Quota, mbx|mu, 0),
		row("RecoverableItemsWarningQuota", Quota, mbx|mu, 0),
		row("RejectMessagesFrom", DN, mailEnabled, multi),
		row("RejectMessagesFromDLMembers", DN, mailEnabled, multi),
		row("RemoteAccountPolicy", DN, mbx, 0),
		row("RemotePowerShellEnabled", Bool, usr, 0),
		row("RemoteRecipientType", Flags, mbx, 0, "None", "ProvisionMailbox", "ProvisionArchive", "Migrated", "DeprovisionMailbox", "DeprovisionArchive", "RoomMailbox", "EquipmentMailbox", "SharedMailbox", "TeamMailbox"),
		row("ReportToManagerEnabled", Bool, dg|ddg|ug, 0),
		row("ReportToOriginatorEnabled", Bool, dg|ddg|ug, 0),
		row("RequireAllSendersAreAuthenticated", Bool, dg|ddg|mbx|mc|mpf|mu|sp, 0),
		row("ResourceBehaviorOptions", Enum, ug, multi, "AllowOnlyMembersToPost", "CalendarMemberReadOnly", "ConnectorsEnabled", "HideGroupInOutlook", "NotebookForLearningCommunitiesEnabled", "ReportToOriginator", "SharePointReadonlyForMembers", "SubscriptionEnabled", "SubscribeMembersToCalendarEvents", "SubscribeMembersToCalendarEventsDisabled", "SubscribeNewGroupMembers", "WelcomeEmailDisabled", "WelcomeEmailEnabled"),
		row("ResourceCapacity", Int, mbx, 0),
		row("ResourceCustom", String, mbx, multi),
		row("ResourceProvisioningOptions", Enum, ug, multi, "Team"),
		row("ResourceType", Enum, mbx|rcp, 0, "Room", "Equipment"),
		row("RetainDeletedItemsFor", Presence, mbx|mu, 0),
		row("RetentionComment", String, mbx|mu, wild),
		row("RetentionPolicy", DN, mbx|rcp, 0),
		row("RetentionUrl", String, mbx|mu, wild),
		row("RoleAssignmentPolicy", DN, mbx, wild),
		row("RulesQuota", Presence, mbx, 0),
		row("SafeRecipientsHash", Presence, rcp, 0),
		row("SafeSendersHash", Presence, rcp, 0),
		row("SamAccountName", String, cas|dg|grp|lu|mbx|mu|rcp|usr, wild),
		row("SCLDeleteThresholdInt", Int, mbx, 0),
		row("SCLJunkThresholdInt", Int, mbx, 0),
		row("SCLQuarantineThresholdInt", Int, mbx, 0),
		row("SCLRejectThresholdInt", Int, mbx, 0),
		row("SendOofMessageToOriginatorEnabled", Bool, dg|ddg|ug, 0),
		row("ServerLegacyDN", String, cas|mbx|rcp, wild),
		row("ServerName", String, cas|mbx|rcp, 0),
		row("SharingPolicy", DN, mbx|rcp, 0),
		row("Sid", String, grp|lu|sp|usr, noNull),
		row("SidHistory", String, grp|lu|usr, multi|noNull),
		row("SimpleDisplayName", String, con|dg|ddg|grp|lu|mbx|mc|mpf|mu|usr, wild),
		row("SingleItemRecoveryEnabled", Bool, mbx|mu, 0),
		row("SKUAssigned", Bool, lu|mbx|mu|rcp|usr, 0),
		row("SourceAnchor", String, mbx, wild),
		row("StateOrProvince", String, person|rcp, wild),
		row("StreetAddress", String, person, wild),
		row("StsRefreshTokensValidFrom", DateTime, lu|mbx|mu|usr, 0),
		row("TelephoneAssistant", String, person, wild),
		row("ThrottlingPolicy", DN, mbx, 0),
		row("Title", String, person|rcp, wild),
		row("UpgradeRequest", Enum, usr, 0, "None", "TenantUpgrade", "PrestageUpgrade", "CancelPrestageUpgrade", "PilotUpgrade", "TenantUpgradeDryRun"),
		row("UpgradeStatus", Enum, usr, 0, "None", "NotStarted", "InProgress", "Warning", "Error", "Cancelled", "Complete", "ForceComplete"),
		row("UsageLocation", String, mbx|mu|rcp, 0),
		row("UseDatabaseQuotaDefaults", Bool, mbx, 0),
		// The article says the order of UserAccountControl members matters;
		// the sandbox compares them as a set like the other flag properties.
		row("UserAccountControl", Flags, lu|usr, 0, "AccountDisabled", "DoNotExpirePassword", "NormalAccount"),
		row("UserPrincipalName", String, lu|mbx|mu|usr, wild),
		row("VoiceMailSettings", String, person, multi|wild),
		row("WebPage", String, person, wild),
		row("WhenChanged", DateTime, anyCmdlet, 0),
		row("WhenChangedUTC", DateTime, anyCmdlet, 0),
		row("WhenCreated", DateTime, anyCmdlet, 0),
		row("WhenCreatedUTC", DateTime, anyCmdlet, 0),
		row("WhenMailboxCreated", DateTime, mbx|mu|rcp, 0),
		row("WhenSoftDeleted", DateTime, lu|mbx|mu|usr|ug, 0),
		row("WindowsEmailAddress", String, con|dg|ddg|grp|lu|mbx|mc|mpf|mu|usr, wild),
		row("WindowsLiveID", String, lu|mbx|mu|rcp|usr, wild),
	}
	for i := 1; i <= 15; i++ {
		rows = append(rows, row("CustomAttribute"+strconv.Itoa(i), String, mailEnabled|rcp, wild))
	}
	for i := 1; i <= 5; i++ {
		rows = append(rows, row("ExtensionCustomAttribute"+strconv.Itoa(i), String, mailEnabled|rcp, multi|wild))
	}
	for i := range rows {
		if rows[i].Name == "PrimarySmtpAddress" {
			rows[i].Also = "EmailAddresses"
		}
	}
	return rows
}
