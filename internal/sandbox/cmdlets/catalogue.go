package cmdlets

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/openexo/exo/internal/sandbox/adminapi"
)

// The published catalogue is the implemented cmdlets plus the rest of the
// service's names (catalogue_names.go). Cmdlets of the reference's
// parameter tables (appendix_data.go) publish those parameters; the
// others get the block their verb implies.

// appendixBlock is one cmdlet's parameter table in appendix_data.go.
type appendixBlock struct {
	defaultSet string
	spec       string
}

// classNotImplemented answers cmdlets the sandbox publishes but does not run.
const classNotImplemented = "System.NotImplementedException"

func notImplemented(_ context.Context, _ *Engine, r *request) (adminapi.Result, error) {
	return adminapi.Result{}, &adminapi.CmdletError{Class: classNotImplemented, Status: http.StatusBadRequest,
		Message: fmt.Sprintf("The cmdlet '%s' is not implemented in the sandbox tenant.", r.c.info.Name)}
}

// readVerbs are the verbs of cmdlets that change nothing: they need a read
// grant and don't support ShouldProcess.
var readVerbs = []string{"Get", "Search", "Test", "Export", "Preview", "Validate"}

func isReadVerb(name string) bool {
	verb, _, _ := strings.Cut(name, "-")
	return slices.Contains(readVerbs, verb)
}

// recipientNoun matches the nouns of cmdlets about recipients and their
// mailbox data, which the recipient grants cover; the rest are
// organization configuration.
var recipientNoun = regexp.MustCompile(`^(Mailbox|CASMailbox$|MailUser|MailContact|Contact$|User|LinkedUser|Recipient|` +
	`DistributionGroup|DynamicDistributionGroup|UnifiedGroup|Group$|InboxRule|SweepRule|CalendarProcessing|` +
	`CalendarEvents|CalendarNotification|CalendarDiagnostic|Clutter|FocusedInbox|MobileDevice$|MobileDeviceStatistics|` +
	`ActiveSyncDevice$|ActiveSyncDeviceStatistics|Place$|RecoverableItems|SoftDeleted|MoveRequest|MailPublicFolder|` +
	`TextMessagingAccount|BookingMailbox|ManagedFolderAssistant|SendAddress|VivaInsightsSettings)`)

// catalogueEntries adds the service's other cmdlets to the implemented
// ones in m and completes the parameter blocks of implemented cmdlets from
// the reference tables.
func catalogueEntries(m map[string]*cmdlet) {
	add := func(nouns []string, ep endpoint, compliance bool) {
		for _, line := range nouns {
			f := strings.Fields(line)
			for _, verb := range f[1:] {
				name := verb + "-" + f[0]
				if _, ok := m[strings.ToLower(name)]; ok {
					continue
				}
				m[strings.ToLower(name)] = stubCmdlet(name, ep, compliance)
			}
		}
	}
	add(exchangeNouns, exchangeEndpoint, false)
	add(complianceNouns, complianceEndpoint, true)
	for name, b := range appendixBlocks {
		c, ok := m[strings.ToLower(name)]
		if !ok {
			continue
		}
		if c.run == nil {
			c.info.DefaultParameterSet, c.info.Parameters = b.defaultSet, parseBlock(b.spec, isGetVerb(name))
			c.run = notImplemented
			continue
		}
		c.info.Parameters = mergeParams(c.info.Parameters, parseBlock(b.spec, isGetVerb(name)))
	}
	for _, c := range m {
		if c.run == nil {
			c.run = notImplemented
		}
	}
}

func isGetVerb(name string) bool { return strings.HasPrefix(name, "Get-") }

