package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// mailboxPlan is what the generator decided about a mailbox beyond its
// properties: it drives the related rows.
type mailboxPlan struct {
	devices     int
	archive     bool
	fullFolders bool // the complete folder tree rather than the core set
	lastLogon   time.Time
	created     time.Time
}

// recipient generates one recipient and its related rows.
func (g *generator) recipient(ctx context.Context, tx *sql.Tx, sk *skeleton) error {
	r := rand.New(rand.NewPCG(uint64(g.opts.Seed), uint64(sk.idx)<<8|saltRecipient))
	created := randomTime(r, seedTenantCreated, seedNow.AddDate(0, -1, 0))
	if sk.principal >= 0 {
		created = seedTenantCreated.Add(time.Duration(sk.principal+1) * time.Hour)
	}
	changed := randomTime(r, created, seedNow)
	p := map[string]any{
		"Name":                 sk.name,
		"Alias":                sk.alias,
		"DisplayName":          sk.display,
		"RecipientTypeDetails": sk.kind,
		"WhenCreated":          FormatTime(created),
		"WhenChanged":          FormatTime(changed),
	}
	if sk.upn != "" {
		p["UserPrincipalName"] = sk.upn
	}
	plan := mailboxPlan{created: created}
	var owners []*skeleton
	switch sk.kind {
	case "UserMailbox", "SharedMailbox", "RoomMailbox", "EquipmentMailbox":
		g.mailboxProps(r, sk, p, &plan)
	case "MailUser", "GuestMailUser":
		g.personProps(r, sk, p)
		p["ExternalEmailAddress"] = "SMTP:" + sk.external
		if sk.kind == "GuestMailUser" {
			p["EmailAddresses"] = list("SMTP:" + sk.external)
			p["Company"] = ""
		} else {
			p["EmailAddresses"] = list("SMTP:"+sk.upn, "smtp:"+sk.alias+"@"+g.t.InitialDomain)
		}
	case "MailContact":
		g.personProps(r, sk, p)
		delete(p, "UsageLocation")
		p["ExternalEmailAddress"] = "SMTP:" + sk.external
		p["EmailAddresses"] = list("SMTP:" + sk.external)
		p["Company"] = sk.company
	default:
		owners = g.pickOwners(r)
		g.groupProps(r, sk, p, owners)
	}
	completeRecipient(g.t, p, r, created)
	if sk.principal >= 0 {
		ps := g.principals[sk.principal]
		ps.user = User{ObjectID: propString(p, "ExternalDirectoryObjectId"), UserPrincipalName: sk.upn, DisplayName: sk.display, Roles: []string{ps.role}}
	}
	if err := g.insertRecipient(ctx, tx, sk.key, p); err != nil {
		return err
	}
	g.counts[sk.kind]++
	if hasMailbox(sk.kind) {
		if err := g.mailboxData(ctx, r, sk, p, plan); err != nil {
			return err
		}
	}
	if isGroup(sk.kind) {
		return g.members(ctx, r, sk, owners)
	}
	return nil
}

func (g *generator) insertRecipient(ctx context.Context, tx *sql.Tx, key int64, p map[string]any) error {
	c, err := columnsOf(p)
	if err != nil {
		return err
	}
	base, err := g.base(ctx, tx, tmplRecipientPrefix+c.recipientTypeDetails)
	if err != nil {
		return err
	}
	own, err := encodeProps(ownProps(g.t, p, base))
	if err != nil {
		return err
	}
	if _, err := g.stmt["recipient"].ExecContext(ctx, key, c.guid, c.exchangeGUID, c.edoid, c.name, c.alias, c.displayName,
		c.primarySMTP, c.upn, c.recipientType, c.recipientTypeDetails, c.softDeleted, c.inactive, own); err != nil {
		return fmt.Errorf("insert: %w", err)
	}
	for _, px := range proxiesOf(p) {
		if _, err := g.stmt["address"].ExecContext(ctx, key, px.prefix, px.address); err != nil {
			return fmt.Errorf("insert address %s: %w", px.address, err)
		}
	}
	return nil
}

