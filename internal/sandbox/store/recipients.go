package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Recipient is one Exchange recipient: its indexed columns and its complete
// property bag (every Exchange property of its kind, by Exchange name).
type Recipient struct {
	Key                       int64 // stable row key; listings page by it
	GUID                      string
	ExchangeGUID              string // mailbox GUID; empty for non-mailboxes
	ExternalDirectoryObjectID string
	Name                      string
	Alias                     string
	DisplayName               string
	PrimarySMTPAddress        string
	UserPrincipalName         string
	DistinguishedName         string
	RecipientType             string
	RecipientTypeDetails      string
	SoftDeleted               bool // soft-deleted, including inactive mailboxes
	Inactive                  bool // an inactive mailbox (soft-deleted while on hold)
	// Props is the recipient's own map: callers may set and delete its
	// entries. Its list and object values may be shared with other
	// recipients (they come from the kind's cached defaults), so replace
	// them rather than change them in place.
	Props map[string]any
}

// Scope selects recipients by lifecycle state, mirroring the cmdlet switches.
type Scope int

// Scopes.
const (
	ScopeActive            Scope = iota // the default: not soft-deleted
	ScopeActiveAndInactive              // -IncludeInactiveMailbox
	ScopeInactiveOnly                   // -InactiveMailboxOnly
	ScopeSoftDeleted                    // -SoftDeletedMailbox: soft-deleted, inactive included
	ScopeAll                            // -IncludeSoftDeletedRecipients: active and soft-deleted
)

func (sc Scope) where() string {
	switch sc {
	case ScopeActiveAndInactive:
		return "(soft_deleted = 0 OR inactive = 1)"
	case ScopeInactiveOnly:
		return "inactive = 1"
	case ScopeSoftDeleted:
		return "soft_deleted = 1"
	case ScopeAll:
		return "1"
	}
	return "soft_deleted = 0"
}

// RecipientQuery selects a page of recipients in key order.
type RecipientQuery struct {
	Types          []string // RecipientTypeDetails to include; empty means all
	RecipientTypes []string // RecipientType to include; empty means all
	Scope          Scope
	After          int64 // return keys greater than this
	Limit          int   // at most this many; <= 0 means all
}

const recipientCols = `id, guid, exchange_guid, external_directory_object_id, name, alias, display_name,
	primary_smtp_address, user_principal_name, recipient_type, recipient_type_details, soft_deleted, inactive, props`

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// ListRecipients returns recipients matching q, ordered by key. Seeded
// tenants insert recipients in name order, so key order is name order there.
func (s *Store) ListRecipients(ctx context.Context, q RecipientQuery) ([]Recipient, error) {
	var out []Recipient
	err := s.WalkRecipients(ctx, q, func(r *Recipient) bool {
		out = append(out, *r)
		return true
	})
	return out, err
}

// WalkRecipients calls fn with each recipient ListRecipients would return,
// in order, until fn returns false. Each bag is built just before fn gets
// it, so a caller that renders recipients one by one finds each bag still
// in the CPU cache and never holds a whole page of bags. fn may keep the
// recipient and may use the store.
func (s *Store) WalkRecipients(ctx context.Context, q RecipientQuery, fn func(*Recipient) bool) error {
	where := []string{"id > ?", q.Scope.where()}
	args := []any{q.After}
	where, args = inClause(where, args, "recipient_type_details", q.Types)
	where, args = inClause(where, args, "recipient_type", q.RecipientTypes)
	args = append(args, limitArg(q.Limit))
	// Filtering by type walks the type index, so the rows must be sorted
	// by key afterwards. Picking the page's keys first keeps that sort down
	// to keys: sorting whole rows, bags included, was most of a page's
	// query time.
	return s.walkRecipients(ctx, s.db, fn, `SELECT `+recipientCols+` FROM recipients WHERE id IN (SELECT id FROM recipients WHERE `+
		strings.Join(where, " AND ")+` ORDER BY id LIMIT ?) ORDER BY id`, args...)
}

func inClause(where []string, args []any, col string, vals []string) ([]string, []any) {
	if len(vals) == 0 {
		return where, args
	}
	where = append(where, col+" IN ("+strings.TrimSuffix(strings.Repeat("?,", len(vals)), ",")+")")
	for _, v := range vals {
		args = append(args, v)
	}
	return where, args
}

