package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Template names in the templates table: one per recipient kind, two for
// mailbox statistics and one for mobile devices.
const (
	tmplRecipientPrefix = "recipient/"
	tmplStatistics      = "statistics/primary"
	tmplArchiveStats    = "statistics/archive"
	tmplMobileDevice    = "mobiledevice"
)

const emptyGUID = "00000000-0000-0000-0000-000000000000"

// recipientTypes maps each RecipientTypeDetails the store knows to its
// RecipientType.
var recipientTypes = map[string]string{
	"UserMailbox":                    "UserMailbox",
	"SharedMailbox":                  "UserMailbox",
	"RoomMailbox":                    "UserMailbox",
	"EquipmentMailbox":               "UserMailbox",
	"DiscoveryMailbox":               "UserMailbox",
	"SchedulingMailbox":              "UserMailbox",
	"MailUser":                       "MailUser",
	"GuestMailUser":                  "MailUser",
	"MailContact":                    "MailContact",
	"MailUniversalDistributionGroup": "MailUniversalDistributionGroup",
	"MailUniversalSecurityGroup":     "MailUniversalSecurityGroup",
	"RoomList":                       "MailUniversalDistributionGroup",
	"GroupMailbox":                   "MailUniversalDistributionGroup",
	"DynamicDistributionGroup":       "DynamicDistributionGroup",
}

// hasMailbox reports whether recipients of this kind own a mailbox, and so
// have statistics and folders.
func hasMailbox(typeDetails string) bool {
	return recipientTypes[typeDetails] == "UserMailbox" || typeDetails == "GroupMailbox"
}

// isGroup reports whether the kind has members.
func isGroup(typeDetails string) bool {
	switch typeDetails {
	case "MailUniversalDistributionGroup", "MailUniversalSecurityGroup", "RoomList", "GroupMailbox":
		return true
	}
	return false
}

// softDeletable reports whether removing a recipient of this kind keeps it
// as soft-deleted (mailboxes, Microsoft 365 groups, mail users) rather than
// deleting it.
func softDeletable(typeDetails string) bool {
	return hasMailbox(typeDetails) || recipientTypes[typeDetails] == "MailUser"
}

func gb(n float64) string { return FormatBytes(int64(n * (1 << 30))) }
func mb(n float64) string { return FormatBytes(int64(n * (1 << 20))) }
func kb(n float64) string { return FormatBytes(int64(n * (1 << 10))) }

func list(s ...string) []any { return stringsToAny(s) }

// builtinTemplates returns the per-kind defaults stored when the schema is
// made. They hold every property of the kind; rows add only their own values.
func builtinTemplates() map[string]map[string]any {
	out := map[string]map[string]any{}
	for typeDetails := range recipientTypes {
		out[tmplRecipientPrefix+typeDetails] = recipientTemplate(typeDetails)
	}
	out[tmplStatistics] = statisticsTemplate(false)
	out[tmplArchiveStats] = statisticsTemplate(true)
	out[tmplMobileDevice] = mobileDeviceTemplate()
	return out
}

func recipientTemplate(typeDetails string) map[string]any {
	m := recipientCommon()
	m["RecipientType"] = recipientTypes[typeDetails]
	m["RecipientTypeDetails"] = typeDetails
	switch recipientTypes[typeDetails] {
	case "UserMailbox":
		addAll(m, userProps(), mailboxProps(), casProps())
		switch typeDetails {
		case "SharedMailbox":
			addAll(m, sharedQuotas(), map[string]any{
				"IsShared": true, "AccountDisabled": true, "ExchangeUserAccountControl": "AccountDisabled",
				"SKUAssigned": nil, "PersistedCapabilities": list(),
			})
		case "RoomMailbox", "EquipmentMailbox":
			resource := strings.TrimSuffix(typeDetails, "Mailbox")
			addAll(m, sharedQuotas(), map[string]any{
				"IsResource": true, "ResourceType": resource, "RoomMailboxAccountEnabled": false,
				"AccountDisabled": true, "ExchangeUserAccountControl": "AccountDisabled", "SKUAssigned": nil,
				"PersistedCapabilities": list(), "ResourceCustom": list(), "CalendarRepairDisabled": false,
				"HiddenFromAddressListsEnabled": false,
				"AddressListMembership":         list(`\All Rooms`, `\Mailboxes(VLV)`, `\All Mailboxes(VLV)`, `\All Recipients(VLV)`, `\Default Global Address List`),
			})
			if resource == "Equipment" {
				m["AddressListMembership"] = list(`\Mailboxes(VLV)`, `\All Mailboxes(VLV)`, `\All Recipients(VLV)`, `\Default Global Address List`)
			}
		case "DiscoveryMailbox":
			addAll(m, map[string]any{
				"ProhibitSendQuota": gb(50), "ProhibitSendReceiveQuota": gb(50), "IssueWarningQuota": gb(49),
				"HiddenFromAddressListsEnabled": true, "AccountDisabled": true, "SKUAssigned": nil,
				"ExchangeUserAccountControl": "AccountDisabled", "AddressListMembership": list(),
			})
		}
	case "MailUser":
		addAll(m, userProps(), mailUserProps())
		if typeDetails == "GuestMailUser" {
			m["HiddenFromAddressListsEnabled"] = true
			m["AddressListMembership"] = list()
		}
	case "MailContact":
		addAll(m, userProps(), contactProps())
		delete(m, "UsageLocation")
	default:
		addAll(m, groupProps(typeDetails))
	}
	return m
}

