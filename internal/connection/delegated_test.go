package connection

import (
	"testing"

	"github.com/openexo/exo/internal/auth"
)

func TestDelegatedOrganization(t *testing.T) {
	tests := []struct {
		name, authority, org, wantAuthority, wantTenant string
	}{
		{"own tenant", "https://login.microsoftonline.com/organizations", "", "https://login.microsoftonline.com/organizations", "tid-1"},
		{"partner, default authority", "https://login.microsoftonline.com/organizations", "fabrikam.onmicrosoft.com",
			"https://login.microsoftonline.com/fabrikam.onmicrosoft.com", "fabrikam.onmicrosoft.com"},
		{"partner, common", "https://login.microsoftonline.us/common", "fabrikam.onmicrosoft.us",
			"https://login.microsoftonline.us/fabrikam.onmicrosoft.us", "fabrikam.onmicrosoft.us"},
		{"partner, authority naming a tenant", "https://login.microsoftonline.com/contoso.onmicrosoft.com", "fabrikam.onmicrosoft.com",
			"https://login.microsoftonline.com/contoso.onmicrosoft.com", "fabrikam.onmicrosoft.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.authority
			if tt.org != "" {
				got = delegatedAuthority(tt.authority, tt.org)
			}
			if got != tt.wantAuthority {
				t.Errorf("authority = %s, want %s", got, tt.wantAuthority)
			}
			c := &Connection{DelegatedOrganization: tt.org}
			if seg := c.URLTenant(auth.Token{TenantID: "tid-1"}); seg != tt.wantTenant {
				t.Errorf("URL tenant = %s, want %s", seg, tt.wantTenant)
			}
		})
	}
}
