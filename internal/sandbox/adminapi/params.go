package adminapi

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// PowerShell's binder exception classes, which the service reports for
// parameter problems.
const (
	classArgTransformation = "System.Management.Automation.ParameterBindingArgumentTransformationException"
	classArgValidation     = "System.Management.Automation.ParameterBindingValidationException"
	allParameterSets       = "__AllParameterSets"
)

// isCommonParameter reports PowerShell's common parameters (lower-cased):
// the module sends them, as strings, but no cmdlet declares them.
func isCommonParameter(lower string) bool {
	switch lower {
	case "debug", "erroraction", "errorvariable", "informationaction", "informationvariable",
		"outbuffer", "outvariable", "pipelinevariable", "verbose", "warningaction", "warningvariable":
		return true
	}
	return false
}

// bind checks the wire parameters against info the way PowerShell's binder
// would and converts each value to the Go type its Kind documents.
func (s *Server) bind(info *CmdletInfo, wire map[string]any) (CmdletCall, *CmdletError) {
	call := CmdletCall{Name: info.Name, Params: map[string]any{}}
	byName := make(map[string]*ParameterInfo, len(info.Parameters))
	for i := range info.Parameters {
		byName[strings.ToLower(info.Parameters[i].Name)] = &info.Parameters[i]
	}
	// Sorted so that the first error reported does not depend on map order.
	keys := make([]string, 0, len(wire))
	for k := range wire {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	seen := map[string]string{}
	for _, key := range keys {
		lower := strings.ToLower(key)
		if prev, dup := seen[lower]; dup {
			return call, bindingError("Cannot bind parameter because parameter '%s' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, \"-parameter value1,value2,value3\".", prev)
		}
		seen[lower] = key
		if isCommonParameter(lower) {
			continue
		}
		if info.SupportsShouldProcess && (lower == "whatif" || lower == "confirm") {
			on, err := convertSwitch(key, wire[key])
			if err != nil {
				return call, err
			}
			// -Confirm:$true is the module's validation call; -WhatIf too.
			call.WhatIf = call.WhatIf || on
			continue
		}
		p, ok := byName[lower]
		if !ok {
			return call, bindingError("A parameter cannot be found that matches parameter name '%s'.", key)
		}
		v, err := s.convert(p, wire[key])
		if err != nil {
			return call, err
		}
		call.Params[p.Name] = v
	}
	set, err := resolveParameterSet(info, call.Params)
	if err != nil {
		return call, err
	}
	call.ParameterSet = set
	return call, nil
}

// setsOf is the set names a parameter belongs to; nil means all sets.
func setsOf(p *ParameterInfo) []string {
	var names []string
	for _, ps := range p.Sets {
		if ps.Name == "" {
			return nil
		}
		names = append(names, ps.Name)
	}
	return names
}

// declaredSets lists the cmdlet's parameter sets in declaration order.
func declaredSets(info *CmdletInfo) []string {
	var sets []string
	add := func(n string) {
		if n != "" && !slices.Contains(sets, n) {
			sets = append(sets, n)
		}
	}
	add(info.DefaultParameterSet)
	for i := range info.Parameters {
		for _, ps := range info.Parameters[i].Sets {
			add(ps.Name)
		}
	}
	if len(sets) == 0 {
		sets = []string{allParameterSets}
	}
	return sets
}

// missingMandatory lists the mandatory parameters of set that are unbound.
func missingMandatory(info *CmdletInfo, set string, bound map[string]any) []string {
	var missing []string
	for i := range info.Parameters {
		p := &info.Parameters[i]
		if _, ok := bound[p.Name]; ok {
			continue
		}
		for _, ps := range p.Sets {
			if ps.Mandatory && (ps.Name == "" || ps.Name == set) {
				missing = append(missing, p.Name)
				break
			}
		}
	}
	return missing
}

// resolveParameterSet narrows the sets to those every bound parameter
// belongs to, then prefers the one whose mandatory parameters are all
// bound, then the default set, as PowerShell does.
func resolveParameterSet(info *CmdletInfo, bound map[string]any) (string, *CmdletError) {
	candidates := declaredSets(info)
	for i := range info.Parameters {
		p := &info.Parameters[i]
		if _, ok := bound[p.Name]; !ok {
			continue
		}
		if sets := setsOf(p); sets != nil {
			candidates = slices.DeleteFunc(candidates, func(c string) bool { return !slices.Contains(sets, c) })
		}
	}
	ambiguous := bindingError("Parameter set cannot be resolved using the specified named parameters. One or more parameters issued cannot be used together or an insufficient number of parameters were provided.")
	var chosen string
	switch {
	case len(candidates) == 0:
		return "", ambiguous
	case len(candidates) == 1:
		chosen = candidates[0]
	default:
		var satisfied []string
		for _, c := range candidates {
			if len(missingMandatory(info, c, bound)) == 0 {
				satisfied = append(satisfied, c)
			}
		}
		switch {
		case len(satisfied) == 1:
			chosen = satisfied[0]
		case slices.Contains(candidates, info.DefaultParameterSet):
			chosen = info.DefaultParameterSet
		default:
			return "", ambiguous
		}
	}
	if missing := missingMandatory(info, chosen, bound); len(missing) > 0 {
		return "", bindingError("Cannot process command because of one or more missing mandatory parameters: %s.", strings.Join(missing, " "))
	}
	return chosen, nil
}

// mandatoryAnywhere reports whether p is mandatory in any set.
func mandatoryAnywhere(p *ParameterInfo) bool {
	for _, ps := range p.Sets {
		if ps.Mandatory {
			return true
		}
	}
	return false
}

// netTypeNames are the .NET names PowerShell uses in conversion errors.
func netTypeName(k Kind) string {
	switch k {
	case KindString:
		return "System.String"
	case KindStringArray:
		return "System.String[]"
	case KindInt:
		return "System.Int32"
	case KindBool:
		return "System.Boolean"
	case KindSwitch:
		return "System.Management.Automation.SwitchParameter"
	case KindDateTime:
		return "System.DateTime"
	case KindGuid:
		return "System.Guid"
	case KindHashtable:
		return "System.Collections.Hashtable"
	case KindHashtableArray:
		return "System.Collections.Hashtable[]"
	case KindBytes:
		return "System.Byte[]"
	case KindBytesArray:
		return "System.Byte[][]"
	case KindSecureString:
		return "System.Security.SecureString"
	case KindCredential:
		return "System.Management.Automation.PSCredential"
	case KindMultiValued:
		return "Microsoft.Exchange.Data.MultiValuedProperty"
	case KindUnlimited:
		return "Microsoft.Exchange.Data.Unlimited"
	}
	return "System.Object"
}

// valueText renders a value as PowerShell would in an error message.
func valueText(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		if t {
			return "True"
		}
		return "False"
	case []any, []map[string]any, [][]byte:
		return "System.Object[]"
	case map[string]any:
		return "System.Collections.Hashtable"
	case []byte:
		return "System.Byte[]"
	}
	return fmt.Sprint(v)
}

