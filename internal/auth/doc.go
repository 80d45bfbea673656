// Package auth signs a connection in with MSAL for Go and keeps its access
// token fresh. Each sign-in flow of Connect-ExchangeOnline has a constructor
// returning a *Source:
//
//   - NewPassword (-Credential): resource owner password credentials.
//   - NewDeviceCode (-Device): the device code message goes to a callback.
//   - NewInteractive (the default): authorization code with PKCE and a
//     loopback redirect; the caller opens the browser.
//   - NewCertificate (-AppId with a certificate): client credentials against
//     https://<login host>/<Organization>.
//   - NewAccessToken (-AccessToken): a caller-supplied JWT, used until it expires.
//   - NewManagedIdentity (-ManagedIdentity): MSAL's managed identity client.
//   - SilentFromCache: a user sign-in kept in the persistent cache by an
//     earlier daemon process.
//
// Every flow speaks the real protocol; the sandbox tenant differs only in
// its authority URL and in the CA that TrustedHTTPClient adds.
//
// Instance discovery (authority validation) is enabled only for Microsoft's
// login hosts: MSAL for Go sends it to login.microsoftonline.com for any
// other host, which would leak private-cloud and sandbox authorities.
//
// Managed identity: MSAL for Go reads the identity endpoint only from the
// process environment (IDENTITY_ENDPOINT, IDENTITY_HEADER, ...), both when a
// client is made and on every token request, and caches managed identity
// tokens process-wide by identity and resource. A connection that names its
// own endpoint (ManagedIdentityEndpoint) therefore has the variables set for
// the duration of each acquisition, under a process-wide lock that every
// managed identity acquisition takes, and restored afterwards. Two endpoints
// serving the same identity and resource share MSAL's cached token.
package auth
