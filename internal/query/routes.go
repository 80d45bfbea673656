package query

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// request is one entity-route read, relative to {base}/adminapi/beta/{tenant}/
// (docs/entity-routes.md).
type request struct {
	path   string
	query  url.Values
	header http.Header
}

// cmdlet describes how one Get-EXO* cmdlet reads the service.
type cmdlet struct {
	name     string
	typeName string
	// pages: the cmdlet has -ResultSize (default 1000); others return all.
	resultSize bool
	// build makes the request for one input. Identity parameters are
	// checked in the order the service resolves fastest.
	build func(p Params, q url.Values) (request, error)
	// expand turns one entity into the objects printed, when they differ.
	expand func(p Params, e entity) []entity
	// order is the fixed output order of cmdlets without property sets;
	// nil prints the entity's own order.
	order []string
	// listAll, when the input names no mailbox, lists the tenant's
	// mailboxes and reads each one's objects (Get-EXOMailboxPermission).
	listAll bool
}

// mailboxIdentity is the mailbox an input names, fastest form first.
func mailboxIdentity(p Params) string {
	return p.first("ExternalDirectoryObjectId", "ExchangeGuid", "UserPrincipalName", "PrimarySmtpAddress", "Identity", "Mailbox")
}

// key is an encoded key segment: ('<base64 of the UTF-8 text>').
func key(id string) string {
	b64 := base64.StdEncoding.EncodeToString([]byte(id))
	return "('" + strings.NewReplacer("+", "%2B", "/", "%2F").Replace(b64) + "')"
}

// arg is an encoded function argument: '<base64>' or ” when empty.
func arg(id string) string {
	if id == "" {
		return "''"
	}
	return strings.TrimSuffix(strings.TrimPrefix(key(id), "("), ")")
}

func setFlags(p Params, q url.Values, names ...string) {
	for _, n := range names {
		if p.flag(n) {
			q.Set(n, "true")
		}
	}
}

func setStrings(p Params, q url.Values, names ...string) {
	for _, n := range names {
		if s := p.str(n); s != "" {
			q.Set(n, s)
		}
	}
}

func setLists(p Params, q url.Values, names ...string) {
	for _, n := range names {
		if l := p.strs(n); len(l) > 0 {
			q.Set(n, strings.Join(l, ","))
		}
	}
}

// entitySet builds a read of a whole set or of one keyed entity.
func entitySet(set string) func(p Params, q url.Values) (request, error) {
	return func(p Params, q url.Values) (request, error) {
		path := set
		if id := mailboxIdentity(p); id != "" {
			path += key(id)
			q.Set("isEncoded", "true")
		}
		return request{path: path, query: q}, nil
	}
}

