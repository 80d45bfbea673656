package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentWrites runs many writers and readers at once: every write
// must land (no lost updates) and none may fail with "database is locked".
func TestConcurrentWrites(t *testing.T) {
	st, _ := seededTest(t)
	ctx := context.Background()
	group, err := st.FindRecipient(ctx, "All Staff", RecipientQuery{})
	if err != nil {
		t.Fatal(err)
	}
	shared, err := st.ListRecipients(ctx, RecipientQuery{Types: []string{"SharedMailbox"}, Limit: 1})
	if err != nil || len(shared) == 0 {
		t.Fatalf("no shared mailbox: %v", err)
	}
	before, err := st.MailboxPermissions(ctx, shared[0].Key)
	if err != nil {
		t.Fatal(err)
	}

	const writers = 16
	const perWriter = 5
	var wg sync.WaitGroup
	errs := make(chan error, writers*perWriter*3)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				name := fmt.Sprintf("w%02d-%d", w, i)
				r, err := st.NewRecipient(ctx, map[string]any{"Name": name, "RecipientTypeDetails": "MailContact", "ExternalEmailAddress": name + "@example.org"})
				if err != nil {
					errs <- err
					continue
				}
				if err := st.AddGroupMember(ctx, group.Key, r.Key, LinkMembers); err != nil {
					errs <- err
				}
				if _, err := st.UpdateRecipientProps(ctx, r.Key, map[string]any{"CustomAttribute1": name}); err != nil {
					errs <- err
				}
				if _, err := st.AddMailboxPermission(ctx, MailboxPermission{MailboxKey: shared[0].Key, User: name + "@example.org",
					TrusteeKey: r.Key, AccessRights: []string{"FullAccess"}}); err != nil {
					errs <- err
				}
			}
		}()
		wg.Add(1)
		go func() { // a reader beside each writer
			defer wg.Done()
			for range perWriter {
				if _, err := st.ListRecipients(ctx, RecipientQuery{Limit: 20}); err != nil {
					errs <- err
				}
				if _, err := st.GroupMembers(ctx, group.Key, MemberQuery{Limit: 10}); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	members, err := st.GroupMembers(ctx, group.Key, MemberQuery{})
	if err != nil {
		t.Fatal(err)
	}
	added := 0
	for _, m := range members {
		if m.RecipientTypeDetails == "MailContact" && m.Props["CustomAttribute1"] == m.Name {
			added++
		}
	}
	if added != writers*perWriter {
		t.Errorf("%d updated members, want %d", added, writers*perWriter)
	}
	after, err := st.MailboxPermissions(ctx, shared[0].Key)
	if err != nil {
		t.Fatal(err)
	}
	if len(after)-len(before) != writers*perWriter {
		t.Errorf("%d new permissions, want %d", len(after)-len(before), writers*perWriter)
	}
}
