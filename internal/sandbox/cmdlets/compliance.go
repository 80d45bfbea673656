package cmdlets

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/store"
)

// Security & Compliance cmdlets. Compliance searches live in memory, per
// engine; retention policies and sensitivity labels are a fixed set named
// after the tenant.

var (
	tnComplianceSearch = []string{
		"Microsoft.Office.ComplianceJob.Tasks.ComplianceSearch",
		"Microsoft.Office.ComplianceJob.Tasks.ComplianceJob",
		"Microsoft.Exchange.Data.ConfigurableObject",
		"System.Object",
	}
	tnRetentionPolicy = []string{
		"Microsoft.Office.CompliancePolicy.Tasks.PsRetentionCompliancePolicy",
		"Microsoft.Office.CompliancePolicy.Tasks.PsCompliancePolicyBase",
		"Microsoft.Exchange.Data.ConfigurableObject",
		"System.Object",
	}
	tnDlpPolicy = []string{
		"Microsoft.Office.CompliancePolicy.Tasks.PsDlpCompliancePolicy",
		"Microsoft.Office.CompliancePolicy.Tasks.PsCompliancePolicyBase",
		"Microsoft.Exchange.Data.ConfigurableObject",
		"System.Object",
	}
	tnLabel = []string{
		"Microsoft.Office.CompliancePolicy.Tasks.PsLabel",
		"Microsoft.Exchange.Data.ConfigurableObject",
		"System.Object",
	}
)

// complianceSearch is one New-ComplianceSearch.
type complianceSearch struct {
	seq                                int64
	id                                 uuid.UUID
	name, description, query, caseName string
	exchange, sharePoint, publicFolder []string
	allowNotFound                      bool
	status                             string // NotStarted, Completed
	items, size                        int64
	createdBy, runBy                   string
	created, modified                  time.Time
	started, ended                     time.Time
}

// searchBook holds an engine's compliance searches by lower-case name.
type searchBook struct {
	mu      sync.Mutex
	nextSeq int64
	byName  map[string]*complianceSearch
}

func newSearchBook() *searchBook { return &searchBook{byName: map[string]*complianceSearch{}} }

func complianceCmdlets() []*cmdlet {
	locations := func(name string) param { return named(name, adminapi.KindMultiValued) }
	return []*cmdlet{
		{
			info: adminapi.CmdletInfo{Name: "New-ComplianceSearch", SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmMedium,
				Parameters: []param{
					{Name: "Name", Kind: adminapi.KindString, NotNullOrEmpty: true, Sets: []adminapi.ParameterSetInfo{{Mandatory: true, Position: 1}}},
					named("AllowNotFoundExchangeLocationsEnabled", adminapi.KindBool),
					named("Case", adminapi.KindString),
					named("ContentMatchQuery", adminapi.KindString),
					named("Description", adminapi.KindString),
					locations("ExchangeLocation"),
					locations("PublicFolderLocation"),
					locations("SharePointLocation"),
				}},
			endpoints: complianceEndpoint,
			needs:     writeCompliance,
			run:       newComplianceSearch,
		},
		{
			info: adminapi.CmdletInfo{Name: "Get-ComplianceSearch", Parameters: []param{
				identityParam(false, true), named("Case", adminapi.KindString), resultSizeParam(),
			}},
			endpoints: complianceEndpoint,
			needs:     readCompliance,
			run:       getComplianceSearch,
		},
		{
			info: adminapi.CmdletInfo{Name: "Start-ComplianceSearch", SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmMedium,
				Parameters: []param{identityParam(true, true), named("Force", adminapi.KindSwitch)}},
			endpoints: complianceEndpoint,
			needs:     writeCompliance,
			run:       startComplianceSearch,
		},
		{
			info: adminapi.CmdletInfo{Name: "Remove-ComplianceSearch", SupportsShouldProcess: true, ConfirmImpact: adminapi.ConfirmHigh,
				Parameters: []param{identityParam(true, true)}},
			endpoints: complianceEndpoint,
			needs:     writeCompliance,
			run:       removeComplianceSearch,
		},
		{
			info: adminapi.CmdletInfo{Name: "Get-RetentionCompliancePolicy", Parameters: []param{
				identityParam(false, true), named("DistributionDetail", adminapi.KindSwitch),
			}},
			endpoints: complianceEndpoint,
			needs:     readCompliance,
			run:       getRetentionPolicy,
		},
		{
			info: adminapi.CmdletInfo{Name: "Get-DlpCompliancePolicy", Parameters: []param{
				identityParam(false, true), named("DistributionDetail", adminapi.KindSwitch), named("IncludeExtendedProperties", adminapi.KindBool),
			}},
			endpoints: complianceEndpoint,
			needs:     readCompliance,
			run:       getDlpPolicy,
		},
		{
			info:      adminapi.CmdletInfo{Name: "Get-Label", Parameters: []param{identityParam(false, true)}},
			endpoints: complianceEndpoint,
			needs:     readCompliance,
			run:       getLabel,
		},
	}
}

