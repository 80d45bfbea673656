function Remove-ExoCommandModule {
    <#
    .SYNOPSIS
    Removes the command modules of closed connections.

    .DESCRIPTION
    Remove-Module called from inside this module drops a module's functions
    from this module's session state only, not from the global one where
    Import-ExoCommandModule put them; so each global function that still
    belongs to the module is removed first (a later connection's
    command of the same name is left alone).

    .PARAMETER ConnectionId
    The closed connections' ids; ids without a module are ignored.
    #>
    [CmdletBinding()]
    param(
        [AllowEmptyCollection()]
        [string[]] $ConnectionId = @()
    )

    foreach ($id in $ConnectionId) {
        $module = $script:ExoCommandModules[$id]
        if (-not $module) { continue }
        $script:ExoCommandModules.Remove($id)
        $paths = @(Get-ChildItem -Path 'Function:' | Where-Object { $_.Module -eq $module } | ForEach-Object { "Function:\$($_.Name)" })
        if ($paths) { Remove-Item -LiteralPath $paths -Force }
        Remove-Module -ModuleInfo $module -Force
    }
}