// personProps sets the address-book attributes of a person.
func (g *generator) personProps(r *rand.Rand, sk *skeleton, p map[string]any) {
	d := departments[r.IntN(len(departments))]
	o := offices[r.IntN(len(offices))]
	p["FirstName"], p["LastName"] = sk.first, sk.last
	p["Department"] = d.name
	p["Title"] = d.titles[r.IntN(len(d.titles))]
	p["Company"] = g.t.DisplayName
	p["Office"] = o.office
	p["StreetAddress"], p["City"], p["StateOrProvince"], p["PostalCode"] = o.street, o.city, o.state, o.postal
	p["CountryOrRegion"], p["UsageLocation"] = o.country, o.country
	p["Phone"] = o.phone + fmt.Sprintf("%04d", r.IntN(10000))
	if r.IntN(2) == 0 {
		p["MobilePhone"] = o.phone + fmt.Sprintf("%04d", r.IntN(10000))
	}
}

// mailboxProps generates a mailbox's own properties and plans its data.
func (g *generator) mailboxProps(r *rand.Rand, sk *skeleton, p map[string]any, plan *mailboxPlan) {
	dom := g.t.DefaultDomain()
	p["EmailAddresses"] = list("SMTP:"+sk.upn, "smtp:"+sk.alias+"@"+g.t.InitialDomain)
	plan.fullFolders = sk.principal >= 0 || r.IntN(50) == 0
	switch sk.kind {
	case "UserMailbox":
		g.personProps(r, sk, p)
		if len(g.activeUser) > 0 && r.IntN(10) < 7 {
			if m := g.activeUser[r.IntN(len(g.activeUser))]; m != sk {
				p["Manager"] = m.name
			}
		}
		if r.IntN(100) < 15 { // synchronized from on-premises AD
			p["IsDirSynced"] = true
			id := make([]byte, 16)
			for i := range id {
				id[i] = byte(r.Uint32())
			}
			p["ImmutableId"] = base64.StdEncoding.EncodeToString(id)
			p["EmailAddresses"] = list("SMTP:"+sk.upn, "smtp:"+sk.alias+"@"+g.t.InitialDomain,
				"X500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn="+strings.ToLower(randomHex(r, 16))+"-"+sk.alias)
		}
		if r.IntN(100) < 30 {
			p["CustomAttribute1"] = "CC-" + strconv.Itoa(1000+r.IntN(9000))
		}
		if r.IntN(100) < 10 {
			p["ExtensionCustomAttribute1"] = list("Contractor")
		}
		if r.IntN(100) < 5 || sk.inactive {
			hold := randomTime(r, plan.created, seedNow)
			p["LitigationHoldEnabled"] = true
			p["LitigationHoldDate"] = FormatTime(hold)
			p["LitigationHoldOwner"] = "admin@" + dom
			if r.IntN(2) == 0 {
				p["LitigationHoldDuration"] = FormatTimeSpan(2555 * 24 * time.Hour)
			}
		}
		if r.IntN(100) < 4 {
			p["InPlaceHolds"] = list("mbx" + strings.ReplaceAll(randomGUID(r), "-", "") + ":1")
		}
		if r.IntN(100) < 2 {
			p["ForwardingSmtpAddress"] = "smtp:" + strings.ToLower(sk.first+"."+sk.last) + "@outlook.com"
			p["DeliverToMailboxAndForward"] = true
		}
		if r.IntN(100) < 1 {
			p["HiddenFromAddressListsEnabled"] = true
		}
		if r.IntN(100) < 30 {
			p["PopEnabled"], p["ImapEnabled"] = false, false
		}
		plan.archive = r.IntN(100) < 20 || sk.principal == 0
		eas := r.IntN(100) >= 3
		if !eas {
			p["ActiveSyncEnabled"] = false
		}
		if !sk.softDeleted && eas && r.IntN(100) < 25 {
			plan.devices = 1 + r.IntN(5)/4 // mostly one, sometimes two
			p["HasActiveSyncDevicePartnership"] = true
		}
		p["Languages"] = list("en-US")
	case "SharedMailbox":
		p["Department"] = ""
		if r.IntN(2) == 0 {
			p["MessageCopyForSentAsEnabled"] = true
			p["MessageCopyForSendOnBehalfEnabled"] = true
		}
		plan.archive = r.IntN(100) < 10
	case "RoomMailbox":
		p["ResourceCapacity"] = 4 + 2*r.IntN(10)
		p["Office"] = sk.first
		p["ResourceCustom"] = list()
		if r.IntN(3) == 0 {
			p["ResourceCustom"] = list("AV", "Whiteboard")
		}
	case "EquipmentMailbox":
		p["ResourceCapacity"] = nil
	}
	if plan.archive {
		n := r.IntN(24)
		db, _ := g.f.mailboxDatabase(n)
		p["ArchiveGuid"] = randomGUID(r)
		p["ArchiveStatus"], p["ArchiveState"] = "Active", "Local"
		p["ArchiveName"] = list("In-Place Archive -" + sk.display)
		p["ArchiveDatabase"] = db
		p["ArchiveDatabaseGuid"] = derivedGUID(g.t.ID, db)
		p["AutoExpandingArchiveEnabled"] = r.IntN(10) == 0
	}
	if sk.softDeleted {
		when := FormatTime(randomTime(r, seedNow.AddDate(0, -6, 0), seedNow))
		p["IsSoftDeletedByRemove"] = true
		p["WhenSoftDeleted"] = when
		p["WhenChanged"] = when
		if sk.inactive {
			p["IsInactiveMailbox"] = true
		}
	}
	switch {
	case sk.softDeleted:
		plan.lastLogon = randomTime(r, seedNow.AddDate(-1, 0, 0), seedNow.AddDate(0, -6, 0))
	case sk.kind == "UserMailbox" || r.IntN(2) == 0:
		plan.lastLogon = randomTime(r, seedNow.AddDate(0, 0, -30), seedNow)
	}
}

