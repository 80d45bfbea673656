package cmdlets

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/store"
)

var statisticsView = newView([]string{
	"Microsoft.Exchange.Management.MapiTasks.Presentation.MailboxStatistics",
	"Microsoft.Exchange.Data.Mapi.MailboxStatistics",
	"Microsoft.Exchange.Data.ConfigurableObject",
	"System.Object",
}, true, []string{"DisplayName", "ItemCount", "DeletedItemCount", "TotalItemSize", "TotalDeletedItemSize",
	"MailboxGuid", "LastLogonTime", "LastLogoffTime", "LastUserActionTime", "LastInteractionTime",
	"MailboxTypeDetail", "IsArchiveMailbox", "DatabaseName", "ServerName", "Identity"})

func statisticsCmdlets() []*cmdlet {
	return []*cmdlet{{
		info: adminapi.CmdletInfo{Name: "Get-MailboxStatistics", DefaultParameterSet: "Identity", Parameters: []param{
			identityParam(true, true, "Identity"),
			named("Archive", adminapi.KindSwitch, "Identity"),
			named("IncludeSoftDeletedRecipients", adminapi.KindSwitch, "Identity"),
		}},
		endpoints: exchangeEndpoint,
		needs:     readRecipients,
		run: func(ctx context.Context, e *Engine, r *request) (adminapi.Result, error) {
			stats, err := e.mailboxStatistics(ctx, r)
			if err != nil {
				return adminapi.Result{}, err
			}
			return single(statisticsView.record(stats)), nil
		},
	}}
}

// mailboxStatistics reads the statistics bag of the mailbox -Identity
// names, or of its archive (-Archive).
func (e *Engine) mailboxStatistics(ctx context.Context, r *request) (map[string]any, error) {
	q := store.RecipientQuery{Types: slices.Concat(mailboxTypes, []string{"GroupMailbox"})}
	if r.on("IncludeSoftDeletedRecipients") {
		q.Scope = store.ScopeAll
	}
	id := r.text("Identity")
	rc, err := e.resolve(ctx, id, q)
	if err != nil {
		return nil, err
	}
	stats, err := e.st.MailboxStatistics(ctx, rc.Key, r.on("Archive"))
	if errors.Is(err, store.ErrNotFound) {
		// Exchange's answer for a mailbox without an archive.
		return nil, e.notFound(ctx, id)
	}
	if err != nil {
		return nil, fmt.Errorf("statistics of %s: %w", rc.Name, err)
	}
	return stats, nil
}
