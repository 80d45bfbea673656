package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"
)

// Folder is one mailbox folder with its Get-MailboxFolderStatistics numbers.
type Folder struct {
	Key                  int64
	MailboxKey           int64
	Archive              bool  // a folder of the archive mailbox
	ParentKey            int64 // 0 for top-level folders
	Name                 string
	FolderPath           string // e.g. "/Inbox/Projects"; "/Top of Information Store" is the IPM root
	FolderID             string // derived from the tenant and Key, stable for the folder's life
	FolderType           string // Root, Inbox, SentItems, Calendar, ..., "User Created"
	ContainerClass       string // IPF.Note, IPF.Appointment, ...
	ItemsInFolder        int64
	DeletedItemsInFolder int64
	HiddenItemsInFolder  int64
	FolderSize           int64 // bytes
	// Totals over the folder and all folders below it.
	ItemsInFolderAndSubfolders        int64
	DeletedItemsInFolderAndSubfolders int64
	FolderAndSubfolderSize            int64
	CreationTime                      time.Time
	LastModifiedTime                  time.Time
	OldestItemReceivedDate            time.Time // zero when the folder is empty
	NewestItemReceivedDate            time.Time // zero when the folder is empty
}

// VisibleItemsInFolder is ItemsInFolder less hidden items.
func (f Folder) VisibleItemsInFolder() int64 { return f.ItemsInFolder - f.HiddenItemsInFolder }

// FolderPermission is one entry of Get-MailboxFolderPermission.
type FolderPermission struct {
	FolderKey              int64
	User                   string // "Default", "Anonymous", or a trustee's UPN (see MailboxPermission)
	TrusteeKey             int64  // 0 for Default and Anonymous
	DisplayName            string // what Exchange prints as User: the trustee's display name, else User
	AccessRights           []string
	SharingPermissionFlags string // None, Delegate, CanViewPrivateItems, "Delegate, CanViewPrivateItems"
}

// folderSpec describes a well-known folder; parent indexes the spec list
// (-1: top level).
type folderSpec struct {
	path, folderType, class string
	parent                  int
}

// coreFolders are created for every mailbox; the first is the IPM root.
var coreFolders = []folderSpec{
	{"/Top of Information Store", "Root", "", -1},
	{"/Inbox", "Inbox", "IPF.Note", 0},
	{"/Sent Items", "SentItems", "IPF.Note", 0},
	{"/Deleted Items", "DeletedItems", "IPF.Note", 0},
	{"/Drafts", "Drafts", "IPF.Note", 0},
	{"/Calendar", "Calendar", "IPF.Appointment", 0},
	{"/Contacts", "Contacts", "IPF.Contact", 0},
}

// extraFolders complete the hierarchy for mailboxes seeded in full.
var extraFolders = []folderSpec{
	{"/Archive", "Archive", "IPF.Note", 0},
	{"/Junk Email", "JunkEmail", "IPF.Note", 0},
	{"/Outbox", "Outbox", "IPF.Note", 0},
	{"/Tasks", "Tasks", "IPF.Task", 0},
	{"/Notes", "Notes", "IPF.StickyNote", 0},
	{"/Conversation History", "ConversationHistory", "IPF.Note", 0},
	{"/Sync Issues", "SyncIssues", "IPF.Note", 0},
	{"/Recoverable Items", "RecoverableItemsRoot", "", -1},
	{"/Deletions", "RecoverableItemsDeletions", "", len(coreFolders) + 7},
	{"/Purges", "RecoverableItemsPurges", "", len(coreFolders) + 7},
	{"/Versions", "RecoverableItemsVersions", "", len(coreFolders) + 7},
	{"/Inbox/Projects", "User Created", "IPF.Note", 1},
	{"/Inbox/Receipts", "User Created", "IPF.Note", 1},
}

// folderRow is a folder about to be inserted.
type folderRow struct {
	spec                              folderSpec
	items, deleted, hidden, size      int64
	created, modified, oldest, newest int64 // Unix seconds; 0 for none
}

// newFolderRows makes empty rows for specs, created at now.
func newFolderRows(specs []folderSpec, now time.Time) []folderRow {
	rows := make([]folderRow, len(specs))
	for i, sp := range specs {
		rows[i] = folderRow{spec: sp, created: now.Unix(), modified: now.Unix()}
	}
	return rows
}

