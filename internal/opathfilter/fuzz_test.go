package opathfilter

import (
	"errors"
	"fmt"
	"testing"
	"unicode/utf8"
)

// FuzzTranslate checks that any input either translates to well-formed
// OData or fails with an *Error pointing inside the input.
func FuzzTranslate(f *testing.F) {
	for _, tt := range translations {
		f.Add(tt.filter)
	}
	for _, tt := range rejections {
		f.Add(tt.filter)
	}
	f.Fuzz(func(t *testing.T, filter string) {
		for _, cmdlet := range []string{mailbox, recipient, cas} {
			got, err := Translate(filter, cmdlet)
			if err != nil {
				var filterErr *Error
				if !errors.As(err, &filterErr) {
					t.Fatalf("Translate(%q, %s) error %T %v is not an *Error", filter, cmdlet, err, err)
				}
				if filterErr.Pos < 0 || filterErr.Pos > utf8.RuneCountInString(filter) {
					t.Fatalf("Translate(%q, %s) error position %d is outside the input: %v", filter, cmdlet, filterErr.Pos, err)
				}
				continue
			}
			if err := checkOData(got); err != nil {
				t.Fatalf("Translate(%q, %s) = %q, malformed: %v", filter, cmdlet, got, err)
			}
		}
	})
}

// checkOData verifies that quotes and parentheses balance outside string
// literals, where ” stands for one quote.
func checkOData(odata string) error {
	depth := 0
	inString := false
	runes := []rune(odata)
	for i := 0; i < len(runes); i++ {
		switch r := runes[i]; {
		case inString && r == '\'' && i+1 < len(runes) && runes[i+1] == '\'':
			i++
		case r == '\'':
			inString = !inString
		case inString:
		case r == '(':
			depth++
		case r == ')':
			depth--
			if depth < 0 {
				return fmt.Errorf("unmatched ) at %d", i)
			}
		}
	}
	switch {
	case inString:
		return fmt.Errorf("unterminated string")
	case depth != 0:
		return fmt.Errorf("%d unclosed (", depth)
	}
	return nil
}

func TestCheckOData(t *testing.T) {
	t.Parallel()
	good := []string{"", "A eq 'x'", "not (A eq 'it''s (')", "(A or B) and contains(C,')')", "A eq ''"}
	bad := []string{"A eq 'x", "(A eq 'x'", "A eq 'x')", ") (", "A eq 'it''s"}
	for _, s := range good {
		if err := checkOData(s); err != nil {
			t.Errorf("checkOData(%q) = %v, want nil", s, err)
		}
	}
	for _, s := range bad {
		if checkOData(s) == nil {
			t.Errorf("checkOData(%q) = nil, want an error", s)
		}
	}
}
