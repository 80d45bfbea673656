package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/google/uuid"
)

// Tenant holds the tenant's identity facts.
type Tenant struct {
	ID              string // directory (tenant) ID, a GUID
	DisplayName     string // organization display name, e.g. "Contoso"
	InitialDomain   string // e.g. "contoso.onmicrosoft.com"
	AcceptedDomains []AcceptedDomain
}

// AcceptedDomain is one row of Get-AcceptedDomain.
type AcceptedDomain struct {
	Name       string // usually the domain name
	DomainName string
	DomainType string // Authoritative, InternalRelay or ExternalRelay
	Default    bool   // the domain new addresses use
	Initial    bool   // the <name>.onmicrosoft.com domain
}

// DefaultDomain is the accepted domain marked Default, else the initial domain.
func (t Tenant) DefaultDomain() string {
	for _, d := range t.AcceptedDomains {
		if d.Default {
			return d.DomainName
		}
	}
	return t.InitialDomain
}

// SetTenant records the tenant facts, replacing any earlier ones. The initial
// domain is added to the accepted domains when missing, and when no domain is
// marked Default the initial domain becomes the default.
func (s *Store) SetTenant(ctx context.Context, t Tenant) error {
	id, err := uuid.Parse(t.ID)
	if err != nil {
		return fmt.Errorf("%w: tenant ID %q: %w", ErrInvalid, t.ID, err)
	}
	t.ID = id.String()
	t.InitialDomain = strings.ToLower(strings.TrimSpace(t.InitialDomain))
	if t.InitialDomain == "" {
		return fmt.Errorf("%w: tenant initial domain is empty", ErrInvalid)
	}
	t.AcceptedDomains = normalizeDomains(t)
	if err := s.write(ctx, func(tx *sql.Tx) error { return storeTenant(ctx, tx, t) }); err != nil {
		return err
	}
	// Tenant-wide values are part of every base; rebuild them on next use.
	s.forgetTenant()
	return nil
}

// storeTenant writes normalized tenant facts.
func storeTenant(ctx context.Context, tx *sql.Tx, t Tenant) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO tenant (id, tenant_id, display_name, initial_domain) VALUES (1, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET tenant_id = excluded.tenant_id, display_name = excluded.display_name, initial_domain = excluded.initial_domain`,
		t.ID, t.DisplayName, t.InitialDomain); err != nil {
		return fmt.Errorf("store tenant: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM accepted_domains`); err != nil {
		return fmt.Errorf("store accepted domains: %w", err)
	}
	for _, d := range t.AcceptedDomains {
		if _, err := tx.ExecContext(ctx, `INSERT INTO accepted_domains (domain_name, name, domain_type, is_default, is_initial) VALUES (?, ?, ?, ?, ?)`,
			d.DomainName, d.Name, d.DomainType, d.Default, d.Initial); err != nil {
			if isUniqueViolation(err) {
				return fmt.Errorf("%w: accepted domain %s listed twice", ErrConflict, d.DomainName)
			}
			return fmt.Errorf("store accepted domain %s: %w", d.DomainName, err)
		}
	}
	return nil
}

// normalizeDomains lower-cases the accepted domains and makes sure the
// initial domain is among them and exactly one is the default.
func normalizeDomains(t Tenant) []AcceptedDomain {
	var out []AcceptedDomain
	hasInitial, hasDefault := false, false
	for _, d := range t.AcceptedDomains {
		d.DomainName = strings.ToLower(strings.TrimSpace(d.DomainName))
		if d.Name == "" {
			d.Name = d.DomainName
		}
		if d.DomainType == "" {
			d.DomainType = "Authoritative"
		}
		d.Initial = d.DomainName == t.InitialDomain
		hasInitial = hasInitial || d.Initial
		d.Default = d.Default && !hasDefault // at most one default
		hasDefault = hasDefault || d.Default
		out = append(out, d)
	}
	if !hasInitial {
		out = append(out, AcceptedDomain{Name: t.InitialDomain, DomainName: t.InitialDomain, DomainType: "Authoritative", Initial: true})
	}
	if !hasDefault {
		for i := range out {
			out[i].Default = out[i].Initial
		}
	}
	return out
}

// Tenant returns the tenant facts, or ErrNoTenant.
func (s *Store) Tenant(ctx context.Context) (Tenant, error) {
	return readTenant(ctx, s.db)
}

