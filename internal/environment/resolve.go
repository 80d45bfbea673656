package environment

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Input is what the caller passed to Connect-ExchangeOnline or
// Connect-IPPSSession; empty strings mean the parameter was not given.
type Input struct {
	ConnectionURI   string
	AuthorityURI    string // AzureADAuthorizationEndpointUri
	EnvironmentName string // ExchangeEnvironmentName; empty means O365Default
	// SecurityCompliance selects the Security & Compliance defaults, as
	// Connect-IPPSSession does.
	SecurityCompliance bool
}

// Endpoints is where a connection signs in and sends its requests.
type Endpoints struct {
	// RESTBase is the admin API's scheme://host[:port], without a path.
	RESTBase *url.URL
	// Authority is the token authority, https://<login host>/<tenant>.
	Authority string
	// Scope is the token scope, <resource>/.default.
	Scope string
	// EnvironmentName is the cloud the endpoints belong to: the cloud of a
	// known ConnectionUri, else the requested environment.
	EnvironmentName string
	// SecurityCompliance is true for Security & Compliance endpoints (the
	// connection's IsEopSession).
	SecurityCompliance bool
	// Note is the information line the module writes when only one of the
	// two URIs was given; the caller prints it. Empty otherwise.
	Note string
}

// ErrInvalidParameter is wrapped by every validation error Resolve returns.
// The error text is the module's own message, to show as it is.
var ErrInvalidParameter = errors.New("invalid parameter")

type invalidParameter struct{ msg string }

func (e invalidParameter) Error() string { return e.msg }
func (e invalidParameter) Unwrap() error { return ErrInvalidParameter }

// Resolve validates in and fills the environment's defaults.
func Resolve(in Input) (Endpoints, error) {
	envName := in.EnvironmentName
	if envName == "" {
		envName = O365Default
	}
	env, ok := lookupCloud(envName)
	if !ok {
		return Endpoints{}, invalidParameter{fmt.Sprintf(
			"Cannot convert value %q to type \"Microsoft.Exchange.Management.RestApiClient.ExchangeEnvironment\". "+
				"Error: \"Unable to match the identifier name %s to a valid enumerator name. "+
				"Specify one of the following enumerator names and try again:\n%s\"",
			envName, envName, strings.Join(Names(), ", "))}
	}
	var conn, auth *url.URL
	if in.ConnectionURI != "" {
		if conn = parseHTTPS(in.ConnectionURI); conn == nil {
			return Endpoints{}, invalidParameter{fmt.Sprintf("Invalid ConnectionUri parameter '%s'", in.ConnectionURI)}
		}
	}
	if in.AuthorityURI != "" {
		// MSAL needs the tenant as the first path segment.
		if auth = parseHTTPS(in.AuthorityURI); auth == nil || strings.Trim(auth.Path, "/") == "" {
			return Endpoints{}, invalidParameter{fmt.Sprintf("Invalid AzureADAuthorizationEndpointUri parameter '%s'", in.AuthorityURI)}
		}
	}

	ep := Endpoints{EnvironmentName: env.name, Authority: env.authority, SecurityCompliance: in.SecurityCompliance}
	// Connect-IPPSSession passes both URIs (its parameters have defaults),
	// so it never writes the note.
	if !in.SecurityCompliance {
		switch {
		case conn != nil && auth == nil:
			ep.Note = fmt.Sprintf("Using ConnectionUri:'%s', in the environment:'%s'.", in.ConnectionURI, env.name)
		case auth != nil && conn == nil:
			ep.Note = fmt.Sprintf("Using AzureADAuthorizationEndpointUri:'%s', in the environment:'%s'.", in.AuthorityURI, env.name)
		}
	}
	if conn == nil {
		def := env.exchangeURI
		if in.SecurityCompliance {
			def = env.complianceURI
		}
		if def == "" {
			return Endpoints{}, invalidParameter{fmt.Sprintf(
				"Security & Compliance has no default endpoint in the environment '%s'; pass -ConnectionUri.", env.name)}
		}
		conn = parseHTTPS(def)
	}

	ep.RESTBase = &url.URL{Scheme: "https", Host: strings.ToLower(conn.Host)}
	ep.Scope = ep.RESTBase.String() + "/.default"
	if svc, ok := lookupService(conn.Hostname()); ok {
		if svc.restHost != "" {
			ep.RESTBase.Host = svc.restHost
		}
		ep.Scope = svc.resource + "/.default"
		ep.SecurityCompliance = ep.SecurityCompliance || svc.compliance
		// A Microsoft ConnectionUri names its cloud, whose authority issues
		// tokens for it, whatever ExchangeEnvironmentName says.
		c, _ := lookupCloud(svc.cloud)
		ep.EnvironmentName, ep.Authority = c.name, c.authority
	}
	if auth != nil {
		ep.Authority = strings.TrimRight(auth.String(), "/")
	}
	return ep, nil
}

// parseHTTPS accepts what the module's Test-Uri accepts: an absolute URI
// with the https scheme. It returns nil otherwise.
func parseHTTPS(raw string) *url.URL {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || !u.IsAbs() || !strings.EqualFold(u.Scheme, "https") || u.Host == "" || u.Opaque != "" {
		return nil
	}
	return u
}
