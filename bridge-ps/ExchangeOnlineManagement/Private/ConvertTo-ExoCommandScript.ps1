function ConvertTo-ExoCommandScript {
    <#
    .SYNOPSIS
    Writes the text of a connection's command module from the entries
    Read-ExoCommandCatalog returned.

    .DESCRIPTION
    Each cmdlet becomes a function named with the prefix, with the service's
    [CmdletBinding()] and param() text, a .SYNOPSIS for Get-Help, and
    begin/process/end blocks that hand the call to this module's forwarder
    (Start-ExoCommand, Add-ExoCommandInput, Complete-ExoCommand), whose
    script blocks, with the connection id, the importer puts in the
    module's variables ($__exoStart, $__exoAdd, $__exoComplete,
    $__exoConnection). One script
    for all cmdlets: PowerShell parses it once and New-Module defines every
    function in one go.

    .PARAMETER Entry
    The cmdlets, from Read-ExoCommandCatalog.

    .PARAMETER Prefix
    The connection's -Prefix, inserted after the verb's dash.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [AllowEmptyCollection()]
        [hashtable[]] $Entry,

        [AllowEmptyString()]
        [string] $Prefix = ''
    )

    if ($Prefix -notmatch '^[A-Za-z0-9]*$') {
        throw "the prefix '$Prefix' cannot be part of a command name"
    }
    $text = [System.Text.StringBuilder]::new(1024 * $Entry.Count)
    $null = $text.Append("# Set by Import-ExoCommandModule: `$__exoStart, `$__exoAdd, `$__exoComplete, `$__exoConnection.`n`n")
    $exported = [System.Collections.Generic.List[string]]::new($Entry.Count)
    foreach ($item in $Entry) {
        $name = $item.Name
        $dash = $name.IndexOf('-')
        $commandName = $name.Substring(0, $dash + 1) + $Prefix + $name.Substring($dash + 1)
        # Help stays one line: this text is parsed on every sign-in.
        $null = $text.Append("function $commandName`n{`n<#`n.SYNOPSIS`n$name (Exchange Online), run through the exod daemon with the service's parameters.`n#>`n")
        $null = $text.Append($item.Binding).Append($item.Params)
        $null = $text.Append("`n    begin { `$__exo = & `$__exoStart `$PSCmdlet `$PSBoundParameters '$name' $($item.Impact) $($item.Batching) `$ConfirmPreference `$WhatIfPreference `$__exoConnection }`n")
        $null = $text.Append("    process { & `$__exoAdd `$__exo `$PSBoundParameters }`n    end { & `$__exoComplete `$__exo }`n}`n`n")
        $exported.Add($commandName)
    }
    if ($exported.Count -gt 0) {
        $null = $text.Append("Export-ModuleMember -Function '").Append(($exported -join "', '")).Append("'`n")
    } else {
        $null = $text.Append("Export-ModuleMember -Function @()`n")
    }
    $text.ToString()
}
