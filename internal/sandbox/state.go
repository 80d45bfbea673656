package sandbox

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/openexo/exo/internal/sandbox/pki"
)

// state is what a sandbox keeps beside its database so that a restart
// serves with the same CA, signing keys and credentials: clients that
// trusted the CA and tokens that were issued stay valid.
type state struct {
	dir string

	ca            *pki.Authority
	tokenKey      *rsa.PrivateKey
	secretKey     *rsa.PrivateKey
	linkKey       []byte
	appCert       *pki.ClientCertificate
	ControlSecret string `json:"controlSecret"`
	// ManagedIdentityHeader is the secret the managed-identity endpoint
	// demands, as App Service's IDENTITY_HEADER.
	ManagedIdentityHeader string `json:"managedIdentityHeader"`
	// CertificatePassword protects app.pfx.
	CertificatePassword string `json:"certificatePassword"`
	// Credentials are the seeded tenant's sign-in facts.
	Credentials credentials `json:"credentials"`
}

const stateFile = "state.json"

// loadState reads the state in dir, creating whatever is missing.
func loadState(dir string, now time.Time) (*state, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create state directory: %w", err)
	}
	st := &state{dir: dir}
	if data, err := os.ReadFile(filepath.Join(dir, stateFile)); err == nil {
		if err := json.Unmarshal(data, st); err != nil {
			return nil, fmt.Errorf("read %s: %w", stateFile, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %w", stateFile, err)
	}
	if st.ControlSecret == "" {
		st.ControlSecret = randomHex(16)
	}
	if st.ManagedIdentityHeader == "" {
		st.ManagedIdentityHeader = randomHex(16)
	}
	if st.CertificatePassword == "" {
		st.CertificatePassword = randomHex(12)
	}
	var err error
	if st.ca, err = st.loadAuthority(now); err != nil {
		return nil, err
	}
	if st.tokenKey, err = st.loadRSA("token-signing.key"); err != nil {
		return nil, err
	}
	if st.secretKey, err = st.loadRSA("secret-parameters.key"); err != nil {
		return nil, err
	}
	if st.linkKey, err = st.loadBytes("paging-link.key", 32); err != nil {
		return nil, err
	}
	if st.appCert, err = st.loadAppCertificate(now); err != nil {
		return nil, err
	}
	return st, st.save()
}

// save writes the state file.
func (st *state) save() error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(st.path(stateFile), data, 0o600); err != nil {
		return fmt.Errorf("write %s: %w", stateFile, err)
	}
	return nil
}

func (st *state) path(name string) string { return filepath.Join(st.dir, name) }

func (st *state) loadAuthority(now time.Time) (*pki.Authority, error) {
	certPEM, certErr := os.ReadFile(st.path("ca.pem"))
	keyPEM, keyErr := os.ReadFile(st.path("ca.key"))
	if certErr == nil && keyErr == nil {
		cert, err := parseCertPEM(certPEM)
		if err != nil {
			return nil, fmt.Errorf("ca.pem: %w", err)
		}
		key, err := parsePKCS8PEM(keyPEM)
		if err != nil {
			return nil, fmt.Errorf("ca.key: %w", err)
		}
		signer, ok := key.(*ecdsa.PrivateKey)
		if !ok {
			return nil, errors.New("ca.key is not an ECDSA key")
		}
		if now.Before(cert.NotAfter.Add(-24 * time.Hour)) {
			return &pki.Authority{Cert: cert, Key: signer}, nil
		}
	}
	ca, err := pki.NewAuthority("exo sandbox tenant CA", now, 5*365*24*time.Hour)
	if err != nil {
		return nil, err
	}
	if err := ca.WriteCAFile(st.path("ca.pem")); err != nil {
		return nil, err
	}
	if err := writePKCS8PEM(st.path("ca.key"), ca.Key); err != nil {
		return nil, err
	}
	return ca, nil
}

func (st *state) loadRSA(name string) (*rsa.PrivateKey, error) {
	if data, err := os.ReadFile(st.path(name)); err == nil {
		key, err := parsePKCS8PEM(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		rk, ok := key.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("%s is not an RSA key", name)
		}
		return rk, nil
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("generate %s: %w", name, err)
	}
	return key, writePKCS8PEM(st.path(name), key)
}

func (st *state) loadBytes(name string, n int) ([]byte, error) {
	if data, err := os.ReadFile(st.path(name)); err == nil && len(data) == n {
		return data, nil
	}
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	if err := os.WriteFile(st.path(name), b, 0o600); err != nil {
		return nil, fmt.Errorf("write %s: %w", name, err)
	}
	return b, nil
}

// loadAppCertificate keeps the app-only sign-in certificate as app.pfx, the
// file a script passes to -CertificateFilePath.
func (st *state) loadAppCertificate(now time.Time) (*pki.ClientCertificate, error) {
	certPEM, certErr := os.ReadFile(st.path("app.pem"))
	keyPEM, keyErr := os.ReadFile(st.path("app.key"))
	if certErr == nil && keyErr == nil {
		cert, err := parseCertPEM(certPEM)
		if err != nil {
			return nil, fmt.Errorf("app.pem: %w", err)
		}
		key, err := parsePKCS8PEM(keyPEM)
		if err != nil {
			return nil, fmt.Errorf("app.key: %w", err)
		}
		rk, ok := key.(*rsa.PrivateKey)
		if ok && now.Before(cert.NotAfter) {
			return &pki.ClientCertificate{Cert: cert, Key: rk}, st.writePFX(&pki.ClientCertificate{Cert: cert, Key: rk})
		}
	}
	cc, err := pki.NewClientCertificate("exo sandbox automation app", now, 2*365*24*time.Hour)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(st.path("app.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cc.Cert.Raw}), 0o600); err != nil {
		return nil, err
	}
	if err := writePKCS8PEM(st.path("app.key"), cc.Key); err != nil {
		return nil, err
	}
	return cc, st.writePFX(cc)
}

func (st *state) writePFX(cc *pki.ClientCertificate) error {
	pfx, err := cc.PKCS12(st.CertificatePassword)
	if err != nil {
		return err
	}
	if err := os.WriteFile(st.path("app.pfx"), pfx, 0o600); err != nil {
		return fmt.Errorf("write app.pfx: %w", err)
	}
	return nil
}

func parseCertPEM(data []byte) (*x509.Certificate, error) {
	b, _ := pem.Decode(data)
	if b == nil || b.Type != "CERTIFICATE" {
		return nil, errors.New("no PEM certificate")
	}
	return x509.ParseCertificate(b.Bytes)
}

func parsePKCS8PEM(data []byte) (any, error) {
	b, _ := pem.Decode(data)
	if b == nil || b.Type != "PRIVATE KEY" {
		return nil, errors.New("no PEM private key")
	}
	return x509.ParsePKCS8PrivateKey(b.Bytes)
}

func writePKCS8PEM(path string, key any) error {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return fmt.Errorf("encode key: %w", err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on Linux
	return hex.EncodeToString(b)
}