func callerName(c adminapi.Caller) string {
	if c.UPN != "" {
		return c.UPN
	}
	return c.AppID
}

func (s *complianceSearch) record() adminapi.Record {
	orNil := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t
	}
	return adminapi.Record{TypeNames: tnComplianceSearch, Properties: []adminapi.Property{
		{Name: "Name", Value: s.name},
		{Name: "RunBy", Value: s.runBy},
		{Name: "JobEndTime", Value: orNil(s.ended)},
		{Name: "Status", Value: s.status},
		{Name: "ContentMatchQuery", Value: s.query},
		{Name: "Description", Value: s.description},
		{Name: "Case", Value: s.caseName},
		{Name: "ExchangeLocation", Value: s.exchange},
		{Name: "ExchangeLocationExclusion", Value: []string{}},
		{Name: "SharePointLocation", Value: s.sharePoint},
		{Name: "PublicFolderLocation", Value: s.publicFolder},
		{Name: "AllowNotFoundExchangeLocationsEnabled", Value: s.allowNotFound},
		{Name: "Items", Value: s.items},
		{Name: "Size", Value: s.size},
		{Name: "UnindexedItems", Value: int64(0)},
		{Name: "UnindexedSize", Value: int64(0)},
		{Name: "JobStartTime", Value: orNil(s.started)},
		{Name: "CreatedTime", Value: s.created},
		{Name: "CreatedBy", Value: s.createdBy},
		{Name: "LastModifiedTime", Value: s.modified},
		{Name: "Identity", Value: s.id.String()},
		{Name: "IsValid", Value: true},
		{Name: "ObjectState", Value: "Unchanged"},
	}}
}

func newComplianceSearch(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	name := r.text("Name")
	s := &complianceSearch{
		id: uuid.New(), name: name, description: r.text("Description"), query: r.text("ContentMatchQuery"),
		caseName: r.text("Case"), allowNotFound: r.on("AllowNotFoundExchangeLocationsEnabled"),
		exchange: r.list("ExchangeLocation"), sharePoint: r.list("SharePointLocation"),
		publicFolder: r.list("PublicFolderLocation"), status: "NotStarted", createdBy: callerName(r.caller),
	}
	for i, loc := range s.exchange {
		if strings.EqualFold(loc, "All") {
			s.exchange[i] = "All"
			continue
		}
		mbx, err := e.resolve(ctx, loc, store.RecipientQuery{Types: allMailboxKinds})
		switch {
		case err == nil:
			s.exchange[i] = mbx.PrimarySMTPAddress
		case !s.allowNotFound:
			return adminapi.Result{}, err
		}
	}
	if r.call.WhatIf {
		return adminapi.Result{ConfirmationMessage: fmt.Sprintf("Creating compliance search \"%s\".", name)}, nil
	}
	b := e.searches
	b.mu.Lock()
	defer b.mu.Unlock()
	key := strings.ToLower(name)
	if _, dup := b.byName[key]; dup {
		return adminapi.Result{}, &adminapi.CmdletError{Class: classComplianceExists, Status: 400, Target: name,
			Message: fmt.Sprintf("A compliance search with the name \"%s\" already exists.", name)}
	}
	b.nextSeq++
	s.seq = b.nextSeq
	s.created = e.now().UTC()
	s.modified = s.created
	b.byName[key] = s
	return single(s.record()), nil
}

// find looks a search up by name or identity GUID; b.mu is held.
func (b *searchBook) find(id string) *complianceSearch {
	if s, ok := b.byName[strings.ToLower(id)]; ok {
		return s
	}
	for _, s := range b.byName {
		if strings.EqualFold(s.id.String(), id) {
			return s
		}
	}
	return nil
}

func getComplianceSearch(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	b := e.searches
	b.mu.Lock()
	var list []*complianceSearch
	if r.has("Identity") {
		if s := b.find(r.text("Identity")); s != nil {
			list = append(list, s)
		}
	} else {
		for _, s := range b.byName {
			if !r.has("Case") || strings.EqualFold(s.caseName, r.text("Case")) {
				list = append(list, s)
			}
		}
	}
	records := map[int64]adminapi.Record{}
	for _, s := range list {
		records[s.seq] = s.record()
	}
	b.mu.Unlock()
	if r.has("Identity") && len(list) == 0 {
		return adminapi.Result{}, e.notFound(ctx, r.text("Identity"))
	}
	seqs := make([]int64, 0, len(records))
	for seq := range records {
		seqs = append(seqs, seq)
	}
	slices.Sort(seqs)
	return pageItems(r, seqs, func(seq int64) int64 { return seq }, func(seq int64) adminapi.Record { return records[seq] })
}

