package adminapi

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"
)

// Secret parameters (SecureString, PSCredential) arrive encrypted the way
// the module's Encrypt-Value does it: the UTF-8 bytes encrypted with
// RSACryptoServiceProvider.Encrypt(bytes, false), that is RSA PKCS #1 v1.5,
// then base64. The public half travels as the $PublicKey line of the
// EXOModuleFile module. Only PKCS #1 v1.5 is accepted, so a client that
// works here also works against Exchange Online.

// publicKeyXML renders an RSA public key as .NET's ToXmlString(false).
func publicKeyXML(pub *rsa.PublicKey) string {
	e := big.NewInt(int64(pub.E)).Bytes()
	return "<RSAKeyValue><Modulus>" + base64.StdEncoding.EncodeToString(pub.N.Bytes()) +
		"</Modulus><Exponent>" + base64.StdEncoding.EncodeToString(e) + "</Exponent></RSAKeyValue>"
}

var errUndecryptable = errors.New("secret cannot be decrypted with any service key")

// decryptSecret tries the current key, then the previous ones: the
// service keeps accepting at least one rotated-out key, so modules fetched
// before a rotation keep working.
func (s *Server) decryptSecret(b64 string) (string, error) {
	ct, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
	if err != nil {
		return "", fmt.Errorf("secret is not base64: %w", err)
	}
	for _, k := range s.secretKeys {
		//lint:ignore SA1019 the real module encrypts with PKCS #1 v1.5; the sandbox must accept exactly that.
		pt, err := rsa.DecryptPKCS1v15(nil, k, ct)
		if err == nil {
			return string(pt), nil
		}
	}
	return "", errUndecryptable
}

func secretError(name string) *CmdletError {
	return &CmdletError{
		Class:   classArgTransformation,
		Status:  http.StatusBadRequest,
		Message: fmt.Sprintf("Cannot process argument transformation on parameter '%s'. The value is not protected with the service's public key. Re-establish the connection to get the current key and try again.", name),
	}
}

// convertCredential accepts the whole {"UserName","Password"} JSON
// encrypted, or an object whose Password alone is encrypted.
func (s *Server) convertCredential(name string, v any) (any, *CmdletError) {
	switch t := v.(type) {
	case string:
		plain, err := s.decryptSecret(t)
		if err != nil {
			return nil, secretError(name)
		}
		var c struct{ UserName, Password string }
		if err := json.Unmarshal([]byte(plain), &c); err != nil {
			return nil, transformError(name, "System.String", KindCredential, "The decrypted value is not a credential object.")
		}
		return Credential{UserName: c.UserName, Password: SecureString(c.Password)}, nil
	case map[string]any:
		var user, pass string
		for k, e := range t {
			str, _ := e.(string)
			switch strings.ToLower(k) {
			case "username":
				user = str
			case "password":
				pass = str
			}
		}
		plain, err := s.decryptSecret(pass)
		if err != nil {
			return nil, secretError(name)
		}
		return Credential{UserName: user, Password: SecureString(plain)}, nil
	}
	return nil, transformError(name, v, KindCredential, "")
}
