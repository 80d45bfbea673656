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

    foreach ($entry in @(Get-ExoCommandModule | Where-Object ConnectionId -In $ConnectionId)) {
        $module = $entry.Module
        $paths = [System.Collections.Generic.List[string]]::new()
        foreach ($name in $module.ExportedFunctions.Keys) {
            $function = $ExecutionContext.InvokeCommand.GetCommand($name, [System.Management.Automation.CommandTypes]::Function)
            if ($function -and $function.Module -eq $module) { $paths.Add("Function:\$name") }
        }
        if ($paths.Count) { Remove-Item -LiteralPath $paths -Force }
        Remove-Module -ModuleInfo $module -Force
    }
}
