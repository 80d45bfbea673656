package exoctl

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	exov1 "github.com/openexo/exo/proto/exo/v1"
)

// queryCmdlets are the Get-EXO* cmdlets QueryService runs, by lower-cased
// name.
var queryCmdlets = map[string]string{
	"get-exomailbox": "Get-EXOMailbox", "get-exocasmailbox": "Get-EXOCasMailbox",
	"get-exorecipient": "Get-EXORecipient", "get-exomailboxstatistics": "Get-EXOMailboxStatistics",
	"get-exomailboxfolderstatistics": "Get-EXOMailboxFolderStatistics", "get-exomailboxpermission": "Get-EXOMailboxPermission",
	"get-exomailboxfolderpermission": "Get-EXOMailboxFolderPermission", "get-exomobiledevicestatistics": "Get-EXOMobileDeviceStatistics",
	"get-exorecipientpermission": "Get-EXORecipientPermission",
}

// connectParams are the parameters exoctl connect takes, by lower-cased
// name, with whether they take a value.
var connectParams = map[string]bool{
	"appid": true, "organization": true, "certificatefilepath": true, "certificatepassword": true,
	"certificatethumbprint": true, "credential": true, "userprincipalname": true, "device": false,
	"accesstoken": true, "managedidentity": false, "managedidentityaccountid": true,
	"exchangeenvironmentname": true, "connectionuri": true, "azureadauthorizationendpointuri": true,
	"delegatedorganization": true, "prefix": true, "commandname": true, "pagesize": true,
	"usemultithreading": false, "showbanner": false, "skiploadingformatdata": false,
}

// paramMap indexes parameters by lower-cased name, refusing unknown ones.
func paramMap(params []Param, known map[string]bool, command string) (map[string]Param, error) {
	out := map[string]Param{}
	for _, p := range params {
		key := strings.ToLower(p.Name)
		takesValue, ok := known[key]
		switch {
		case !ok:
			return nil, usagef("%s has no parameter -%s", command, p.Name)
		case takesValue && p.Switch:
			return nil, usagef("-%s needs a value", p.Name)
		case !takesValue && p.Value.Kind != KindBool:
			return nil, usagef("-%s is a switch: write -%s or -%s:$false", p.Name, p.Name, p.Name)
		}
		out[key] = p
	}
	return out, nil
}

func text(m map[string]Param, key string) string {
	p, ok := m[key]
	if !ok || p.Value.Kind == KindNull {
		return ""
	}
	return unquote(p.Raw)
}

func flag(m map[string]Param, key string, def bool) bool {
	p, ok := m[key]
	if !ok {
		return def
	}
	return p.Value.Kind == KindBool && p.Value.Bool
}

func texts(m map[string]Param, key string) []string {
	p, ok := m[key]
	if !ok {
		return nil
	}
	if p.Value.Kind == KindList {
		out := make([]string, 0, len(p.Value.List))
		for _, v := range p.Value.List {
			out = append(out, v.Str)
		}
		return out
	}
	return []string{p.Value.Str}
}

