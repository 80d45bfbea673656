package cmdlets

import (
	"strings"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/store"
)

// grant is what a cmdlet needs from the caller's roles. Exchange builds
// role groups from management roles; the sandbox condenses them into six
// grants, enough to tell its role groups apart.
type grant uint8

const (
	readRecipients  grant = 1 << iota // Get-Mailbox, Get-Recipient, permissions, statistics, ...
	writeRecipients                   // Set/Add/Remove on recipients and their permissions
	readOrg                           // organization-wide configuration reads
	writeOrg                          // Set-OrganizationConfig
	readCompliance                    // S&C reads
	writeCompliance                   // S&C writes
)

// roleGrants maps role names (lower-case) to grants: the Exchange role
// groups the store's principals hold, and the Entra roles an app-only
// principal may be given instead (they carry the same Exchange rights).
var roleGrants = map[string]grant{
	strings.ToLower(store.RoleOrganizationManagement):         readRecipients | writeRecipients | readOrg | writeOrg | readCompliance | writeCompliance,
	strings.ToLower(store.RoleViewOnlyOrganizationManagement): readRecipients | readOrg | readCompliance,
	strings.ToLower(store.RoleRecipientManagement):            readRecipients | writeRecipients | readOrg,
	strings.ToLower(store.RoleComplianceAdministrator):        readRecipients | readOrg | readCompliance | writeCompliance,
	"global administrator":                                    readRecipients | writeRecipients | readOrg | writeOrg | readCompliance | writeCompliance,
	"exchange administrator":                                  readRecipients | writeRecipients | readOrg | writeOrg,
	"global reader":                                           readRecipients | readOrg | readCompliance,
	"exchange recipient administrator":                        readRecipients | writeRecipients | readOrg,
	"compliance data administrator":                           readRecipients | readOrg | readCompliance | writeCompliance,
	"security reader":                                         readCompliance,
	"security administrator":                                  readCompliance | writeCompliance,
}

// grantsOf unions the grants of the caller's roles; unknown roles grant
// nothing.
func grantsOf(roles []string) grant {
	var g grant
	for _, r := range roles {
		g |= roleGrants[strings.ToLower(strings.TrimSpace(r))]
	}
	return g
}

// endpoint is the service an engine serves.
type endpoint uint8

const (
	exchangeEndpoint endpoint = 1 << iota
	complianceEndpoint
)

// serves reports whether caller may run c here: c belongs to the engine's
// endpoint and the caller's roles hold c's grant.
func (e *Engine) serves(c *cmdlet, caller adminapi.Caller) bool {
	return c.endpoints&e.ep != 0 && grantsOf(caller.Roles)&c.needs != 0
}
