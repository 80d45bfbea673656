package invoke

import (
	"strings"

	"github.com/google/uuid"
)

// mailboxParameters name the mailbox a mailbox-scoped cmdlet is about, in
// the order they are looked at.
var mailboxParameters = []string{"Identity", "Mailbox"}

// customRoute is the X-AnchorMailbox hint of a call with
// -UseCustomRouting (wire-protocol.md §2.2): built from the mailbox the
// call names, "" when the switch is off or no hint can be built, in which
// case the connection's default hint goes.
func customRoute(p Params, tenant string) string {
	_, sw, ok := p.get(useCustomRoutingKey)
	if !ok || sw.Kind != KindBool || !sw.Bool {
		return ""
	}
	for _, name := range mailboxParameters {
		_, v, ok := p.get(name)
		if !ok || v.Kind != KindString {
			continue
		}
		if hint := mailboxHint(v.Str, tenant); hint != "" {
			return hint
		}
	}
	return ""
}

// mailboxHint builds a hint from a mailbox id or a folder id
// ("mailbox:\Folder", computed on the part before ':\').
func mailboxHint(id, tenant string) string {
	id = strings.TrimSpace(id)
	if mbx, _, ok := strings.Cut(id, `:\`); ok {
		id = mbx
	}
	if g, err := uuid.Parse(id); err == nil {
		return "MBX:" + g.String() + "@" + tenant
	}
	if local, domain, ok := strings.Cut(id, "@"); ok && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(id, " \t") {
		return "SMTP:" + id
	}
	return ""
}
