#Requires -Version 7.4
# The main job, end to end: a PowerShell script imports the module, which
# starts the exod daemon on first use, and gets answers back as objects.
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '..' 'bridge-ps' 'ExchangeOnlineManagement') -Force

$version = Get-ExodVersion
"Daemon: exod $($version.Version) ($($version.Commit)), built with $($version.GoVersion)"
"API $($version.ApiVersion), ExchangeOnlineManagement surface $($version.ModuleSurface)"

$status = Get-ExodStatus
"Daemon pid $($status.Pid), socket $($status.SocketPath), started $($status.StartTime.ToString('u'))"

'Streaming three heartbeats from the daemon:'
Watch-ExodHeartbeat -Count 3 -Interval ([timespan]::FromMilliseconds(200)) |
    Format-Table Sequence, Time -AutoSize | Out-String -Stream | Where-Object { $_ }