// cmdlets are the nine Get-EXO* cmdlets by lower-case name.
func cmdlets() map[string]*cmdlet {
	list := []*cmdlet{
		{
			name: "Get-EXOMailbox", typeName: "ExchangeOnlineManagement.ExoMailbox", resultSize: true,
			build: func(p Params, q url.Values) (request, error) {
				setStrings(p, q, "Anr", "OrganizationalUnit", "MailboxPlan")
				setLists(p, q, "RecipientTypeDetails")
				setFlags(p, q, "SoftDeletedMailbox", "InactiveMailboxOnly", "IncludeInactiveMailbox", "Archive")
				return entitySet("Mailbox")(p, q)
			},
		},
		{
			name: "Get-EXORecipient", typeName: "ExchangeOnlineManagement.ExoRecipient", resultSize: true,
			build: func(p Params, q url.Values) (request, error) {
				setStrings(p, q, "Anr", "OrganizationalUnit")
				setLists(p, q, "RecipientType", "RecipientTypeDetails")
				setFlags(p, q, "IncludeSoftDeletedRecipients")
				return entitySet("Recipient")(p, q)
			},
		},
		{
			name: "Get-EXOCasMailbox", typeName: "ExchangeOnlineManagement.ExoCasMailbox", resultSize: true,
			build: func(p Params, q url.Values) (request, error) {
				setStrings(p, q, "Anr", "OrganizationalUnit")
				setFlags(p, q, "ProtocolSettings")
				return entitySet("CasMailbox")(p, q)
			},
		},
		{
			name: "Get-EXOMailboxStatistics", typeName: "ExchangeOnlineManagement.ExoMailboxStatistics",
			build: func(p Params, q url.Values) (request, error) {
				id := mailboxIdentity(p)
				if id == "" {
					return request{}, missingIdentity("Get-EXOMailboxStatistics")
				}
				setFlags(p, q, "Archive", "IncludeSoftDeletedRecipients")
				q.Set("isEncoded", "true")
				return request{path: "Mailbox" + key(id) + "/Exchange.GetMailboxStatistics()", query: q}, nil
			},
		},
		{
			name: "Get-EXOMailboxFolderStatistics", typeName: "ExchangeOnlineManagement.ExoMailboxFolderStatistics",
			build: func(p Params, q url.Values) (request, error) {
				id := mailboxIdentity(p)
				if id == "" {
					return request{}, missingIdentity("Get-EXOMailboxFolderStatistics")
				}
				scope := p.str("FolderScope")
				if scope == "" {
					scope = "All"
				}
				setFlags(p, q, "Archive", "IncludeOldestAndNewestItems", "IncludeSoftDeletedRecipients")
				q.Set("isEncoded", "true")
				return request{path: "Mailbox" + key(id) + "/MailboxFolder/Exchange.GetMailboxFolderStatistics(folderscope=Exchange.ElcFolderType'" + scope + "')", query: q}, nil
			},
		},
		{
			name: "Get-EXOMailboxPermission", typeName: "ExchangeOnlineManagement.ExoMailboxPermission", resultSize: true, listAll: true,
			order: []string{"Identity", "User", "AccessRights", "IsInherited", "Deny", "InheritanceType"},
			build: func(p Params, q url.Values) (request, error) {
				path := "Mailbox" + key(mailboxIdentity(p)) + "/MailboxPermission"
				if u := p.str("User"); u != "" {
					path += key(u)
				}
				if p.flag("Owner") {
					q.Set("$filter", "IsOwner eq true")
				}
				setFlags(p, q, "SoftDeletedMailbox")
				q.Set("isEncoded", "true")
				return request{path: path, query: q}, nil
			},
			expand: expandMailboxPermission,
		},
		{
			name: "Get-EXORecipientPermission", typeName: "ExchangeOnlineManagement.ExoRecipientPermission", resultSize: true,
			order: []string{"Identity", "Trustee", "AccessControlType", "AccessRights", "IsInherited", "InheritanceType"},
			build: func(p Params, q url.Values) (request, error) {
				id, trustee, rights := mailboxIdentity(p), p.str("Trustee"), strings.Join(p.strs("AccessRights"), ",")
				q.Set("isEncoded", "true")
				if id != "" && trustee == "" && rights == "" {
					return request{path: "Recipient" + key(id) + "/RecipientPermission", query: q}, nil
				}
				return request{path: "Recipient/Exchange.GetRecipientPermissionByFilters(identity=" + arg(id) +
					",trustee=" + arg(trustee) + ",accessRights='" + rights + "')", query: q}, nil
			},
		},
		{
			name: "Get-EXOMailboxFolderPermission", typeName: "ExchangeOnlineManagement.ExoMailboxFolderPermission",
			order: []string{"Identity", "FolderName", "User", "AccessRights", "SharingPermissionFlags"},
			build: func(p Params, q url.Values) (request, error) {
				mailbox, folder := splitFolderIdentity(p.str("Identity"))
				if mailbox == "" {
					mailbox = p.first("ExternalDirectoryObjectId", "UserPrincipalName", "PrimarySmtpAddress")
				}
				if mailbox == "" {
					return request{}, missingIdentity("Get-EXOMailboxFolderPermission")
				}
				path := "Mailbox" + key(mailbox) + "/MailboxFolder" + key(folder) + "/MailboxFolderPermission"
				if u := p.str("User"); u != "" {
					path += key(u)
				}
				q.Set("IsUsingMailboxFolderId", "true")
				setFlags(p, q, "GroupMailbox")
				q.Set("isEncoded", "true")
				return request{path: path, query: q}, nil
			},
		},
		{
			name: "Get-EXOMobileDeviceStatistics", typeName: "ExchangeOnlineManagement.ExoMobileDeviceStatistics",
			build: func(p Params, q url.Values) (request, error) {
				setFlags(p, q, "ActiveSync", "OWAforDevices", "RestApi", "UniversalOutlook")
				if device := p.str("Identity"); device != "" {
					// The device identity travels in a header; the path holds a
					// fixed placeholder (wire-protocol.md §2.6).
					h := http.Header{}
					h.Set("XParameter-Identity", device)
					return request{path: "Mailbox/MobileDevice/Exchange.GetMobileDeviceStatisticsByIdentity(Identity='XParameter-Identity')", query: q, header: h}, nil
				}
				id := p.first("ExternalDirectoryObjectId", "UserPrincipalName", "PrimarySmtpAddress", "Mailbox")
				if id == "" {
					return request{}, missingIdentity("Get-EXOMobileDeviceStatistics")
				}
				q.Set("isEncoded", "true")
				return request{path: "Mailbox" + key(id) + "/MobileDevice/Exchange.GetMobileDeviceStatistics()", query: q}, nil
			},
		},
	}
	m := make(map[string]*cmdlet, len(list))
	for _, c := range list {
		m[strings.ToLower(c.name)] = c
	}
	return m
}

// splitFolderIdentity splits "<mailbox>:\<folder path>"; a bare mailbox
// means its top folder.
func splitFolderIdentity(id string) (mailbox, folder string) {
	if i := strings.Index(id, ":\\"); i >= 0 {
		return id[:i], id[i+1:]
	}
	return id, "\\"
}

// ownerOrder is Get-EXOMailboxPermission -Owner's output.
var ownerOrder = []string{"Identity", "Owner"}

// expandMailboxPermission prints one object per entry of PermissionList,
// or for the owner entity (-Owner) the mailbox and its owner.
func expandMailboxPermission(p Params, e entity) []entity {
	identity, _ := e.get("MailboxIdentity")
	user, _ := e.get("User")
	if raw, ok := e.get("IsOwner"); ok && string(raw) == "true" {
		if !p.flag("Owner") {
			return nil
		}
		return []entity{{{"Identity", identity}, {"Owner", user}}}
	}
	var list []struct {
		AccessRights    json.RawMessage `json:"AccessRights"`
		IsInherited     json.RawMessage `json:"IsInherited"`
		Deny            json.RawMessage `json:"Deny"`
		InheritanceType json.RawMessage `json:"InheritanceType"`
	}
	if raw, ok := e.get("PermissionList"); ok {
		_ = json.Unmarshal(raw, &list)
	}
	out := make([]entity, 0, len(list))
	for _, p := range list {
		out = append(out, entity{
			{"Identity", identity}, {"User", user}, {"AccessRights", p.AccessRights},
			{"IsInherited", p.IsInherited}, {"Deny", p.Deny}, {"InheritanceType", p.InheritanceType},
		})
	}
	return out
}
