package opath

import (
	"errors"
	"testing"
	"time"
)

// guid stands in for a GUID type such as uuid.UUID: it only has String.
type guid string

func (g guid) String() string { return string(g) }

var alice = Map{
	"Name":                          "Alice Smith",
	"Alias":                         "alice",
	"DisplayName":                   "Alice Smith",
	"PrimarySmtpAddress":            "alice@contoso.com",
	"EmailAddresses":                []string{"SMTP:alice@contoso.com", "smtp:a.smith@fabrikam.com", "SIP:alice@contoso.com"},
	"ForwardingSmtpAddress":         "smtp:ext@example.org",
	"IsShared":                      false,
	"HiddenFromAddressListsEnabled": "True",
	"AuditEnabled":                  1,
	"MaxSafeSenders":                5,
	"ResourceCapacity":              float64(12),
	"SCLJunkThresholdInt":           int32(-2147483644),
	"RecipientLimits":               "Unlimited",
	"MaxBlockedSenders":             "7",
	"WhenCreated":                   time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC),
	"WhenChanged":                   "2021-06-01T00:00:00Z",
	"LitigationHoldDate":            time.Time{},
	"Guid":                          "8A68C198-BE28-4A30-83E9-BFFB760C65BA",
	"ExchangeGuid":                  guid("{c80a753d-bd4a-4e19-804a-6344d833ecd8}"),
	"RecipientTypeDetails":          "UserMailbox",
	"RecipientType":                 "UserMailbox",
	"RemoteRecipientType":           "ProvisionMailbox, Migrated",
	"ProhibitSendQuota":             "Unlimited",
	"IssueWarningQuota":             "49 GB (52,613,349,376 bytes)",
	"ArchiveDatabase":               "",
	"DistinguishedName":             "CN=alice,OU=contoso.onmicrosoft.com,DC=PROD,DC=OUTLOOK,DC=COM",
	"GrantSendOnBehalfTo":           []any{"CN=bob,OU=contoso", "CN=carol,OU=contoso"},
	"Office":                        nil,
	"CustomAttribute1":              "",
	"ExtensionCustomAttribute1":     []string{},
	"PersistedCapabilities":         []string{"BPOS_S_Standard", "BPOS_S_Enterprise"},
}

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		filter string
		want   bool
	}{
		// Strings: case-insensitive, ordering, wildcards.
		{`Name -eq 'alice smith'`, true},
		{`Name -eq 'Alice'`, false},
		{`Name -ne 'Alice'`, true},
		{`Name -ne 'ALICE SMITH'`, false},
		{`Name -lt 'b'`, true},
		{`Name -gt 'b'`, false},
		{`Name -le 'alice smith'`, true},
		{`Name -ge 'ALICE SMITH'`, true},
		{`Name -like 'ali*'`, true},
		{`Name -like '*SMITH'`, true},
		{`Name -like '*ce s*'`, true},
		{`Name -like 'smith*'`, false},
		{`Name -like 'alice smith'`, true},
		{`Name -like '*'`, true},
		{`Office -like '*'`, false},
		{`Name -notlike 'bob*'`, true},
		{`Name -notlike 'ali*'`, false},
		// $null: missing, nil, "", empty slice, zero time.
		{`Office -eq $null`, true},
		{`Office -ne $null`, false},
		{`CustomAttribute1 -eq $null`, true},
		{`CustomAttribute2 -eq $null`, true},
		{`ExtensionCustomAttribute1 -eq $null`, true},
		{`LitigationHoldDate -eq $null`, true},
		{`Name -eq $null`, false},
		{`Name -ne $null`, true},
		{`ArchiveDatabase -eq $null`, true},
		{`Office -eq 'x'`, false},
		{`Office -ne 'x'`, true},
		{`Office -notlike 'x*'`, true},
		// Bools from bool, string and number.
		{`IsShared -eq $false`, true},
		{`IsShared -eq 'True'`, false},
		{`IsShared -ne $true`, true},
		{`HiddenFromAddressListsEnabled -eq $true`, true},
		{`AuditEnabled -eq 1`, true},
		{`IsResource -eq $false`, false}, // missing is neither true nor false
		// Numbers from int, float64, int32, strings and Unlimited.
		{`MaxSafeSenders -eq 5`, true},
		{`MaxSafeSenders -gt 4`, true},
		{`MaxSafeSenders -lt 5`, false},
		{`MaxSafeSenders -le 5`, true},
		{`MaxSafeSenders -ge 6`, false},
		{`ResourceCapacity -eq 12`, true},
		{`SCLJunkThresholdInt -ge -2147483645`, true},
		{`MaxBlockedSenders -eq '7'`, true},
		{`RecipientLimits -eq 'Unlimited'`, true},
		{`RecipientLimits -gt 1000000`, true},
		// Dates.
		{`WhenCreated -gt '1/1/2020'`, true},
		{`WhenCreated -lt '2020-01-02'`, false},
		{`WhenCreated -eq '2020-01-02T03:04:05Z'`, true},
		{`WhenCreated -eq '1/2/2020 3:04:05 AM'`, true},
		{`WhenChanged -ge '6/1/2021'`, true},
		{`WhenChanged -gt '6/1/2021'`, false},
		{`LitigationHoldDate -gt '1/1/1990'`, false},
		// GUIDs in any spelling, also from fmt.Stringer values.
		{`Guid -eq '8a68c198-be28-4a30-83e9-bffb760c65ba'`, true},
		{`Guid -eq '8a68c198be284a3083e9bffb760c65ba'`, true},
		{`Guid -ne '00000000-0000-0000-0000-000000000000'`, true},
		{`ExchangeGuid -eq 'C80A753D-BD4A-4E19-804A-6344D833ECD8'`, true},
		// Enums, flags, quotas.
		{`RecipientTypeDetails -eq 'usermailbox'`, true},
		{`RecipientTypeDetails -ne 'SharedMailbox'`, true},
		{`RemoteRecipientType -eq 'Migrated,ProvisionMailbox'`, true},
		{`RemoteRecipientType -eq 'Migrated'`, false},
		{`ProhibitSendQuota -eq 'Unlimited'`, true},
		{`IssueWarningQuota -eq 'Unlimited'`, false},
		{`IssueWarningQuota -ne 'Unlimited'`, true},
		// DNs and multi-valued properties: -eq means contains.
		{`DistinguishedName -eq 'cn=alice,ou=contoso.onmicrosoft.com,dc=prod,dc=outlook,dc=com'`, true},
		{`GrantSendOnBehalfTo -eq 'CN=carol,OU=contoso'`, true},
		{`GrantSendOnBehalfTo -ne 'CN=carol,OU=contoso'`, false},
		{`GrantSendOnBehalfTo -eq 'CN=dave,OU=contoso'`, false},
		{`PersistedCapabilities -eq 'bpos_s_enterprise'`, true},
		// Proxy addresses: the prefix is optional for -eq, part of -like.
		{`EmailAddresses -eq 'a.smith@fabrikam.com'`, true},
		{`EmailAddresses -eq 'smtp:A.Smith@fabrikam.com'`, true},
		{`EmailAddresses -eq 'sip:alice@contoso.com'`, true},
		{`EmailAddresses -eq 'x500:alice@contoso.com'`, false},
		{`EmailAddresses -like 'a.smith*'`, false},
		{`EmailAddresses -like 'smtp:a.smith*'`, true},
		{`EmailAddresses -like '*@fabrikam.com'`, true},
		{`ForwardingSmtpAddress -eq 'ext@example.org'`, true},
		// PrimarySmtpAddress also searches EmailAddresses.
		{`PrimarySmtpAddress -eq 'alice@contoso.com'`, true},
		{`PrimarySmtpAddress -eq 'a.smith@fabrikam.com'`, true},
		{`PrimarySmtpAddress -ne 'a.smith@fabrikam.com'`, false},
		{`PrimarySmtpAddress -like '*@contoso.com'`, true},
		// Logic and precedence: -and binds tighter than -or.
		{`Name -eq 'x' -and Alias -eq 'alice' -or IsShared -eq $false`, true},
		{`Name -eq 'x' -and (Alias -eq 'alice' -or IsShared -eq $false)`, false},
		{`IsShared -eq $false -or Name -eq 'x' -and Alias -eq 'y'`, true},
		{`(IsShared -eq $false -or Name -eq 'x') -and Alias -eq 'y'`, false},
		{`-not (Name -eq 'x')`, true},
		{`-not Name -like 'ali*'`, false},
		{`-not -not (Alias -eq 'alice')`, true},
		{`{ Alias -eq 'alice' }`, true},
	} {
		f, err := Parse(tc.filter, MailboxSchema())
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.filter, err)
			continue
		}
		got, err := f.Match(alice)
		if err != nil {
			t.Errorf("Match(%q): %v", tc.filter, err)
			continue
		}
		if got != tc.want {
			t.Errorf("Match(%q) = %v, want %v", tc.filter, got, tc.want)
		}
	}
}

