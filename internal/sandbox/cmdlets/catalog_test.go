package cmdlets

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/openexo/exo/internal/sandbox/adminapi"
)

func catalogNames(t *testing.T, e *Engine, c adminapi.Caller) []string {
	t.Helper()
	cat, err := e.Catalog(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, info := range cat {
		names = append(names, info.Name)
	}
	return names
}

func TestCatalogByRole(t *testing.T) {
	exo, scc := New(nil, Options{}), New(nil, Options{Compliance: true})
	app := adminapi.Caller{AppID: "app", Roles: []string{"Exchange Administrator"}, Audience: exoAudience}
	tests := []struct {
		name    string
		scc     bool
		caller  adminapi.Caller
		has     []string
		hasNot  []string
		onlyGet bool
		empty   bool
	}{
		{name: "organization management", caller: admin,
			has:    []string{"Get-Mailbox", "Set-Mailbox", "Add-MailboxPermission", "Set-OrganizationConfig", "Get-AcceptedDomain"},
			hasNot: []string{"New-ComplianceSearch", "Get-Label"}},
		{name: "view-only", caller: reader, onlyGet: true,
			has: []string{"Get-Mailbox", "Get-OrganizationConfig", "Get-MailboxPermission"}, hasNot: []string{"Set-Mailbox"}},
		{name: "recipient management", caller: helpdesk,
			has: []string{"Set-Mailbox", "Remove-DistributionGroupMember", "Get-AcceptedDomain"}, hasNot: []string{"Set-OrganizationConfig"}},
		{name: "compliance administrator on exchange", caller: compliance, onlyGet: true,
			has: []string{"Get-Mailbox", "Get-Recipient"}, hasNot: []string{"Set-Mailbox", "New-ComplianceSearch"}},
		{name: "app with an Entra role", caller: app, has: []string{"Set-Mailbox", "Set-OrganizationConfig"}},
		{name: "no roles", caller: nobody, empty: true},
		{name: "unknown role", caller: adminapi.Caller{Roles: []string{"Mail Recipients Fan Club"}, Audience: exoAudience}, empty: true},
		{name: "compliance administrator on S&C", scc: true, caller: compliance,
			has:    []string{"New-ComplianceSearch", "Get-ComplianceSearch", "Get-RetentionCompliancePolicy", "Get-Label", "Get-Recipient"},
			hasNot: []string{"Get-Mailbox", "Set-Mailbox"}},
		{name: "organization management on S&C", scc: true, caller: admin,
			has: []string{"Start-ComplianceSearch", "Remove-ComplianceSearch", "Get-User"}, hasNot: []string{"Get-Mailbox", "Get-CASMailbox"}},
		{name: "view-only on S&C", scc: true, caller: reader, onlyGet: true, has: []string{"Get-ComplianceSearch"}},
		{name: "no roles on S&C", scc: true, caller: nobody, empty: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := exo
			if tt.scc {
				e = scc
			}
			names := catalogNames(t, e, tt.caller)
			if tt.empty != (len(names) == 0) {
				t.Fatalf("catalogue %v", names)
			}
			for _, n := range tt.has {
				if !slices.Contains(names, n) {
					t.Errorf("missing %s", n)
				}
			}
			for _, n := range tt.hasNot {
				if slices.Contains(names, n) {
					t.Errorf("has %s", n)
				}
			}
			if tt.onlyGet {
				for _, n := range names {
					if !isReadVerb(n) {
						t.Errorf("read-only role may run %s", n)
					}
				}
			}
		})
	}
}

func TestInvokeRefusesCmdletOutsideCatalog(t *testing.T) {
	f := newFixture(t, 10)
	for _, c := range []call{
		{caller: reader, name: "Set-Mailbox", params: map[string]any{"Identity": "x"}},
		{caller: helpdesk, name: "Set-OrganizationConfig"},
		{caller: admin, name: "New-ComplianceSearch", params: map[string]any{"Name": "x"}},
		{caller: admin, name: "Get-Mailbox", scc: true},
		{caller: admin, name: "Get-NoSuchThing"},
	} {
		_, err := f.invoke(c)
		if ce := expectError(t, err, adminapi.ClassCommandNotFound); ce.Status != 403 {
			t.Fatalf("%s: status %d", c.name, ce.Status)
		}
	}
}

func TestCatalogIsCachedAndWellFormed(t *testing.T) {
	e := New(nil, Options{})
	a, _ := e.Catalog(context.Background(), admin)
	b, _ := e.Catalog(context.Background(), adminapi.Caller{Roles: []string{"organization management"}, Audience: exoAudience})
	if len(a) == 0 || &a[0] != &b[0] {
		t.Fatal("catalogue not cached per role set")
	}
	for _, c := range sortedCmdlets {
		info := c.info
		verb, _, _ := strings.Cut(info.Name, "-")
		changes := !isReadVerb(info.Name)
		if info.SupportsShouldProcess != changes {
			t.Errorf("%s: SupportsShouldProcess = %v", info.Name, info.SupportsShouldProcess)
		}
		if changes && info.ConfirmImpact == "" {
			t.Errorf("%s: no ConfirmImpact", info.Name)
		}
		if verb == "Remove" && info.ConfirmImpact != adminapi.ConfirmHigh {
			t.Errorf("%s: Remove-* cmdlets prompt (ConfirmImpact High)", info.Name)
		}
		seen := map[string]bool{}
		for _, p := range info.Parameters {
			if seen[strings.ToLower(p.Name)] {
				t.Errorf("%s: parameter %s twice", info.Name, p.Name)
			}
			seen[strings.ToLower(p.Name)] = true
		}
		if c.endpoints == 0 || c.needs == 0 || c.run == nil {
			t.Errorf("%s: incomplete definition", info.Name)
		}
	}
}
