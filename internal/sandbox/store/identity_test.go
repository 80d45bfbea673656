package store

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestFindRecipient(t *testing.T) {
	st, _ := seededTest(t)
	ctx := context.Background()
	admin, err := st.FindRecipient(ctx, "admin", RecipientQuery{})
	if err != nil {
		t.Fatal(err)
	}
	contact, err := st.NewRecipient(ctx, map[string]any{
		"Name": "Partner Desk", "RecipientTypeDetails": "MailContact", "ExternalEmailAddress": "desk@partner.example",
		"EmailAddresses": []string{"SMTP:desk@partner.example", "X500:/o=Partner/ou=Desk/cn=Recipients/cn=desk"},
	})
	if err != nil {
		t.Fatal(err)
	}
	// "helpdesk" is the Name of a seeded admin mailbox; this group's alias
	// collides with it, which Exchange allows and which makes it ambiguous.
	if _, err := st.NewRecipient(ctx, map[string]any{"Name": "Helpdesk Group", "Alias": "helpdesk", "EmailAddresses": []string{"SMTP:helpdesk-group@contoso.com"}, "RecipientTypeDetails": "MailUniversalDistributionGroup"}); err != nil {
		t.Fatal(err)
	}
	p := admin.Props
	tests := []struct {
		name     string
		identity string
		q        RecipientQuery
		wantKey  int64
		wantErr  error
	}{
		{"name", "admin", RecipientQuery{}, admin.Key, nil},
		{"name, other case", "ADMIN", RecipientQuery{}, admin.Key, nil},
		{"alias", contact.Alias, RecipientQuery{}, contact.Key, nil},
		{"primary SMTP address", "Admin@Contoso.com", RecipientQuery{}, admin.Key, nil},
		{"secondary address", "admin@contoso.onmicrosoft.com", RecipientQuery{}, admin.Key, nil},
		{"prefixed address", "smtp:admin@contoso.onmicrosoft.com", RecipientQuery{}, admin.Key, nil},
		{"user principal name", admin.UserPrincipalName, RecipientQuery{}, admin.Key, nil},
		{"guid", admin.GUID, RecipientQuery{}, admin.Key, nil},
		{"guid in braces, upper case", "{" + strings.ToUpper(admin.GUID) + "}", RecipientQuery{}, admin.Key, nil},
		{"exchange guid", admin.ExchangeGUID, RecipientQuery{}, admin.Key, nil},
		{"external directory object id", admin.ExternalDirectoryObjectID, RecipientQuery{}, admin.Key, nil},
		{"distinguished name", propString(p, "DistinguishedName"), RecipientQuery{}, admin.Key, nil},
		{"distinguished name, lower case", strings.ToLower(propString(p, "DistinguishedName")), RecipientQuery{}, admin.Key, nil},
		{"legacy exchange DN", propString(p, "LegacyExchangeDN"), RecipientQuery{}, admin.Key, nil},
		{"x500 address", "X500:/o=Partner/ou=Desk/cn=Recipients/cn=desk", RecipientQuery{}, contact.Key, nil},
		{"domain\\name", `CONTOSO\admin`, RecipientQuery{}, admin.Key, nil},
		{"external address of a contact", "desk@partner.example", RecipientQuery{}, contact.Key, nil},
		{"type filter excludes", "admin", RecipientQuery{Types: []string{"SharedMailbox"}}, 0, ErrNotFound},
		{"recipient type filter includes", "admin", RecipientQuery{RecipientTypes: []string{"UserMailbox"}}, admin.Key, nil},
		{"ambiguous name and alias", "helpdesk", RecipientQuery{}, 0, ErrAmbiguous},
		{"ambiguity resolved by type", "helpdesk", RecipientQuery{Types: []string{"UserMailbox"}}, -1, nil},
		{"unknown name", "nobody-here", RecipientQuery{}, 0, ErrNotFound},
		{"unknown address", "nobody@contoso.com", RecipientQuery{}, 0, ErrNotFound},
		{"unknown guid", "6f0d6a2e-0000-4000-8000-000000000000", RecipientQuery{}, 0, ErrNotFound},
		{"DN of nobody", "CN=nobody,OU=contoso.onmicrosoft.com,DC=X", RecipientQuery{}, 0, ErrNotFound},
		{"empty", "  ", RecipientQuery{}, 0, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := st.FindRecipient(ctx, tt.identity, tt.q)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("FindRecipient(%q) error = %v, want %v", tt.identity, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("FindRecipient(%q): %v", tt.identity, err)
			}
			if tt.wantKey > 0 && got.Key != tt.wantKey {
				t.Errorf("FindRecipient(%q) = %d (%s), want %d", tt.identity, got.Key, got.Name, tt.wantKey)
			}
		})
	}
}

func TestFindRecipientScopes(t *testing.T) {
	st, _ := seededTest(t)
	ctx := context.Background()
	mbx, err := st.NewRecipient(ctx, map[string]any{"Name": "leaver", "RecipientTypeDetails": "UserMailbox"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.RemoveRecipient(ctx, mbx.Key, false); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		scope   Scope
		wantErr error
	}{
		{ScopeActive, ErrNotFound},
		{ScopeSoftDeleted, nil},
		{ScopeAll, nil},
		{ScopeInactiveOnly, ErrNotFound}, // no hold, so not inactive
		{ScopeActiveAndInactive, ErrNotFound},
	}
	for _, tt := range tests {
		got, err := st.FindRecipient(ctx, "leaver@contoso.com", RecipientQuery{Scope: tt.scope})
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("scope %d: error = %v, want %v", tt.scope, err, tt.wantErr)
		}
		if err == nil && (!got.SoftDeleted || got.Key != mbx.Key) {
			t.Errorf("scope %d: got %+v", tt.scope, got)
		}
	}
}
