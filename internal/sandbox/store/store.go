// Package store is the sandbox tenant's database: one SQLite file per tenant
// holding the tenant's facts, its sign-in principals (users and app
// registrations for the identity provider) and its Exchange Online objects
// (recipients, group members, permissions, folders, mobile devices, mailbox
// statistics and the organization config).
//
// Exchange objects are rows with a few indexed columns (the ones identities
// resolve through and listings filter on) and a JSON property bag. To keep a
// 100,000-mailbox tenant small and fast to build, a row's bag holds only what
// differs from its base: the built-in template for its kind (stored in the
// templates table when the schema is made) overlaid with tenant-wide values
// such as OrganizationId. Readers always get the merged, complete bag.
//
// All methods are safe for concurrent use. Writes run in IMMEDIATE
// transactions, serialized in-process so that concurrent callers queue on a
// mutex rather than on SQLite's busy handler.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	"modernc.org/sqlite" // also registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

// Sentinel errors; returned errors wrap them, so test with errors.Is.
var (
	// ErrNotFound means the object asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict means a write would break a uniqueness rule (an address,
	// name, GUID, UPN or app ID already in use) or the store is already seeded.
	ErrConflict = errors.New("conflict")
	// ErrAmbiguous means an identity matched more than one object.
	ErrAmbiguous = errors.New("ambiguous identity")
	// ErrInvalid means an argument is malformed or incomplete.
	ErrInvalid = errors.New("invalid argument")
	// ErrInvalidCredentials means a password or client secret did not verify,
	// or the principal has none.
	ErrInvalidCredentials = errors.New("invalid credentials")
	// ErrNoTenant means the store has no tenant yet (SetTenant or Seed first).
	ErrNoTenant = errors.New("tenant not set")
)

// Store is an open tenant database.
type Store struct {
	db *sql.DB
	// writeMu serializes write transactions within the process.
	writeMu sync.Mutex
	now     func() time.Time

	// bases caches the merged template+tenant layer per kind and tenant the
	// tenant facts; both are dropped by SetTenant and Seed. Guarded by baseMu.
	baseMu sync.RWMutex
	bases  map[string]map[string]any
	tenant *Tenant
}

// Open opens (creating if needed) the tenant database at path and makes or
// checks its schema.
func Open(ctx context.Context, path string) (*Store, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// A few connections let readers run beside the writer under WAL.
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	db.SetConnMaxIdleTime(0)
	s := &Store{db: db, now: func() time.Time { return time.Now().UTC() }, bases: map[string]map[string]any{}}
	if err := s.migrate(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	return s.db.Close()
}

// write runs fn in an IMMEDIATE transaction and commits it when fn succeeds.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// read runs fn in a read-only (deferred) transaction, giving it one snapshot.
func (s *Store) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	return fn(tx)
}

// limitArg turns a Limit (<= 0: no limit) into SQLite's LIMIT argument.
func limitArg(limit int) int {
	if limit <= 0 {
		return -1
	}
	return limit
}

// isUniqueViolation reports whether err is a UNIQUE or PRIMARY KEY failure.
func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// isForeignKeyViolation reports whether err is a FOREIGN KEY failure.
func isForeignKeyViolation(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// forgetTenant drops the cached tenant and bases after the tenant changed.
func (s *Store) forgetTenant() {
	s.baseMu.Lock()
	clear(s.bases)
	s.tenant = nil
	s.baseMu.Unlock()
}
