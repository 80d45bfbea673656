package opath

import (
	"errors"
	"fmt"
)

// Categories of Parse errors, for errors.Is. Value and operator problems
// unwrap to a *TestError instead.
var (
	ErrSyntax          = errors.New("invalid filter syntax")
	ErrUnknownProperty = errors.New("not a recognized filterable property")
)

// ErrStoredValue is wrapped by Match errors caused by an object holding a
// value that doesn't fit the property's kind.
var ErrStoredValue = errors.New("stored value does not fit the property")

// Error is a Parse error. Error() is the text Exchange puts inside its
// parameter-binding message; BindingMessage adds the PowerShell wrapper.
type Error struct {
	Filter   string // the filter as given to Parse
	Pos      int    // 1-based character position of the offending token
	Token    string // the offending token as written ("" at the end of the filter)
	Property string // for unknown-property and value errors
	Reason   string // what exactly was wrong, in English, for logs and tests
	cause    error  // ErrSyntax, ErrUnknownProperty or a *TestError
}

func (e *Error) Error() string {
	var head string
	switch {
	case errors.Is(e.cause, ErrUnknownProperty):
		head = `"` + e.Property + `" is not a recognized filterable property. For a complete list of filterable properties see the command help.`
	case errors.Is(e.cause, ErrSyntax):
		head = "Invalid filter syntax. For a description of the filter parameter syntax see the command help."
	default:
		head = e.cause.Error()
	}
	return fmt.Sprintf("%s\n\"%s\" at position %d.", head, e.Filter, e.Pos)
}

// Unwrap returns ErrSyntax, ErrUnknownProperty or the *TestError.
func (e *Error) Unwrap() error { return e.cause }

// BindingMessage is the whole message PowerShell shows when the filter of
// parameter (Filter, RecipientFilter) is rejected, e.g.
// Cannot bind parameter 'Filter' to the target. Exception setting "Filter": "…".
func (e *Error) BindingMessage(parameter string) string {
	return fmt.Sprintf("Cannot bind parameter '%s' to the target. Exception setting \"%s\": \"%s\"", parameter, parameter, e.Error())
}
