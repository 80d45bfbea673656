package invoke

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Kind is the type of a bound parameter value.
type Kind int

// Kinds of values, as the client bound them.
const (
	KindNull Kind = iota
	KindBool
	KindInt
	KindDouble
	KindString
	KindTime
	KindBytes
	KindList
	KindMap
	KindSecret
	KindCredential
	KindObject
)

// Value is one bound parameter value.
type Value struct {
	Kind   Kind
	Bool   bool
	Int    int64
	Double float64
	// Str is a string, or a SecureString's text (KindSecret).
	Str   string
	Time  time.Time
	Bytes []byte
	List  []Value
	Map   map[string]Value
	// User and Password are a PSCredential (KindCredential).
	User, Password string
	// Object is a PSObject parameter as decoded JSON, passed through.
	Object any
}

// Params are bound parameters by PowerShell name.
type Params map[string]Value

// get finds a parameter case-insensitively.
func (p Params) get(name string) (string, Value, bool) {
	for k, v := range p {
		if strings.EqualFold(k, name) {
			return k, v, true
		}
	}
	return "", Value{}, false
}

// merged is base overridden by over, names compared case-insensitively.
func merged(base, over Params) Params {
	out := make(Params, len(base)+len(over))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		if old, _, ok := out.get(k); ok {
			delete(out, old)
		}
		out[k] = v
	}
	return out
}

// Wire annotations of §2.3.
const (
	odataType           = "@odata.type"
	typeHashtable       = "#Exchange.GenericHashTable"
	typeByteArray       = "#Exchange.ByteArrayType"
	typeHashtableArray  = "#Collection(Exchange.GenericHashTable)"
	typeByteArrayArray  = "#Collection(Exchange.ByteArrayType)"
	wireTimeLayout      = "2006-01-02T15:04:05"
	useCustomRoutingKey = "UseCustomRouting"
)

// commonParameters are sent in their string form.
var commonParameters = []string{
	"ErrorAction", "WarningAction", "ErrorVariable", "OutVariable", "OutBuffer", "WarningVariable",
	"InformationAction", "InformationVariable", "PipelineVariable", "Debug", "Verbose",
}

// filterParameters have $true/$false rewritten in their OPATH text.
var filterParameters = []string{"Filter", "RecipientFilter", "RecipientPreviewFilter"}

// boolLiteral finds $true and $false in OPATH text.
var boolLiteral = regexp.MustCompile(`(?i)\$(true|false)\b`)

// errNoPublicKey fails a secret parameter when the catalogue has no key.
var errNoPublicKey = errors.New("the service published no public key to protect secret parameters with; reconnect and try again")

// encoder turns bound parameters into the wire's Parameters object.
type encoder struct {
	key *rsa.PublicKey
}