// pickOwners chooses one or two distinct owners for a group.
func (g *generator) pickOwners(r *rand.Rand) []*skeleton {
	var owners []*skeleton
	for range 1 + r.IntN(2) {
		if len(g.activeUser) == 0 {
			break
		}
		if o := g.activeUser[r.IntN(len(g.activeUser))]; !slices.Contains(owners, o) {
			owners = append(owners, o)
		}
	}
	return owners
}

// groupProps generates a group's own properties.
func (g *generator) groupProps(r *rand.Rand, sk *skeleton, p map[string]any, owners []*skeleton) {
	managedBy := []any{}
	for _, o := range owners {
		managedBy = append(managedBy, o.name)
	}
	p["ManagedBy"] = managedBy
	switch sk.kind {
	case "GroupMailbox":
		p["AccessType"] = []string{"Public", "Private"}[r.IntN(2)]
		p["Notes"] = "Collaboration space for " + sk.name
		if r.IntN(2) == 0 {
			p["ResourceProvisioningOptions"] = list("Team")
			p["HiddenFromExchangeClientsEnabled"] = true
			p["HiddenFromAddressListsEnabled"] = true
		}
	default:
		p["Description"] = list("Mailing list for " + sk.name)
		if sk.groupAllStaff {
			p["Description"] = list("Everyone in " + g.t.DisplayName)
			p["AcceptMessagesOnlyFromSendersOrMembers"] = managedBy
		} else if r.IntN(4) == 0 {
			p["RequireSenderAuthenticationEnabled"] = false
		}
		if r.IntN(5) == 0 {
			p["MemberJoinRestriction"] = "ApprovalRequired"
		}
	}
}