func transformError(name string, v any, k Kind, reason string) *CmdletError {
	msg := fmt.Sprintf("Cannot process argument transformation on parameter '%s'. Cannot convert value \"%s\" to type \"%s\".", name, valueText(v), netTypeName(k))
	if reason != "" {
		msg += " Error: \"" + reason + "\""
	}
	return &CmdletError{Class: classArgTransformation, Message: msg, Status: http.StatusBadRequest}
}

func validationError(name, reason string) *CmdletError {
	return &CmdletError{
		Class:   classArgValidation,
		Message: fmt.Sprintf("Cannot validate argument on parameter '%s'. %s", name, reason),
		Status:  http.StatusBadRequest,
	}
}

const errNullOrEmpty = "The argument is null or empty. Provide an argument that is not null or empty, and then try the command again."

// convert turns one wire value into the Go value of p's Kind and applies
// p's validation.
func (s *Server) convert(p *ParameterInfo, v any) (any, *CmdletError) {
	if v == nil {
		switch {
		case p.NotNullOrEmpty:
			return nil, validationError(p.Name, errNullOrEmpty)
		case mandatoryAnywhere(p):
			return nil, bindingError("Cannot bind argument to parameter '%s' because it is null.", p.Name)
		case p.Kind == KindSwitch:
			return false, nil
		}
		return nil, nil
	}
	out, err := s.convertKind(p, v)
	if err != nil {
		return nil, err
	}
	if p.NotNullOrEmpty && isEmpty(out) {
		return nil, validationError(p.Name, errNullOrEmpty)
	}
	if len(p.ValidValues) > 0 {
		if out, err = checkValidValues(p, out); err != nil {
			return nil, err
		}
	}
	if p.Range != nil {
		if n, ok := out.(int64); ok && (n < p.Range.Min || n > p.Range.Max) {
			if n < p.Range.Min {
				return nil, validationError(p.Name, fmt.Sprintf("The %d argument is less than the minimum allowed range of %d. Supply an argument that is greater than or equal to %d and then try the command again.", n, p.Range.Min, p.Range.Min))
			}
			return nil, validationError(p.Name, fmt.Sprintf("The %d argument is greater than the maximum allowed range of %d. Supply an argument that is less than or equal to %d and then try the command again.", n, p.Range.Max, p.Range.Max))
		}
	}
	return out, nil
}

