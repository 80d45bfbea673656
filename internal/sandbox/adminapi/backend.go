package adminapi

import (
	"context"
	"errors"
	"strings"
)

// Caller is who a verified access token says is calling.
type Caller struct {
	// TenantID is the tenant GUID from the token's tid claim.
	TenantID string
	// ObjectID is the user's or service principal's object id (oid).
	ObjectID string
	// UPN is the signed-in user's name; empty for app-only tokens.
	UPN string
	// AppID is the client application id (appid / azp).
	AppID string
	// Roles are the Exchange RBAC roles or app roles the caller holds;
	// the Backend decides what they allow.
	Roles []string
	// Audience is the token's aud claim.
	Audience string
}

// principal names the caller for binding paging links to it.
func (c Caller) principal() string {
	if c.ObjectID != "" {
		return c.ObjectID
	}
	return c.AppID
}

// Errors a TokenVerifier returns (wrapped with %w is fine). Each becomes a
// 401 with a WWW-Authenticate challenge; anything else is treated as
// ErrTokenInvalid.
var (
	ErrTokenInvalid  = errors.New("access token is invalid")
	ErrTokenExpired  = errors.New("access token has expired")
	ErrWrongAudience = errors.New("access token was issued for another audience")
)

// ClaimsChallengeError rejects a token that is still valid but no longer
// enough, as continuous access evaluation does when a session is revoked:
// the 401 carries error="insufficient_claims" and Claims, which the client
// must request in its next token.
type ClaimsChallengeError struct {
	// Claims is the claims request JSON (sent base64-encoded).
	Claims string
	// Reason is a short human explanation for logs and x-ms-diagnostics.
	Reason string
}

func (e *ClaimsChallengeError) Error() string {
	return "claims challenge: " + e.Reason
}

// TokenVerifier checks a bearer token for the given audience.
type TokenVerifier interface {
	// Verify returns the caller a token names, or one of ErrTokenInvalid,
	// ErrTokenExpired, ErrWrongAudience or *ClaimsChallengeError.
	Verify(ctx context.Context, rawToken, audience string) (Caller, error)
}

// ErrTenantNotFound is what Backend.ResolveTenant returns for an unknown
// tenant reference.
var ErrTenantNotFound = errors.New("tenant not found")

// Backend is the tenant database and cmdlet engine behind the protocol
// layer. The protocol layer validates every request against Catalog before
// calling Invoke, so Invoke only sees known cmdlets, known parameters and
// values already converted to the Go types documented on Kind.
type Backend interface {
	// ResolveTenant maps the tenant segment of a URL (a GUID or one of the
	// tenant's domains such as contoso.onmicrosoft.com) to the tenant GUID,
	// or returns ErrTenantNotFound.
	ResolveTenant(ctx context.Context, ref string) (tenantID string, err error)

	// Catalog lists the cmdlets caller may run. It is called on every
	// request, so implementations should cache it per role set. A cmdlet
	// missing from the list is refused exactly like an unknown one, as
	// Exchange does for cmdlets outside the caller's RBAC roles.
	Catalog(ctx context.Context, caller Caller) ([]CmdletInfo, error)

	// Invoke runs one page of a cmdlet: it resumes from page.Cursor ("" for
	// the first page), returns at most page.MaxPageSize records and sets
	// Result.NextCursor when more remain. Failures are returned as
	// *CmdletError; any other error becomes a 500. ctx carries the server's
	// cmdlet timeout and is cancelled when the client goes away.
	Invoke(ctx context.Context, caller Caller, call CmdletCall, page Page) (Result, error)

	// Query reads one page of an entity route of the Get-EXO* cmdlets
	// (docs/entity-routes.md) under the paging contract of Invoke. The
	// protocol layer has matched the path against the known routes and
	// decoded its keys and arguments; the Backend checks PropertySets,
	// Select, Filter and Options. When q.Single is set the Result holds
	// exactly one record, the entity. Warnings are sent as X-Warnings
	// headers; Errors and ConfirmationMessage are not used. Failures are
	// *CmdletError as for Invoke.
	Query(ctx context.Context, caller Caller, q EntityQuery, page Page) (Result, error)
}

// The entity routes, as EntityQuery.Route names them: the set, navigation
// and function names of the path without keys.
const (
	RouteMailbox                          = "Mailbox"
	RouteRecipient                        = "Recipient"
	RouteCasMailbox                       = "CasMailbox"
	RouteMailboxStatistics                = "Mailbox/GetMailboxStatistics"
	RouteMailboxFolderStatistics          = "Mailbox/MailboxFolder/GetMailboxFolderStatistics"
	RouteMailboxPermission                = "Mailbox/MailboxPermission"
	RouteRecipientPermission              = "Recipient/RecipientPermission"
	RouteRecipientPermissionByFilters     = "Recipient/GetRecipientPermissionByFilters"
	RouteMailboxFolderPermission          = "Mailbox/MailboxFolder/MailboxFolderPermission"
	RouteMobileDeviceStatistics           = "Mailbox/MobileDevice/GetMobileDeviceStatistics"
	RouteMobileDeviceStatisticsByIdentity = "Mailbox/MobileDevice/GetMobileDeviceStatisticsByIdentity"
)

