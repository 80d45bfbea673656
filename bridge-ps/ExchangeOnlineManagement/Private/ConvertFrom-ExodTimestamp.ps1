function ConvertFrom-ExodTimestamp {
    <#
    .SYNOPSIS
    Converts a proto3 JSON Timestamp to a local [datetime]; $null if unset.

    .DESCRIPTION
    Timestamps are RFC 3339 strings in UTC. ConvertFrom-Json turns some of
    them into [datetime] already (whole seconds) and leaves others as strings
    (nanoseconds), so both are accepted. The result is local time, like
    Get-Date, with 100 ns precision.

    .PARAMETER Value
    The Timestamp field as ConvertFrom-Json returned it.
    #>
    [CmdletBinding()]
    [OutputType([datetime])]
    param(
        [AllowNull()]
        [object] $Value
    )

    if ($null -eq $Value -or '' -eq $Value) { return $null }
    if ($Value -is [datetime]) { return $Value.ToLocalTime() }
    [System.DateTimeOffset]::Parse([string]$Value, [System.Globalization.CultureInfo]::InvariantCulture).LocalDateTime
}
