package store

import (
	"cmp"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"strings"
	"time"
)

// This file keeps a recipient's derived properties consistent the way
// Exchange does: filling in what a new object gets by default, keeping
// PrimarySmtpAddress and EmailAddresses in step, and deriving the indexed
// columns from the property bag (the bag is the source of truth).

// completeRecipient fills in every per-object property a new recipient of
// its kind has and p lacks, except those computedProps derives. r supplies
// identifiers, now the creation time.
func completeRecipient(t Tenant, p map[string]any, r *rand.Rand, now time.Time) {
	f := forestOf(t.ID)
	details := propString(p, "RecipientTypeDetails")
	set := func(k string, v func() any) {
		if _, ok := p[k]; !ok {
			p[k] = v()
		}
	}
	set("RecipientType", func() any { return recipientTypes[details] })
	name := propString(p, "Name")
	set("Guid", func() any { return randomGUID(r) })
	set("ExternalDirectoryObjectId", func() any { return randomGUID(r) })
	set("Alias", func() any { return aliasFrom(name) })
	alias := propString(p, "Alias")
	set("DisplayName", func() any { return name })
	when := FormatTime(now)
	set("WhenCreated", func() any { return when })
	set("WhenChanged", func() any { return when })

	if _, ok := p["EmailAddresses"]; !ok {
		primary := propString(p, "PrimarySmtpAddress")
		if ext := strings.TrimPrefix(strings.TrimPrefix(propString(p, "ExternalEmailAddress"), "SMTP:"), "smtp:"); primary == "" && ext != "" && recipientTypes[details] == "MailContact" {
			primary = ext
		}
		if primary == "" {
			primary = alias + "@" + t.DefaultDomain()
		}
		addrs := []string{"SMTP:" + primary}
		if initial := alias + "@" + t.InitialDomain; !strings.EqualFold(initial, primary) && recipientTypes[details] != "MailContact" {
			addrs = append(addrs, "smtp:"+initial)
		}
		p["EmailAddresses"] = stringsToAny(addrs)
	}
	reconcileAddresses(p, p)

	kind := recipientTypes[details]
	if kind == "UserMailbox" || kind == "MailUser" {
		set("UserPrincipalName", func() any { return alias + "@" + t.DefaultDomain() })
		set("SamAccountName", func() any { return "$" + randomHex(r, 3) + "-" + randomHex(r, 6) })
		set("NetID", func() any { return randomHex(r, 8) })
		if kind == "MailUser" {
			set("ExternalEmailAddress", func() any { return "SMTP:" + propString(p, "PrimarySmtpAddress") })
		}
	}
	if ext := propString(p, "ExternalEmailAddress"); ext != "" && !strings.Contains(ext, ":") {
		p["ExternalEmailAddress"] = "SMTP:" + ext // Exchange prints it as a proxy address
	}
	if isGroup(details) {
		set("SamAccountName", func() any { return alias + "-" + strings.ToLower(randomHex(r, 5)) })
	}
	if hasMailbox(details) {
		set("ExchangeGuid", func() any { return randomGUID(r) })
		n := r.IntN(24)
		db, server := f.mailboxDatabase(n)
		set("Database", func() any { return db })
		set("ServerName", func() any { return server })
	}
	if details == "GroupMailbox" {
		site := "https://" + strings.SplitN(t.InitialDomain, ".", 2)[0] + ".sharepoint.com/sites/" + alias
		set("SharePointSiteUrl", func() any { return site })
		set("SharePointDocumentsUrl", func() any { return site + "/Shared Documents" })
	}
}

// mailboxDatabase names the n-th mailbox database of the forest and the
// server that hosts its active copy.
func (f forest) mailboxDatabase(n int) (db, server string) {
	db = fmt.Sprintf("%sDG%03d-db%03d", f.region, 100+(n*37)%800, 10+(n*53)%90)
	server = strings.ToLower(fmt.Sprintf("%sMB%04d", f.servers, 1000+(n*397)%9000))
	return db, server
}

// protectionDomain is the forest's region in MailboxLocations form.
func (f forest) protectionDomain() string {
	return strings.ToLower(strings.Replace(f.region, "PR", "PRD", 1)) + ".prod.outlook.com"
}

// aliasFrom turns a name into an alias by dropping characters aliases
// cannot hold.
func aliasFrom(name string) string {
	var b strings.Builder
	for _, c := range name {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.ContainsRune("!#$%&'*+-/=?^_`{|}~.", c):
			b.WriteRune(c)
		}
	}
	return strings.Trim(b.String(), ".")
}

