// Package odatafilter parses and evaluates the OData v4 $filter expressions
// that the Get-EXO* cmdlets send to the sandbox tenant's entity routes
// (Mailbox, Recipient, CasMailbox): comparisons (eq ne lt gt le ge), and,
// or, not, parentheses, startswith/endswith/contains, and any/all lambdas
// over multi-valued properties, e.g.
//
//	RecipientTypeDetails eq 'SharedMailbox' and EmailAddresses/any(d:startswith(d,'smtp:sales'))
//
// Exchange evaluates $filter with OPATH semantics, so values compare as in
// package opath: case-insensitively, literals converted to the property's
// type (a quoted 'True' is a boolean, a bare 90210 may be a postal code).
// OData's own rules apply where the client depends on them: a multi-valued
// property can only be tested through any/all, and any/all only apply to
// multi-valued properties.
//
// Parse errors are *SyntaxError or *PropertyError, which an HTTP layer
// answers with 400 Bad Request.
package odatafilter

import (
	"strings"

	"github.com/openexo/exo/internal/sandbox/opath"
)

// Schema is the filterable properties of one entity type. It is immutable
// and safe for concurrent use.
type Schema struct {
	entityType   string
	props        *opath.Schema
	unfilterable map[string]string // lower-case name → spelling in messages
}

// NewSchema returns the schema of entityType (used in messages, e.g.
// "Exchange.Mailbox"): the properties of props except unfilterable, which
// get a "can't be used in $filter" error instead of "could not find".
func NewSchema(entityType string, props *opath.Schema, unfilterable ...string) *Schema {
	s := &Schema{entityType: entityType, props: props.Without(unfilterable...), unfilterable: map[string]string{}}
	for _, n := range unfilterable {
		s.unfilterable[strings.ToLower(n)] = n
	}
	return s
}

// The Get-EXO* cmdlets filter on their classic counterpart's properties
// except those Microsoft lists as unsupported (filters-v2.md, quoted in
// cmdlet-surface.md §4.2).

// MailboxSchema is the schema of the Mailbox entity set (Get-EXOMailbox).
func MailboxSchema() *Schema {
	return NewSchema("Exchange.Mailbox", opath.MailboxSchema(),
		"DeletedItemFlags", "LanguagesRaw", "MasterAccountSid", "MemberOfGroup", "RequireAllSendersAreAuthenticated",
		"SCLDeleteThresholdInt", "SCLJunkThresholdInt", "SCLQuarantineThresholdInt", "SCLRejectThresholdInt")
}

// RecipientSchema is the schema of the Recipient entity set (Get-EXORecipient).
func RecipientSchema() *Schema {
	return NewSchema("Exchange.Recipient", opath.RecipientSchema(),
		"CountryCode", "ExternalDirectoryObjectId", "MasterAccountSid", "MemberOfGroup", "Members")
}

// CasMailboxSchema is the schema of the CasMailbox entity set (Get-EXOCasMailbox).
func CasMailboxSchema() *Schema {
	cas, _ := opath.CmdletSchema("Get-CASMailbox")
	return NewSchema("Exchange.CasMailbox", cas, "MemberOfGroup", "ExternalDirectoryObjectId")
}
