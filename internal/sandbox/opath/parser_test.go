package opath

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseCanonical(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// Operators, case-insensitive names and operators.
		{`Name -eq 'x'`, `Name -eq 'x'`},
		{`name -EQ 'x'`, `Name -eq 'x'`},
		{`Name -ne 'x'`, `Name -ne 'x'`},
		{`Name -lt 'm'`, `Name -lt 'm'`},
		{`Name -gt 'm'`, `Name -gt 'm'`},
		{`Name -le 'm'`, `Name -le 'm'`},
		{`Name -ge 'm'`, `Name -ge 'm'`},
		{`Name -like 'a*'`, `Name -like 'a*'`},
		{`Name -notlike '*a'`, `Name -notlike '*a'`},
		{`Name -like '*a*'`, `Name -like '*a*'`},
		{`Name -like '*'`, `Name -like '*'`},
		{`Name -like '**'`, `Name -like '*'`},
		{`Name -like 'exact'`, `Name -like 'exact'`},
		// Quoting.
		{`Name -eq 'it''s'`, `Name -eq 'it''s'`},
		{`Name -eq "it's"`, `Name -eq 'it''s'`},
		{`Name -eq "say ""hi"""`, `Name -eq 'say "hi"'`},
		{"Name -eq \"a`\"b\"", `Name -eq 'a"b'`},
		{`Name -eq "$true"`, `Name -eq 'True'`},
		{`Name -eq "cost $5"`, `Name -eq 'cost $5'`},
		{"Name -eq ‘curly’", `Name -eq 'curly'`},
		{"Name -eq 'it’’s'", "Name -eq 'it’’s'"},
		{"Name –eq 'en dash'", `Name -eq 'en dash'`},
		{`Name -eq bare`, `Name -eq 'bare'`},
		{`Name -eq'tight'`, `Name -eq 'tight'`},
		{`Office -eq 90210`, `Office -eq '90210'`},
		{"Name\t-eq\n'x'", `Name -eq 'x'`},
		// Values converted to the property's kind.
		{`IsShared -eq $true`, `IsShared -eq $true`},
		{`IsShared -eq 'False'`, `IsShared -eq $false`},
		{`IsShared -eq True`, `IsShared -eq $true`},
		{`Name -eq $null`, `Name -eq $null`},
		{`Name -ne ''`, `Name -ne $null`},
		{`MaxSafeSenders -gt 5`, `MaxSafeSenders -gt 5`},
		{`SCLDeleteThresholdInt -ge -2147483640`, `SCLDeleteThresholdInt -ge -2147483640`},
		{`MaxSafeSenders -gt '5'`, `MaxSafeSenders -gt 5`},
		{`RecipientLimits -ne 'unlimited'`, `RecipientLimits -ne 'Unlimited'`},
		{`WhenCreated -gt '8/13/2017'`, `WhenCreated -gt '2017-08-13T00:00:00Z'`},
		{`WhenCreated -gt '8/1/2017 2:00:00 PM'`, `WhenCreated -gt '2017-08-01T14:00:00Z'`},
		{`WhenCreated -lt '2020-01-02T03:04:05.5+01:00'`, `WhenCreated -lt '2020-01-02T02:04:05.5Z'`},
		{`Guid -eq '{8A68C198-BE28-4A30-83E9-BFFB760C65BA}'`, `Guid -eq '8a68c198-be28-4a30-83e9-bffb760c65ba'`},
		{`RecipientTypeDetails -eq SharedMailbox`, `RecipientTypeDetails -eq 'SharedMailbox'`},
		{`RecipientType -eq 'usermailbox'`, `RecipientType -eq 'UserMailbox'`},
		{`ArchiveQuota -eq 'unlimited'`, `ArchiveQuota -eq 'Unlimited'`},
		{`ArchiveDatabase -ne $null`, `ArchiveDatabase -ne $null`},
		{`RemoteRecipientType -eq 'Migrated, ProvisionMailbox'`, `RemoteRecipientType -eq 'Migrated,ProvisionMailbox'`},
		// Logic, precedence, flattening and parentheses.
		{`Name -eq 'a' -and Alias -eq 'b'`, `Name -eq 'a' -and Alias -eq 'b'`},
		{`Name -eq 'a' -or Alias -eq 'b' -and Office -eq 'c'`, `Name -eq 'a' -or Alias -eq 'b' -and Office -eq 'c'`},
		{`(Name -eq 'a' -or Alias -eq 'b') -and Office -eq 'c'`, `(Name -eq 'a' -or Alias -eq 'b') -and Office -eq 'c'`},
		{`(Name -eq 'a') -or ((Alias -eq 'b') -or Office -eq 'c')`, `Name -eq 'a' -or Alias -eq 'b' -or Office -eq 'c'`},
		{`(Name -eq 'a')-and(Alias -eq 'b')`, `Name -eq 'a' -and Alias -eq 'b'`},
		{`-not (Name -eq 'a')`, `-not (Name -eq 'a')`},
		{`-not(Name -eq 'a' -or Alias -eq 'b')`, `-not (Name -eq 'a' -or Alias -eq 'b')`},
		{`-not Name -eq 'a' -and IsShared -eq $true`, `-not (Name -eq 'a') -and IsShared -eq $true`},
		{`-not -not (Name -eq 'a')`, `-not (-not (Name -eq 'a'))`},
		// Script block braces.
		{`{ Name -eq 'a' }`, `Name -eq 'a'`},
		{`{RecipientTypeDetails -eq "UserMailbox"}`, `RecipientTypeDetails -eq 'UserMailbox'`},
	} {
		f, err := Parse(tc.in, MailboxSchema())
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		if got := f.String(); got != tc.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tc.in, got, tc.want)
		}
		g, err := Parse(f.String(), MailboxSchema())
		if err != nil {
			t.Errorf("reparse %q: %v", f.String(), err)
		} else if !reflect.DeepEqual(f.root, g.root) {
			t.Errorf("reparse of %q differs", f.String())
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		in     string
		cause  error  // ErrSyntax or ErrUnknownProperty, nil for a *TestError
		reason Reason // for a *TestError
		pos    int
		token  string
	}{
		{in: ``, cause: ErrSyntax, pos: 1},
		{in: `   `, cause: ErrSyntax, pos: 4},
		{in: `{}`, cause: ErrSyntax, pos: 2, token: "}"},
		{in: `Name -eq`, cause: ErrSyntax, pos: 9},
		{in: `Name 'x'`, cause: ErrSyntax, pos: 6, token: "'x'"},
		{in: `Name -match 'x'`, cause: ErrSyntax, pos: 6, token: "-match"},
		{in: `Name -and 'x'`, cause: ErrSyntax, pos: 6},
		{in: `Name -eq 'x' Alias`, cause: ErrSyntax, pos: 14, token: "Alias"},
		{in: `Name -eq 'x' -and`, cause: ErrSyntax, pos: 18},
		{in: `(Name -eq 'x'`, cause: ErrSyntax, pos: 14},
		{in: `Name -eq 'x')`, cause: ErrSyntax, pos: 13, token: ")"},
		{in: `Name -eq 'x`, cause: ErrSyntax, pos: 10, token: "'"},
		{in: `Name -eq "x`, cause: ErrSyntax, pos: 10},
		{in: `Name -eq $foo`, cause: ErrSyntax, pos: 10, token: "$"},
		{in: `Name - 'x'`, cause: ErrSyntax, pos: 6},
		{in: "Name -eq 'x' ; Alias -eq 'y'", cause: ErrSyntax, pos: 14, token: ";"},
		{in: "Name -eq `x", cause: ErrSyntax, pos: 10},
		{in: "Name -eq 'a\xffb'", cause: ErrSyntax, pos: 12},
		{in: `{ Name -eq 'x'`, cause: ErrSyntax, pos: 15},
		{in: `Name -eq 'x' }`, cause: ErrSyntax, pos: 14},
		{in: `Name -eq {x}`, cause: ErrSyntax, pos: 10},
		{in: `5 -eq 'x'`, cause: ErrSyntax, pos: 1},
		{in: `$true`, cause: ErrSyntax, pos: 1},
		{in: `Foo -eq 'x'`, cause: ErrUnknownProperty, pos: 1, token: "Foo"},
		{in: `Name -eq 'a' -or Departmnt -eq 'x'`, cause: ErrUnknownProperty, pos: 18, token: "Departmnt"},
		{in: `False`, cause: ErrUnknownProperty, pos: 1},
		{in: `Name-eq 'x'`, cause: ErrUnknownProperty, pos: 1},
		{in: `City -eq 'Paris'`, cause: ErrUnknownProperty, pos: 1}, // Get-Recipient only
		{in: `IsShared -like 'T*'`, reason: ReasonOperator, pos: 10, token: "-like"},
		{in: `Guid -gt 'x'`, reason: ReasonOperator, pos: 6},
		{in: `EmailAddresses -lt 'x'`, reason: ReasonOperator, pos: 16},
		{in: `IsShared -eq 'maybe'`, reason: ReasonConvert, pos: 14, token: "'maybe'"},
		{in: `MaxSafeSenders -gt 'many'`, reason: ReasonConvert, pos: 20},
		{in: `MaxSafeSenders -gt 1.5`, reason: ReasonConvert, pos: 20},
		{in: `RecipientLimits -lt 'Unlimited'`, reason: 0},
		{in: `WhenCreated -gt 'yesterday'`, reason: ReasonConvert, pos: 17},
		{in: `WhenCreated -gt '0001-01-01T00:30:00+01:00'`, reason: ReasonConvert, pos: 17}, // year 0 in UTC
		{in: `WhenCreated -gt '9999-12-31T23:30:00-01:00'`, reason: ReasonConvert, pos: 17}, // year 10000 in UTC
		{in: `Guid -eq 'not-a-guid'`, reason: ReasonConvert, pos: 10},
		{in: `RecipientType -eq 'Room'`, reason: ReasonConvert, pos: 19},
		{in: `RemoteRecipientType -eq 'Migrated,Bogus'`, reason: ReasonConvert, pos: 25},
		{in: `Name -like 'a*b'`, reason: ReasonWildcard, pos: 12},
		{in: `Name -like '***'`, reason: ReasonWildcard, pos: 12},
		{in: `LegacyExchangeDN -like '/o=*'`, reason: ReasonWildcard, pos: 24},
		{in: `Guid -like '*'`, reason: ReasonOperator, pos: 6},
		{in: `Name -like $null`, reason: ReasonNullOp, pos: 12},
		{in: `Name -gt $null`, reason: ReasonNullOp, pos: 10},
		{in: `ArchiveDatabase -eq 'CN=DB1'`, reason: ReasonNullOnly, pos: 21},
		{in: `ProhibitSendQuota -gt '50GB'`, reason: ReasonOperator, pos: 19},
		{in: `ProhibitSendQuota -eq '50GB'`, reason: ReasonUnlimitedOnly, pos: 23},
		{in: `Name -like $true`, reason: ReasonConvert, pos: 12},
	} {
		_, err := Parse(tc.in, MailboxSchema())
		if tc.cause == nil && tc.reason == 0 {
			if err != nil {
				t.Errorf("Parse(%q): %v", tc.in, err)
			}
			continue
		}
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) = %v, want *Error", tc.in, err)
			continue
		}
		if tc.cause != nil && !errors.Is(err, tc.cause) {
			t.Errorf("Parse(%q) = %v (%s), want %v", tc.in, err, pe.Reason, tc.cause)
		}
		var te *TestError
		if tc.reason != 0 && (!errors.As(err, &te) || te.Reason != tc.reason) {
			t.Errorf("Parse(%q) = %v, want reason %d", tc.in, err, tc.reason)
		}
		if pe.Pos != tc.pos {
			t.Errorf("Parse(%q) position %d, want %d (%s)", tc.in, pe.Pos, tc.pos, pe.Reason)
		}
		if tc.token != "" && pe.Token != tc.token {
			t.Errorf("Parse(%q) token %q, want %q", tc.in, pe.Token, tc.token)
		}
		if pe.Reason == "" {
			t.Errorf("Parse(%q) has no Reason", tc.in)
		}
	}
}