// EntityQuery is one entity-route read, e.g.
// GET Mailbox('alex@contoso.com')/MailboxPermission?SoftDeletedMailbox=true.
type EntityQuery struct {
	// Set is the entity set the path starts with: Mailbox, Recipient or
	// CasMailbox.
	Set string
	// Key is the set segment's key, decoded; "" when the path has none or
	// an empty one, which names no object (a listing of all of them).
	Key string
	// Navigation are the segments between the set and the function, each
	// with its decoded key.
	Navigation []EntitySegment
	// Function is the bound function the path ends with, without its
	// "Exchange." namespace, e.g. GetMailboxStatistics; "" for none.
	Function string
	// Args are the function's arguments by their canonical names, decoded:
	// identities from base64, enum literals without their type prefix,
	// XParameter-* placeholders replaced by the header they name.
	// Arguments the call leaves out are absent.
	Args map[string]string
	// Single marks a read of one entity (a keyed read, or a function that
	// returns one object): the answer is that entity, not a collection.
	Single bool
	// PropertySets are the PropertySet names as sent; empty means Minimum.
	PropertySets []string
	// Select are the $select property names as sent.
	Select []string
	// Filter is the $filter expression; "" for none.
	Filter string
	// Options are the custom query options by lower-case name, values as
	// sent: "true" for switches, comma lists for arrays.
	Options map[string]string
}

// EntitySegment is a navigation segment and its decoded key ("" for none).
type EntitySegment struct {
	Name string
	Key  string
}

// Route names the route of q, one of the Route constants.
func (q EntityQuery) Route() string {
	parts := []string{q.Set}
	for _, s := range q.Navigation {
		parts = append(parts, s.Name)
	}
	if q.Function != "" {
		parts = append(parts, q.Function)
	}
	return strings.Join(parts, "/")
}

// CmdletCall is one validated cmdlet invocation.
type CmdletCall struct {
	// Name is the cmdlet name in its catalog casing.
	Name string
	// Params maps catalog parameter names to values converted per Kind.
	// Common parameters (ErrorAction, Confirm, WhatIf, ...) are removed.
	Params map[string]any
	// ParameterSet is the parameter set the binder resolved.
	ParameterSet string
	// WhatIf marks a validation call: the client sent -WhatIf, or
	// -Confirm:$true to fetch the prompt text. The cmdlet must change
	// nothing and should describe what it would do in
	// Result.ConfirmationMessage.
	WhatIf bool
}

// Page says which page of a cmdlet's output to produce.
type Page struct {
	// Cursor is "" for the first page, else a NextCursor returned earlier
	// for the same caller, cmdlet and parameters.
	Cursor string
	// MaxPageSize is between 1 and MaxPageSize (the package constant).
	MaxPageSize int
}

// Result is one page of cmdlet output.
type Result struct {
	// Records are the output objects, at most Page.MaxPageSize of them.
	Records []Record
	// NextCursor is opaque to the protocol layer; non-empty means more
	// pages remain and a signed @odata.nextLink carries it.
	NextCursor string
	// Warnings become @adminapi.warnings.
	Warnings []string
	// Errors are non-terminating errors reported inside a 200 as
	// @adminapi.errors, the way Exchange reports partial failures.
	Errors []*CmdletError
	// ConfirmationMessage answers a WhatIf call (@adminapi.confirmationmessage).
	// When a WhatIf call leaves it empty, a generic PowerShell-style
	// message is sent.
	ConfirmationMessage string
}

// Record is one output object with its properties in display order.
type Record struct {
	// TypeNames are the .NET type names, most derived first, e.g.
	// "Microsoft.Exchange.Data.Directory.Management.Mailbox". Only the
	// CLIXML response format uses them.
	TypeNames []string
	// Properties in the order the service prints them.
	Properties []Property
}

// Property is one named value of a Record. Value may be nil, string, bool,
// int, int16, int32, int64, float64, time.Time, time.Duration, uuid.UUID,
// ByteQuantifiedSize, []byte, map[string]any (a hashtable), or a slice of
// strings, numbers, bools, GUIDs, times or hashtables; see encoding.go for
// the annotations each one gets. Entity answers (Backend.Query) also take
// a Record or []Record, written as complex values (entityserve.go).
type Property struct {
	Name  string
	Value any
}

// ConfirmImpact is a cmdlet's ConfirmImpact.
type ConfirmImpact string

// ConfirmImpact values, as PowerShell names them.
const (
	ConfirmNone   ConfirmImpact = "None"
	ConfirmLow    ConfirmImpact = "Low"
	ConfirmMedium ConfirmImpact = "Medium"
	ConfirmHigh   ConfirmImpact = "High"
)

