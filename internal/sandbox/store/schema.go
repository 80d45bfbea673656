package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

// schemaVersion is recorded in PRAGMA user_version. Bump it and add a step
// to migrate when the schema changes.
const schemaVersion = 2

// objectsDDL is what version 2 added: the objects table for the tenant's
// non-recipient objects (objects.go). Its indexes are not in indexDDL, as
// Seed keeps them while it fills the table.
var objectsDDL = []string{
	`CREATE TABLE objects (
		id        INTEGER PRIMARY KEY,
		kind      TEXT NOT NULL,
		owner_key INTEGER REFERENCES recipients (id) ON DELETE CASCADE,
		name      TEXT NOT NULL,
		guid      TEXT NOT NULL,
		time      INTEGER NOT NULL,
		props     TEXT NOT NULL
	)`,
	`CREATE INDEX objects_kind ON objects (kind, owner_key, id)`,
	`CREATE INDEX objects_time ON objects (kind, time)`,
	`CREATE INDEX objects_name ON objects (kind, name COLLATE NOCASE)`,
}

// tableDDL creates the tables. Foreign keys to recipients are named *_key;
// each table's own integer primary key is id. A recipient's props hold
// neither the properties kept in its columns nor those derived from others
// (see computedProps); mailbox_folders.parent_key has no foreign key
// because folders only go away with their mailbox.
var tableDDL = []string{
	`CREATE TABLE templates (
		name  TEXT PRIMARY KEY,
		props TEXT NOT NULL
	) WITHOUT ROWID`,
	`CREATE TABLE tenant (
		id             INTEGER PRIMARY KEY CHECK (id = 1),
		tenant_id      TEXT NOT NULL,
		display_name   TEXT NOT NULL,
		initial_domain TEXT NOT NULL
	)`,
	`CREATE TABLE accepted_domains (
		domain_name TEXT PRIMARY KEY COLLATE NOCASE,
		name        TEXT NOT NULL,
		domain_type TEXT NOT NULL,
		is_default  INTEGER NOT NULL,
		is_initial  INTEGER NOT NULL
	)`,
	`CREATE TABLE organization_config (
		id    INTEGER PRIMARY KEY CHECK (id = 1),
		props TEXT NOT NULL
	)`,
	`CREATE TABLE users (
		object_id     TEXT PRIMARY KEY,
		upn           TEXT NOT NULL UNIQUE COLLATE NOCASE,
		display_name  TEXT NOT NULL,
		password_hash TEXT NOT NULL DEFAULT '',
		roles         TEXT NOT NULL
	)`,
	`CREATE TABLE apps (
		app_id       TEXT PRIMARY KEY,
		object_id    TEXT NOT NULL UNIQUE,
		display_name TEXT NOT NULL,
		secret_hash  TEXT NOT NULL DEFAULT '',
		roles        TEXT NOT NULL
	)`,
	`CREATE TABLE app_certificates (
		thumbprint TEXT PRIMARY KEY,
		app_id     TEXT NOT NULL REFERENCES apps (app_id) ON DELETE CASCADE,
		der        BLOB NOT NULL,
		not_before INTEGER NOT NULL,
		not_after  INTEGER NOT NULL
	)`,
	`CREATE TABLE recipients (
		id                           INTEGER PRIMARY KEY,
		guid                         TEXT NOT NULL,
		exchange_guid                TEXT NOT NULL,
		external_directory_object_id TEXT NOT NULL,
		name                         TEXT NOT NULL COLLATE NOCASE,
		alias                        TEXT NOT NULL COLLATE NOCASE,
		display_name                 TEXT NOT NULL,
		primary_smtp_address         TEXT NOT NULL COLLATE NOCASE,
		user_principal_name          TEXT NOT NULL COLLATE NOCASE,
		recipient_type               TEXT NOT NULL,
		recipient_type_details       TEXT NOT NULL,
		soft_deleted                 INTEGER NOT NULL,
		inactive                     INTEGER NOT NULL,
		props                        TEXT NOT NULL
	)`,
	// Every proxy address of a recipient, lower-cased and split from its
	// prefix, so identity lookups by any address use an index.
	`CREATE TABLE recipient_addresses (
		recipient_key INTEGER NOT NULL REFERENCES recipients (id) ON DELETE CASCADE,
		prefix        TEXT NOT NULL,
		address       TEXT NOT NULL,
		PRIMARY KEY (recipient_key, prefix, address)
	) WITHOUT ROWID`,
	`CREATE TABLE group_members (
		group_key  INTEGER NOT NULL REFERENCES recipients (id) ON DELETE CASCADE,
		link_type  TEXT NOT NULL,
		member_key INTEGER NOT NULL REFERENCES recipients (id) ON DELETE CASCADE,
		PRIMARY KEY (group_key, link_type, member_key)
	) WITHOUT ROWID`,
	`CREATE TABLE mailbox_permissions (
		id               INTEGER PRIMARY KEY,
		mailbox_key      INTEGER NOT NULL REFERENCES recipients (id) ON DELETE CASCADE,
		user_name        TEXT NOT NULL,
		trustee_key      INTEGER REFERENCES recipients (id) ON DELETE SET NULL,
		access_rights    TEXT NOT NULL,
		deny             INTEGER NOT NULL,
		is_inherited     INTEGER NOT NULL,
		inheritance_type TEXT NOT NULL
	)`,
	`CREATE TABLE recipient_permissions (
		id                  INTEGER PRIMARY KEY,
		recipient_key       INTEGER NOT NULL REFERENCES recipients (id) ON DELETE CASCADE,
		trustee             TEXT NOT NULL,
		trustee_key         INTEGER REFERENCES recipients (id) ON DELETE SET NULL,
		access_control_type TEXT NOT NULL,
		access_rights       TEXT NOT NULL,
		is_inherited        INTEGER NOT NULL,
		inheritance_type    TEXT NOT NULL
	)`,
	`CREATE TABLE mailbox_folders (
		id              INTEGER PRIMARY KEY,
		mailbox_key     INTEGER NOT NULL REFERENCES recipients (id) ON DELETE CASCADE,
		archive         INTEGER NOT NULL,
		parent_key      INTEGER,
		folder_path     TEXT NOT NULL COLLATE NOCASE,
		folder_type     TEXT NOT NULL,
		container_class TEXT NOT NULL,
		items           INTEGER NOT NULL,
		deleted_items   INTEGER NOT NULL,
		hidden_items    INTEGER NOT NULL,
		size            INTEGER NOT NULL,
		created         INTEGER NOT NULL,
		modified        INTEGER NOT NULL,
		oldest_item     INTEGER NOT NULL,
		newest_item     INTEGER NOT NULL
	)`,
	`CREATE TABLE folder_permissions (
		folder_key    INTEGER NOT NULL REFERENCES mailbox_folders (id) ON DELETE CASCADE,
		user_name     TEXT NOT NULL COLLATE NOCASE,
		trustee_key   INTEGER REFERENCES recipients (id) ON DELETE SET NULL,
		access_rights TEXT NOT NULL,
		sharing_flags TEXT NOT NULL,
		PRIMARY KEY (folder_key, user_name)
	)`,
	`CREATE TABLE mobile_devices (
		id          INTEGER PRIMARY KEY,
		mailbox_key INTEGER NOT NULL REFERENCES recipients (id) ON DELETE CASCADE,
		guid        TEXT NOT NULL UNIQUE,
		device_id   TEXT NOT NULL COLLATE NOCASE,
		identity    TEXT NOT NULL COLLATE NOCASE,
		props       TEXT NOT NULL
	)`,
	`CREATE TABLE mailbox_statistics (
		mailbox_key INTEGER NOT NULL REFERENCES recipients (id) ON DELETE CASCADE,
		archive     INTEGER NOT NULL,
		props       TEXT NOT NULL,
		PRIMARY KEY (mailbox_key, archive)
	) WITHOUT ROWID`,
}