func addAll(m map[string]any, parts ...map[string]any) {
	for _, p := range parts {
		for k, v := range p {
			m[k] = v
		}
	}
}

// recipientCommon holds what every recipient kind prints.
func recipientCommon() map[string]any {
	m := map[string]any{
		"AcceptMessagesOnlyFrom":                 list(),
		"AcceptMessagesOnlyFromDLMembers":        list(),
		"AcceptMessagesOnlyFromSendersOrMembers": list(),
		"AddressListMembership":                  list(`\Default Global Address List`, `\All Recipients(VLV)`),
		"AdministrativeUnits":                    list(),
		"BypassModerationFromSendersOrMembers":   list(),
		"EmailAddressPolicyEnabled":              false,
		"ExchangeVersion":                        "0.10 (14.0.100.0)",
		"GrantSendOnBehalfTo":                    list(),
		"HiddenFromAddressListsEnabled":          false,
		"IsDirSynced":                            false,
		"IsValid":                                true,
		"MailTip":                                nil,
		"MailTipTranslations":                    list(),
		"MaxReceiveSize":                         "Unlimited",
		"MaxSendSize":                            "Unlimited",
		"ModeratedBy":                            list(),
		"ModerationEnabled":                      false,
		"ObjectState":                            "Unchanged",
		"PoliciesExcluded":                       list("{26491cfc-9e50-4857-861b-0cb8df22b5d7}"),
		"PoliciesIncluded":                       list(),
		"RejectMessagesFrom":                     list(),
		"RejectMessagesFromDLMembers":            list(),
		"RejectMessagesFromSendersOrMembers":     list(),
		"RequireSenderAuthenticationEnabled":     false,
		"SendModerationNotifications":            "Always",
		"SimpleDisplayName":                      "",
		"UMDtmfMap":                              list(),
		"Capabilities":                           list(),
		"Notes":                                  "",
		"ExchangeGuid":                           emptyGUID,
		"ExternalDirectoryObjectId":              "",
		"UserPrincipalName":                      "",
		"LegacyExchangeDN":                       "",
		"HasActiveSyncDevicePartnership":         false,
		"ArchiveGuid":                            emptyGUID,
		"ArchiveDatabase":                        nil,
		"ArchiveRelease":                         "",
		"ArchiveState":                           "None",
		"ArchiveStatus":                          "None",
		"MailboxMoveBatchName":                   "",
		"MailboxMoveFlags":                       "None",
		"MailboxMoveRemoteHostName":              "",
		"MailboxMoveSourceMDB":                   nil,
		"MailboxMoveStatus":                      "None",
		"MailboxMoveTargetMDB":                   nil,
		"ActiveSyncMailboxPolicy":                nil,
		"ActiveSyncMailboxPolicyIsDefaulted":     false,
		"AddressBookPolicy":                      nil,
		"ManagedFolderMailboxPolicy":             nil,
		"OwaMailboxPolicy":                       nil,
		"RetentionPolicy":                        nil,
		"SharingPolicy":                          nil,
		"ShouldUseDefaultRetentionPolicy":        false,
		"UMMailboxPolicy":                        nil,
		"IsInactiveMailbox":                      false,
		"IsSoftDeletedByRemove":                  false,
		"IsSoftDeletedByDisable":                 false,
		"WhenSoftDeleted":                        nil,
	}
	for i := 1; i <= 15; i++ {
		m["CustomAttribute"+strconv.Itoa(i)] = ""
	}
	for i := 1; i <= 5; i++ {
		m["ExtensionCustomAttribute"+strconv.Itoa(i)] = list()
	}
	return m
}

