package cmdlets

import (
	"context"
	"slices"
	"strings"

	"github.com/openexo/exo/internal/sandbox/adminapi"
)

// cmdlet is one cmdlet the engine runs: its metadata, the endpoints that
// serve it, the grant it needs and its implementation.
type cmdlet struct {
	info      adminapi.CmdletInfo
	endpoints endpoint
	needs     grant
	run       func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error)
}

// registry holds every cmdlet by lower-case name; sortedCmdlets is the
// catalogue order. Both are built once and only read.
var (
	registry      = buildRegistry()
	sortedCmdlets = sortRegistry(registry)
)

func buildRegistry() map[string]*cmdlet {
	m := map[string]*cmdlet{}
	for _, family := range [][]*cmdlet{
		mailboxCmdlets(), casCmdlets(), statisticsCmdlets(), recipientCmdlets(), permissionCmdlets(),
		folderCmdlets(), deviceCmdlets(), groupCmdlets(), orgCmdlets(), complianceCmdlets(), auditCmdlets(), lifecycleCmdlets(), distributionGroupCmdlets(), mailboxConfigCmdlets(), ruleCmdlets(), roleGroupCmdlets(), messageTraceCmdlets(),
	} {
		for _, c := range family {
			m[strings.ToLower(c.info.Name)] = c
		}
	}
	catalogueEntries(m)
	return m
}

func sortRegistry(m map[string]*cmdlet) []*cmdlet {
	out := make([]*cmdlet, 0, len(m))
	for _, c := range m {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *cmdlet) int { return strings.Compare(a.info.Name, b.info.Name) })
	return out
}

func (c *cmdlet) declares(name string) bool {
	return slices.ContainsFunc(c.info.Parameters, func(p param) bool { return p.Name == name })
}

func lookupCmdlet(name string) (*cmdlet, bool) {
	c, ok := registry[strings.ToLower(strings.TrimSpace(name))]
	return c, ok
}

// Catalog lists the cmdlets of the engine's endpoint that the caller may
// run. Catalogues are cached per grant set, which is per role set: roles
// only matter through their grants.
func (e *Engine) Catalog(_ context.Context, caller adminapi.Caller) ([]adminapi.CmdletInfo, error) {
	key := grantsOf(caller.Roles)
	e.catMu.Lock()
	defer e.catMu.Unlock()
	if cat, ok := e.catalogs[key]; ok {
		return cat, nil
	}
	cat := []adminapi.CmdletInfo{}
	for _, c := range sortedCmdlets {
		if c.endpoints&e.ep != 0 && c.needs&key != 0 {
			cat = append(cat, c.info)
		}
	}
	e.catalogs[key] = cat
	return cat, nil
}

// Parameter metadata helpers. Positions are 1-based as Microsoft's docs
// print them.

type param = adminapi.ParameterInfo

// identityParam is -Identity: positional, bound from the pipeline (by
// value for Get-*, by property name for the cmdlets that change things),
// untyped in the proxy as Exchange leaves its *IdParameter types.
func identityParam(mandatory, byValue bool, sets ...string) param {
	if len(sets) == 0 {
		sets = []string{""}
	}
	p := param{Name: "Identity", Kind: adminapi.KindAny}
	for _, s := range sets {
		p.Sets = append(p.Sets, adminapi.ParameterSetInfo{Name: s, Mandatory: mandatory, Position: 1,
			ValueFromPipeline: byValue, ValueFromPipelineByPropertyName: true})
	}
	return p
}

// named is an optional named parameter of the given sets (all when none).
func named(name string, k adminapi.Kind, sets ...string) param {
	p := param{Name: name, Kind: k}
	for _, s := range sets {
		p.Sets = append(p.Sets, adminapi.ParameterSetInfo{Name: s})
	}
	return p
}

// required is a mandatory named parameter of the given sets (all when none).
func required(name string, k adminapi.Kind, sets ...string) param {
	if len(sets) == 0 {
		sets = []string{""}
	}
	p := param{Name: name, Kind: k}
	for _, s := range sets {
		p.Sets = append(p.Sets, adminapi.ParameterSetInfo{Name: s, Mandatory: true})
	}
	return p
}

func oneOf(p param, values ...string) param {
	p.ValidValues = values
	return p
}

func resultSizeParam() param { return named("ResultSize", adminapi.KindUnlimited) }

// RecipientTypeDetails values the store knows, by cmdlet family.
var (
	mailboxTypes = []string{"UserMailbox", "SharedMailbox", "RoomMailbox", "EquipmentMailbox",
		"DiscoveryMailbox", "SchedulingMailbox"}
	groupTypes = []string{"MailUniversalDistributionGroup", "MailUniversalSecurityGroup", "RoomList"}
	userTypes  = []string{"UserMailbox", "SharedMailbox", "RoomMailbox", "EquipmentMailbox", "DiscoveryMailbox",
		"SchedulingMailbox", "MailUser", "GuestMailUser"}
	allTypes = []string{"UserMailbox", "SharedMailbox", "RoomMailbox", "EquipmentMailbox", "DiscoveryMailbox",
		"SchedulingMailbox", "MailUser", "GuestMailUser", "MailContact", "MailUniversalDistributionGroup",
		"MailUniversalSecurityGroup", "RoomList", "GroupMailbox", "DynamicDistributionGroup"}
)