func readTenant(ctx context.Context, q querier) (Tenant, error) {
	var t Tenant
	err := q.QueryRowContext(ctx, `SELECT tenant_id, display_name, initial_domain FROM tenant WHERE id = 1`).
		Scan(&t.ID, &t.DisplayName, &t.InitialDomain)
	if errors.Is(err, sql.ErrNoRows) {
		return Tenant{}, ErrNoTenant
	}
	if err != nil {
		return Tenant{}, fmt.Errorf("read tenant: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT name, domain_name, domain_type, is_default, is_initial FROM accepted_domains
		ORDER BY is_initial, domain_name`)
	if err != nil {
		return Tenant{}, fmt.Errorf("read accepted domains: %w", err)
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		var d AcceptedDomain
		if err := rows.Scan(&d.Name, &d.DomainName, &d.DomainType, &d.Default, &d.Initial); err != nil {
			return Tenant{}, fmt.Errorf("read accepted domains: %w", err)
		}
		t.AcceptedDomains = append(t.AcceptedDomains, d)
	}
	if err := rows.Err(); err != nil {
		return Tenant{}, fmt.Errorf("read accepted domains: %w", err)
	}
	return t, nil
}

// forest names the (simulated) Exchange Online forest a tenant lives in,
// derived from its ID so every tenant gets a stable, plausible one.
type forest struct {
	org     string // e.g. NAMPR04A012: the organization's container
	region  string // e.g. NAMPR04
	servers string // e.g. SA1PR04: mailbox server name prefix
}

func forestOf(tenantID string) forest {
	h := fnv.New64a()
	_, _ = h.Write([]byte(tenantID))
	n := h.Sum64()
	regions := []struct{ name, servers string }{
		{"NAMPR", "SA1PR"}, {"NAMPR", "BY5PR"}, {"EURPR", "AM6PR"}, {"EURPR", "DB8PR"}, {"APCPR", "SG2PR"}, {"GBRPR", "LO2PR"},
	}
	r := regions[n%uint64(len(regions))]
	num := fmt.Sprintf("%02d", 1+(n>>8)%8)
	return forest{
		org:     fmt.Sprintf("%s%sA%03d", r.name, num, 1+(n>>16)%120),
		region:  r.name + num,
		servers: r.servers + num,
	}
}

// domainDN is the forest's DC= path.
func (f forest) domainDN() string {
	return "DC=" + f.org + ",DC=PROD,DC=OUTLOOK,DC=COM"
}

// fqdn is the forest's DNS name.
func (f forest) fqdn() string {
	return f.org + ".PROD.OUTLOOK.COM"
}

// organizationID is the OrganizationId Exchange prints for every object.
func (f forest) organizationID(initialDomain string) string {
	return f.fqdn() + "/Microsoft Exchange Hosted Organizations/" + initialDomain + " - " +
		f.fqdn() + "/ConfigurationUnits/" + initialDomain + "/Configuration"
}

// distinguishedName is the DN of a recipient named name.
func (f forest) distinguishedName(initialDomain, name string) string {
	return "CN=" + escapeDNValue(name) + ",OU=" + initialDomain + ",OU=Microsoft Exchange Hosted Organizations," + f.domainDN()
}

// escapeDNValue escapes the characters RFC 4514 reserves in a CN value.
func escapeDNValue(s string) string {
	var b strings.Builder
	for i, c := range s {
		switch {
		case strings.ContainsRune(`,+"\<>;=`, c), c == '#' && i == 0:
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// OrganizationConfig returns the Get-OrganizationConfig property bag.
func (s *Store) OrganizationConfig(ctx context.Context) (map[string]any, error) {
	var text string
	err := s.db.QueryRowContext(ctx, `SELECT props FROM organization_config WHERE id = 1`).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("organization config: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read organization config: %w", err)
	}
	return decodeProps(text)
}

// UpdateOrganizationConfig merges props into the organization config
// (creating it if missing) and returns the result.
func (s *Store) UpdateOrganizationConfig(ctx context.Context, props map[string]any) (map[string]any, error) {
	upd, err := canonicalProps(props)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	err = s.write(ctx, func(tx *sql.Tx) error {
		cur := map[string]any{}
		var text string
		err := tx.QueryRowContext(ctx, `SELECT props FROM organization_config WHERE id = 1`).Scan(&text)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("read organization config: %w", err)
		default:
			if cur, err = decodeProps(text); err != nil {
				return err
			}
		}
		out = mergeProps(cur, upd)
		enc, err := encodeProps(out)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO organization_config (id, props) VALUES (1, ?)
			ON CONFLICT (id) DO UPDATE SET props = excluded.props`, enc); err != nil {
			return fmt.Errorf("store organization config: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
