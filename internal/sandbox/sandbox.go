// Package sandbox hosts the sandbox tenant: a local imitation of Exchange
// Online's admin API and of Entra ID's sign-in endpoints over HTTPS on
// loopback, on data in a SQLite file. It wires the tenant database, the
// identity provider and the admin API together; each of those lives in its
// own package and knows nothing of the others.
//
// Addresses: Exchange Online and the identity provider share
// https://127.0.0.1:<port>; Security & Compliance answers on
// https://127.0.0.2:<port>, a second loopback address, so that its tokens
// carry their own audience as the real service's do.
package sandbox

import (
	"context"
	"crypto/rsa"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"time"

	"go.uber.org/zap"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/idp"
	"github.com/openexo/exo/internal/sandbox/store"
)

// Options configure a sandbox.
type Options struct {
	// DataPath is the tenant database file; it is created and seeded with
	// a small default tenant when absent.
	DataPath string
	// Port is the TCP port; 0 picks a free one.
	Port int
	// TokenLifetime of access tokens; 0 means one hour.
	TokenLifetime time.Duration
	// Settings are the initial throttling and fault settings.
	Settings adminapi.Settings
	// NewBackend builds the cmdlet engine over the tenant database. The
	// compliance flag selects the Security & Compliance catalogue.
	NewBackend func(st *store.Store, compliance bool) adminapi.Backend
	// Logger receives the sandbox's logs.
	Logger *zap.Logger
}

// Info is what a script needs to use the sandbox; `exod sandbox` prints it
// as its first line.
type Info struct {
	ConnectionURI           string `json:"connectionUri"`
	AuthorityURI            string `json:"authorityUri"`
	ComplianceConnectionURI string `json:"complianceConnectionUri"`
	TenantDomain            string `json:"tenantDomain"`
	TenantID                string `json:"tenantId"`
	UserPrincipalName       string `json:"userPrincipalName"`
	Password                string `json:"password"`
	AppID                   string `json:"appId"`
	CertificatePath         string `json:"certificatePath"`
	CertificatePassword     string `json:"certificatePassword"`
	CertificateThumbprint   string `json:"certificateThumbprint"`
	CAFile                  string `json:"caFile"`
	ManagedIdentityEndpoint string `json:"managedIdentityEndpoint"`
	ManagedIdentityHeader   string `json:"managedIdentityHeader"`
	ControlURI              string `json:"controlUri"`
	CaptureURI              string `json:"captureUri"`
	ControlSecret           string `json:"controlSecret"`
}

// Sandbox is a running sandbox tenant.
type Sandbox struct {
	info       Info
	st         *store.Store
	exchange   *adminapi.Server
	compliance *adminapi.Server
	servers    []*http.Server
	log        *zap.Logger
}

const (
	exchangeHost   = "127.0.0.1"
	complianceHost = "127.0.0.2"
	// complianceRegion is the region the S&C front door redirects to.
	complianceRegion = "nam12b"
)

// StateDir is where a sandbox keeps its keys and credentials beside the
// database file.
func StateDir(dataPath string) string { return dataPath + ".state" }

