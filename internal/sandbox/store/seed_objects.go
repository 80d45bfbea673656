package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// Seeded objects: role groups, inbox and transport rules, and a month of
// message trace and audit log before SeedOptions.Now. Their PRNG stream is
// their own, so the recipients don't change with them.

// Volumes of the time-based data: per active user mailbox, capped so a
// 100,000-mailbox tenant stays quick to build.
const (
	seedTracePerUser = 20
	seedTraceMax     = 20000
	seedAuditPerUser = 4
	seedAuditMax     = 8000
	seedHistoryDays  = 30
)

var (
	seedRoleGroups = []struct{ name, description, role string }{
		{"Organization Management", "Members of this management role group have permissions to manage Exchange objects and their properties in the Exchange organization.", RoleOrganizationManagement},
		{"Recipient Management", "Members of this management role group have rights to create, manage, and remove Exchange recipient objects in the Exchange organization.", RoleRecipientManagement},
		{"View-Only Organization Management", "Members of this management role group can view recipient and configuration objects and their properties in the Exchange organization.", RoleViewOnlyOrganizationManagement},
		{"Compliance Management", "This role group will allow a specified user, responsible for compliance, to properly configure and manage compliance settings within Exchange in accordance with their policy.", RoleComplianceAdministrator},
		{"Help Desk", "Members of this management role group can view and manage the configuration for individual recipients and view recipients in an Exchange organization.", ""},
		{"Discovery Management", "Members of this management role group can perform searches of mailboxes in the Exchange organization for data that meets specific criteria.", ""},
		{"Records Management", "Members of this management role group have permissions to manage and dispose record content.", ""},
		{"Hygiene Management", "Members of this management role group can manage Exchange anti-spam features and grant permissions for antivirus products to integrate with Exchange.", ""},
		{"Security Reader", "Membership in this role group is synchronized across services and managed centrally.", ""},
		{"Security Administrator", "Membership in this role group is synchronized across services and managed centrally.", ""},
	}
	seedInboxRules = []struct {
		name  string
		props map[string]any
	}{
		{"Newsletters", map[string]any{"SubjectContainsWords": list("newsletter", "digest"), "MoveToFolder": "Newsletters"}},
		{"From my manager", map[string]any{"MarkImportance": "High"}},
		{"Invoices", map[string]any{"SubjectOrBodyContainsWords": list("invoice"), "MoveToFolder": "Finance", "MarkAsRead": false}},
		{"Forward to personal", map[string]any{"ForwardTo": nil}},
		{"Clean up notifications", map[string]any{"FromAddressContainsWords": list("noreply", "no-reply"), "DeleteMessage": true, "StopProcessingRules": true}},
	}
	seedTransportRules = []struct {
		name  string
		props map[string]any
	}{
		{"Block executable attachments", map[string]any{"AttachmentHasExecutableContent": true, "DeleteMessage": true, "Comments": "Security baseline"}},
		{"External email disclaimer", map[string]any{"SentToScope": "NotInOrganization", "ApplyHtmlDisclaimerLocation": "Append",
			"ApplyHtmlDisclaimerText": "<p>This message may contain confidential information.</p>", "ApplyHtmlDisclaimerFallbackAction": "Wrap"}},
		{"Tag external senders", map[string]any{"FromScope": "NotInOrganization", "PrependSubject": "[EXTERNAL] ", "Mode": "Enforce"}},
		{"Bypass spam filtering for partners", map[string]any{"SenderDomainIs": list("fabrikam.com", "tailspintoys.com"), "SetSCL": "-1", "State": "Disabled"}},
	}
	seedSubjects = []string{"Quarterly results", "Team lunch on Friday", "Project status update", "Re: Contract draft",
		"Invoice 2024-118", "Weekly newsletter", "Meeting notes", "Travel itinerary", "Your password expires soon",
		"Re: Budget review", "Welcome aboard", "Fw: Customer feedback", "Release plan", "Security alert", "Holiday schedule"}
	seedAuditOps = []string{"Set-Mailbox", "Add-MailboxPermission", "Set-MailboxAutoReplyConfiguration", "Add-DistributionGroupMember",
		"New-InboxRule", "Set-CASMailbox", "Add-RecipientPermission", "Set-User"}
)

