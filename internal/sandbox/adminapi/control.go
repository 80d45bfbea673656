package adminapi

import (
	"crypto/subtle"
	"encoding/json"
	"io"
	"net"
	"net/http"
)

// controlPath is the sandbox's own endpoint for changing throttling and
// faults while it runs. GET returns the current Settings; POST replaces
// them with the posted Settings (same JSON). Only a loopback client
// holding Config.ControlSecret as its bearer token may use it, and
// browser requests (those with an Origin header) are refused.
const controlPath = "/sandbox/control/faults"

// controlAllowed answers a control request that may not proceed and says
// whether it may.
func (s *Server) controlAllowed(w http.ResponseWriter, r *http.Request) bool {
	if s.cfg.ControlSecret == "" {
		writeProtocolError(w, r, http.StatusNotFound, "The sandbox control endpoint is disabled.")
		return false
	}
	token, ok := bearerToken(r)
	if !ok || subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.ControlSecret)) != 1 ||
		r.Header.Get("Origin") != "" || !isLoopback(r.RemoteAddr) {
		writeProtocolError(w, r, http.StatusForbidden, "The sandbox control endpoint needs the control secret, from a loopback address.")
		return false
	}
	return true
}

func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	if !s.controlAllowed(w, r) {
		return
	}
	switch r.Method {
	case http.MethodGet:
	case http.MethodPost:
		var st Settings
		raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
		if err == nil {
			err = json.Unmarshal(raw, &st)
		}
		if err == nil {
			err = s.SetSettings(st)
		}
		if err != nil {
			writeProtocolError(w, r, http.StatusBadRequest, "The settings are not valid: "+err.Error()+".")
			return
		}
	default:
		methodIs(w, r, http.MethodPost)
		return
	}
	writeJSON(w, r, http.StatusOK, s.Settings())
}

func isLoopback(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