// userProps are the Get-User/Get-Recipient address-book attributes.
func userProps() map[string]any {
	return map[string]any{
		"FirstName": "", "LastName": "", "Initials": "", "Department": "", "Title": "", "Company": "",
		"Office": "", "StreetAddress": "", "City": "", "StateOrProvince": "", "PostalCode": "",
		"CountryOrRegion": nil, "Phone": "", "MobilePhone": "", "Fax": "", "HomePhone": "", "Manager": nil,
		"UsageLocation": nil,
	}
}

// mailboxProps are Get-Mailbox's properties for a licensed user mailbox.
func mailboxProps() map[string]any {
	return map[string]any{
		"ExchangeVersion": "0.20 (15.0.0.0)",
		"ObjectClass":     list("top", "person", "organizationalPerson", "user"),
		"AddressListMembership": list(`\Mailboxes(VLV)`, `\All Mailboxes(VLV)`, `\All Recipients(VLV)`,
			`\Default Global Address List`, `\All Users`),
		// Quota
		"ProhibitSendQuota":            gb(99),
		"ProhibitSendReceiveQuota":     gb(100),
		"IssueWarningQuota":            gb(98),
		"RecoverableItemsQuota":        gb(30),
		"RecoverableItemsWarningQuota": gb(20),
		"CalendarLoggingQuota":         gb(6),
		"ArchiveQuota":                 gb(100),
		"ArchiveWarningQuota":          gb(90),
		"RulesQuota":                   kb(256),
		"UseDatabaseQuotaDefaults":     false,
		// Delivery
		"MaxSendSize":                               mb(35),
		"MaxReceiveSize":                            mb(36),
		"RecipientLimits":                           "500",
		"MaxSafeSenders":                            nil,
		"MaxBlockedSenders":                         nil,
		"DeliverToMailboxAndForward":                false,
		"ForwardingAddress":                         nil,
		"ForwardingSmtpAddress":                     nil,
		"DowngradeHighPriorityMessagesEnabled":      false,
		"MessageCopyForSendOnBehalfEnabled":         false,
		"MessageCopyForSentAsEnabled":               false,
		"MessageCopyForSMTPClientSubmissionEnabled": true,
		"MessageRecallProcessingEnabled":            true,
		"MessageTrackingReadStatusEnabled":          true,
		"ExternalOofOptions":                        "External",
		"RecipientThrottlingThreshold":              "Standard",
		// Retention and hold
		"RetainDeletedItemsFor":         FormatTimeSpan(14 * 24 * time.Hour),
		"RetainDeletedItemsUntilBackup": false,
		"UseDatabaseRetentionDefaults":  false,
		"SingleItemRecoveryEnabled":     true,
		"RetentionHoldEnabled":          false,
		"StartDateForRetentionHold":     nil,
		"EndDateForRetentionHold":       nil,
		"RetentionComment":              "",
		"RetentionUrl":                  "",
		"RetentionPolicy":               "Default MRM Policy",
		"LitigationHoldEnabled":         false,
		"LitigationHoldDate":            nil,
		"LitigationHoldOwner":           "",
		"LitigationHoldDuration":        "Unlimited",
		"InPlaceHolds":                  list(),
		"ComplianceTagHoldApplied":      false,
		"DelayHoldApplied":              false,
		"DelayReleaseHoldApplied":       false,
		"ElcProcessingDisabled":         false,
		"InactiveMailboxRetireTime":     nil,
		"OrphanSoftDeleteTrackingTime":  nil,
		"WasInactiveMailbox":            false,
		"IncludeInGarbageCollection":    false,
		// Policies
		"RoleAssignmentPolicy": "Default Role Assignment Policy",
		"SharingPolicy":        "Default Sharing Policy",
		"ThrottlingPolicy":     nil,
		"RemoteAccountPolicy":  nil,
		"DataEncryptionPolicy": nil,
		// Audit
		"AuditEnabled":     true,
		"AuditLogAgeLimit": FormatTimeSpan(90 * 24 * time.Hour),
		"AuditAdmin": list("Update", "MoveToDeletedItems", "SoftDelete", "HardDelete", "SendAs", "SendOnBehalf",
			"Create", "UpdateFolderPermissions", "UpdateInboxRules", "UpdateCalendarDelegation", "ApplyRecord",
			"MailItemsAccessed", "Send"),
		"AuditDelegate": list("Update", "MoveToDeletedItems", "SoftDelete", "HardDelete", "SendAs", "SendOnBehalf",
			"Create", "UpdateFolderPermissions", "UpdateInboxRules", "ApplyRecord", "MailItemsAccessed"),
		"AuditOwner": list("Update", "MoveToDeletedItems", "SoftDelete", "HardDelete", "UpdateFolderPermissions",
			"UpdateInboxRules", "UpdateCalendarDelegation", "ApplyRecord", "MailItemsAccessed", "Send"),
		"DefaultAuditSet": list("Admin", "Delegate", "Owner"),
		// Archive
		"ArchiveName":                 list(),
		"ArchiveDomain":               nil,
		"ArchiveDatabaseGuid":         emptyGUID,
		"AutoExpandingArchiveEnabled": false,
		"DisabledArchiveDatabase":     nil,
		"DisabledArchiveGuid":         emptyGUID,
		"JournalArchiveAddress":       "",
		// Resource
		"IsResource":                false,
		"ResourceCapacity":          nil,
		"ResourceCustom":            list(),
		"ResourceType":              nil,
		"RoomMailboxAccountEnabled": nil,
		// SCL
		"AntispamBypassEnabled":  false,
		"SCLDeleteEnabled":       nil,
		"SCLDeleteThreshold":     nil,
		"SCLJunkEnabled":         nil,
		"SCLJunkThreshold":       nil,
		"SCLQuarantineEnabled":   nil,
		"SCLQuarantineThreshold": nil,
		"SCLRejectEnabled":       nil,
		"SCLRejectThreshold":     nil,
		// Public folders
		"DefaultPublicFolderMailbox":     nil,
		"EffectivePublicFolderMailbox":   nil,
		"IsExcludedFromServingHierarchy": false,
		"IsHierarchyReady":               false,
		"IsHierarchySyncEnabled":         false,
		"IsRootPublicFolderMailbox":      false,
		"IsPublicFolderSystemMailbox":    false,
		// Address list
		"GeneratedOfflineAddressBooks": list(),
		"OfflineAddressBook":           nil,
		// Move and release
		"MailboxRelease": "",
		// Everything else Get-Mailbox prints
		"AccountDisabled":                        false,
		"AdminDisplayVersion":                    "Version 15.20 (Build 8398.27)",
		"AggregatedMailboxGuids":                 list(),
		"ArbitrationMailbox":                     nil,
		"CalendarRepairDisabled":                 false,
		"CalendarVersionStoreDisabled":           false,
		"DisabledMailboxLocations":               false,
		"EnforcedTimestamps":                     "",
		"ExchangeSecurityDescriptor":             "System.Security.AccessControl.RawSecurityDescriptor",
		"ExchangeUserAccountControl":             "None",
		"Extensions":                             list(),
		"HasPicture":                             false,
		"HasSnackyAppData":                       false,
		"HasSpokenName":                          false,
		"ImListMigrationCompleted":               false,
		"ImmutableId":                            "",
		"IsLinked":                               false,
		"IsMachineToPersonTextMessagingEnabled":  true,
		"IsMailboxEnabled":                       true,
		"IsMonitoringMailbox":                    false,
		"IsPersonToPersonTextMessagingEnabled":   false,
		"IsShared":                               false,
		"Languages":                              list(),
		"LinkedMasterAccount":                    "",
		"MailboxContainerGuid":                   nil,
		"MailboxProvisioningConstraint":          nil,
		"MailboxProvisioningPreferences":         list(),
		"MailboxRegion":                          nil,
		"MailboxRegionLastUpdateTime":            nil,
		"MailboxRegionSuffix":                    "None",
		"NonCompliantDevices":                    list(),
		"PersistedCapabilities":                  list("BPOS_S_Enterprise"),
		"PitrCopyIntervalInSeconds":              0,
		"PitrEnabled":                            false,
		"PitrOffboarded":                         false,
		"PitrOffboardedTimestamp":                nil,
		"PitrPaused":                             false,
		"PitrPausedTimestamp":                    nil,
		"ProtocolSettings":                       list(),
		"QueryBaseDN":                            nil,
		"QueryBaseDNRestrictionEnabled":          false,
		"ReconciliationId":                       nil,
		"RemoteRecipientType":                    "None",
		"ResetPasswordOnNextLogon":               false,
		"ResourceProvisioningOptions":            list(),
		"SKUAssigned":                            true,
		"SharedEmailDomainState":                 "None",
		"SharedEmailDomainStateLastModified":     nil,
		"SharedEmailDomainTenant":                "",
		"SharedWithTargetSmtpAddress":            "",
		"SiloName":                               nil,
		"SourceAnchor":                           "",
		"StsRefreshTokensValidFrom":              nil,
		"UMEnabled":                              false,
		"UnifiedMailbox":                         nil,
		"UserCertificate":                        list(),
		"UserSMimeCertificate":                   list(),
		"ExoExchangeSecurityDescriptor":          nil,
		"ActiveSyncMailboxPolicy":                "Default",
		"ActiveSyncMailboxPolicyIsDefaulted":     true,
		"OwaMailboxPolicy":                       "OwaMailboxPolicy-Default",
		"ShouldUseDefaultRetentionPolicy":        true,
		"RetentionPolicyIsDefaulted":             true,
		"MessageCopyForSentAsEnabledIsDefaulted": true,
	}
}

