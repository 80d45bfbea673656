package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Trustees are named by a User string: a well-known principal such as
// "NT AUTHORITY\SELF", or a recipient's UserPrincipalName (its primary SMTP
// address when it has no UPN), which is what Exchange prints. TrusteeKey
// links the entry to that recipient; 0 means it is not a recipient.
// Matching a User is case-insensitive.

// MailboxPermission is one entry of Get-MailboxPermission.
type MailboxPermission struct {
	ID              int64
	MailboxKey      int64
	User            string
	TrusteeKey      int64
	AccessRights    []string // FullAccess, ReadPermission, ChangePermission, ChangeOwner, DeleteItem, ExternalAccount
	Deny            bool
	IsInherited     bool
	InheritanceType string // All, None, Descendents, SelfAndChildren, Children
}

// RecipientPermission is one entry of Get-RecipientPermission.
type RecipientPermission struct {
	ID                int64
	RecipientKey      int64
	Trustee           string
	TrusteeKey        int64
	AccessControlType string   // Allow or Deny
	AccessRights      []string // SendAs
	IsInherited       bool
	InheritanceType   string // None or All
}

// MailboxPermissions lists a mailbox's permission entries in creation order.
func (s *Store) MailboxPermissions(ctx context.Context, mailboxKey int64) ([]MailboxPermission, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, mailbox_key, user_name, IFNULL(trustee_key, 0), access_rights, deny,
		is_inherited, inheritance_type FROM mailbox_permissions WHERE mailbox_key = ? ORDER BY id`, mailboxKey)
	if err != nil {
		return nil, fmt.Errorf("read mailbox permissions: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []MailboxPermission
	for rows.Next() {
		var p MailboxPermission
		var rights string
		if err := rows.Scan(&p.ID, &p.MailboxKey, &p.User, &p.TrusteeKey, &rights, &p.Deny, &p.IsInherited, &p.InheritanceType); err != nil {
			return nil, fmt.Errorf("read mailbox permission: %w", err)
		}
		if p.AccessRights, err = decodeRights(rights); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read mailbox permissions: %w", err)
	}
	return out, nil
}

// AddMailboxPermission grants p.AccessRights on p.MailboxKey to p.User. The
// rights join an existing entry with the same User, Deny and IsInherited;
// the resulting entry is returned. ErrConflict means the entry already had
// every right asked for (the entry is still returned).
func (s *Store) AddMailboxPermission(ctx context.Context, p MailboxPermission) (MailboxPermission, error) {
	if p.User == "" || len(p.AccessRights) == 0 {
		return MailboxPermission{}, fmt.Errorf("%w: User and AccessRights are required", ErrInvalid)
	}
	if p.InheritanceType == "" {
		p.InheritanceType = "All"
	}
	var conflict bool
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := requireRecipient(ctx, tx, p.MailboxKey); err != nil {
			return err
		}
		var id int64
		var rights string
		err := tx.QueryRowContext(ctx, `SELECT id, access_rights FROM mailbox_permissions WHERE mailbox_key = ? AND user_name = ? COLLATE NOCASE
			AND deny = ? AND is_inherited = ? ORDER BY id LIMIT 1`, p.MailboxKey, p.User, p.Deny, p.IsInherited).Scan(&id, &rights)
		if errors.Is(err, sql.ErrNoRows) {
			res, err := tx.ExecContext(ctx, `INSERT INTO mailbox_permissions (mailbox_key, user_name, trustee_key, access_rights, deny,
				is_inherited, inheritance_type) VALUES (?, ?, ?, ?, ?, ?, ?)`, p.MailboxKey, p.User, nullKey(p.TrusteeKey),
				encodeRights(p.AccessRights), p.Deny, p.IsInherited, p.InheritanceType)
			if err != nil {
				return fmt.Errorf("add mailbox permission: %w", err)
			}
			p.ID, err = res.LastInsertId()
			return err
		}
		if err != nil {
			return fmt.Errorf("read mailbox permission: %w", err)
		}
		have, err := decodeRights(rights)
		if err != nil {
			return err
		}
		merged, added := unionRights(have, p.AccessRights)
		conflict = !added
		p.ID, p.AccessRights = id, merged
		_, err = tx.ExecContext(ctx, `UPDATE mailbox_permissions SET access_rights = ? WHERE id = ?`, encodeRights(merged), id)
		if err != nil {
			return fmt.Errorf("update mailbox permission: %w", err)
		}
		return nil
	})
	if err == nil && conflict {
		err = fmt.Errorf("%w: %s already has %s on mailbox %d", ErrConflict, p.User, strings.Join(p.AccessRights, ","), p.MailboxKey)
	}
	return p, err
}

// RemoveMailboxPermission takes rights (all when empty) away from user's
// explicit entries on a mailbox with the given Deny flag, dropping entries
// left without rights. ErrNotFound means no such entry held any of them.
func (s *Store) RemoveMailboxPermission(ctx context.Context, mailboxKey int64, user string, rights []string, deny bool) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		return removeRights(ctx, tx, "mailbox_permissions", `mailbox_key = ? AND user_name = ? COLLATE NOCASE AND deny = ? AND is_inherited = 0`,
			[]any{mailboxKey, user, deny}, rights, fmt.Sprintf("%s on mailbox %d", user, mailboxKey))
	})
}

// RecipientPermissions lists a recipient's Send As entries in creation order.
func (s *Store) RecipientPermissions(ctx context.Context, recipientKey int64) ([]RecipientPermission, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, recipient_key, trustee, IFNULL(trustee_key, 0), access_control_type, access_rights,
		is_inherited, inheritance_type FROM recipient_permissions WHERE recipient_key = ? ORDER BY id`, recipientKey)
	if err != nil {
		return nil, fmt.Errorf("read recipient permissions: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []RecipientPermission
	for rows.Next() {
		var p RecipientPermission
		var rights string
		if err := rows.Scan(&p.ID, &p.RecipientKey, &p.Trustee, &p.TrusteeKey, &p.AccessControlType, &rights, &p.IsInherited, &p.InheritanceType); err != nil {
			return nil, fmt.Errorf("read recipient permission: %w", err)
		}
		if p.AccessRights, err = decodeRights(rights); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read recipient permissions: %w", err)
	}
	return out, nil
}

// AddRecipientPermission grants p.AccessRights (default SendAs) on
// p.RecipientKey to p.Trustee, joining an existing Allow entry for the same
// trustee. ErrConflict means the trustee already had them.
func (s *Store) AddRecipientPermission(ctx context.Context, p RecipientPermission) (RecipientPermission, error) {
	if p.Trustee == "" {
		return RecipientPermission{}, fmt.Errorf("%w: Trustee is required", ErrInvalid)
	}
	if len(p.AccessRights) == 0 {
		p.AccessRights = []string{"SendAs"}
	}
	if p.AccessControlType == "" {
		p.AccessControlType = "Allow"
	}
	if p.InheritanceType == "" {
		p.InheritanceType = "None"
	}
	var conflict bool
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := requireRecipient(ctx, tx, p.RecipientKey); err != nil {
			return err
		}
		var id int64
		var rights string
		err := tx.QueryRowContext(ctx, `SELECT id, access_rights FROM recipient_permissions WHERE recipient_key = ? AND trustee = ? COLLATE NOCASE
			AND access_control_type = ? AND is_inherited = ? ORDER BY id LIMIT 1`, p.RecipientKey, p.Trustee, p.AccessControlType, p.IsInherited).Scan(&id, &rights)
		if errors.Is(err, sql.ErrNoRows) {
			res, err := tx.ExecContext(ctx, `INSERT INTO recipient_permissions (recipient_key, trustee, trustee_key, access_control_type,
				access_rights, is_inherited, inheritance_type) VALUES (?, ?, ?, ?, ?, ?, ?)`, p.RecipientKey, p.Trustee, nullKey(p.TrusteeKey),
				p.AccessControlType, encodeRights(p.AccessRights), p.IsInherited, p.InheritanceType)
			if err != nil {
				return fmt.Errorf("add recipient permission: %w", err)
			}
			p.ID, err = res.LastInsertId()
			return err
		}
		if err != nil {
			return fmt.Errorf("read recipient permission: %w", err)
		}
		have, err := decodeRights(rights)
		if err != nil {
			return err
		}
		merged, added := unionRights(have, p.AccessRights)
		conflict = !added
		p.ID, p.AccessRights = id, merged
		_, err = tx.ExecContext(ctx, `UPDATE recipient_permissions SET access_rights = ? WHERE id = ?`, encodeRights(merged), id)
		if err != nil {
			return fmt.Errorf("update recipient permission: %w", err)
		}
		return nil
	})
	if err == nil && conflict {
		err = fmt.Errorf("%w: %s already has %s on recipient %d", ErrConflict, p.Trustee, strings.Join(p.AccessRights, ","), p.RecipientKey)
	}
	return p, err
}