func TestMatchOtherCmdlets(t *testing.T) {
	cas, _ := CmdletSchema("Get-CASMailbox")
	group, _ := CmdletSchema("Get-DistributionGroup")
	for _, tc := range []struct {
		schema *Schema
		filter string
		obj    Map
		want   bool
	}{
		// filter-properties.md: the OWAEnabled filter "operates backwards".
		{cas, `OWAEnabled -eq $true`, Map{"OWAEnabled": false}, true},
		{cas, `OWAEnabled -eq $false`, Map{"OWAEnabled": false}, false},
		{cas, `OWAEnabled -eq $null`, Map{}, true},
		{cas, `PopEnabled -eq $true`, Map{"PopEnabled": true}, true},
		{group, `GroupType -eq 'SecurityEnabled,Universal'`, Map{"GroupType": "Universal, SecurityEnabled"}, true},
		{group, `GroupType -eq 'Universal'`, Map{"GroupType": []string{"Universal", "SecurityEnabled"}}, false},
		{group, `GroupType -eq 'Universal'`, Map{"GroupType": []any{"universal"}}, true},
		{group, `GroupType -ne 'Universal'`, Map{}, true},
		{RecipientSchema(), `Title -eq $null`, Map{"Title": ""}, true},
		{RecipientSchema(), `PostalCode -eq 90210`, Map{"PostalCode": "90210"}, true},
	} {
		f, err := Parse(tc.filter, tc.schema)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.filter, err)
			continue
		}
		if got, err := f.Match(tc.obj); err != nil || got != tc.want {
			t.Errorf("Match(%q, %v) = %v, %v; want %v", tc.filter, tc.obj, got, err, tc.want)
		}
	}
}

