package opathfilter

import (
	"errors"
	"testing"
)

const (
	mailbox   = "Get-EXOMailbox"
	recipient = "Get-EXORecipient"
	cas       = "Get-EXOCasMailbox"
)

// translations are accepted filters and their exact OData. The fuzz test
// seeds its corpus from them.
var translations = []struct {
	name, cmdlet, filter, want string
}{
	// Comparisons and values.
	{"eq text", mailbox, "Alias -eq 'jdoe'", "Alias eq 'jdoe'"},
	{"every comparison operator", mailbox,
		"Name -eq 'a' -and Name -ne 'b' -and Name -lt 'c' -and Name -gt 'd' -and Name -le 'e' -and Name -ge 'f'",
		"Name eq 'a' and Name ne 'b' and Name lt 'c' and Name gt 'd' and Name le 'e' and Name ge 'f'"},
	{"operators and names in any casing get canonical names", mailbox,
		"displayname -EQ 'x' -AnD RECIPIENTTYPEDETAILS -Ne 'SharedMailbox'",
		"DisplayName eq 'x' and RecipientTypeDetails ne 'SharedMailbox'"},
	{"double-quoted value", mailbox, `Alias -eq "jdoe"`, "Alias eq 'jdoe'"},
	{"doubled quotes inside values become one, then OData doubles '", mailbox,
		`DisplayName -eq 'O''Brien' -or DisplayName -eq "say ""hi"" O'Neil"`,
		`DisplayName eq 'O''Brien' or DisplayName eq 'say "hi" O''Neil'`},
	{"no spaces needed around operators", mailbox, "Alias-eq'x'", "Alias eq 'x'"},
	{"spaces and newlines are free", mailbox, "\n\t Alias   -eq\n'x'  ", "Alias eq 'x'"},
	{"braces around the whole filter", mailbox, "{ Alias -eq 'x' }", "Alias eq 'x'"},
	{"a } inside a value is not the closing brace", mailbox, "{Alias -eq '}'}", "Alias eq '}'"},
	{"empty value", mailbox, "CustomAttribute1 -eq ''", "CustomAttribute1 eq ''"},
	{"non-ASCII text", mailbox, "DisplayName -eq 'Zoë Müller 日本'", "DisplayName eq 'Zoë Müller 日本'"},
	{"bare number for a text property is quoted", recipient, "PostalCode -eq 90210", "PostalCode eq '90210'"},

	// $null.
	{"-eq $null", mailbox, "ForwardingSmtpAddress -eq $null", "ForwardingSmtpAddress eq null"},
	{"-ne $NULL", mailbox, "ForwardingSmtpAddress -ne $NULL", "ForwardingSmtpAddress ne null"},
	{"$null on a multi-valued property", mailbox, "PersistedCapabilities -ne $null", "PersistedCapabilities ne null"},
	{"$null on a Boolean", mailbox, "IsShared -eq $null", "IsShared eq null"},

	// Booleans.
	{"$true", mailbox, "IsShared -eq $true", "IsShared eq true"},
	{"$False", mailbox, "HiddenFromAddressListsEnabled -ne $False", "HiddenFromAddressListsEnabled ne false"},
	{"quoted True", mailbox, "IsShared -eq 'True'", "IsShared eq true"},
	{"quoted false, any casing", mailbox, `AuditEnabled -eq "FALSE"`, "AuditEnabled eq false"},
	{"1 and 0, as filter-properties.md writes EwsEnabled", cas, "EwsEnabled -eq 1 -or PopEnabled -eq 0",
		"EwsEnabled eq true or PopEnabled eq false"},

	// Numbers and sizes.
	{"integer", mailbox, "ResourceCapacity -gt 15", "ResourceCapacity gt 15"},
	{"quoted integer", mailbox, "MaxSafeSenders -ge '+100'", "MaxSafeSenders ge 100"},
	{"negative integer", mailbox, "ResourceCapacity -ge -5", "ResourceCapacity ge -5"},
	{"large integer", recipient, "ExchangeVersion -lt 88218628259840", "ExchangeVersion lt 88218628259840"},
	{"integers are normalised", mailbox, "ResourceCapacity -eq 007 -or ResourceCapacity -eq -0",
		"ResourceCapacity eq 7 or ResourceCapacity eq 0"},
	{"size in bytes", mailbox, "MaxSendSize -lt 36700160", "MaxSendSize lt 36700160"},
	{"quoted size in bytes", mailbox, "MaxSendSize -lt '36700160'", "MaxSendSize lt 36700160"},
	{"size with unit stays quoted", mailbox, "ProhibitSendQuota -eq '50 GB'", "ProhibitSendQuota eq '50 GB'"},
	{"Unlimited", mailbox, "ProhibitSendReceiveQuota -ne 'Unlimited'", "ProhibitSendReceiveQuota ne 'Unlimited'"},
	{"decimal size stays quoted", mailbox, "ArchiveQuota -eq 1.5", "ArchiveQuota eq '1.5'"},
	{"a size beyond Int64 stays quoted", mailbox, "ArchiveQuota -eq 99999999999999999999", "ArchiveQuota eq '99999999999999999999'"},

	// Quoted kinds.
	{"GUID", mailbox, "ExchangeGuid -eq 'c80a753d-bd4a-4e19-804a-6344d833ecd8'",
		"ExchangeGuid eq 'c80a753d-bd4a-4e19-804a-6344d833ecd8'"},
	{"date", mailbox, "WhenCreated -gt '8/1/2017 2:00:00 PM'", "WhenCreated gt '8/1/2017 2:00:00 PM'"},
	{"enumeration", mailbox, "ArchiveStatus -eq 'Active'", "ArchiveStatus eq 'Active'"},
	{"time span", mailbox, "RetainDeletedItemsFor -eq '14.00:00:00'", "RetainDeletedItemsFor eq '14.00:00:00'"},

	// -like on single-valued text.
	{"prefix", mailbox, "UserPrincipalName -like 'john*'", "startswith(UserPrincipalName,'john')"},
	{"suffix", mailbox, "UserPrincipalName -like '*@contoso.com'", "endswith(UserPrincipalName,'@contoso.com')"},
	{"contains", mailbox, "DisplayName -like '*smith*'", "contains(DisplayName,'smith')"},
	{"no wildcard is equality", mailbox, "Alias -like 'jdoe'", "Alias eq 'jdoe'"},
	{"* alone is not blank", mailbox, "CustomAttribute7 -like '*'", "CustomAttribute7 ne null"},
	{"** is not blank too", mailbox, "CustomAttribute7 -like '**'", "CustomAttribute7 ne null"},
	{"empty pattern", mailbox, "CustomAttribute7 -like ''", "CustomAttribute7 eq ''"},
	{"quote in a pattern", mailbox, "DisplayName -like 'O''B*'", "startswith(DisplayName,'O''B')"},
	{"-notlike prefix", mailbox, "UserPrincipalName -notlike 'admin*'", "not (startswith(UserPrincipalName,'admin'))"},
	{"-notlike contains", mailbox, "DisplayName -NotLike '*test*'", "not (contains(DisplayName,'test'))"},
	{"-notlike without wildcard", mailbox, "Alias -notlike 'x'", "not (Alias eq 'x')"},
	{"-notlike *", mailbox, "CustomAttribute1 -notlike '*'", "not (CustomAttribute1 ne null)"},

	// Multi-valued properties.
	{"multi-valued -eq", mailbox, "EmailAddresses -eq 'smtp:a@contoso.com'", "EmailAddresses/any(d:d eq 'smtp:a@contoso.com')"},
	{"multi-valued -ne", mailbox, "EmailAddresses -ne 'smtp:a@contoso.com'", "not (EmailAddresses/any(d:d eq 'smtp:a@contoso.com'))"},
	{"multi-valued -lt", mailbox, "InPlaceHolds -lt 'm'", "InPlaceHolds/any(d:d lt 'm')"},
	{"multi-valued prefix", mailbox, "EmailAddresses -like 'smtp:lila*'", "EmailAddresses/any(d:startswith(d,'smtp:lila'))"},
	{"multi-valued suffix", mailbox, "EmailAddresses -like '*@fabrikam.com'", "EmailAddresses/any(d:endswith(d,'@fabrikam.com'))"},
	{"multi-valued contains", mailbox, "ProtocolSettings -like '*POP3*'", "ProtocolSettings/any(d:contains(d,'POP3'))"},
	{"multi-valued like without wildcard", mailbox, "EmailAddresses -like 'x@y.com'", "EmailAddresses/any(d:d eq 'x@y.com')"},
	{"multi-valued -notlike", mailbox, "EmailAddresses -notlike 'smtp:*'", "not (EmailAddresses/any(d:startswith(d,'smtp:')))"},
	{"a DN-valued collection", mailbox, "GrantSendOnBehalfTo -eq 'CN=Angela Gruber,CN=Users,DC=contoso,DC=com'",
		"GrantSendOnBehalfTo/any(d:d eq 'CN=Angela Gruber,CN=Users,DC=contoso,DC=com')"},
	{"recipient collections", recipient, "ManagedBy -eq 'x' -and ObjectClass -eq 'contact'",
		"ManagedBy/any(d:d eq 'x') and ObjectClass/any(d:d eq 'contact')"},

	// -and, -or, -not and grouping.
	{"-or", mailbox, "Alias -eq 'a' -or Alias -eq 'b'", "Alias eq 'a' or Alias eq 'b'"},
	{"-and then -or needs no parentheses", mailbox, "Alias -eq 'a' -and Name -eq 'b' -or Name -eq 'c'",
		"Alias eq 'a' and Name eq 'b' or Name eq 'c'"},
	{"-or then -and groups left to right", mailbox, "Alias -eq 'a' -or Name -eq 'b' -and Name -eq 'c'",
		"(Alias eq 'a' or Name eq 'b') and Name eq 'c'"},
	{"a longer chain", mailbox, "Alias -eq 'a' -or Alias -eq 'b' -and Name -eq 'c' -or Name -eq 'd' -and Name -eq 'e'",
		"((Alias eq 'a' or Alias eq 'b') and Name eq 'c' or Name eq 'd') and Name eq 'e'"},
	{"parentheses the user wrote", mailbox, "Alias -eq 'a' -and (Name -eq 'b' -or Name -eq 'c')",
		"Alias eq 'a' and (Name eq 'b' or Name eq 'c')"},
	{"redundant parentheses go", mailbox, "((Alias -eq 'a')) -and (Name -eq 'b')", "Alias eq 'a' and Name eq 'b'"},
	{"grouped -or on the left of -and", mailbox, "(Alias -eq 'a' -or Name -eq 'b') -and Name -eq 'c'",
		"(Alias eq 'a' or Name eq 'b') and Name eq 'c'"},
	{"-or on the right of -or", mailbox, "Alias -eq 'a' -or (Name -eq 'b' -or Name -eq 'c')",
		"Alias eq 'a' or Name eq 'b' or Name eq 'c'"},
	{"-not takes the next comparison only", mailbox, "-not Alias -eq 'a' -and Name -eq 'b'",
		"not (Alias eq 'a') and Name eq 'b'"},
	{"-not a group", mailbox, "-not (Alias -eq 'a' -or Name -eq 'b')", "not (Alias eq 'a' or Name eq 'b')"},
	{"-not without a space before (", mailbox, "-not(IsShared -eq $true)", "not (IsShared eq true)"},
	{"-not -not", mailbox, "-not -not IsShared -eq $true", "not (not (IsShared eq true))"},
	{"-not on the right", mailbox, "Alias -eq 'a' -or -not Name -eq 'b'", "Alias eq 'a' or not (Name eq 'b')"},
	{"the documentation's split -like", mailbox,
		"UserPrincipalName -like 'A*' -and UserPrincipalName -like '*C' -and UserPrincipalName -like '*B*'",
		"startswith(UserPrincipalName,'A') and endswith(UserPrincipalName,'C') and contains(UserPrincipalName,'B')"},
	{"a real-world mix", mailbox,
		"(RecipientTypeDetails -eq 'UserMailbox' -or RecipientTypeDetails -eq 'SharedMailbox') -and EmailAddresses -like '*@contoso.com' -and -not (IsInactiveMailbox -eq $true)",
		"(RecipientTypeDetails eq 'UserMailbox' or RecipientTypeDetails eq 'SharedMailbox') and EmailAddresses/any(d:endswith(d,'@contoso.com')) and not (IsInactiveMailbox eq true)"},
	{"CAS protocol switches", cas, "OWAEnabled -eq $false -and ActiveSyncAllowedDeviceIDs -like 'text1*'",
		"OWAEnabled eq false and ActiveSyncAllowedDeviceIDs/any(d:startswith(d,'text1'))"},
	{"recipient-only property", recipient, "Department -like 'Engineering*'", "startswith(Department,'Engineering')"},
	{"cmdlet name in any casing", "get-exorecipient", "city -eq 'Redmond'", "City eq 'Redmond'"},
}

