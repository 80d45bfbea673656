package cmdlets

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/store"
)

var (
	tnFolderStatistics = []string{
		"Microsoft.Exchange.Management.Tasks.MailboxFolderConfiguration",
		"Microsoft.Exchange.Data.ConfigurableObject",
		"System.Object",
	}
	tnFolderPermission = []string{
		"Microsoft.Exchange.Management.StoreTasks.MailboxFolderPermission",
		"Microsoft.Exchange.Data.ConfigurableObject",
		"System.Object",
	}
	// folderRights are MailboxFolderAccessRight values: roles, single
	// rights and the calendar-only levels.
	folderRights = []string{"None", "Owner", "PublishingEditor", "Editor", "PublishingAuthor", "Author",
		"NonEditingAuthor", "Reviewer", "Contributor", "AvailabilityOnly", "LimitedDetails", "CreateItems",
		"CreateSubfolders", "DeleteAllItems", "DeleteOwnedItems", "EditAllItems", "EditOwnedItems", "FolderContact",
		"FolderOwner", "FolderVisible", "ReadItems"}
	folderScopes = []string{"All", "Archive", "Calendar", "Contacts", "ConversationHistory", "DeletedItems", "Drafts",
		"Inbox", "JunkEmail", "Notes", "Outbox", "RecoverableItems", "SentItems", "SyncIssues", "Tasks"}
)

func folderCmdlets() []*cmdlet {
	folderPermParams := func() []param {
		return []param{
			identityParam(true, false),
			oneOf(required("AccessRights", adminapi.KindStringArray), folderRights...),
			named("SendNotificationToUser", adminapi.KindBool),
			named("SharingPermissionFlags", adminapi.KindAny),
			required("User", adminapi.KindAny),
		}
	}
	return []*cmdlet{
		{
			info: adminapi.CmdletInfo{Name: "Get-MailboxFolderStatistics", DefaultParameterSet: "Identity", Parameters: []param{
				identityParam(true, true, "Identity"),
				named("Archive", adminapi.KindSwitch, "Identity"),
				oneOf(named("FolderScope", adminapi.KindString), folderScopes...),
				named("IncludeOldestAndNewestItems", adminapi.KindSwitch),
				resultSizeParam(),
			}},
			endpoints: exchangeEndpoint,
			needs:     readRecipients,
			run:       getFolderStatistics,
		},
		{
			info: adminapi.CmdletInfo{Name: "Get-MailboxFolderPermission", Parameters: []param{
				identityParam(true, true), resultSizeParam(), named("User", adminapi.KindAny),
			}},
			endpoints: exchangeEndpoint,
			needs:     readRecipients,
			run:       getFolderPermission,
		},
		{
			info: adminapi.CmdletInfo{Name: "Add-MailboxFolderPermission", SupportsShouldProcess: true,
				ConfirmImpact: adminapi.ConfirmMedium, Parameters: folderPermParams()},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				return setFolderPermission(ctx, e, r, true)
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "Set-MailboxFolderPermission", SupportsShouldProcess: true,
				ConfirmImpact: adminapi.ConfirmMedium, Parameters: folderPermParams()},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
				return setFolderPermission(ctx, e, r, false)
			},
		},
		{
			info: adminapi.CmdletInfo{Name: "Remove-MailboxFolderPermission", SupportsShouldProcess: true,
				ConfirmImpact: adminapi.ConfirmHigh, Parameters: []param{
					identityParam(true, false), named("SendNotificationToUser", adminapi.KindBool), required("User", adminapi.KindAny),
				}},
			endpoints: exchangeEndpoint,
			needs:     writeRecipients,
			run:       removeFolderPermission,
		},
	}
}

// folderScopeMatch selects the folders -FolderScope names.
func folderScopeMatch(scope string) func(store.Folder) bool {
	switch scope {
	case "", "All":
		return func(store.Folder) bool { return true }
	case "RecoverableItems":
		return func(f store.Folder) bool { return strings.HasPrefix(f.FolderType, "RecoverableItems") }
	}
	return func(f store.Folder) bool { return f.FolderType == scope }
}

