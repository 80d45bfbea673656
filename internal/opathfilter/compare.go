package opathfilter

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/openexo/exo/internal/propertyset"
)

// translateComparison writes one "Property -op value" in OData.
func translateComparison(prop propertyset.FilterProperty, op, value token) (string, error) {
	like := op.text == "like" || op.text == "notlike"
	switch {
	case value.kind == tokNull && op.text != "eq" && op.text != "ne":
		return "", filterError(op.pos, fmt.Sprintf(
			"$null can only be compared with -eq or -ne, not -%s (%s -eq $null finds blank values)", op.text, prop.Name))
	case value.kind == tokNull:
		return fmt.Sprintf("%s %s null", prop.Name, op.text), nil
	case like && prop.Kind != propertyset.String && prop.Kind != propertyset.MultiString:
		return "", filterError(op.pos, fmt.Sprintf(
			"-%s can only be used with string properties, and %q is %s property; use -eq", op.text, prop.Name, describeKind(prop.Kind)))
	case like:
		return translateLike(prop, op, value)
	case (prop.Kind == propertyset.Bool || prop.Kind == propertyset.Guid) && op.text != "eq" && op.text != "ne":
		return "", filterError(op.pos, fmt.Sprintf(
			"-%s cannot be used with %q, which is %s property; use -eq or -ne", op.text, prop.Name, describeKind(prop.Kind)))
	}
	literal, err := odataLiteral(prop, value)
	if err != nil {
		return "", err
	}
	if prop.Kind != propertyset.MultiString {
		return fmt.Sprintf("%s %s %s", prop.Name, op.text, literal), nil
	}
	// A multi-valued property matches when any element does, so -ne means
	// that no element equals the value.
	if op.text == "ne" {
		return fmt.Sprintf("not (%s/any(d:d eq %s))", prop.Name, literal), nil
	}
	return fmt.Sprintf("%s/any(d:d %s %s)", prop.Name, op.text, literal), nil
}

// odataLiteral writes a value as the property's kind requires.
func odataLiteral(prop propertyset.FilterProperty, value token) (string, error) {
	switch prop.Kind {
	case propertyset.Bool:
		switch {
		case value.kind == tokTrue, value.kind == tokString && strings.EqualFold(value.text, "true"),
			value.kind == tokNumber && value.text == "1":
			return "true", nil
		case value.kind == tokFalse, value.kind == tokString && strings.EqualFold(value.text, "false"),
			value.kind == tokNumber && value.text == "0":
			return "false", nil
		}
		return "", filterError(value.pos, fmt.Sprintf(
			"%q is a Boolean property; compare it with $true or $false, not %s", prop.Name, value.describe()))
	case propertyset.Int:
		if n, ok := integer(value.text); ok && (value.kind == tokNumber || value.kind == tokString) {
			return n, nil
		}
		return "", filterError(value.pos, fmt.Sprintf(
			"%q is an integer property; compare it with a whole number such as 10, not %s", prop.Name, value.describe()))
	case propertyset.Size:
		if value.kind == tokNumber || value.kind == tokString {
			if n, ok := integer(value.text); ok {
				return n, nil
			}
			return quote(value.text), nil
		}
		return "", filterError(value.pos, fmt.Sprintf(
			"%q is a size property; compare it with a number of bytes or a quoted size such as '50 GB' or 'Unlimited', not %s",
			prop.Name, value.describe()))
	}
	if value.kind == tokTrue || value.kind == tokFalse {
		return "", filterError(value.pos, fmt.Sprintf(
			"%q is %s property; $true and $false can only be compared with Boolean properties", prop.Name, describeKind(prop.Kind)))
	}
	// Text of every other kind, including a bare number such as a postal code.
	return quote(value.text), nil
}

