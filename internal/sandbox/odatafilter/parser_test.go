package odatafilter

import (
	"errors"
	"reflect"
	"testing"

	"github.com/openexo/exo/internal/sandbox/opath"
)

func TestParseCanonical(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// Operators; keywords and names are case-insensitive.
		{`Name eq 'x'`, `Name eq 'x'`},
		{`name EQ 'x'`, `Name eq 'x'`},
		{`Name ne 'x'`, `Name ne 'x'`},
		{`Name lt 'm'`, `Name lt 'm'`},
		{`Name gt 'm'`, `Name gt 'm'`},
		{`Name le 'm'`, `Name le 'm'`},
		{`Name ge 'm'`, `Name ge 'm'`},
		{`'x' eq Name`, `Name eq 'x'`},
		{`5 lt MaxSafeSenders`, `MaxSafeSenders gt 5`},
		{`'it''s' eq Name`, `Name eq 'it''s'`},
		// Functions.
		{`startswith(Name,'a')`, `startswith(Name,'a')`},
		{`endswith( Name , 'a' )`, `endswith(Name,'a')`},
		{`contains(Name,'a''b')`, `contains(Name,'a''b')`},
		{`startswith(Name,'')`, `contains(Name,'')`},
		{`startswith(Name,'a') eq true`, `startswith(Name,'a')`},
		{`startswith(Name,'a') eq false`, `not (startswith(Name,'a'))`},
		{`true ne endswith(Name,'a')`, `not (endswith(Name,'a'))`},
		// Literals converted to the property's type.
		{`IsShared eq true`, `IsShared eq true`},
		{`IsShared eq 'True'`, `IsShared eq true`},
		{`IsShared`, `IsShared eq true`},
		{`not IsShared`, `not (IsShared eq true)`},
		{`Office eq null`, `Office eq null`},
		{`MaxSafeSenders ge -3`, `MaxSafeSenders ge -3`},
		{`MaxSafeSenders ge 3L`, `MaxSafeSenders ge 3`},
		{`Office eq 90210`, `Office eq '90210'`},
		{`RecipientLimits ne 'unlimited'`, `RecipientLimits ne 'Unlimited'`},
		{`Guid eq 8A68C198-BE28-4A30-83E9-BFFB760C65BA`, `Guid eq 8a68c198-be28-4a30-83e9-bffb760c65ba`},
		{`Guid eq guid'8a68c198-be28-4a30-83e9-bffb760c65ba'`, `Guid eq 8a68c198-be28-4a30-83e9-bffb760c65ba`},
		{`Guid eq '8a68c198be284a3083e9bffb760c65ba'`, `Guid eq 8a68c198-be28-4a30-83e9-bffb760c65ba`},
		{`WhenCreated gt 2017-08-13`, `WhenCreated gt 2017-08-13T00:00:00Z`},
		{`WhenCreated gt 2017-08-13T10:00:00.5+02:00`, `WhenCreated gt 2017-08-13T08:00:00.5Z`},
		{`WhenCreated gt datetime'2017-08-13T10:00:00'`, `WhenCreated gt 2017-08-13T10:00:00Z`},
		{`WhenCreated gt '8/13/2017'`, `WhenCreated gt 2017-08-13T00:00:00Z`},
		{`RecipientTypeDetails eq Exchange.RecipientTypeDetails'SharedMailbox'`, `RecipientTypeDetails eq 'SharedMailbox'`},
		{`RecipientType eq 'usermailbox'`, `RecipientType eq 'UserMailbox'`},
		{`true`, `true`},
		// Lambdas.
		{`EmailAddresses/any(d:d eq 'smtp:a@b.c')`, `EmailAddresses/any(d:d eq 'smtp:a@b.c')`},
		{`EmailAddresses/ANY( x : startswith(x,'smtp:') or x eq 'a')`, `EmailAddresses/any(x:startswith(x,'smtp:') or x eq 'a')`},
		{`EmailAddresses/any()`, `EmailAddresses/any()`},
		{`not EmailAddresses/any()`, `not (EmailAddresses/any())`},
		{`EmailAddresses/all(d:endswith(d,'@contoso.com'))`, `EmailAddresses/all(d:endswith(d,'@contoso.com'))`},
		{`GrantSendOnBehalfTo/any(Name:Name eq 'CN=x')`, `GrantSendOnBehalfTo/any(Name:Name eq 'CN=x')`},
		{`EmailAddresses/any(d:d eq 'a' and IsShared)`, `EmailAddresses/any(d:d eq 'a' and IsShared eq true)`},
		// Logic, precedence and flattening.
		{`Name eq 'a' or Alias eq 'b' and Office eq 'c'`, `Name eq 'a' or Alias eq 'b' and Office eq 'c'`},
		{`(Name eq 'a' or Alias eq 'b') and Office eq 'c'`, `(Name eq 'a' or Alias eq 'b') and Office eq 'c'`},
		{`(Name eq 'a') or ((Alias eq 'b') or (Office eq 'c'))`, `Name eq 'a' or Alias eq 'b' or Office eq 'c'`},
		{`not(Name eq 'a')`, `not (Name eq 'a')`},
		{`not not (Name eq 'a')`, `not (not (Name eq 'a'))`},
		{`RecipientTypeDetails eq 'SharedMailbox' and EmailAddresses/any(d:startswith(d,'smtp:sales'))`, `RecipientTypeDetails eq 'SharedMailbox' and EmailAddresses/any(d:startswith(d,'smtp:sales'))`},
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
		in       string
		property bool // *PropertyError, else *SyntaxError
		pos      int
		msg      string // the complete Error() text, when set
	}{
		{in: ``, pos: 0, msg: "Expression expected at position 0 in ''."},
		{in: `Name eq`, pos: 7, msg: "Expression expected at position 7 in 'Name eq'."},
		{in: `Name eq 'x`, pos: 8, msg: "Unterminated string literal at position 8 in 'Name eq 'x'."},
		{in: `Name eq 'x' Alias`, pos: 12, msg: "')' or operator expected at position 12 in 'Name eq 'x' Alias'."},
		{in: `(Name eq 'x'`, pos: 12},
		{in: `Name eq 'x')`, pos: 11},
		{in: `Name eq #`, pos: 8, msg: "Invalid character '#' at position 8 in 'Name eq #'."},
		{in: `Name eq 'x' and`, pos: 15},
		{in: `Name eq and`, pos: 8},
		{in: `Name 'x'`, property: true, pos: 0},
		{in: `Name has 'x'`, property: true, pos: 0},
		{in: `substringof('x',Name)`, pos: 0, msg: "Unknown function 'substringof' at position 0 in 'substringof('x',Name)'."},
		{in: `startswith(Name)`, pos: 15},
		{in: `startswith('a','b')`, pos: 11},
		{in: `startswith(Name,5)`, pos: 16},
		{in: `startswith(Name,'a') eq 'x'`, pos: 21},
		{in: `startswith(Name,'a') gt true`, pos: 21},
		{in: `Name eq Alias`, pos: 8},
		{in: `'a' eq 'b'`, pos: 0},
		{in: `'a'`, pos: 0},
		{in: `EmailAddresses/count`, pos: 15},
		{in: `EmailAddresses/any(d d eq 'x')`, pos: 21},
		{in: `EmailAddresses/any(and:and eq 'x')`, pos: 19},
		{in: `EmailAddresses/all()`, pos: 19},
		{in: `EmailAddresses/any(d:d/x eq 'x')`, pos: 22},
		{in: `MaxSafeSenders eq 12abc`, pos: 20},
		{in: `Name eq binary'AQID'`, pos: 8},
		{in: "Name eq '\xff'", pos: 9},
		{in: `Nmae eq 'x'`, property: true, pos: 0, msg: "Could not find a property named 'Nmae' on type 'Exchange.Mailbox'."},
		{in: `MemberOfGroup eq 'x'`, property: true, pos: 0, msg: "The property 'MemberOfGroup' on type 'Exchange.Mailbox' can't be used in $filter."},
		{in: `EmailAddresses eq 'a@b.c'`, property: true, pos: 0, msg: "The property 'EmailAddresses' on type 'Exchange.Mailbox' is a collection; compare its values with EmailAddresses/any(d:d eq '…')."},
		{in: `startswith(EmailAddresses,'a')`, property: true, pos: 11},
		{in: `Name/any(d:d eq 'x')`, property: true, pos: 0, msg: "The property 'Name' on type 'Exchange.Mailbox' is not a collection; any and all apply only to collection properties."},
		{in: `Name`, property: true, pos: 0, msg: "The property 'Name' of type 'System.String' is not a boolean; compare it with a value."},
		{in: `IsShared eq 'maybe'`, property: true, pos: 12, msg: "The value 'maybe' is not a valid 'System.Boolean' value for the property 'IsShared'."},
		{in: `IsShared gt true`, property: true, pos: 0, msg: "The operator 'gt' can't be used with the property 'IsShared' of type 'System.Boolean'."},
		{in: `startswith(IsShared,'T')`, property: true, pos: 11, msg: "The function startswith can't be applied to the property 'IsShared' of type 'System.Boolean'; it applies to string properties."},
		{in: `startswith(LegacyExchangeDN,'/o=')`, property: true, pos: 28, msg: "The property 'LegacyExchangeDN' supports only exact matches in Exchange Online; use eq instead of startswith."},
		{in: `Name gt null`, property: true, pos: 8},
		{in: `ArchiveDatabase eq 'x'`, property: true, pos: 19},
		{in: `ProhibitSendQuota eq '5GB'`, property: true, pos: 21},
		{in: `RecipientType eq 'Room'`, property: true, pos: 17},
		{in: `Guid eq 'nope'`, property: true, pos: 8},
		{in: `WhenCreated gt 0000-01-01T0:00:00+01:00`, property: true, pos: 15}, // found by FuzzParse
	} {
		_, err := Parse(tc.in, MailboxSchema())
		var pos int
		var se *SyntaxError
		var pe *PropertyError
		switch {
		case errors.As(err, &se) && !tc.property:
			pos = se.Pos
		case errors.As(err, &pe) && tc.property:
			pos = pe.Pos
		default:
			t.Errorf("Parse(%q) = %T %v, want property error %v", tc.in, err, err, tc.property)
			continue
		}
		if pos != tc.pos {
			t.Errorf("Parse(%q) position %d, want %d: %v", tc.in, pos, tc.pos, err)
		}
		if tc.msg != "" && err.Error() != tc.msg {
			t.Errorf("Parse(%q) error\n%s\nwant\n%s", tc.in, err, tc.msg)
		}
	}
	var te *opath.TestError
	if _, err := Parse(`IsShared eq 'maybe'`, MailboxSchema()); !errors.As(err, &te) || te.Reason != opath.ReasonConvert {
		t.Errorf("type error does not unwrap to *opath.TestError: %v", err)
	}
	var pe *PropertyError
	if _, err := Parse(`Nmae eq 'x'`, MailboxSchema()); !errors.As(err, &pe) || errors.Unwrap(err) != nil || pe.Name != "Nmae" {
		t.Errorf("unknown property: %#v", err)
	}
}

func TestSchemas(t *testing.T) {
	for _, tc := range []struct {
		schema           *Schema
		ok, unfilterable string
	}{
		{MailboxSchema(), "ExternalDirectoryObjectId", "SCLJunkThresholdInt"},
		{RecipientSchema(), "City", "Members"},
		{CasMailboxSchema(), "OWAEnabled", "ExternalDirectoryObjectId"},
	} {
		if _, err := Parse(tc.ok+" eq null", tc.schema); err != nil {
			t.Errorf("%s: %v", tc.schema.entityType, err)
		}
		var pe *PropertyError
		if _, err := Parse(tc.unfilterable+" eq null", tc.schema); !errors.As(err, &pe) {
			t.Errorf("%s accepts %s: %v", tc.schema.entityType, tc.unfilterable, err)
		}
	}
	if _, err := Parse(`Name eq 'x'`, nil); err == nil {
		t.Error("nil schema accepted")
	}
}

func TestDepthLimit(t *testing.T) {
	deep := ""
	for range maxDepth + 1 {
		deep += "("
	}
	var se *SyntaxError
	if _, err := Parse(deep+"true", MailboxSchema()); !errors.As(err, &se) || se.Pos != maxDepth {
		t.Errorf("deep parentheses: %v", err)
	}
}
