package adminapi

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

const moduleFilePath = "/AdminApi/v1.0/" + testTenant + "/EXOModuleFile?Version=3.7.2"

// fetchModule downloads EXOModuleFile asking for gzip itself, so the
// compression is visible.
func fetchModule(t *testing.T, e *env, token, commandName string) (moduleFileEntry, *http.Response) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.url(moduleFilePath), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept-Encoding", "gzip")
	if commandName != "" {
		req.Header.Set("CommandName", commandName)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("EXOModuleFile not gzip-compressed")
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	var out moduleFileResponse
	if err := json.Unmarshal(raw, &out); err != nil || len(out.Value) != 1 {
		t.Fatalf("module file JSON: %v\n%s", err, raw)
	}
	if !strings.HasSuffix(out.Context, "/$metadata#EXOModuleFile") {
		t.Errorf("@odata.context %q", out.Context)
	}
	return out.Value[0], resp
}

func TestModuleFileCommandNameFilter(t *testing.T) {
	e := newEnv(t, 0)
	cases := []struct {
		name, token, header, want string
	}{
		{"all for an admin", tokAdmin, "", "Get-Fails,Get-Mailbox,Get-Panic,Get-Slow,Get-Typed,Get-Unencodable,New-MoveRequest,Remove-Mailbox,Set-Mailbox,Set-UserPhoto,Test-Sets"},
		{"roles limit the list", tokReader, "*", "Get-Fails,Get-Mailbox,Get-Panic,Get-Slow,Get-Typed,Get-Unencodable,New-MoveRequest,Set-Mailbox,Set-UserPhoto,Test-Sets"},
		{"names and wildcards", tokAdmin, "get-mailbox, Set-*", "Get-Mailbox,Set-Mailbox,Set-UserPhoto"},
		{"question mark", tokAdmin, "Get-Mai?box", "Get-Mailbox"},
		{"not permitted is not listed", tokReader, "Remove-Mailbox", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			entry, _ := fetchModule(t, e, tc.token, tc.header)
			if entry.ExportedCmdlets != tc.want {
				t.Errorf("exportedCmdlets %q, want %q", entry.ExportedCmdlets, tc.want)
			}
			for _, name := range strings.Split(tc.want, ",") {
				if name != "" && !strings.Contains(entry.FileContent, "\nfunction script:"+name+"\n") {
					t.Errorf("module lacks a proxy for %s", name)
				}
			}
		})
	}
}

func TestModuleFileContent(t *testing.T) {
	e := newEnv(t, 0)
	entry, resp := fetchModule(t, e, tokAdmin, "Get-Mailbox,Set-Mailbox,Remove-Mailbox,Test-Sets,New-MoveRequest")
	if resp.Header.Get("request-id") == "" {
		t.Errorf("common headers missing")
	}
	text := entry.FileContent
	for _, want := range []string{
		"function script:Get-Mailbox\n{\n    [CmdletBinding(DefaultParameterSetName='Identity')]\n    param(\n",
		"    [Parameter(ParameterSetName='Identity', Position=0, ValueFromPipeline=$true, ValueFromPipelineByPropertyName=$true)]\n    ${Identity},\n",
		"    [Parameter(ParameterSetName='AnrSet')]\n    [string]\n    ${Anr},\n",
		"    [switch]\n    ${Archive},\n",
		"    [ValidateSet('UserMailbox', 'SharedMailbox', 'RoomMailbox')]\n    [string[]]\n    ${RecipientTypeDetails},\n",
		"    ${ResultSize}\n    )\n",
		"[CmdletBinding(SupportsShouldProcess=$true, ConfirmImpact='Medium')]",
		"[CmdletBinding(SupportsShouldProcess=$true, ConfirmImpact='High')]",
		"    [Parameter(Mandatory=$true, Position=0, ValueFromPipelineByPropertyName=$true)]\n    ${Identity},\n",
		"    [ValidateNotNullOrEmpty()]\n    [string]\n    ${DisplayName},\n",
		"    [ValidateRange(1, 100)]\n    [int]\n    ${IssueWarningQuotaMB},\n",
		"    [System.Security.SecureString]\n    ${Password},\n",
		"    [System.Management.Automation.PSCredential]\n    ${RemoteCredential}\n",
		"$cmdletConfirmImpactValue = 3",
		"Execute-Command -CmdletName 'Get-Mailbox' -Parameters $PSBoundParameters\n",
		`Export-ModuleMember -Function @("Get-Mailbox", "New-MoveRequest", "Remove-Mailbox", "Set-Mailbox", "Test-Sets")`,
		"$PublicKey = '" + e.srv.PublicKeyXML() + "'\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("module lacks:\n%s", want)
		}
	}
	if !strings.HasPrefix(e.srv.PublicKeyXML(), "<RSAKeyValue><Modulus>") || !strings.HasSuffix(e.srv.PublicKeyXML(), "</Modulus><Exponent>AQAB</Exponent></RSAKeyValue>") {
		t.Errorf("public key XML %q", e.srv.PublicKeyXML())
	}

	resp2, body := e.do(t, http.MethodGet, "/AdminApi/v1.0/"+testTenant+"/EXOModuleFile", tokAdmin, nil, nil)
	wantStatus(t, resp2, body, http.StatusBadRequest)
}

func TestModuleGenerationRejectsUnwritableNames(t *testing.T) {
	for name, c := range map[string]CmdletInfo{
		"cmdlet name":    {Name: "Get-Mail box"},
		"parameter name": {Name: "Get-X", Parameters: []ParameterInfo{{Name: "a}b"}}},
		"type literal":   {Name: "Get-X", Parameters: []ParameterInfo{{Name: "A", Type: "string]; rm -rf /; ["}}},
		"confirm impact": {Name: "Get-X", SupportsShouldProcess: true, ConfirmImpact: "Severe"},
	} {
		var b strings.Builder
		if err := writeProxy(&b, &c); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestBannerAndBasicInfo(t *testing.T) {
	e := newEnv(t, 0, func(c *Config) { c.Banner = "hello" })
	cases := []struct {
		path   string
		status int
		want   string
	}{
		{"/AdminApi/v1.0/" + testTenant + "/EXOBanner('AutogenSession')?Version=3.7.2", 200, `"moduleBannerContent":"hello"`},
		{"/AdminApi/beta/" + testDomain + "/EXOBanner(%27AutogenSession%27)?Version=3.7.2", 200, `"moduleBannerContent":"hello"`},
		{"/AdminApi/beta/" + testTenant + "/EXOBanner('Other')", 404, `"code":"NotFound"`},
		{"/adminapi/beta/" + testTenant + "/BasicInfo('AdminApiState')", 200, `"PropertyName":"AdminApiState","PropertyValue":"Running"`},
		{"/adminapi/beta/" + testTenant + "/BasicInfo('Other')", 404, `"code":"NotFound"`},
	}
	for _, tc := range cases {
		resp, body := e.do(t, http.MethodGet, tc.path, tokAdmin, nil, nil)
		wantStatus(t, resp, body, tc.status)
		if !bytes.Contains(body, []byte(tc.want)) {
			t.Errorf("%s: body %s lacks %s", tc.path, body, tc.want)
		}
	}
	resp, body := e.do(t, http.MethodPost, "/adminapi/beta/"+testTenant+"/BasicInfo('AdminApiState')", tokAdmin, []byte("{}"), nil)
	wantStatus(t, resp, body, http.StatusMethodNotAllowed)
	if resp.Header.Get("Allow") != http.MethodGet {
		t.Errorf("Allow %q", resp.Header.Get("Allow"))
	}
}
