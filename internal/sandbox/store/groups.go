package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// LinkType names one of a group's membership lists.
type LinkType string

// Link types: distribution and security groups have only Members;
// Microsoft 365 groups also have Owners and Subscribers.
const (
	LinkMembers     LinkType = "Members"
	LinkOwners      LinkType = "Owners"
	LinkSubscribers LinkType = "Subscribers"
)

// MemberQuery selects a page of a group's links, in member key order.
type MemberQuery struct {
	Link               LinkType // empty means LinkMembers
	IncludeSoftDeleted bool     // -IncludeSoftDeletedObjects
	After              int64    // member keys greater than this
	Limit              int      // <= 0 means all
}

// GroupMembers returns the recipients on a group's membership list.
func (s *Store) GroupMembers(ctx context.Context, groupKey int64, q MemberQuery) ([]Recipient, error) {
	if q.Link == "" {
		q.Link = LinkMembers
	}
	deleted := "r.soft_deleted = 0"
	if q.IncludeSoftDeleted {
		deleted = "1"
	}
	return s.queryRecipients(ctx, s.db, `SELECT `+recipientCols+` FROM group_members g JOIN recipients r ON r.id = g.member_key
		WHERE g.group_key = ? AND g.link_type = ? AND g.member_key > ? AND `+deleted+`
		ORDER BY g.member_key LIMIT ?`, groupKey, string(q.Link), q.After, limitArg(q.Limit))
}

// AddGroupMember puts memberKey on a group's list. It returns ErrConflict
// when the member is already there and ErrInvalid when groupKey is not a
// group or the link type does not apply to it.
func (s *Store) AddGroupMember(ctx context.Context, groupKey, memberKey int64, link LinkType) error {
	if link == "" {
		link = LinkMembers
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := checkGroupLink(ctx, tx, groupKey, link); err != nil {
			return err
		}
		if err := requireRecipient(ctx, tx, memberKey); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO group_members (group_key, link_type, member_key) VALUES (?, ?, ?)`, groupKey, string(link), memberKey)
		if isUniqueViolation(err) {
			return fmt.Errorf("%w: recipient %d is already in %s of group %d", ErrConflict, memberKey, link, groupKey)
		}
		if err != nil {
			return fmt.Errorf("add member: %w", err)
		}
		return nil
	})
}

// RemoveGroupMember takes memberKey off a group's list, or returns
// ErrNotFound when it is not there.
func (s *Store) RemoveGroupMember(ctx context.Context, groupKey, memberKey int64, link LinkType) error {
	if link == "" {
		link = LinkMembers
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM group_members WHERE group_key = ? AND link_type = ? AND member_key = ?`, groupKey, string(link), memberKey)
		if err != nil {
			return fmt.Errorf("remove member: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("recipient %d in %s of group %d: %w", memberKey, link, groupKey, ErrNotFound)
		}
		return nil
	})
}

func checkGroupLink(ctx context.Context, tx *sql.Tx, groupKey int64, link LinkType) error {
	var details string
	err := tx.QueryRowContext(ctx, `SELECT recipient_type_details FROM recipients WHERE id = ?`, groupKey).Scan(&details)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("group %d: %w", groupKey, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("read group %d: %w", groupKey, err)
	}
	switch {
	case !isGroup(details):
		return fmt.Errorf("%w: recipient %d is a %s, not a group", ErrInvalid, groupKey, details)
	case link != LinkMembers && details != "GroupMailbox":
		return fmt.Errorf("%w: %s apply only to Microsoft 365 groups", ErrInvalid, link)
	case link != LinkMembers && link != LinkOwners && link != LinkSubscribers:
		return fmt.Errorf("%w: link type %q", ErrInvalid, link)
	}
	return nil
}

// ReplaceGroupMembers makes memberKeys the whole of a group's list in one
// transaction, as Update-DistributionGroupMember does. Duplicate keys count
// once.
func (s *Store) ReplaceGroupMembers(ctx context.Context, groupKey int64, link LinkType, memberKeys []int64) error {
	if link == "" {
		link = LinkMembers
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := checkGroupLink(ctx, tx, groupKey, link); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM group_members WHERE group_key = ? AND link_type = ?`, groupKey, string(link)); err != nil {
			return fmt.Errorf("clear members: %w", err)
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO group_members (group_key, link_type, member_key) VALUES (?, ?, ?)`)
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		defer func() { _ = stmt.Close() }()
		for _, m := range memberKeys {
			if _, err := stmt.ExecContext(ctx, groupKey, string(link), m); err != nil {
				if isForeignKeyViolation(err) {
					return fmt.Errorf("recipient %d: %w", m, ErrNotFound)
				}
				return fmt.Errorf("add member %d: %w", m, err)
			}
		}
		return nil
	})
}

// MemberOf returns the keys of the groups whose link list holds memberKey.
func (s *Store) MemberOf(ctx context.Context, memberKey int64, link LinkType) ([]int64, error) {
	if link == "" {
		link = LinkMembers
	}
	rows, err := s.db.QueryContext(ctx, `SELECT group_key FROM group_members WHERE member_key = ? AND link_type = ? ORDER BY group_key`, memberKey, string(link))
	if err != nil {
		return nil, fmt.Errorf("groups of %d: %w", memberKey, err)
	}
	defer func() { _ = rows.Close() }()
	var out []int64
	for rows.Next() {
		var k int64
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("groups of %d: %w", memberKey, err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}
