// Package idp imitates the Entra ID (Azure AD) endpoints that MSAL for Go
// uses, for the sandbox tenant. It serves discovery, the v2.0 token, device
// code and authorize endpoints, App Service and IMDS managed identity
// endpoints, and issues RS256 tokens shaped like Entra's v1 access tokens for
// Exchange Online. Verifier checks those tokens for the sandbox admin API.
//
// Clients need no sandbox-specific code, only configuration of stock MSAL:
//
//   - Authority "https://127.0.0.1:<port>/<tenant>", where <tenant> is the
//     tenant GUID, one of its domains, "organizations" or "common"
//     (app-only sign-in needs a specific tenant, as in Entra).
//   - WithHTTPClient with a client that trusts the sandbox CA.
//   - WithInstanceDiscovery(false): MSAL for Go sends instance discovery for
//     hosts it does not know to login.microsoftonline.com, never to the
//     authority. The same applies to any private-cloud authority.
//   - Managed identity: IDENTITY_ENDPOINT=https://127.0.0.1:<port>/msi/token
//     and IDENTITY_HEADER=Handler.IdentityHeader() select MSAL's App Service
//     source (leave IDENTITY_SERVER_THUMBPRINT, IMDS_ENDPOINT, MSI_ENDPOINT
//     unset), plus managedidentity.WithHTTPClient trusting the CA. MSAL's
//     IMDS source always calls 169.254.169.254, so /metadata/identity/oauth2/token
//     serves only clients that take an endpoint URL.
//
// Interactive and device code sign-in show HTML pages (authorize,
// /devicelogin) in the user's browser, which warns unless it trusts the
// sandbox CA as well.
package idp
