package propertyset

import (
	"strings"
	"testing"
)

func TestFilterPropertyCounts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cmdlet            string
		known, filterable int
	}{
		// §5.3's 144 count CustomAttribute1–15 and ExtensionCustomAttribute1–5
		// as one entry each: 144 + 14 + 4 names, nine of them refused (§4.2).
		{"Get-EXOMailbox", 162, 153},
		{"Get-EXORecipient", 96, 91},       // see recipientFilter
		{"Get-EXOCasMailbox", 35, 33},      // see casMailboxFilter
		{"Get-EXOMailboxStatistics", 0, 0}, // no -Filter
	}
	for _, tt := range tests {
		c := mustFor(t, tt.cmdlet)
		props := c.FilterProperties()
		filterable := 0
		seen := make(map[string]bool)
		for _, p := range props {
			if p.Filterable {
				filterable++
			}
			if seen[strings.ToLower(p.Name)] {
				t.Errorf("%s lists filter property %s twice", tt.cmdlet, p.Name)
			}
			seen[strings.ToLower(p.Name)] = true
		}
		if len(props) != tt.known || filterable != tt.filterable {
			t.Errorf("%s: %d filter properties, %d filterable; want %d, %d", tt.cmdlet, len(props), filterable, tt.known, tt.filterable)
		}
		if c.HasFilter() != (tt.known > 0) {
			t.Errorf("%s HasFilter() = %v", tt.cmdlet, c.HasFilter())
		}
	}
}

func TestFilterProperty(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cmdlet, name string
		want         FilterProperty
		known        bool
	}{
		{"Get-EXOMailbox", "alias", FilterProperty{"Alias", String, true}, true},
		{"Get-EXOMailbox", "EMAILADDRESSES", FilterProperty{"EmailAddresses", MultiString, true}, true},
		{"Get-EXOMailbox", "AcceptMessagesOnlyFromDLMembers", FilterProperty{"AcceptMessagesOnlyFromDLMembers", MultiString, true}, true},
		{"Get-EXOMailbox", "ExtensionCustomAttribute3", FilterProperty{"ExtensionCustomAttribute3", MultiString, true}, true},
		{"Get-EXOMailbox", "CustomAttribute15", FilterProperty{"CustomAttribute15", String, true}, true},
		{"Get-EXOMailbox", "IsShared", FilterProperty{"IsShared", Bool, true}, true},
		{"Get-EXOMailbox", "ResourceCapacity", FilterProperty{"ResourceCapacity", Int, true}, true},
		{"Get-EXOMailbox", "exchangeguid", FilterProperty{"ExchangeGuid", Guid, true}, true},
		{"Get-EXOMailbox", "WhenCreatedUTC", FilterProperty{"WhenCreatedUTC", DateTime, true}, true},
		{"Get-EXOMailbox", "RecipientTypeDetails", FilterProperty{"RecipientTypeDetails", Enum, true}, true},
		{"Get-EXOMailbox", "ArchiveStatus", FilterProperty{"ArchiveStatus", Enum, true}, true},
		{"Get-EXOMailbox", "ProhibitSendQuota", FilterProperty{"ProhibitSendQuota", Size, true}, true},
		{"Get-EXOMailbox", "MaxSendSize", FilterProperty{"MaxSendSize", Size, true}, true},
		{"Get-EXOMailbox", "AuditLogAgeLimit", FilterProperty{"AuditLogAgeLimit", TimeSpan, true}, true},
		{"Get-EXOMailbox", "ExternalDirectoryObjectId", FilterProperty{"ExternalDirectoryObjectId", String, true}, true},
		{"Get-EXOMailbox", "memberofgroup", FilterProperty{"MemberOfGroup", MultiString, false}, true},
		{"Get-EXOMailbox", "SCLJunkThresholdInt", FilterProperty{"SCLJunkThresholdInt", Int, false}, true},
		{"Get-EXOMailbox", "AuditOwner", FilterProperty{}, false},
		{"Get-EXOMailbox", "City", FilterProperty{}, false},
		{"Get-EXORecipient", "City", FilterProperty{"City", String, true}, true},
		{"Get-EXORecipient", "ManagedBy", FilterProperty{"ManagedBy", MultiString, true}, true},
		{"Get-EXORecipient", "OWAMailboxPolicy", FilterProperty{"OwaMailboxPolicy", String, true}, true},
		{"Get-EXORecipient", "members", FilterProperty{"Members", MultiString, false}, true},
		{"Get-EXORecipient", "CountryCode", FilterProperty{"CountryCode", Int, false}, true},
		{"Get-EXORecipient", "ExternalDirectoryObjectId", FilterProperty{"ExternalDirectoryObjectId", String, false}, true},
		{"Get-EXORecipient", "IsShared", FilterProperty{}, false},
		{"Get-EXOCasMailbox", "EcpEnabled", FilterProperty{"ECPEnabled", Bool, true}, true},
		{"Get-EXOCasMailbox", "ActiveSyncAllowedDeviceIDs", FilterProperty{"ActiveSyncAllowedDeviceIDs", MultiString, true}, true},
		{"Get-EXOCasMailbox", "EwsApplicationAccessPolicy", FilterProperty{"EwsApplicationAccessPolicy", Enum, true}, true},
		{"Get-EXOCasMailbox", "ExternalDirectoryObjectId", FilterProperty{"ExternalDirectoryObjectId", String, false}, true},
		{"Get-EXOMailboxStatistics", "ItemCount", FilterProperty{}, false},
	}
	for _, tt := range tests {
		got, known := mustFor(t, tt.cmdlet).FilterProperty(tt.name)
		if got != tt.want || known != tt.known {
			t.Errorf("%s FilterProperty(%q) = %+v, %v; want %+v, %v", tt.cmdlet, tt.name, got, known, tt.want, tt.known)
		}
	}
}

// TestFilterTablesAgree catches typos: every classified or refused name must
// be one some cmdlet lists.
func TestFilterTablesAgree(t *testing.T) {
	t.Parallel()
	listed := make(map[string]bool)
	for _, spec := range specs() {
		names := make(map[string]bool)
		for _, name := range spec.filter.names {
			names[strings.ToLower(name)] = true
			listed[strings.ToLower(name)] = true
		}
		for _, name := range spec.filter.unfilterable {
			if !names[strings.ToLower(name)] {
				t.Errorf("%s refuses %s but does not list it", spec.cmdlet, name)
			}
		}
	}
	for name := range valueKinds() {
		if !listed[name] {
			t.Errorf("value kind given for %s, which no cmdlet lists", name)
		}
	}
}

func TestValueKindString(t *testing.T) {
	t.Parallel()
	if got := MultiString.String(); got != "MultiString" {
		t.Errorf("MultiString.String() = %q", got)
	}
	if got := ValueKind(0).String(); got != "ValueKind(?)" {
		t.Errorf("ValueKind(0).String() = %q", got)
	}
}
