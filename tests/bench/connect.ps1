<#
.SYNOPSIS
Measures Connect-ExchangeOnline: wall time with a cached token and a running
daemon, and memory over many Connect/Disconnect cycles.

.DESCRIPTION
Starts a sandbox tenant and a private daemon, signs the admin in once with
-Credential (which fills the daemon's token cache) and keeps that
connection open, so the user's sign-in stays cached. Then:
- median and 95th percentile wall time of
  `Connect-ExchangeOnline -UserPrincipalName <admin>` (served from the token
  cache: no browser, no identity provider request), each followed by
  Disconnect-ExchangeOnline of that connection, over -Samples runs;
- the same for the daemon's part alone: the Connect call (sign-in from the
  cache and the first service request) without importing the classic
  cmdlets' module that Connect-ExchangeOnline builds afterwards;
- -Cycles Connect/Disconnect cycles in this pwsh: growth of this process's
  working set (after a full garbage collection) and of the daemon's
  resident memory (VmRSS), measured after -Warmup cycles; then as many
  cycles of the daemon's part alone, to tell the two apart.
A browser that throws is configured, so a Connect that needed one fails.
Prints a Markdown table for docs/benchmarks.md. Traffic stays on loopback.

.EXAMPLE
pwsh -NoProfile -File tests/bench/connect.ps1 -Cycles 1000
#>
param(
    [int] $Samples = 100,
    [int] $Cycles = 1000,
    [int] $Warmup = 50
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot '..' 'pester' 'TestHelpers.ps1')
$repo = Join-Path $PSScriptRoot '..' '..'

function Get-RssKiB([int] $ProcessId) {
    $line = [System.IO.File]::ReadAllLines("/proc/$ProcessId/status") | Where-Object { $_ -like 'VmRSS:*' }
    [long]($line -replace '[^0-9]', '')
}

function Get-WorkingSetKiB {
    [System.GC]::Collect()
    [System.GC]::WaitForPendingFinalizers()
    [System.GC]::Collect()
    $process = [System.Diagnostics.Process]::GetCurrentProcess()
    $process.Refresh()
    [long]($process.WorkingSet64 / 1KB)
}

function global:Invoke-BenchNoBrowser { param([string] $Url) throw "Connect needed a browser: $Url" }

