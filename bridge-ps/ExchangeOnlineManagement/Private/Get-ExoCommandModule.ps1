function Get-ExoCommandModule {
    <#
    .SYNOPSIS
    Lists the loaded command modules this module generated, with their
    connection ids.

    .DESCRIPTION
    Found among the loaded modules rather than remembered, so modules made
    by an earlier import of this module (Import-Module -Force) are found
    too. Each keeps its connection id in its $__exoConnection variable;
    other modules named tmpEXO_* (Microsoft's module names its own so) are
    left out.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param()

    foreach ($module in Get-Module -Name 'tmpEXO_*') {
        $id = $module.SessionState.PSVariable.GetValue('__exoConnection')
        if ($id) { [pscustomobject]@{ ConnectionId = [string]$id; Module = $module } }
    }
}
