package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SeedPassword is the password of the seeded admin principals unless
// SeedOptions.Password sets another.
const SeedPassword = "Sandbox!Passw0rd"

// SeedOptions shape a seeded tenant.
type SeedOptions struct {
	// Mailboxes is the number of mailbox recipients (about 86% user, 8%
	// shared, 3% room and 3% equipment mailboxes; about 1% of the user
	// mailboxes soft-deleted and 1% inactive). 0 means 50.
	Mailboxes int
	// Seed selects the tenant: the same options always build the same data.
	Seed int64
	// TenantDomain is the default accepted domain; "" means contoso.com.
	// The initial domain is its first label + ".onmicrosoft.com".
	TenantDomain string
	// Password of the admin principals; "" means SeedPassword.
	Password string
	// Now anchors the time-based data: message trace and audit records
	// span the 30 days before it. Zero means the start of the current UTC
	// day, so the data stays within the service's search windows (message
	// trace looks back 90 days); pass a fixed time for byte-identical seeds
	// on different days.
	Now time.Time
}

// Seeded describes what Seed built.
type Seeded struct {
	Tenant Tenant
	Users  []User         // the admin principals, which can sign in
	App    App            // the automation app (no certificate yet)
	Counts map[string]int // recipients per RecipientTypeDetails, soft-deleted included
}

// SeedDefault seeds a small tenant: 50 mailboxes in contoso.com, seed 1.
func SeedDefault(ctx context.Context, st *Store) (Seeded, error) {
	return Seed(ctx, st, SeedOptions{Mailboxes: 50, Seed: 1})
}

