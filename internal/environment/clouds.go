// Package environment maps Connect-ExchangeOnline's and Connect-IPPSSession's
// endpoint parameters (ConnectionUri, AzureADAuthorizationEndpointUri,
// ExchangeEnvironmentName) to the REST base URL, token authority and token
// scope of a connection, with the module's validation messages.
//
// The sandbox tenant needs no entry here: its loopback URLs are custom URIs,
// resolved by the same rules as any private endpoint.
package environment

import "strings"

// Names of the ExchangeEnvironment enumeration, in the module's order.
const (
	O365Default      = "O365Default"
	O365GermanyCloud = "O365GermanyCloud"
	O365China        = "O365China"
	O365USGovGCCHigh = "O365USGovGCCHigh"
	O365USGovDoD     = "O365USGovDoD"
)

// cloud is one ExchangeEnvironmentName's defaults.
type cloud struct {
	name string
	// exchangeURI and complianceURI are the default ConnectionUris of
	// Connect-ExchangeOnline and Connect-IPPSSession; complianceURI is empty
	// where Security & Compliance has no known endpoint.
	exchangeURI, complianceURI string
	authority                  string
}

// clouds lists the environments (wire-protocol.md §3.2, cmdlet-surface.md §1.1).
var clouds = []cloud{
	{O365Default, "https://outlook.office365.com/powershell-liveid/",
		"https://ps.compliance.protection.outlook.com/PowerShell-LiveId",
		"https://login.microsoftonline.com/organizations"},
	{O365GermanyCloud, "https://outlook.office.de/PowerShell-LiveID", "",
		"https://login.microsoftonline.de/organizations"},
	{O365China, "https://partner.outlook.cn/PowerShell",
		"https://ps.compliance.protection.partner.outlook.cn/powershell-liveid",
		"https://login.chinacloudapi.cn/organizations"},
	{O365USGovGCCHigh, "https://outlook.office365.us/powershell-liveID",
		"https://ps.compliance.protection.office365.us/powershell-liveid/",
		"https://login.microsoftonline.us/organizations"},
	{O365USGovDoD, "https://webmail.apps.mil/powershell-liveID",
		"https://l5.ps.compliance.protection.office365.us/powershell-liveid/",
		"https://login.microsoftonline.us/organizations"},
}

// Names returns the environment names in the module's order.
func Names() []string {
	names := make([]string, len(clouds))
	for i, c := range clouds {
		names[i] = c.name
	}
	return names
}

// lookupCloud finds an environment by name, ignoring case as PowerShell's
// enum conversion does.
func lookupCloud(name string) (cloud, bool) {
	for _, c := range clouds {
		if strings.EqualFold(c.name, name) {
			return c, true
		}
	}
	return cloud{}, false
}

// service is a Microsoft-operated endpoint whose REST host or token resource
// differs from what its ConnectionUri alone implies.
type service struct {
	host string
	// restHost is the REST API host; empty means host itself.
	restHost string
	// resource is the token audience.
	resource   string
	cloud      string
	compliance bool
}

// services are matched on the ConnectionUri host: exactly, or as a parent
// domain for regional hosts such as nam12b.ps.compliance.protection.outlook.com.
// The DoD compliance resource follows ScubaGear, which uses the GCC High one
// (wire-protocol.md §5 item 8).
var services = []service{
	{host: "outlook.office365.com", resource: "https://outlook.office365.com", cloud: O365Default},
	{host: "outlook.office.de", resource: "https://outlook.office.de", cloud: O365GermanyCloud},
	{host: "partner.outlook.cn", resource: "https://partner.outlook.cn", cloud: O365China},
	{host: "outlook.office365.us", resource: "https://outlook.office365.us", cloud: O365USGovGCCHigh},
	{host: "webmail.apps.mil", restHost: "outlook-dod.office365.us", resource: "https://outlook-dod.office365.us", cloud: O365USGovDoD},
	{host: "outlook-dod.office365.us", resource: "https://outlook-dod.office365.us", cloud: O365USGovDoD},
	{host: "ps.compliance.protection.outlook.com", resource: "https://ps.compliance.protection.outlook.com", cloud: O365Default, compliance: true},
	{host: "ps.compliance.protection.partner.outlook.cn", resource: "https://ps.compliance.protection.partner.outlook.cn", cloud: O365China, compliance: true},
	{host: "l5.ps.compliance.protection.office365.us", resource: "https://ps.compliance.protection.office365.us", cloud: O365USGovDoD, compliance: true},
	{host: "ps.compliance.protection.office365.us", resource: "https://ps.compliance.protection.office365.us", cloud: O365USGovGCCHigh, compliance: true},
}

// lookupService finds the service a ConnectionUri host belongs to; exact
// matches win over parent domains.
func lookupService(host string) (service, bool) {
	host = strings.ToLower(host)
	for _, s := range services {
		if host == s.host {
			return s, true
		}
	}
	for _, s := range services {
		if strings.HasSuffix(host, "."+s.host) {
			return s, true
		}
	}
	return service{}, false
}