// encode builds the Parameters object of §2.3. UseCustomRouting is left
// out: it is the caller's routing choice, not a cmdlet parameter.
func (e encoder) encode(p Params) (map[string]any, error) {
	out := make(map[string]any, len(p))
	for name, v := range p {
		if strings.EqualFold(name, useCustomRoutingKey) {
			continue
		}
		if err := e.put(out, name, v, true); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// put stores one value under name in obj, adding the sibling collection
// annotation where §2.3 wants one. top says obj is the Parameters object,
// where the common and filter parameter rules apply.
func (e encoder) put(obj map[string]any, name string, v Value, top bool) error {
	if top && v.Kind == KindString && containsFold(filterParameters, name) {
		obj[name] = boolLiteral.ReplaceAllStringFunc(v.Str, func(m string) string {
			if strings.EqualFold(m, "$true") {
				return "'True'"
			}
			return "'False'"
		})
		return nil
	}
	if top && v.Kind != KindBool && v.Kind != KindNull && containsFold(commonParameters, name) {
		obj[name] = v.text()
		return nil
	}
	if v.Kind == KindList && len(v.List) > 0 {
		switch {
		case allKind(v.List, KindMap):
			items := make([]any, len(v.List))
			for i, m := range v.List {
				enc, err := e.hashtable(m.Map)
				if err != nil {
					return fmt.Errorf("%s[%d]: %w", name, i, err)
				}
				items[i] = enc
			}
			obj[name] = items
			obj[name+odataType] = typeHashtableArray
			return nil
		case allKind(v.List, KindBytes):
			items := make([]any, len(v.List))
			for i, b := range v.List {
				items[i] = map[string]any{"Data": byteNumbers(b.Bytes)}
			}
			obj[name] = items
			obj[name+odataType] = typeByteArrayArray
			return nil
		}
	}
	enc, err := e.value(name, v)
	if err != nil {
		return err
	}
	obj[name] = enc
	return nil
}

// value encodes a value that needs no sibling annotation.
func (e encoder) value(name string, v Value) (any, error) {
	switch v.Kind {
	case KindNull:
		return nil, nil
	case KindBool:
		return v.Bool, nil
	case KindInt:
		return v.Int, nil
	case KindDouble:
		return v.Double, nil
	case KindString:
		return v.Str, nil
	case KindTime:
		return v.Time.UTC().Format(wireTimeLayout), nil
	case KindBytes:
		return map[string]any{odataType: typeByteArray, "Data": byteNumbers(v.Bytes)}, nil
	case KindMap:
		return e.hashtable(v.Map)
	case KindList:
		items := make([]any, len(v.List))
		for i, item := range v.List {
			enc, err := e.value(name, item)
			if err != nil {
				return nil, err
			}
			items[i] = enc
		}
		return items, nil
	case KindSecret:
		return e.encrypt(name, v.Str)
	case KindCredential:
		plain, err := json.Marshal(struct {
			UserName string `json:"UserName"`
			Password string `json:"Password"`
		}{v.User, v.Password})
		if err != nil {
			return nil, err
		}
		return e.encrypt(name, string(plain))
	case KindObject:
		return v.Object, nil
	}
	return nil, fmt.Errorf("parameter %s: unknown value kind %d", name, v.Kind)
}

// hashtable is a GenericHashTable object, nested hashtables annotated too.
func (e encoder) hashtable(m map[string]Value) (map[string]any, error) {
	out := make(map[string]any, len(m)+1)
	for k, v := range m {
		if err := e.put(out, k, v, false); err != nil {
			return nil, err
		}
	}
	out[odataType] = typeHashtable
	return out, nil
}

// encrypt protects a secret as the module's Encrypt-Value does: RSA
// PKCS #1 v1.5 with the service's key, base64. The error never holds the
// secret.
func (e encoder) encrypt(name, plain string) (string, error) {
	if e.key == nil {
		return "", fmt.Errorf("parameter %s: %w", name, errNoPublicKey)
	}
	//lint:ignore SA1019 the service decrypts PKCS #1 v1.5 (RSACryptoServiceProvider.Encrypt(data, false)); nothing else works.
	ct, err := rsa.EncryptPKCS1v15(rand.Reader, e.key, []byte(plain))
	if err != nil {
		return "", fmt.Errorf("parameter %s: the value is too long for the service's key", name)
	}
	return base64.StdEncoding.EncodeToString(ct), nil
}

// text is a value's string form, for common parameters.
func (v Value) text() string {
	switch v.Kind {
	case KindBool:
		return strconv.FormatBool(v.Bool)
	case KindInt:
		return strconv.FormatInt(v.Int, 10)
	case KindDouble:
		return strconv.FormatFloat(v.Double, 'g', -1, 64)
	case KindTime:
		return v.Time.UTC().Format(wireTimeLayout)
	case KindList:
		parts := make([]string, len(v.List))
		for i, item := range v.List {
			parts[i] = item.text()
		}
		return strings.Join(parts, " ")
	}
	return v.Str
}

// byteNumbers writes bytes as the array of numbers ConvertTo-Json makes.
func byteNumbers(b []byte) []int {
	out := make([]int, len(b))
	for i, x := range b {
		out[i] = int(x)
	}
	return out
}

func allKind(vs []Value, k Kind) bool {
	for _, v := range vs {
		if v.Kind != k {
			return false
		}
	}
	return true
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
