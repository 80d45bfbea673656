package opath

import (
	"slices"
	"strconv"
	"strings"
)

// Kind is the value type of a filterable property; it decides which
// operators and literals a comparison accepts and how values compare.
type Kind uint8

// The kinds follow the "Value" column of Microsoft's filter-properties.md.
const (
	// String is text, compared case-insensitively; -like needs Property.Wildcard.
	String Kind = iota + 1
	// ProxyAddress is an e-mail address, possibly with a "smtp:"-style
	// prefix: -eq ignores the prefix unless the value has one, -like does not.
	ProxyAddress
	// DN is a link to another object, given by distinguished name.
	DN
	// GUID values must parse as GUIDs.
	GUID
	// Bool accepts $true/$false, 'True'/'False' and 1/0.
	Bool
	// Int is a whole number (Property.Unlimited adds 'Unlimited').
	Int
	// DateTime accepts ISO 8601 and en-US dates such as '8/13/2017 2:00 PM';
	// values without a zone are UTC.
	DateTime
	// Enum is one named value of Property.Values.
	Enum
	// Flags is a set of Property.Values written 'A,B'; -eq means the same set.
	Flags
	// Quota is a ByteQuantifiedSize that the filter can only compare with 'Unlimited'.
	Quota
	// Presence properties can only be compared with $null.
	Presence
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case String:
		return "String"
	case ProxyAddress:
		return "ProxyAddress"
	case DN:
		return "DN"
	case GUID:
		return "GUID"
	case Bool:
		return "Bool"
	case Int:
		return "Int"
	case DateTime:
		return "DateTime"
	case Enum:
		return "Enum"
	case Flags:
		return "Flags"
	case Quota:
		return "Quota"
	case Presence:
		return "Presence"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Property describes one filterable property of a cmdlet.
type Property struct {
	Name      string   // canonical spelling, also the key passed to Object.Get
	Kind      Kind     // value type
	Multi     bool     // multi-valued: -eq means "contains"
	Wildcard  bool     // -like may use * (String, ProxyAddress, DN)
	NoNull    bool     // $null comparisons are rejected (SIDs in Exchange Online)
	Unlimited bool     // Int that also takes 'Unlimited' (greater than any number)
	Values    []string // Enum and Flags members; nil accepts any text
	// Also names a property whose values are searched together with this
	// one: filter-properties.md says PrimarySmtpAddress also matches the
	// EmailAddresses proxies.
	Also string
	// Inverted marks a Bool whose -Filter results are reversed, as documented
	// for OWAEnabled on Get-CASMailbox. Only the OPATH evaluator honours it.
	Inverted bool
}

// Schema is the set of properties a cmdlet can filter on. It is immutable
// and safe for concurrent use.
type Schema struct {
	props map[string]Property // key: strings.ToLower(Name)
}

// NewSchema returns a schema of props; a later property replaces an earlier
// one with the same name (case-insensitively).
func NewSchema(props ...Property) *Schema {
	s := &Schema{props: make(map[string]Property, len(props))}
	for _, p := range props {
		p.Values = slices.Clone(p.Values)
		s.props[strings.ToLower(p.Name)] = p
	}
	return s
}

// Lookup finds a property by name, case-insensitively.
func (s *Schema) Lookup(name string) (Property, bool) {
	p, ok := s.props[strings.ToLower(name)]
	return p, ok
}

// Without returns a copy of s without the named properties.
func (s *Schema) Without(names ...string) *Schema {
	out := &Schema{props: make(map[string]Property, len(s.props))}
	for k, p := range s.props {
		out.props[k] = p
	}
	for _, n := range names {
		delete(out.props, strings.ToLower(n))
	}
	return out
}

// CmdletSchema returns the properties that Exchange Online lets the named
// cmdlet filter on (filter-properties.md, Exchange Online column), e.g.
// "Get-Mailbox" or "get-recipient". The 14 cmdlets are Get-CASMailbox,
// Get-Contact, Get-DistributionGroup, Get-DynamicDistributionGroup,
// Get-Group, Get-LinkedUser, Get-Mailbox, Get-MailContact,
// Get-MailPublicFolder, Get-MailUser, Get-Recipient, Get-SecurityPrincipal,
// Get-User and Get-UnifiedGroup.
func CmdletSchema(cmdlet string) (*Schema, bool) {
	c, ok := cmdletByName(cmdlet)
	if !ok {
		return nil, false
	}
	return schemaOf(c), true
}

// MailboxSchema is the schema of Get-Mailbox: the 144 entries of
// filter-properties.md (162 names once CustomAttribute1–15 and
// ExtensionCustomAttribute1–5 are spelled out).
func MailboxSchema() *Schema { return schemaOf(mbx) }

// RecipientSchema is the schema of Get-Recipient: 79 entries (97 names).
func RecipientSchema() *Schema { return schemaOf(rcp) }

// GenericSchema accepts every property that some Exchange Online cmdlet can
// filter on, for cmdlets whose own list is not modelled.
func GenericSchema() *Schema { return schemaOf(anyCmdlet) }

func schemaOf(c cmdletSet) *Schema {
	var props []Property
	for _, r := range propertyTable() {
		if r.in&c != 0 {
			props = append(props, r.Property)
		}
	}
	return NewSchema(props...)
}