const insertFolderSQL = `INSERT INTO mailbox_folders (id, mailbox_key, archive, parent_key, folder_path, folder_type,
	container_class, items, deleted_items, hidden_items, size, created, modified, oldest_item, newest_item)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// insertFolders inserts rows for one mailbox with stmt (insertFolderSQL).
// firstID, when non-zero, is the row key of rows[0] and the rest follow on;
// otherwise SQLite assigns keys.
func insertFolders(ctx context.Context, stmt *sql.Stmt, mailboxKey int64, archive bool, rows []folderRow, firstID int64) error {
	keys := make([]int64, len(rows))
	for i, fr := range rows {
		var id, parent any
		if firstID != 0 {
			id = firstID + int64(i)
		}
		if fr.spec.parent >= 0 {
			parent = keys[fr.spec.parent]
		}
		res, err := stmt.ExecContext(ctx, id, mailboxKey, archive, parent, fr.spec.path, fr.spec.folderType,
			fr.spec.class, fr.items, fr.deleted, fr.hidden, fr.size, fr.created, fr.modified, fr.oldest, fr.newest)
		if err != nil {
			return fmt.Errorf("insert folder %s: %w", fr.spec.path, err)
		}
		if firstID != 0 {
			keys[i] = firstID + int64(i)
		} else if keys[i], err = res.LastInsertId(); err != nil {
			return fmt.Errorf("insert folder %s: %w", fr.spec.path, err)
		}
	}
	return nil
}

const folderCols = `id, mailbox_key, archive, IFNULL(parent_key, 0), folder_path, folder_type, container_class,
	items, deleted_items, hidden_items, size, created, modified, oldest_item, newest_item`

func scanFolder(sc interface{ Scan(...any) error }, tenantID string) (Folder, error) {
	var f Folder
	var created, modified, oldest, newest int64
	err := sc.Scan(&f.Key, &f.MailboxKey, &f.Archive, &f.ParentKey, &f.FolderPath, &f.FolderType, &f.ContainerClass,
		&f.ItemsInFolder, &f.DeletedItemsInFolder, &f.HiddenItemsInFolder, &f.FolderSize, &created, &modified, &oldest, &newest)
	if err != nil {
		return f, err
	}
	f.Name = path.Base(f.FolderPath)
	f.FolderID = folderID(tenantID, f.Key)
	f.CreationTime, f.LastModifiedTime = time.Unix(created, 0).UTC(), time.Unix(modified, 0).UTC()
	if oldest != 0 {
		f.OldestItemReceivedDate = time.Unix(oldest, 0).UTC()
	}
	if newest != 0 {
		f.NewestItemReceivedDate = time.Unix(newest, 0).UTC()
	}
	f.ItemsInFolderAndSubfolders, f.DeletedItemsInFolderAndSubfolders, f.FolderAndSubfolderSize =
		f.ItemsInFolder, f.DeletedItemsInFolder, f.FolderSize
	return f, nil
}

// MailboxFolders lists the folders of a mailbox (or of its archive) in
// hierarchy order, with subfolder totals.
func (s *Store) MailboxFolders(ctx context.Context, mailboxKey int64, archive bool) ([]Folder, error) {
	t, err := s.cachedTenant(ctx, s.db)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+folderCols+` FROM mailbox_folders WHERE mailbox_key = ? AND archive = ? ORDER BY id`, mailboxKey, archive)
	if err != nil {
		return nil, fmt.Errorf("read folders: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []Folder
	index := map[int64]int{}
	for rows.Next() {
		f, err := scanFolder(rows, t.ID)
		if err != nil {
			return nil, fmt.Errorf("read folder: %w", err)
		}
		index[f.Key] = len(out)
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read folders: %w", err)
	}
	// Parents precede children (keys grow as folders are made), so walking
	// backwards adds each folder's totals to its parent after its own are done.
	for i := len(out) - 1; i >= 0; i-- {
		if p, ok := index[out[i].ParentKey]; ok {
			out[p].ItemsInFolderAndSubfolders += out[i].ItemsInFolderAndSubfolders
			out[p].DeletedItemsInFolderAndSubfolders += out[i].DeletedItemsInFolderAndSubfolders
			out[p].FolderAndSubfolderSize += out[i].FolderAndSubfolderSize
		}
	}
	return out, nil
}

// FindFolder finds a primary-mailbox folder by path ("\Calendar",
// "/Inbox/Projects", "Calendar"; empty or "\" is the IPM root) or FolderId.
func (s *Store) FindFolder(ctx context.Context, mailboxKey int64, pathOrID string) (Folder, error) {
	p := strings.ReplaceAll(strings.TrimSpace(pathOrID), `\`, "/")
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	p = strings.TrimSuffix(p, "/")
	if p == "" {
		p = coreFolders[0].path
	}
	folders, err := s.MailboxFolders(ctx, mailboxKey, false)
	if err != nil {
		return Folder{}, err
	}
	for _, f := range folders {
		if strings.EqualFold(f.FolderPath, p) || f.FolderID == strings.TrimSpace(pathOrID) {
			return f, nil
		}
	}
	return Folder{}, fmt.Errorf("folder %q of mailbox %d: %w", pathOrID, mailboxKey, ErrNotFound)
}

// FolderPermissions lists a folder's permissions. Default and Anonymous
// always appear first: as stored, or with Exchange's defaults (None, and
// AvailabilityOnly for Default on a calendar).
func (s *Store) FolderPermissions(ctx context.Context, folderKey int64) ([]FolderPermission, error) {
	var folderType string
	err := s.db.QueryRowContext(ctx, `SELECT folder_type FROM mailbox_folders WHERE id = ?`, folderKey).Scan(&folderType)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("folder %d: %w", folderKey, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read folder %d: %w", folderKey, err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT p.user_name, IFNULL(p.trustee_key, 0), IFNULL(r.display_name, p.user_name),
		p.access_rights, p.sharing_flags FROM folder_permissions p LEFT JOIN recipients r ON r.id = p.trustee_key
		WHERE p.folder_key = ? ORDER BY p.rowid`, folderKey)
	if err != nil {
		return nil, fmt.Errorf("read folder permissions: %w", err)
	}
	defer func() { _ = rows.Close() }()
	defaultRights := "None"
	if folderType == "Calendar" {
		defaultRights = "AvailabilityOnly"
	}
	out := []FolderPermission{
		{FolderKey: folderKey, User: "Default", DisplayName: "Default", AccessRights: []string{defaultRights}, SharingPermissionFlags: "None"},
		{FolderKey: folderKey, User: "Anonymous", DisplayName: "Anonymous", AccessRights: []string{"None"}, SharingPermissionFlags: "None"},
	}
	for rows.Next() {
		p := FolderPermission{FolderKey: folderKey}
		var rights string
		if err := rows.Scan(&p.User, &p.TrusteeKey, &p.DisplayName, &rights, &p.SharingPermissionFlags); err != nil {
			return nil, fmt.Errorf("read folder permission: %w", err)
		}
		if p.AccessRights, err = decodeRights(rights); err != nil {
			return nil, err
		}
		switch {
		case strings.EqualFold(p.User, "Default"):
			out[0] = p
		case strings.EqualFold(p.User, "Anonymous"):
			out[1] = p
		default:
			out = append(out, p)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read folder permissions: %w", err)
	}
	return out, nil
}

