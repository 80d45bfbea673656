package cmdlets

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/opath"
	"github.com/openexo/exo/internal/sandbox/store"
)

// Texts and classes of the service errors and warnings the cmdlets raise
// (wire-protocol.md §2.4, §4.1).
const (
	paginationWarning = "There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter."

	classDataValidation   = "Microsoft.Exchange.Data.DataValidationException"
	classMemberExists     = "Microsoft.Exchange.Management.Tasks.MemberAlreadyExistsException"
	classMemberNotFound   = "Microsoft.Exchange.Management.Tasks.MemberNotFoundException"
	classFolderUserExists = "Microsoft.Exchange.Management.StoreTasks.UserAlreadyExistsInPermissionEntryException"
	classFolderUserAbsent = "Microsoft.Exchange.Management.StoreTasks.UserNotFoundInPermissionEntryException"
	classRecipientType    = "Microsoft.Exchange.Configuration.Tasks.RecipientTaskException"
	classArgument         = "System.ArgumentException"
	classComplianceExists = "Microsoft.Office.ComplianceJob.Tasks.ComplianceJobAlreadyExistsException"
)

// notFound is Exchange's ManagementObjectNotFoundException for identity.
func (e *Engine) notFound(ctx context.Context, identity string) *adminapi.CmdletError {
	return &adminapi.CmdletError{
		Class:    adminapi.ClassObjectNotFound,
		StringID: "Ex6F9304",
		Message: fmt.Sprintf("The operation couldn't be performed because object '%s' couldn't be found on '%s'.",
			identity, e.domainController(ctx)),
		Target: identity,
	}
}

func ambiguous(identity string) *adminapi.CmdletError {
	return &adminapi.CmdletError{
		Class:    adminapi.ClassObjectAmbiguous,
		StringID: "Ex0EA4D8",
		Message:  fmt.Sprintf("The operation couldn't be performed because '%s' matches multiple entries.", identity),
		Target:   identity,
	}
}

// lookupError turns a store lookup failure for identity into the service
// error; other failures are returned wrapped, and become a 500.
func (e *Engine) lookupError(ctx context.Context, identity string, err error) error {
	switch {
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrInvalid):
		return e.notFound(ctx, identity)
	case errors.Is(err, store.ErrAmbiguous):
		return ambiguous(identity)
	}
	return fmt.Errorf("look up %q: %w", identity, err)
}

// filterError is how Exchange rejects a -Filter: a parameter-binding error
// wrapping the OPATH parser's message.
func filterError(param string, err error) error {
	var pe *opath.Error
	if errors.As(err, &pe) {
		return &adminapi.CmdletError{Class: adminapi.ClassParameterBinding, Status: http.StatusBadRequest,
			Message: pe.BindingMessage(param)}
	}
	return fmt.Errorf("parse %s: %w", param, err)
}

func argumentError(format string, args ...any) *adminapi.CmdletError {
	return &adminapi.CmdletError{Class: classArgument, Status: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}

func validationError(format string, args ...any) *adminapi.CmdletError {
	return &adminapi.CmdletError{Class: classDataValidation, Status: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}