// reconcileAddresses keeps PrimarySmtpAddress, WindowsEmailAddress and the
// SMTP: entry of EmailAddresses in step after upd was applied to full: a new
// primary address (either property) is promoted into EmailAddresses, else
// the primary is read from EmailAddresses.
func reconcileAddresses(full, upd map[string]any) {
	addrs := propStrings(full, "EmailAddresses")
	primary := ""
	if _, ok := upd["PrimarySmtpAddress"]; ok {
		primary = propString(full, "PrimarySmtpAddress")
	} else if _, ok := upd["WindowsEmailAddress"]; ok {
		primary = propString(full, "WindowsEmailAddress")
	}
	if primary != "" {
		addrs = promotePrimary(addrs, primary)
	} else {
		addrs, primary = ensurePrimary(addrs)
	}
	full["EmailAddresses"] = stringsToAny(addrs)
	full["PrimarySmtpAddress"] = primary
	full["WindowsEmailAddress"] = primary
}

// splitProxy splits "SMTP:a@b" into ("SMTP", "a@b"); a bare address is SMTP.
func splitProxy(a string) (prefix, addr string) {
	if i := strings.IndexByte(a, ':'); i > 0 && !strings.ContainsAny(a[:i], "@/") {
		return a[:i], a[i+1:]
	}
	return "SMTP", a
}

func promotePrimary(addrs []string, primary string) []string {
	out := make([]string, 0, len(addrs)+1)
	found := false
	for _, a := range addrs {
		prefix, addr := splitProxy(a)
		if !strings.EqualFold(prefix, "smtp") {
			out = append(out, a)
			continue
		}
		if strings.EqualFold(addr, primary) {
			if !found {
				out = append(out, "SMTP:"+primary)
			}
			found = true
			continue
		}
		out = append(out, "smtp:"+addr)
	}
	if !found {
		out = append([]string{"SMTP:" + primary}, out...)
	}
	return out
}

// ensurePrimary makes sure exactly one SMTP entry is primary (the first
// upper-case one, else the first SMTP one) and returns it.
func ensurePrimary(addrs []string) ([]string, string) {
	primary := ""
	for _, a := range addrs {
		if prefix, addr := splitProxy(a); prefix == "SMTP" {
			primary = addr
			break
		}
	}
	if primary == "" {
		for _, a := range addrs {
			if prefix, addr := splitProxy(a); strings.EqualFold(prefix, "smtp") {
				primary = addr
				break
			}
		}
	}
	if primary == "" {
		return addrs, ""
	}
	return promotePrimary(addrs, primary), primary
}

// stickyProps are computed properties Exchange sets once: they keep their
// value when what they were derived from changes.
var stickyProps = map[string]bool{"LegacyExchangeDN": true, "WhenMailboxCreated": true, "StsRefreshTokensValidFrom": true}

// applyUpdate returns cur with upd applied. Computed properties that held
// their derived value are dropped (unless sticky or set by upd) so that they
// are derived again from the updated bag.
func applyUpdate(t Tenant, cur, upd map[string]any) map[string]any {
	full := mergeProps(cur, upd)
	for k, v := range computedProps(t, cur) {
		if _, set := upd[k]; set || stickyProps[k] {
			continue
		}
		if reflect.DeepEqual(cur[k], v) {
			delete(full, k)
		}
	}
	return full
}

// proxy is one row of recipient_addresses.
type proxy struct{ prefix, address string }

// proxiesOf lists a bag's EmailAddresses in lookup form.
func proxiesOf(full map[string]any) []proxy {
	var out []proxy
	seen := map[proxy]bool{}
	for _, a := range propStrings(full, "EmailAddresses") {
		prefix, addr := splitProxy(a)
		p := proxy{strings.ToLower(prefix), strings.ToLower(addr)}
		if p.address == "" || seen[p] {
			continue
		}
		seen[p] = true
		out = append(out, p)
	}
	return out
}

// recipientColumns are the indexed columns of a recipient row.
type recipientColumns struct {
	guid, exchangeGUID, edoid           string
	name, alias, displayName            string
	primarySMTP, upn                    string
	recipientType, recipientTypeDetails string
	softDeleted, inactive               bool
}

// columnProps are the properties stored only in columns.
var columnProps = []string{"Guid", "ExchangeGuid", "ExternalDirectoryObjectId", "Name", "Alias", "DisplayName",
	"PrimarySmtpAddress", "UserPrincipalName", "RecipientType", "RecipientTypeDetails"}

// columnsOf derives the indexed columns from a complete bag.
func columnsOf(full map[string]any) (recipientColumns, error) {
	c := recipientColumns{
		name:                 propString(full, "Name"),
		alias:                propString(full, "Alias"),
		displayName:          propString(full, "DisplayName"),
		primarySMTP:          propString(full, "PrimarySmtpAddress"),
		upn:                  propString(full, "UserPrincipalName"),
		recipientType:        propString(full, "RecipientType"),
		recipientTypeDetails: propString(full, "RecipientTypeDetails"),
		inactive:             propBool(full, "IsInactiveMailbox"),
	}
	c.softDeleted = propBool(full, "IsSoftDeletedByRemove") || propBool(full, "IsSoftDeletedByDisable") || c.inactive
	if c.name == "" {
		return c, fmt.Errorf("%w: Name is required", ErrInvalid)
	}
	if c.recipientTypeDetails == "" || c.recipientType == "" {
		return c, fmt.Errorf("%w: RecipientTypeDetails is required", ErrInvalid)
	}
	var ok bool
	if c.guid, ok = canonicalGUID(propString(full, "Guid")); !ok {
		return c, fmt.Errorf("%w: Guid %q", ErrInvalid, propString(full, "Guid"))
	}
	for _, g := range []struct {
		dst *string
		key string
	}{{&c.exchangeGUID, "ExchangeGuid"}, {&c.edoid, "ExternalDirectoryObjectId"}} {
		v := propString(full, g.key)
		if v == "" || v == emptyGUID {
			continue
		}
		if *g.dst, ok = canonicalGUID(v); !ok {
			return c, fmt.Errorf("%w: %s %q", ErrInvalid, g.key, v)
		}
	}
	return c, nil
}

