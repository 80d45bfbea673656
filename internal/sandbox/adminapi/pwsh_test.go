package adminapi

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// pwshScript checks the sandbox's output the way the real module uses it:
// it parses and imports the generated module, runs a proxy through the
// Execute-Command hook (also from the pipeline), encrypts a secret exactly
// as the module's Encrypt-Value does, and deserializes a CLIXML page.
const pwshScript = `
$ErrorActionPreference = 'Stop'
$src = Get-Content -Raw -LiteralPath $env:EXO_MODULE
$tokens = $null; $errors = $null
$ast = [System.Management.Automation.Language.Parser]::ParseInput($src, [ref]$tokens, [ref]$errors)
$functions = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $false) | ForEach-Object { $_.Name })

$mod = Import-Module -Name $env:EXO_MODULE -PassThru -DisableNameChecking
$set = Get-Command Set-Mailbox
$identity = $set.Parameters['Identity'].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }
$calls = & $mod {
    $script:ExoSandboxInvoker = { param($name, $params, $confirm, $cmdlet) '{0}|{1}|{2}' -f $name, (($params.Keys | Sort-Object) -join ','), $confirm }
    Set-Mailbox -Identity alex -DisplayName Alex -Confirm:$false
    [pscustomobject]@{ Identity = 'piped' } | Set-Mailbox -DisplayName Pipe -Confirm:$false
    Get-Mailbox alex
}

$publicKey = & $mod { $PublicKey }
$rsa = New-Object -TypeName System.Security.Cryptography.RSACryptoServiceProvider
$rsa.FromXmlString($publicKey)
$encrypted = [System.Convert]::ToBase64String($rsa.Encrypt([System.Text.Encoding]::UTF8.GetBytes($env:EXO_SECRET), $false))

$objs = @([System.Management.Automation.PSSerializer]::Deserialize((Get-Content -Raw -LiteralPath $env:EXO_CLIXML)))
$o = $objs[0]

[pscustomobject]@{
    ParseErrors   = @($errors | ForEach-Object { $_.Message })
    Functions     = $functions
    Mandatory     = [bool]$identity.Mandatory
    Position      = $identity.Position
    ByProperty    = [bool]$identity.ValueFromPipelineByPropertyName
    HasWhatIf     = $set.Parameters.ContainsKey('WhatIf')
    TypeSet       = @($set.Parameters['Type'].Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | ForEach-Object { $_.ValidValues })
    Calls         = @($calls)
    Encrypted     = $encrypted
    TypeName      = $o.PSObject.TypeNames[0]
    Str           = $o.Str
    Count         = $o.Count
    CountType     = $o.Count.GetType().FullName
    When          = $o.When.ToUniversalTime().ToString('o')
    Id            = $o.Id.ToString()
    Span          = $o.Span.ToString()
    Size          = $o.Size
    TableA        = $o.Table['a']
    Nums          = @($o.Nums).Count
    Nothing       = $null -eq $o.Nothing
} | ConvertTo-Json -Compress -Depth 4
`

func TestPowerShellInterop(t *testing.T) {
	pwsh, err := exec.LookPath("pwsh")
	if err != nil {
		t.Skip("pwsh is not on PATH (source scripts/env.sh to get ~/.dotnet/tools/pwsh); the PowerShell interop checks need it")
	}
	e := newEnv(t, 0)
	entry, _ := fetchModule(t, e, tokAdmin, "Get-Mailbox,Set-Mailbox,Remove-Mailbox,Test-Sets")
	_, body := e.invoke(t, tokAdmin, "Get-Typed", nil, map[string]string{"X-ResponseFormat": "clixml"})
	var p struct {
		Value []map[string]string `json:"value"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	modPath := filepath.Join(dir, "tmpEXO_sandbox.psm1")
	xmlPath := filepath.Join(dir, "page.clixml")
	if err := os.WriteFile(modPath, []byte(entry.FileContent), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(xmlPath, []byte(p.Value[0]["_cliXml"]), 0o600); err != nil {
		t.Fatal(err)
	}
	const secret = "P@ss wörd ✓"
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	scriptPath := filepath.Join(dir, "check.ps1")
	if err := os.WriteFile(scriptPath, []byte(pwshScript), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, pwsh, "-NoProfile", "-NonInteractive", "-File", scriptPath)
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "TERM=dumb", "EXO_MODULE="+modPath, "EXO_CLIXML="+xmlPath, "EXO_SECRET="+secret)
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("pwsh: %v\n%s\n%s", err, out, stderr)
	}
	var got struct {
		ParseErrors                      []string
		Functions                        []string
		Mandatory, ByProperty, HasWhatIf bool
		Position                         int
		TypeSet                          []string
		Calls                            []string
		Encrypted                        string
		TypeName, Str, CountType         string
		Count                            int
		When, Id, Span, Size, TableA     string
		Nums                             int
		Nothing                          bool
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("pwsh output: %v\n%s", err, out)
	}

	t.Run("module parses and binds", func(t *testing.T) {
		if len(got.ParseErrors) != 0 {
			t.Errorf("parse errors: %v", got.ParseErrors)
		}
		if want := "Execute-Command,script:Get-Mailbox,script:Remove-Mailbox,script:Set-Mailbox,script:Test-Sets"; strings.Join(got.Functions, ",") != want {
			t.Errorf("functions %v", got.Functions)
		}
		if !got.Mandatory || got.Position != 0 || !got.ByProperty || !got.HasWhatIf {
			t.Errorf("Set-Mailbox -Identity metadata: %+v", got)
		}
		if strings.Join(got.TypeSet, ",") != "Regular,Room,Equipment,Shared" {
			t.Errorf("ValidateSet %v", got.TypeSet)
		}
		want := []string{"Set-Mailbox|Confirm,DisplayName,Identity|False", "Set-Mailbox|Confirm,DisplayName,Identity|False", "Get-Mailbox|Identity|False"}
		if strings.Join(got.Calls, "\n") != strings.Join(want, "\n") {
			t.Errorf("proxy calls:\n%s", strings.Join(got.Calls, "\n"))
		}
	})
	t.Run("secret encrypted by PowerShell decrypts", func(t *testing.T) {
		resp, body := e.invoke(t, tokAdmin, "Set-Mailbox", map[string]any{"Identity": "a", "Password": got.Encrypted}, nil)
		wantStatus(t, resp, body, http.StatusOK)
		if pw := e.backend.lastCall().Params["Password"]; pw != SecureString(secret) {
			t.Errorf("decrypted %q", pw)
		}
	})
	t.Run("CLIXML deserializes", func(t *testing.T) {
		if got.TypeName != "Deserialized.Sandbox.Typed" || got.Str != "a_x0041_<b>&\r\n" || got.Count != 42 || got.CountType != "System.Int32" ||
			got.When != "2024-01-02T03:04:05.0000006Z" || got.Id != "11111111-2222-3333-4444-555555555555" ||
			got.Span != "1.12:01:30" || got.Size != "1.5 KB (1,536 bytes)" || got.TableA != "x" || got.Nums != 2 || !got.Nothing {
			t.Errorf("deserialized object: %+v", got)
		}
	})
}
