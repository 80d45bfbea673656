package rpc

import (
	"context"

	"go.uber.org/zap"

	"github.com/openexo/exo/internal/auth"
	"github.com/openexo/exo/internal/catalog"
	"github.com/openexo/exo/internal/connection"
	exov1 "github.com/openexo/exo/proto/exo/v1"
)

// catalogCacheSize bounds the catalogues kept in memory: more than a
// session's connections at once, and an evicted one only costs a fetch.
const catalogCacheSize = 32

// CommandServer serves exo.v1.CommandService.
type CommandServer struct {
	exov1.UnimplementedCommandServiceServer
	mgr      *connection.Manager
	catalogs *catalog.Cache
	log      *zap.Logger
}

// NewCommandServer returns the service over mgr's connections.
func NewCommandServer(mgr *connection.Manager, log *zap.Logger) *CommandServer {
	if log == nil {
		log = zap.NewNop()
	}
	return &CommandServer{mgr: mgr, catalogs: catalog.NewCache(catalogCacheSize), log: log}
}

// GetCatalog returns the connection's catalogue, fetched once per
// connection.
func (s *CommandServer) GetCatalog(ctx context.Context, req *exov1.GetCatalogRequest) (*exov1.GetCatalogResponse, error) {
	c, err := s.mgr.Find(ctx, req.GetClientSession(), req.GetConnectionId())
	if err != nil {
		return nil, err
	}
	cat, err := s.catalog(ctx, c)
	if err != nil {
		return nil, err
	}
	return &exov1.GetCatalogResponse{
		ConnectionId: c.ID, ModuleScript: cat.ModuleScript, ExportedCmdlets: cat.Cmdlets, Sha256: cat.SHA256,
	}, nil
}

// catalog is c's catalogue, from the cache or the service.
func (s *CommandServer) catalog(ctx context.Context, c *connection.Connection) (*catalog.Catalog, error) {
	return s.catalogs.Get(ctx, c.ID, func(ctx context.Context) (*catalog.Catalog, error) {
		tok, err := c.Token(ctx, auth.TokenOptions{})
		if err != nil {
			return nil, err
		}
		cat, err := catalog.Fetch(ctx, catalog.Source{
			Client: c.Admin(), Base: c.RESTBase, Tenant: tok.TenantID, Anchor: c.AnchorMailbox(tok),
			CommandName: c.CommandName,
		})
		if err != nil {
			return nil, err
		}
		s.log.Info("cmdlet catalogue fetched", zap.String("connection_id", c.ID),
			zap.Int("cmdlets", len(cat.Cmdlets)), zap.Bool("public_key", cat.PublicKey != nil))
		return cat, nil
	})
}