// RemoveRecipientPermission takes rights (all when empty) away from a
// trustee's explicit Allow entries on a recipient.
func (s *Store) RemoveRecipientPermission(ctx context.Context, recipientKey int64, trustee string, rights []string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		return removeRights(ctx, tx, "recipient_permissions", `recipient_key = ? AND trustee = ? COLLATE NOCASE AND access_control_type = 'Allow' AND is_inherited = 0`,
			[]any{recipientKey, trustee}, rights, fmt.Sprintf("%s on recipient %d", trustee, recipientKey))
	})
}

// removeRights removes rights from the entries of table matching where.
func removeRights(ctx context.Context, tx *sql.Tx, table, where string, args []any, rights []string, what string) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, access_rights FROM `+table+` WHERE `+where, args...)
	if err != nil {
		return fmt.Errorf("read %s: %w", table, err)
	}
	type entry struct {
		id     int64
		rights []string
	}
	var entries []entry
	for rows.Next() {
		var e entry
		var text string
		if err := rows.Scan(&e.id, &text); err != nil {
			_ = rows.Close()
			return fmt.Errorf("read %s: %w", table, err)
		}
		if e.rights, err = decodeRights(text); err != nil {
			_ = rows.Close()
			return err
		}
		entries = append(entries, e)
	}
	_ = rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", table, err)
	}
	removed := false
	for _, e := range entries {
		left := slices.DeleteFunc(slices.Clone(e.rights), func(r string) bool {
			return len(rights) == 0 || slices.ContainsFunc(rights, func(x string) bool { return strings.EqualFold(x, r) })
		})
		if len(left) == len(e.rights) {
			continue
		}
		removed = true
		if len(left) == 0 {
			_, err = tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE id = ?`, e.id)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE `+table+` SET access_rights = ? WHERE id = ?`, encodeRights(left), e.id)
		}
		if err != nil {
			return fmt.Errorf("update %s: %w", table, err)
		}
	}
	if !removed {
		return fmt.Errorf("permission of %s: %w", what, ErrNotFound)
	}
	return nil
}

// unionRights adds want to have (case-insensitively) and reports whether
// anything was added.
func unionRights(have, want []string) ([]string, bool) {
	out := slices.Clone(have)
	added := false
	for _, w := range want {
		if !slices.ContainsFunc(out, func(h string) bool { return strings.EqualFold(h, w) }) {
			out = append(out, w)
			added = true
		}
	}
	return out, added
}

func encodeRights(r []string) string {
	b, _ := json.Marshal(r) // a []string always encodes
	return string(b)
}

func decodeRights(s string) ([]string, error) {
	var r []string
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		return nil, fmt.Errorf("decode access rights: %w", err)
	}
	return r, nil
}

// nullKey stores a missing trustee as NULL so the foreign key allows it.
func nullKey(k int64) any {
	if k == 0 {
		return nil
	}
	return k
}

// requireRecipient returns ErrNotFound unless the recipient exists.
func requireRecipient(ctx context.Context, tx *sql.Tx, key int64) error {
	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM recipients WHERE id = ?)`, key).Scan(&exists); err != nil {
		return fmt.Errorf("check recipient %d: %w", key, err)
	}
	if !exists {
		return fmt.Errorf("recipient %d: %w", key, ErrNotFound)
	}
	return nil
}