// translateLike writes -like or -notlike. A * may open or close the pattern,
// as the module's translator allows: it has no OData form elsewhere.
func translateLike(prop propertyset.FilterProperty, op, value token) (string, error) {
	if value.kind != tokString && value.kind != tokNumber {
		return "", filterError(value.pos, fmt.Sprintf(
			"-%s needs a text pattern such as 'abc*', not %s", op.text, value.describe()))
	}
	pattern := []rune(value.text)
	var stars []int
	for i, r := range pattern {
		if r == '*' {
			stars = append(stars, i)
		}
	}
	last := len(pattern) - 1
	var expr string
	switch {
	case len(stars) == 0:
		expr = eachElement(prop, "eq", value.text)
	case len(stars) == len(pattern):
		// Any value at all: the property is not blank.
		expr = prop.Name + " ne null"
	case len(stars) == 1 && stars[0] == 0:
		expr = eachElement(prop, "endswith", string(pattern[1:]))
	case len(stars) == 1 && stars[0] == last:
		expr = eachElement(prop, "startswith", string(pattern[:last]))
	case len(stars) == 2 && stars[0] == 0 && stars[1] == last:
		expr = eachElement(prop, "contains", string(pattern[1:last]))
	default:
		return "", wildcardError(prop, op, value, stars)
	}
	if op.text == "notlike" {
		return "not (" + expr + ")", nil
	}
	return expr, nil
}

// eachElement is one test on a property: "Prop eq 'x'" or
// "startswith(Prop,'x')", or for a multi-valued property the same test on
// any element.
func eachElement(prop propertyset.FilterProperty, test, text string) string {
	subject := prop.Name
	if prop.Kind == propertyset.MultiString {
		subject = "d"
	}
	var expr string
	if test == "eq" {
		expr = fmt.Sprintf("%s eq %s", subject, quote(text))
	} else {
		expr = fmt.Sprintf("%s(%s,%s)", test, subject, quote(text))
	}
	if prop.Kind == propertyset.MultiString {
		return fmt.Sprintf("%s/any(d:%s)", prop.Name, expr)
	}
	return expr
}

// wildcardError explains an unsupported pattern and suggests the split
// form the documentation recommends.
func wildcardError(prop propertyset.FilterProperty, op, value token, stars []int) *Error {
	pattern := []rune(value.text)
	// Point at the first * that is neither the first nor the last rune.
	culprit := stars[0]
	for _, s := range stars {
		if s != 0 && s != len(pattern)-1 {
			culprit = s
			break
		}
	}
	pos := value.pos
	if culprit < len(value.runePos) {
		pos = value.runePos[culprit]
	}

	segments := strings.Split(value.text, "*")
	var parts []string
	if first := segments[0]; first != "" {
		parts = append(parts, fmt.Sprintf("%s -like %s", prop.Name, quote(first+"*")))
	}
	if end := segments[len(segments)-1]; end != "" {
		parts = append(parts, fmt.Sprintf("%s -like %s", prop.Name, quote("*"+end)))
	}
	for _, middle := range segments[1 : len(segments)-1] {
		if middle != "" {
			parts = append(parts, fmt.Sprintf("%s -like %s", prop.Name, quote("*"+middle+"*")))
		}
	}
	suggestion := strings.Join(parts, " -and ")
	if op.text == "notlike" {
		suggestion = "-not (" + suggestion + ")"
	}
	reason := "has a * in the middle"
	if len(stars) > 2 {
		reason = "has more than two * wildcards"
	}
	return filterError(pos, fmt.Sprintf(
		"the -%s pattern %s %s; Get-EXO* filters accept a * only at the start or end of a pattern, "+
			"so split it into several conditions: \"%s\"", op.text, quote(value.text), reason, suggestion))
}

// integer normalises a signed run of decimal digits that fits OData's
// Edm.Int64; false for anything else.
func integer(text string) (string, bool) {
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return "", false
	}
	return strconv.FormatInt(n, 10), true
}

// describeKind names a kind with its article, for messages.
func describeKind(kind propertyset.ValueKind) string {
	switch kind {
	case propertyset.String:
		return "a text"
	case propertyset.MultiString:
		return "a multi-valued text"
	case propertyset.Bool:
		return "a Boolean"
	case propertyset.Int:
		return "an integer"
	case propertyset.Guid:
		return "a GUID"
	case propertyset.DateTime:
		return "a date/time"
	case propertyset.Enum:
		return "an enumeration"
	case propertyset.Size:
		return "a size"
	case propertyset.TimeSpan:
		return "a time span"
	}
	return "a " + kind.String()
}