func startComplianceSearch(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	id := r.text("Identity")
	b := e.searches
	b.mu.Lock()
	s := b.find(id)
	var locations []string
	if s != nil {
		locations = append(locations, s.exchange...)
	}
	b.mu.Unlock()
	if s == nil {
		return adminapi.Result{}, e.notFound(ctx, id)
	}
	if r.call.WhatIf {
		return adminapi.Result{ConfirmationMessage: fmt.Sprintf("Starting compliance search \"%s\".", s.name)}, nil
	}
	items, size, err := e.estimateHits(ctx, s.query, locations)
	if err != nil {
		return adminapi.Result{}, err
	}
	// The sandbox's search finishes at once: the next Get-ComplianceSearch
	// already reports Completed.
	now := e.now().UTC()
	b.mu.Lock()
	s.status, s.items, s.size, s.runBy = "Completed", items, size, callerName(r.caller)
	s.started, s.ended, s.modified = now, now, now
	b.mu.Unlock()
	return adminapi.Result{}, nil
}

// estimateHits is a search's result count: a share of the searched
// mailboxes' items that depends only on the query, so the same search
// always finds the same number. "All" counts as a fixed-size sample.
func (e *Engine) estimateHits(ctx context.Context, query string, locations []string) (items, size int64, err error) {
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(query)))
	share := int64(h.Sum32()%40) + 1 // percent of items a query matches
	if query == "" {
		share = 100
	}
	for _, loc := range locations {
		if loc == "All" {
			items += 50000 * share / 100
			continue
		}
		mbx, err := e.st.FindRecipient(ctx, loc, store.RecipientQuery{Types: allMailboxKinds})
		if err != nil {
			continue // a location the search was allowed to miss
		}
		stats, err := e.st.MailboxStatistics(ctx, mbx.Key, false)
		if err != nil {
			return 0, 0, fmt.Errorf("statistics of %s: %w", mbx.Name, err)
		}
		n, _ := stats["ItemCount"].(int64)
		items += n * share / 100
	}
	return items, items * 75 * 1024, nil
}

func removeComplianceSearch(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	id := r.text("Identity")
	b := e.searches
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.find(id)
	if s == nil {
		return adminapi.Result{}, e.notFound(ctx, id)
	}
	if r.call.WhatIf {
		return adminapi.Result{ConfirmationMessage: fmt.Sprintf("Removing compliance search \"%s\".", s.name)}, nil
	}
	delete(b.byName, strings.ToLower(s.name))
	return adminapi.Result{}, nil
}

// fixedObjects pages a fixed list of records, optionally picked by
// -Identity (matched against the Name and Identity properties).
func (e *Engine) fixedObjects(ctx context.Context, r *request, records []adminapi.Record) (adminapi.Result, error) {
	if r.has("Identity") {
		id := r.text("Identity")
		for _, rec := range records {
			for _, p := range rec.Properties {
				if (p.Name == "Name" || p.Name == "Identity" || p.Name == "Guid") && strings.EqualFold(textOf(p.Value), id) {
					return single(rec), nil
				}
			}
		}
		return adminapi.Result{}, e.notFound(ctx, id)
	}
	type entry struct {
		pos int64
		rec adminapi.Record
	}
	entries := make([]entry, len(records))
	for i, rec := range records {
		entries[i] = entry{int64(i + 1), rec}
	}
	return pageItems(r, entries, func(x entry) int64 { return x.pos }, func(x entry) adminapi.Record { return x.rec })
}

