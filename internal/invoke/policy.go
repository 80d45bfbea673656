package invoke

import (
	"strings"
	"time"
)

// readOnlyVerbs are the verbs of cmdlets that do not change the tenant.
var readOnlyVerbs = []string{"Get", "Test", "Search", "Export"}

// replayable is the side-effect rule (docs/invoke-command.md): a cmdlet
// whose verb is not Get, Test, Search or Export changes state, so a request
// of it whose outcome is unknown (a transport error once connected, a
// timeout, a 5xx the service may have run, a transient exception) is never
// sent again: the call reports the failure instead, and a change is never
// applied twice. It is re-sent only after answers that prove the service
// did not run it: throttling (429), the tenant's concurrency refusal, a
// 401 (the token is checked before anything runs) and a front-end 503
// that carries no cmdlet exception. A validation call (Confirm or WhatIf
// true) changes nothing, so it is replayable like a read.
func replayable(cmdlet string, p Params) bool {
	verb, _, _ := strings.Cut(cmdlet, "-")
	if containsFold(readOnlyVerbs, verb) {
		return true
	}
	for _, name := range []string{"WhatIf", "Confirm"} {
		if _, v, ok := p.get(name); ok && v.Kind == KindBool && v.Bool {
			return true
		}
	}
	return false
}

// DefaultTimeout bounds one request: a minute more than the service's
// 15-minute cmdlet limit, as the module's DefaultHTTPTimeout.
const DefaultTimeout = 960 * time.Second

// longTimeouts are the module's per-cmdlet overrides: the service's own
// longer limit plus a minute (wire-protocol.md §4.3).
var longTimeouts = map[string]time.Duration{
	"get-distributiongroupmember":    3660 * time.Second,
	"import-transportrulecollection": 3660 * time.Second,
	"set-organizationconfig":         1860 * time.Second,
	"set-unifiedgroup":               3660 * time.Second,
	"update-distributiongroupmember": 3660 * time.Second,
	"update-rolegroupmember":         1860 * time.Second,
}

// Timeout is the per-request timeout of a cmdlet.
func Timeout(cmdlet string) time.Duration {
	if d, ok := longTimeouts[strings.ToLower(cmdlet)]; ok {
		return d
	}
	return DefaultTimeout
}
