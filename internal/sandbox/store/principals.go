package store

import (
	"context"
	"crypto/sha1"
	"crypto/x509"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Principals are who may sign in to the sandbox's identity provider. They
// are kept apart from recipients: a user principal usually has a mailbox
// (same ObjectID as its ExternalDirectoryObjectId) but need not, and most
// mailboxes have no principal that can sign in.

// Exchange role groups the seeded principals hold.
const (
	RoleOrganizationManagement         = "Organization Management"
	RoleViewOnlyOrganizationManagement = "View-Only Organization Management"
	RoleRecipientManagement            = "Recipient Management"
	RoleComplianceAdministrator        = "Compliance Administrator"
)

// User is a user principal.
type User struct {
	ObjectID          string // Entra object ID, a GUID
	UserPrincipalName string
	DisplayName       string
	Roles             []string // Exchange role-group names
	CanSignIn         bool     // has a password
}

// App is an app registration used for app-only (certificate) sign-in.
type App struct {
	AppID        string // application (client) ID, a GUID
	ObjectID     string // service principal object ID
	DisplayName  string
	Roles        []string
	HasSecret    bool
	Certificates []AppCertificate
}

// AppCertificate is a public certificate registered on an app.
type AppCertificate struct {
	Thumbprint string // SHA-1 of the DER, upper-case hex
	DER        []byte
	NotBefore  time.Time
	NotAfter   time.Time
}

// AddUser adds a user principal. A non-empty password lets it sign in; an
// empty ObjectID gets a new GUID. ErrConflict means the UPN or ObjectID is
// taken.
func (s *Store) AddUser(ctx context.Context, u User, password string) (User, error) {
	hash := ""
	if password != "" {
		var err error
		if hash, err = hashSecret(password, nil); err != nil {
			return User{}, err
		}
	}
	return s.addUser(ctx, u, hash)
}

func (s *Store) addUser(ctx context.Context, u User, hash string) (User, error) {
	if u.ObjectID == "" {
		u.ObjectID = uuid.NewString()
	}
	id, ok := canonicalGUID(u.ObjectID)
	if !ok || !strings.Contains(u.UserPrincipalName, "@") {
		return User{}, fmt.Errorf("%w: user needs a GUID object ID and a UPN (got %q, %q)", ErrInvalid, u.ObjectID, u.UserPrincipalName)
	}
	u.ObjectID, u.CanSignIn = id, hash != ""
	roles, _ := json.Marshal(nonNil(u.Roles))
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO users (object_id, upn, display_name, password_hash, roles) VALUES (?, ?, ?, ?, ?)`,
			u.ObjectID, u.UserPrincipalName, u.DisplayName, hash, string(roles))
		if isUniqueViolation(err) {
			return fmt.Errorf("%w: user %s or object ID %s exists", ErrConflict, u.UserPrincipalName, u.ObjectID)
		}
		if err != nil {
			return fmt.Errorf("add user: %w", err)
		}
		return nil
	})
	return u, err
}

// UserByUPN returns the user principal with this UPN (case-insensitive).
func (s *Store) UserByUPN(ctx context.Context, upn string) (User, error) {
	u, _, err := s.user(ctx, `upn = ?`, strings.TrimSpace(upn))
	return u, err
}

// UserByObjectID returns the user principal with this object ID.
func (s *Store) UserByObjectID(ctx context.Context, objectID string) (User, error) {
	id, ok := canonicalGUID(objectID)
	if !ok {
		return User{}, fmt.Errorf("user %q: %w", objectID, ErrNotFound)
	}
	u, _, err := s.user(ctx, `object_id = ?`, id)
	return u, err
}

// VerifyPassword checks a user's password. It returns ErrNotFound for an
// unknown UPN and ErrInvalidCredentials for a wrong password or a user who
// cannot sign in.
func (s *Store) VerifyPassword(ctx context.Context, upn, password string) (User, error) {
	u, hash, err := s.user(ctx, `upn = ?`, strings.TrimSpace(upn))
	if err != nil {
		return User{}, err
	}
	if hash == "" || !verifySecret(hash, password) {
		return User{}, fmt.Errorf("user %s: %w", u.UserPrincipalName, ErrInvalidCredentials)
	}
	return u, nil
}

func (s *Store) user(ctx context.Context, where string, arg any) (User, string, error) {
	var u User
	var hash, roles string
	err := s.db.QueryRowContext(ctx, `SELECT object_id, upn, display_name, password_hash, roles FROM users WHERE `+where, arg).
		Scan(&u.ObjectID, &u.UserPrincipalName, &u.DisplayName, &hash, &roles)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, "", fmt.Errorf("user %v: %w", arg, ErrNotFound)
	}
	if err != nil {
		return User{}, "", fmt.Errorf("read user: %w", err)
	}
	if err := json.Unmarshal([]byte(roles), &u.Roles); err != nil {
		return User{}, "", fmt.Errorf("decode roles of %s: %w", u.UserPrincipalName, err)
	}
	u.CanSignIn = hash != ""
	return u, hash, nil
}

// AddApp registers an app. A non-empty secret allows client-secret sign-in;
// empty IDs get new GUIDs. Certificates in a are ignored: add them with
// AddAppCertificate.
func (s *Store) AddApp(ctx context.Context, a App, secret string) (App, error) {
	hash := ""
	if secret != "" {
		var err error
		if hash, err = hashSecret(secret, nil); err != nil {
			return App{}, err
		}
	}
	return s.addApp(ctx, a, hash)
}

func (s *Store) addApp(ctx context.Context, a App, hash string) (App, error) {
	if a.AppID == "" {
		a.AppID = uuid.NewString()
	}
	if a.ObjectID == "" {
		a.ObjectID = uuid.NewString()
	}
	appID, ok1 := canonicalGUID(a.AppID)
	objID, ok2 := canonicalGUID(a.ObjectID)
	if !ok1 || !ok2 {
		return App{}, fmt.Errorf("%w: app IDs must be GUIDs (got %q, %q)", ErrInvalid, a.AppID, a.ObjectID)
	}
	a.AppID, a.ObjectID, a.HasSecret, a.Certificates = appID, objID, hash != "", nil
	roles, _ := json.Marshal(nonNil(a.Roles))
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO apps (app_id, object_id, display_name, secret_hash, roles) VALUES (?, ?, ?, ?, ?)`,
			a.AppID, a.ObjectID, a.DisplayName, hash, string(roles))
		if isUniqueViolation(err) {
			return fmt.Errorf("%w: app %s or object ID %s exists", ErrConflict, a.AppID, a.ObjectID)
		}
		if err != nil {
			return fmt.Errorf("add app: %w", err)
		}
		return nil
	})
	return a, err
}