// SetFolderPermission creates or replaces p.User's entry on p.FolderKey
// (Add- and Set-MailboxFolderPermission).
func (s *Store) SetFolderPermission(ctx context.Context, p FolderPermission) error {
	if p.User == "" || len(p.AccessRights) == 0 {
		return fmt.Errorf("%w: User and AccessRights are required", ErrInvalid)
	}
	if p.SharingPermissionFlags == "" {
		p.SharingPermissionFlags = "None"
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO folder_permissions (folder_key, user_name, trustee_key, access_rights, sharing_flags)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (folder_key, user_name) DO UPDATE SET trustee_key = excluded.trustee_key,
			access_rights = excluded.access_rights, sharing_flags = excluded.sharing_flags`,
			p.FolderKey, p.User, nullKey(p.TrusteeKey), encodeRights(p.AccessRights), p.SharingPermissionFlags)
		if isForeignKeyViolation(err) {
			return fmt.Errorf("folder %d or trustee %d: %w", p.FolderKey, p.TrusteeKey, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("set folder permission: %w", err)
		}
		return nil
	})
}

// RemoveFolderPermission deletes user's entry on a folder; for Default and
// Anonymous that restores Exchange's default.
func (s *Store) RemoveFolderPermission(ctx context.Context, folderKey int64, user string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM folder_permissions WHERE folder_key = ? AND user_name = ?`, folderKey, user)
		if err != nil {
			return fmt.Errorf("remove folder permission: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("permission of %s on folder %d: %w", user, folderKey, ErrNotFound)
		}
		return nil
	})
}
