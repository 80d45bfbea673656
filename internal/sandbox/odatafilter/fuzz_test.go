package odatafilter

import (
	"errors"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/openexo/exo/internal/sandbox/opath"
)

var fuzzSeeds = []string{
	`Name eq 'x'`,
	`name EQ 'it''s' and Alias ne 'y' or startswith(Office,'a')`,
	`(Name eq 'a' or Alias eq 'b') and not (endswith(Office,'c'))`,
	`not(IsShared)`,
	`IsShared eq 'True' and HiddenFromAddressListsEnabled ne false`,
	`MaxSafeSenders gt -5 and RecipientLimits le 10L`,
	`RecipientLimits ne 'Unlimited'`,
	`WhenCreated gt 2017-08-13T10:00:00.5+02:00 and WhenChanged lt datetime'2020-01-02T03:04:05'`,
	`Guid eq 8A68C198-BE28-4A30-83E9-BFFB760C65BA or ExchangeGuid eq guid'c80a753d-bd4a-4e19-804a-6344d833ecd8'`,
	`EmailAddresses/any(d:d eq 'smtp:a@b.c' or startswith(d,'SIP:'))`,
	`EmailAddresses/all(x: contains(x,'contoso')) and not EmailAddresses/any()`,
	`RecipientTypeDetails eq Exchange.RecipientTypeDetails'SharedMailbox'`,
	`startswith(Name,'a') eq false`,
	`'x' eq Name`,
	`true`,
	`Name eq`,
	`Name eq 'x`,
	`Nmae eq 'x'`,
	`EmailAddresses eq 'x'`,
	`Name/any(d:d eq 'x')`,
	`((((Name eq 'x'))))`,
	"Name eq '\xff'",
	"",
	"#",
	"Name eq 1.2.3",
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	schema := MailboxSchema()
	objs := []opath.Object{shared, opath.Map{}}
	f.Fuzz(func(t *testing.T, expr string) {
		f1, err1 := Parse(expr, schema)
		f2, err2 := Parse(expr, schema)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("Parse(%q) not deterministic: %v / %v", expr, err1, err2)
		}
		if err1 != nil {
			if err1.Error() != err2.Error() {
				t.Fatalf("Parse(%q) errors differ: %v / %v", expr, err1, err2)
			}
			var se *SyntaxError
			var pe *PropertyError
			pos := -1
			switch {
			case errors.As(err1, &se):
				pos = se.Pos
			case errors.As(err1, &pe):
				pos = pe.Pos
			default:
				t.Fatalf("Parse(%q) error %T, want *SyntaxError or *PropertyError", expr, err1)
			}
			if n := utf8.RuneCountInString(expr); pos < 0 || pos > n {
				t.Fatalf("Parse(%q) position %d outside 0..%d", expr, pos, n)
			}
			return
		}
		if !reflect.DeepEqual(f1.root, f2.root) {
			t.Fatalf("Parse(%q) not deterministic", expr)
		}
		out := f1.String()
		f3, err := Parse(out, schema)
		if err != nil {
			t.Fatalf("Parse(%q).String() = %q does not parse: %v", expr, out, err)
		}
		if !reflect.DeepEqual(f1.root, f3.root) {
			t.Fatalf("Parse(%q).String() = %q parses to a different tree", expr, out)
		}
		if again := f3.String(); again != out {
			t.Fatalf("String not stable: %q then %q", out, again)
		}
		for _, obj := range objs {
			_, _ = f1.Match(obj)
		}
	})
}
