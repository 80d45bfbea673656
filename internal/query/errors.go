package query

import (
	"errors"
	"fmt"
)

// inputError is a problem with one input's parameters, found before any
// request: it fails that input only, as the module's per-object errors do.
type inputError struct {
	msg string
}

func (e *inputError) Error() string { return e.msg }

func missingIdentity(cmdlet string) error {
	return &inputError{msg: fmt.Sprintf("%s needs a mailbox: give -Identity, -UserPrincipalName, -PrimarySmtpAddress or -ExternalDirectoryObjectId, or pipe mailboxes in.", cmdlet)}
}

// IsInputError says whether err is a problem with an input's parameters.
func IsInputError(err error) bool {
	var ie *inputError
	return errors.As(err, &ie)
}