type seedObject struct {
	kind, name, guid string
	owner            int64
	when             time.Time
	props            map[string]any
}

// objects inserts the seeded objects.
func (g *generator) objects(ctx context.Context, tx *sql.Tx) error {
	r := rand.New(rand.NewPCG(uint64(g.opts.Seed), saltObjects))
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO objects (kind, owner_key, name, guid, time, props) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare objects: %w", err)
	}
	defer func() { _ = stmt.Close() }()
	put := func(o seedObject) error {
		_, err := insertObject(ctx, stmt, Object{Kind: o.kind, OwnerKey: o.owner, Name: o.name, GUID: o.guid, Time: o.when, Props: o.props})
		return err
	}
	created := g.opts.Now.AddDate(-1, 0, 0)
	for _, o := range g.staticObjects(r, created) {
		if err := put(o); err != nil {
			return err
		}
	}
	timed := slices.Concat(g.traces(r), g.audits(r))
	slices.SortStableFunc(timed, func(a, b seedObject) int { return a.when.Compare(b.when) })
	for _, o := range timed {
		if err := put(o); err != nil {
			return err
		}
	}
	return nil
}

// staticObjects are the role groups and the inbox and transport rules.
func (g *generator) staticObjects(r *rand.Rand, created time.Time) []seedObject {
	var out []seedObject
	for _, rg := range seedRoleGroups {
		members := []any{}
		for _, p := range g.principals {
			if rg.role != "" && p.role == rg.role {
				if sk := g.principalSkeleton(p); sk != nil {
					members = append(members, sk.name)
				}
			}
		}
		out = append(out, seedObject{kind: KindRoleGroup, name: rg.name, guid: derivedGUID(g.t.ID, "rolegroup:"+rg.name), when: created,
			props: map[string]any{"Description": rg.description, "RoleGroupType": "Standard", "Members": members,
				"ManagedBy": list("Organization Management"), "Roles": list()}})
	}
	for _, sk := range g.activeUser {
		if r.IntN(5) != 0 {
			continue
		}
		n := 1 + r.IntN(3)
		for i, idx := range r.Perm(len(seedInboxRules))[:n] {
			rule := seedInboxRules[idx]
			props := map[string]any{"Priority": int64(i), "RuleIdentity": int64(i + 1), "Enabled": r.IntN(10) != 0}
			for k, v := range rule.props {
				props[k] = v
			}
			if _, ok := props["ForwardTo"]; ok {
				props["ForwardTo"] = list(strings.ToLower(sk.first+"."+sk.last) + "@" + partnerDomains[r.IntN(len(partnerDomains))])
			}
			if rule.name == "From my manager" && len(g.activeUser) > 1 {
				props["From"] = list(g.activeUser[r.IntN(len(g.activeUser))].upn)
			}
			out = append(out, seedObject{kind: KindInboxRule, owner: sk.key, name: rule.name,
				guid: derivedGUID(g.t.ID, fmt.Sprintf("inboxrule:%d:%d", sk.key, i)), when: created, props: props})
		}
	}
	for i, tr := range seedTransportRules {
		props := map[string]any{"Priority": int64(i)}
		for k, v := range tr.props {
			props[k] = v
		}
		out = append(out, seedObject{kind: KindTransportRule, name: tr.name, guid: derivedGUID(g.t.ID, "transportrule:"+tr.name), when: created, props: props})
	}
	return out
}

func (g *generator) principalSkeleton(p *principalSpec) *skeleton {
	for _, sk := range g.skels {
		if sk.principal >= 0 && g.principals[sk.principal] == p {
			return sk
		}
	}
	return nil
}

