package auth

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"net/http"
)

// TrustedHTTPClient returns an HTTP client that trusts the system's roots
// plus the CA certificates in extraCAPEM, such as the sandbox tenant's CA.
// Verification stays on; an empty or malformed PEM is refused rather than
// leaving the client unable to reach the endpoint it was made for.
func TrustedHTTPClient(extraCAPEM []byte) (*http.Client, error) {
	if len(bytes.TrimSpace(extraCAPEM)) == 0 {
		return nil, invalidParameter("The extra CA certificate file is empty.")
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		// No system roots (rare): the extra CA is then the only trust.
		pool = x509.NewCertPool()
	}
	rest, n := extraCAPEM, 0
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		n++
		if block.Type != "CERTIFICATE" {
			return nil, invalidParameter("The extra CA file's PEM block %d is a %q, not a CERTIFICATE.", n, block.Type)
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, invalidParameter("The extra CA file's certificate %d cannot be parsed: %v", n, err)
		}
		pool.AddCert(cert)
	}
	if n == 0 || len(bytes.TrimSpace(rest)) != 0 {
		return nil, invalidParameter("The extra CA file is not PEM-encoded certificates.")
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return &http.Client{Transport: tr}, nil
}
