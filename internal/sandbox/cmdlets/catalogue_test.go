package cmdlets

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/store"
)

func TestCatalogueScale(t *testing.T) {
	tests := []struct {
		name     string
		scc      bool
		caller   adminapi.Caller
		min, max int
		has      []string
	}{
		{name: "exchange, organization management", caller: admin, min: 700, max: 900,
			has: []string{"Get-AntiPhishPolicy", "New-TransportRule", "Update-DistributionGroupMember", "Search-UnifiedAuditLog"}},
		{name: "exchange, view-only", caller: reader, min: 300, max: 600, has: []string{"Get-TransportRule", "Get-MessageTraceV2"}},
		{name: "S&C, compliance administrator", scc: true, caller: compliance, min: 150, max: 400,
			has: []string{"Get-DlpCompliancePolicy", "New-RetentionComplianceRule"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := New(nil, Options{Compliance: tt.scc})
			names := catalogNames(t, e, tt.caller)
			if len(names) < tt.min || len(names) > tt.max {
				t.Errorf("%d cmdlets, want %d to %d", len(names), tt.min, tt.max)
			}
			for _, n := range tt.has {
				if !slices.Contains(names, n) {
					t.Errorf("missing %s", n)
				}
			}
		})
	}
}

func TestNotImplementedCmdlet(t *testing.T) {
	f := newFixture(t, 5)
	tests := []struct {
		name   string
		params map[string]any
		scc    bool
	}{
		{name: "Get-AntiPhishPolicy"},
		{name: "Set-HostedContentFilterPolicy", params: map[string]any{"Identity": "Default"}},
		{name: "Get-DlpComplianceRule", scc: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.invoke(call{name: tt.name, params: tt.params, scc: tt.scc})
			ce := expectError(t, err, classNotImplemented)
			if ce.Status != http.StatusBadRequest || ce.Message != "The cmdlet '"+tt.name+"' is not implemented in the sandbox tenant." {
				t.Errorf("%d %q", ce.Status, ce.Message)
			}
		})
	}
}

func TestParameterBlocksFromReference(t *testing.T) {
	param := func(cmdlet, name string) (param, bool) {
		c, ok := lookupCmdlet(cmdlet)
		if !ok {
			t.Fatalf("no %s", cmdlet)
		}
		i := slices.IndexFunc(c.info.Parameters, func(p param) bool { return p.Name == name })
		if i < 0 {
			return param{}, false
		}
		return c.info.Parameters[i], true
	}
	tests := []struct {
		cmdlet, param string
		kind          adminapi.Kind
		mandatoryIn   string // a set where it is mandatory, or "-" for none
	}{
		{"Get-QuarantineMessage", "Identity", adminapi.KindAny, "Details"},
		{"Get-QuarantineMessage", "PageSize", adminapi.KindInt, "-"},
		{"Get-MailboxJunkEmailConfiguration", "Credential", adminapi.KindCredential, "-"},
		{"Get-MailboxJunkEmailConfiguration", "ResultSize", adminapi.KindUnlimited, "-"},
		// Implemented cmdlets keep their own definitions and gain the rest.
		{"Set-Mailbox", "EmailAddresses", adminapi.KindMultiValued, "-"},
		{"Set-Mailbox", "MailTip", adminapi.KindString, "-"},
		{"Get-Mailbox", "SortBy", adminapi.KindString, "-"},
	}
	for _, tt := range tests {
		t.Run(tt.cmdlet+" "+tt.param, func(t *testing.T) {
			p, ok := param(tt.cmdlet, tt.param)
			if !ok {
				t.Fatal("parameter missing")
			}
			if p.Kind != tt.kind {
				t.Errorf("kind %v", p.Kind)
			}
			mandatory := slices.ContainsFunc(p.Sets, func(s adminapi.ParameterSetInfo) bool {
				return s.Mandatory && s.Name == tt.mandatoryIn
			})
			if mandatory != (tt.mandatoryIn != "-") {
				t.Errorf("sets %+v", p.Sets)
			}
		})
	}
	// A parameter mandatory only in a set the sandbox doesn't implement
	// would make every call fail to bind, so it stays out.
	if _, ok := param("Set-Mailbox", "ExcludeFromAllHolds"); ok {
		t.Error("Set-Mailbox publishes -ExcludeFromAllHolds")
	}
}

