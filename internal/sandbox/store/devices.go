package store

import (
	"context"
	"fmt"
	"strings"
)

// MobileDevice is a device partnership of a mailbox; Props holds the
// Get-MobileDevice and Get-MobileDeviceStatistics properties.
type MobileDevice struct {
	Key        int64
	MailboxKey int64
	GUID       string
	DeviceID   string
	Identity   string // e.g. alias\ExchangeActiveSyncDevices\iPhone§F0A1…
	Props      map[string]any
}

// MobileDevices lists a mailbox's devices.
func (s *Store) MobileDevices(ctx context.Context, mailboxKey int64) ([]MobileDevice, error) {
	return s.queryDevices(ctx, `mailbox_key = ?`, mailboxKey)
}

// FindMobileDevice finds a device by GUID, Identity or DeviceID.
func (s *Store) FindMobileDevice(ctx context.Context, identity string) (MobileDevice, error) {
	id := strings.TrimSpace(identity)
	// Device IDs are 32 hex digits, which also parse as a GUID: try both.
	where, args := `identity = ? OR device_id = ?`, []any{id, id}
	if g, ok := canonicalGUID(id); ok {
		where, args = `guid = ? OR identity = ? OR device_id = ?`, []any{g, id, id}
	}
	ds, err := s.queryDevices(ctx, where, args...)
	if err != nil {
		return MobileDevice{}, err
	}
	switch len(ds) {
	case 0:
		return MobileDevice{}, fmt.Errorf("mobile device %q: %w", identity, ErrNotFound)
	case 1:
		return ds[0], nil
	}
	return MobileDevice{}, fmt.Errorf("%w: %q matches %d mobile devices", ErrAmbiguous, identity, len(ds))
}

func (s *Store) queryDevices(ctx context.Context, where string, args ...any) ([]MobileDevice, error) {
	base, err := s.base(ctx, s.db, tmplMobileDevice)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, mailbox_key, guid, device_id, identity, props FROM mobile_devices WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("read mobile devices: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []MobileDevice
	for rows.Next() {
		var d MobileDevice
		var props string
		if err := rows.Scan(&d.Key, &d.MailboxKey, &d.GUID, &d.DeviceID, &d.Identity, &props); err != nil {
			return nil, fmt.Errorf("read mobile device: %w", err)
		}
		own, err := decodeProps(props)
		if err != nil {
			return nil, err
		}
		d.Props = mergeProps(base, own)
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read mobile devices: %w", err)
	}
	return out, nil
}
