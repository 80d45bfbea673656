<#
.SYNOPSIS
Measures the Get-EXO* path end to end: pwsh → module → daemon → sandbox.

.DESCRIPTION
Seeds a sandbox tenant with -Mailboxes mailboxes, connects, then measures:
- Get-EXOMailbox -ResultSize Unlimited streamed into Measure-Object:
  objects per second, time to the first object, and the peak resident
  memory (VmHWM) of the daemon and of this pwsh process;
- Get-EXOMailbox | Get-EXOMailboxStatistics for -PipelineCount mailboxes
  with -Latency added to every sandbox request, with the connection's
  multithreading on and off.
Prints a Markdown table for docs/benchmarks.md. Traffic stays on loopback.

.EXAMPLE
pwsh -NoProfile -File tests/bench/getexo.ps1 -Mailboxes 100000
#>
param(
    [int] $Mailboxes = 20000,
    [int] $PipelineCount = 500,
    [string] $Latency = '50ms'
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot '..' 'pester' 'TestHelpers.ps1')

function Get-PeakKiB([int] $ProcessId) {
    $line = [System.IO.File]::ReadAllLines("/proc/$ProcessId/status") | Where-Object { $_ -like 'VmHWM:*' }
    [long]($line -replace '[^0-9]', '')
}

$socket = New-TestSocket
$sandbox = Start-TestSandbox -Mailboxes $Mailboxes -TimeoutSeconds 300
try {
    $tenant = $sandbox.Info
    $env:EXOD_TRUSTED_CA = $tenant.caFile
    Import-Module (Join-Path $PSScriptRoot '..' '..' 'bridge-ps' 'ExchangeOnlineManagement') -Force
    $credential = [pscredential]::new($tenant.userPrincipalName, (ConvertTo-SecureString $tenant.password -AsPlainText -Force))
    $connect = @{ Credential = $credential; ConnectionUri = $tenant.connectionUri; AzureADAuthorizationEndpointUri = $tenant.authorityUri; ShowBanner = $false }
    Connect-ExchangeOnline @connect
    $daemonPid = (Get-ExodStatus).Pid

    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $first = $null
    $count = 0
    Get-EXOMailbox -ResultSize Unlimited | ForEach-Object {
        if ($null -eq $first) { $first = $clock.Elapsed.TotalMilliseconds }
        $count++
    }
    $seconds = $clock.Elapsed.TotalSeconds
    $rows = @(
        "| Get-EXOMailbox -ResultSize Unlimited, $count objects | $([math]::Round($seconds, 1)) s | $([math]::Round($count / $seconds)) objects/s |"
        "| Time to the first object | $([math]::Round($first)) ms | |"
        "| Peak memory, daemon (VmHWM) | $([math]::Round((Get-PeakKiB $daemonPid) / 1024)) MiB | |"
        "| Peak memory, pwsh (VmHWM) | $([math]::Round((Get-PeakKiB $PID) / 1024)) MiB | |"
    )

    Set-TestSandboxSettings -Sandbox $sandbox -Settings @{ faults = @(@{ kind = 'latency'; latency = @{ distribution = 'fixed'; delay = $Latency }; probability = 1 }) }
    $sample = @(Get-EXOMailbox -ResultSize $PipelineCount -RecipientTypeDetails UserMailbox)
    foreach ($multithreading in $true, $false) {
        Connect-ExchangeOnline @connect -UseMultithreading $multithreading
        $clock.Restart()
        $stats = @($sample | Get-EXOMailboxStatistics)
        $seconds = $clock.Elapsed.TotalSeconds
        if ($stats.Count -ne $sample.Count) { throw "expected $($sample.Count) statistics, got $($stats.Count)" }
        $rows += "| $($sample.Count) mailboxes piped to Get-EXOMailboxStatistics, $Latency added latency, UseMultithreading $multithreading | $([math]::Round($seconds, 1)) s | $([math]::Round($stats.Count / $seconds)) objects/s |"
    }
    '| Measurement | Time | Rate |'
    '| --- | ---: | ---: |'
    $rows
} finally {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue 6>$null
    Stop-TestSandbox -Sandbox $sandbox
    Remove-TestSocket -Socket $socket
}
