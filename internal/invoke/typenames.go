package invoke

import "strings"

// JSON answers carry no .NET type names (the module's CLIXML answers do),
// so the daemon names the output of the common cmdlets itself, by the
// noun, as PowerShell names deserialized Exchange objects: format data
// written for Microsoft's module then applies.

const (
	mgmt = "Microsoft.Exchange.Data.Directory.Management."
	base = "Microsoft.Exchange.Data.ConfigurableObject"
	pres = "Microsoft.Exchange.Data.Directory.ADPresentationObject"
)

var (
	tnMailbox = []string{mgmt + "Mailbox", mgmt + "MailEnabledOrgPerson", mgmt + "MailEnabledRecipient", pres, base}
	tnReduced = []string{mgmt + "ReducedRecipient", base}
	tnGroup   = []string{mgmt + "DistributionGroup", mgmt + "DistributionGroupBase", mgmt + "MailEnabledRecipient", pres, base}
)

// nounTypes are the type names by cmdlet noun, most derived first.
var nounTypes = map[string][]string{
	"mailbox":                   tnMailbox,
	"casmailbox":                {mgmt + "CASMailbox", pres, base},
	"user":                      {mgmt + "User", mgmt + "OrgPersonPresentationObject", pres, base},
	"recipient":                 tnReduced,
	"distributiongroupmember":   tnReduced,
	"rolegroupmember":           tnReduced,
	"unifiedgrouplinks":         tnReduced,
	"distributiongroup":         tnGroup,
	"dynamicdistributiongroup":  {mgmt + "DynamicDistributionGroup", mgmt + "DistributionGroupBase", mgmt + "MailEnabledRecipient", pres, base},
	"unifiedgroup":              {mgmt + "UnifiedGroup", mgmt + "MailEnabledRecipient", pres, base},
	"contact":                   {mgmt + "Contact", mgmt + "OrgPersonPresentationObject", pres, base},
	"mailcontact":               {mgmt + "MailContact", mgmt + "MailEnabledOrgPerson", mgmt + "MailEnabledRecipient", pres, base},
	"mailuser":                  {mgmt + "MailUser", mgmt + "MailEnabledOrgPerson", mgmt + "MailEnabledRecipient", pres, base},
	"mailboxpermission":         {"Microsoft.Exchange.Management.RecipientTasks.MailboxAcePresentationObject", "Microsoft.Exchange.Management.RecipientTasks.AcePresentationObject", base},
	"recipientpermission":       {"Microsoft.Exchange.Management.RecipientTasks.RecipientPermission", base},
	"mailboxfolderpermission":   {"Microsoft.Exchange.Management.StoreTasks.MailboxFolderPermission", base},
	"mailboxfolderstatistics":   {"Microsoft.Exchange.Management.Tasks.MailboxFolderConfiguration", base},
	"accepteddomain":            {"Microsoft.Exchange.Data.Directory.SystemConfiguration.AcceptedDomain", "Microsoft.Exchange.Data.Directory.ADConfigurationObject", "Microsoft.Exchange.Data.Directory.ADObject", base},
	"compliancesearch":          {"Microsoft.Office.ComplianceJob.Tasks.ComplianceSearch", "Microsoft.Office.ComplianceJob.Tasks.ComplianceJob", base},
	"retentioncompliancepolicy": {"Microsoft.Office.CompliancePolicy.Tasks.PsRetentionCompliancePolicy", "Microsoft.Office.CompliancePolicy.Tasks.PsCompliancePolicyBase", base},
	"label":                     {"Microsoft.Office.CompliancePolicy.Tasks.PsLabel", base},
}

// TypeNames are the type names of a cmdlet's output, most derived first,
// each with PowerShell's "Deserialized." prefix; nil when unknown.
func TypeNames(cmdlet string) []string {
	_, noun, _ := strings.Cut(cmdlet, "-")
	names, ok := nounTypes[strings.ToLower(noun)]
	if !ok {
		return nil
	}
	out := make([]string, 0, len(names)+1)
	for _, n := range names {
		out = append(out, "Deserialized."+n)
	}
	return append(out, "Deserialized.System.Object")
}
