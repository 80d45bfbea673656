package connection

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"syscall"

	"go.uber.org/zap"

	"github.com/openexo/exo/internal/auth"
)

// renewable reports whether a restarted daemon can renew a flow's sign-in
// without the user: the user flows, whose refresh token is in the token
// cache. App-only flows are not: the daemon keeps neither the certificate
// nor a caller's access token on disk, and a managed identity's endpoint
// and secret come from the client's environment.
func renewable(f auth.Flow) bool {
	switch f {
	case auth.FlowPassword, auth.FlowDeviceCode, auth.FlowInteractive, auth.FlowCache:
		return true
	}
	return false
}

// restore signs the session's connections left by an earlier daemon process
// in again from the token cache, keeping their ids, numbers and names. A
// connection whose sign-in cannot be renewed silently is dropped, so the
// session sees what it would after a Disconnect: Connect is needed again.
func (m *Manager) restore(ctx context.Context, clientSession string) {
	m.mu.Lock()
	_, ok := m.pending[clientSession]
	m.mu.Unlock()
	if !ok {
		return
	}
	m.restoreMu.Lock()
	defer m.restoreMu.Unlock()
	m.mu.Lock()
	recs, ok := m.pending[clientSession]
	m.mu.Unlock()
	if !ok {
		return // restored by the caller we waited for
	}
	var restored []*Connection
	var retry []record
	for _, r := range recs {
		c, err := m.restoreOne(ctx, r)
		switch {
		case err == nil:
			restored = append(restored, c)
		case ctx.Err() != nil:
			// Our caller gave up; the next one tries again.
			retry = append(retry, r)
		default:
			m.opts.Logger.Warn("could not restore a connection silently; Connect is needed again",
				zap.String("connection_id", r.ID), zap.String("name", r.Name), zap.Error(err))
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(retry) > 0 {
		m.pending[clientSession] = retry
	} else {
		delete(m.pending, clientSession)
	}
	if len(restored) > 0 {
		s := m.sessions[clientSession]
		if s == nil {
			s = &session{}
			m.sessions[clientSession] = s
		}
		for _, c := range restored {
			s.conns = append(s.conns, c)
			if c.SecurityCompliance {
				s.nextCompliance = max(s.nextCompliance, c.Number)
			} else {
				s.nextExchange = max(s.nextExchange, c.Number)
			}
		}
	}
	if len(restored)+len(retry) < len(recs) {
		m.saveLocked()
	}
}

func (m *Manager) restoreOne(ctx context.Context, r record) (_ *Connection, err error) {
	log, closeLog, err := m.connectionLog(r.ID, r.LogDirectory, r.LogLevel)
	if err != nil {
		return nil, err
	}
	hc := &http.Client{}
	defer func() {
		if err != nil {
			hc.CloseIdleConnections()
			if closeLog != nil {
				_ = closeLog()
			}
		}
	}()
	if len(r.TrustedCAPEM) > 0 {
		trusted, err := auth.TrustedHTTPClient(r.TrustedCAPEM)
		if err != nil {
			return nil, err
		}
		hc = trusted
	}
	cfg := auth.Config{Authority: r.Authority, Scope: r.Scope, HTTPClient: hc, Cache: m.opts.Cache, Logger: log.Named("auth")}
	src, err := auth.SilentFromCache(ctx, cfg, r.UserPrincipalName)
	if err != nil {
		return nil, err
	}
	rec := r
	c := &Connection{
		ID:                    r.ID,
		Number:                r.Number,
		Name:                  r.Name,
		ClientSession:         r.ClientSession,
		RESTBase:              r.RESTBase,
		Authority:             r.Authority,
		Prefix:                r.Prefix,
		Organization:          r.Organization,
		DelegatedOrganization: r.DelegatedOrganization,
		PageSize:              r.PageSize,
		CommandName:           r.CommandName,
		SecurityCompliance:    r.SecurityCompliance,
		Multithreading:        r.Multithreading,
		Created:               r.Created,
		tokens:                src,
		saved:                 &rec,
		log:                   log,
		closeLog:              closeLog,
		transport:             hc,
	}
	m.attachAdmin(c, timedClient(hc, log.Named("adminapi"), r.TrackPerformance))
	if _, err := c.Token(ctx, auth.TokenOptions{}); err != nil {
		return nil, err
	}
	log.Info("connection restored from the token cache", zap.String("name", c.Name))
	return c, nil
}

// saveLocked writes the records of the open and not yet restored
// connections. The caller holds m.mu. A failed write costs only a silent
// restore after a restart, so it is logged, not returned.
func (m *Manager) saveLocked() {
	if m.records == nil {
		return
	}
	var recs []record
	for _, s := range m.sessions {
		for _, c := range s.conns {
			if c.saved != nil {
				recs = append(recs, *c.saved)
			}
		}
	}
	for _, rs := range m.pending {
		recs = append(recs, rs...)
	}
	if err := m.records.save(recs); err != nil {
		m.opts.Logger.Warn("could not record connections", zap.Error(err))
	}
}

// clientGone reports whether the client process a session id names has
// exited, so its records can go: the PowerShell module's ids start with the
// process id ("<pid>-<start ticks>"). Other ids (such as the shared ones
// clients opt in to) are kept. A reused pid keeps a record alive, which
// only delays its removal.
func clientGone(session string) bool {
	head, _, ok := strings.Cut(session, "-")
	if !ok {
		return false
	}
	pid, err := strconv.Atoi(head)
	if err != nil || pid <= 0 {
		return false
	}
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
