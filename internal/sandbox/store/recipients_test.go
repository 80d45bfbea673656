package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
)

// tenantTest opens a store with a tenant but no recipients.
func tenantTest(t *testing.T) *Store {
	t.Helper()
	st, _ := openTest(t)
	err := st.SetTenant(context.Background(), Tenant{
		ID: "6f0d6a2e-1c2b-4d3e-8f90-123456789abc", DisplayName: "Fabrikam", InitialDomain: "fabrikam.onmicrosoft.com",
		AcceptedDomains: []AcceptedDomain{{DomainName: "fabrikam.com", Default: true}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestListRecipientsPaging(t *testing.T) {
	ctx := context.Background()
	const pageSize = 5
	tests := []struct {
		name  string
		count int
		pages []int // sizes of the pages read before an empty one
	}{
		{"empty", 0, nil},
		{"less than a page", 3, []int{3}},
		{"exactly one page", pageSize, []int{pageSize}},
		{"exact multiple", 3 * pageSize, []int{pageSize, pageSize, pageSize}},
		{"one over a multiple", 2*pageSize + 1, []int{pageSize, pageSize, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := tenantTest(t)
			for i := range tt.count {
				if _, err := st.NewRecipient(ctx, map[string]any{"Name": fmt.Sprintf("contact%02d", i), "RecipientTypeDetails": "MailContact",
					"ExternalEmailAddress": fmt.Sprintf("c%d@example.org", i)}); err != nil {
					t.Fatal(err)
				}
			}
			var sizes []int
			var seen []int64
			after := int64(0)
			for {
				page, err := st.ListRecipients(ctx, RecipientQuery{After: after, Limit: pageSize})
				if err != nil {
					t.Fatal(err)
				}
				if len(page) == 0 {
					break
				}
				sizes = append(sizes, len(page))
				for _, r := range page {
					seen = append(seen, r.Key)
				}
				after = page[len(page)-1].Key
			}
			if !slices.Equal(sizes, tt.pages) {
				t.Errorf("page sizes %v, want %v", sizes, tt.pages)
			}
			if len(seen) != tt.count || !slices.IsSorted(seen) || len(slices.Compact(slices.Clone(seen))) != len(seen) {
				t.Errorf("keys %v: want %d distinct ascending keys", seen, tt.count)
			}
			all, err := st.ListRecipients(ctx, RecipientQuery{})
			if err != nil || len(all) != tt.count {
				t.Errorf("unlimited listing: %d, %v; want %d", len(all), err, tt.count)
			}
		})
	}
}

// TestWalkRecipientsStops checks that WalkRecipients hands over what
// ListRecipients returns, in order, and stops when told to.
func TestWalkRecipientsStops(t *testing.T) {
	ctx := context.Background()
	st := tenantTest(t)
	for i := range 4 {
		if _, err := st.NewRecipient(ctx, map[string]any{"Name": fmt.Sprintf("contact%02d", i), "RecipientTypeDetails": "MailContact",
			"ExternalEmailAddress": fmt.Sprintf("c%d@example.org", i)}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := st.ListRecipients(ctx, RecipientQuery{})
	if err != nil || len(all) != 4 {
		t.Fatalf("ListRecipients: %d, %v", len(all), err)
	}
	var got []Recipient
	err = st.WalkRecipients(ctx, RecipientQuery{}, func(r *Recipient) bool {
		got = append(got, *r)
		return len(got) < 2
	})
	if err != nil || len(got) != 2 {
		t.Fatalf("WalkRecipients: %d, %v; want 2 recipients", len(got), err)
	}
	for i := range got {
		if !reflect.DeepEqual(got[i], all[i]) {
			t.Errorf("recipient %d = %+v, want %+v", i, got[i], all[i])
		}
	}
}

func TestListRecipientsFilters(t *testing.T) {
	st, seeded := seededTest(t)
	ctx := context.Background()
	tests := []struct {
		name string
		q    RecipientQuery
		want int
	}{
		{"shared mailboxes", RecipientQuery{Types: []string{"SharedMailbox"}}, seeded.Counts["SharedMailbox"]},
		{"two types", RecipientQuery{Types: []string{"RoomMailbox", "EquipmentMailbox"}}, seeded.Counts["RoomMailbox"] + seeded.Counts["EquipmentMailbox"]},
		{"recipient type", RecipientQuery{RecipientTypes: []string{"MailUser"}}, seeded.Counts["MailUser"] + seeded.Counts["GuestMailUser"]},
		{"all scopes", RecipientQuery{Scope: ScopeAll}, sum(seeded.Counts)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, err := st.ListRecipients(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(rs) != tt.want {
				t.Errorf("%d recipients, want %d", len(rs), tt.want)
			}
		})
	}
	active, _ := st.ListRecipients(ctx, RecipientQuery{})
	deleted, _ := st.ListRecipients(ctx, RecipientQuery{Scope: ScopeSoftDeleted})
	if len(active)+len(deleted) != sum(seeded.Counts) {
		t.Errorf("active %d + soft-deleted %d != %d", len(active), len(deleted), sum(seeded.Counts))
	}
	for _, r := range deleted {
		if !r.SoftDeleted || r.Props["IsSoftDeletedByRemove"] != true {
			t.Errorf("%s in soft-deleted scope: SoftDeleted=%v", r.Name, r.SoftDeleted)
		}
	}
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func TestNewRecipientDefaults(t *testing.T) {
	st := tenantTest(t)
	ctx := context.Background()
	r, err := st.NewRecipient(ctx, map[string]any{"Name": "jdoe", "DisplayName": "Jane Doe", "RecipientTypeDetails": "UserMailbox"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"RecipientType":         "UserMailbox",
		"Alias":                 "jdoe",
		"PrimarySmtpAddress":    "jdoe@fabrikam.com",
		"WindowsEmailAddress":   "jdoe@fabrikam.com",
		"UserPrincipalName":     "jdoe@fabrikam.com",
		"Identity":              "jdoe",
		"ProhibitSendQuota":     "99 GB (106,300,440,576 bytes)",
		"RetainDeletedItemsFor": "14.00:00:00",
		"IsMailboxEnabled":      true,
	}
	for k, v := range want {
		if r.Props[k] != v {
			t.Errorf("%s = %#v, want %#v", k, r.Props[k], v)
		}
	}
	if got := propStrings(r.Props, "EmailAddresses"); !slices.Equal(got, []string{"SMTP:jdoe@fabrikam.com", "smtp:jdoe@fabrikam.onmicrosoft.com"}) {
		t.Errorf("EmailAddresses = %v", got)
	}
	if r.ExchangeGUID == "" || r.ExternalDirectoryObjectID == "" || r.DistinguishedName == "" {
		t.Errorf("identifiers missing: %+v", r)
	}
	stats, err := st.MailboxStatistics(ctx, r.Key, false)
	if err != nil || stats["ItemCount"] != int64(0) || stats["MailboxGuid"] != r.ExchangeGUID || stats["DisplayName"] != "Jane Doe" {
		t.Errorf("statistics = %v, %v", stats, err)
	}
	if _, err := st.MailboxStatistics(ctx, r.Key, true); !errors.Is(err, ErrNotFound) {
		t.Errorf("archive statistics without an archive: %v, want ErrNotFound", err)
	}
	perms, err := st.MailboxPermissions(ctx, r.Key)
	if err != nil || len(perms) != 1 || perms[0].User != `NT AUTHORITY\SELF` || !slices.Equal(perms[0].AccessRights, []string{"FullAccess", "ReadPermission"}) {
		t.Errorf("mailbox permissions = %+v, %v", perms, err)
	}
	sendAs, err := st.RecipientPermissions(ctx, r.Key)
	if err != nil || len(sendAs) != 1 || sendAs[0].Trustee != `NT AUTHORITY\SELF` {
		t.Errorf("recipient permissions = %+v, %v", sendAs, err)
	}
	folders, err := st.MailboxFolders(ctx, r.Key, false)
	if err != nil || len(folders) != len(coreFolders) {
		t.Fatalf("folders = %d, %v; want %d", len(folders), err, len(coreFolders))
	}
	cal, err := st.FindFolder(ctx, r.Key, `\Calendar`)
	if err != nil || cal.FolderType != "Calendar" {
		t.Fatalf("FindFolder calendar: %+v, %v", cal, err)
	}
	byID, err := st.FindFolder(ctx, r.Key, cal.FolderID)
	if err != nil || byID.Key != cal.Key {
		t.Errorf("FindFolder by ID: %+v, %v", byID, err)
	}

	tests := []struct {
		name  string
		props map[string]any
		want  error
	}{
		{"missing name", map[string]any{"RecipientTypeDetails": "UserMailbox"}, ErrInvalid},
		{"missing type", map[string]any{"Name": "x"}, ErrInvalid},
		{"duplicate name", map[string]any{"Name": "JDOE", "RecipientTypeDetails": "UserMailbox", "PrimarySmtpAddress": "other@fabrikam.com"}, ErrConflict},
		{"duplicate address", map[string]any{"Name": "other", "RecipientTypeDetails": "MailContact", "ExternalEmailAddress": "jdoe@fabrikam.com"}, ErrConflict},
		{"bad guid", map[string]any{"Name": "g", "Guid": "nope", "RecipientTypeDetails": "MailContact", "ExternalEmailAddress": "g@x.org"}, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := st.NewRecipient(ctx, tt.props); !errors.Is(err, tt.want) {
				t.Errorf("NewRecipient error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestUpdateRecipientProps(t *testing.T) {
	st := tenantTest(t)
	ctx := context.Background()
	r, err := st.NewRecipient(ctx, map[string]any{"Name": "jdoe", "RecipientTypeDetails": "UserMailbox"})
	if err != nil {
		t.Fatal(err)
	}
	legacyDN := propString(r.Props, "LegacyExchangeDN")

	// Merge, a new primary address, a rename and a null.
	u, err := st.UpdateRecipientProps(ctx, r.Key, map[string]any{
		"Department": "Sales", "PrimarySmtpAddress": "jane.doe@fabrikam.com", "Name": "jane", "Alias": "jane",
		"ForwardingSmtpAddress": nil, "CustomAttribute3": "x",
	})
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string]any{
		"Department": "Sales", "PrimarySmtpAddress": "jane.doe@fabrikam.com", "WindowsEmailAddress": "jane.doe@fabrikam.com",
		"Name": "jane", "Identity": "jane", "Id": "jane", "CustomAttribute3": "x", "ForwardingSmtpAddress": nil,
		"LegacyExchangeDN": legacyDN, // set once, kept across the alias change
	}
	for k, v := range checks {
		if u.Props[k] != v {
			t.Errorf("%s = %#v, want %#v", k, u.Props[k], v)
		}
	}
	if got := propStrings(u.Props, "EmailAddresses"); !slices.Equal(got, []string{"SMTP:jane.doe@fabrikam.com", "smtp:jdoe@fabrikam.com", "smtp:jdoe@fabrikam.onmicrosoft.com"}) {
		t.Errorf("EmailAddresses = %v", got)
	}
	if u.Name != "jane" || u.PrimarySMTPAddress != "jane.doe@fabrikam.com" || u.DistinguishedName == r.DistinguishedName {
		t.Errorf("columns not in step: %+v", u)
	}
	for _, id := range []string{"jane", "jane.doe@fabrikam.com", "jdoe@fabrikam.com", u.DistinguishedName} {
		if got, err := st.FindRecipient(ctx, id, RecipientQuery{}); err != nil || got.Key != r.Key {
			t.Errorf("FindRecipient(%q) after update = %v, %v", id, got.Key, err)
		}
	}
	if _, err := st.FindRecipient(ctx, r.DistinguishedName, RecipientQuery{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("old DN still resolves: %v", err)
	}

	// Replacing EmailAddresses drops the old addresses from lookups.
	if _, err := st.UpdateRecipientProps(ctx, r.Key, map[string]any{"EmailAddresses": []string{"smtp:only@fabrikam.com"}}); err != nil {
		t.Fatal(err)
	}
	got, err := st.FindRecipient(ctx, "only@fabrikam.com", RecipientQuery{})
	if err != nil || got.Props["PrimarySmtpAddress"] != "only@fabrikam.com" || propStrings(got.Props, "EmailAddresses")[0] != "SMTP:only@fabrikam.com" {
		t.Errorf("after replacing addresses: %v, %v", got.Props["EmailAddresses"], err)
	}
	if _, err := st.FindRecipient(ctx, "jane.doe@fabrikam.com", RecipientQuery{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("removed address still resolves: %v", err)
	}
	if _, err := st.UpdateRecipientProps(ctx, 9999, map[string]any{"Department": "x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("update of a missing recipient: %v", err)
	}
}

func TestRemoveRecipient(t *testing.T) {
	st := tenantTest(t)
	ctx := context.Background()
	newR := func(props map[string]any) Recipient {
		t.Helper()
		r, err := st.NewRecipient(ctx, props)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	plain := newR(map[string]any{"Name": "plain", "RecipientTypeDetails": "UserMailbox"})
	held := newR(map[string]any{"Name": "held", "RecipientTypeDetails": "UserMailbox", "LitigationHoldEnabled": true})
	contact := newR(map[string]any{"Name": "contact", "RecipientTypeDetails": "MailContact", "ExternalEmailAddress": "c@x.org"})

	for _, r := range []Recipient{plain, held, contact} {
		if err := st.RemoveRecipient(ctx, r.Key, false); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		r                     Recipient
		softDeleted, inactive bool
		gone                  bool
	}{
		{plain, true, false, false},
		{held, true, true, false},
		{contact, false, false, true},
	}
	for _, tt := range tests {
		got, err := st.Recipient(ctx, tt.r.Key)
		if tt.gone {
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("%s: %v, want ErrNotFound", tt.r.Name, err)
			}
			continue
		}
		if err != nil || got.SoftDeleted != tt.softDeleted || got.Inactive != tt.inactive || got.Props["WhenSoftDeleted"] == nil {
			t.Errorf("%s: SoftDeleted=%v Inactive=%v WhenSoftDeleted=%v (%v)", tt.r.Name, got.SoftDeleted, got.Inactive, got.Props["WhenSoftDeleted"], err)
		}
	}
	// The soft-deleted mailbox's name and addresses are free again.
	if _, err := st.NewRecipient(ctx, map[string]any{"Name": "plain", "RecipientTypeDetails": "UserMailbox"}); err != nil {
		t.Errorf("reusing a soft-deleted mailbox's name: %v", err)
	}
	// Removing a soft-deleted mailbox purges it with its related rows.
	if err := st.RemoveRecipient(ctx, plain.Key, false); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Recipient(ctx, plain.Key); !errors.Is(err, ErrNotFound) {
		t.Errorf("purged mailbox: %v", err)
	}
	if f, _ := st.MailboxFolders(ctx, plain.Key, false); len(f) != 0 {
		t.Errorf("purged mailbox keeps %d folders", len(f))
	}
	if err := st.RemoveRecipient(ctx, plain.Key, true); !errors.Is(err, ErrNotFound) {
		t.Errorf("removing twice: %v", err)
	}
}
