// Package opath parses and evaluates the OPATH filters that the sandbox
// tenant's classic cmdlets accept in -Filter (Get-Mailbox, Get-Recipient,
// Get-DistributionGroup, …), with Exchange Online's rules: PowerShell-style
// tokens ('…' and "…" strings, $true/$false/$null, -eq … -notlike, -and,
// -or, -not), case-insensitive comparisons, "contains" semantics for
// multi-valued properties, wildcards only at the ends of a -like value, and
// only the properties that are filterable on the cmdlet (see CmdletSchema).
//
// Errors carry Exchange's wording and a 1-based character position, e.g.
//
//	Invalid filter syntax. For a description of the filter parameter syntax see the command help.
//	"Name -eq" at position 9.
//
// The package also exports the per-property comparison semantics (Property,
// Compile, Test) because the simulator's OData $filter evaluator
// (package odatafilter) reuses them: Exchange evaluates $filter with the same
// OPATH rules.
package opath
