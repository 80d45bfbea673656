<#
.SYNOPSIS
Measures how long the classic cmdlets take to be ready after sign-in.

.DESCRIPTION
Starts the sandbox tenant (its catalogue publishes the classic cmdlets,
about 800 of them) and a daemon on a private socket, then times
Import-ExoCommandModule, the step between the end of sign-in and the
commands being callable (the module reports it with -Verbose): catalogue
fetch from the daemon, parse of the service's module, script generation,
one New-Module and the global import.
- cold: the first connection of this fresh PowerShell process;
- uncached: later connections with the in-process cache cleared (a warm
  process parsing the catalogue again), -Runs times;
- cached: a connection whose catalogue hash and prefix were seen before.
Prints a Markdown table for docs/benchmarks.md. Traffic stays on loopback.
Run it in a fresh process so the cold figure is real.

.EXAMPLE
pwsh -NoProfile -File tests/bench/catalog.ps1
#>
param(
    [int] $Runs = 5
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot '..' 'pester' 'TestHelpers.ps1')

function Get-ImportMilliseconds([hashtable] $Connect) {
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $lines = @(Connect-ExchangeOnline @Connect -Verbose 4>&1 | Where-Object { "$_" -like 'Imported * commands *' })
    $total = $clock.ElapsedMilliseconds
    if ($lines.Count -ne 1 -or "$($lines[0])" -notmatch 'Imported (\d+) commands .* in (\d+) ms') { throw "Connect-ExchangeOnline did not report its import: $lines" }
    @{ Commands = [int]$Matches[1]; Import = [int]$Matches[2]; Connect = $total }
}

function Get-Median([int[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $sorted[[int][math]::Floor(($sorted.Count - 1) / 2)]
}

$savedSocket = $env:EXOD_SOCKET
$savedTrustedCa = $env:EXOD_TRUSTED_CA
$socket = New-TestSocket
$sandbox = Start-TestSandbox
try {
    $tenant = $sandbox.Info
    $env:EXOD_TRUSTED_CA = $tenant.caFile
    Import-Module $ModuleManifest -Force
    $module = Get-Module ExchangeOnlineManagement
    $connect = @{
        Credential                      = [pscredential]::new($tenant.userPrincipalName, (ConvertTo-SecureString $tenant.password -AsPlainText -Force))
        ConnectionUri                   = $tenant.connectionUri
        AzureADAuthorizationEndpointUri = $tenant.authorityUri
        ShowBanner                      = $false
    }
    $cold = Get-ImportMilliseconds $connect
    $uncached = foreach ($run in 1..$Runs) {
        & $module { $script:ExoCommandScripts.Clear() }
        Get-ImportMilliseconds ($connect + @{ Prefix = "Run$run" })
    }
    $cached = foreach ($run in 1..$Runs) { Get-ImportMilliseconds ($connect + @{ Prefix = "Run$run" }) }
    Disconnect-ExchangeOnline -Confirm:$false 6>$null

    '| Case | Commands | Import (ms) | Whole Connect-ExchangeOnline (ms) |'
    '| --- | ---: | ---: | ---: |'
    "| cold: first connection of the process | $($cold.Commands) | $($cold.Import) | $($cold.Connect) |"
    "| uncached: parse again, median of $Runs | $($uncached[0].Commands) | $(Get-Median $uncached.Import) | $(Get-Median $uncached.Connect) |"
    "| cached: same catalogue and prefix, median of $Runs | $($cached[0].Commands) | $(Get-Median $cached.Import) | $(Get-Median $cached.Connect) |"
} finally {
    Remove-Module ExchangeOnlineManagement -ErrorAction SilentlyContinue
    Stop-TestSandbox -Sandbox $sandbox
    Remove-TestSocket -Socket $socket
    $env:EXOD_SOCKET = $savedSocket
    $env:EXOD_TRUSTED_CA = $savedTrustedCa
}