// sharedQuotas are the quotas of unlicensed (shared and resource) mailboxes.
func sharedQuotas() map[string]any {
	return map[string]any{
		"ProhibitSendQuota":        gb(49.5),
		"ProhibitSendReceiveQuota": gb(50),
		"IssueWarningQuota":        gb(49),
		"ArchiveQuota":             gb(50),
		"ArchiveWarningQuota":      gb(45),
	}
}

// casProps are Get-CASMailbox's properties.
func casProps() map[string]any {
	return map[string]any{
		"ActiveSyncAllowedDeviceIDs":              list(),
		"ActiveSyncBlockedDeviceIDs":              list(),
		"ActiveSyncDebugLogging":                  false,
		"ActiveSyncEnabled":                       true,
		"ActiveSyncSuppressReadReceipt":           false,
		"ECPEnabled":                              true,
		"EwsAllowEntourage":                       nil,
		"EwsAllowList":                            nil,
		"EwsAllowMacOutlook":                      nil,
		"EwsAllowOutlook":                         nil,
		"EwsApplicationAccessPolicy":              nil,
		"EwsBlockList":                            nil,
		"EwsEnabled":                              nil,
		"ExternalImapSettings":                    "outlook.office365.com:993:SSL",
		"ExternalPopSettings":                     "outlook.office365.com:995:SSL",
		"ExternalSmtpSettings":                    "smtp.office365.com:587:TLS",
		"ImapEnableExactRFC822Size":               false,
		"ImapEnabled":                             true,
		"ImapForceICalForCalendarRetrievalOption": false,
		"ImapMessagesRetrievalMimeFormat":         "BestBodyFormat",
		"ImapSuppressReadReceipt":                 false,
		"ImapUseProtocolDefaults":                 true,
		"InternalImapSettings":                    "outlook.office365.com:993:SSL",
		"InternalPopSettings":                     "outlook.office365.com:995:SSL",
		"InternalSmtpSettings":                    "smtp.office365.com:587:TLS",
		"IsOptimizedForAccessibility":             false,
		"MacOutlookEnabled":                       true,
		"MAPIBlockOutlookExternalConnectivity":    false,
		"MAPIBlockOutlookNonCachedMode":           false,
		"MAPIBlockOutlookRpcHttp":                 false,
		"MAPIBlockOutlookVersions":                "",
		"MAPIEnabled":                             true,
		"MapiHttpEnabled":                         nil,
		"OneWinNativeOutlookEnabled":              true,
		"OutlookMobileEnabled":                    true,
		"OWAEnabled":                              true,
		"OWAforDevicesEnabled":                    true,
		"PopEnableExactRFC822Size":                false,
		"PopEnabled":                              true,
		"PopForceICalForCalendarRetrievalOption":  false,
		"PopMessagesRetrievalMimeFormat":          "BestBodyFormat",
		"PopSuppressReadReceipt":                  false,
		"PopUseProtocolDefaults":                  true,
		"PublicFolderClientAccess":                false,
		"ShowGalAsDefaultView":                    true,
		"SmtpClientAuthenticationDisabled":        nil,
		"UniversalOutlookEnabled":                 true,
	}
}