// Seed builds a complete, deterministic tenant in an empty store: tenant
// facts and accepted domains, the organization config, mailboxes of every
// kind with statistics, folders, permissions and mobile devices, mail
// users, guests, contacts, distribution, security and Microsoft 365 groups
// with members, and the sign-in principals: admin@<domain> (Organization
// Management), auditor@ (View-Only Organization Management), helpdesk@
// (Recipient Management) and compliance@ (Compliance Administrator), all
// with opts.Password, plus an app registration holding Organization
// Management. Seeding a store that has a tenant is ErrConflict.
func Seed(ctx context.Context, st *Store, opts SeedOptions) (Seeded, error) {
	if opts.Mailboxes < 0 {
		return Seeded{}, fmt.Errorf("%w: Mailboxes %d", ErrInvalid, opts.Mailboxes)
	}
	if opts.Mailboxes == 0 {
		opts.Mailboxes = 50
	}
	if opts.TenantDomain == "" {
		opts.TenantDomain = "contoso.com"
	}
	if opts.Password == "" {
		opts.Password = SeedPassword
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now().UTC().Truncate(24 * time.Hour)
	}
	opts.TenantDomain = strings.ToLower(strings.TrimSpace(opts.TenantDomain))
	if strings.HasPrefix(opts.TenantDomain, ".") || !strings.Contains(opts.TenantDomain, ".") {
		return Seeded{}, fmt.Errorf("%w: tenant domain %q", ErrInvalid, opts.TenantDomain)
	}

	st.writeMu.Lock()
	defer st.writeMu.Unlock()
	conn, err := st.db.Conn(ctx)
	if err != nil {
		return Seeded{}, fmt.Errorf("seed: %w", err)
	}
	defer func() { _ = conn.Close() }()
	// Bulk-load settings for this connection only. Foreign keys are off
	// because rows reference recipients generated later; the generator
	// keeps them consistent (tests run foreign_key_check).
	for _, p := range []string{"foreign_keys = OFF", "synchronous = OFF", "cache_size = -262144"} {
		if _, err := conn.ExecContext(ctx, "PRAGMA "+p); err != nil {
			return Seeded{}, fmt.Errorf("seed: PRAGMA %s: %w", p, err)
		}
	}
	defer func() {
		for _, p := range []string{"foreign_keys = ON", "synchronous = NORMAL", "cache_size = -2000"} {
			_, _ = conn.ExecContext(context.Background(), "PRAGMA "+p)
		}
	}()

	g := newGenerator(opts)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return Seeded{}, fmt.Errorf("seed: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	var used bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM tenant) OR EXISTS (SELECT 1 FROM recipients)`).Scan(&used); err != nil {
		return Seeded{}, fmt.Errorf("seed: %w", err)
	}
	if used {
		return Seeded{}, fmt.Errorf("%w: the store already holds a tenant", ErrConflict)
	}
	for _, ix := range indexDDL {
		if _, err := tx.ExecContext(ctx, `DROP INDEX `+ix.name); err != nil {
			return Seeded{}, fmt.Errorf("seed: drop index %s: %w", ix.name, err)
		}
	}
	if err := g.run(ctx, tx); err != nil {
		return Seeded{}, fmt.Errorf("seed: %w", err)
	}
	for _, ix := range indexDDL {
		if _, err := tx.ExecContext(ctx, ix.ddl); err != nil {
			return Seeded{}, fmt.Errorf("seed: create index %s: %w", ix.name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return Seeded{}, fmt.Errorf("seed: commit: %w", err)
	}
	// Shrink the WAL the bulk load grew.
	if _, err := conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return Seeded{}, fmt.Errorf("seed: checkpoint: %w", err)
	}
	st.forgetTenant()

	out := Seeded{Tenant: g.t, Counts: g.counts, App: g.app}
	for _, u := range g.principals {
		u.user.CanSignIn = true
		out.Users = append(out.Users, u.user)
	}
	return out, nil
}

// Fixed clock of seeded data, so that the same seed gives the same tenant.
var (
	seedTenantCreated = time.Date(2019, 3, 14, 9, 26, 53, 0, time.UTC)
	seedNow           = time.Date(2025, 6, 2, 8, 0, 0, 0, time.UTC)
)

// Salts separate the PRNG streams of generator passes.
const (
	saltTenant = iota + 1
	saltRecipient
	saltObjects
)

// skeleton is a recipient before its properties are generated: enough to
// sort by name, assign keys and refer to it from other objects.
type skeleton struct {
	idx           int // creation order; seeds the recipient's PRNG
	key           int64
	kind          string // RecipientTypeDetails
	name, alias   string
	display       string
	first, last   string
	upn           string
	external      string // external address of contacts, mail users and guests
	company       string // a contact's organization
	softDeleted   bool
	inactive      bool
	principal     int // index into generator.principals, or -1
	groupAllStaff bool
}

// principalSpec is a seeded sign-in user.
type principalSpec struct {
	alias, display, first, last, role string
	user                              User
}

type generator struct {
	opts       SeedOptions
	t          Tenant
	f          forest
	master     *rand.Rand
	skels      []*skeleton // sorted by name; skels[i].key == i+1
	activeUser []*skeleton // active UserMailbox skeletons, key order
	used       map[string]bool
	next       map[string]int
	principals []*principalSpec
	app        App
	counts     map[string]int
	bases      map[string]map[string]any
	folderKey  int64
	stmt       map[string]*sql.Stmt
}

func newGenerator(opts SeedOptions) *generator {
	g := &generator{
		opts:   opts,
		master: rand.New(rand.NewPCG(uint64(opts.Seed), saltTenant)),
		used:   map[string]bool{},
		next:   map[string]int{},
		counts: map[string]int{},
		bases:  map[string]map[string]any{},
		stmt:   map[string]*sql.Stmt{},
	}
	label := strings.SplitN(opts.TenantDomain, ".", 2)[0]
	initial := label + ".onmicrosoft.com"
	domains := []AcceptedDomain{{DomainName: opts.TenantDomain, Default: true}}
	if opts.TenantDomain == initial {
		domains = nil
	}
	g.t = Tenant{
		ID:              randomGUID(g.master),
		DisplayName:     strings.ToUpper(label[:1]) + label[1:],
		InitialDomain:   initial,
		AcceptedDomains: domains,
	}
	g.t.AcceptedDomains = normalizeDomains(g.t)
	g.f = forestOf(g.t.ID)
	g.principals = []*principalSpec{
		{alias: "admin", display: "Sandbox Administrator", first: "Sandbox", last: "Administrator", role: RoleOrganizationManagement},
		{alias: "auditor", display: "Audit Reviewer", first: "Audit", last: "Reviewer", role: RoleViewOnlyOrganizationManagement},
		{alias: "helpdesk", display: "Helpdesk Operator", first: "Helpdesk", last: "Operator", role: RoleRecipientManagement},
		{alias: "compliance", display: "Compliance Officer", first: "Compliance", last: "Officer", role: RoleComplianceAdministrator},
	}
	return g
}

// unique returns base, or base followed by the lowest free number, marking
// the result used (case-insensitively).
func (g *generator) unique(base string) string {
	k := strings.ToLower(base)
	if !g.used[k] {
		g.used[k] = true
		return base
	}
	n := max(g.next[k], 2)
	for g.used[k+strconv.Itoa(n)] {
		n++
	}
	g.next[k] = n + 1
	g.used[k+strconv.Itoa(n)] = true
	return base + strconv.Itoa(n)
}

func (g *generator) pick(list []string) string { return list[g.master.IntN(len(list))] }

// skeletons plans every recipient, sorts them by name and assigns keys.
func (g *generator) skeletons() {
	n := g.opts.Mailboxes
	dom := g.t.DefaultDomain()
	var all []*skeleton
	add := func(sk *skeleton) {
		sk.idx = len(all)
		if sk.display == "" {
			sk.display = sk.name
		}
		all = append(all, sk)
	}
	person := func(kind string) *skeleton {
		first, last := g.pick(firstNames), g.pick(lastNames)
		alias := g.unique(strings.ToLower(first + "." + last))
		return &skeleton{kind: kind, name: alias, alias: alias, display: first + " " + last, first: first, last: last, principal: -1}
	}
	for i := range n {
		var sk *skeleton
		switch u := g.master.Float64(); {
		case i < len(g.principals):
			p := g.principals[i]
			alias := g.unique(p.alias)
			sk = &skeleton{kind: "UserMailbox", name: alias, alias: alias, display: p.display, first: p.first, last: p.last, principal: i}
		case u < 0.86:
			sk = person("UserMailbox")
			switch v := g.master.Float64(); {
			case v < 0.01:
				sk.softDeleted = true
			case v < 0.02:
				sk.softDeleted, sk.inactive = true, true
			}
		case u < 0.94:
			fn := g.pick(sharedFunctions)
			alias := g.unique(aliasFrom(strings.ToLower(fn)))
			sk = &skeleton{kind: "SharedMailbox", name: alias, alias: alias, display: fn, principal: -1}
			if alias != aliasFrom(strings.ToLower(fn)) {
				sk.display = fn + " " + strings.TrimPrefix(alias, aliasFrom(strings.ToLower(fn)))
			}
		case u < 0.97:
			o := offices[g.master.IntN(len(offices))]
			room := strconv.Itoa(100*(1+g.master.IntN(9)) + g.master.IntN(40))
			alias := g.unique(aliasFrom(strings.ToLower("room." + strings.ReplaceAll(o.city, " ", "") + "." + room)))
			sk = &skeleton{kind: "RoomMailbox", name: alias, alias: alias, display: "Conf Room " + o.city + " " + room, first: o.office, principal: -1}
		default:
			e := g.pick(equipmentNames)
			alias := g.unique(aliasFrom(strings.ToLower(strings.ReplaceAll(e, " ", "."))))
			sk = &skeleton{kind: "EquipmentMailbox", name: alias, alias: alias, display: e, principal: -1}
			if d := aliasFrom(strings.ToLower(strings.ReplaceAll(e, " ", "."))); alias != d {
				sk.display = e + " " + strings.TrimPrefix(alias, d)
			}
		}
		sk.upn = sk.alias + "@" + dom
		add(sk)
	}
	for range n / 20 { // mail users: contractors with mail elsewhere
		sk := person("MailUser")
		sk.upn = sk.alias + "@" + dom
		sk.external = g.external(sk.first, sk.last)
		add(sk)
	}
	for range n / 50 { // B2B guests
		first, last := g.pick(firstNames), g.pick(lastNames)
		ext := g.external(first, last)
		alias := g.unique(strings.ReplaceAll(ext, "@", "_") + "#EXT#")
		add(&skeleton{kind: "GuestMailUser", name: alias, alias: aliasFrom(alias), display: first + " " + last + " (Guest)",
			first: first, last: last, upn: alias + "@" + g.t.InitialDomain, external: ext, principal: -1})
	}
	for range n / 20 { // contacts
		first, last := g.pick(firstNames), g.pick(lastNames)
		ext := g.external(first, last)
		org := strings.SplitN(strings.SplitN(ext, "@", 2)[1], ".", 2)[0]
		org = strings.ToUpper(org[:1]) + org[1:]
		name := g.unique(first+" "+last) + " (" + org + ")"
		add(&skeleton{kind: "MailContact", name: name, alias: g.unique(aliasFrom(strings.ReplaceAll(name, " ", ""))), first: first,
			last: last, external: ext, company: org, principal: -1})
	}
	group := func(kind string, count int) {
		for range count {
			d := departments[g.master.IntN(len(departments))].name
			name := g.unique(d + " " + g.pick(groupTopics))
			alias := g.unique(aliasFrom(strings.ToLower(strings.ReplaceAll(name, " ", ""))))
			add(&skeleton{kind: kind, name: name, alias: alias, first: d, principal: -1})
		}
	}
	group("MailUniversalDistributionGroup", max(1, n/40))
	group("MailUniversalSecurityGroup", max(1, n/100))
	group("GroupMailbox", max(1, n/50))
	name := g.unique("All Staff")
	add(&skeleton{kind: "MailUniversalDistributionGroup", name: name, alias: g.unique("allstaff"), principal: -1, groupAllStaff: true})

	slices.SortFunc(all, func(a, b *skeleton) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.name), strings.ToLower(b.name)), cmp.Compare(a.idx, b.idx))
	})
	g.skels = all
	for i, sk := range all {
		sk.key = int64(i + 1)
		if sk.kind == "UserMailbox" && !sk.softDeleted {
			g.activeUser = append(g.activeUser, sk)
		}
	}
}