// Recipient returns the recipient with the given key.
func (s *Store) Recipient(ctx context.Context, key int64) (Recipient, error) {
	return s.recipient(ctx, s.db, key)
}

func (s *Store) recipient(ctx context.Context, q querier, key int64) (Recipient, error) {
	rs, err := s.queryRecipients(ctx, q, `SELECT `+recipientCols+` FROM recipients WHERE id = ?`, key)
	if err != nil {
		return Recipient{}, err
	}
	if len(rs) == 0 {
		return Recipient{}, fmt.Errorf("recipient %d: %w", key, ErrNotFound)
	}
	return rs[0], nil
}

// queryRecipients runs a query selecting recipientCols and returns its
// recipients (see walkRecipients).
func (s *Store) queryRecipients(ctx context.Context, q querier, query string, args ...any) ([]Recipient, error) {
	var out []Recipient
	err := s.walkRecipients(ctx, q, func(r *Recipient) bool {
		out = append(out, *r)
		return true
	}, query, args...)
	return out, err
}

// walkRecipients runs a query selecting recipientCols, merges each row's bag
// onto its base and passes the recipient to fn until fn returns false. Rows
// are read completely before anything else is asked of q, fn included.
func (s *Store) walkRecipients(ctx context.Context, q querier, fn func(*Recipient) bool, query string, args ...any) error {
	type row struct {
		key   int64
		c     recipientColumns
		props string
	}
	var raw []row
	err := func() error {
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("query recipients: %w", err)
		}
		defer func() { _ = rows.Close() }()
		for rows.Next() {
			var r row
			c := &r.c
			if err := rows.Scan(&r.key, &c.guid, &c.exchangeGUID, &c.edoid, &c.name, &c.alias, &c.displayName, &c.primarySMTP,
				&c.upn, &c.recipientType, &c.recipientTypeDetails, &c.softDeleted, &c.inactive, &r.props); err != nil {
				return fmt.Errorf("read recipient: %w", err)
			}
			raw = append(raw, r)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read recipients: %w", err)
		}
		return nil
	}()
	if err != nil || len(raw) == 0 {
		return err
	}
	t, err := s.cachedTenant(ctx, q)
	if err != nil {
		return err
	}
	d := newDeriver(t)
	for _, r := range raw {
		own, err := decodeProps(r.props)
		if err != nil {
			return fmt.Errorf("recipient %d: %w", r.key, err)
		}
		c := r.c
		base, err := s.base(ctx, q, tmplRecipientPrefix+c.recipientTypeDetails)
		if err != nil {
			return err
		}
		m := expandProps(d, base, own, c)
		if !fn(&Recipient{
			Key: r.key, GUID: c.guid, ExchangeGUID: c.exchangeGUID, ExternalDirectoryObjectID: c.edoid, Name: c.name,
			Alias: c.alias, DisplayName: c.displayName, PrimarySMTPAddress: c.primarySMTP, UserPrincipalName: c.upn,
			DistinguishedName: propString(m, "DistinguishedName"), RecipientType: c.recipientType,
			RecipientTypeDetails: c.recipientTypeDetails, SoftDeleted: c.softDeleted, Inactive: c.inactive, Props: m,
		}) {
			return nil
		}
	}
	return nil
}

// NewRecipient creates a recipient from props, which must hold Name and
// RecipientTypeDetails. Everything else a new object of that kind has
// (Guid, ExternalDirectoryObjectId, Alias, EmailAddresses, DN, ...) is
// filled in when missing. Mailboxes also get statistics and default folders.
func (s *Store) NewRecipient(ctx context.Context, props map[string]any) (Recipient, error) {
	t, err := s.cachedTenant(ctx, s.db)
	if err != nil {
		return Recipient{}, err
	}
	p, err := canonicalProps(props)
	if err != nil {
		return Recipient{}, err
	}
	if propString(p, "Name") == "" || propString(p, "RecipientTypeDetails") == "" {
		return Recipient{}, fmt.Errorf("%w: Name and RecipientTypeDetails are required", ErrInvalid)
	}
	r := newRand()
	now := s.now()
	completeRecipient(t, p, r, now)
	var out Recipient
	err = s.write(ctx, func(tx *sql.Tx) error {
		key, err := s.storeRecipient(ctx, tx, 0, p)
		if err != nil {
			return err
		}
		if hasMailbox(propString(p, "RecipientTypeDetails")) {
			if err := s.createMailboxData(ctx, tx, key, p, now); err != nil {
				return err
			}
		}
		out, err = s.recipient(ctx, tx, key)
		return err
	})
	return out, err
}