// Start opens (or creates and seeds) the tenant and serves it until Close.
func Start(ctx context.Context, opts Options) (*Sandbox, error) {
	log := opts.Logger
	if log == nil {
		log = zap.NewNop()
	}
	if opts.NewBackend == nil {
		return nil, errors.New("sandbox: Options.NewBackend is required")
	}
	now := time.Now()
	stt, err := loadState(StateDir(opts.DataPath), now)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, opts.DataPath)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			_ = st.Close()
		}
	}()
	creds, err := ensureTenant(ctx, st, stt)
	if err != nil {
		return nil, err
	}
	tenant, err := st.Tenant(ctx)
	if err != nil {
		return nil, err
	}

	exLn, err := net.Listen("tcp", net.JoinHostPort(exchangeHost, strconv.Itoa(opts.Port)))
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	port := exLn.Addr().(*net.TCPAddr).Port
	ccLn, err := net.Listen("tcp", net.JoinHostPort(complianceHost, strconv.Itoa(port)))
	if err != nil {
		_ = exLn.Close()
		return nil, fmt.Errorf("listen on %s for Security & Compliance: %w", complianceHost, err)
	}
	exBase := "https://" + net.JoinHostPort(exchangeHost, strconv.Itoa(port))
	ccBase := "https://" + net.JoinHostPort(complianceHost, strconv.Itoa(port))

	idpHandler, err := idp.New(idp.Config{
		Directory:      directory{st: st, managedIdentityAppID: creds.ManagedIdentityAppID},
		BaseURL:        exBase,
		Resources:      []idp.Resource{{URL: exBase}, {URL: ccBase}},
		SigningKey:     stt.tokenKey,
		TokenLifetime:  opts.TokenLifetime,
		IdentityHeader: stt.ManagedIdentityHeader,
		ControlSecret:  stt.ControlSecret,
		Logger:         log.Named("idp"),
	})
	if err != nil {
		return nil, fmt.Errorf("identity provider: %w", err)
	}
	newAPI := func(audience, region string, compliance bool, control string) (*adminapi.Server, error) {
		return adminapi.New(adminapi.Config{
			Verifier:         verifier{v: idpHandler.Verifier()},
			Backend:          opts.NewBackend(st, compliance),
			Logger:           log.Named("adminapi"),
			Audience:         audience,
			AuthorizationURI: exBase + "/common/oauth2/authorize",
			ComplianceRegion: region,
			BackendServer:    "SANDBOX01MB0001",
			SecretKeys:       []*rsa.PrivateKey{stt.secretKey},
			LinkKey:          stt.linkKey,
			ControlSecret:    control,
			Settings:         opts.Settings,
		})
	}
	exchange, err := newAPI(exBase, "", false, stt.ControlSecret)
	if err != nil {
		return nil, fmt.Errorf("admin API: %w", err)
	}
	compliance, err := newAPI(ccBase, complianceRegion, true, stt.ControlSecret)
	if err != nil {
		return nil, fmt.Errorf("compliance admin API: %w", err)
	}

	cert, err := stt.ca.ServerCertificate([]string{exchangeHost, complianceHost, "localhost"}, now, 365*24*time.Hour)
	if err != nil {
		return nil, err
	}
	tlsConf := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	s := &Sandbox{st: st, exchange: exchange, compliance: compliance, log: log}
	s.servers = []*http.Server{
		s.serve(exLn, tlsConf, exchangeMux(idpHandler, exchange)),
		s.serve(ccLn, tlsConf, compliance),
	}
	s.info = Info{
		ConnectionURI:           exBase + "/powershell-liveid/",
		AuthorityURI:            exBase + "/organizations",
		ComplianceConnectionURI: ccBase + "/powershell-liveid/",
		TenantDomain:            tenant.InitialDomain,
		TenantID:                tenant.ID,
		UserPrincipalName:       creds.AdminUPN,
		Password:                creds.Password,
		AppID:                   creds.AppID,
		CertificatePath:         stt.path("app.pfx"),
		CertificatePassword:     stt.CertificatePassword,
		CertificateThumbprint:   thumbprint(stt.appCert.Cert.Raw),
		CAFile:                  stt.path("ca.pem"),
		ManagedIdentityEndpoint: exBase + "/msi/token",
		ManagedIdentityHeader:   idpHandler.IdentityHeader(),
		ControlURI:              exBase + "/sandbox/control/faults",
		CaptureURI:              exBase + "/sandbox/control/requests",
		ControlSecret:           stt.ControlSecret,
	}
	ok = true
	log.Info("sandbox tenant serving", zap.String("exchange", exBase), zap.String("compliance", ccBase),
		zap.String("data", filepath.Clean(opts.DataPath)))
	return s, nil
}

// exchangeMux sends the admin API's paths to it and everything else to the
// identity provider, which owns /<tenant>/... and the managed-identity paths.
func exchangeMux(idpHandler http.Handler, api http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/adminapi/", api)
	mux.Handle("/AdminApi/", api)
	mux.Handle("/sandbox/", api)
	mux.Handle("/sandbox/idp/", idpHandler)
	mux.Handle("/", idpHandler)
	return mux
}

func (s *Sandbox) serve(ln net.Listener, conf *tls.Config, h http.Handler) *http.Server {
	srv := &http.Server{
		Handler:           h,
		TLSConfig:         conf.Clone(),
		ReadHeaderTimeout: 30 * time.Second,
		ErrorLog:          zap.NewStdLog(s.log.Named("http")),
	}
	go func() {
		if err := srv.ServeTLS(ln, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("sandbox listener stopped", zap.Error(err))
		}
	}()
	return srv
}

// Info returns the connection values for scripts.
func (s *Sandbox) Info() Info { return s.info }

// SetSettings changes throttling and faults on both endpoints at run time.
func (s *Sandbox) SetSettings(st adminapi.Settings) error {
	if err := s.exchange.SetSettings(st); err != nil {
		return err
	}
	return s.compliance.SetSettings(st)
}

// Close stops serving, waiting for in-flight requests until ctx ends, and
// closes the database.
func (s *Sandbox) Close(ctx context.Context) error {
	var errs []error
	for _, srv := range s.servers {
		if err := srv.Shutdown(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	errs = append(errs, s.st.Close())
	return errors.Join(errs...)
}