// indexDDL holds the secondary indexes. Seed drops and rebuilds them around
// its bulk insert, which is faster than maintaining them row by row.
var indexDDL = []struct{ name, ddl string }{
	{"recipients_guid", `CREATE UNIQUE INDEX recipients_guid ON recipients (guid)`},
	{"recipients_exchange_guid", `CREATE INDEX recipients_exchange_guid ON recipients (exchange_guid)`},
	{"recipients_edoid", `CREATE INDEX recipients_edoid ON recipients (external_directory_object_id)`},
	{"recipients_name", `CREATE INDEX recipients_name ON recipients (name)`},
	{"recipients_alias", `CREATE INDEX recipients_alias ON recipients (alias)`},
	{"recipients_upn", `CREATE INDEX recipients_upn ON recipients (user_principal_name)`},
	{"recipients_type", `CREATE INDEX recipients_type ON recipients (recipient_type_details, id)`},
	{"recipient_addresses_address", `CREATE INDEX recipient_addresses_address ON recipient_addresses (address)`},
	{"group_members_member", `CREATE INDEX group_members_member ON group_members (member_key)`},
	{"mailbox_permissions_mailbox", `CREATE INDEX mailbox_permissions_mailbox ON mailbox_permissions (mailbox_key)`},
	{"mailbox_permissions_trustee", `CREATE INDEX mailbox_permissions_trustee ON mailbox_permissions (trustee_key)`},
	{"recipient_permissions_recipient", `CREATE INDEX recipient_permissions_recipient ON recipient_permissions (recipient_key)`},
	{"recipient_permissions_trustee", `CREATE INDEX recipient_permissions_trustee ON recipient_permissions (trustee_key)`},
	{"mailbox_folders_mailbox", `CREATE UNIQUE INDEX mailbox_folders_mailbox ON mailbox_folders (mailbox_key, archive, folder_path)`},
	{"folder_permissions_trustee", `CREATE INDEX folder_permissions_trustee ON folder_permissions (trustee_key)`},
	{"mobile_devices_mailbox", `CREATE INDEX mobile_devices_mailbox ON mobile_devices (mailbox_key)`},
	{"mobile_devices_device_id", `CREATE INDEX mobile_devices_device_id ON mobile_devices (device_id)`},
	{"mobile_devices_identity", `CREATE INDEX mobile_devices_identity ON mobile_devices (identity)`},
	{"app_certificates_app", `CREATE INDEX app_certificates_app ON app_certificates (app_id)`},
}