// setColumnProps puts the column values back into a bag.
func setColumnProps(m map[string]any, c recipientColumns) {
	m["Guid"], m["Name"], m["Alias"], m["DisplayName"] = c.guid, c.name, c.alias, c.displayName
	m["PrimarySmtpAddress"], m["UserPrincipalName"] = c.primarySMTP, c.upn
	m["RecipientType"], m["RecipientTypeDetails"] = c.recipientType, c.recipientTypeDetails
	m["ExchangeGuid"] = cmp.Or(c.exchangeGUID, emptyGUID)
	m["ExternalDirectoryObjectId"] = c.edoid
}

// computedProps are properties Exchange derives from others. A row stores
// one only when it differs from the derived value (say, LegacyExchangeDN
// after the alias changed), and readers get the derived value otherwise.
func computedProps(t Tenant, m map[string]any) map[string]any {
	out := map[string]any{}
	newDeriver(t).derive(m, func(k string, v any) { out[k] = v })
	return out
}

// deriver computes the computed properties of many bags of one tenant,
// working out the tenant-wide parts once.
type deriver struct {
	t                Tenant
	f                forest
	protectionDomain string
	dbGUIDs          map[string]string // derivedGUID of each database seen so far
}

func newDeriver(t Tenant) *deriver {
	f := forestOf(t.ID)
	return &deriver{t: t, f: f, protectionDomain: f.protectionDomain(), dbGUIDs: map[string]string{}}
}

// derive passes each computed property of m to set. None of them is an
// input of another, so set may write them into m itself.
func (d *deriver) derive(m map[string]any, set func(k string, v any)) {
	name, guid := propString(m, "Name"), propString(m, "Guid")
	set("Identity", name)
	set("Id", name)
	set("DistinguishedName", d.f.distinguishedName(d.t.InitialDomain, name))
	set("ExchangeObjectId", guid)
	set("WhenCreatedUTC", m["WhenCreated"])
	set("WhenChangedUTC", m["WhenChanged"])
	set("WindowsEmailAddress", propString(m, "PrimarySmtpAddress"))
	set("LegacyExchangeDN", legacyExchangeDN(guid, propString(m, "Alias")))
	details := propString(m, "RecipientTypeDetails")
	if kind := recipientTypes[details]; kind == "UserMailbox" || kind == "MailUser" {
		set("WindowsLiveID", propString(m, "UserPrincipalName"))
		set("MicrosoftOnlineServicesID", propString(m, "UserPrincipalName"))
	}
	if db := propString(m, "Database"); hasMailbox(details) && db != "" {
		dbGUID, ok := d.dbGUIDs[db]
		if !ok {
			dbGUID = derivedGUID(d.t.ID, db)
			d.dbGUIDs[db] = dbGUID
		}
		set("DatabaseGuid", dbGUID)
		set("MailboxLocations", list("1;"+propString(m, "ExchangeGuid")+";Primary;"+d.protectionDomain+";"+dbGUID))
		set("WhenMailboxCreated", m["WhenCreated"])
		set("StsRefreshTokensValidFrom", m["WhenCreated"])
		if server := propString(m, "ServerName"); server != "" {
			set("ServerLegacyDN", "/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Configuration/cn=Servers/cn="+strings.ToUpper(server))
		}
	}
}

// ownProps returns what a row must store for full, given its kind's base:
// what differs from the base, less the column-backed properties and the
// computed ones that hold their derived value.
func ownProps(t Tenant, full, base map[string]any) map[string]any {
	own := diffProps(full, base)
	for _, k := range columnProps {
		delete(own, k)
	}
	for k, v := range computedProps(t, full) {
		if cur, ok := full[k]; !ok || reflect.DeepEqual(cur, v) {
			delete(own, k)
		}
	}
	return own
}

// expandProps rebuilds a complete bag from a row: base, own values,
// columns, then computed values the row does not override. The bag is the
// caller's, but its values from base are shared with every other bag of the
// kind (see Recipient.Props); own becomes part of it.
func expandProps(d *deriver, base, own map[string]any, c recipientColumns) map[string]any {
	m := maps.Clone(base)
	maps.Copy(m, own)
	setColumnProps(m, c)
	d.derive(m, func(k string, v any) {
		if _, ok := own[k]; !ok {
			m[k] = v
		}
	})
	return m
}
