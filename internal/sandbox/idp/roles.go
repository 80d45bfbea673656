package idp

import "strings"

// claimExchangeRoles carries the principal's role names verbatim, so the
// admin API can enforce Exchange RBAC (role groups have no wids).
const claimExchangeRoles = "exo_roles"

// defaultUserRoleID is the template ID of the implicit "User" role every
// member's token lists in wids.
const defaultUserRoleID = "b79fbf4d-3ef9-4689-8143-76b194e85509"

// directoryRoleIDs maps Entra role names to the role template IDs Entra puts
// in wids; names that are not Entra roles (Exchange role groups) are skipped.
func directoryRoleIDs(roles []string, member bool) []string {
	var ids []string
	for _, r := range roles {
		if id, ok := directoryRoleTemplateID(r); ok {
			ids = append(ids, id)
		}
	}
	if member {
		ids = append(ids, defaultUserRoleID)
	}
	return ids
}

func directoryRoleTemplateID(name string) (string, bool) {
	switch strings.ToLower(name) {
	case "global administrator":
		return "62e90394-69f5-4237-9190-012177145e10", true
	case "global reader":
		return "f2ef992c-3afb-46b9-b7cf-a126ee74c451", true
	case "exchange administrator":
		return "29232cdf-9323-42fd-ade2-1d097af3e4de", true
	case "exchange recipient administrator":
		return "31392ffb-586c-42d1-9346-e59415a2cc4e", true
	case "compliance administrator":
		return "17315797-102d-40b4-93e0-432062caca18", true
	case "compliance data administrator":
		return "e6d1a23a-da11-4be4-9570-befc86d067a7", true
	case "security administrator":
		return "194ae4cb-b126-40b2-bd5b-6091b380977d", true
	case "security reader":
		return "5d6b6bb7-de71-4623-b4af-96380a352509", true
	case "helpdesk administrator":
		return "729827e3-9c14-49f7-bb1b-9608f156bbb8", true
	case "user administrator":
		return "fe930be7-5e62-47db-91af-98c3a49a38b1", true
	case "directory readers":
		return "88d8e3e3-8f55-4a1e-953a-9b9898b8876b", true
	}
	return "", false
}