// stubCmdlet is a published cmdlet the engine doesn't implement (run is
// set by the caller), with the block its verb implies: -Identity for verbs
// that act on an object, -Name for New-*.
func stubCmdlet(name string, ep endpoint, compliance bool) *cmdlet {
	verb, noun, _ := strings.Cut(name, "-")
	read := isReadVerb(name)
	c := &cmdlet{info: adminapi.CmdletInfo{Name: name}, endpoints: ep}
	switch {
	case compliance && read:
		c.needs = readCompliance
	case compliance:
		c.needs = writeCompliance
	case recipientNoun.MatchString(noun) && read:
		c.needs = readRecipients
	case recipientNoun.MatchString(noun):
		c.needs = writeRecipients
	case read:
		c.needs = readOrg
	default:
		c.needs = writeOrg
	}
	if !read {
		c.info.SupportsShouldProcess = true
		c.info.ConfirmImpact = adminapi.ConfirmMedium
		if slices.Contains([]string{"Remove", "Disable", "Clear", "Delete", "Stop"}, verb) {
			c.info.ConfirmImpact = adminapi.ConfirmHigh
		}
	}
	switch verb {
	case "Get":
		c.info.Parameters = []param{identityParam(false, true)}
	case "New":
		c.info.Parameters = []param{{Name: "Name", Kind: adminapi.KindString,
			Sets: []adminapi.ParameterSetInfo{{Mandatory: true, Position: 1}}}}
	case "Search", "Test", "Export", "Validate", "Start", "Import":
	default:
		c.info.Parameters = []param{identityParam(true, false)}
	}
	return c
}

// parseBlock reads a parameter table of appendix_data.go. getVerb makes
// pipeline input bind by value too, as the Get-* cmdlets take identities
// from the pipeline.
func parseBlock(spec string, getVerb bool) []param {
	var out []param
	for _, entry := range strings.Split(spec, ";") {
		if entry == "" {
			continue
		}
		f := strings.Split(entry, ":")
		name, typ, flags := f[0], f[1], f[2]
		p := param{Name: name, Kind: kindOfType(typ)}
		if name == "ResultSize" && typ == "Unlimited" {
			p.Kind = adminapi.KindUnlimited
		}
		set := adminapi.ParameterSetInfo{
			Mandatory:                       strings.Contains(flags, "r"),
			ValueFromPipelineByPropertyName: strings.Contains(flags, "v"),
			ValueFromPipeline:               strings.Contains(flags, "v") && getVerb && name == "Identity",
		}
		// Only -Identity is positional in the sandbox's blocks: the tables
		// mark several parameters "pos" without saying which position.
		if strings.Contains(flags, "p") && name == "Identity" {
			set.Position = 1
		}
		sets := []string{""}
		if len(f) > 3 {
			sets = strings.Split(f[3], "/")
		}
		if set == (adminapi.ParameterSetInfo{}) && len(f) <= 3 {
			out = append(out, p)
			continue
		}
		for _, s := range sets {
			ps := set
			ps.Name = s
			p.Sets = append(p.Sets, ps)
		}
		out = append(out, p)
	}
	return out
}

// kindOfType maps a reference parameter type to the wire kind; Exchange's
// own types (identity parameters, enums, sizes) stay untyped.
func kindOfType(t string) adminapi.Kind {
	switch t {
	case "SwitchParameter":
		return adminapi.KindSwitch
	case "Boolean", "System.Boolean":
		return adminapi.KindBool
	case "String":
		return adminapi.KindString
	case "String[]":
		return adminapi.KindStringArray
	case "Int32":
		return adminapi.KindInt
	case "DateTime", "System.DateTime", "ExDateTime":
		return adminapi.KindDateTime
	case "Guid", "System.Guid":
		return adminapi.KindGuid
	case "MultiValuedProperty", "ProxyAddressCollection":
		return adminapi.KindMultiValued
	case "SecureString":
		return adminapi.KindSecureString
	case "PSCredential":
		return adminapi.KindCredential
	}
	return adminapi.KindAny
}

// mergeParams adds to an implemented cmdlet's parameters those of the
// reference table it doesn't declare, so its block is the service's. The
// cmdlet ignores them. Parameters mandatory somewhere in the table belong
// to parameter sets the sandbox doesn't implement and are left out; the
// others join every set, so they can't make a call ambiguous.
func mergeParams(own, table []param) []param {
	out := slices.Clone(own)
	for _, p := range table {
		if slices.ContainsFunc(own, func(o param) bool { return strings.EqualFold(o.Name, p.Name) }) ||
			slices.ContainsFunc(p.Sets, func(s adminapi.ParameterSetInfo) bool { return s.Mandatory }) {
			continue
		}
		p.Sets = nil
		out = append(out, p)
	}
	return out
}
