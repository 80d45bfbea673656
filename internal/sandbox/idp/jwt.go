package idp

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// signer holds the token signing key. Like Entra, the key is published with
// a self-signed certificate, and kid is the certificate's SHA-1 thumbprint.
// The certificate depends only on the key, so a restart with the same key
// keeps the kid and the tokens issued before it stay valid.
type signer struct {
	key  *rsa.PrivateKey
	cert *x509.Certificate
	kid  string
	jwks []byte
}

func newSigner(key *rsa.PrivateKey) (*signer, error) {
	spki, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("idp: encode signing key: %w", err)
	}
	keyHash := sha256.Sum256(spki)
	tmpl := &x509.Certificate{
		SerialNumber: new(big.Int).SetBytes(keyHash[:16]),
		Subject:      pkix.Name{CommonName: "accounts.accesscontrol.windows.net"},
		NotBefore:    time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	// PKCS #1 v1.5 signatures are deterministic, so the DER is too.
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("idp: signing certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("idp: parse signing certificate: %w", err)
	}
	sum := sha1.Sum(der)
	s := &signer{key: key, cert: cert, kid: base64.RawURLEncoding.EncodeToString(sum[:])}
	s.jwks, err = json.Marshal(map[string]any{"keys": []map[string]any{s.jwk()}})
	if err != nil {
		return nil, fmt.Errorf("idp: encode JWKS: %w", err)
	}
	return s, nil
}

func (s *signer) jwk() map[string]any {
	pub := s.key.PublicKey
	s256 := sha256.Sum256(s.cert.Raw)
	return map[string]any{
		"kty":      "RSA",
		"use":      "sig",
		"alg":      "RS256",
		"kid":      s.kid,
		"x5t":      s.kid,
		"x5t#S256": base64.RawURLEncoding.EncodeToString(s256[:]),
		"n":        base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"e":        base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
		"x5c":      []string{base64.StdEncoding.EncodeToString(s.cert.Raw)},
	}
}

func (s *signer) jwksJSON() []byte { return s.jwks }

// sign makes an RS256 JWT of the given type with the header fields Entra sets.
func (s *signer) sign(typ string, claims jwt.MapClaims) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	t.Header["typ"] = typ
	t.Header["kid"] = s.kid
	t.Header["x5t"] = s.kid
	raw, err := t.SignedString(s.key)
	if err != nil {
		return "", fmt.Errorf("idp: sign token: %w", err)
	}
	return raw, nil
}
