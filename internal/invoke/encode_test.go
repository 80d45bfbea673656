package invoke

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	keyOnce sync.Once
	testKey *rsa.PrivateKey
)

// privateKey is the fake service's key pair, made once per test binary.
func privateKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	keyOnce.Do(func() {
		var err error
		if testKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return testKey
}

func decrypt(t *testing.T, key *rsa.PrivateKey, b64 string) string {
	t.Helper()
	ct, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatalf("secret is not base64: %v", err)
	}
	//lint:ignore SA1019 the service's scheme is PKCS #1 v1.5.
	pt, err := rsa.DecryptPKCS1v15(nil, key, ct)
	if err != nil {
		t.Fatalf("secret does not decrypt with the service's key: %v", err)
	}
	return string(pt)
}

// TestEncode checks each rule of wire-protocol.md §2.3.
func TestEncode(t *testing.T) {
	local := time.FixedZone("UTC+2", 2*3600)
	tests := []struct {
		name   string
		params Params
		want   string // the Parameters object, as JSON with sorted keys
	}{
		{name: "null", params: Params{"ForwardingAddress": {Kind: KindNull}}, want: `{"ForwardingAddress":null}`},
		{name: "switches and bools", params: Params{"Confirm": boolean(false), "WhatIf": boolean(true), "Force": boolean(true)},
			want: `{"Confirm":false,"Force":true,"WhatIf":true}`},
		{name: "numbers and strings as is", params: Params{"Identity": str("alex@contoso.com"), "ResultSize": integer(10), "Ratio": {Kind: KindDouble, Double: 1.5}},
			want: `{"Identity":"alex@contoso.com","Ratio":1.5,"ResultSize":10}`},
		{name: "ResultSize Unlimited", params: Params{"ResultSize": str("Unlimited")}, want: `{"ResultSize":"Unlimited"}`},
		{name: "hashtable, nested hashtables annotated",
			params: Params{"EmailAddresses": {Kind: KindMap, Map: Params{
				"add":   {Kind: KindList, List: []Value{str("smtp:a2@contoso.com")}},
				"inner": {Kind: KindMap, Map: Params{"k": integer(1)}},
			}}},
			want: `{"EmailAddresses":{"@odata.type":"#Exchange.GenericHashTable","add":["smtp:a2@contoso.com"],"inner":{"@odata.type":"#Exchange.GenericHashTable","k":1}}}`},
		{name: "array of hashtables gets a sibling annotation",
			params: Params{"Rules": {Kind: KindList, List: []Value{{Kind: KindMap, Map: Params{"a": integer(1)}}, {Kind: KindMap, Map: Params{"b": str("x")}}}}},
			want:   `{"Rules":[{"@odata.type":"#Exchange.GenericHashTable","a":1},{"@odata.type":"#Exchange.GenericHashTable","b":"x"}],"Rules@odata.type":"#Collection(Exchange.GenericHashTable)"}`},
		{name: "byte array", params: Params{"FileData": {Kind: KindBytes, Bytes: []byte{0, 7, 255}}},
			want: `{"FileData":{"@odata.type":"#Exchange.ByteArrayType","Data":[0,7,255]}}`},
		{name: "array of byte arrays", params: Params{"Files": {Kind: KindList, List: []Value{{Kind: KindBytes, Bytes: []byte{1}}, {Kind: KindBytes, Bytes: []byte{2, 3}}}}},
			want: `{"Files":[{"Data":[1]},{"Data":[2,3]}],"Files@odata.type":"#Collection(Exchange.ByteArrayType)"}`},
		{name: "dates in UTC without zone or fraction",
			params: Params{"StartDate": {Kind: KindTime, Time: time.Date(2026, 11, 28, 12, 30, 15, 999, local)}},
			want:   `{"StartDate":"2026-11-28T10:30:15"}`},
		{name: "common parameters as strings", params: Params{"ErrorAction": str("Stop"), "OutBuffer": integer(5), "Verbose": boolean(true)},
			want: `{"ErrorAction":"Stop","OutBuffer":"5","Verbose":true}`},
		{name: "filters get $true and $false rewritten",
			params: Params{"Filter": str(`HiddenFromAddressListsEnabled -eq $TRUE -and IsShared -ne $false`), "RecipientFilter": str(`A -eq $true`), "Other": str(`$true`)},
			want:   `{"Filter":"HiddenFromAddressListsEnabled -eq 'True' -and IsShared -ne 'False'","Other":"$true","RecipientFilter":"A -eq 'True'"}`},
		{name: "UseCustomRouting is not sent", params: Params{"Identity": str("a@b.com"), "UseCustomRouting": boolean(true)},
			want: `{"Identity":"a@b.com"}`},
		{name: "objects pass through", params: Params{"Rule": {Kind: KindObject, Object: map[string]any{"Name": "r", "Priority": float64(1)}}},
			want: `{"Rule":{"Name":"r","Priority":1}}`},
		{name: "plain arrays", params: Params{"Members": {Kind: KindList, List: []Value{str("a"), str("b")}}}, want: `{"Members":["a","b"]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := encoder{}.encode(tt.params)
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Errorf("encoded\n got %s\nwant %s", b, tt.want)
			}
		})
	}
}

func TestEncodeSecrets(t *testing.T) {
	key := privateKey(t)
	enc := encoder{key: &key.PublicKey}
	got, err := enc.encode(Params{
		"Password":   {Kind: KindSecret, Str: "S3cret!pass"},
		"Credential": {Kind: KindCredential, User: "svc@contoso.com", Password: "Cred!pass"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if p := decrypt(t, key, got["Password"].(string)); p != "S3cret!pass" {
		t.Errorf("Password decrypts to %q", p)
	}
	var cred struct{ UserName, Password string }
	if err := json.Unmarshal([]byte(decrypt(t, key, got["Credential"].(string))), &cred); err != nil {
		t.Fatal(err)
	}
	if cred.UserName != "svc@contoso.com" || cred.Password != "Cred!pass" {
		t.Errorf("Credential decrypts to %+v", cred)
	}
	// Encryption is randomised: the same secret never looks the same twice.
	again, _ := enc.encode(Params{"Password": {Kind: KindSecret, Str: "S3cret!pass"}})
	if again["Password"] == got["Password"] {
		t.Error("two encryptions of a secret are identical")
	}
	_, err = encoder{}.encode(Params{"Password": {Kind: KindSecret, Str: "S3cret!pass"}})
	if !errors.Is(err, errNoPublicKey) || strings.Contains(err.Error(), "S3cret") {
		t.Errorf("without a key: %v", err)
	}
}

func TestCustomRoute(t *testing.T) {
	tests := []struct {
		name   string
		params Params
		want   string
	}{
		{name: "switch off", params: Params{"Identity": str("alex@contoso.com")}, want: ""},
		{name: "switch false", params: Params{"Identity": str("alex@contoso.com"), "UseCustomRouting": boolean(false)}, want: ""},
		{name: "SMTP address", params: Params{"Identity": str("alex@contoso.com"), "UseCustomRouting": boolean(true)}, want: "SMTP:alex@contoso.com"},
		{name: "GUID", params: Params{"identity": str("2BE92A50-0000-0000-0000-000000000001"), "usecustomrouting": boolean(true)},
			want: "MBX:2be92a50-0000-0000-0000-000000000001@" + fakeTenant},
		{name: "folder id", params: Params{"Identity": str(`alex@contoso.com:\Calendar`), "UseCustomRouting": boolean(true)}, want: "SMTP:alex@contoso.com"},
		{name: "Mailbox parameter", params: Params{"Mailbox": str("bo@contoso.com"), "UseCustomRouting": boolean(true)}, want: "SMTP:bo@contoso.com"},
		{name: "alias gives no hint", params: Params{"Identity": str("alex"), "UseCustomRouting": boolean(true)}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := customRoute(tt.params, fakeTenant); got != tt.want {
				t.Errorf("hint = %q, want %q", got, tt.want)
			}
		})
	}
}