// UpdateRecipientProps merges props into a recipient's bag (a nil value sets
// the property to null) and returns the result. Related properties follow
// as in Exchange: a new PrimarySmtpAddress is promoted in EmailAddresses,
// derived properties (Identity, Id, DistinguishedName, WindowsEmailAddress,
// WindowsLiveID, ...) follow what they derive from, a new
// RecipientTypeDetails sets RecipientType, and WhenChanged is stamped.
func (s *Store) UpdateRecipientProps(ctx context.Context, key int64, props map[string]any) (Recipient, error) {
	t, err := s.cachedTenant(ctx, s.db)
	if err != nil {
		return Recipient{}, err
	}
	upd, err := canonicalProps(props)
	if err != nil {
		return Recipient{}, err
	}
	var out Recipient
	err = s.write(ctx, func(tx *sql.Tx) error {
		cur, err := s.recipient(ctx, tx, key)
		if err != nil {
			return err
		}
		full := applyUpdate(t, cur.Props, upd)
		if d, ok := upd["RecipientTypeDetails"].(string); ok {
			if _, set := upd["RecipientType"]; !set && recipientTypes[d] != "" {
				full["RecipientType"] = recipientTypes[d]
			}
		}
		reconcileAddresses(full, upd)
		if _, set := upd["WhenChanged"]; !set {
			full["WhenChanged"] = FormatTime(s.now())
		}
		if _, err := s.storeRecipient(ctx, tx, key, full); err != nil {
			return err
		}
		out, err = s.recipient(ctx, tx, key)
		return err
	})
	return out, err
}

// RemoveRecipient removes a recipient. Mailboxes, Microsoft 365 groups and
// mail users are soft-deleted (a mailbox on litigation or in-place hold
// becomes inactive) unless permanent is set or they already are
// soft-deleted; everything else is deleted with its related rows.
func (s *Store) RemoveRecipient(ctx context.Context, key int64, permanent bool) error {
	t, err := s.cachedTenant(ctx, s.db)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		cur, err := s.recipient(ctx, tx, key)
		if err != nil {
			return err
		}
		if permanent || cur.SoftDeleted || !softDeletable(cur.RecipientTypeDetails) {
			if _, err := tx.ExecContext(ctx, `DELETE FROM recipients WHERE id = ?`, key); err != nil {
				return fmt.Errorf("delete recipient %d: %w", key, err)
			}
			return nil
		}
		when := FormatTime(s.now())
		full := applyUpdate(t, cur.Props, map[string]any{"IsSoftDeletedByRemove": true, "WhenSoftDeleted": when, "WhenChanged": when})
		if hasMailbox(cur.RecipientTypeDetails) && (propBool(full, "LitigationHoldEnabled") || len(propStrings(full, "InPlaceHolds")) > 0) {
			full["IsInactiveMailbox"] = true
		}
		_, err = s.storeRecipient(ctx, tx, key, full)
		return err
	})
}

