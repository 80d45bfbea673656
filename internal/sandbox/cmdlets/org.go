package cmdlets

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/store"
)

var (
	tnAcceptedDomain = []string{
		"Microsoft.Exchange.Data.Directory.SystemConfiguration.AcceptedDomain",
		"Microsoft.Exchange.Data.Directory.ADConfigurationObject",
		"Microsoft.Exchange.Data.Directory.ADObject",
		"Microsoft.Exchange.Data.ConfigurableObject",
		"System.Object",
	}
	organizationConfigView = newView([]string{
		"Microsoft.Exchange.Data.Directory.Management.OrganizationConfig",
		"Microsoft.Exchange.Data.Directory.ADPresentationObject",
		"Microsoft.Exchange.Data.ConfigurableObject",
		"System.Object",
	}, true, []string{"Name", "DisplayName", "Identity", "Id", "Guid", "ExchangeVersion", "DistinguishedName",
		"OrganizationId", "AdminDisplayVersion", "IsDehydrated", "IsMixedMode"})
)

func orgCmdlets() []*cmdlet {
	return []*cmdlet{
		{
			info:      adminapi.CmdletInfo{Name: "Get-AcceptedDomain", Parameters: []param{identityParam(false, true), resultSizeParam()}},
			endpoints: exchangeEndpoint | complianceEndpoint,
			needs:     readOrg,
			run:       getAcceptedDomain,
		},
		{
			info:      adminapi.CmdletInfo{Name: "Get-OrganizationConfig"},
			endpoints: exchangeEndpoint,
			needs:     readOrg,
			run: func(ctx context.Context, e *Engine, _ *request) (adminapi.Result, error) {
				cfg, err := e.organizationConfig(ctx)
				if err != nil {
					return adminapi.Result{}, err
				}
				return single(organizationConfigView.record(cfg)), nil
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "Set-OrganizationConfig", SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmMedium,
				NoBatching: true, Parameters: settingParams(orgSettings())},
			endpoints: exchangeEndpoint,
			needs:     writeOrg,
			run:       setOrganizationConfig,
		},
	}
}

func orgSettings() []setting {
	return []setting{
		boolSetting("AuditDisabled"), boolSetting("BookingsEnabled"), boolSetting("ConnectorsEnabled"),
		boolSetting("CustomerLockboxEnabled"), boolSetting("FocusedInboxOn"), boolSetting("LinkPreviewEnabled"),
		boolSetting("MailTipsAllTipsEnabled"), boolSetting("MailTipsExternalRecipientsTipsEnabled"),
		boolSetting("MailTipsGroupMetricsEnabled"),
		{param: param{Name: "MailTipsLargeAudienceThreshold", Kind: adminapi.KindInt, Range: &adminapi.IntRange{Min: 0, Max: 1000}}},
		boolSetting("OAuth2ClientProfileEnabled"), boolSetting("ReadTrackingEnabled"), boolSetting("SendFromAliasEnabled"),
	}
}

// organizationConfig is the stored config, or for a tenant without one the
// identity part Exchange always prints.
func (e *Engine) organizationConfig(ctx context.Context) (map[string]any, error) {
	cfg, err := e.st.OrganizationConfig(ctx)
	if err == nil {
		return cfg, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("organization config: %w", err)
	}
	t, err := e.st.Tenant(ctx)
	if err != nil {
		return nil, fmt.Errorf("organization config: %w", err)
	}
	return map[string]any{"Name": t.InitialDomain, "DisplayName": t.DisplayName, "Identity": t.InitialDomain,
		"Id": t.InitialDomain, "Guid": uuid.NewSHA1(tenantNamespace(t), []byte("OrganizationConfig")).String(),
		"IsValid": true, "ObjectState": "Unchanged"}, nil
}

func setOrganizationConfig(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	cur, err := e.organizationConfig(ctx)
	if err != nil {
		return adminapi.Result{}, err
	}
	upd, err := e.changes(ctx, r, orgSettings(), cur)
	if err != nil {
		return adminapi.Result{}, err
	}
	id := propString(cur, "Identity")
	if r.call.WhatIf {
		return adminapi.Result{ConfirmationMessage: fmt.Sprintf("Setting organization configuration \"%s\".", id)}, nil
	}
	if len(upd) == 0 {
		return adminapi.Result{Warnings: []string{noChangeWarning(id)}}, nil
	}
	if _, err := e.st.UpdateOrganizationConfig(ctx, upd); err != nil {
		return adminapi.Result{}, fmt.Errorf("update organization config: %w", err)
	}
	return adminapi.Result{}, nil
}

// tenantNamespace derives stable GUIDs for objects the store doesn't keep.
func tenantNamespace(t store.Tenant) uuid.UUID {
	ns, err := uuid.Parse(t.ID)
	if err != nil {
		return uuid.Nil
	}
	return ns
}

func getAcceptedDomain(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	t, err := e.st.Tenant(ctx)
	if err != nil {
		return adminapi.Result{}, fmt.Errorf("accepted domains: %w", err)
	}
	domains := t.AcceptedDomains
	if r.has("Identity") {
		id := r.text("Identity")
		var found []store.AcceptedDomain
		for _, d := range domains {
			if strings.EqualFold(d.Name, id) || strings.EqualFold(d.DomainName, id) {
				found = append(found, d)
			}
		}
		if len(found) == 0 {
			return adminapi.Result{}, e.notFound(ctx, id)
		}
		domains = found
	}
	type entry struct {
		pos int64
		d   store.AcceptedDomain
	}
	entries := make([]entry, len(domains))
	for i, d := range domains {
		entries[i] = entry{int64(i + 1), d}
	}
	ns := tenantNamespace(t)
	return pageItems(r, entries, func(x entry) int64 { return x.pos }, func(x entry) adminapi.Record {
		d := x.d
		return adminapi.Record{TypeNames: tnAcceptedDomain, Properties: []adminapi.Property{
			{Name: "Name", Value: d.Name},
			{Name: "DomainName", Value: d.DomainName},
			{Name: "DomainType", Value: d.DomainType},
			{Name: "Default", Value: d.Default},
			{Name: "MatchSubDomains", Value: false},
			{Name: "AddressBookEnabled", Value: d.DomainType == "Authoritative"},
			{Name: "AuthenticationType", Value: "Managed"},
			{Name: "LiveIdInstanceType", Value: "Business"},
			{Name: "PendingRemoval", Value: false},
			{Name: "PendingCompletion", Value: false},
			{Name: "InitialDomain", Value: d.Initial},
			{Name: "IsCoexistenceDomain", Value: false},
			{Name: "OutboundOnly", Value: false},
			{Name: "ExchangeVersion", Value: "0.20 (15.0.0.0)"},
			{Name: "Identity", Value: d.Name},
			{Name: "Id", Value: d.Name},
			{Name: "Guid", Value: uuid.NewSHA1(ns, []byte("AcceptedDomain:"+d.DomainName))},
			{Name: "IsValid", Value: true},
			{Name: "ObjectState", Value: "Unchanged"},
		}}
	})
}
