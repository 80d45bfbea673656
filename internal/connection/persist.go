package connection

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// record is what the daemon keeps on disk about a connection whose sign-in
// it can renew silently after a restart (the refresh-token flows). It holds
// no secret: the refresh token stays in the token cache.
type record struct {
	ID                    string    `json:"id"`
	Number                int       `json:"number"`
	Name                  string    `json:"name"`
	ClientSession         string    `json:"clientSession"`
	RESTBase              string    `json:"restBase"`
	Authority             string    `json:"authority"`
	Scope                 string    `json:"scope"`
	UserPrincipalName     string    `json:"userPrincipalName"`
	Prefix                string    `json:"prefix,omitempty"`
	Organization          string    `json:"organization,omitempty"`
	DelegatedOrganization string    `json:"delegatedOrganization,omitempty"`
	PageSize              uint32    `json:"pageSize"`
	CommandName           []string  `json:"commandName,omitempty"`
	SecurityCompliance    bool      `json:"securityCompliance,omitempty"`
	Multithreading        bool      `json:"multithreading"`
	Created               time.Time `json:"created"`
	// TrustedCAPEM is the extra CA the connection trusted (public data).
	TrustedCAPEM     []byte `json:"trustedCaPem,omitempty"`
	LogDirectory     string `json:"logDirectory,omitempty"`
	LogLevel         string `json:"logLevel,omitempty"`
	TrackPerformance bool   `json:"trackPerformance,omitempty"`
}

// recordFile keeps the records of every session in one JSON file that only
// its user can read (0600), written whole and atomically.
type recordFile struct {
	path string
	mu   sync.Mutex
}

func (f *recordFile) load() ([]record, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	data, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && len(data) == 0) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read connection records: %w", err)
	}
	var recs []record
	if err := json.Unmarshal(data, &recs); err != nil {
		return nil, fmt.Errorf("connection records %s: %w", f.path, err)
	}
	return recs, nil
}

func (f *recordFile) save(recs []record) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if recs == nil {
		recs = []record{}
	}
	data, err := json.Marshal(recs)
	if err != nil {
		return fmt.Errorf("encode connection records: %w", err)
	}
	// CreateTemp makes the file with mode 0600.
	tmp, err := os.CreateTemp(filepath.Dir(f.path), ".connections-*")
	if err != nil {
		return fmt.Errorf("write connection records: %w", err)
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), f.path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("write connection records: %w", err)
	}
	return nil
}
