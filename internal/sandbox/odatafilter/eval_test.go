package odatafilter

import (
	"errors"
	"testing"
	"time"

	"github.com/openexo/exo/internal/sandbox/opath"
)

var shared = opath.Map{
	"Name":                          "Sales Team",
	"Alias":                         "sales",
	"PrimarySmtpAddress":            "sales@contoso.com",
	"EmailAddresses":                []string{"SMTP:sales@contoso.com", "smtp:vente@contoso.fr", "X500:/o=Contoso/cn=sales"},
	"RecipientTypeDetails":          "SharedMailbox",
	"IsShared":                      true,
	"HiddenFromAddressListsEnabled": "False",
	"MaxSafeSenders":                float64(3),
	"RecipientLimits":               500,
	"WhenCreated":                   time.Date(2019, 5, 6, 7, 8, 9, 0, time.UTC),
	"Guid":                          "8a68c198-be28-4a30-83e9-bffb760c65ba",
	"GrantSendOnBehalfTo":           []any{"CN=bob,OU=contoso"},
	"PersistedCapabilities":         []string{},
	"OWAEnabled":                    true,
}

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		filter string
		want   bool
	}{
		{`Name eq 'sales team'`, true},
		{`Name ne 'Sales Team'`, false},
		{`Name lt 'T'`, true},
		{`Name gt 'T'`, false},
		{`Name le 'sales team'`, true},
		{`Name ge 'Z'`, false},
		{`startswith(Name,'SALES')`, true},
		{`endswith(Name,'team')`, true},
		{`contains(Name,'es te')`, true},
		{`contains(Name,'x')`, false},
		{`not contains(Name,'x')`, true},
		{`contains(Office,'')`, false},
		{`Office eq null`, true},
		{`Office ne null`, false},
		{`Name ne null`, true},
		{`Office ne 'x'`, true},
		{`IsShared`, true},
		{`IsShared eq false`, false},
		{`HiddenFromAddressListsEnabled eq false`, true},
		{`not IsShared`, false},
		{`MaxSafeSenders eq 3`, true},
		{`MaxSafeSenders lt 3`, false},
		{`RecipientLimits le 500`, true},
		{`RecipientLimits lt 'Unlimited'`, true},
		{`WhenCreated gt 2019-05-06`, true},
		{`WhenCreated lt 2019-05-06T07:08:09Z`, false},
		{`WhenCreated eq 2019-05-06T09:08:09+02:00`, true},
		{`Guid eq 8A68C198-BE28-4A30-83E9-BFFB760C65BA`, true},
		{`Guid ne 8a68c198-be28-4a30-83e9-bffb760c65bb`, true},
		{`RecipientTypeDetails eq 'sharedmailbox'`, true},
		{`PrimarySmtpAddress eq 'vente@contoso.fr'`, true},
		{`EmailAddresses/any(d:d eq 'vente@contoso.fr')`, true},
		{`EmailAddresses/any(d:d eq 'smtp:sales@contoso.com')`, true},
		{`EmailAddresses/any(d:startswith(d,'x500:'))`, true},
		{`EmailAddresses/any(d:startswith(d,'sales'))`, false},
		{`EmailAddresses/any(d:d eq 'a@b.c' or endswith(d,'.fr'))`, true},
		{`EmailAddresses/any(d:startswith(d,'smtp:') and endswith(d,'.fr'))`, true},
		{`EmailAddresses/all(d:contains(d,'contoso'))`, true},
		{`EmailAddresses/all(d:startswith(d,'smtp:'))`, false},
		{`EmailAddresses/any()`, true},
		{`PersistedCapabilities/any()`, false},
		{`PersistedCapabilities/all(d:d eq 'x')`, true},
		{`not PersistedCapabilities/any(d:d eq 'x')`, true},
		{`GrantSendOnBehalfTo/any(d:d eq 'cn=BOB,ou=contoso')`, true},
		{`EmailAddresses/any(d:d eq 'vente@contoso.fr' and IsShared)`, true},
		{`Name eq 'x' and Alias eq 'sales' or IsShared`, true},
		{`Name eq 'x' and (Alias eq 'sales' or IsShared)`, false},
		{`true`, true},
		{`false or Alias eq 'sales'`, true},
		{`startswith(Name,'Sales') eq false`, false},
	} {
		f, err := Parse(tc.filter, MailboxSchema())
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.filter, err)
			continue
		}
		got, err := f.Match(shared)
		if err != nil || got != tc.want {
			t.Errorf("Match(%q) = %v, %v; want %v", tc.filter, got, err, tc.want)
		}
	}
}

func TestMatchCasMailbox(t *testing.T) {
	// The OPATH-only OWAEnabled inversion does not apply to $filter.
	f, err := Parse(`OWAEnabled eq true`, CasMailboxSchema())
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := f.Match(shared); !ok || err != nil {
		t.Errorf("OWAEnabled eq true = %v, %v", ok, err)
	}
}

func TestMatchStoredValueError(t *testing.T) {
	f, err := Parse(`MaxSafeSenders gt 1`, MailboxSchema())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Match(opath.Map{"MaxSafeSenders": "many"}); !errors.Is(err, opath.ErrStoredValue) {
		t.Errorf("error = %v, want ErrStoredValue", err)
	}
	f, _ = Parse(`EmailAddresses/any(d:d eq 'x') and MaxSafeSenders gt 1`, MailboxSchema())
	if ok, err := f.Match(opath.Map{"MaxSafeSenders": "many"}); ok || err != nil {
		t.Errorf("short circuit: %v, %v", ok, err)
	}
}
