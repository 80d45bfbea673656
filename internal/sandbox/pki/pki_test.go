package pki

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

func TestServerCertificateIsTrustedOnlyThroughTheCA(t *testing.T) {
	now := time.Now()
	ca, err := NewAuthority("exo sandbox CA", now, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := ca.ServerCertificate([]string{"127.0.0.1", "localhost"}, now, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	defer srv.Close()

	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca.PEM()) {
		t.Fatal("CA PEM did not parse")
	}
	tests := []struct {
		name    string
		roots   *x509.CertPool
		wantErr bool
	}{
		{"trusted with the CA", pool, false},
		{"refused without it", x509.NewCertPool(), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: tt.roots}}}
			resp, err := c.Get(srv.URL)
			if (err != nil) != tt.wantErr {
				t.Fatalf("GET error = %v, wantErr %v", err, tt.wantErr)
			}
			if err == nil {
				_ = resp.Body.Close()
			}
		})
	}
}

func TestClientCertificatePKCS12RoundTrip(t *testing.T) {
	cc, err := NewClientCertificate("CN=exo app", time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pfx, err := cc.PKCS12("s3cret")
	if err != nil {
		t.Fatal(err)
	}
	key, cert, err := pkcs12.Decode(pfx, "s3cret")
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if !cert.Equal(cc.Cert) || key == nil {
		t.Fatal("PKCS#12 did not round-trip")
	}
	if len(cc.Thumbprint()) != 40 {
		t.Fatalf("thumbprint %q is not 40 hex digits", cc.Thumbprint())
	}
	if _, _, err := pkcs12.Decode(pfx, "wrong"); err == nil {
		t.Fatal("wrong password accepted")
	}
}