// storeRecipient writes a complete bag as row key (0 inserts a new row),
// checking the uniqueness rules Exchange enforces among active recipients,
// and rewrites the row's addresses. It returns the row key.
func (s *Store) storeRecipient(ctx context.Context, tx *sql.Tx, key int64, full map[string]any) (int64, error) {
	c, err := columnsOf(full)
	if err != nil {
		return 0, err
	}
	proxies := proxiesOf(full)
	if !c.softDeleted {
		if err := checkActiveUnique(ctx, tx, key, c, proxies); err != nil {
			return 0, err
		}
	}
	t, err := s.cachedTenant(ctx, tx)
	if err != nil {
		return 0, err
	}
	base, err := s.base(ctx, tx, tmplRecipientPrefix+c.recipientTypeDetails)
	if err != nil {
		return 0, err
	}
	own, err := encodeProps(ownProps(t, full, base))
	if err != nil {
		return 0, err
	}
	args := []any{c.guid, c.exchangeGUID, c.edoid, c.name, c.alias, c.displayName, c.primarySMTP, c.upn,
		c.recipientType, c.recipientTypeDetails, c.softDeleted, c.inactive, own}
	if key == 0 {
		res, err := tx.ExecContext(ctx, insertRecipientSQL, append([]any{nil}, args...)...)
		if err != nil {
			if isUniqueViolation(err) {
				return 0, fmt.Errorf("%w: Guid %s already exists", ErrConflict, c.guid)
			}
			return 0, fmt.Errorf("insert recipient: %w", err)
		}
		if key, err = res.LastInsertId(); err != nil {
			return 0, fmt.Errorf("insert recipient: %w", err)
		}
	} else {
		_, err := tx.ExecContext(ctx, `UPDATE recipients SET guid = ?, exchange_guid = ?, external_directory_object_id = ?,
			name = ?, alias = ?, display_name = ?, primary_smtp_address = ?, user_principal_name = ?,
			recipient_type = ?, recipient_type_details = ?, soft_deleted = ?, inactive = ?, props = ?
			WHERE id = ?`, append(args, key)...)
		if err != nil {
			if isUniqueViolation(err) {
				return 0, fmt.Errorf("%w: Guid %s already exists", ErrConflict, c.guid)
			}
			return 0, fmt.Errorf("update recipient %d: %w", key, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM recipient_addresses WHERE recipient_key = ?`, key); err != nil {
			return 0, fmt.Errorf("update addresses of %d: %w", key, err)
		}
	}
	for _, p := range proxies {
		if _, err := tx.ExecContext(ctx, insertAddressSQL, key, p.prefix, p.address); err != nil {
			return 0, fmt.Errorf("store address %s: %w", p.address, err)
		}
	}
	return key, nil
}

const (
	insertRecipientSQL = `INSERT INTO recipients (id, guid, exchange_guid, external_directory_object_id, name, alias,
		display_name, primary_smtp_address, user_principal_name, recipient_type, recipient_type_details, soft_deleted,
		inactive, props) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	insertAddressSQL = `INSERT INTO recipient_addresses (recipient_key, prefix, address) VALUES (?, ?, ?)`
)

// checkActiveUnique enforces what must be unique among active recipients:
// Name, UserPrincipalName, ExternalDirectoryObjectId and every proxy address.
func checkActiveUnique(ctx context.Context, tx *sql.Tx, key int64, c recipientColumns, proxies []proxy) error {
	checks := []struct{ what, query, value string }{
		{"name", `SELECT id FROM recipients WHERE name = ? AND soft_deleted = 0 AND id != ? LIMIT 1`, c.name},
		{"user principal name", `SELECT id FROM recipients WHERE user_principal_name = ? AND soft_deleted = 0 AND id != ? LIMIT 1`, c.upn},
		{"external directory object ID", `SELECT id FROM recipients WHERE external_directory_object_id = ? AND soft_deleted = 0 AND id != ? LIMIT 1`, c.edoid},
	}
	for _, ch := range checks {
		if ch.value == "" {
			continue
		}
		if err := noRow(ctx, tx, ch.what, ch.value, ch.query, ch.value, key); err != nil {
			return err
		}
	}
	for _, p := range proxies {
		err := noRow(ctx, tx, "address", p.prefix+":"+p.address, `SELECT a.recipient_key FROM recipient_addresses a
			JOIN recipients r ON r.id = a.recipient_key
			WHERE a.address = ? AND a.prefix = ? AND r.soft_deleted = 0 AND a.recipient_key != ? LIMIT 1`,
			p.address, p.prefix, key)
		if err != nil {
			return err
		}
	}
	return nil
}

// noRow returns ErrConflict when query finds a row.
func noRow(ctx context.Context, tx *sql.Tx, what, value, query string, args ...any) error {
	var other int64
	err := tx.QueryRowContext(ctx, query, args...).Scan(&other)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("check %s: %w", what, err)
	}
	return fmt.Errorf("%w: %s %q is already used by recipient %d", ErrConflict, what, value, other)
}