func TestErrorMessages(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`Name -eq`, "Invalid filter syntax. For a description of the filter parameter syntax see the command help.\n\"Name -eq\" at position 9."},
		{`ProvisioningOption -eq 'x'`, "\"ProvisioningOption\" is not a recognized filterable property. For a complete list of filterable properties see the command help.\n\"ProvisioningOption -eq 'x'\" at position 1."},
		{`IsShared -eq 'maybe'`, "The value \"maybe\" could not be converted to type System.Boolean.\n\"IsShared -eq 'maybe'\" at position 14."},
		{`RecipientType -eq 'Room'`, "The value \"Room\" could not be converted to type RecipientType. Valid values are: Invalid, User, UserMailbox, MailUser, Contact, MailContact, Group, MailUniversalDistributionGroup, MailUniversalSecurityGroup, MailNonUniversalGroup, DynamicDistributionGroup, PublicFolder, PublicDatabase, SystemAttendantMailbox, SystemMailbox, MicrosoftExchange, Computer.\n\"RecipientType -eq 'Room'\" at position 19."},
		{`IsShared -like 'T*'`, "The -like operator can only be used with string properties; \"IsShared\" is of type System.Boolean. Use -eq or -ne.\n\"IsShared -like 'T*'\" at position 10."},
		{`Name -like 'a*b'`, "The value \"a*b\" of property \"Name\" has a wildcard in the middle; wildcards are supported only at the beginning or the end of the value.\n\"Name -like 'a*b'\" at position 12."},
	} {
		_, err := Parse(tc.in, MailboxSchema())
		if err == nil || err.Error() != tc.want {
			t.Errorf("Parse(%q) error\n%v\nwant\n%s", tc.in, err, tc.want)
		}
	}
	_, err := Parse(`Foo -eq 1`, RecipientSchema())
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatal(err)
	}
	want := "Cannot bind parameter 'Filter' to the target. Exception setting \"Filter\": \"\"Foo\" is not a recognized filterable property."
	if got := pe.BindingMessage("Filter"); !strings.HasPrefix(got, want) || !strings.HasSuffix(got, "at position 1.\"") {
		t.Errorf("BindingMessage = %q", got)
	}
}

func TestParseNilSchemaAndDepth(t *testing.T) {
	if _, err := Parse(`Name -eq 'x'`, nil); err == nil {
		t.Error("nil schema accepted")
	}
	deep := strings.Repeat("(", maxDepth) + "Name -eq 'x'" + strings.Repeat(")", maxDepth)
	if _, err := Parse(deep, MailboxSchema()); err != nil {
		t.Errorf("depth %d rejected: %v", maxDepth, err)
	}
	var pe *Error
	_, err := Parse("("+deep+")", MailboxSchema())
	if !errors.As(err, &pe) || !errors.Is(err, ErrSyntax) || pe.Pos != maxDepth+1 {
		t.Errorf("depth %d: %v", maxDepth+1, err)
	}
	_, err = Parse(strings.Repeat("-not ", maxDepth+1)+"Name -eq 'x'", MailboxSchema())
	if !errors.Is(err, ErrSyntax) {
		t.Errorf("deep -not: %v", err)
	}
}
