package store

import (
	"context"
	"encoding/pem"
	"errors"
	"testing"
	"time"

	"github.com/openexo/exo/internal/sandbox/pki"
)

func TestUsersAndPasswords(t *testing.T) {
	st, _ := openTest(t)
	ctx := context.Background()
	u, err := st.AddUser(ctx, User{UserPrincipalName: "Ops@Fabrikam.com", DisplayName: "Ops", Roles: []string{RoleRecipientManagement}}, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddUser(ctx, User{UserPrincipalName: "nopass@fabrikam.com"}, ""); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, upn, password string
		wantErr             error
	}{
		{"right password", "ops@fabrikam.com", "correct horse", nil},
		{"upn case-insensitive", "OPS@FABRIKAM.COM", "correct horse", nil},
		{"wrong password", "ops@fabrikam.com", "Correct horse", ErrInvalidCredentials},
		{"empty password", "ops@fabrikam.com", "", ErrInvalidCredentials},
		{"user without password", "nopass@fabrikam.com", "", ErrInvalidCredentials},
		{"unknown user", "ghost@fabrikam.com", "correct horse", ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := st.VerifyPassword(ctx, tt.upn, tt.password)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("VerifyPassword error = %v, want %v", err, tt.wantErr)
			}
			if err == nil && (got.ObjectID != u.ObjectID || !got.CanSignIn || got.Roles[0] != RoleRecipientManagement) {
				t.Errorf("VerifyPassword = %+v", got)
			}
		})
	}
	byID, err := st.UserByObjectID(ctx, u.ObjectID)
	if err != nil || byID.UserPrincipalName != "Ops@Fabrikam.com" {
		t.Errorf("UserByObjectID = %+v, %v", byID, err)
	}
	if _, err := st.UserByUPN(ctx, "nobody@x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("UserByUPN unknown: %v", err)
	}
	if _, err := st.AddUser(ctx, User{UserPrincipalName: "ops@fabrikam.com"}, "x"); !errors.Is(err, ErrConflict) {
		t.Errorf("duplicate UPN: %v, want ErrConflict", err)
	}
	if _, err := st.AddUser(ctx, User{UserPrincipalName: "no-at-sign"}, "x"); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad UPN: %v, want ErrInvalid", err)
	}
}

func TestAppsAndCertificates(t *testing.T) {
	st, _ := openTest(t)
	ctx := context.Background()
	app, err := st.AddApp(ctx, App{DisplayName: "Automation", Roles: []string{RoleOrganizationManagement}}, "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	cc, err := pki.NewClientCertificate("CN=automation", time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	other, err := pki.NewClientCertificate("CN=other", time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pemCert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cc.Cert.Raw})
	tests := []struct {
		name    string
		appID   string
		cert    []byte
		wantErr error
	}{
		{"PEM", app.AppID, pemCert, nil},
		{"same certificate again, as DER", app.AppID, cc.Cert.Raw, ErrConflict},
		{"unknown app", "11111111-2222-4333-8444-555555555555", other.Cert.Raw, ErrNotFound},
		{"not a certificate", app.AppID, []byte("garbage"), ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := st.AddAppCertificate(ctx, tt.appID, tt.cert)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("AddAppCertificate error = %v, want %v", err, tt.wantErr)
			}
			if err == nil && c.Thumbprint != cc.Thumbprint() {
				t.Errorf("thumbprint %s, want %s", c.Thumbprint, cc.Thumbprint())
			}
		})
	}
	got, err := st.AppByID(ctx, app.AppID)
	if err != nil || len(got.Certificates) != 1 || got.Certificates[0].Thumbprint != cc.Thumbprint() || !got.HasSecret {
		t.Fatalf("AppByID = %+v, %v", got, err)
	}
	if _, err := st.VerifyAppSecret(ctx, app.AppID, "s3cret"); err != nil {
		t.Errorf("right secret: %v", err)
	}
	if _, err := st.VerifyAppSecret(ctx, app.AppID, "nope"); !errors.Is(err, ErrInvalidCredentials) {
		t.Errorf("wrong secret: %v", err)
	}
	if _, err := st.AppByID(ctx, "not-a-guid"); !errors.Is(err, ErrNotFound) {
		t.Errorf("bad app ID: %v", err)
	}
}