// TestModuleFileForFullCatalogue generates the proxy module of the whole
// catalogue through the protocol layer and parses it with PowerShell.
func TestModuleFileForFullCatalogue(t *testing.T) {
	pwsh, err := exec.LookPath("pwsh")
	if err != nil {
		t.Skip("pwsh is not on PATH (source scripts/env.sh); parsing the module needs it")
	}
	f := newFixture(t, 3)
	tenant, err := f.st.Tenant(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	api, err := adminapi.New(adminapi.Config{Verifier: roleVerifier{tenant.ID}, Backend: f.e, Audience: exoAudience,
		LinkKey: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(api)
	defer srv.Close()
	fetch := func() (string, []string, time.Duration) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/adminapi/v1.0/"+tenant.ID+"/EXOModuleFile?Version=3.7.2", nil)
		req.Header.Set("Authorization", "Bearer "+store.RoleOrganizationManagement)
		start := time.Now()
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		took := time.Since(start)
		var out struct {
			Value []struct{ FileContent, ExportedCmdlets string }
		}
		if err := json.Unmarshal(raw, &out); err != nil || len(out.Value) != 1 {
			t.Fatalf("EXOModuleFile %d: %v %.300s", resp.StatusCode, err, raw)
		}
		return out.Value[0].FileContent, strings.Split(out.Value[0].ExportedCmdlets, ","), took
	}
	fetch() // the first call builds the catalogue
	text, names, took := fetch()
	if len(names) < 700 {
		t.Fatalf("%d cmdlets exported", len(names))
	}
	t.Logf("EXOModuleFile of %d cmdlets (%d bytes) in %v", len(names), len(text), took)
	if took > 2*time.Second {
		t.Errorf("EXOModuleFile took %v", took)
	}
	dir := t.TempDir()
	mod := filepath.Join(dir, "tmpEXO_sandbox.psm1")
	if err := os.WriteFile(mod, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	script := `$errs = $null; $tokens = $null
$ast = [System.Management.Automation.Language.Parser]::ParseFile($env:EXO_MODULE, [ref]$tokens, [ref]$errs)
$fns = $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $false)
@{ Errors = @($errs | ForEach-Object { $_.Message } | Select-Object -First 5); Functions = @($fns).Count } | ConvertTo-Json -Compress`
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, pwsh, "-NoProfile", "-NonInteractive", "-Command", script)
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "EXO_MODULE="+mod)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pwsh: %v %s", err, out)
	}
	var got struct {
		Errors    []string
		Functions int
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("pwsh output %s: %v", out, err)
	}
	if len(got.Errors) != 0 || got.Functions < len(names) {
		t.Errorf("%d functions for %d cmdlets, parse errors %v", got.Functions, len(names), got.Errors)
	}
}

func TestGetDlpCompliancePolicy(t *testing.T) {
	f := newFixture(t, 3)
	all, err := f.invoke(call{caller: compliance, scc: true, name: "Get-DlpCompliancePolicy"})
	if err != nil || len(all.Records) != 3 {
		t.Fatalf("%v %v", all.Records, err)
	}
	one, err := f.invoke(call{caller: compliance, scc: true, name: "Get-DlpCompliancePolicy", params: map[string]any{"Identity": "U.S. Financial Data"}})
	if err != nil || len(one.Records) != 1 || text(one.Records[0], "Mode") != "Enable" {
		t.Fatalf("%v %v", one.Records, err)
	}
}