// members adds a group's links; the owners of a Microsoft 365 group are
// also its members.
func (g *generator) members(ctx context.Context, r *rand.Rand, sk *skeleton, owners []*skeleton) error {
	add := func(link LinkType, key int64) error {
		_, err := g.stmt["member"].ExecContext(ctx, sk.key, string(link), key)
		if err != nil {
			return fmt.Errorf("add member %d: %w", key, err)
		}
		return nil
	}
	if sk.groupAllStaff {
		for _, u := range g.activeUser {
			if err := add(LinkMembers, u.key); err != nil {
				return err
			}
		}
		return nil
	}
	if len(g.activeUser) == 0 {
		return nil
	}
	size := 3 + r.IntN(30)
	if sk.kind == "MailUniversalSecurityGroup" {
		size = 2 + r.IntN(15)
	}
	chosen := map[int64]bool{}
	if sk.kind == "GroupMailbox" {
		for _, o := range owners {
			chosen[o.key] = true
		}
	}
	for range size {
		chosen[g.activeUser[r.IntN(len(g.activeUser))].key] = true
	}
	// Now and then a contact or another group joins a distribution group.
	if sk.kind == "MailUniversalDistributionGroup" && r.IntN(5) == 0 {
		other := g.skels[r.IntN(len(g.skels))]
		if other.kind == "MailContact" || other.kind == "MailUser" || (isGroup(other.kind) && other.kind != "GroupMailbox" && other != sk && !other.groupAllStaff) {
			chosen[other.key] = true
		}
	}
	for _, key := range slices.Sorted(maps.Keys(chosen)) {
		if err := add(LinkMembers, key); err != nil {
			return err
		}
	}
	if sk.kind == "GroupMailbox" {
		for _, o := range owners {
			if err := add(LinkOwners, o.key); err != nil {
				return err
			}
		}
	}
	return nil
}

// mailboxData inserts a mailbox's statistics, folders, permissions and
// devices.
func (g *generator) mailboxData(ctx context.Context, r *rand.Rand, sk *skeleton, p map[string]any, plan mailboxPlan) error {
	// Item counts follow a long-tailed spread; rooms hold little.
	scale := 6000.0
	switch sk.kind {
	case "SharedMailbox", "GroupMailbox":
		scale = 3000
	case "RoomMailbox", "EquipmentMailbox":
		scale = 400
	}
	items := int64(math.Exp(r.NormFloat64()*0.9) * scale)
	avg := int64(40_000 + r.IntN(90_000))
	deleted := items * int64(1+r.IntN(8)) / 100
	stats := map[string]any{
		"ItemCount":                items,
		"TotalItemSize":            FormatBytes(items * avg),
		"DeletedItemCount":         deleted,
		"TotalDeletedItemSize":     FormatBytes(deleted * avg),
		"AssociatedItemCount":      int64(40 + r.IntN(600)),
		"SystemMessageCount":       int64(r.IntN(60)),
		"SystemMessageSize":        FormatBytes(int64(r.IntN(4_000_000))),
		"MessageTableTotalSize":    FormatBytes(items*900 + 1<<20),
		"AttachmentTableTotalSize": FormatBytes(items * avg / 2),
	}
	if !plan.lastLogon.IsZero() {
		logoff := plan.lastLogon.Add(time.Duration(r.IntN(8*3600)) * time.Second)
		stats["LastLogonTime"] = FormatTime(plan.lastLogon)
		stats["LastLogoffTime"] = FormatTime(logoff)
		stats["LastUserActionTime"] = FormatTime(plan.lastLogon.Add(time.Duration(r.IntN(3600)) * time.Second))
		stats["LastInteractionTime"] = FormatTime(logoff)
		if sk.kind == "SharedMailbox" && len(g.activeUser) > 0 {
			stats["LastLoggedOnUserAccount"] = g.activeUser[r.IntN(len(g.activeUser))].upn
		}
	}
	text, err := encodeProps(stats)
	if err != nil {
		return err
	}
	if _, err := g.stmt["statistics"].ExecContext(ctx, sk.key, false, text); err != nil {
		return fmt.Errorf("insert statistics: %w", err)
	}
	if plan.archive {
		aItems := int64(math.Exp(r.NormFloat64()*0.8) * scale * 1.5)
		archive := map[string]any{
			"ItemCount":     aItems,
			"TotalItemSize": FormatBytes(aItems * avg),
		}
		text, err := encodeProps(archive)
		if err != nil {
			return err
		}
		if _, err := g.stmt["statistics"].ExecContext(ctx, sk.key, true, text); err != nil {
			return fmt.Errorf("insert archive statistics: %w", err)
		}
	}
	if err := g.folders(ctx, r, sk, plan, items, items*avg, deleted, deleted*avg); err != nil {
		return err
	}
	if sk.kind == "GroupMailbox" {
		return nil
	}
	// Every mailbox grants itself full access and Send As.
	if _, err := g.stmt["self"].ExecContext(ctx, sk.key); err != nil {
		return fmt.Errorf("insert SELF permission: %w", err)
	}
	if _, err := g.stmt["selfsendas"].ExecContext(ctx, sk.key); err != nil {
		return fmt.Errorf("insert SELF send-as: %w", err)
	}
	delegates := 0
	switch {
	case sk.kind == "SharedMailbox":
		delegates = 1 + r.IntN(4)
	case sk.kind == "UserMailbox" && r.IntN(100) < 3:
		delegates = 1
	}
	seen := map[int64]bool{sk.key: true}
	for range delegates {
		if len(g.activeUser) == 0 {
			break
		}
		d := g.activeUser[r.IntN(len(g.activeUser))]
		if seen[d.key] {
			continue
		}
		seen[d.key] = true
		if _, err := g.stmt["mbxperm"].ExecContext(ctx, sk.key, d.upn, d.key, `["FullAccess"]`); err != nil {
			return fmt.Errorf("insert delegate: %w", err)
		}
		if sk.kind == "SharedMailbox" && r.IntN(10) < 6 {
			if _, err := g.stmt["rcpperm"].ExecContext(ctx, sk.key, d.upn, d.key); err != nil {
				return fmt.Errorf("insert send-as: %w", err)
			}
		}
	}
	return g.devices(ctx, r, sk, plan)
}