// connectRequest builds the Connect call, choosing the flow as
// Connect-ExchangeOnline does: -AccessToken, -ManagedIdentity, a
// certificate with -AppId, -Credential, -Device, else the browser.
func (a *app) connectRequest(args []string, ipps bool) (*exov1.ConnectRequest, error) {
	params, positional, err := ParseParams(args)
	if err != nil {
		return nil, err
	}
	if len(positional) > 0 {
		return nil, usagef("connect takes no positional value (%q)", describe(positional[0]))
	}
	m, err := paramMap(params, connectParams, "connect")
	if err != nil {
		return nil, err
	}
	req := &exov1.ConnectRequest{
		ClientSession: a.session, ConnectionUri: text(m, "connectionuri"), AuthorityUri: text(m, "azureadauthorizationendpointuri"),
		SecurityCompliance: ipps, UserPrincipalName: text(m, "userprincipalname"), AppId: text(m, "appid"),
		Organization: text(m, "organization"), DelegatedOrganization: text(m, "delegatedorganization"),
		Prefix: text(m, "prefix"), ShowBanner: flag(m, "showbanner", false),
		ManagedIdentityAccountId: text(m, "managedidentityaccountid"),
	}
	if !ipps {
		req.ExchangeEnvironmentName = text(m, "exchangeenvironmentname")
		if req.ExchangeEnvironmentName == "" {
			req.ExchangeEnvironmentName = "O365Default"
		}
		req.DisableMultithreading = !flag(m, "usemultithreading", true)
		if s := text(m, "pagesize"); s != "" {
			n, err := strconv.ParseUint(s, 10, 32)
			if err != nil || n < 1 || n > 1000 {
				return nil, usagef("-PageSize takes 1 to 1000")
			}
			req.PageSize = uint32(n)
		}
	}
	if names := texts(m, "commandname"); len(names) > 0 && !(len(names) == 1 && names[0] == "*") {
		req.CommandName = names
	}
	switch {
	case m["accesstoken"].Name != "":
		req.Flow = exov1.SignInFlow_SIGN_IN_FLOW_ACCESS_TOKEN
		req.AccessToken = text(m, "accesstoken")
		if req.AccessToken == "-" {
			if req.AccessToken, err = a.secret("EXOCTL_ACCESS_TOKEN", "-AccessToken -"); err != nil {
				return nil, err
			}
		}
	case flag(m, "managedidentity", false):
		req.Flow = exov1.SignInFlow_SIGN_IN_FLOW_MANAGED_IDENTITY
		req.ManagedIdentityEndpoint = a.env.Getenv("IDENTITY_ENDPOINT")
		req.ManagedIdentityHeader = a.env.Getenv("IDENTITY_HEADER")
	case text(m, "certificatethumbprint") != "":
		return nil, usagef("-CertificateThumbprint needs a certificate store; export the certificate with its key and use -CertificateFilePath")
	case req.AppId != "" && text(m, "certificatefilepath") != "":
		req.Flow = exov1.SignInFlow_SIGN_IN_FLOW_CERTIFICATE
		if req.CertificatePkcs12, err = readFile(text(m, "certificatefilepath"), "-CertificateFilePath"); err != nil {
			return nil, err
		}
		// The password stays off the command line unless given there.
		req.CertificatePassword = text(m, "certificatepassword")
		if req.CertificatePassword == "" || req.CertificatePassword == "-" {
			req.CertificatePassword = a.env.Getenv("EXOCTL_CERTIFICATE_PASSWORD")
		}
	case text(m, "credential") != "":
		req.Flow = exov1.SignInFlow_SIGN_IN_FLOW_PASSWORD
		req.UserPrincipalName = text(m, "credential")
		if req.Password, err = a.secret("EXOCTL_PASSWORD", "the password of -Credential"); err != nil {
			return nil, err
		}
	case flag(m, "device", false):
		req.Flow = exov1.SignInFlow_SIGN_IN_FLOW_DEVICE_CODE
	default:
		req.Flow = exov1.SignInFlow_SIGN_IN_FLOW_INTERACTIVE
		req.Browser = true
	}
	if ca := a.env.Getenv("EXOD_TRUSTED_CA"); ca != "" {
		if req.TrustedCaPem, err = readFile(ca, "$EXOD_TRUSTED_CA"); err != nil {
			return nil, err
		}
	}
	return req, nil
}

func (a *app) connect(ctx context.Context, args []string, ipps bool) error {
	req, err := a.connectRequest(args, ipps)
	if err != nil {
		return err
	}
	cc, err := a.conn(ctx)
	if err != nil {
		return err
	}
	stream, err := exov1.NewConnectionServiceClient(cc).Connect(ctx, req)
	if err != nil {
		return err
	}
	for {
		ev, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return errors.New("the daemon ended Connect without a connection")
		}
		if err != nil {
			return err
		}
		switch e := ev.GetEvent().(type) {
		case *exov1.ConnectResponse_Prompt:
			a.p.Note(e.Prompt)
		case *exov1.ConnectResponse_Banner:
			a.p.Note(e.Banner)
		case *exov1.ConnectResponse_OpenUrl:
			a.p.Note("Open this page in a browser on this computer to sign in: " + e.OpenUrl)
		case *exov1.ConnectResponse_Connection:
			return a.printConnections([]*exov1.Connection{e.Connection})
		}
	}
}

