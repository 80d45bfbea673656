package rpc

import (
	"context"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/openexo/exo/internal/connection"
	exov1 "github.com/openexo/exo/proto/exo/v1"
)

// ConnectionServer serves exo.v1.ConnectionService.
type ConnectionServer struct {
	exov1.UnimplementedConnectionServiceServer
	mgr *connection.Manager
}

// NewConnectionServer returns the service over mgr.
func NewConnectionServer(mgr *connection.Manager) *ConnectionServer {
	return &ConnectionServer{mgr: mgr}
}

var flows = map[exov1.SignInFlow]connection.Flow{
	exov1.SignInFlow_SIGN_IN_FLOW_UNSPECIFIED:      connection.FlowAuto,
	exov1.SignInFlow_SIGN_IN_FLOW_INTERACTIVE:      connection.FlowInteractive,
	exov1.SignInFlow_SIGN_IN_FLOW_DEVICE_CODE:      connection.FlowDeviceCode,
	exov1.SignInFlow_SIGN_IN_FLOW_PASSWORD:         connection.FlowPassword,
	exov1.SignInFlow_SIGN_IN_FLOW_CERTIFICATE:      connection.FlowCertificate,
	exov1.SignInFlow_SIGN_IN_FLOW_ACCESS_TOKEN:     connection.FlowAccessToken,
	exov1.SignInFlow_SIGN_IN_FLOW_MANAGED_IDENTITY: connection.FlowManagedIdentity,
}

// Connect signs in, streaming prompts, and ends with the connection.
func (s *ConnectionServer) Connect(req *exov1.ConnectRequest, stream exov1.ConnectionService_ConnectServer) error {
	flow, ok := flows[req.GetFlow()]
	if !ok {
		return invalidField("flow", "unknown sign-in flow %v", req.GetFlow())
	}
	if req.GetCertificateThumbprint() != "" && len(req.GetCertificatePkcs12()) == 0 {
		return invalidField("certificate_thumbprint", "the daemon cannot read the client's certificate stores: look certificate %s up and send it as certificate_pkcs12", req.GetCertificateThumbprint())
	}
	var sendErr error
	send := func(ev *exov1.ConnectResponse) {
		if sendErr == nil {
			sendErr = stream.Send(ev)
		}
	}
	prompt := func(text string) { send(&exov1.ConnectResponse{Event: &exov1.ConnectResponse_Prompt{Prompt: text}}) }
	banner := func(text string) { send(&exov1.ConnectResponse{Event: &exov1.ConnectResponse_Banner{Banner: text}}) }
	var openURL func(string) error
	if req.GetBrowser() {
		openURL = func(u string) error {
			send(&exov1.ConnectResponse{Event: &exov1.ConnectResponse_OpenUrl{OpenUrl: u}})
			return sendErr
		}
	}
	c, err := s.mgr.Connect(stream.Context(), connection.Request{
		ClientSession:               req.GetClientSession(),
		ConnectionURI:               req.GetConnectionUri(),
		AuthorityURI:                req.GetAuthorityUri(),
		EnvironmentName:             req.GetExchangeEnvironmentName(),
		SecurityCompliance:          req.GetSecurityCompliance(),
		Flow:                        flow,
		UserPrincipalName:           req.GetUserPrincipalName(),
		Password:                    req.GetPassword(),
		AppID:                       req.GetAppId(),
		Organization:                req.GetOrganization(),
		DelegatedOrganization:       req.GetDelegatedOrganization(),
		CertificatePKCS12:           req.GetCertificatePkcs12(),
		CertificatePassword:         req.GetCertificatePassword(),
		AccessToken:                 req.GetAccessToken(),
		ManagedIdentityAccountID:    req.GetManagedIdentityAccountId(),
		ManagedIdentityEndpoint:     req.GetManagedIdentityEndpoint(),
		ManagedIdentityHeader:       req.GetManagedIdentityHeader(),
		ManagedIdentityIMDSEndpoint: req.GetManagedIdentityImdsEndpoint(),
		LogDirectory:                req.GetLogDirectory(),
		LogLevel:                    req.GetLogLevel(),
		TrackPerformance:            req.GetTrackPerformance(),
		Prefix:                      req.GetPrefix(),
		CommandName:                 req.GetCommandName(),
		PageSize:                    req.GetPageSize(),
		DisableMultithreading:       req.GetDisableMultithreading(),
		ShowBanner:                  req.GetShowBanner(),
		TrustedCAPEM:                req.GetTrustedCaPem(),
	}, connection.Events{Prompt: prompt, Banner: banner, OpenURL: openURL})
	if err != nil {
		return err
	}
	if sendErr != nil {
		return sendErr
	}
	snap := s.mgr.List(stream.Context(), req.GetClientSession(), connection.Selector{ConnectionIDs: []string{c.ID}})
	if len(snap) != 1 {
		// Disconnected by a parallel call before we could report it.
		return invalidArgument("connection %s was closed before Connect returned", c.ID)
	}
	return stream.Send(&exov1.ConnectResponse{Event: &exov1.ConnectResponse_Connection{Connection: toConnection(snap[0])}})
}

// Disconnect closes the selected connections.
func (s *ConnectionServer) Disconnect(ctx context.Context, req *exov1.DisconnectRequest) (*exov1.DisconnectResponse, error) {
	ids := s.mgr.Disconnect(ctx, req.GetClientSession(), connection.Selector{ConnectionIDs: req.GetConnectionId(), ModulePrefix: req.GetModulePrefix()})
	return &exov1.DisconnectResponse{ConnectionId: ids}, nil
}

// ListConnections returns the selected connections in creation order.
func (s *ConnectionServer) ListConnections(ctx context.Context, req *exov1.ListConnectionsRequest) (*exov1.ListConnectionsResponse, error) {
	snaps := s.mgr.List(ctx, req.GetClientSession(), connection.Selector{ConnectionIDs: req.GetConnectionId(), ModulePrefix: req.GetModulePrefix()})
	out := &exov1.ListConnectionsResponse{Connections: make([]*exov1.Connection, 0, len(snaps))}
	for _, sn := range snaps {
		out.Connections = append(out.Connections, toConnection(sn))
	}
	return out, nil
}

func toConnection(sn connection.Snapshot) *exov1.Connection {
	state, token := "Connected", "Active"
	if !sn.TokenActive {
		token = "Expired"
	}
	return &exov1.Connection{
		ConnectionId:                    sn.ID,
		State:                           state,
		Id:                              int32(sn.Number),
		Name:                            sn.Name,
		UserPrincipalName:               sn.UserPrincipalName,
		ConnectionUri:                   sn.RESTBase,
		AzureAdAuthorizationEndpointUri: sn.Authority,
		TokenExpiryTime:                 timestamppb.New(sn.TokenExpiry),
		CertificateAuthentication:       sn.CertificateAuth,
		ModuleName:                      "",
		ModulePrefix:                    sn.Prefix,
		Organization:                    sn.Organization,
		DelegatedOrganization:           sn.DelegatedOrganization,
		AppId:                           sn.AppID,
		PageSize:                        sn.PageSize,
		TenantId:                        sn.TenantID,
		TokenStatus:                     token,
		ConnectionUsedForInbuiltCmdlets: sn.UsedForInbuilt,
		IsEopSession:                    sn.SecurityCompliance,
	}
}
