package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// FindRecipient resolves an identity the way Exchange's -Identity does,
// case-insensitively: a GUID (Guid, ExchangeGuid or ExternalDirectoryObjectId),
// a LegacyExchangeDN or X500 address, a DistinguishedName, an email address
// (any proxy address, with or without a "smtp:"-style prefix) or UPN,
// "Domain\Name", and finally Name or Alias. Forms are tried in that order and
// the first that matches anything decides, so a Name that happens to look like
// a GUID still resolves. Only recipients selected by q's Types, RecipientTypes
// and Scope are candidates; After and Limit are ignored. More than one match
// is ErrAmbiguous, none is ErrNotFound.
func (s *Store) FindRecipient(ctx context.Context, identity string, q RecipientQuery) (Recipient, error) {
	id := strings.TrimSpace(identity)
	if id == "" {
		return Recipient{}, fmt.Errorf("%w: empty identity", ErrInvalid)
	}
	filter := []string{q.Scope.where()}
	var filterArgs []any
	filter, filterArgs = inClause(filter, filterArgs, "recipient_type_details", q.Types)
	filter, filterArgs = inClause(filter, filterArgs, "recipient_type", q.RecipientTypes)

	for _, t := range identityTiers(id) {
		args := append(append([]any{}, t.args...), filterArgs...)
		rs, err := s.queryRecipients(ctx, s.db, `SELECT `+recipientCols+` FROM recipients WHERE (`+t.where+`) AND `+
			strings.Join(filter, " AND ")+` ORDER BY id LIMIT ?`, append(args, t.limit)...)
		if err != nil {
			return Recipient{}, err
		}
		if t.prop != "" {
			// The query found candidates; the property decides.
			rs = slices.DeleteFunc(rs, func(r Recipient) bool { return !strings.EqualFold(propString(r.Props, t.prop), id) })
		}
		switch len(rs) {
		case 0:
			continue
		case 1:
			return rs[0], nil
		default:
			return Recipient{}, fmt.Errorf("%w: %q matches more than one recipient (%s, %s)", ErrAmbiguous, identity, rs[0].Name, rs[1].Name)
		}
	}
	return Recipient{}, fmt.Errorf("recipient %q: %w", identity, ErrNotFound)
}

type identityTier struct {
	where string
	args  []any
	limit int    // rows to fetch: two tell unique from ambiguous
	prop  string // when set, keep only rows whose property equals the identity
}

// identityTiers lists the lookups an identity string can mean, most
// specific first. DistinguishedName and LegacyExchangeDN are derived
// properties, so their tiers find candidates by the Name or Guid they are
// derived from and then compare the property itself.
func identityTiers(id string) []identityTier {
	var tiers []identityTier
	lower := strings.ToLower(id)
	if g, ok := canonicalGUID(id); ok {
		tiers = append(tiers, identityTier{`guid = ? OR exchange_guid = ? OR external_directory_object_id = ?`, []any{g, g, g}, 2, ""})
	}
	if strings.HasPrefix(lower, "/o=") {
		// .../cn=<32 hex digits of the Guid>-<alias>
		g := ""
		if i := strings.LastIndex(lower, "/cn="); i >= 0 && len(lower) >= i+4+32 {
			g, _ = canonicalGUID(lower[i+4 : i+4+32])
		}
		tiers = append(tiers, identityTier{`guid = ?`, []any{g}, 2, "LegacyExchangeDN"})
	}
	if strings.HasPrefix(lower, "/o=") || strings.HasPrefix(lower, "x500:") {
		x := strings.TrimPrefix(lower, "x500:")
		tiers = append(tiers, identityTier{`id IN (SELECT recipient_key FROM recipient_addresses WHERE address = ? AND prefix = 'x500')`, []any{x}, 2, ""})
	}
	if cn, ok := dnCommonName(id); ok {
		// Names are unique only among active recipients: fetch them all.
		tiers = append(tiers, identityTier{`name = ?`, []any{cn}, -1, "DistinguishedName"})
	}
	if strings.Contains(id, "@") {
		prefix, addr := splitProxy(lower)
		prefix = strings.ToLower(prefix)
		tiers = append(tiers, identityTier{`user_principal_name = ? OR id IN (SELECT recipient_key FROM recipient_addresses
			WHERE address = ? AND prefix = ?)`, []any{addr, addr, prefix}, 2, ""})
	}
	if i := strings.LastIndexByte(id, '\\'); i > 0 && i < len(id)-1 {
		user := id[i+1:]
		tiers = append(tiers, identityTier{`name = ? OR alias = ?`, []any{user, user}, 2, ""})
	}
	tiers = append(tiers, identityTier{`name = ? OR alias = ?`, []any{id, id}, 2, ""})
	return tiers
}

// dnCommonName returns the unescaped CN of a "CN=...,..." distinguished name.
func dnCommonName(dn string) (string, bool) {
	if len(dn) < 3 || !strings.EqualFold(dn[:3], "cn=") {
		return "", false
	}
	var b strings.Builder
	for i := 3; i < len(dn); i++ {
		switch c := dn[i]; {
		case c == '\\' && i+1 < len(dn):
			i++
			b.WriteByte(dn[i])
		case c == ',':
			return b.String(), true
		default:
			b.WriteByte(c)
		}
	}
	return "", false
}