// folders inserts the folder tree with the mailbox's items spread over it.
func (g *generator) folders(ctx context.Context, r *rand.Rand, sk *skeleton, plan mailboxPlan, items, size, deleted, deletedSize int64) error {
	specs := coreFolders
	if plan.fullFolders {
		specs = append(append([]folderSpec{}, coreFolders...), extraFolders...)
	}
	rows := newFolderRows(specs, plan.created)
	// Share of the mailbox's items per folder type; the Inbox takes the rest.
	weights := map[string]float64{
		"SentItems": 0.2, "DeletedItems": 0.05, "Drafts": 0.005, "Calendar": 0.1, "Contacts": 0.04, "Archive": 0.06,
		"JunkEmail": 0.02, "Tasks": 0.005, "Notes": 0.002, "ConversationHistory": 0.01, "User Created": 0.03,
	}
	inbox := -1
	var given, givenSize int64
	for i := range rows {
		fr := &rows[i]
		switch fr.spec.folderType {
		case "Inbox":
			inbox = i
			continue
		case "RecoverableItemsDeletions":
			fr.items, fr.size = deleted, deletedSize
		default:
			w := weights[fr.spec.folderType]
			fr.items = int64(float64(items) * w * (0.5 + r.Float64()))
			fr.size = int64(float64(size) * w * (0.5 + r.Float64()))
			given, givenSize = given+fr.items, givenSize+fr.size
		}
	}
	if inbox >= 0 {
		rows[inbox].items = max(0, items-given)
		rows[inbox].size = max(0, size-givenSize)
		rows[inbox].hidden = int64(r.IntN(5))
	}
	last := plan.lastLogon
	if last.IsZero() {
		last = plan.created
	}
	for i := range rows {
		fr := &rows[i]
		if fr.items > 0 {
			fr.oldest = randomTime(r, plan.created, plan.created.AddDate(0, 1, 0)).Unix()
			fr.newest = randomTime(r, last.AddDate(0, 0, -2), last.Add(time.Hour)).Unix()
			fr.modified = fr.newest
		}
	}
	first := g.folderKey + 1
	g.folderKey += int64(len(rows))
	if err := insertFolders(ctx, g.stmt["folder"], sk.key, false, rows, first); err != nil {
		return err
	}
	if sk.kind != "UserMailbox" || sk.softDeleted || len(g.activeUser) == 0 {
		return nil
	}
	// Some users share their calendar or inbox with a colleague.
	shares := []struct {
		folder, rights, flags string
		pct                   int
	}{
		{"Calendar", `["Editor"]`, "Delegate", 3},
		{"Calendar", `["Reviewer"]`, "None", 4},
		{"Inbox", `["Reviewer"]`, "None", 2},
	}
	for _, sh := range shares {
		if r.IntN(100) >= sh.pct {
			continue
		}
		d := g.activeUser[r.IntN(len(g.activeUser))]
		if d == sk {
			continue
		}
		for i, fr := range rows {
			if fr.spec.folderType != sh.folder {
				continue
			}
			_, err := g.stmt["fldperm"].ExecContext(ctx, first+int64(i), d.upn, d.key, sh.rights, sh.flags)
			if err != nil && !isUniqueViolation(err) { // the same colleague twice keeps the first grant
				return fmt.Errorf("insert folder permission: %w", err)
			}
		}
	}
	return nil
}