func mailUserProps() map[string]any {
	return map[string]any{
		"ExchangeVersion":            "0.20 (15.0.0.0)",
		"ObjectClass":                list("top", "person", "organizationalPerson", "user"),
		"AddressListMembership":      list(`\All Mail Users(VLV)`, `\All Recipients(VLV)`, `\Default Global Address List`, `\All Users`),
		"ExternalEmailAddress":       "",
		"UsePreferMessageFormat":     false,
		"MessageFormat":              "Mime",
		"MessageBodyFormat":          "TextAndHtml",
		"MacAttachmentFormat":        "BinHex",
		"RecipientLimits":            "500",
		"AccountDisabled":            false,
		"ExchangeUserAccountControl": "None",
		"LitigationHoldEnabled":      false,
		"RetentionHoldEnabled":       false,
		"SingleItemRecoveryEnabled":  false,
		"InPlaceHolds":               list(),
		"PersistedCapabilities":      list(),
		"SKUAssigned":                nil,
		"IsShared":                   false,
		"ImmutableId":                "",
	}
}

func contactProps() map[string]any {
	return map[string]any{
		"ObjectClass":            list("top", "person", "organizationalPerson", "contact"),
		"AddressListMembership":  list(`\All Contacts(VLV)`, `\All Recipients(VLV)`, `\Default Global Address List`, `\All Contacts`),
		"ExternalEmailAddress":   "",
		"UsePreferMessageFormat": false,
		"MessageFormat":          "Mime",
		"MessageBodyFormat":      "TextAndHtml",
		"MacAttachmentFormat":    "BinHex",
		"MaxRecipientPerMessage": "Unlimited",
	}
}