func getFolderStatistics(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	id := r.text("Identity")
	q := store.RecipientQuery{Types: allMailboxKinds}
	if r.on("IncludeSoftDeletedRecipients") { // Get-EXOMailboxFolderStatistics only
		q.Scope = store.ScopeAll
	}
	mbx, err := e.resolve(ctx, id, q)
	if err != nil {
		return adminapi.Result{}, err
	}
	archive := r.on("Archive")
	if archive && !hasArchive(&mbx) {
		return adminapi.Result{}, e.notFound(ctx, id)
	}
	folders, err := e.st.MailboxFolders(ctx, mbx.Key, archive)
	if err != nil {
		return adminapi.Result{}, fmt.Errorf("folders of %s: %w", mbx.Name, err)
	}
	match := folderScopeMatch(r.text("FolderScope"))
	kept := folders[:0]
	for _, f := range folders {
		if match(f) {
			kept = append(kept, f)
		}
	}
	now := e.now().UTC()
	withDates := r.on("IncludeOldestAndNewestItems")
	return pageItems(r, kept, func(f store.Folder) int64 { return f.Key }, func(f store.Folder) adminapi.Record {
		var oldest, newest any
		if withDates && !f.OldestItemReceivedDate.IsZero() {
			oldest, newest = f.OldestItemReceivedDate, f.NewestItemReceivedDate
		}
		return adminapi.Record{TypeNames: tnFolderStatistics, Properties: []adminapi.Property{
			{Name: "Date", Value: now},
			{Name: "CreationTime", Value: f.CreationTime},
			{Name: "LastModifiedTime", Value: f.LastModifiedTime},
			{Name: "Name", Value: f.Name},
			{Name: "FolderPath", Value: f.FolderPath},
			{Name: "FolderId", Value: f.FolderID},
			{Name: "FolderType", Value: f.FolderType},
			{Name: "ContainerClass", Value: f.ContainerClass},
			{Name: "ItemsInFolder", Value: int(f.ItemsInFolder)},
			{Name: "DeletedItemsInFolder", Value: int(f.DeletedItemsInFolder)},
			{Name: "FolderSize", Value: adminapi.ByteQuantifiedSize(max(f.FolderSize, 0))},
			{Name: "ItemsInFolderAndSubfolders", Value: int(f.ItemsInFolderAndSubfolders)},
			{Name: "DeletedItemsInFolderAndSubfolders", Value: int(f.DeletedItemsInFolderAndSubfolders)},
			{Name: "FolderAndSubfolderSize", Value: adminapi.ByteQuantifiedSize(max(f.FolderAndSubfolderSize, 0))},
			{Name: "OldestItemReceivedDate", Value: oldest},
			{Name: "NewestItemReceivedDate", Value: newest},
			{Name: "VisibleItemsInFolder", Value: int(f.VisibleItemsInFolder())},
			{Name: "HiddenItemsInFolder", Value: int(f.HiddenItemsInFolder)},
			{Name: "Identity", Value: mbx.Alias + strings.ReplaceAll(f.FolderPath, "/", `\`)},
			{Name: "IsValid", Value: true},
			{Name: "ObjectState", Value: "Unchanged"},
		}}
	})
}

// folderTarget is a resolved MailboxFolderIdParameter ("alex@contoso.com:\Calendar").
type folderTarget struct {
	identity string // as the caller wrote it
	mailbox  store.Recipient
	folder   store.Folder
}

func (e *Engine) resolveFolder(ctx context.Context, identity string) (folderTarget, error) {
	t := folderTarget{identity: identity}
	mbxID, path := identity, ""
	if i := strings.Index(identity, ":"); i > 0 {
		mbxID, path = identity[:i], identity[i+1:]
	}
	var err error
	if t.mailbox, err = e.resolve(ctx, mbxID, store.RecipientQuery{Types: allMailboxKinds}); err != nil {
		return t, err
	}
	t.folder, err = e.st.FindFolder(ctx, t.mailbox.Key, path)
	if errors.Is(err, store.ErrNotFound) {
		return t, &adminapi.CmdletError{Class: adminapi.ClassObjectNotFound, Target: identity,
			Message: fmt.Sprintf("The operation couldn't be performed because '%s' couldn't be found.", identity)}
	}
	if err != nil {
		return t, fmt.Errorf("find folder %q: %w", identity, err)
	}
	return t, nil
}

// folderUser resolves a MailboxFolderUserIdParameter: Default, Anonymous
// or a recipient.
func (e *Engine) folderUser(ctx context.Context, user string) (store.FolderPermission, error) {
	if strings.EqualFold(user, "Default") || strings.EqualFold(user, "Anonymous") {
		name := strings.ToUpper(user[:1]) + strings.ToLower(user[1:])
		return store.FolderPermission{User: name, DisplayName: name}, nil
	}
	rc, err := e.resolve(ctx, user, store.RecipientQuery{})
	if err != nil {
		return store.FolderPermission{}, err
	}
	return store.FolderPermission{User: trusteeName(&rc), TrusteeKey: rc.Key, DisplayName: rc.DisplayName}, nil
}

func folderPermissionRecord(t folderTarget, p store.FolderPermission) adminapi.Record {
	return adminapi.Record{TypeNames: tnFolderPermission, Properties: []adminapi.Property{
		{Name: "FolderName", Value: t.folder.Name},
		{Name: "User", Value: p.DisplayName},
		{Name: "AccessRights", Value: p.AccessRights},
		{Name: "SharingPermissionFlags", Value: nilIfNone(p.SharingPermissionFlags)},
		{Name: "Identity", Value: t.mailbox.Alias + ":" + strings.ReplaceAll(t.folder.FolderPath, "/", `\`)},
		{Name: "IsValid", Value: true},
		{Name: "ObjectState", Value: "Unchanged"},
	}}
}

func nilIfNone(s string) any {
	if s == "" || s == "None" {
		return nil
	}
	return s
}

// findFolderEntry returns the folder's entry for user, if any.
func (e *Engine) findFolderEntry(ctx context.Context, t folderTarget, user store.FolderPermission) (store.FolderPermission, bool, error) {
	perms, err := e.st.FolderPermissions(ctx, t.folder.Key)
	if err != nil {
		return store.FolderPermission{}, false, fmt.Errorf("permissions of %s: %w", t.identity, err)
	}
	for _, p := range perms {
		if strings.EqualFold(p.User, user.User) {
			return p, true, nil
		}
	}
	return store.FolderPermission{}, false, nil
}

func getFolderPermission(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	t, err := e.resolveFolder(ctx, r.text("Identity"))
	if err != nil {
		return adminapi.Result{}, err
	}
	perms, err := e.st.FolderPermissions(ctx, t.folder.Key)
	if err != nil {
		return adminapi.Result{}, fmt.Errorf("permissions of %s: %w", t.identity, err)
	}
	if r.has("User") {
		u, err := e.folderUser(ctx, r.text("User"))
		if err != nil {
			return adminapi.Result{}, err
		}
		p, ok, err := e.findFolderEntry(ctx, t, u)
		if err != nil || !ok {
			return adminapi.Result{}, err
		}
		return single(folderPermissionRecord(t, p)), nil
	}
	// Entries have no stable id; their position is stable enough for the
	// handful a folder holds.
	type entry struct {
		pos int64
		p   store.FolderPermission
	}
	entries := make([]entry, len(perms))
	for i, p := range perms {
		entries[i] = entry{int64(i + 1), p}
	}
	return pageItems(r, entries, func(x entry) int64 { return x.pos },
		func(x entry) adminapi.Record { return folderPermissionRecord(t, x.p) })
}

// setFolderPermission is Add-MailboxFolderPermission (add) and
// Set-MailboxFolderPermission: Add refuses an existing entry, Set a
// missing one, as Exchange does (Default and Anonymous always exist).
func setFolderPermission(ctx context.Context, e *Engine, r *request, add bool) (adminapi.Result, error) {
	t, err := e.resolveFolder(ctx, r.text("Identity"))
	if err != nil {
		return adminapi.Result{}, err
	}
	u, err := e.folderUser(ctx, r.text("User"))
	if err != nil {
		return adminapi.Result{}, err
	}
	_, exists, err := e.findFolderEntry(ctx, t, u)
	if err != nil {
		return adminapi.Result{}, err
	}
	switch {
	case add && exists:
		return adminapi.Result{}, &adminapi.CmdletError{Class: classFolderUserExists, Status: 400, Target: t.identity,
			Message: fmt.Sprintf("An existing permission entry was found for user: %s.", u.DisplayName)}
	case !add && !exists:
		return adminapi.Result{}, &adminapi.CmdletError{Class: classFolderUserAbsent, Status: 404, Target: t.identity,
			Message: fmt.Sprintf("There is no existing permission entry found for user: %s.", u.DisplayName)}
	}
	u.FolderKey = t.folder.Key
	u.AccessRights = r.list("AccessRights")
	if u.SharingPermissionFlags, err = sharingFlags(r.list("SharingPermissionFlags")); err != nil {
		return adminapi.Result{}, err
	}
	verb := "Setting"
	if add {
		verb = "Adding"
	}
	if r.call.WhatIf {
		return adminapi.Result{ConfirmationMessage: fmt.Sprintf("%s folder permission \"%s\" for user \"%s\" on folder \"%s\".",
			verb, strings.Join(u.AccessRights, ", "), u.DisplayName, t.identity)}, nil
	}
	if err := e.st.SetFolderPermission(ctx, u); err != nil {
		return adminapi.Result{}, fmt.Errorf("set permission on %s: %w", t.identity, err)
	}
	if !add {
		return adminapi.Result{}, nil
	}
	return single(folderPermissionRecord(t, u)), nil
}

func removeFolderPermission(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	t, err := e.resolveFolder(ctx, r.text("Identity"))
	if err != nil {
		return adminapi.Result{}, err
	}
	u, err := e.folderUser(ctx, r.text("User"))
	if err != nil {
		return adminapi.Result{}, err
	}
	if r.call.WhatIf {
		return adminapi.Result{ConfirmationMessage: fmt.Sprintf("Removing folder permission for user \"%s\" on folder \"%s\".",
			u.DisplayName, t.identity)}, nil
	}
	err = e.st.RemoveFolderPermission(ctx, t.folder.Key, u.User)
	if errors.Is(err, store.ErrNotFound) {
		return adminapi.Result{}, &adminapi.CmdletError{Class: classFolderUserAbsent, Status: 404, Target: t.identity,
			Message: fmt.Sprintf("There is no existing permission entry found for user: %s.", u.DisplayName)}
	}
	if err != nil {
		return adminapi.Result{}, fmt.Errorf("remove permission on %s: %w", t.identity, err)
	}
	return adminapi.Result{}, nil
}

// sharingFlags reads MailboxFolderPermissionFlags, given as a list or as
// one comma-separated string, into the form the service prints.
func sharingFlags(values []string) (string, error) {
	var out []string
	for _, v := range values {
		for _, f := range strings.Split(v, ",") {
			f = strings.TrimSpace(f)
			var canon string
			for _, known := range []string{"None", "Delegate", "CanViewPrivateItems"} {
				if strings.EqualFold(f, known) {
					canon = known
				}
			}
			if canon == "" {
				return "", argumentError("Cannot process argument transformation on parameter 'SharingPermissionFlags'. Cannot convert value \"%s\" to type \"Microsoft.Exchange.Management.StoreTasks.MailboxFolderPermissionFlags\". The valid values are None, Delegate and CanViewPrivateItems.", v)
			}
			if canon != "None" && !containsFold(out, canon) {
				out = append(out, canon)
			}
		}
	}
	if len(out) == 0 {
		return "None", nil
	}
	return strings.Join(out, ", "), nil
}
