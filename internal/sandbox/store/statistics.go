package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// MailboxStatistics returns the Get-MailboxStatistics bag of a mailbox or of
// its archive. The properties naming the mailbox (DisplayName, MailboxGuid,
// OwnerADGuid, LegacyDN, DatabaseName, ServerName, MailboxTypeDetail,
// Identity) are read from the recipient, so they follow its changes. A
// mailbox without stored numbers reports zeros. ErrNotFound means the
// recipient has no mailbox, or no archive when archive is set.
func (s *Store) MailboxStatistics(ctx context.Context, mailboxKey int64, archive bool) (map[string]any, error) {
	var out map[string]any
	err := s.read(ctx, func(tx *sql.Tx) error {
		r, err := s.recipient(ctx, tx, mailboxKey)
		if err != nil {
			return err
		}
		if !hasMailbox(r.RecipientTypeDetails) {
			return fmt.Errorf("statistics of %s (a %s): %w", r.Name, r.RecipientTypeDetails, ErrNotFound)
		}
		kind, guid, db := tmplStatistics, r.ExchangeGUID, propString(r.Props, "Database")
		if archive {
			kind, guid, db = tmplArchiveStats, propString(r.Props, "ArchiveGuid"), propString(r.Props, "ArchiveDatabase")
			if guid == "" || guid == emptyGUID {
				return fmt.Errorf("archive of %s: %w", r.Name, ErrNotFound)
			}
		}
		base, err := s.base(ctx, tx, kind)
		if err != nil {
			return err
		}
		own := map[string]any{}
		var text string
		err = tx.QueryRowContext(ctx, `SELECT props FROM mailbox_statistics WHERE mailbox_key = ? AND archive = ?`, mailboxKey, archive).Scan(&text)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("read statistics of %s: %w", r.Name, err)
		default:
			if own, err = decodeProps(text); err != nil {
				return err
			}
		}
		out = mergeProps(base, own)
		name := r.DisplayName
		if archive {
			name = "In-Place Archive -" + r.DisplayName
			if names := propStrings(r.Props, "ArchiveName"); len(names) > 0 {
				name = names[0]
			}
		}
		out["DisplayName"] = name
		out["MailboxGuid"] = guid
		out["Identity"] = guid
		out["OwnerADGuid"] = r.GUID
		out["LegacyDN"] = propString(r.Props, "LegacyExchangeDN")
		out["MailboxTypeDetail"] = r.RecipientTypeDetails
		out["DatabaseName"] = db
		out["ServerName"] = propString(r.Props, "ServerName")
		return nil
	})
	return out, err
}

const (
	insertStatisticsSQL     = `INSERT INTO mailbox_statistics (mailbox_key, archive, props) VALUES (?, ?, ?)`
	insertSelfPermissionSQL = `INSERT INTO mailbox_permissions (mailbox_key, user_name, trustee_key, access_rights, deny,
		is_inherited, inheritance_type) VALUES (?, 'NT AUTHORITY\SELF', NULL, '["FullAccess","ReadPermission"]', 0, 0, 'All')`
	insertSelfSendAsSQL = `INSERT INTO recipient_permissions (recipient_key, trustee, trustee_key, access_control_type,
		access_rights, is_inherited, inheritance_type) VALUES (?, 'NT AUTHORITY\SELF', NULL, 'Allow', '["SendAs"]', 0, 'None')`
)

// createMailboxData gives a new mailbox what every mailbox has: (empty)
// statistics, the core folder set and, except for group mailboxes, the
// NT AUTHORITY\SELF full-access and Send As entries.
func (s *Store) createMailboxData(ctx context.Context, tx *sql.Tx, key int64, p map[string]any, now time.Time) error {
	if _, err := tx.ExecContext(ctx, insertStatisticsSQL, key, false, "{}"); err != nil {
		return fmt.Errorf("store statistics: %w", err)
	}
	if g := propString(p, "ArchiveGuid"); g != "" && g != emptyGUID {
		if _, err := tx.ExecContext(ctx, insertStatisticsSQL, key, true, "{}"); err != nil {
			return fmt.Errorf("store archive statistics: %w", err)
		}
	}
	if propString(p, "RecipientTypeDetails") != "GroupMailbox" {
		if _, err := tx.ExecContext(ctx, insertSelfPermissionSQL, key); err != nil {
			return fmt.Errorf("store SELF permission: %w", err)
		}
		if _, err := tx.ExecContext(ctx, insertSelfSendAsSQL, key); err != nil {
			return fmt.Errorf("store SELF send-as: %w", err)
		}
	}
	stmt, err := tx.PrepareContext(ctx, insertFolderSQL)
	if err != nil {
		return fmt.Errorf("prepare folders: %w", err)
	}
	defer func() { _ = stmt.Close() }()
	return insertFolders(ctx, stmt, key, false, newFolderRows(coreFolders, now), 0)
}