func groupProps(typeDetails string) map[string]any {
	m := map[string]any{
		"ObjectClass":                        list("top", "group"),
		"AddressListMembership":              list(`\All Distribution Lists(VLV)`, `\All Recipients(VLV)`, `\Default Global Address List`, `\All Groups`),
		"BccBlocked":                         false,
		"BypassNestedModerationEnabled":      false,
		"Description":                        list(),
		"ExpansionServer":                    "",
		"GroupType":                          "Universal",
		"HiddenGroupMembershipEnabled":       false,
		"ManagedBy":                          list(),
		"MemberDepartRestriction":            "Open",
		"MemberJoinRestriction":              "Closed",
		"MigrationToUnifiedGroupInProgress":  false,
		"ReportToManagerEnabled":             false,
		"ReportToOriginatorEnabled":          true,
		"RequireSenderAuthenticationEnabled": true,
		"SendOofMessageToOriginatorEnabled":  false,
		"SamAccountName":                     "",
	}
	switch typeDetails {
	case "MailUniversalSecurityGroup":
		m["GroupType"] = "Universal, SecurityEnabled"
		m["MemberDepartRestriction"] = "Closed"
	case "RoomList":
		m["GroupType"] = "Universal"
		m["AddressListMembership"] = list(`\All Rooms`, `\All Recipients(VLV)`, `\Default Global Address List`)
	case "DynamicDistributionGroup":
		for _, k := range []string{"GroupType", "MemberDepartRestriction", "MemberJoinRestriction", "BccBlocked", "HiddenGroupMembershipEnabled", "SamAccountName", "BypassNestedModerationEnabled"} {
			delete(m, k)
		}
		m["ObjectClass"] = list("top", "msExchDynamicDistributionList")
		m["RecipientFilter"] = ""
		m["LdapRecipientFilter"] = ""
		m["IncludedRecipients"] = nil
		m["RecipientContainer"] = nil
	case "GroupMailbox":
		addAll(m, map[string]any{
			"ExchangeVersion":                          "0.20 (15.0.0.0)",
			"AccessType":                               "Public",
			"AllowAddGuests":                           true,
			"AlwaysSubscribeMembersToCalendarEvents":   false,
			"AutoSubscribeNewMembers":                  false,
			"CalendarMemberReadOnly":                   false,
			"CalendarUrl":                              nil,
			"Classification":                           nil,
			"ConnectorsEnabled":                        true,
			"GroupSKU":                                 "E3",
			"GroupPersonification":                     "Group",
			"HiddenFromExchangeClientsEnabled":         false,
			"InformationBarrierMode":                   "Open",
			"IsExternalResourcesPublished":             false,
			"IsMailboxConfigured":                      true,
			"IsMembershipDynamic":                      false,
			"Language":                                 "en-US",
			"MailboxProvisioningConstraint":            nil,
			"ModerationEnabled":                        false,
			"PersistedCapabilities":                    list(),
			"ProhibitSendQuota":                        gb(49.5),
			"ProhibitSendReceiveQuota":                 gb(50),
			"IssueWarningQuota":                        gb(49),
			"MaxReceiveSize":                           mb(36),
			"MaxSendSize":                              mb(35),
			"ResourceProvisioningOptions":              list(),
			"SharePointDocumentsUrl":                   "",
			"SharePointNotebookUrl":                    "",
			"SharePointSiteUrl":                        "",
			"SubscriptionEnabled":                      true,
			"WelcomeMessageEnabled":                    true,
			"YammerEmailAddress":                       nil,
			"AuditEnabled":                             true,
			"AuditLogAgeLimit":                         FormatTimeSpan(90 * 24 * time.Hour),
			"ReportToOriginatorEnabled":                true,
			"RequireSenderAuthenticationEnabled":       true,
			"HiddenFromAddressListsEnabled":            false,
			"ObjectClass":                              list("top", "group"),
			"IsMailboxProvisioningConstraintDefaulted": true,
			"GroupType":                                "Universal",
		})
		m["AddressListMembership"] = list(`\Groups(VLV)`, `\All Recipients(VLV)`, `\Default Global Address List`, `\All Groups`)
	}
	return m
}