// migrate creates the schema in an empty database or checks the version of
// an existing one.
func (s *Store) migrate(ctx context.Context) error {
	var version int
	if err := s.db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	switch {
	case version == schemaVersion:
		return nil
	case version > schemaVersion:
		return fmt.Errorf("schema version %d is newer than this build's %d", version, schemaVersion)
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		// Re-check inside the write lock: another process may have just made it.
		if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		if version == schemaVersion {
			return nil
		}
		if version == 1 {
			return migrateTo2(ctx, tx)
		}
		for _, ddl := range tableDDL {
			if _, err := tx.ExecContext(ctx, ddl); err != nil {
				return fmt.Errorf("create schema: %w", err)
			}
		}
		for _, ix := range indexDDL {
			if _, err := tx.ExecContext(ctx, ix.ddl); err != nil {
				return fmt.Errorf("create index %s: %w", ix.name, err)
			}
		}
		for name, props := range builtinTemplates() {
			b, err := json.Marshal(props)
			if err != nil {
				return fmt.Errorf("encode template %s: %w", name, err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO templates (name, props) VALUES (?, ?)`, name, string(b)); err != nil {
				return fmt.Errorf("store template %s: %w", name, err)
			}
		}
		return migrateTo2(ctx, tx)
	})
}

// migrateTo2 adds the objects table to a version 1 schema.
func migrateTo2(ctx context.Context, tx *sql.Tx) error {
	for _, ddl := range objectsDDL {
		if _, err := tx.ExecContext(ctx, ddl); err != nil {
			return fmt.Errorf("create objects schema: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, schemaVersion)); err != nil {
		return fmt.Errorf("record schema version: %w", err)
	}
	return nil
}