// external returns a unique address at a partner organization.
func (g *generator) external(first, last string) string {
	d := g.pick(partnerDomains)
	local := strings.ToLower(first + "." + last)
	addr := local + "@" + d
	for n := 2; g.used["ext:"+addr]; n++ {
		addr = local + strconv.Itoa(n) + "@" + d
	}
	g.used["ext:"+addr] = true
	return addr
}

// run generates and inserts everything in tx.
func (g *generator) run(ctx context.Context, tx *sql.Tx) error {
	if err := storeTenant(ctx, tx, g.t); err != nil {
		return err
	}
	for name, query := range map[string]string{
		"recipient": insertRecipientSQL, "address": insertAddressSQL, "folder": insertFolderSQL, "statistics": insertStatisticsSQL,
		"self": insertSelfPermissionSQL, "selfsendas": insertSelfSendAsSQL,
		"member":  `INSERT INTO group_members (group_key, link_type, member_key) VALUES (?, ?, ?)`,
		"mbxperm": `INSERT INTO mailbox_permissions (mailbox_key, user_name, trustee_key, access_rights, deny, is_inherited, inheritance_type) VALUES (?, ?, ?, ?, 0, 0, 'All')`,
		"rcpperm": `INSERT INTO recipient_permissions (recipient_key, trustee, trustee_key, access_control_type, access_rights, is_inherited, inheritance_type) VALUES (?, ?, ?, 'Allow', '["SendAs"]', 0, 'None')`,
		"fldperm": `INSERT INTO folder_permissions (folder_key, user_name, trustee_key, access_rights, sharing_flags) VALUES (?, ?, ?, ?, ?)`,
		"device":  `INSERT INTO mobile_devices (mailbox_key, guid, device_id, identity, props) VALUES (?, ?, ?, ?, ?)`,
	} {
		s, err := tx.PrepareContext(ctx, query)
		if err != nil {
			return fmt.Errorf("prepare %s: %w", name, err)
		}
		defer func() { _ = s.Close() }()
		g.stmt[name] = s
	}
	g.skeletons()
	for _, sk := range g.skels {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := g.recipient(ctx, tx, sk); err != nil {
			return fmt.Errorf("recipient %s: %w", sk.name, err)
		}
	}
	if err := g.storePrincipals(ctx, tx); err != nil {
		return err
	}
	if err := g.objects(ctx, tx); err != nil {
		return err
	}
	cfg, err := encodeProps(organizationConfig(g.t, g.f))
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO organization_config (id, props) VALUES (1, ?)`, cfg); err != nil {
		return fmt.Errorf("store organization config: %w", err)
	}
	return nil
}

// base returns the base of kind as the store would compute it, read within
// the seed transaction (the tenant is not committed yet).
func (g *generator) base(ctx context.Context, tx *sql.Tx, kind string) (map[string]any, error) {
	if b, ok := g.bases[kind]; ok {
		return b, nil
	}
	b, err := buildBase(ctx, tx, g.t, kind)
	if err != nil {
		return nil, err
	}
	g.bases[kind] = b
	return b, nil
}

// randomTime returns a time in [from, to).
func randomTime(r *rand.Rand, from, to time.Time) time.Time {
	if !to.After(from) {
		return from
	}
	return from.Add(time.Duration(r.Int64N(int64(to.Sub(from)/time.Second))) * time.Second)
}

// storePrincipals inserts the admin users and the automation app.
func (g *generator) storePrincipals(ctx context.Context, tx *sql.Tx) error {
	r := rand.New(rand.NewPCG(uint64(g.opts.Seed), saltTenant<<8|1))
	for _, p := range g.principals {
		if p.user.ObjectID == "" { // fewer mailboxes than principals
			p.user = User{ObjectID: randomGUID(r), UserPrincipalName: p.alias + "@" + g.t.DefaultDomain(), DisplayName: p.display, Roles: []string{p.role}}
		}
		salt := make([]byte, 16)
		for i := range salt {
			salt[i] = byte(r.Uint32())
		}
		hash, err := hashSecret(g.opts.Password, salt)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO users (object_id, upn, display_name, password_hash, roles) VALUES (?, ?, ?, ?, ?)`,
			p.user.ObjectID, p.user.UserPrincipalName, p.user.DisplayName, hash, encodeRights(p.user.Roles)); err != nil {
			return fmt.Errorf("store user %s: %w", p.user.UserPrincipalName, err)
		}
	}
	g.app = App{AppID: randomGUID(r), ObjectID: randomGUID(r), DisplayName: "Sandbox Automation", Roles: []string{RoleOrganizationManagement}}
	if _, err := tx.ExecContext(ctx, `INSERT INTO apps (app_id, object_id, display_name, secret_hash, roles) VALUES (?, ?, ?, '', ?)`,
		g.app.AppID, g.app.ObjectID, g.app.DisplayName, encodeRights(g.app.Roles)); err != nil {
		return fmt.Errorf("store app: %w", err)
	}
	return nil
}