// devices inserts a user's mobile devices.
func (g *generator) devices(ctx context.Context, r *rand.Rand, sk *skeleton, plan mailboxPlan) error {
	for range plan.devices {
		m := mobileModels[r.IntN(len(mobileModels))]
		deviceID := randomHex(r, 16)
		identity := sk.name + `\ExchangeActiveSyncDevices\` + m.deviceType + "§" + deviceID
		if m.clientType == "Outlook" {
			deviceID = strings.ToLower(deviceID)
			identity = sk.name + `\ExchangeActiveSyncDevices\REST§Outlook§` + deviceID
		}
		first := randomTime(r, plan.created, seedNow.AddDate(0, 0, -7))
		last := plan.lastLogon
		if last.IsZero() || last.Before(first) {
			last = first
		}
		guid := randomGUID(r)
		props := map[string]any{
			"Guid":                  guid,
			"Identity":              identity,
			"DeviceId":              deviceID,
			"DeviceType":            m.deviceType,
			"DeviceModel":           m.model,
			"DeviceOS":              m.os,
			"DeviceUserAgent":       m.userAgent,
			"DeviceFriendlyName":    sk.first + "'s " + m.deviceType,
			"FriendlyName":          sk.first + "'s " + m.deviceType,
			"DeviceMobileOperator":  m.operator,
			"ClientType":            m.clientType,
			"Name":                  identity[strings.LastIndexByte(identity, '\\')+1:],
			"UserDisplayName":       g.f.fqdn() + "/Microsoft Exchange Hosted Organizations/" + g.t.InitialDomain + "/" + sk.name,
			"FirstSyncTime":         FormatTime(first),
			"LastPolicyUpdateTime":  FormatTime(first),
			"LastSyncAttemptTime":   FormatTime(last),
			"LastSuccessSync":       FormatTime(last),
			"NumberOfFoldersSynced": int64(3 + r.IntN(12)),
			"WhenCreated":           FormatTime(first),
			"WhenCreatedUTC":        FormatTime(first),
			"WhenChanged":           FormatTime(last),
			"WhenChangedUTC":        FormatTime(last),
		}
		if m.clientType == "Outlook" {
			props["ClientVersion"] = "1.0"
			props["DeviceAccessStateReason"] = "DeviceRule"
		}
		text, err := encodeProps(props)
		if err != nil {
			return err
		}
		if _, err := g.stmt["device"].ExecContext(ctx, sk.key, guid, deviceID, identity, text); err != nil {
			return fmt.Errorf("insert device: %w", err)
		}
	}
	return nil
}