func isEmpty(v any) bool {
	switch t := v.(type) {
	case string:
		return t == ""
	case SecureString:
		return t == ""
	case []string:
		return len(t) == 0 || slices.Contains(t, "")
	case []byte:
		return len(t) == 0
	case map[string]any:
		return len(t) == 0
	}
	return false
}

// checkValidValues maps each string to its canonical casing in ValidValues.
func checkValidValues(p *ParameterInfo, v any) (any, *CmdletError) {
	canon := func(s string) (string, *CmdletError) {
		for _, vv := range p.ValidValues {
			if strings.EqualFold(vv, s) {
				return vv, nil
			}
		}
		return "", validationError(p.Name, fmt.Sprintf("The argument \"%s\" does not belong to the set \"%s\" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.", s, strings.Join(p.ValidValues, ",")))
	}
	switch t := v.(type) {
	case string:
		return canon(t)
	case []string:
		out := make([]string, len(t))
		for i, s := range t {
			c, err := canon(s)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	}
	return v, nil
}

func (s *Server) convertKind(p *ParameterInfo, v any) (any, *CmdletError) {
	name := p.Name
	switch p.Kind {
	case KindAny:
		return plainValue(v), nil
	case KindString:
		if str, ok := scalarString(v); ok {
			return str, nil
		}
		return nil, transformError(name, v, p.Kind, "Specified method is not supported.")
	case KindStringArray:
		if out, ok := stringList(v); ok {
			return out, nil
		}
		return nil, transformError(name, v, p.Kind, "")
	case KindInt:
		return convertInt(name, v)
	case KindBool:
		switch t := v.(type) {
		case bool:
			return t, nil
		case json.Number:
			f, err := t.Float64()
			if err == nil {
				return f != 0, nil
			}
		}
		return nil, &CmdletError{Class: classArgTransformation, Status: http.StatusBadRequest, Message: fmt.Sprintf(
			"Cannot process argument transformation on parameter '%s'. Cannot convert value \"%s\" to type \"System.Boolean\". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.", name, typeOfValue(v))}
	case KindSwitch:
		return convertSwitch(name, v)
	case KindDateTime:
		if str, ok := v.(string); ok {
			if t, ok := parseDateTime(str); ok {
				return t, nil
			}
		}
		return nil, transformError(name, v, p.Kind, "String was not recognized as a valid DateTime.")
	case KindGuid:
		if str, ok := v.(string); ok {
			if id, err := uuid.Parse(str); err == nil {
				return id, nil
			}
		}
		return nil, transformError(name, v, p.Kind, "Unrecognized Guid format.")
	case KindHashtable:
		if m, ok := v.(map[string]any); ok {
			return plainValue(m), nil
		}
		return nil, transformError(name, v, p.Kind, "")
	case KindHashtableArray:
		switch t := v.(type) {
		case []map[string]any:
			return plainValue(t), nil
		case map[string]any:
			return []map[string]any{plainValue(t).(map[string]any)}, nil
		case []any:
			out := make([]map[string]any, 0, len(t))
			for _, e := range t {
				m, ok := e.(map[string]any)
				if !ok {
					return nil, transformError(name, v, p.Kind, "")
				}
				out = append(out, plainValue(m).(map[string]any))
			}
			return out, nil
		}
		return nil, transformError(name, v, p.Kind, "")
	case KindBytes:
		switch t := v.(type) {
		case []byte:
			return t, nil
		case []any:
			if b, err := bytesFromData(t); err == nil {
				return b, nil
			}
		}
		return nil, transformError(name, v, p.Kind, "")
	case KindBytesArray:
		switch t := v.(type) {
		case [][]byte:
			return t, nil
		case []byte:
			return [][]byte{t}, nil
		}
		return nil, transformError(name, v, p.Kind, "")
	case KindSecureString:
		str, ok := v.(string)
		if !ok {
			return nil, transformError(name, v, p.Kind, "")
		}
		plain, err := s.decryptSecret(str)
		if err != nil {
			return nil, secretError(name)
		}
		return SecureString(plain), nil
	case KindCredential:
		return s.convertCredential(name, v)
	case KindMultiValued:
		return convertMultiValued(name, v)
	case KindUnlimited:
		return convertUnlimited(name, v)
	}
	return nil, transformError(name, v, p.Kind, "")
}

func typeOfValue(v any) string {
	switch v.(type) {
	case string:
		return "System.String"
	case []any:
		return "System.Object[]"
	case map[string]any:
		return "System.Collections.Hashtable"
	}
	return "System.Object"
}

func scalarString(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case json.Number, bool:
		return valueText(t), true
	}
	return "", false
}

