<#
.SYNOPSIS
Measures the Get-EXO* path end to end: pwsh → module → daemon → sandbox.

.DESCRIPTION
Seeds a sandbox tenant with -Mailboxes mailboxes, connects, then measures:
- Get-EXOMailbox -ResultSize Unlimited: time to the first object, growth of
  this pwsh's working set and the daemon's peak resident memory (VmHWM)
  while it streams, and objects per second into Measure-Object;
- beside it, the same stream read by a Go gRPC client straight from the
  daemon (tests/bench/streamclient: the ceiling of the design), and by a
  plain PowerShell script that signs in and pages the sandbox's Mailbox
  route itself with Invoke-RestMethod and @odata.nextLink (what community
  wrappers do);
- Get-EXOMailbox -ResultSize -PipelineCount | Get-EXOMailboxStatistics with
  -Latency added to every sandbox request and the tenant's concurrency
  limited to -ConcurrencyLimit requests, with the connection's
  multithreading on and off; every mailbox must come back once, with no
  error.
Prints a Markdown table for docs/benchmarks.md. Traffic stays on loopback.

.EXAMPLE
pwsh -NoProfile -File tests/bench/getexo.ps1 -Mailboxes 100000
#>
param(
    [int] $Mailboxes = 100000,
    [int] $PipelineCount = 5000,
    [string] $Latency = '50ms',
    [int] $ConcurrencyLimit = 10
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot '..' 'pester' 'TestHelpers.ps1')
$repo = Join-Path $PSScriptRoot '..' '..'

function Get-PeakKiB([int] $ProcessId) {
    $line = [System.IO.File]::ReadAllLines("/proc/$ProcessId/status") | Where-Object { $_ -like 'VmHWM:*' }
    [long]($line -replace '[^0-9]', '')
}

# The community-wrapper way: sign in with the password grant, then GET the
# route and follow @odata.nextLink, writing each page's objects.
function Get-PlainMailbox([hashtable] $Tenant) {
    $base = $Tenant.connectionUri -replace '/powershell-liveid/?$', ''
    $token = Invoke-RestMethod -Method Post -SkipCertificateCheck -Uri "$($Tenant.authorityUri)/oauth2/v2.0/token" -Body @{
        grant_type = 'password'; client_id = 'fb78d390-0c51-40cd-8e17-fdbfab77341b'
        scope = "$base/.default"; username = $Tenant.userPrincipalName; password = $Tenant.password
    }
    $headers = @{
        Authorization = "Bearer $($token.access_token)"; Prefer = 'odata.maxpagesize=1000'
        'X-AnchorMailbox' = "UPN:$($Tenant.userPrincipalName)"; Accept = 'application/json'
    }
    $next = "$base/adminapi/beta/$($Tenant.tenantDomain)/Mailbox?PropertySet=Minimum"
    while ($next) {
        $page = Invoke-RestMethod -Uri $next -Headers $headers -SkipCertificateCheck
        $page.value
        $link = $page.PSObject.Properties['@odata.nextLink']
        $next = if ($link) { $link.Value } else { $null }
    }
}

function Format-Rate([double] $Count, [double] $Seconds) { '{0:N0} objects/s' -f ($Count / $Seconds) }

