// Package propertyset is the catalogue of the Get-EXO* cmdlets' property
// sets and properties (cmdlet-surface.md §3 and §5.1): which names
// -PropertySets and -Properties accept, what a request puts in the PropertySet
// and $select query options, which properties the output shows and in what
// order, and which properties -Filter may name, with their value kinds.
//
// Only Get-EXOMailbox, Get-EXOCasMailbox, Get-EXORecipient and
// Get-EXOMailboxStatistics have property sets.
//
// Names match case-insensitively and come back in the catalogue's casing.
// Where the sources spell a name differently, the first spelling wins,
// looking at the default output, then the set tables, then the other
// properties and the filter names; so Get-EXORecipient's documented
// "ExternalDirectoryObjectID" reads as the observed "ExternalDirectoryObjectId".
package propertyset

import (
	"fmt"
	"strings"
	"sync"
)

// Catalog is one cmdlet's property sets and properties. It is immutable;
// methods return fresh slices.
type Catalog struct {
	cmdlet  string
	display []string
	// sets are in table order, Minimum first and All, when present, last.
	sets          []propertySet
	properties    []string
	propertyIndex map[string]string // lower-case name to canonical name
	filter        []FilterProperty
	filterIndex   map[string]int // lower-case name to index in filter
}

// catalogs holds the catalogues by lower-case cmdlet name, built on first use.
var catalogs = sync.OnceValue(func() map[string]*Catalog {
	kinds := valueKinds()
	byCmdlet := make(map[string]*Catalog)
	for _, spec := range specs() {
		byCmdlet[strings.ToLower(spec.cmdlet)] = newCatalog(spec, kinds)
	}
	return byCmdlet
})

// For returns the catalogue of a Get-EXO* cmdlet, named in any casing; false
// for cmdlets without property sets.
func For(cmdlet string) (*Catalog, bool) {
	c, ok := catalogs()[strings.ToLower(strings.TrimSpace(cmdlet))]
	return c, ok
}

// newCatalog canonicalises the spec's names and indexes them.
func newCatalog(spec catalogSpec, kinds map[string]ValueKind) *Catalog {
	spelling := make(map[string]string)
	canonical := func(names []string) []string {
		out := make([]string, len(names))
		for i, name := range names {
			key := strings.ToLower(name)
			if first, ok := spelling[key]; ok {
				name = first
			} else {
				spelling[key] = name
			}
			out[i] = name
		}
		return out
	}

	c := &Catalog{cmdlet: spec.cmdlet, display: canonical(spec.display)}
	var every []string
	for _, s := range spec.sets {
		props := canonical(s.properties)
		c.sets = append(c.sets, propertySet{name: s.name, properties: props})
		every = append(every, props...)
	}
	allExtras := canonical(spec.allExtras)
	if spec.unionAll {
		c.sets = append(c.sets, propertySet{name: "All", properties: uniq(append(every, allExtras...))})
	}
	more := canonical(spec.moreProperties)

	unfilterable := make(map[string]bool)
	for _, name := range spec.filter.unfilterable {
		unfilterable[strings.ToLower(name)] = true
	}
	c.filterIndex = make(map[string]int)
	var filterable []string
	for _, name := range canonical(spec.filter.names) {
		key := strings.ToLower(name)
		kind, ok := kinds[key]
		if !ok {
			kind = String
		}
		c.filterIndex[key] = len(c.filter)
		c.filter = append(c.filter, FilterProperty{Name: name, Kind: kind, Filterable: !unfilterable[key]})
		if !unfilterable[key] {
			filterable = append(filterable, name)
		}
	}

	// Filterable properties are properties of the output objects too, and
	// scripts ask for them (Get-EXOMailbox -Properties IsMailboxEnabled); the
	// refused filter names are often filter-only spellings and stay out.
	valid := append(append([]string{}, c.display...), every...)
	valid = append(append(append(valid, allExtras...), more...), filterable...)
	c.properties = uniq(valid)
	c.propertyIndex = make(map[string]string, len(c.properties))
	for _, name := range c.properties {
		c.propertyIndex[strings.ToLower(name)] = name
	}
	return c
}

