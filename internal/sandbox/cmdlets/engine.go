// Package cmdlets is the sandbox tenant's cmdlet engine: it implements
// adminapi.Backend over a store.Store, running the classic Exchange Online
// cmdlets (Get-Mailbox, Set-Mailbox, the permission, folder, group and
// organization cmdlets) and a few Security & Compliance ones with Exchange
// Online's semantics: identity resolution, OPATH -Filter, -ResultSize with
// its pagination warning, keyset paging, -WhatIf and RBAC. It also serves
// the OData entity routes of the nine Get-EXO* cmdlets (Engine.Query,
// entity.go) with the same classic cmdlets' logic behind them.
//
// An Engine serves one endpoint: Exchange Online, or with
// Options.Compliance the Security & Compliance endpoint that
// Connect-IPPSSession uses. A sandbox runs one engine of each kind over the
// same store, behind two admin API servers. Within its endpoint an engine
// lists the cmdlets the caller's role names grant (rbac.go).
package cmdlets

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/store"
)

// Options configures an Engine.
type Options struct {
	// Logger receives write and failure logs; nil discards them.
	Logger *zap.Logger
	// Now is the clock for objects the engine creates itself (compliance
	// searches); nil means time.Now.
	Now func() time.Time
	// Compliance makes the engine the Security & Compliance endpoint: it
	// serves the S&C catalogue instead of the Exchange Online one.
	Compliance bool
	// MaxUpdateMembers is how many members one Update-DistributionGroupMember
	// or Update-RoleGroupMember call may set; a longer list fails and
	// changes nothing. 0 means DefaultMaxUpdateMembers.
	MaxUpdateMembers int
}

// Engine runs cmdlets against one tenant store. It is safe for concurrent
// use.
type Engine struct {
	st  *store.Store
	log *zap.Logger
	now func() time.Time
	ep  endpoint

	catMu    sync.Mutex
	catalogs map[grant][]adminapi.CmdletInfo

	dcMu sync.Mutex
	dc   string // domain controller named in not-found errors, once known

	searches         *searchBook
	auditSessions    *auditSessions
	maxUpdateMembers int
}

var _ adminapi.Backend = (*Engine)(nil)

// New returns an engine over st.
func New(st *store.Store, opts Options) *Engine {
	if opts.Logger == nil {
		opts.Logger = zap.NewNop()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxUpdateMembers <= 0 {
		opts.MaxUpdateMembers = DefaultMaxUpdateMembers
	}
	ep := exchangeEndpoint
	if opts.Compliance {
		ep = complianceEndpoint
	}
	return &Engine{
		ep:               ep,
		st:               st,
		log:              opts.Logger,
		now:              opts.Now,
		catalogs:         map[grant][]adminapi.CmdletInfo{},
		searches:         newSearchBook(),
		auditSessions:    newAuditSessions(),
		maxUpdateMembers: opts.MaxUpdateMembers,
	}
}

// ResolveTenant maps a tenant GUID or one of the tenant's accepted domains
// to the tenant GUID.
func (e *Engine) ResolveTenant(ctx context.Context, ref string) (string, error) {
	t, err := e.st.Tenant(ctx)
	if errors.Is(err, store.ErrNoTenant) {
		return "", adminapi.ErrTenantNotFound
	}
	if err != nil {
		return "", fmt.Errorf("resolve tenant: %w", err)
	}
	ref = strings.Trim(strings.TrimSpace(ref), "{}")
	if strings.EqualFold(ref, t.ID) || strings.EqualFold(ref, t.InitialDomain) {
		return t.ID, nil
	}
	for _, d := range t.AcceptedDomains {
		if strings.EqualFold(ref, d.DomainName) {
			return t.ID, nil
		}
	}
	return "", adminapi.ErrTenantNotFound
}

// Invoke runs one page of a cmdlet.
func (e *Engine) Invoke(ctx context.Context, caller adminapi.Caller, call adminapi.CmdletCall, page adminapi.Page) (adminapi.Result, error) {
	c, ok := lookupCmdlet(call.Name)
	// The protocol layer already refused cmdlets outside the catalogue;
	// this keeps the engine safe when it is driven directly.
	if !ok || !e.serves(c, caller) {
		return adminapi.Result{}, commandNotFound(call.Name)
	}
	if page.MaxPageSize <= 0 || page.MaxPageSize > adminapi.MaxPageSize {
		page.MaxPageSize = adminapi.MaxPageSize
	}
	req := &request{c: c, caller: caller, call: call, page: page}
	res, err := c.run(ctx, e, req)
	if err != nil {
		var ce *adminapi.CmdletError
		if !errors.As(err, &ce) {
			e.log.Error("cmdlet failed", zap.String("cmdlet", c.info.Name), zap.Error(err))
		}
		return adminapi.Result{}, err
	}
	if c.info.SupportsShouldProcess && !call.WhatIf && page.Cursor == "" {
		e.log.Info("cmdlet changed the tenant", zap.String("cmdlet", c.info.Name),
			zap.String("caller", caller.UPN+caller.AppID), zap.Any("identity", call.Params["Identity"]))
		e.audit(ctx, caller, call)
	}
	return res, nil
}

// commandNotFound refuses a cmdlet that does not exist or that the
// caller's roles do not grant.
func commandNotFound(name string) *adminapi.CmdletError {
	return &adminapi.CmdletError{Class: adminapi.ClassCommandNotFound, Status: 403, Message: fmt.Sprintf(
		"The term '%s' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.", name)}
}

// domainController names the DC that Exchange's not-found errors mention:
// the OriginatingServer every object of the tenant carries.
func (e *Engine) domainController(ctx context.Context) string {
	e.dcMu.Lock()
	defer e.dcMu.Unlock()
	if e.dc != "" {
		return e.dc
	}
	rs, err := e.st.ListRecipients(ctx, store.RecipientQuery{Scope: store.ScopeAll, Limit: 1})
	if err == nil && len(rs) == 1 {
		if s, _ := rs[0].Props["OriginatingServer"].(string); s != "" {
			e.dc = strings.ToUpper(s)
			return e.dc
		}
	}
	// An empty tenant has no object to ask; don't cache the stand-in.
	return "SBXPR01A001DC001.SBXPR01A001.PROD.OUTLOOK.COM"
}