// organizationConfig is the seeded Get-OrganizationConfig bag.
func organizationConfig(t Tenant, f forest) map[string]any {
	created := FormatTime(seedTenantCreated)
	return map[string]any{
		"Name":                          t.InitialDomain,
		"DisplayName":                   t.DisplayName,
		"Identity":                      t.InitialDomain,
		"Id":                            t.InitialDomain,
		"Guid":                          derivedGUID(t.ID, "organization"),
		"ExchangeObjectId":              derivedGUID(t.ID, "organization"),
		"OrganizationId":                f.organizationID(t.InitialDomain),
		"DistinguishedName":             "CN=Configuration,CN=" + t.InitialDomain + ",CN=ConfigurationUnits," + f.domainDN(),
		"ExchangeVersion":               "0.20 (15.0.0.0)",
		"AdminDisplayVersion":           "Version 15.20 (Build 8398.27)",
		"ObjectVersion":                 13237,
		"IsDehydrated":                  false,
		"IsValid":                       true,
		"WhenCreated":                   created,
		"WhenCreatedUTC":                created,
		"WhenChanged":                   FormatTime(seedNow.AddDate(0, -2, 0)),
		"WhenChangedUTC":                FormatTime(seedNow.AddDate(0, -2, 0)),
		"AuditDisabled":                 false,
		"OAuth2ClientProfileEnabled":    true,
		"DefaultAuthenticationPolicy":   nil,
		"SmtpActionableMessagesEnabled": true,
		"ActivityBasedAuthenticationTimeoutEnabled":                 true,
		"ActivityBasedAuthenticationTimeoutInterval":                FormatTimeSpan(6 * time.Hour),
		"ActivityBasedAuthenticationTimeoutWithSingleSignOnEnabled": true,
		"AppsForOfficeEnabled":                                      true,
		"AutoExpandingArchiveEnabled":                               false,
		"BookingsEnabled":                                           true,
		"ConnectorsEnabled":                                         true,
		"ConnectorsActionableMessagesEnabled":                       true,
		"CustomerLockboxEnabled":                                    false,
		"DefaultGroupAccessType":                                    "Private",
		"DefaultPublicFolderAgeLimit":                               nil,
		"DefaultPublicFolderDeletedItemRetention":                   FormatTimeSpan(30 * 24 * time.Hour),
		"DefaultPublicFolderIssueWarningQuota":                      gb(1.7),
		"DefaultPublicFolderMaxItemSize":                            "Unlimited",
		"DefaultPublicFolderProhibitPostQuota":                      gb(2),
		"DefaultPublicFolderMovedItemRetention":                     FormatTimeSpan(7 * 24 * time.Hour),
		"DistributionGroupDefaultOU":                                nil,
		"DistributionGroupNameBlockedWordsList":                     list(),
		"DistributionGroupNamingPolicy":                             "",
		"ElcProcessingDisabled":                                     false,
		"EwsAllowEntourage":                                         nil,
		"EwsAllowList":                                              nil,
		"EwsAllowMacOutlook":                                        nil,
		"EwsAllowOutlook":                                           nil,
		"EwsApplicationAccessPolicy":                                nil,
		"EwsBlockList":                                              nil,
		"EwsEnabled":                                                nil,
		"FocusedInboxOn":                                            true,
		"HierarchicalAddressBookRoot":                               nil,
		"IPListBlocked":                                             list(),
		"LeanPopoutEnabled":                                         false,
		"LinkPreviewEnabled":                                        true,
		"MailTipsAllTipsEnabled":                                    true,
		"MailTipsExternalRecipientsTipsEnabled":                     false,
		"MailTipsGroupMetricsEnabled":                               true,
		"MailTipsLargeAudienceThreshold":                            25,
		"MailTipsMailboxSourcedTipsEnabled":                         true,
		"MaxConcurrentMigrations":                                   nil,
		"MessageRecallEnabled":                                      nil,
		"MessageRemindersEnabled":                                   true,
		"MobileAppEducationEnabled":                                 true,
		"OutlookMobileGCCRestrictionsEnabled":                       false,
		"OutlookPayEnabled":                                         true,
		"PublicFoldersEnabled":                                      "Local",
		"PublicFolderShowClientControl":                             false,
		"ReadTrackingEnabled":                                       false,
		"RefreshSessionEnabled":                                     false,
		"RemotePublicFolderMailboxes":                               list(),
		"SendFromAliasEnabled":                                      false,
		"SiteMailboxCreationURL":                                    nil,
		"UnblockUnsafeSenderPromptEnabled":                          true,
		"VisibleMeetingUpdateProperties":                            "Location,AllProperties:15",
		"WebPushNotificationsDisabled":                              false,
		"WebSuggestedRepliesDisabled":                               false,
		"MicrosoftExchangeRecipientEmailAddresses":                  list("SMTP:MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@" + t.InitialDomain),
		"MicrosoftExchangeRecipientPrimarySmtpAddress":              "MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@" + t.InitialDomain,
		"MicrosoftExchangeRecipientReplyRecipient":                  nil,
		"ComplianceMLBgdCrawlEnabled":                               nil,
		"DirectReportsGroupAutoCreationEnabled":                     false,
		"IsMixedMode":                                               false,
		"EnableOutlookEvents":                                       false,
		"PreferredInternetCodePageForShiftJis":                      50220,
		"ByteEncoderTypeFor7BitCharsets":                            0,
		"RequiredCharsetCoverage":                                   nil,
		"OnlineMeetingsByDefaultEnabled":                            nil,
	}
}
