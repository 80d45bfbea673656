package auth

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
	"github.com/google/uuid"
	"software.sslmate.com/src/go-pkcs12"
)

// Certificate is an app's sign-in certificate and its private key.
type Certificate struct {
	// Chain is the certificate first, then any issuers.
	Chain []*x509.Certificate
	Key   crypto.PrivateKey
}

// CertificateFromPKCS12 reads a .pfx (-CertificateFilePath with
// -CertificatePassword). Modern (AES) files and the legacy RC2, 3DES and
// unencrypted encodings that Windows, older OpenSSL and Java write are all
// read; the certificate matching the key becomes Chain[0] whatever order
// the file lists them in.
func CertificateFromPKCS12(data []byte, password string) (Certificate, error) {
	key, leaf, others, err := pkcs12.DecodeChain(data, password)
	if errors.Is(err, pkcs12.ErrIncorrectPassword) {
		return Certificate{}, fmt.Errorf("%w: the certificate password is incorrect", ErrInvalidCredentials)
	}
	if err != nil {
		return Certificate{}, invalidParameter("The certificate file could not be read as PKCS#12 (.pfx): %v", err)
	}
	chain := append([]*x509.Certificate{leaf}, others...)
	signer, ok := key.(crypto.Signer)
	if !ok {
		return Certificate{}, invalidParameter("The certificate's private key (%T) cannot sign.", key)
	}
	pub, ok := signer.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok {
		return Certificate{}, invalidParameter("The certificate's private key type %T is not supported.", key)
	}
	for i, c := range chain {
		if pub.Equal(c.PublicKey) {
			chain[0], chain[i] = chain[i], chain[0]
			return Certificate{Chain: chain, Key: key}, nil
		}
	}
	return Certificate{}, invalidParameter("The certificate file has no certificate for its private key.")
}

// confidentialAcquirer gets app-only tokens with client credentials; MSAL
// answers from its in-memory cache until a token is about to expire.
type confidentialAcquirer struct {
	client confidential.Client
	scopes []string
}

func (c *confidentialAcquirer) acquire(ctx context.Context, opts TokenOptions) (Token, error) {
	var cc []confidential.AcquireByCredentialOption
	if claims := claimsFor(opts); claims != "" {
		cc = append(cc, confidential.WithClaims(claims))
	}
	res, err := c.client.AcquireTokenByCredential(ctx, c.scopes, cc...)
	if err != nil {
		return Token{}, classify(err, false)
	}
	tok, err := parseToken(res.AccessToken, res.ExpiresOn)
	if err != nil {
		return Token{}, fmt.Errorf("%w: %w", ErrSignInFailed, err)
	}
	return tok, nil
}

// signOut has nothing to do: app-only tokens are not persisted.
func (c *confidentialAcquirer) signOut(context.Context) error { return nil }

// NewCertificate signs an app in with its certificate (-AppId, given as
// cfg.ClientID, with -Certificate or -CertificateFilePath). The authority is
// cfg.Authority's host with organization, the tenant's domain, as tenant.
func NewCertificate(ctx context.Context, cfg Config, organization string, cert Certificate) (*Source, error) {
	if organization == "" {
		return nil, invalidParameter("Certificate sign-in needs -Organization, the tenant's domain such as contoso.onmicrosoft.com.")
	}
	if _, err := uuid.Parse(organization); err == nil {
		return nil, invalidParameter("Organization cannot be a Guid, please enter the name of the tenant instead.")
	}
	if cfg.ClientID == "" {
		return nil, invalidParameter("Certificate sign-in needs -AppId.")
	}
	if len(cert.Chain) == 0 || cert.Key == nil {
		return nil, invalidParameter("The certificate or its private key is missing.")
	}
	cfg, a, err := cfg.prepare(false)
	if err != nil {
		return nil, err
	}
	cfg.Authority = a.base + "/" + organization
	cred, err := confidential.NewCredFromCert(cert.Chain, cert.Key)
	if err != nil {
		return nil, invalidParameter("%v", err)
	}
	opts := []confidential.Option{confidential.WithInstanceDiscovery(a.instanceDiscovery())}
	if cfg.HTTPClient != nil {
		opts = append(opts, confidential.WithHTTPClient(cfg.HTTPClient))
	}
	client, err := confidential.New(cfg.Authority, cfg.ClientID, cred, opts...)
	if err != nil {
		return nil, invalidParameter("%v", err)
	}
	acq := &confidentialAcquirer{client: client, scopes: []string{cfg.Scope}}
	tok, err := acq.acquire(ctx, TokenOptions{})
	if err != nil {
		return nil, err
	}
	return newSource(FlowCertificate, acq, tok, cfg.Logger), nil
}
