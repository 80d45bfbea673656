package exoctl

import (
	"errors"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	exov1 "github.com/openexo/exo/proto/exo/v1"
)

// script is a module script in the shape the service generates.
const script = `function script:Get-Mailbox
{
    [CmdletBinding(DefaultParameterSetName='Identity')]
    param(
    [Parameter(ParameterSetName='Identity', Position=0, ValueFromPipeline=$true, ValueFromPipelineByPropertyName=$true)]
    ${Identity},
    ${ResultSize}
    )
}
function script:Set-Mailbox
{
    [CmdletBinding(SupportsShouldProcess=$true, ConfirmImpact='Medium')]
    param(
    [Parameter(Mandatory=$true, Position=0, ValueFromPipelineByPropertyName=$true)]
    ${Identity},
    [ValidateNotNullOrEmpty()]
    [string]
    ${DisplayName},
    [ValidateRange(1, 100)]
    [int]
    ${IssueWarningQuotaMB},
    [switch]
    ${HiddenFromAddressListsEnabled},
    [string[]]
    ${EmailAddresses},
    [datetime]
    ${StartTime},
    [System.Security.SecureString]
    ${Password}
    )
}
`

func TestReadSignature(t *testing.T) {
	sig, ok := ReadSignature(script, "set-mailbox")
	if !ok {
		t.Fatal("Set-Mailbox not found")
	}
	want := map[string]string{
		"identity": "", "displayname": "string", "issuewarningquotamb": "int", "hiddenfromaddresslistsenabled": "switch",
		"emailaddresses": "string[]", "starttime": "datetime", "password": "system.security.securestring",
	}
	for k, v := range want {
		if got, ok := sig.Types[k]; !ok || got != v {
			t.Errorf("type of %s = %q (%v), want %q", k, got, ok, v)
		}
	}
	if sig.Position0 != "Identity" || len(sig.Types) != len(want) {
		t.Errorf("signature %+v", sig)
	}
	if _, ok := ReadSignature(script, "Remove-Mailbox"); ok {
		t.Error("found a cmdlet the script lacks")
	}
}

func TestCommandParameters(t *testing.T) {
	sig, _ := ReadSignature(script, "Set-Mailbox")
	tests := []struct {
		name string
		args []string
		want string // the parameters as proto3 JSON
	}{
		{"positional identity and a string with commas", []string{"adele", "-DisplayName", "Brooks, Adele"},
			`{"Identity":{"stringValue":"adele"},"DisplayName":{"stringValue":"Brooks, Adele"}}`},
		{"int and switch", []string{"-IssueWarningQuotaMB", "50", "-HiddenFromAddressListsEnabled:$false"},
			`{"IssueWarningQuotaMB":{"intValue":"50"},"HiddenFromAddressListsEnabled":{"boolValue":false}}`},
		{"one value for an array", []string{"-EmailAddresses", "a@c.com"},
			`{"EmailAddresses":{"listValue":{"values":[{"stringValue":"a@c.com"}]}}}`},
		{"hashtable", []string{"-emailaddresses", "@{Add='a@c.com'}"},
			`{"EmailAddresses":{"mapValue":{"entries":{"Add":{"stringValue":"a@c.com"}}}}}`},
		{"time and secret", []string{"-StartTime", "2026-01-31", "-Password", "s3cret"},
			`{"StartTime":{"timeValue":"2026-01-31T00:00:00Z"},"Password":{"secretValue":"s3cret"}}`},
		{"undeclared values as written", []string{"-Custom", "a,b", "-Flag"},
			`{"Custom":{"listValue":{"values":[{"stringValue":"a"},{"stringValue":"b"}]}},"Flag":{"boolValue":true}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			params, positional, err := ParseParams(tt.args)
			if err != nil {
				t.Fatal(err)
			}
			if params, err = sig.Bind(params, positional); err != nil {
				t.Fatal(err)
			}
			got, err := CommandParameters(sig, params)
			if err != nil {
				t.Fatal(err)
			}
			var want exov1.InvokeCommandRequest
			if err := protojson.Unmarshal([]byte(`{"parameters":`+tt.want+`}`), &want); err != nil {
				t.Fatal(err)
			}
			if !proto.Equal(&exov1.InvokeCommandRequest{Parameters: got}, &want) {
				t.Errorf("got %v, want %v", got, want.GetParameters())
			}
		})
	}
	for _, args := range [][]string{{"-IssueWarningQuotaMB", "many"}, {"-StartTime", "soon"}, {"a", "b"}} {
		params, positional, _ := ParseParams(args)
		params, err := sig.Bind(params, positional)
		if err == nil {
			_, err = CommandParameters(sig, params)
		}
		if !errors.Is(err, ErrUsage) {
			t.Errorf("%q: error %v, want a usage error", args, err)
		}
	}
}

func TestQueryParameters(t *testing.T) {
	params, _, err := ParseParams([]string{"-Filter", "Alias -like 'a,b*'", "-Properties", "Alias,Name", "-RecipientTypeDetails", "UserMailbox", "-Archive", "-ResultSize", "Unlimited"})
	if err != nil {
		t.Fatal(err)
	}
	values, size, err := QueryParameters(params)
	if err != nil {
		t.Fatal(err)
	}
	if size != -1 {
		t.Errorf("result size %d, want -1 (Unlimited)", size)
	}
	want := values.ProtoReflect().New().Interface()
	text := `{"Filter":"Alias -like 'a,b*'","Properties":["Alias","Name"],"RecipientTypeDetails":["UserMailbox"],"Archive":true}`
	if err := protojson.Unmarshal([]byte(text), want); err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(values, want) {
		t.Errorf("got %v, want %s", values, text)
	}
	for _, v := range []string{"0", "-3", "lots"} {
		p, _, _ := ParseParams([]string{"-ResultSize", v})
		if _, _, err := QueryParameters(p); !errors.Is(err, ErrUsage) {
			t.Errorf("-ResultSize %s: %v, want a usage error", v, err)
		}
	}
}
