// Package adminapi is the HTTP protocol layer of the sandbox tenant: a
// local simulator of Exchange Online's admin REST API, close enough that a
// client which passes against it works against the real service (see
// shared/spec/wire-protocol.md).
//
// It serves, under an optional "/region/{name}" prefix (Security &
// Compliance front door, redirect.go):
//
//	POST /adminapi/beta/{tenant}/InvokeCommand           run one cmdlet page (invoke.go)
//	POST /adminapi/beta/{tenant}/$batch                  up to 10 InvokeCommand parts (batch.go)
//	GET  /adminapi/{v1.0|beta}/{tenant}/EXOModuleFile    generated proxy module (modulefile.go)
//	GET  /adminapi/{v1.0|beta}/{tenant}/EXOBanner('AutogenSession')
//	GET  /adminapi/{v1.0|beta}/{tenant}/BasicInfo('AdminApiState')
//	GET  /adminapi/{v1.0|beta}/{tenant}/Mailbox('<id>')/...  entity routes of the Get-EXO* cmdlets (entity.go)
//	GET|POST /sandbox/control/faults                     run-time throttling and faults (control.go)
//
// The tenant segment is the tenant GUID or one of its domains. Path
// segments are matched case-insensitively, as the service does.
//
// Each request passes, in order: injected faults (latency, status, reset;
// faults.go), bearer-token verification and the tenant check (auth.go),
// the S&C regional redirect, the per-tenant request budget and
// concurrency limit (throttle.go), then the endpoint. Every answer carries
// request-id, Date, OData-Version, X-CalculatedBETarget and the
// Rate-Limit-* headers; failures use the OData error envelope (errors.go).
//
// The package owns no data: a TokenVerifier and a Backend (backend.go)
// supply identities, cmdlet metadata and cmdlet results. Requests are
// validated against Backend.Catalog (params.go) before Backend.Invoke
// sees them, and typed results are annotated on the way out
// (encoding.go, clixml.go). Entity routes are matched to the routes of
// docs/entity-routes.md, their keys and arguments decoded, and
// Backend.Query answers them (entity.go, entityserve.go).
package adminapi