$socket = New-TestSocket
$sandbox = Start-TestSandbox -Mailboxes $Mailboxes -TimeoutSeconds 900
try {
    $tenant = @{}
    $sandbox.Info.PSObject.Properties | ForEach-Object { $tenant[$_.Name] = $_.Value }
    $env:EXOD_TRUSTED_CA = $tenant.caFile
    $streamClient = Join-Path ([System.IO.Path]::GetTempPath()) "exo-streamclient-$PID"
    & go build -o $streamClient (Join-Path $repo 'tests' 'bench' 'streamclient')
    if ($LASTEXITCODE) { throw 'go build of tests/bench/streamclient failed' }

    $module = Import-Module (Join-Path $repo 'bridge-ps' 'ExchangeOnlineManagement') -Force -PassThru
    $credential = [pscredential]::new($tenant.userPrincipalName, (ConvertTo-SecureString $tenant.password -AsPlainText -Force))
    $connect = @{ Credential = $credential; ConnectionUri = $tenant.connectionUri; AzureADAuthorizationEndpointUri = $tenant.authorityUri; ShowBanner = $false }
    Connect-ExchangeOnline @connect
    $daemonPid = (Get-ExodStatus).Pid
    $session = & $module { Get-ExoClientSession }
    $rows = @()

    # The first command after Connect-ExchangeOnline, as a script runs it.
    [System.GC]::Collect()
    $before = [System.Diagnostics.Process]::GetCurrentProcess().WorkingSet64
    $peak = $before
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $first = $null
    $count = 0
    Get-EXOMailbox -ResultSize Unlimited | ForEach-Object {
        if ($null -eq $first) { $first = $clock.Elapsed.TotalMilliseconds }
        if ((++$count % 2000) -eq 0) {
            $peak = [math]::Max($peak, [System.Diagnostics.Process]::GetCurrentProcess().WorkingSet64)
        }
    }
    $peak = [math]::Max($peak, [System.Diagnostics.Process]::GetCurrentProcess().WorkingSet64)
    $rows += "| Time to the first object of Get-EXOMailbox -ResultSize Unlimited (first command after connecting) | $([math]::Round($first)) ms | |"
    $rows += "| Growth of pwsh's working set during that command | $([math]::Round(($peak - $before) / 1MB)) MiB | |"

    $clock.Restart()
    $measured = (Get-EXOMailbox -ResultSize Unlimited | Measure-Object).Count
    $module_s = $clock.Elapsed.TotalSeconds
    $rows += "| Get-EXOMailbox -ResultSize Unlimited \| Measure-Object, $measured objects | $([math]::Round($module_s, 1)) s | $(Format-Rate $measured $module_s) |"
    $rows += "| Peak resident memory of the daemon (VmHWM) | $([math]::Round((Get-PeakKiB $daemonPid) / 1024)) MiB | |"

    $go = & $streamClient -socket $env:EXOD_SOCKET -session $session -cmdlet Get-EXOMailbox | ConvertFrom-Json
    if ($LASTEXITCODE) { throw 'streamclient failed' }
    $rows += "| Go gRPC client reading the same stream from the daemon, $($go.objects) objects | $([math]::Round($go.seconds, 1)) s | $(Format-Rate $go.objects $go.seconds) |"

    $clock.Restart()
    $plain = (Get-PlainMailbox -Tenant $tenant | Measure-Object).Count
    $plain_s = $clock.Elapsed.TotalSeconds
    $rows += "| Plain PowerShell paging the route with Invoke-RestMethod, $plain objects | $([math]::Round($plain_s, 1)) s | $(Format-Rate $plain $plain_s) |"
    $rows += "| Module vs plain script | $([math]::Round($plain_s / $module_s, 2))× | |"
    $rows += "| Module vs Go client | $([math]::Round(100 * $go.seconds / $module_s))% | |"

    Set-TestSandboxSettings -Sandbox $sandbox -Settings @{
        throttle = @{ budget = 1000000; window = '1h'; maxConcurrent = $ConcurrencyLimit }
        faults   = @(@{ kind = 'latency'; latency = @{ distribution = 'fixed'; delay = $Latency }; probability = 1 })
    } | Out-Null
    $sample = @(Get-EXOMailbox -ResultSize $PipelineCount -WarningAction SilentlyContinue)
    $seconds = @{}
    foreach ($multithreading in $true, $false) {
        Connect-ExchangeOnline @connect -UseMultithreading $multithreading
        $clock.Restart()
        $stats = @($sample | Get-EXOMailboxStatistics -ErrorVariable failures)
        $seconds[$multithreading] = $clock.Elapsed.TotalSeconds
        $distinct = @($stats.MailboxGuid | Sort-Object -Unique).Count
        if ($stats.Count -ne $sample.Count -or $distinct -ne $sample.Count -or $failures.Count) {
            throw "expected $($sample.Count) distinct statistics and no error; got $($stats.Count), $distinct distinct, $($failures.Count) errors"
        }
        $rows += "| $($sample.Count) mailboxes piped to Get-EXOMailboxStatistics, $Latency latency, $ConcurrencyLimit-request tenant limit, UseMultithreading $multithreading | $([math]::Round($seconds[$multithreading], 1)) s | $(Format-Rate $stats.Count $seconds[$multithreading]) |"
    }
    $rows += "| Speed-up of multithreading | $([math]::Round($seconds[$false] / $seconds[$true], 1))× | |"
    '| Measurement | Result | Rate |'
    '| --- | ---: | ---: |'
    $rows
} finally {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue 6>$null
    Stop-TestSandbox -Sandbox $sandbox
    Remove-TestSocket -Socket $socket
    if ($streamClient) { Remove-Item $streamClient -ErrorAction Ignore }
}