func TestTranslate(t *testing.T) {
	t.Parallel()
	for _, tt := range translations {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Translate(tt.filter, tt.cmdlet)
			if err != nil {
				t.Fatalf("Translate(%q): %v", tt.filter, err)
			}
			if got != tt.want {
				t.Errorf("Translate(%q) =\n%s\nwant\n%s", tt.filter, got, tt.want)
			}
			if err := checkOData(got); err != nil {
				t.Errorf("output %q is malformed: %v", got, err)
			}
		})
	}
}

func TestTranslateEmpty(t *testing.T) {
	t.Parallel()
	for _, filter := range []string{"", "   ", "{}", " { \n } "} {
		got, err := Translate(filter, mailbox)
		if got != "" || err != nil {
			t.Errorf("Translate(%q) = %q, %v; want no filter", filter, got, err)
		}
	}
}

// rejections are refused filters with the exact message and position.
var rejections = []struct {
	name, cmdlet, filter string
	pos                  int
	syntax               bool
	msg                  string
}{
	// Names.
	{"unknown property", mailbox, "Foo -eq 'x'", 0, false,
		`"Foo" is not a recognized filterable property of Get-EXOMailbox (position 0).`},
	{"a property of another cmdlet", mailbox, "Name -eq 'a' -and City -eq 'Redmond'", 18, false,
		`"City" is not a recognized filterable property of Get-EXOMailbox (position 18).`},
	{"a property-set property that is not filterable", mailbox, "AuditOwner -eq 'x'", 0, false,
		`"AuditOwner" is not a recognized filterable property of Get-EXOMailbox (position 0).`},
	{"refused by Get-EXOMailbox", mailbox, "MemberOfGroup -eq 'CN=x'", 0, false,
		`"MemberOfGroup" cannot be used in -Filter of Get-EXOMailbox (position 0).`},
	{"refused, in canonical casing", recipient, "  members -eq 'CN=x'", 2, false,
		`"Members" cannot be used in -Filter of Get-EXORecipient (position 2).`},
	{"ExternalDirectoryObjectId is refused by Get-EXOCasMailbox", cas, "ExternalDirectoryObjectId -ne $null", 0, false,
		`"ExternalDirectoryObjectId" cannot be used in -Filter of Get-EXOCasMailbox (position 0).`},
	{"a cmdlet without -Filter", "Get-EXOMailboxStatistics", "ItemCount -gt 5", 0, false,
		`Get-EXOMailboxStatistics has no -Filter parameter with known properties (position 0).`},
	{"an unknown cmdlet", "Get-Foo", "Alias -eq 'x'", 0, false,
		`Get-Foo has no -Filter parameter with known properties (position 0).`},

	// Operators and values by kind.
	{"-like on a Boolean", mailbox, "IsShared -like 'T*'", 9, false,
		`-like can only be used with string properties, and "IsShared" is a Boolean property; use -eq (position 9).`},
	{"-notlike on an enumeration", mailbox, "RecipientTypeDetails -notlike 'User*'", 21, false,
		`-notlike can only be used with string properties, and "RecipientTypeDetails" is an enumeration property; use -eq (position 21).`},
	{"-like on a GUID", mailbox, "Guid -like '1234*'", 5, false,
		`-like can only be used with string properties, and "Guid" is a GUID property; use -eq (position 5).`},
	{"-like on a size", mailbox, "MaxSendSize -like '3*'", 12, false,
		`-like can only be used with string properties, and "MaxSendSize" is a size property; use -eq (position 12).`},
	{"-lt on a Boolean", mailbox, "IsShared -lt $true", 9, false,
		`-lt cannot be used with "IsShared", which is a Boolean property; use -eq or -ne (position 9).`},
	{"-gt on a GUID", mailbox, "ExchangeGuid -gt 'a'", 13, false,
		`-gt cannot be used with "ExchangeGuid", which is a GUID property; use -eq or -ne (position 13).`},
	{"$null with -gt", mailbox, "WhenCreated -gt $null", 12, false,
		`$null can only be compared with -eq or -ne, not -gt (WhenCreated -eq $null finds blank values) (position 12).`},
	{"$null with -like", mailbox, "Alias -like $null", 6, false,
		`$null can only be compared with -eq or -ne, not -like (Alias -eq $null finds blank values) (position 6).`},
	{"$true with -like", mailbox, "Alias -like $true", 12, false,
		`-like needs a text pattern such as 'abc*', not $true (position 12).`},
	{"text for a Boolean", mailbox, "IsShared -eq 'yes'", 13, false,
		`"IsShared" is a Boolean property; compare it with $true or $false, not 'yes' (position 13).`},
	{"2 for a Boolean", mailbox, "IsShared -eq 2", 13, false,
		`"IsShared" is a Boolean property; compare it with $true or $false, not 2 (position 13).`},
	{"text for an integer", mailbox, "ResourceCapacity -gt 'ten'", 21, false,
		`"ResourceCapacity" is an integer property; compare it with a whole number such as 10, not 'ten' (position 21).`},
	{"decimal for an integer", mailbox, "ResourceCapacity -gt 1.5", 21, false,
		`"ResourceCapacity" is an integer property; compare it with a whole number such as 10, not 1.5 (position 21).`},
	{"an integer beyond Int64", mailbox, "MaxSafeSenders -eq 9223372036854775808", 19, false,
		`"MaxSafeSenders" is an integer property; compare it with a whole number such as 10, not 9223372036854775808 (position 19).`},
	{"$true for an integer", mailbox, "MaxSafeSenders -eq $true", 19, false,
		`"MaxSafeSenders" is an integer property; compare it with a whole number such as 10, not $true (position 19).`},
	{"$false for a size", mailbox, "MaxSendSize -eq $false", 16, false,
		`"MaxSendSize" is a size property; compare it with a number of bytes or a quoted size such as '50 GB' or 'Unlimited', not $false (position 16).`},
	{"$true for text", mailbox, "CustomAttribute1 -eq $true", 21, false,
		`"CustomAttribute1" is a text property; $true and $false can only be compared with Boolean properties (position 21).`},
	{"$false for a collection", mailbox, "EmailAddresses -ne $false", 19, false,
		`"EmailAddresses" is a multi-valued text property; $true and $false can only be compared with Boolean properties (position 19).`},

	// Wildcards.
	{"a * in the middle", mailbox, "UserPrincipalName -like 'A*B'", 26, false,
		`the -like pattern 'A*B' has a * in the middle; Get-EXO* filters accept a * only at the start or end of a pattern, ` +
			`so split it into several conditions: "UserPrincipalName -like 'A*' -and UserPrincipalName -like '*B'" (position 26).`},
	{"the documentation's example", mailbox, "UserPrincipalName -like 'A*B*C'", 26, false,
		`the -like pattern 'A*B*C' has a * in the middle; Get-EXO* filters accept a * only at the start or end of a pattern, ` +
			`so split it into several conditions: "UserPrincipalName -like 'A*' -and UserPrincipalName -like '*C' -and UserPrincipalName -like '*B*'" (position 26).`},
	{"more than two wildcards", mailbox, "DisplayName -like '*a*b*'", 21, false,
		`the -like pattern '*a*b*' has more than two * wildcards; Get-EXO* filters accept a * only at the start or end of a pattern, ` +
			`so split it into several conditions: "DisplayName -like '*a*' -and DisplayName -like '*b*'" (position 21).`},
	{"-notlike suggestion is negated; position counts doubled quotes", mailbox, "DisplayName -notlike 'O''B*x'", 26, false,
		`the -notlike pattern 'O''B*x' has a * in the middle; Get-EXO* filters accept a * only at the start or end of a pattern, ` +
			`so split it into several conditions: "-not (DisplayName -like 'O''B*' -and DisplayName -like '*x')" (position 26).`},
	{"a middle * on a collection", mailbox, "EmailAddresses -like 'smtp:*@contoso.com'", 27, false,
		`the -like pattern 'smtp:*@contoso.com' has a * in the middle; Get-EXO* filters accept a * only at the start or end of a pattern, ` +
			`so split it into several conditions: "EmailAddresses -like 'smtp:*' -and EmailAddresses -like '*@contoso.com'" (position 27).`},

	// Syntax.
	{"a property alone", mailbox, "Name -eq 'a' -and Alias", 23, true,
		`Invalid filter syntax at position 23: expected a comparison operator such as -eq after "Alias".`},
	{"a value where the operator goes", mailbox, "Alias 'x'", 6, true,
		`Invalid filter syntax at position 6: expected a comparison operator such as -eq after "Alias", found 'x'.`},
	{"a logical operator where the comparison goes", mailbox, "Alias -and Name -eq 'x'", 6, true,
		`Invalid filter syntax at position 6: expected a comparison operator such as -eq after "Alias", found -and.`},
	{"an unsupported operator", mailbox, "Alias -match 'x'", 6, true,
		`Invalid filter syntax at position 6: -match is not a supported operator; use -eq, -ne, -lt, -gt, -le, -ge, -like or -notlike.`},
	{"a case-sensitive operator", mailbox, "Alias -ceq 'x'", 6, true,
		`Invalid filter syntax at position 6: -ceq is not a supported operator; use -eq, -ne, -lt, -gt, -le, -ge, -like or -notlike.`},
	{"no value", mailbox, "Alias -eq", 9, true,
		`Invalid filter syntax at position 9: expected a value such as 'text', 10 or $true after -eq, found the end of the filter.`},
	{"an unquoted word", mailbox, "Alias -eq jdoe", 10, true,
		`Invalid filter syntax at position 10: expected a value after -eq, found "jdoe"; put text values in quotes: 'jdoe'.`},
	{"an unquoted size", mailbox, "MaxSendSize -eq 50GB", 16, true,
		`Invalid filter syntax at position 16: the value 50GB needs quotes: '50GB'.`},
	{"a value after a value", mailbox, "Alias -eq 'a' 'b'", 14, true,
		`Invalid filter syntax at position 14: expected -and, -or or the end of the filter, found 'b'.`},
	{"two comparisons without -and", mailbox, "Alias -eq 'a' Name -eq 'b'", 14, true,
		`Invalid filter syntax at position 14: expected -and, -or or the end of the filter, found "Name".`},
	{"a comparison operator after a comparison", mailbox, "Alias -eq 'a' -eq 'b'", 14, true,
		`Invalid filter syntax at position 14: expected -and, -or or the end of the filter, found -eq.`},
	{"a dangling -and", mailbox, "Alias -eq 'a' -and", 18, true,
		`Invalid filter syntax at position 18: the filter ends where a comparison such as "Name -eq 'value'" was expected.`},
	{"a dangling -not", mailbox, "-not", 4, true,
		`Invalid filter syntax at position 4: the filter ends where a comparison such as "Name -eq 'value'" was expected.`},
	{"an operator first", mailbox, "-eq 'x'", 0, true,
		`Invalid filter syntax at position 0: expected a property name, ( or -not, found -eq.`},
	{"a value first", mailbox, "'x' -eq Alias", 0, true,
		`Invalid filter syntax at position 0: expected a property name, ( or -not, found 'x'.`},
	{"unclosed (", mailbox, "(Alias -eq 'a' -or Name -eq 'b'", 31, true,
		`Invalid filter syntax at position 31: expected ) to close the ( at position 0, found the end of the filter.`},
	{"unmatched )", mailbox, "Alias -eq 'a')", 13, true,
		`Invalid filter syntax at position 13: this ) has no matching (.`},
	{"empty parentheses", mailbox, "()", 1, true,
		`Invalid filter syntax at position 1: expected a property name, ( or -not, found ).`},
	{"unterminated single quote", mailbox, "Alias -eq 'jdoe", 10, true,
		`Invalid filter syntax at position 10: the value starting with ' has no closing '.`},
	{"unterminated double quote", mailbox, `Alias -eq "jdoe`, 10, true,
		`Invalid filter syntax at position 10: the value starting with " has no closing ".`},
	{"an unexpanded variable", mailbox, "Alias -eq $user", 10, true,
		`Invalid filter syntax at position 10: $user is a PowerShell variable that was not expanded; only $true, $false and $null are allowed in a filter, ` +
			`so put the filter in double quotes and the variable in single quotes ('$user') to insert its value.`},
	{"a lone $", mailbox, "Alias -eq $", 10, true,
		`Invalid filter syntax at position 10: expected $true, $false or $null after the $.`},
	{"a lone -", mailbox, "Alias - 'x'", 6, true,
		`Invalid filter syntax at position 6: expected an operator such as -eq or -and after the -.`},
	{"typographic quotes", mailbox, "Alias -eq ‘x’", 10, true,
		`Invalid filter syntax at position 10: the typographic quote ‘ is not a quote in filters; use ' or ".`},
	{"a stray character", mailbox, "Alias -eq 'a' & Name -eq 'b'", 14, true,
		`Invalid filter syntax at position 14: unexpected character '&'.`},
	{"a { without }", mailbox, "{Alias -eq 'a'", 0, true,
		`Invalid filter syntax at position 0: the { at the start of the filter has no matching } at its end.`},
	{"a } without {", mailbox, " Alias -eq 'a'}", 14, true,
		`Invalid filter syntax at position 14: the } at the end of the filter has no matching { at its start.`},
	{"a lone {", mailbox, "{", 0, true,
		`Invalid filter syntax at position 0: the { at the start of the filter has no matching } at its end.`},
	{"the end inside braces is before the }", mailbox, "{Alias -eq}", 10, true,
		`Invalid filter syntax at position 10: expected a value such as 'text', 10 or $true after -eq, found the end of the filter.`},
	{"positions count runes, not bytes", mailbox, "DisplayName -eq 'Zoë' -and Foo -eq 1", 27, false,
		`"Foo" is not a recognized filterable property of Get-EXOMailbox (position 27).`},
}

func TestTranslateErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range rejections {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Translate(tt.filter, tt.cmdlet)
			var filterErr *Error
			if !errors.As(err, &filterErr) {
				t.Fatalf("Translate(%q) = %q, %v; want an *Error", tt.filter, got, err)
			}
			if filterErr.Pos != tt.pos || filterErr.Syntax != tt.syntax {
				t.Errorf("Pos, Syntax = %d, %v; want %d, %v", filterErr.Pos, filterErr.Syntax, tt.pos, tt.syntax)
			}
			if err.Error() != tt.msg {
				t.Errorf("message =\n%s\nwant\n%s", err, tt.msg)
			}
		})
	}
}

func TestTranslateNestingLimit(t *testing.T) {
	t.Parallel()
	deep := ""
	for range maxDepth - 1 {
		deep += "("
	}
	deep += "Alias -eq 'a'"
	for range maxDepth - 1 {
		deep += ")"
	}
	if _, err := Translate(deep, mailbox); err != nil {
		t.Errorf("%d levels: %v", maxDepth-1, err)
	}
	_, err := Translate("("+deep+")", mailbox)
	var filterErr *Error
	if !errors.As(err, &filterErr) || filterErr.Pos != maxDepth {
		t.Errorf("%d levels: %v, want an error at position %d", maxDepth, err, maxDepth)
	}
}
