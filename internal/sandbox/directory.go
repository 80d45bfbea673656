package sandbox

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/openexo/exo/internal/sandbox/idp"
	"github.com/openexo/exo/internal/sandbox/store"
)

// directory lets the identity provider read principals from the tenant
// database.
type directory struct {
	st *store.Store
	// managedIdentityAppID is the app that stands for the system-assigned
	// managed identity of the machine the sandbox imitates.
	managedIdentityAppID string
}

func (d directory) Tenant(ctx context.Context) (idp.TenantInfo, error) {
	t, err := d.st.Tenant(ctx)
	if err != nil {
		return idp.TenantInfo{}, err
	}
	domains := []string{t.InitialDomain}
	for _, ad := range t.AcceptedDomains {
		if ad.DomainName != t.InitialDomain {
			domains = append(domains, ad.DomainName)
		}
	}
	return idp.TenantInfo{ID: t.ID, Domains: domains}, nil
}

func (d directory) VerifyPassword(ctx context.Context, upn, password string) (idp.Principal, error) {
	u, err := d.st.VerifyPassword(ctx, upn, password)
	if err != nil {
		return idp.Principal{}, mapPrincipalError(err)
	}
	return principal(u), nil
}

func (d directory) UserByObjectID(ctx context.Context, oid string) (idp.Principal, error) {
	u, err := d.st.UserByObjectID(ctx, oid)
	if err != nil {
		return idp.Principal{}, mapPrincipalError(err)
	}
	return principal(u), nil
}

func (d directory) App(ctx context.Context, appID string) (idp.App, error) {
	a, err := d.st.AppByID(ctx, appID)
	if err != nil {
		return idp.App{}, mapPrincipalError(err)
	}
	return application(a)
}

func (d directory) VerifyAppSecret(ctx context.Context, appID, secret string) error {
	_, err := d.st.VerifyAppSecret(ctx, appID, secret)
	return mapPrincipalError(err)
}

func (d directory) ManagedIdentity(ctx context.Context, sel idp.ManagedIdentitySelector) (idp.App, error) {
	appID := sel.ClientID
	if appID == "" && sel.ObjectID == "" && sel.ResourceID == "" {
		appID = d.managedIdentityAppID
	}
	if appID == "" {
		return idp.App{}, idp.ErrNotFound
	}
	return d.App(ctx, appID)
}

func principal(u store.User) idp.Principal {
	return idp.Principal{ObjectID: u.ObjectID, UPN: u.UserPrincipalName, DisplayName: u.DisplayName, Roles: u.Roles}
}

func application(a store.App) (idp.App, error) {
	certs := make([]*x509.Certificate, 0, len(a.Certificates))
	for _, c := range a.Certificates {
		cert, err := x509.ParseCertificate(c.DER)
		if err != nil {
			return idp.App{}, fmt.Errorf("app %s certificate %s: %w", a.AppID, c.Thumbprint, err)
		}
		certs = append(certs, cert)
	}
	return idp.App{
		AppID:        a.AppID,
		ObjectID:     a.ObjectID,
		DisplayName:  a.DisplayName,
		Certificates: certs,
		// Exchange app-only access needs this application permission; the
		// sandbox grants it to every registered app, as admin consent would.
		Permissions: []string{"Exchange.ManageAsApp"},
		Roles:       a.Roles,
	}, nil
}

func mapPrincipalError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("%w: %w", idp.ErrNotFound, err)
	case errors.Is(err, store.ErrInvalidCredentials):
		return fmt.Errorf("%w: %w", idp.ErrInvalidCredentials, err)
	default:
		return err
	}
}