// selectorParams are the parameters of connections and disconnect.
var selectorParams = map[string]bool{"connectionid": true, "moduleprefix": true}

func (a *app) selector(args []string, command string) (ids, prefixes []string, err error) {
	params, positional, err := ParseParams(args)
	if err != nil {
		return nil, nil, err
	}
	if len(positional) > 0 {
		return nil, nil, usagef("%s takes no positional value (%q)", command, describe(positional[0]))
	}
	m, err := paramMap(params, selectorParams, command)
	if err != nil {
		return nil, nil, err
	}
	return texts(m, "connectionid"), texts(m, "moduleprefix"), nil
}

func (a *app) connections(ctx context.Context, args []string) error {
	ids, prefixes, err := a.selector(args, "connections")
	if err != nil {
		return err
	}
	cc, err := a.conn(ctx)
	if err != nil {
		return err
	}
	resp, err := exov1.NewConnectionServiceClient(cc).ListConnections(ctx, &exov1.ListConnectionsRequest{
		ClientSession: a.session, ConnectionId: ids, ModulePrefix: prefixes,
	})
	if err != nil {
		return err
	}
	return a.printConnections(resp.GetConnections())
}

func (a *app) disconnect(ctx context.Context, args []string) error {
	ids, prefixes, err := a.selector(args, "disconnect")
	if err != nil {
		return err
	}
	cc, err := a.conn(ctx)
	if err != nil {
		return err
	}
	resp, err := exov1.NewConnectionServiceClient(cc).Disconnect(ctx, &exov1.DisconnectRequest{
		ClientSession: a.session, ConnectionId: ids, ModulePrefix: prefixes,
	})
	if err != nil {
		return err
	}
	for _, id := range resp.GetConnectionId() {
		if err := a.p.Object(mustJSON(map[string]string{"ConnectionId": id})); err != nil {
			return err
		}
	}
	return nil
}

// printConnections prints connections as the Connection message's proto3
// JSON, every field present.
func (a *app) printConnections(conns []*exov1.Connection) error {
	if a.opts.columns == nil && a.p.format == FormatTable {
		a.p.columns = []string{"id", "connectionId", "name", "state", "userPrincipalName", "appId", "organization", "modulePrefix", "tokenStatus"}
	}
	for _, c := range conns {
		b, err := protoJSON(c)
		if err != nil {
			return err
		}
		if err := a.p.Object(b); err != nil {
			return err
		}
	}
	return nil
}

func protoJSON(m proto.Message) (json.RawMessage, error) {
	b, err := protojson.MarshalOptions{EmitUnpopulated: true}.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encode %T: %w", m, err)
	}
	// protojson varies its spacing on purpose; lines must be stable.
	var out bytes.Buffer
	if err := json.Compact(&out, b); err != nil {
		return nil, fmt.Errorf("encode %T: %w", m, err)
	}
	return out.Bytes(), nil
}

func mustJSON(v map[string]string) json.RawMessage {
	b, _ := json.Marshal(v) // a map of strings always encodes
	return b
}

func (a *app) version(ctx context.Context, args []string) error {
	if len(args) > 0 {
		return usagef("version takes no parameters")
	}
	cc, err := a.conn(ctx)
	if err != nil {
		return err
	}
	d := exov1.NewDaemonServiceClient(cc)
	v, err := d.GetVersion(ctx, &exov1.GetVersionRequest{})
	if err != nil {
		return err
	}
	st, err := d.GetStatus(ctx, &exov1.GetStatusRequest{})
	if err != nil {
		return err
	}
	b, err := json.Marshal(map[string]any{
		"version": v.GetVersion(), "commit": v.GetCommit(), "apiVersion": st.GetApiVersion(),
		"apiReleasedSha256": st.GetApiReleasedSha256(), "moduleSurface": v.GetModuleSurface(), "pid": st.GetPid(),
	})
	if err != nil {
		return fmt.Errorf("encode the version: %w", err)
	}
	return a.p.Object(b)
}