func stringList(v any) ([]string, bool) {
	if s, ok := scalarString(v); ok {
		return []string{s}, true
	}
	items, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, len(items))
	for i, e := range items {
		s, ok := scalarString(e)
		if !ok {
			return nil, false
		}
		out[i] = s
	}
	return out, true
}

func convertInt(name string, v any) (any, *CmdletError) {
	var text string
	switch t := v.(type) {
	case json.Number:
		text = t.String()
	case string:
		text = strings.TrimSpace(t)
	default:
		return nil, transformError(name, v, KindInt, "")
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return nil, transformError(name, v, KindInt, "Input string was not in a correct format.")
	}
	if n < math.MinInt32 || n > math.MaxInt32 {
		return nil, transformError(name, v, KindInt, "Value was either too large or too small for an Int32.")
	}
	return n, nil
}

func convertSwitch(name string, v any) (bool, *CmdletError) {
	if b, ok := v.(bool); ok {
		return b, nil
	}
	return false, transformError(name, v, KindSwitch, "")
}

// parseDateTime accepts the module's UTC sortable pattern first, then what
// peers and people type.
func parseDateTime(s string) (time.Time, bool) {
	layouts := []string{
		"2006-01-02T15:04:05",
		time.RFC3339Nano,
		"2006-01-02T15:04:05.9999999",
		"2006-01-02 15:04:05",
		"2006-01-02",
		"1/2/2006 3:04:05 PM",
		"1/2/2006 15:04:05",
		"1/2/2006",
	}
	for _, layout := range layouts {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

func convertMultiValued(name string, v any) (any, *CmdletError) {
	if list, ok := stringList(v); ok {
		return list, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, transformError(name, v, KindMultiValued, "")
	}
	var d MultiValuedDelta
	for k, e := range m {
		list, ok := stringList(e)
		if !ok {
			return nil, transformError(name, v, KindMultiValued, "")
		}
		switch strings.ToLower(k) {
		case "add":
			d.Add = append(d.Add, list...)
		case "remove":
			d.Remove = append(d.Remove, list...)
		default:
			return nil, transformError(name, v, KindMultiValued, fmt.Sprintf("The hash table key '%s' is not valid. The valid keys are Add and Remove.", k))
		}
	}
	return d, nil
}

func convertUnlimited(name string, v any) (any, *CmdletError) {
	if s, ok := v.(string); ok && strings.EqualFold(strings.TrimSpace(s), "Unlimited") {
		return Unlimited{IsUnlimited: true}, nil
	}
	var text string
	switch t := v.(type) {
	case json.Number:
		text = t.String()
	case string:
		text = strings.TrimSpace(t)
	default:
		return nil, transformError(name, v, KindUnlimited, "")
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil || n < 0 {
		return nil, transformError(name, v, KindUnlimited, "The value must be a non-negative integer or \"Unlimited\".")
	}
	return Unlimited{Value: n}, nil
}