// AddAppCertificate registers a public certificate (DER, or PEM holding a
// CERTIFICATE block) on an app and returns it with its thumbprint.
// ErrConflict means the certificate is already registered.
func (s *Store) AddAppCertificate(ctx context.Context, appID string, cert []byte) (AppCertificate, error) {
	der := cert
	if block, _ := pem.Decode(cert); block != nil {
		if block.Type != "CERTIFICATE" {
			return AppCertificate{}, fmt.Errorf("%w: PEM block %q is not a certificate", ErrInvalid, block.Type)
		}
		der = block.Bytes
	}
	parsed, err := x509.ParseCertificate(der)
	if err != nil {
		return AppCertificate{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	sum := sha1.Sum(der)
	c := AppCertificate{
		Thumbprint: strings.ToUpper(hex.EncodeToString(sum[:])),
		DER:        der,
		NotBefore:  parsed.NotBefore.UTC(),
		NotAfter:   parsed.NotAfter.UTC(),
	}
	id, ok := canonicalGUID(appID)
	if !ok {
		return AppCertificate{}, fmt.Errorf("app %q: %w", appID, ErrNotFound)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO app_certificates (thumbprint, app_id, der, not_before, not_after) VALUES (?, ?, ?, ?, ?)`,
			c.Thumbprint, id, c.DER, c.NotBefore.Unix(), c.NotAfter.Unix())
		switch {
		case isUniqueViolation(err):
			return fmt.Errorf("%w: certificate %s is registered", ErrConflict, c.Thumbprint)
		case isForeignKeyViolation(err):
			return fmt.Errorf("app %s: %w", appID, ErrNotFound)
		case err != nil:
			return fmt.Errorf("add certificate: %w", err)
		}
		return nil
	})
	return c, err
}

// AppByID returns an app with its certificates.
func (s *Store) AppByID(ctx context.Context, appID string) (App, error) {
	a, _, err := s.app(ctx, appID)
	return a, err
}

// VerifyAppSecret checks an app's client secret. It returns ErrNotFound for
// an unknown app and ErrInvalidCredentials for a wrong or absent secret.
func (s *Store) VerifyAppSecret(ctx context.Context, appID, secret string) (App, error) {
	a, hash, err := s.app(ctx, appID)
	if err != nil {
		return App{}, err
	}
	if hash == "" || !verifySecret(hash, secret) {
		return App{}, fmt.Errorf("app %s: %w", a.AppID, ErrInvalidCredentials)
	}
	return a, nil
}

func (s *Store) app(ctx context.Context, appID string) (App, string, error) {
	id, ok := canonicalGUID(appID)
	if !ok {
		return App{}, "", fmt.Errorf("app %q: %w", appID, ErrNotFound)
	}
	var a App
	var hash, roles string
	err := s.read(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT app_id, object_id, display_name, secret_hash, roles FROM apps WHERE app_id = ?`, id).
			Scan(&a.AppID, &a.ObjectID, &a.DisplayName, &hash, &roles)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("app %s: %w", appID, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("read app: %w", err)
		}
		if err := json.Unmarshal([]byte(roles), &a.Roles); err != nil {
			return fmt.Errorf("decode roles of app %s: %w", appID, err)
		}
		a.HasSecret = hash != ""
		rows, err := tx.QueryContext(ctx, `SELECT thumbprint, der, not_before, not_after FROM app_certificates WHERE app_id = ? ORDER BY not_before, thumbprint`, id)
		if err != nil {
			return fmt.Errorf("read certificates: %w", err)
		}
		defer func() { _ = rows.Close() }()
		for rows.Next() {
			var c AppCertificate
			var nb, na int64
			if err := rows.Scan(&c.Thumbprint, &c.DER, &nb, &na); err != nil {
				return fmt.Errorf("read certificate: %w", err)
			}
			c.NotBefore, c.NotAfter = time.Unix(nb, 0).UTC(), time.Unix(na, 0).UTC()
			a.Certificates = append(a.Certificates, c)
		}
		return rows.Err()
	})
	return a, hash, err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
