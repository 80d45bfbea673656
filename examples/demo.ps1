#Requires -Version 7.4
# The main job, end to end, as far as the project goes today: a PowerShell
# script imports the module, which starts the exod daemon on first use and
# gets answers back as objects; then it starts a sandbox tenant and reads
# the values a script passes to Connect-ExchangeOnline.
$ErrorActionPreference = 'Stop'
$module = Join-Path $PSScriptRoot '..' 'bridge-ps' 'ExchangeOnlineManagement'
Import-Module $module -Force

$version = Get-ExodVersion
"Daemon: exod $($version.Version) ($($version.Commit)), built with $($version.GoVersion)"
"API $($version.ApiVersion), ExchangeOnlineManagement surface $($version.ModuleSurface)"

$status = Get-ExodStatus
"Daemon pid $($status.Pid), socket $($status.SocketPath), started $($status.StartTime.ToString('u'))"

'Streaming three heartbeats from the daemon:'
Watch-ExodHeartbeat -Count 3 -Interval ([timespan]::FromMilliseconds(200)) |
    Format-Table Sequence, Time -AutoSize | Out-String -Stream | Where-Object { $_ }

# The sandbox tenant: a local Exchange Online and Entra ID on loopback.
$work = Join-Path ([IO.Path]::GetTempPath()) "exo-demo-$PID"
New-Item -ItemType Directory -Path $work | Out-Null
$exod = Join-Path $module 'bin' 'exod'
$start = [Diagnostics.ProcessStartInfo]::new($exod)
'sandbox', '--data', (Join-Path $work 'tenant.db'), '--log-file', (Join-Path $work 'sandbox.log') |
    ForEach-Object { $start.ArgumentList.Add($_) }
$start.RedirectStandardOutput = $true
$sandbox = [Diagnostics.Process]::Start($start)
try {
    $tenant = $sandbox.StandardOutput.ReadLine() | ConvertFrom-Json
    ''
    "Sandbox tenant $($tenant.tenantDomain) ($($tenant.tenantId)) is serving:"
    [pscustomobject]@{
        ConnectionUri                   = $tenant.connectionUri
        AzureADAuthorizationEndpointUri = $tenant.authorityUri
        ComplianceConnectionUri         = $tenant.complianceConnectionUri
        UserPrincipalName               = $tenant.userPrincipalName
        AppId                           = $tenant.appId
        CertificateFilePath             = $tenant.certificatePath
        TrustedCA                       = $tenant.caFile
    } | Format-List | Out-String -Stream | Where-Object { $_ }
    # The sandbox's discovery document, fetched over TLS verified against
    # the sandbox's CA file alone, shows its identity provider answering.
    if (Get-Command curl -CommandType Application -ErrorAction Ignore) {
        $discoveryUri = "$($tenant.authorityUri -replace '/organizations$', "/$($tenant.tenantId)")/v2.0/.well-known/openid-configuration"
        $discovery = & curl --silent --show-error --cacert $tenant.caFile $discoveryUri | ConvertFrom-Json
        "Its identity provider issues tokens at $($discovery.token_endpoint)"
    }
}
finally {
    $sandbox.Kill()
    $sandbox.WaitForExit()
    Remove-Item -Recurse -Force $work
}
