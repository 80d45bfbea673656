function ConvertTo-ExodDuration {
    <#
    .SYNOPSIS
    Converts a [timespan] to a proto3 JSON Duration such as "0.05s".

    .PARAMETER TimeSpan
    The duration to convert.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [timespan] $TimeSpan
    )

    # Decimal keeps ticks exact; the invariant culture keeps the dot.
    ([decimal]$TimeSpan.Ticks / [System.TimeSpan]::TicksPerSecond).ToString([System.Globalization.CultureInfo]::InvariantCulture) + 's'
}