// traces are a month of mail between users and with partners.
func (g *generator) traces(r *rand.Rand) []seedObject {
	users := g.activeUser
	if len(users) == 0 {
		return nil
	}
	n := min(len(users)*seedTracePerUser, seedTraceMax)
	from := g.opts.Now.AddDate(0, 0, -seedHistoryDays)
	out := make([]seedObject, 0, n)
	for range n {
		u := users[r.IntN(len(users))]
		other := users[r.IntN(len(users))].upn
		sender, recipient := other, u.upn
		switch r.IntN(4) {
		case 0: // inbound from a partner
			sender = strings.ToLower(firstNames[r.IntN(len(firstNames))]) + "@" + partnerDomains[r.IntN(len(partnerDomains))]
		case 1: // outbound to a partner
			sender, recipient = u.upn, strings.ToLower(firstNames[r.IntN(len(firstNames))])+"@"+partnerDomains[r.IntN(len(partnerDomains))]
		}
		status := "Delivered"
		switch x := r.IntN(100); {
		case x < 3:
			status = "Failed"
		case x < 7:
			status = "FilteredAsSpam"
		case x < 8:
			status = "Quarantined"
		case x < 9:
			status = "Pending"
		case x < 11:
			status = "Expanded"
		}
		when := randomTime(r, from, g.opts.Now)
		traceID := randomGUID(r)
		messageID := "<" + strings.ToUpper(randomHex(r, 8)) + "@" + strings.SplitN(sender, "@", 2)[1] + ">"
		out = append(out, seedObject{kind: KindMessageTrace, name: messageID, guid: traceID, when: when, props: map[string]any{
			"SenderAddress": sender, "RecipientAddress": recipient, "Subject": seedSubjects[r.IntN(len(seedSubjects))],
			"Status": status, "Size": int64(2000 + r.IntN(2_000_000)),
			"FromIP": fmt.Sprintf("40.107.%d.%d", r.IntN(256), 1+r.IntN(254)), "ToIP": fmt.Sprintf("52.101.%d.%d", r.IntN(256), 1+r.IntN(254)),
		}})
	}
	return out
}

// audits are a month of admin changes by the seeded admins.
func (g *generator) audits(r *rand.Rand) []seedObject {
	users := g.activeUser
	var admins []string
	for _, p := range g.principals {
		if p.role == RoleOrganizationManagement || p.role == RoleRecipientManagement {
			admins = append(admins, p.alias+"@"+g.t.DefaultDomain())
		}
	}
	if len(users) == 0 || len(admins) == 0 {
		return nil
	}
	n := min(len(users)*seedAuditPerUser, seedAuditMax)
	from := g.opts.Now.AddDate(0, 0, -seedHistoryDays)
	out := make([]seedObject, 0, n)
	for range n {
		op := seedAuditOps[r.IntN(len(seedAuditOps))]
		admin := admins[r.IntN(len(admins))]
		target := users[r.IntN(len(users))].name
		when := randomTime(r, from, g.opts.Now)
		id := randomGUID(r)
		data, err := json.Marshal(map[string]any{
			"CreationTime": when.Format("2006-01-02T15:04:05"), "Id": id, "Operation": op, "OrganizationId": g.t.ID,
			"RecordType": 1, "ResultStatus": "True", "UserKey": admin, "UserType": 2, "Version": 1, "Workload": "Exchange",
			"ObjectId": target, "UserId": admin, "ExternalAccess": false, "OrganizationName": g.t.InitialDomain,
			"Parameters": []map[string]string{{"Name": "Identity", "Value": target}},
		})
		if err != nil {
			continue
		}
		out = append(out, seedObject{kind: KindAuditRecord, name: op, guid: id, when: when, props: map[string]any{
			"RecordType": "ExchangeAdmin", "UserIds": admin, "Operations": op, "ObjectId": target, "AuditData": string(data)}})
	}
	return out
}