// CmdletInfo describes a cmdlet well enough to validate calls and to
// generate its proxy function in the EXOModuleFile module.
type CmdletInfo struct {
	// Name is Verb-Noun, e.g. Get-Mailbox.
	Name string
	// DefaultParameterSet is used when the bound parameters fit several sets.
	DefaultParameterSet string
	// SupportsShouldProcess adds -WhatIf and -Confirm.
	SupportsShouldProcess bool
	// ConfirmImpact defaults to Medium when SupportsShouldProcess is set.
	ConfirmImpact ConfirmImpact
	// NoBatching marks the few cmdlets whose proxies never use $batch.
	NoBatching bool
	// Parameters excludes the common parameters.
	Parameters []ParameterInfo
}

// ParameterInfo describes one parameter.
type ParameterInfo struct {
	Name string
	// Kind says which JSON shapes the service accepts and what Go value the
	// Backend receives.
	Kind Kind
	// Type is the PowerShell type literal written in the proxy, without
	// brackets ("string", "switch", "System.Security.SecureString"); empty
	// means the default for Kind (often untyped, as Exchange's own proxies
	// leave server-side types such as MailboxIdParameter untyped).
	Type string
	// Sets lists the parameter's [Parameter()] attributes, one per
	// parameter set; nil makes it an optional named member of every set.
	Sets []ParameterSetInfo
	// ValidValues restricts string values (case-insensitively, each element
	// for arrays); the proxy gets a matching [ValidateSet()].
	ValidValues []string
	// NotNullOrEmpty rejects null and empty values ([ValidateNotNullOrEmpty()]).
	NotNullOrEmpty bool
	// Range bounds KindInt values ([ValidateRange()]).
	Range *IntRange
}

// IntRange is an inclusive range for an integer parameter.
type IntRange struct{ Min, Max int64 }

// ParameterSetInfo is a parameter's membership in one parameter set.
type ParameterSetInfo struct {
	// Name of the set; "" means all sets.
	Name      string
	Mandatory bool
	// Position is 1-based as Microsoft's docs print it; 0 means named only.
	// The proxy writes Position-1, as PowerShell counts from 0.
	Position                        int
	ValueFromPipeline               bool
	ValueFromPipelineByPropertyName bool
}

// Kind is the wire shape of a parameter and the Go type the Backend gets.
type Kind int

// Kinds. The Go type each one is converted to is given in brackets.
const (
	// KindAny accepts any JSON value [string, int64, float64, bool, nil,
	// []any, map[string]any, []byte, []map[string]any, [][]byte].
	KindAny Kind = iota
	// KindString accepts a string or a scalar [string].
	KindString
	// KindStringArray accepts a string or an array of scalars [[]string].
	KindStringArray
	// KindInt accepts an integer or a numeric string in Int32 range [int64].
	KindInt
	// KindBool accepts true/false or a number [bool].
	KindBool
	// KindSwitch accepts true/false [bool].
	KindSwitch
	// KindDateTime accepts the module's UTC "yyyy-MM-ddTHH:mm:ss", RFC 3339
	// or a date [time.Time in UTC].
	KindDateTime
	// KindGuid accepts a GUID string [uuid.UUID].
	KindGuid
	// KindHashtable accepts an #Exchange.GenericHashTable object [map[string]any].
	KindHashtable
	// KindHashtableArray accepts #Collection(Exchange.GenericHashTable) [[]map[string]any].
	KindHashtableArray
	// KindBytes accepts #Exchange.ByteArrayType [[]byte].
	KindBytes
	// KindBytesArray accepts #Collection(Exchange.ByteArrayType) [[][]byte].
	KindBytesArray
	// KindSecureString accepts the base64 RSA ciphertext of the UTF-8
	// string, encrypted with the EXOModuleFile $PublicKey [SecureString].
	KindSecureString
	// KindCredential accepts the encrypted {"UserName","Password"} JSON, or
	// an object whose Password alone is encrypted [Credential].
	KindCredential
	// KindMultiValued accepts a string, an array, or a hashtable with Add
	// and/or Remove keys [[]string or MultiValuedDelta].
	KindMultiValued
	// KindUnlimited accepts a positive integer or "Unlimited" [Unlimited].
	KindUnlimited
)

// SecureString is a decrypted SecureString parameter.
type SecureString string

// Credential is a decrypted PSCredential parameter.
type Credential struct {
	UserName string
	Password SecureString
}

// MultiValuedDelta is a multi-valued parameter given as @{Add=...;Remove=...}.
type MultiValuedDelta struct {
	Add, Remove []string
}

// Unlimited is an Unlimited<int> parameter such as ResultSize.
type Unlimited struct {
	// IsUnlimited is set for "Unlimited"; Value is meaningful otherwise.
	IsUnlimited bool
	Value       int64
}

// ByteQuantifiedSize is a size in bytes, sent the way Exchange prints it:
// "99 GB (106,300,440,576 bytes)".
type ByteQuantifiedSize uint64
