package environment

import (
	"errors"
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   Input
		want Endpoints
		base string
	}{
		{
			name: "defaults",
			base: "https://outlook.office365.com",
			want: Endpoints{Authority: "https://login.microsoftonline.com/organizations", Scope: "https://outlook.office365.com/.default", EnvironmentName: O365Default},
		},
		{
			name: "environment name ignores case",
			in:   Input{EnvironmentName: "o365usgovgcchigh"},
			base: "https://outlook.office365.us",
			want: Endpoints{Authority: "https://login.microsoftonline.us/organizations", Scope: "https://outlook.office365.us/.default", EnvironmentName: O365USGovGCCHigh},
		},
		{
			name: "DoD maps webmail.apps.mil to its REST host",
			in:   Input{EnvironmentName: O365USGovDoD},
			base: "https://outlook-dod.office365.us",
			want: Endpoints{Authority: "https://login.microsoftonline.us/organizations", Scope: "https://outlook-dod.office365.us/.default", EnvironmentName: O365USGovDoD},
		},
		{
			name: "China",
			in:   Input{EnvironmentName: O365China},
			base: "https://partner.outlook.cn",
			want: Endpoints{Authority: "https://login.chinacloudapi.cn/organizations", Scope: "https://partner.outlook.cn/.default", EnvironmentName: O365China},
		},
		{
			name: "Germany",
			in:   Input{EnvironmentName: O365GermanyCloud},
			base: "https://outlook.office.de",
			want: Endpoints{Authority: "https://login.microsoftonline.de/organizations", Scope: "https://outlook.office.de/.default", EnvironmentName: O365GermanyCloud},
		},
		{
			name: "known ConnectionUri alone names its cloud",
			in:   Input{ConnectionURI: "https://outlook.office365.us/powershell-liveid"},
			base: "https://outlook.office365.us",
			want: Endpoints{Authority: "https://login.microsoftonline.us/organizations", Scope: "https://outlook.office365.us/.default", EnvironmentName: O365USGovGCCHigh,
				Note: "Using ConnectionUri:'https://outlook.office365.us/powershell-liveid', in the environment:'O365Default'."},
		},
		{
			name: "custom URIs, as the sandbox passes them",
			in:   Input{ConnectionURI: "https://127.0.0.1:8443/powershell-liveid/", AuthorityURI: "https://127.0.0.1:8443/contoso.onmicrosoft.com/"},
			base: "https://127.0.0.1:8443",
			want: Endpoints{Authority: "https://127.0.0.1:8443/contoso.onmicrosoft.com", Scope: "https://127.0.0.1:8443/.default", EnvironmentName: O365Default},
		},
		{
			name: "custom ConnectionUri alone keeps the environment's authority",
			in:   Input{ConnectionURI: "HTTPS://Exchange.Example.com:444/PowerShell", EnvironmentName: O365USGovGCCHigh},
			base: "https://exchange.example.com:444",
			want: Endpoints{Authority: "https://login.microsoftonline.us/organizations", Scope: "https://exchange.example.com:444/.default", EnvironmentName: O365USGovGCCHigh,
				Note: "Using ConnectionUri:'HTTPS://Exchange.Example.com:444/PowerShell', in the environment:'O365USGovGCCHigh'."},
		},
		{
			name: "authority alone",
			in:   Input{AuthorityURI: "https://login.microsoftonline.com/common"},
			base: "https://outlook.office365.com",
			want: Endpoints{Authority: "https://login.microsoftonline.com/common", Scope: "https://outlook.office365.com/.default", EnvironmentName: O365Default,
				Note: "Using AzureADAuthorizationEndpointUri:'https://login.microsoftonline.com/common', in the environment:'O365Default'."},
		},
		{
			name: "Security & Compliance defaults",
			in:   Input{SecurityCompliance: true},
			base: "https://ps.compliance.protection.outlook.com",
			want: Endpoints{Authority: "https://login.microsoftonline.com/organizations", Scope: "https://ps.compliance.protection.outlook.com/.default", EnvironmentName: O365Default, SecurityCompliance: true},
		},
		{
			name: "Security & Compliance GCC High",
			in:   Input{SecurityCompliance: true, EnvironmentName: O365USGovGCCHigh},
			base: "https://ps.compliance.protection.office365.us",
			want: Endpoints{Authority: "https://login.microsoftonline.us/organizations", Scope: "https://ps.compliance.protection.office365.us/.default", EnvironmentName: O365USGovGCCHigh, SecurityCompliance: true},
		},
		{
			name: "Security & Compliance DoD uses the GCC High resource",
			in:   Input{SecurityCompliance: true, EnvironmentName: O365USGovDoD},
			base: "https://l5.ps.compliance.protection.office365.us",
			want: Endpoints{Authority: "https://login.microsoftonline.us/organizations", Scope: "https://ps.compliance.protection.office365.us/.default", EnvironmentName: O365USGovDoD, SecurityCompliance: true},
		},
		{
			name: "Security & Compliance China",
			in:   Input{SecurityCompliance: true, EnvironmentName: O365China},
			base: "https://ps.compliance.protection.partner.outlook.cn",
			want: Endpoints{Authority: "https://login.chinacloudapi.cn/organizations", Scope: "https://ps.compliance.protection.partner.outlook.cn/.default", EnvironmentName: O365China, SecurityCompliance: true},
		},
		{
			name: "Security & Compliance with one URI writes no note",
			in:   Input{SecurityCompliance: true, ConnectionURI: "https://ps.compliance.protection.outlook.com/PowerShell-LiveId"},
			base: "https://ps.compliance.protection.outlook.com",
			want: Endpoints{Authority: "https://login.microsoftonline.com/organizations", Scope: "https://ps.compliance.protection.outlook.com/.default", EnvironmentName: O365Default, SecurityCompliance: true},
		},
		{
			name: "regional compliance host",
			in:   Input{ConnectionURI: "https://nam12b.ps.compliance.protection.outlook.com", AuthorityURI: "https://login.microsoftonline.com/organizations"},
			base: "https://nam12b.ps.compliance.protection.outlook.com",
			want: Endpoints{Authority: "https://login.microsoftonline.com/organizations", Scope: "https://ps.compliance.protection.outlook.com/.default", EnvironmentName: O365Default, SecurityCompliance: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Resolve(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got.RESTBase == nil || got.RESTBase.String() != tt.base {
				t.Errorf("RESTBase = %v, want %s", got.RESTBase, tt.base)
			}
			got.RESTBase = nil
			if got != tt.want {
				t.Errorf("Resolve(%+v)\n got %+v\nwant %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestResolveRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   Input
		want string
	}{
		{"http ConnectionUri", Input{ConnectionURI: "http://outlook.office365.com/powershell-liveid"}, "Invalid ConnectionUri parameter 'http://outlook.office365.com/powershell-liveid'"},
		{"relative ConnectionUri", Input{ConnectionURI: "outlook.office365.com"}, "Invalid ConnectionUri parameter 'outlook.office365.com'"},
		{"opaque ConnectionUri", Input{ConnectionURI: "https:outlook.office365.com"}, "Invalid ConnectionUri parameter 'https:outlook.office365.com'"},
		{"http authority", Input{AuthorityURI: "http://login.microsoftonline.com/organizations"}, "Invalid AzureADAuthorizationEndpointUri parameter 'http://login.microsoftonline.com/organizations'"},
		{"authority without tenant", Input{AuthorityURI: "https://login.microsoftonline.com/"}, "Invalid AzureADAuthorizationEndpointUri parameter 'https://login.microsoftonline.com/'"},
		{"unknown environment", Input{EnvironmentName: "O365Moon"}, `Cannot convert value "O365Moon" to type "Microsoft.Exchange.Management.RestApiClient.ExchangeEnvironment". Error: "Unable to match the identifier name O365Moon to a valid enumerator name. Specify one of the following enumerator names and try again:
O365Default, O365GermanyCloud, O365China, O365USGovGCCHigh, O365USGovDoD"`},
		{"no compliance endpoint", Input{SecurityCompliance: true, EnvironmentName: O365GermanyCloud}, "Security & Compliance has no default endpoint in the environment 'O365GermanyCloud'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Resolve(tt.in)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if !errors.Is(err, ErrInvalidParameter) {
				t.Errorf("%v does not wrap ErrInvalidParameter", err)
			}
		})
	}
}
