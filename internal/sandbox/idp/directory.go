package idp

import (
	"context"
	"crypto/x509"
	"errors"
)

// Errors a Directory returns; the identity provider turns them into the
// AADSTS errors Entra ID answers with.
var (
	ErrNotFound           = errors.New("idp: not found")
	ErrInvalidCredentials = errors.New("idp: invalid credentials")
)

// Directory is what the identity provider needs from the tenant database.
type Directory interface {
	// Tenant describes the one tenant the sandbox hosts.
	Tenant(ctx context.Context) (TenantInfo, error)
	// VerifyPassword returns the user whose UPN and password match, ErrNotFound
	// for an unknown UPN, or ErrInvalidCredentials for a wrong password.
	VerifyPassword(ctx context.Context, upn, password string) (Principal, error)
	// UserByObjectID re-reads a user when a refresh token or authorization
	// code is redeemed, so role changes and deletions take effect; ErrNotFound
	// when the user is gone.
	UserByObjectID(ctx context.Context, objectID string) (Principal, error)
	// App returns an application registration and its service principal by
	// application (client) ID, or ErrNotFound.
	App(ctx context.Context, appID string) (App, error)
	// VerifyAppSecret checks a client secret of the app: ErrNotFound for an
	// unknown app, ErrInvalidCredentials for a wrong secret.
	VerifyAppSecret(ctx context.Context, appID, secret string) error
	// ManagedIdentity returns the service principal of the managed identity
	// sel names (the zero selector means the system-assigned one), or
	// ErrNotFound.
	ManagedIdentity(ctx context.Context, sel ManagedIdentitySelector) (App, error)
}

// TenantInfo identifies the tenant. Domains[0] is the initial
// (*.onmicrosoft.com) domain; any of them may name the tenant in an
// authority URL.
type TenantInfo struct {
	ID      string
	Domains []string
}

// Principal is a user.
type Principal struct {
	ObjectID    string
	UPN         string
	DisplayName string
	// Roles are the user's Entra and Exchange role names (for example
	// "Exchange Administrator", "Organization Management"); they travel in
	// the access token so the admin API can enforce RBAC.
	Roles    []string
	Disabled bool
}

// App is an application registration together with its service principal in
// the tenant; managed identities are Apps too.
type App struct {
	AppID string
	// ObjectID is the service principal's object ID, the oid of app-only tokens.
	ObjectID    string
	DisplayName string
	// PublicClient allows flows without a client credential (device code,
	// password, authorization code with PKCE), as "Allow public client flows" does.
	PublicClient bool
	// RedirectURIs are the registered reply URLs besides loopback ones, which
	// public clients may always use.
	RedirectURIs []string
	// Certificates are the registered certificate credentials.
	Certificates []*x509.Certificate
	// Permissions are the application permissions granted with admin consent
	// on the resource, such as "Exchange.ManageAsApp"; they become the roles claim.
	Permissions []string
	// Roles are Entra and Exchange role names assigned to the service principal.
	Roles []string
	// ResourceID is the Azure resource ID of a managed identity (xms_mirid).
	ResourceID string
}

// ManagedIdentitySelector names a user-assigned managed identity the way
// IMDS and App Service requests do; at most one field is set.
type ManagedIdentitySelector struct {
	ClientID   string
	ObjectID   string
	ResourceID string
}

// firstPartyApp returns the Microsoft-owned public clients that exist in
// every tenant without registration.
func firstPartyApp(appID string) (App, bool) {
	switch appID {
	case ExchangePowerShellClientID:
		return App{AppID: appID, DisplayName: "Microsoft Exchange REST API Based Powershell", PublicClient: true}, true
	case LegacyExchangePowerShellClientID:
		return App{AppID: appID, DisplayName: "Exchange Online PowerShell", PublicClient: true}, true
	}
	return App{}, false
}

// Client IDs of the ExchangeOnlineManagement module.
const (
	ExchangePowerShellClientID       = "fb78d390-0c51-40cd-8e17-fdbfab77341b"
	LegacyExchangePowerShellClientID = "a0c73c16-a7e3-4564-9a95-2bdf47383716"
)
