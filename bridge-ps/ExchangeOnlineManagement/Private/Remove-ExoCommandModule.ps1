function Remove-ExoCommandModule {
    <#
    .SYNOPSIS
    Removes the command modules of closed connections.

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
        Remove-Module -ModuleInfo $module -Force
    }
}