// statisticsTemplate holds the Get-MailboxStatistics properties that do not
// vary between mailboxes (quotas of the simulated databases and flags).
func statisticsTemplate(archive bool) map[string]any {
	m := map[string]any{
		"AssociatedItemCount":                        0,
		"AttachmentTableAvailableSize":               FormatBytes(0),
		"AttachmentTableTotalSize":                   kb(288),
		"DatabaseIssueWarningQuota":                  gb(98),
		"DatabaseProhibitSendQuota":                  gb(99),
		"DatabaseProhibitSendReceiveQuota":           gb(100),
		"DeletedItemCount":                           0,
		"DisconnectDate":                             nil,
		"DisconnectReason":                           nil,
		"DumpsterMessagesPerFolderCountReceiveQuota": 3000000,
		"DumpsterMessagesPerFolderCountWarningQuota": 2750000,
		"FastIsEnabled":                              false,
		"FolderHierarchyChildrenCountReceiveQuota":   10000,
		"FolderHierarchyChildrenCountWarningQuota":   9000,
		"FolderHierarchyDepthReceiveQuota":           300,
		"FolderHierarchyDepthWarningQuota":           290,
		"FoldersCountReceiveQuota":                   1000000,
		"FoldersCountWarningQuota":                   900000,
		"IsAbandonedMoveDestination":                 false,
		"IsArchiveMailbox":                           archive,
		"IsDatabaseCopyActive":                       true,
		"IsHighDensityShard":                         false,
		"IsMoveDestination":                          false,
		"IsQuarantined":                              false,
		"ItemCount":                                  0,
		"LastLoggedOnUserAccount":                    nil,
		"LastLogoffTime":                             nil,
		"LastLogonTime":                              nil,
		"LastUserActionTime":                         nil,
		"LastInteractionTime":                        nil,
		"MailboxMessagesPerFolderCountReceiveQuota":  1000000,
		"MailboxMessagesPerFolderCountWarningQuota":  900000,
		"MailboxType":                                "Private",
		"MessageTableAvailableSize":                  FormatBytes(0),
		"MessageTableTotalSize":                      mb(1),
		"NamedPropertiesCountQuota":                  16384,
		"NeedsToMove":                                nil,
		"OtherTablesAvailableSize":                   FormatBytes(0),
		"OtherTablesTotalSize":                       kb(512),
		"QuarantineClients":                          nil,
		"QuarantineDescription":                      nil,
		"QuarantineEnd":                              nil,
		"QuarantineFileVersion":                      nil,
		"QuarantineLastCrash":                        nil,
		"ResourceUsageRollingAvgDatabaseReads":       0,
		"ResourceUsageRollingAvgRop":                 0,
		"ResourceUsageRollingClientTypes":            nil,
		"StorageLimitStatus":                         nil,
		"SystemMessageCount":                         0,
		"SystemMessageSize":                          FormatBytes(0),
		"SystemMessageSizeShutoffQuota":              gb(3),
		"SystemMessageSizeWarningQuota":              gb(2.25),
		"TotalDeletedItemSize":                       FormatBytes(0),
		"TotalItemSize":                              FormatBytes(0),
		"IsValid":                                    true,
		"ObjectState":                                "New",
	}
	if archive {
		m["DatabaseIssueWarningQuota"] = gb(90)
		m["DatabaseProhibitSendQuota"] = "Unlimited"
		m["DatabaseProhibitSendReceiveQuota"] = gb(100)
	}
	return m
}

// mobileDeviceTemplate holds Get-MobileDeviceStatistics/Get-MobileDevice
// defaults.
func mobileDeviceTemplate() map[string]any {
	return map[string]any{
		"AccountOnlyDeviceWipeAckTime":       nil,
		"AccountOnlyDeviceWipeRequestTime":   nil,
		"AccountOnlyDeviceWipeSentTime":      nil,
		"ClientType":                         "EAS",
		"ClientVersion":                      "16.1",
		"DeviceAccessControlRule":            nil,
		"DeviceAccessState":                  "Allowed",
		"DeviceAccessStateReason":            "Global",
		"DeviceEnableOutboundSMS":            false,
		"DeviceImei":                         "",
		"DeviceMobileOperator":               "",
		"DeviceOSLanguage":                   "en-US",
		"DevicePhoneNumber":                  "",
		"DevicePolicyApplicationStatus":      "AppliedInFull",
		"DevicePolicyApplied":                "Default",
		"DeviceWipeAckTime":                  nil,
		"DeviceWipeRequestTime":              nil,
		"DeviceWipeSentTime":                 nil,
		"IsRemoteWipeSupported":              true,
		"IsValid":                            true,
		"IsManaged":                          false,
		"IsCompliant":                        false,
		"IsDisabled":                         false,
		"LastAccountOnlyDeviceWipeRequestor": nil,
		"LastDeviceWipeRequestor":            nil,
		"LastPingHeartbeat":                  nil,
		"MailboxLogReport":                   nil,
		"NumberOfFoldersSynced":              0,
		"ObjectState":                        "Unchanged",
		"RecoveryPassword":                   "********",
		"Status":                             "DeviceOk",
		"StatusNote":                         nil,
		"SyncStateUpgradeTime":               nil,
	}
}

