package sandbox

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/openexo/exo/internal/sandbox/store"
)

// credentials are the sign-in facts the seed made, kept in the state file
// because the database holds only password hashes.
type credentials struct {
	AdminUPN             string `json:"adminUpn"`
	Password             string `json:"password"`
	AppID                string `json:"appId"`
	ManagedIdentityAppID string `json:"managedIdentityAppId"`
}

// ensureTenant seeds an empty database with the default tenant and makes
// sure the app and managed identity can sign in with the state's keys.
func ensureTenant(ctx context.Context, st *store.Store, stt *state) (credentials, error) {
	if _, err := st.Tenant(ctx); errors.Is(err, store.ErrNoTenant) {
		seeded, err := store.SeedDefault(ctx, st)
		if err != nil {
			return credentials{}, fmt.Errorf("seed default tenant: %w", err)
		}
		stt.Credentials = seededCredentials(seeded, store.SeedPassword)
	} else if err != nil {
		return credentials{}, err
	}
	if err := completeCredentials(ctx, st, stt); err != nil {
		return credentials{}, err
	}
	return stt.Credentials, nil
}

// SeedFile builds a tenant in a new database file and records its sign-in
// facts in the state beside it, for `exod sandbox seed`.
func SeedFile(ctx context.Context, dataPath string, opts store.SeedOptions) (store.Seeded, error) {
	stt, err := loadState(StateDir(dataPath), time.Now())
	if err != nil {
		return store.Seeded{}, err
	}
	st, err := store.Open(ctx, dataPath)
	if err != nil {
		return store.Seeded{}, err
	}
	defer func() { _ = st.Close() }()
	seeded, err := store.Seed(ctx, st, opts)
	if err != nil {
		return store.Seeded{}, err
	}
	password := opts.Password
	if password == "" {
		password = store.SeedPassword
	}
	stt.Credentials = seededCredentials(seeded, password)
	return seeded, completeCredentials(ctx, st, stt)
}

// seededCredentials picks the Organization Management admin and the app a
// seed made.
func seededCredentials(s store.Seeded, password string) credentials {
	c := credentials{Password: password, AppID: s.App.AppID}
	for _, u := range s.Users {
		if slices.Contains(u.Roles, store.RoleOrganizationManagement) {
			c.AdminUPN = u.UserPrincipalName
			break
		}
	}
	return c
}

// completeCredentials fills what the state lacks after a seed: the admin
// and app of the seeded tenant, a managed identity, and the app's
// certificate registration.
func completeCredentials(ctx context.Context, st *store.Store, stt *state) error {
	c := &stt.Credentials
	t, err := st.Tenant(ctx)
	if err != nil {
		return err
	}
	if c.AdminUPN == "" || c.AppID == "" {
		return fmt.Errorf("the state in %s does not match the database of tenant %s; seed a new database", stt.dir, t.InitialDomain)
	}
	if c.ManagedIdentityAppID == "" {
		mi, err := st.AddApp(ctx, store.App{DisplayName: "exo sandbox managed identity", Roles: []string{store.RoleOrganizationManagement}}, "")
		if err != nil {
			return fmt.Errorf("register the managed identity: %w", err)
		}
		c.ManagedIdentityAppID = mi.AppID
	}
	app, err := st.AppByID(ctx, c.AppID)
	if err != nil {
		return fmt.Errorf("automation app %s: %w", c.AppID, err)
	}
	want := thumbprint(stt.appCert.Cert.Raw)
	for _, have := range app.Certificates {
		if strings.EqualFold(have.Thumbprint, want) {
			return stt.save()
		}
	}
	if _, err := st.AddAppCertificate(ctx, c.AppID, stt.appCert.Cert.Raw); err != nil {
		return fmt.Errorf("register the app certificate: %w", err)
	}
	return stt.save()
}

func thumbprint(der []byte) string {
	sum := sha1.Sum(der)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}
