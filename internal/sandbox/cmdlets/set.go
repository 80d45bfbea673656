package cmdlets

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/store"
)

// A setting is one parameter of a Set-* cmdlet that writes a property.
type setting struct {
	param param
	prop  string // the property written; param.Name when empty
	// value computes the new property value from the parameter value and
	// the current bag; nil stores the parameter value as it came.
	value func(ctx context.Context, e *Engine, v any, cur map[string]any) (any, error)
}

func (s setting) property() string {
	if s.prop != "" {
		return s.prop
	}
	return s.param.Name
}

func boolSetting(name string) setting   { return setting{param: named(name, adminapi.KindBool)} }
func stringSetting(name string) setting { return setting{param: named(name, adminapi.KindString)} }

// multiSetting is a MultiValuedProperty of plain strings: a list replaces
// it, @{Add=...;Remove=...} edits it.
func multiSetting(name string) setting {
	return setting{param: named(name, adminapi.KindMultiValued), value: func(_ context.Context, _ *Engine, v any, cur map[string]any) (any, error) {
		return applyMulti(propStrings(cur, name), v, strings.EqualFold), nil
	}}
}

// quotaSetting is an Unlimited<ByteQuantifiedSize>: "50GB", "1.5 GB",
// "512000KB", a byte count or "Unlimited". Exchange leaves it untyped.
func quotaSetting(name string) setting {
	return setting{param: named(name, adminapi.KindAny), value: func(_ context.Context, _ *Engine, v any, _ map[string]any) (any, error) {
		return parseQuota(name, textOf(v))
	}}
}

// timeSpanSetting is an EnhancedTimeSpan: "14", "14.00:00:00" or "01:30:00".
func timeSpanSetting(name string) setting {
	return setting{param: named(name, adminapi.KindAny), value: func(_ context.Context, _ *Engine, v any, _ map[string]any) (any, error) {
		d, err := parseTimeSpan(textOf(v))
		if err != nil {
			return nil, validationError("Cannot convert value \"%s\" of parameter %s to type EnhancedTimeSpan: %v", textOf(v), name, err)
		}
		return store.FormatTimeSpan(d), nil
	}}
}

func settingParams(settings []setting) []param {
	out := make([]param, len(settings))
	for i, s := range settings {
		out[i] = s.param
	}
	return out
}

// changes computes the bag updates the bound settings ask for, leaving
// out values equal to the current ones.
func (e *Engine) changes(ctx context.Context, r *request, settings []setting, cur map[string]any) (map[string]any, error) {
	upd := map[string]any{}
	for _, s := range settings {
		v, ok := r.call.Params[s.param.Name]
		if !ok {
			continue
		}
		if s.value != nil && v != nil {
			var err error
			if v, err = s.value(ctx, e, v, cur); err != nil {
				return nil, err
			}
		}
		if t, isTime := v.(time.Time); isTime {
			v = store.FormatTime(t)
		}
		if !sameValue(cur[s.property()], v) {
			upd[s.property()] = v
		}
	}
	return upd, nil
}

// sameValue compares a bag value with a new one, lists element-wise and
// "" equal to $null, as Exchange decides whether a setting changed.
func sameValue(old, new any) bool {
	ol, oIsList := old.([]any)
	if nl, ok := new.([]string); ok {
		if !oIsList && old != nil {
			return false
		}
		return reflect.DeepEqual(listOf(ol), nl) || (len(ol) == 0 && len(nl) == 0)
	}
	if blank(old) && blank(new) {
		return true
	}
	return reflect.DeepEqual(old, new)
}

func blank(v any) bool {
	s, isString := v.(string)
	return v == nil || (isString && s == "")
}

// applyRecipientChanges writes upd to a recipient, or explains why not:
// no change gives Exchange's warning, -WhatIf gives the prompt text.
func (e *Engine) applyRecipientChanges(ctx context.Context, r *request, rc *store.Recipient, upd map[string]any, what string) (adminapi.Result, error) {
	id := identityOf(rc)
	if r.call.WhatIf {
		return adminapi.Result{ConfirmationMessage: fmt.Sprintf("%s \"%s\".", what, id)}, nil
	}
	if len(upd) == 0 {
		return adminapi.Result{Warnings: []string{noChangeWarning(id)}}, nil
	}
	if _, err := e.st.UpdateRecipientProps(ctx, rc.Key, upd); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return adminapi.Result{}, validationError("The value you specified is already used by another recipient: %v.", err)
		}
		return adminapi.Result{}, fmt.Errorf("update %s: %w", id, err)
	}
	return adminapi.Result{}, nil
}

func noChangeWarning(id string) string {
	return fmt.Sprintf("The command completed successfully but no settings of '%s' have been modified.", id)
}

// applyMulti applies a MultiValuedProperty parameter (a replacement list
// or an Add/Remove delta) to the current values.
func applyMulti(cur []string, v any, equal func(a, b string) bool) []string {
	d, isDelta := v.(adminapi.MultiValuedDelta)
	if !isDelta {
		return listOf(v)
	}
	out := make([]string, 0, len(cur)+len(d.Add))
	for _, c := range cur {
		if !containsBy(d.Remove, c, equal) {
			out = append(out, c)
		}
	}
	for _, a := range d.Add {
		if !containsBy(out, a, equal) {
			out = append(out, a)
		}
	}
	return out
}

func containsBy(list []string, s string, equal func(a, b string) bool) bool {
	for _, x := range list {
		if equal(x, s) {
			return true
		}
	}
	return false
}

// parseQuota reads an Unlimited<ByteQuantifiedSize> and renders it as the
// service prints it.
func parseQuota(name, s string) (string, error) {
	t := strings.TrimSpace(s)
	if strings.EqualFold(t, "Unlimited") {
		return "Unlimited", nil
	}
	// "99 GB (106,300,440,576 bytes)": the exact count in parentheses wins.
	if i := strings.Index(t, "("); i >= 0 {
		if j := strings.Index(t[i:], " bytes)"); j > 0 {
			t = strings.ReplaceAll(t[i+1:i+j], ",", "") + "B"
		}
	}
	num := strings.TrimRightFunc(t, func(r rune) bool { return r < '0' || r > '9' })
	unit := strings.ToUpper(strings.TrimSpace(t[len(num):]))
	n, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	mult, known := map[string]float64{"": 1, "B": 1, "KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30, "TB": 1 << 40}[unit]
	if err != nil || !known || n < 0 {
		return "", validationError("Cannot process argument transformation on parameter '%s'. Cannot convert value \"%s\" to type \"Microsoft.Exchange.Data.Unlimited`1[Microsoft.Exchange.Data.ByteQuantifiedSize]\". Error: \"The value must be a size such as 50GB, a number of bytes, or Unlimited.\"", name, s)
	}
	return store.FormatBytes(int64(n * mult)), nil
}

// parseTimeSpan reads [d.]hh:mm:ss or a whole number of days.
func parseTimeSpan(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil && n >= 0 {
		return time.Duration(n) * 24 * time.Hour, nil
	}
	var days int
	if d, rest, ok := strings.Cut(s, "."); ok && !strings.Contains(d, ":") {
		n, err := strconv.Atoi(d)
		if err != nil {
			return 0, fmt.Errorf("bad day count %q", d)
		}
		days, s = n, rest
	}
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return 0, fmt.Errorf("want [d.]hh:mm:ss")
	}
	var hms [3]int
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("bad component %q", p)
		}
		hms[i] = n
	}
	return time.Duration(days)*24*time.Hour + time.Duration(hms[0])*time.Hour +
		time.Duration(hms[1])*time.Minute + time.Duration(hms[2])*time.Second, nil
}
