function Import-ExoCommandModule {
    <#
    .SYNOPSIS
    Makes a new connection's classic cmdlets (Get-Mailbox, Set-Mailbox, ...)
    available as global commands.

    .DESCRIPTION
    Asks the daemon for the connection's catalogue, turns it into one script
    (ConvertTo-ExoCommandScript) and imports it globally as a dynamic module
    named tmpEXO_<random>, as Microsoft's module names its temporary module.
    The module's variables $__exoStart, $__exoAdd and $__exoComplete hold
    this module's forwarders and $__exoConnection the connection id.
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
    # Not New-Module: called from inside this module it also registers the
    # new module here, where Remove-Module does not reach, so every
    # Connect/Disconnect cycle kept a whole module alive (about 300 KB).
    # The PSModuleInfo constructor runs the script in a fresh session state
    # and registers nothing; Import-Module -Global is the only reference.
    $module = [psmoduleinfo]::new($block)
    $variables = $module.SessionState.PSVariable
    $variables.Set('__exoStart', ${function:Start-ExoCommand})
    $variables.Set('__exoAdd', ${function:Add-ExoCommandInput})
    $variables.Set('__exoComplete', ${function:Complete-ExoCommand})
    $variables.Set('__exoConnection', $id)
    # Named like Microsoft's temporary module; the name has no public setter
    # outside New-Module, so a PowerShell without SetName keeps the default.
    $setName = [psmoduleinfo].GetMethod('SetName', [System.Reflection.BindingFlags]'NonPublic, Instance')
    if ($setName) { $null = $setName.Invoke($module, @("tmpEXO_$([System.IO.Path]::GetRandomFileName())")) }
    Import-Module -ModuleInfo $module -Global -DisableNameChecking -Force
    Write-Verbose "Imported $($cmdlets.Count) commands from the service's catalogue as $($module.Name) in $($clock.ElapsedMilliseconds) ms."
}