// uniq drops repeated names, keeping the first.
func uniq(names []string) []string {
	seen := make(map[string]bool, len(names))
	out := make([]string, 0, len(names))
	for _, name := range names {
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	return out
}

// Cmdlet is the cmdlet's name in its documented casing.
func (c *Catalog) Cmdlet() string { return c.cmdlet }

// SetNames returns the values -PropertySets accepts: Minimum first, then
// table order, All last where the cmdlet has it.
func (c *Catalog) SetNames() []string {
	names := make([]string, len(c.sets))
	for i, s := range c.sets {
		names[i] = s.name
	}
	return names
}

// Properties returns the values -Properties accepts: the default output's,
// then the sets', then the rest.
func (c *Catalog) Properties() []string {
	return append([]string(nil), c.properties...)
}

// Selection is what one call asks the service for and prints.
type Selection struct {
	// Sets is the PropertySet query option: Minimum first, then the
	// requested sets in table order; All replaces every other set but
	// Minimum.
	Sets []string
	// Select is the $select query option: the requested properties that no
	// chosen set's table covers, in request order. Empty when nothing is
	// missing.
	Select []string
	// Output is the properties to print, in order: the default output, each
	// chosen set's properties in table order, then the other requested
	// properties in request order. No name repeats.
	Output []string
}

// Resolve checks -PropertySets and -Properties values (any casing,
// surrounding spaces ignored) and works out the request and the output.
// Without either the result is Minimum alone. An unknown name is an
// *UnknownNameError.
func (c *Catalog) Resolve(sets, properties []string) (Selection, error) {
	chosen := make([]bool, len(c.sets))
	chosen[0] = true // Minimum always comes back
	for _, name := range sets {
		i := c.setIndex(name)
		if i < 0 {
			return Selection{}, &UnknownNameError{Kind: PropertySetName, Name: name, Cmdlet: c.cmdlet, Valid: c.SetNames()}
		}
		chosen[i] = true
	}
	requested := make([]string, len(properties))
	for i, name := range properties {
		canonical, ok := c.propertyIndex[strings.ToLower(strings.TrimSpace(name))]
		if !ok {
			return Selection{}, &UnknownNameError{Kind: PropertyName, Name: name, Cmdlet: c.cmdlet, Valid: c.Properties()}
		}
		requested[i] = canonical
	}
	// All covers every other table, so only Minimum stays beside it.
	if last := len(c.sets) - 1; last > 0 && c.sets[last].name == "All" && chosen[last] {
		for i := 1; i < last; i++ {
			chosen[i] = false
		}
	}

	var sel Selection
	covered := make(map[string]bool)
	output := append([]string{}, c.display...)
	for i, s := range c.sets {
		if !chosen[i] {
			continue
		}
		sel.Sets = append(sel.Sets, s.name)
		output = append(output, s.properties...)
		for _, name := range s.properties {
			covered[name] = true
		}
	}
	for _, name := range requested {
		if !covered[name] {
			covered[name] = true
			sel.Select = append(sel.Select, name)
		}
	}
	sel.Output = uniq(append(output, requested...))
	return sel, nil
}

// setIndex finds a set by name in any casing; -1 if there is none.
func (c *Catalog) setIndex(name string) int {
	name = strings.TrimSpace(name)
	for i, s := range c.sets {
		if strings.EqualFold(s.name, name) {
			return i
		}
	}
	return -1
}

// HasFilter reports whether the cmdlet has a -Filter parameter.
func (c *Catalog) HasFilter() bool { return len(c.filter) > 0 }

// FilterProperty looks a -Filter property name up in any casing. False means
// the cmdlet knows no such filter property; a known name may still be
// refused (Filterable false).
func (c *Catalog) FilterProperty(name string) (FilterProperty, bool) {
	i, ok := c.filterIndex[strings.ToLower(name)]
	if !ok {
		return FilterProperty{}, false
	}
	return c.filter[i], true
}

// FilterProperties returns every -Filter property name the cmdlet knows,
// refused ones included, in the documentation's order.
func (c *Catalog) FilterProperties() []FilterProperty {
	return append([]FilterProperty(nil), c.filter...)
}

// NameKind says which parameter an unknown name was given to.
type NameKind int

// Kinds of names.
const (
	PropertySetName NameKind = iota + 1 // a -PropertySets value
	PropertyName                        // a -Properties value
)

// UnknownNameError is a -PropertySets or -Properties value the cmdlet does
// not have.
type UnknownNameError struct {
	Kind   NameKind
	Name   string // as given
	Cmdlet string
	Valid  []string // the names the parameter accepts
}

func (e *UnknownNameError) Error() string {
	var b strings.Builder
	if e.Kind == PropertySetName {
		fmt.Fprintf(&b, "The property set %q is not valid for %s.", e.Name, e.Cmdlet)
	} else {
		fmt.Fprintf(&b, "The property %q is not valid for %s.", e.Name, e.Cmdlet)
	}
	if guess := closest(e.Name, e.Valid); guess != "" {
		fmt.Fprintf(&b, " Did you mean %q?", guess)
	}
	if e.Kind == PropertySetName {
		fmt.Fprintf(&b, " Valid property sets are: %s.", strings.Join(e.Valid, ", "))
	} else {
		fmt.Fprintf(&b, " Valid properties are listed by Get-Help %s -Parameter Properties.", e.Cmdlet)
	}
	return b.String()
}

// closest is the valid name nearest to a misspelt one, if any is near enough
// to be a likely typo.
func closest(name string, valid []string) string {
	name = strings.ToLower(strings.TrimSpace(name))
	best, bestDistance := "", len(name)/3+1 // a few typos, fewer for short names
	for _, candidate := range valid {
		if d := editDistance(name, strings.ToLower(candidate)); d < bestDistance {
			best, bestDistance = candidate, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between two strings, by rune.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	previous := make([]int, len(rb)+1)
	current := make([]int, len(rb)+1)
	for j := range previous {
		previous[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		current[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			current[j] = min(previous[j]+1, current[j-1]+1, previous[j-1]+cost)
		}
		previous, current = current, previous
	}
	return previous[len(rb)]
}
