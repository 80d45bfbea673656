<#
.SYNOPSIS
Measures Set-Mailbox through the generated command from PowerShell:
one call per mailbox in a loop against the same inputs from the pipeline.

.DESCRIPTION
Seeds a sandbox tenant, connects, adds -Latency to every InvokeCommand and
$batch request, then sets CustomAttribute11 on -Count mailboxes twice:
- loop: `foreach ($id in $ids) { Set-Mailbox -Identity $id ... }`, one
  InvokeCommand call per mailbox, as a script without the pipeline does;
- pipeline: objects with an Identity piped to Set-Mailbox (bound by
  property name, as Get-Mailbox | Set-Mailbox does), which the module sends 160 inputs per
  call and the daemon as $batch requests of 10, several in flight.
After each mode the tenant's unified audit log (Search-UnifiedAuditLog,
through the generated command) must show every mailbox changed exactly
once, else the script fails. Prints a Markdown table for
docs/benchmarks.md. Traffic stays on loopback.

.EXAMPLE
pwsh -NoProfile -File tests/bench/setmailbox.ps1 -Count 2000
#>
param(
    [int] $Count = 300,
    [string] $Latency = '50ms'
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot '..' 'pester' 'TestHelpers.ps1')

$savedSocket = $env:EXOD_SOCKET
$savedTrustedCa = $env:EXOD_TRUSTED_CA
$socket = New-TestSocket
# The seed makes some mailboxes shared, resource or soft-deleted.
$sandbox = Start-TestSandbox -Mailboxes ([int]($Count * 1.25) + 100)
try {
    $tenant = $sandbox.Info
    $env:EXOD_TRUSTED_CA = $tenant.caFile
    Import-Module $ModuleManifest -Force
    Connect-ExchangeOnline -Credential ([pscredential]::new($tenant.userPrincipalName, (ConvertTo-SecureString $tenant.password -AsPlainText -Force))) `
        -ConnectionUri $tenant.connectionUri -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false
    $ids = @(Get-Mailbox -ResultSize Unlimited -RecipientTypeDetails UserMailbox | Select-Object -First $Count | ForEach-Object UserPrincipalName)
    if ($ids.Count -lt $Count) { throw "only $($ids.Count) mailboxes" }
    $null = Set-TestSandboxSettings -Sandbox $sandbox -Settings @{
        faults = @(@{ kind = 'latency'; probability = 1; routes = @('InvokeCommand', '$batch'); latency = @{ distribution = 'fixed'; delay = $Latency } })
    }
    $rows = foreach ($mode in 'loop', 'pipeline') {
        $marker = "bench-ps-$mode-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        if ($mode -eq 'loop') {
            foreach ($id in $ids) { Set-Mailbox -Identity $id -CustomAttribute11 $marker }
        } else {
            $ids | ForEach-Object { [pscustomobject]@{ Identity = $_ } } | Set-Mailbox -CustomAttribute11 $marker
        }
        $elapsed = $clock.Elapsed.TotalSeconds
        if (-not $global:EXO_LastExecutionStatus) { throw "$mode mode reported an error" }
        $null = Set-TestSandboxSettings -Sandbox $sandbox -Settings @{}
        $runs = @{}
        foreach ($record in Search-UnifiedAuditLog -StartDate (Get-Date).AddDays(-1) -EndDate (Get-Date).AddDays(1) -FreeText $marker -ResultSize 5000) {
            $object = ($record.AuditData | ConvertFrom-Json).ObjectId.ToLowerInvariant()
            $runs[$object] = 1 + [int]$runs[$object]
        }
        foreach ($id in $ids) {
            if ($runs[$id.ToLowerInvariant()] -ne 1) { throw "$mode mode: Set-Mailbox ran $([int]$runs[$id.ToLowerInvariant()]) times for $id" }
        }
        $null = Set-TestSandboxSettings -Sandbox $sandbox -Settings @{
            faults = @(@{ kind = 'latency'; probability = 1; routes = @('InvokeCommand', '$batch'); latency = @{ distribution = 'fixed'; delay = $Latency } })
        }
        [pscustomobject]@{ Mode = $mode; Seconds = $elapsed }
    }
    Disconnect-ExchangeOnline -Confirm:$false 6>$null
    $loop = ($rows | Where-Object Mode -EQ 'loop').Seconds
    "| Inputs | Loop, one call each | Pipeline (160 per call, `$batch of 10) |"
    '| ---: | ---: | ---: |'
    '| {0:N0} | {1:N1} s | {2:N1} s ({3:N1}×) |' -f $Count, $loop, ($rows | Where-Object Mode -EQ 'pipeline').Seconds, ($loop / ($rows | Where-Object Mode -EQ 'pipeline').Seconds)
} finally {
    Remove-Module ExchangeOnlineManagement -ErrorAction SilentlyContinue
    Stop-TestSandbox -Sandbox $sandbox
    Remove-TestSocket -Socket $socket
    $env:EXOD_SOCKET = $savedSocket
    $env:EXOD_TRUSTED_CA = $savedTrustedCa
}
