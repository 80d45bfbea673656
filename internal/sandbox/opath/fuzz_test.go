package opath

import (
	"errors"
	"reflect"
	"testing"
	"unicode/utf8"
)

// fuzzSeeds cover every token kind, operator, value kind and error path.
var fuzzSeeds = []string{
	`Name -eq 'x'`,
	`name -EQ "x" -and Alias -ne 'y' -or Office -like 'a*'`,
	`(Name -eq 'a' -or Alias -eq 'b') -and -not (Office -notlike '*c*')`,
	`-not(IsShared -eq $true)`,
	`{ RecipientTypeDetails -eq "UserMailbox" }`,
	`IsShared -eq 'False' -and AuditEnabled -ne $false`,
	`MaxSafeSenders -gt -5 -and ResourceCapacity -le 1.5e3`,
	`RecipientLimits -ne 'Unlimited'`,
	`WhenCreated -gt '8/1/2017 2:00:00 PM' -and WhenChanged -lt '2020-01-02T03:04:05.5+01:00'`,
	`Guid -eq '{8A68C198-BE28-4A30-83E9-BFFB760C65BA}'`,
	`EmailAddresses -eq 'smtp:a@b.c' -or PrimarySmtpAddress -like '*@contoso.com'`,
	`GroupType -eq 'Universal, SecurityEnabled'`,
	`OWAEnabled -eq $true`,
	`ArchiveDatabase -ne $null -and ProhibitSendQuota -eq 'unlimited'`,
	`Name -eq 'it''s' -and DisplayName -eq "say ""hi"" ` + "`$x" + `"`,
	"Name –eq ‘curly’’s’",
	`Name -eq bare -and Office -eq 90210`,
	`Name -eq`,
	`Name -match 'x'`,
	`Foo -eq 1`,
	`Name -like 'a*b'`,
	`Name -eq 'unterminated`,
	`Name -eq $foo`,
	`((((Name -eq 'x'))))`,
	"Name -eq 'a\xffb'",
	"",
	"{}",
	"Name -eq 'x' }",
	"-",
	"$",
	"Name\x00-eq 'x'",
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	schema := GenericSchema()
	f.Fuzz(func(t *testing.T, filter string) {
		f1, err1 := Parse(filter, schema)
		f2, err2 := Parse(filter, schema)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("Parse(%q) not deterministic: %v / %v", filter, err1, err2)
		}
		if err1 != nil {
			if err1.Error() != err2.Error() {
				t.Fatalf("Parse(%q) errors differ: %v / %v", filter, err1, err2)
			}
			var pe *Error
			if !errors.As(err1, &pe) {
				t.Fatalf("Parse(%q) error %T, want *Error", filter, err1)
			}
			if n := utf8.RuneCountInString(filter); pe.Pos < 1 || pe.Pos > n+1 {
				t.Fatalf("Parse(%q) position %d outside 1..%d", filter, pe.Pos, n+1)
			}
			return
		}
		if !reflect.DeepEqual(f1.root, f2.root) {
			t.Fatalf("Parse(%q) not deterministic", filter)
		}
		out := f1.String()
		f3, err := Parse(out, schema)
		if err != nil {
			t.Fatalf("Parse(%q).String() = %q does not parse: %v", filter, out, err)
		}
		if !reflect.DeepEqual(f1.root, f3.root) {
			t.Fatalf("Parse(%q).String() = %q parses to a different tree", filter, out)
		}
		if again := f3.String(); again != out {
			t.Fatalf("String not stable: %q then %q", out, again)
		}
		for _, obj := range []Object{alice, Map{}} {
			_, _ = f1.Match(obj)
		}
	})
}