$socket = New-TestSocket
$sandbox = Start-TestSandbox
$savedBrowser = $env:EXOD_BROWSER
try {
    $tenant = $sandbox.Info
    $env:EXOD_TRUSTED_CA = $tenant.caFile
    $env:EXOD_BROWSER = 'Invoke-BenchNoBrowser'
    $module = Import-Module (Join-Path $repo 'bridge-ps' 'ExchangeOnlineManagement') -Force -PassThru
    $credential = [pscredential]::new($tenant.userPrincipalName, (ConvertTo-SecureString $tenant.password -AsPlainText -Force))
    $endpoints = @{ ConnectionUri = $tenant.connectionUri; AzureADAuthorizationEndpointUri = $tenant.authorityUri; ShowBanner = $false }
    Connect-ExchangeOnline -Credential $credential @endpoints
    $daemonPid = (Get-ExodStatus).Pid

    $cycle = {
        Connect-ExchangeOnline -UserPrincipalName $tenant.userPrincipalName @endpoints
        $newest = Get-ConnectionInformation | Select-Object -Last 1
        Disconnect-ExchangeOnline -ConnectionId $newest.ConnectionId -Confirm:$false 6>$null
    }

    # The daemon's part: the Connect call as Connect-ExchangeOnline makes
    # it, then Disconnect, with no classic cmdlets imported. Returns the
    # Connect call's milliseconds.
    $daemonCycle = {
        & $module {
            [CmdletBinding()] param($Endpoints, $User)
            $request = New-ExoConnectionRequest -Parameters (@{ UserPrincipalName = $User } + $Endpoints) -Cmdlet $PSCmdlet
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $connection = Invoke-ExoConnectionRequest -Request $request
            $clock.Stop()
            $null = Invoke-ExodUnary -Method '/exo.v1.ConnectionService/Disconnect' -Body @{
                clientSession = Get-ExoClientSession; connectionId = @($connection.connectionId)
            }
            $clock.Elapsed.TotalMilliseconds
        } $endpoints $tenant.userPrincipalName
    }
    $percentile = { param($Values, $P) $sorted = @($Values | Sort-Object); $sorted[[int][math]::Floor(($sorted.Count - 1) * $P)] }

    # Wall time of Connect-ExchangeOnline alone, then of the daemon's part.
    $times = [System.Collections.Generic.List[double]]::new()
    for ($i = 0; $i -lt $Samples; $i++) {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        Connect-ExchangeOnline -UserPrincipalName $tenant.userPrincipalName @endpoints
        $clock.Stop()
        $times.Add($clock.Elapsed.TotalMilliseconds)
        $newest = Get-ConnectionInformation | Select-Object -Last 1
        Disconnect-ExchangeOnline -ConnectionId $newest.ConnectionId -Confirm:$false 6>$null
    }
    $daemonTimes = @(for ($i = 0; $i -lt $Samples; $i++) { & $daemonCycle })

    # Memory over many cycles, after a warm-up: whole cmdlets, then the
    # daemon's part alone.
    $measure = {
        param($Cycle)
        for ($i = 0; $i -lt $Warmup; $i++) { $null = & $Cycle }
        $pwshBefore = Get-WorkingSetKiB
        $daemonBefore = Get-RssKiB $daemonPid
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        for ($i = 0; $i -lt $Cycles; $i++) { $null = & $Cycle }
        $clock.Stop()
        $pwshAfter = Get-WorkingSetKiB
        $daemonAfter = Get-RssKiB $daemonPid
        if (@(Get-ConnectionInformation).Count -ne 1) { throw 'the cycles left connections behind' }
        @{ Seconds = $clock.Elapsed.TotalSeconds; Pwsh = @($pwshBefore, $pwshAfter); Daemon = @($daemonBefore, $daemonAfter) }
    }
    $whole = & $measure $cycle
    $part = & $measure $daemonCycle
    $mb = { param($Pair) '{0:N1} MB ({1:N0} → {2:N0} MB)' -f (($Pair[1] - $Pair[0]) / 1024), ($Pair[0] / 1024), ($Pair[1] / 1024) }

    $cores = [System.Environment]::ProcessorCount
    "Connections, $cores CPU cores, $(Get-Date -Format 'yyyy-MM-dd'):"
    ''
    '| Measure | Result | Target |'
    '|---|---|---|'
    '| Connect-ExchangeOnline, cached token, running daemon: median of {0} | {1:N0} ms (p95 {2:N0} ms) | < 300 ms |' -f $Samples, (& $percentile $times 0.5), (& $percentile $times 0.95)
    '| … of which the daemon''s Connect call (sign-in from the cache, first request): median | {0:N0} ms (p95 {1:N0} ms) | |' -f (& $percentile $daemonTimes 0.5), (& $percentile $daemonTimes 0.95)
    '| {0:N0} Connect-ExchangeOnline/Disconnect-ExchangeOnline cycles | {1:N1} s ({2:N0} ms each) | |' -f $Cycles, $whole.Seconds, ($whole.Seconds * 1000 / $Cycles)
    '| … pwsh working set growth | {0} | < 20 MB |' -f (& $mb $whole.Pwsh)
    '| … daemon resident memory growth | {0} | < 20 MB |' -f (& $mb $whole.Daemon)
    '| {0:N0} cycles of the daemon''s Connect and Disconnect calls alone | {1:N1} s ({2:N0} ms each) | |' -f $Cycles, $part.Seconds, ($part.Seconds * 1000 / $Cycles)
    '| … pwsh working set growth | {0} | < 20 MB |' -f (& $mb $part.Pwsh)
    '| … daemon resident memory growth | {0} | < 20 MB |' -f (& $mb $part.Daemon)
} finally {
    $env:EXOD_BROWSER = $savedBrowser
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue 6>$null
    Remove-Module ExchangeOnlineManagement -ErrorAction SilentlyContinue
    Stop-TestSandbox -Sandbox $sandbox
    Remove-TestSocket -Socket $socket
}
