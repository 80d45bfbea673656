function Import-ExoCommandModule {
    <#
    .SYNOPSIS
    Makes a new connection's classic cmdlets (Get-Mailbox, Set-Mailbox, ...)
    available as global commands.

    .DESCRIPTION
    Asks the daemon for the connection's catalogue, turns it into one script
    (ConvertTo-ExoCommandScript) and imports it globally as a dynamic module
    named tmpEXO_<random>, as Microsoft's module names its temporary module.
    What the parse found is kept per catalogue hash, and the script block per
    hash and prefix, for the life of the process, so connecting again costs
    one New-Module. Modules of
    connections the daemon no longer has (replaced or closed elsewhere), or
    an earlier module of this connection, are removed first.

    .PARAMETER Connection
    The connection Connect returned (connectionId, modulePrefix).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [pscustomobject] $Connection
    )

    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $id = $Connection.connectionId
    $prefix = if ($Connection.PSObject.Properties['modulePrefix']) { [string]$Connection.modulePrefix } else { '' }
    $session = Get-ExoClientSession
    $loaded = @(Get-ExoCommandModule)
    if ($loaded.Count -gt 0) {
        $live = Invoke-ExodUnary -Method '/exo.v1.ConnectionService/ListConnections' -Body @{ clientSession = $session }
        $liveIds = if ($live.PSObject.Properties['connections']) { @($live.connections.connectionId) } else { @() }
        $stale = @($loaded.ConnectionId | Where-Object { $_ -notin $liveIds -or $_ -eq $id })
        if ($stale) { Remove-ExoCommandModule -ConnectionId $stale }
    }

    $catalog = Invoke-ExodUnary -Method '/exo.v1.CommandService/GetCatalog' -Body @{ clientSession = $session; connectionId = $id }
    $cmdlets = [string[]]@(if ($catalog.PSObject.Properties['exportedCmdlets']) { $catalog.exportedCmdlets })
    $cached = $script:ExoCommandScripts[$catalog.sha256]
    if (-not $cached) {
        $entries = Read-ExoCommandCatalog -ModuleScript $catalog.moduleScript -Cmdlet $cmdlets
        $cached = @{ Entries = $entries; Blocks = [hashtable]::new([System.StringComparer]::Ordinal) }
        $script:ExoCommandScripts[$catalog.sha256] = $cached
    }
    $block = $cached.Blocks[$prefix]
    if (-not $block) {
        $block = [scriptblock]::Create((ConvertTo-ExoCommandScript -Entry $cached.Entries -Prefix $prefix))
        $cached.Blocks[$prefix] = $block
    }
    $arguments = @(${function:Start-ExoCommand}, ${function:Add-ExoCommandInput}, ${function:Complete-ExoCommand}, $id)
    $module = New-Module -Name "tmpEXO_$([System.IO.Path]::GetRandomFileName())" -ScriptBlock $block -ArgumentList $arguments
    Import-Module -ModuleInfo $module -Global -DisableNameChecking -Force
    Write-Verbose "Imported $($cmdlets.Count) commands from the service's catalogue as $($module.Name) in $($clock.ElapsedMilliseconds) ms."
}