func TestMatchStoredValueErrors(t *testing.T) {
	for _, tc := range []struct {
		filter string
		obj    Map
	}{
		{`MaxSafeSenders -gt 1`, Map{"MaxSafeSenders": "lots"}},
		{`MaxSafeSenders -gt 1`, Map{"MaxSafeSenders": 1.5}},
		{`IsShared -eq $true`, Map{"IsShared": "sometimes"}},
		{`WhenCreated -gt '1/1/2020'`, Map{"WhenCreated": 42}},
		{`Guid -eq '8a68c198-be28-4a30-83e9-bffb760c65ba'`, Map{"Guid": "nope"}},
	} {
		f, err := Parse(tc.filter, MailboxSchema())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Match(tc.obj); !errors.Is(err, ErrStoredValue) {
			t.Errorf("Match(%q, %v) error = %v, want ErrStoredValue", tc.filter, tc.obj, err)
		}
	}
	// -and stops at the first false operand, so later bad values aren't read.
	f, _ := Parse(`Name -eq 'x' -and MaxSafeSenders -gt 1`, MailboxSchema())
	if ok, err := f.Match(Map{"Name": "y", "MaxSafeSenders": "lots"}); ok || err != nil {
		t.Errorf("short circuit: %v, %v", ok, err)
	}
}

func TestCompile(t *testing.T) {
	name, _ := MailboxSchema().Lookup("Name")
	// OData passes pre-split patterns; a * inside is then literal.
	test, err := name.Compile(OpLike, Pattern{Text: "a*b"})
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := test.MatchValue("xa*by"); !ok {
		t.Error("literal * in a Pattern should match itself")
	}
	if ok, _ := test.MatchValue("xaqby"); ok {
		t.Error("literal * in a Pattern must not be a wildcard")
	}
	if lit := test.Literal(); lit != (Pattern{Text: "a*b"}) {
		t.Errorf("Literal = %#v", lit)
	}
	if test.Op() != OpLike || test.Property().Name != "Name" {
		t.Errorf("Op/Property = %v/%v", test.Op(), test.Property().Name)
	}
	if _, err := name.Compile(OpEq, 42); err == nil {
		t.Error("int literal accepted; callers must pass text")
	}
	if _, err := name.Compile(Op(99), "x"); err == nil {
		t.Error("unknown operator accepted")
	}
	if _, err := name.Compile(OpEq, Pattern{Text: "x"}); err == nil {
		t.Error("Pattern accepted for -eq")
	}
	sid, _ := NewSchema(Property{Name: "Sid", Kind: String, NoNull: true}).Lookup("Sid")
	if _, err := sid.Compile(OpEq, nil); err == nil {
		t.Error("$null accepted for a NoNull property")
	}
	var te *TestError
	if _, err := sid.Compile(OpEq, ""); !errors.As(err, &te) || te.Reason != ReasonNull {
		t.Errorf("'' on a NoNull property: %v", err)
	}
}
