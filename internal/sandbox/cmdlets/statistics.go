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
			q := store.RecipientQuery{Types: slices.Concat(mailboxTypes, []string{"GroupMailbox"})}
			if r.on("IncludeSoftDeletedRecipients") {
				q.Scope = store.ScopeAll
			}
			id := r.text("Identity")
			rc, err := e.resolve(ctx, id, q)
			if err != nil {
				return adminapi.Result{}, err
			}
			stats, err := e.st.MailboxStatistics(ctx, rc.Key, r.on("Archive"))
			if errors.Is(err, store.ErrNotFound) {
				// Exchange's answer for a mailbox without an archive.
				return adminapi.Result{}, e.notFound(ctx, id)
			}
			if err != nil {
				return adminapi.Result{}, fmt.Errorf("statistics of %s: %w", rc.Name, err)
			}
			return single(statisticsView.record(stats)), nil
		},
	}}
}
