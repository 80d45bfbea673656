package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Object kinds: tenant objects that are not recipients.
const (
	KindInboxRule     = "InboxRule"     // owned by its mailbox
	KindTransportRule = "TransportRule" // organization-wide, ordered by Priority
	KindRoleGroup     = "RoleGroup"     // Members holds member names
	KindAuditRecord   = "AuditRecord"   // a unified audit log record; Time is CreationDate
	KindMessageTrace  = "MessageTrace"  // one message to one recipient; Time is Received
)

// Object is a tenant object kept outside the recipients table: a row with
// the columns listings select on and a JSON property bag.
type Object struct {
	Key      int64 // stable row key; listings page by it
	Kind     string
	OwnerKey int64 // the recipient it belongs to (an inbox rule's mailbox); 0 for none
	Name     string
	GUID     string
	Time     time.Time // when it happened or was made; time-ranged listings use it
	Props    map[string]any
}

// ObjectQuery selects objects of one kind in key order.
type ObjectQuery struct {
	Kind     string
	OwnerKey int64     // 0: any owner
	From, To time.Time // Time within [From, To); zero means unbounded
	After    int64     // keys greater than this
	Limit    int       // <= 0 means all
}

const objectCols = `id, kind, owner_key, name, guid, time, props`

// NewObjects stores objects and returns them with their keys. A new
// object without a GUID gets one; without a Time, the store's clock.
func (s *Store) NewObjects(ctx context.Context, objs []Object) ([]Object, error) {
	out := make([]Object, len(objs))
	r := newRand()
	err := s.write(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO objects (kind, owner_key, name, guid, time, props) VALUES (?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		defer func() { _ = stmt.Close() }()
		for i, o := range objs {
			if o.GUID == "" {
				o.GUID = randomGUID(r)
			}
			if o.Time.IsZero() {
				o.Time = s.now()
			}
			if o.Props == nil {
				o.Props = map[string]any{}
			}
			key, err := insertObject(ctx, stmt, o)
			if err != nil {
				return err
			}
			o.Key = key
			out[i] = o
		}
		return nil
	})
	return out, err
}

func insertObject(ctx context.Context, stmt *sql.Stmt, o Object) (int64, error) {
	if o.Kind == "" || o.Name == "" {
		return 0, fmt.Errorf("%w: an object needs a kind and a name", ErrInvalid)
	}
	props, err := encodeProps(o.Props)
	if err != nil {
		return 0, err
	}
	res, err := stmt.ExecContext(ctx, o.Kind, nullKey(o.OwnerKey), o.Name, o.GUID, o.Time.UTC().UnixMilli(), props)
	switch {
	case isForeignKeyViolation(err):
		return 0, fmt.Errorf("%w: owner %d", ErrNotFound, o.OwnerKey)
	case err != nil:
		return 0, fmt.Errorf("insert %s %q: %w", o.Kind, o.Name, err)
	}
	return res.LastInsertId()
}

// UpdateObject merges props into an object's bag (a nil value removes the
// property) and renames it when name is not empty.
func (s *Store) UpdateObject(ctx context.Context, key int64, name string, props map[string]any) (Object, error) {
	var out Object
	err := s.write(ctx, func(tx *sql.Tx) error {
		cur, err := scanObject(tx.QueryRowContext(ctx, `SELECT `+objectCols+` FROM objects WHERE id = ?`, key))
		if err != nil {
			return err
		}
		for k, v := range props {
			if v == nil {
				delete(cur.Props, k)
			} else {
				cur.Props[k] = v
			}
		}
		if name != "" {
			cur.Name = name
		}
		enc, err := encodeProps(cur.Props)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE objects SET name = ?, props = ? WHERE id = ?`, cur.Name, enc, key); err != nil {
			return fmt.Errorf("update object %d: %w", key, err)
		}
		out = cur
		return nil
	})
	return out, err
}

// RemoveObject deletes an object.
func (s *Store) RemoveObject(ctx context.Context, key int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM objects WHERE id = ?`, key)
		if err != nil {
			return fmt.Errorf("delete object %d: %w", key, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("object %d: %w", key, ErrNotFound)
		}
		return nil
	})
}

// Objects lists the objects q selects, in key order.
func (s *Store) Objects(ctx context.Context, q ObjectQuery) ([]Object, error) {
	where, args := []string{"kind = ?", "id > ?"}, []any{q.Kind, q.After}
	if q.OwnerKey != 0 {
		where, args = append(where, "owner_key = ?"), append(args, q.OwnerKey)
	}
	if !q.From.IsZero() {
		where, args = append(where, "time >= ?"), append(args, q.From.UTC().UnixMilli())
	}
	if !q.To.IsZero() {
		where, args = append(where, "time < ?"), append(args, q.To.UTC().UnixMilli())
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+objectCols+` FROM objects WHERE `+strings.Join(where, " AND ")+
		` ORDER BY id LIMIT ?`, append(args, limitArg(q.Limit))...)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", q.Kind, err)
	}
	defer func() { _ = rows.Close() }()
	var out []Object
	for rows.Next() {
		o, err := scanObject(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// FindObject finds the object of a kind (and owner, unless 0) whose name
// or GUID is identity: ErrNotFound for none, ErrAmbiguous for several.
func (s *Store) FindObject(ctx context.Context, kind string, ownerKey int64, identity string) (Object, error) {
	query := `SELECT ` + objectCols + ` FROM objects WHERE kind = ? AND (name = ? COLLATE NOCASE OR guid = ? COLLATE NOCASE)`
	args := []any{kind, identity, strings.Trim(identity, "{}")}
	if ownerKey != 0 {
		query, args = query+` AND owner_key = ?`, append(args, ownerKey)
	}
	rows, err := s.db.QueryContext(ctx, query+` ORDER BY id LIMIT 2`, args...)
	if err != nil {
		return Object{}, fmt.Errorf("find %s: %w", kind, err)
	}
	defer func() { _ = rows.Close() }()
	var found []Object
	for rows.Next() {
		o, err := scanObject(rows)
		if err != nil {
			return Object{}, err
		}
		found = append(found, o)
	}
	if err := rows.Err(); err != nil {
		return Object{}, err
	}
	switch len(found) {
	case 0:
		return Object{}, fmt.Errorf("%s %q: %w", kind, identity, ErrNotFound)
	case 1:
		return found[0], nil
	}
	return Object{}, fmt.Errorf("%s %q: %w", kind, identity, ErrAmbiguous)
}

func scanObject(sc interface{ Scan(...any) error }) (Object, error) {
	var o Object
	var owner sql.NullInt64
	var ms int64
	var props string
	err := sc.Scan(&o.Key, &o.Kind, &owner, &o.Name, &o.GUID, &ms, &props)
	if errors.Is(err, sql.ErrNoRows) {
		return Object{}, fmt.Errorf("object: %w", ErrNotFound)
	}
	if err != nil {
		return Object{}, fmt.Errorf("read object: %w", err)
	}
	o.OwnerKey, o.Time = owner.Int64, time.UnixMilli(ms).UTC()
	if o.Props, err = decodeProps(props); err != nil {
		return Object{}, fmt.Errorf("object %d: %w", o.Key, err)
	}
	return o, nil
}