func getRetentionPolicy(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	t, err := e.st.Tenant(ctx)
	if err != nil {
		return adminapi.Result{}, fmt.Errorf("retention policies: %w", err)
	}
	ns := tenantNamespace(t)
	created := time.Date(2023, 3, 14, 9, 26, 53, 0, time.UTC)
	policy := func(name, comment string, exchange, sharePoint []string, teams bool) adminapi.Record {
		id := uuid.NewSHA1(ns, []byte("RetentionCompliancePolicy:"+name))
		props := []adminapi.Property{
			{Name: "Name", Value: name},
			{Name: "Enabled", Value: true},
			{Name: "Mode", Value: "Enforce"},
			{Name: "Type", Value: "Retention"},
			{Name: "Comment", Value: comment},
			{Name: "ExchangeLocation", Value: exchange},
			{Name: "ExchangeLocationException", Value: []string{}},
			{Name: "SharePointLocation", Value: sharePoint},
			{Name: "OneDriveLocation", Value: []string{}},
			{Name: "ModernGroupLocation", Value: []string{}},
			{Name: "TeamsChannelLocation", Value: teamsLocation(teams)},
			{Name: "TeamsChatLocation", Value: teamsLocation(teams)},
			{Name: "DistributionStatus", Value: "Success"},
			{Name: "WhenCreatedUTC", Value: created},
			{Name: "WhenChangedUTC", Value: created},
			{Name: "CreatedBy", Value: "admin@" + t.InitialDomain},
			{Name: "Guid", Value: id},
			{Name: "Identity", Value: id.String()},
			{Name: "IsValid", Value: true},
			{Name: "ObjectState", Value: "Unchanged"},
		}
		if r.on("DistributionDetail") {
			props = append(props, adminapi.Property{Name: "DistributionResults", Value: []string{}})
		}
		return adminapi.Record{TypeNames: tnRetentionPolicy, Properties: props}
	}
	return e.fixedObjects(ctx, r, []adminapi.Record{
		policy("Default Mailbox Retention", "Keeps mail for seven years.", []string{"All"}, []string{}, false),
		policy("SharePoint Records", "Keeps documents for ten years.", []string{}, []string{"All"}, false),
		policy("Teams Messages", "Deletes Teams messages after two years.", []string{}, []string{}, true),
	})
}

// getDlpPolicy lists a fixed set of DLP policies named after the tenant.
func getDlpPolicy(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	t, err := e.st.Tenant(ctx)
	if err != nil {
		return adminapi.Result{}, fmt.Errorf("DLP policies: %w", err)
	}
	ns := tenantNamespace(t)
	created := time.Date(2023, 5, 2, 14, 10, 0, 0, time.UTC)
	policy := func(name, comment, mode string, priority int) adminapi.Record {
		id := uuid.NewSHA1(ns, []byte("DlpCompliancePolicy:"+name))
		return adminapi.Record{TypeNames: tnDlpPolicy, Properties: []adminapi.Property{
			{Name: "Name", Value: name}, {Name: "Comment", Value: comment}, {Name: "Mode", Value: mode},
			{Name: "Enabled", Value: true}, {Name: "Priority", Value: priority}, {Name: "Type", Value: "Dlp"},
			{Name: "Workload", Value: "Exchange, SharePoint, OneDriveForBusiness, Teams"},
			{Name: "ExchangeLocation", Value: []string{"All"}}, {Name: "SharePointLocation", Value: []string{"All"}},
			{Name: "OneDriveLocation", Value: []string{"All"}}, {Name: "TeamsLocation", Value: []string{"All"}},
			{Name: "DistributionStatus", Value: "Success"}, {Name: "WhenCreatedUTC", Value: created},
			{Name: "WhenChangedUTC", Value: created}, {Name: "CreatedBy", Value: "admin@" + t.InitialDomain},
			{Name: "Guid", Value: id}, {Name: "Identity", Value: id.String()},
			{Name: "IsValid", Value: true}, {Name: "ObjectState", Value: "Unchanged"},
		}}
	}
	return e.fixedObjects(ctx, r, []adminapi.Record{
		policy("Default policy for devices", "Protects sensitive data on devices.", "Enable", 0),
		policy("U.S. Financial Data", "Detects credit card and bank account numbers.", "Enable", 1),
		policy("GDPR Personal Data", "Detects EU personal data; notifies only.", "TestWithNotifications", 2),
	})
}

func teamsLocation(on bool) []string {
	if on {
		return []string{"All"}
	}
	return []string{}
}

func getLabel(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
	t, err := e.st.Tenant(ctx)
	if err != nil {
		return adminapi.Result{}, fmt.Errorf("labels: %w", err)
	}
	ns := tenantNamespace(t)
	label := func(priority int, name, tooltip string) adminapi.Record {
		id := uuid.NewSHA1(ns, []byte("Label:"+name))
		return adminapi.Record{TypeNames: tnLabel, Properties: []adminapi.Property{
			{Name: "Name", Value: name},
			{Name: "DisplayName", Value: name},
			{Name: "Priority", Value: priority},
			{Name: "Tooltip", Value: tooltip},
			{Name: "ContentType", Value: "File, Email"},
			{Name: "Disabled", Value: false},
			{Name: "Mode", Value: "Enforce"},
			{Name: "ParentId", Value: nil},
			{Name: "ImmutableId", Value: id},
			{Name: "Guid", Value: id},
			{Name: "Identity", Value: id.String()},
			{Name: "IsValid", Value: true},
			{Name: "ObjectState", Value: "Unchanged"},
		}}
	}
	return e.fixedObjects(ctx, r, []adminapi.Record{
		label(0, "Public", "Information anyone may see."),
		label(1, "General", "Business data not meant for the public."),
		label(2, "Confidential", "Sensitive business data."),
		label(3, "Highly Confidential", "Very sensitive business data."),
	})
}
