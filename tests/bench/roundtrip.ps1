#Requires -Version 7.4
<#
.SYNOPSIS
Measures the PowerShell bridge: import time, first-call time and GetVersion
round trips.

.DESCRIPTION
Starts a private daemon on a temporary socket (never the user's), then
measures, in milliseconds:
- Import-Module time in fresh `pwsh -NoProfile` processes;
- the first Get-ExodVersion of a fresh process while the daemon runs (it
  pays for `exod socket-path`, building the HttpClient, connecting and JIT);
- Count warm GetVersion round trips through Get-ExodVersion, through the
  internal Invoke-ExodUnary (the transport without building the output
  object), and as the same request written inline against the module's
  HttpClient (the floor for any PowerShell client of this transport).
With -Alternatives it also measures what the rejected designs would cost per
call or per import: spawning the exod binary (a CLI sidecar per call) and
compiling a small C# helper with Add-Type. docs/transport.md quotes the results.

.PARAMETER Count
Warm round trips to time.

.PARAMETER ImportRuns
Fresh processes for the import and first-call timings.

.PARAMETER Alternatives
Also time the alternatives docs/transport.md compares.

.EXAMPLE
pwsh -NoProfile -File tests/bench/roundtrip.ps1 -Count 1000 -Alternatives
#>
param(
    [int] $Count = 1000,
    [int] $ImportRuns = 10,
    [switch] $Alternatives
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$repoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..' '..'))
$manifest = Join-Path $repoRoot 'bridge-ps' 'ExchangeOnlineManagement' 'ExchangeOnlineManagement.psd1'

function Invoke-FreshPwsh {
    # Runs a command in a new PowerShell process and returns its last output line.
    param([string] $Command)
    # The dotnet global tool's `pwsh` is a shim around `dotnet pwsh.dll`; run
    # the real process, as the tests do.
    $exe = [System.Environment]::ProcessPath
    [string[]] $prefix = if ([System.IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { @([System.Reflection.Assembly]::GetEntryAssembly().Location) } else { @() }
    $output = & $exe @prefix -NoProfile -NonInteractive -Command $Command
    if ($LASTEXITCODE -ne 0) { throw "child PowerShell failed: $output" }
    @($output)[-1]
}

function Measure-Series {
    # Summarises samples in milliseconds as one result row.
    param([string] $Name, [double[]] $Samples)
    $sorted = [double[]]($Samples | Sort-Object)
    $at = { param($q) $sorted[[math]::Max(0, [math]::Ceiling($q * $sorted.Count) - 1)] }
    [pscustomobject]@{
        Measurement = $Name
        Runs        = $sorted.Count
        MedianMs    = [math]::Round((& $at 0.5), 3)
        P95Ms       = [math]::Round((& $at 0.95), 3)
        MinMs       = [math]::Round($sorted[0], 3)
        MaxMs       = [math]::Round($sorted[-1], 3)
    }
}

function Measure-Call {
    # Times each of Count calls of a script block, after a warm-up.
    param([scriptblock] $Call, [int] $Times)
    foreach ($i in 1..50) { $null = & $Call }
    $clock = [System.Diagnostics.Stopwatch]::new()
    foreach ($i in 1..$Times) {
        $clock.Restart()
        $null = & $Call
        $clock.Stop()
        $clock.Elapsed.TotalMilliseconds
    }
}

$dir = [System.IO.Directory]::CreateTempSubdirectory('exod-bench-').FullName
$env:EXOD_SOCKET = Join-Path $dir 'exod.sock'
$daemonPid = $null
try {
    Import-Module $manifest -Force
    $daemonPid = (Get-ExodStatus).Pid
    $module = Get-Module ExchangeOnlineManagement
    $client = & $module { $script:ExodHttp.Client }
    $frame = & $module { ConvertTo-ExodGrpcFrame -Body @{} }

    $results = @(
        Measure-Series 'Import-Module, fresh process' @(foreach ($i in 1..$ImportRuns) {
                Invoke-FreshPwsh "(Measure-Command { Import-Module '$manifest' }).TotalMilliseconds"
            })
        Measure-Series 'First Get-ExodVersion, fresh process, daemon running' @(foreach ($i in 1..$ImportRuns) {
                Invoke-FreshPwsh "Import-Module '$manifest'; (Measure-Command { Get-ExodVersion }).TotalMilliseconds"
            })
        Measure-Series 'Get-ExodVersion round trip (warm)' (Measure-Call -Times $Count -Call { Get-ExodVersion })
        Measure-Series 'Invoke-ExodUnary GetVersion (warm, transport only)' (Measure-Call -Times $Count -Call {
                & $module { Invoke-ExodUnary -Method '/exo.v1.DaemonService/GetVersion' }
            })
        Measure-Series 'Same request inline on the same HttpClient (floor)' (Measure-Call -Times $Count -Call {
                # The least PowerShell can do per call: what the module's
                # functions add is the difference to the line above.
                $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::Post, 'http://localhost/exo.v1.DaemonService/GetVersion')
                $request.Version = [System.Net.HttpVersion]::Version20
                $request.VersionPolicy = [System.Net.Http.HttpVersionPolicy]::RequestVersionExact
                $request.Content = [System.Net.Http.ByteArrayContent]::new($frame)
                $request.Content.Headers.ContentType = [System.Net.Http.Headers.MediaTypeHeaderValue]::new('application/grpc+json')
                $null = $request.Headers.TryAddWithoutValidation('te', 'trailers')
                $response = $client.SendAsync($request).GetAwaiter().GetResult()
                $null = $response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult()
                $response.Dispose()
            })
    )
    if ($Alternatives) {
        $exod = & $module { Get-ExodExecutable }
        $results += Measure-Series 'Spawn `exod version` (CLI sidecar per call)' (Measure-Call -Times 100 -Call { & $exod version })
        $results += Measure-Series 'Add-Type of a 20-line C# helper, fresh process' @(foreach ($i in 1..$ImportRuns) {
                Invoke-FreshPwsh @'
$source = 'using System; using System.IO; using System.Net.Http; using System.Net.Sockets; using System.Threading; using System.Threading.Tasks;
public static class ExodDial {
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> For(string path) {
        var endPoint = new UnixDomainSocketEndPoint(path);
        return async (context, token) => {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try { await socket.ConnectAsync(endPoint, token); return new NetworkStream(socket, true); }
            catch { socket.Dispose(); throw; }
        };
    }
}'
(Measure-Command { Add-Type -TypeDefinition $source }).TotalMilliseconds
'@
            })
    }

    "PowerShell $($PSVersionTable.PSVersion) on .NET $([System.Environment]::Version), $([System.Environment]::ProcessorCount) CPUs, load average $(([System.IO.File]::ReadAllText('/proc/loadavg') -split ' ')[0..2] -join ' ')"
    $results | Format-Table -AutoSize | Out-String -Width 200
} finally {
    if ($daemonPid) { Stop-Process -Id $daemonPid -ErrorAction SilentlyContinue }
    Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction SilentlyContinue
}
