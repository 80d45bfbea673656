function ConvertTo-ExoCommandParameters {
    <#
    .SYNOPSIS
    Encodes a generated command's bound parameters as the map of
    exo.v1.ParameterValue that InvokeCommand takes.

    .DESCRIPTION
    Common parameters (ErrorAction, WarningVariable, OutBuffer, ...) are sent
    in their string form, their switches (Verbose, Debug) as booleans.
    Confirm and WhatIf are left to the caller, which sets them per §2.3.

    .PARAMETER Command
    The generated command (its parameter types decide PSObject pass-through).

    .PARAMETER BoundParameters
    The command's $PSBoundParameters.

    .PARAMETER Exclude
    Names to leave out (those bound on the command line, for a pipeline
    input).

    .PARAMETER FromPipeline
    The values were bound from a pipeline object.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory)]
        [System.Management.Automation.CommandInfo] $Command,

        [Parameter(Mandatory)]
        [AllowEmptyCollection()]
        [System.Collections.Generic.Dictionary[string, object]] $BoundParameters,

        [string[]] $Exclude = @(),

        [switch] $FromPipeline
    )

    $common = [System.Management.Automation.PSCmdlet]::CommonParameters
    $out = @{}
    foreach ($entry in $BoundParameters.GetEnumerator()) {
        $name = $entry.Key
        if ($name -eq 'Confirm' -or $name -eq 'WhatIf' -or $name -in $Exclude) { continue }
        $value = $entry.Value
        if ($common.Contains($name) -and $value -isnot [switch]) {
            $out[$name] = @{ stringValue = [string]$value }
            continue
        }
        $type = $Command.Parameters[$name].ParameterType
        $asObject = $type -eq [psobject] -or $type -eq [System.Management.Automation.PSCustomObject]
        $out[$name] = ConvertTo-ExoParameterValue -Value $value -Name $name -FromPipeline:$FromPipeline -AsObject:$asObject
    }
    $out
}
