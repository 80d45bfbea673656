package auth

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/cache"
	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
	"go.uber.org/zap"
)

// DefaultClientID is the public client of ExchangeOnlineManagement,
// "Microsoft Exchange REST API Based Powershell".
const DefaultClientID = "fb78d390-0c51-40cd-8e17-fdbfab77341b"

// Config is what every flow needs.
type Config struct {
	// Authority is https://<login host>/<tenant>, such as
	// https://login.microsoftonline.com/organizations.
	Authority string
	// Scope is the resource's <resource>/.default scope.
	Scope string
	// ClientID is the application: DefaultClientID when empty for user
	// flows, the -AppId for certificates, and the user-assigned identity's
	// client ID for managed identity (empty: system-assigned).
	ClientID string
	// HTTPClient carries all identity traffic; nil means MSAL's default.
	// TrustedHTTPClient makes one that also trusts a private CA.
	HTTPClient *http.Client
	// Cache persists user sign-ins (see FileCache); nil keeps them in
	// memory. App-only flows never persist: they sign in again with their
	// credential.
	Cache cache.ExportReplace
	// Logger; nil means no logging.
	Logger *zap.Logger
}

// trustedLoginHost reports whether MSAL for Go validates authorities on
// host with instance discovery: Microsoft's login hosts.
func trustedLoginHost(host string) bool {
	switch host {
	case "login.microsoftonline.com", "login.microsoftonline.us", "login.chinacloudapi.cn",
		"login.partner.microsoftonline.cn", "login.microsoftonline.de", "login-us.microsoftonline.com",
		"login.windows.net", "login.microsoft.com", "sts.windows.net", "login.usgovcloudapi.net":
		return true
	}
	return false
}

// authority is a parsed Config.Authority.
type authority struct {
	base   string // https://host[:port]
	host   string // lower-case host[:port], as MSAL records it in accounts
	tenant string
}

func parseAuthority(raw string) (authority, error) {
	u, err := url.Parse(raw)
	tenant := ""
	if err == nil {
		tenant, _, _ = strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	}
	if err != nil || u.Scheme != "https" || u.Host == "" || tenant == "" {
		return authority{}, invalidParameter("The authority %q is not an https://<host>/<tenant> URL.", raw)
	}
	host := strings.ToLower(u.Host)
	return authority{base: "https://" + host, host: host, tenant: tenant}, nil
}

// instanceDiscovery says whether MSAL may validate the authority: only
// Microsoft's login hosts answer it, and for other hosts MSAL would ask
// login.microsoftonline.com about them.
func (a authority) instanceDiscovery() bool { return trustedLoginHost(a.host) }

// prepare validates c and fills defaults; publicFlow defaults the client ID.
func (c Config) prepare(publicFlow bool) (Config, authority, error) {
	a, err := parseAuthority(c.Authority)
	if err != nil {
		return c, a, err
	}
	if !strings.HasSuffix(c.Scope, "/.default") || !strings.Contains(c.Scope, "://") {
		return c, a, invalidParameter("The scope %q is not a <resource>/.default scope.", c.Scope)
	}
	if publicFlow && c.ClientID == "" {
		c.ClientID = DefaultClientID
	}
	if c.Logger == nil {
		c.Logger = zap.NewNop()
	}
	return c, a, nil
}

// newPublicClient makes the MSAL public client of a user flow. The returned
// view, when not nil, must be released after each MSAL call.
func (c Config) newPublicClient(a authority) (public.Client, *cacheView, error) {
	opts := []public.Option{
		public.WithAuthority(c.Authority),
		public.WithInstanceDiscovery(a.instanceDiscovery()),
	}
	if c.HTTPClient != nil {
		opts = append(opts, public.WithHTTPClient(c.HTTPClient))
	}
	var view *cacheView
	switch cc := c.Cache.(type) {
	case nil:
	case *FileCache:
		view = cc.view()
		opts = append(opts, public.WithCache(view))
	default:
		opts = append(opts, public.WithCache(cc))
	}
	client, err := public.New(c.ClientID, opts...)
	if err != nil {
		return public.Client{}, nil, invalidParameter("%v", err)
	}
	return client, view, nil
}