// tenantLayer holds the tenant-wide values of a kind's base.
func tenantLayer(t Tenant, kind string) map[string]any {
	f := forestOf(t.ID)
	switch kind {
	case tmplStatistics, tmplArchiveStats:
		return map[string]any{"ExternalDirectoryOrganizationId": t.ID}
	case tmplMobileDevice:
		return map[string]any{"OrganizationId": f.organizationID(t.InitialDomain)}
	}
	typeDetails := strings.TrimPrefix(kind, tmplRecipientPrefix)
	category := "Person"
	switch {
	case typeDetails == "DynamicDistributionGroup":
		category = "ms-Exch-Dynamic-Distribution-List"
	case isGroup(typeDetails):
		category = "Group"
	}
	m := map[string]any{
		"OrganizationId":         f.organizationID(t.InitialDomain),
		"OrganizationalUnit":     strings.ToLower(f.fqdn()) + "/Microsoft Exchange Hosted Organizations/" + t.InitialDomain,
		"OrganizationalUnitRoot": t.InitialDomain,
		"OriginatingServer":      f.servers + "A01DC001." + f.fqdn(),
		"ObjectCategory":         f.fqdn() + "/Configuration/Schema/" + category,
	}
	if recipientTypes[typeDetails] == "UserMailbox" {
		plan := "ExchangeOnlineEnterprise"
		if typeDetails != "UserMailbox" {
			plan = "ExchangeOnline"
		}
		m["MailboxPlan"] = plan + "-" + derivedGUID(t.ID, plan)
	}
	return m
}

// base returns the merged template and tenant layer of a kind. The result is
// shared: callers must not modify it (mergeProps copies). A cache miss reads
// through q, the caller's connection or transaction, so that no caller ever
// waits for a second pooled connection while holding one.
func (s *Store) base(ctx context.Context, q querier, kind string) (map[string]any, error) {
	s.baseMu.RLock()
	b, ok := s.bases[kind]
	s.baseMu.RUnlock()
	if ok {
		return b, nil
	}
	// Build under the write lock so a concurrent SetTenant, which clears the
	// cache under the same lock after committing, cannot leave a stale entry.
	s.baseMu.Lock()
	defer s.baseMu.Unlock()
	if b, ok := s.bases[kind]; ok {
		return b, nil
	}
	t, err := s.tenantLocked(ctx, q)
	if err != nil {
		return nil, err
	}
	b, err = buildBase(ctx, q, t, kind)
	if err != nil {
		return nil, err
	}
	s.bases[kind] = b
	return b, nil
}

// cachedTenant returns the tenant facts, read (through q) once per SetTenant.
func (s *Store) cachedTenant(ctx context.Context, q querier) (Tenant, error) {
	s.baseMu.RLock()
	t := s.tenant
	s.baseMu.RUnlock()
	if t != nil {
		return *t, nil
	}
	s.baseMu.Lock()
	defer s.baseMu.Unlock()
	return s.tenantLocked(ctx, q)
}

// tenantLocked fills the tenant cache; baseMu must be held for writing.
func (s *Store) tenantLocked(ctx context.Context, q querier) (Tenant, error) {
	if s.tenant != nil {
		return *s.tenant, nil
	}
	t, err := readTenant(ctx, q)
	if err != nil {
		return Tenant{}, err
	}
	s.tenant = &t
	return t, nil
}

// buildBase merges the stored template of kind with t's tenant layer.
func buildBase(ctx context.Context, q querier, t Tenant, kind string) (map[string]any, error) {
	tmpl := map[string]any{}
	var text string
	err := q.QueryRowContext(ctx, `SELECT props FROM templates WHERE name = ?`, kind).Scan(&text)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		// Unknown kinds have no defaults beyond the tenant's.
	case err != nil:
		return nil, fmt.Errorf("read template %s: %w", kind, err)
	default:
		if tmpl, err = decodeProps(text); err != nil {
			return nil, err
		}
	}
	layer, err := canonicalProps(tenantLayer(t, kind))
	if err != nil {
		return nil, err
	}
	return mergeProps(tmpl, layer), nil
}
