function ConvertTo-ExoQueryParameters {
    <#
    .SYNOPSIS
    Turns bound parameters into the JSON-ready values the daemon reads.

    .DESCRIPTION
    Drops common parameters and ResultSize (sent on its own), turns switches
    into booleans, GUIDs and enums into strings and arrays into string lists.

    .PARAMETER BoundParameters
    The parameters to convert.

    .PARAMETER Exclude
    Names to leave out, such as those bound from the command line.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory)]
        [AllowEmptyCollection()]
        [System.Collections.Generic.Dictionary[string, object]] $BoundParameters,

        [string[]] $Exclude = @()
    )

    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    $out = @{}
    foreach ($entry in $BoundParameters.GetEnumerator()) {
        $name = $entry.Key
        if ($name -eq 'ResultSize' -or $name -in $common -or $name -in $Exclude) { continue }
        $value = $entry.Value
        $out[$name] = switch ($value) {
            { $null -eq $_ } { $null; break }
            { $_ -is [switch] } { $_.IsPresent; break }
            { $_ -is [bool] } { $_; break }
            { $_ -is [System.Collections.IEnumerable] -and $_ -isnot [string] } { , [string[]]@($_ | ForEach-Object { "$_" }); break }
            default { "$_" }
        }
    }
    $out
}
