# Helpers shared by the Pester suites: isolated daemons on temporary sockets
# and fresh PowerShell child processes. Dot-source from BeforeAll.
Set-StrictMode -Version Latest

$script:RepoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..' '..'))
$script:ModuleManifest = Join-Path $script:RepoRoot 'bridge-ps' 'ExchangeOnlineManagement' 'ExchangeOnlineManagement.psd1'

function Get-TestPwsh {
    <#
    .SYNOPSIS
    Returns how to start the PowerShell that runs these tests: @{ FilePath; Arguments }.

    .DESCRIPTION
    The PowerShell dotnet global tool installs `pwsh` as a shim that runs the
    real PowerShell as a child process and forwards no signals, so SIGINT sent
    to the shim never reaches PowerShell. Starting the process that runs us
    (dotnet plus pwsh.dll in that case) gives signals a real target.
    #>
    $process = [System.Environment]::ProcessPath
    if ([System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        return @{ FilePath = $process; Arguments = @([System.Reflection.Assembly]::GetEntryAssembly().Location) }
    }
    @{ FilePath = $process; Arguments = @() }
}

function New-TestSocket {
    <#
    .SYNOPSIS
    Creates a private 0700 temporary directory, points $env:EXOD_SOCKET into
    it and returns the socket path, so tests never touch the user's daemon.
    #>
    $dir = [System.IO.Directory]::CreateTempSubdirectory('exod-pester-').FullName
    [System.IO.File]::SetUnixFileMode($dir, [System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
    $env:EXOD_SOCKET = Join-Path $dir 'exod.sock'
    $env:EXOD_SOCKET
}

function Get-TestDaemonId {
    <#
    .SYNOPSIS
    Returns the process ids of the exod daemons serving a socket.
    #>
    param([Parameter(Mandatory)] [string] $Socket)

    # Matches `<exod> serve ... --socket <path>` whatever the binary is called
    # ($env:EXOD_PATH). The path is in a fresh temporary directory, so only
    # this suite's daemons match.
    $ids = & pgrep -f -- " serve .*--socket[= ]$([regex]::Escape($Socket))( |$)"
    @($ids | Where-Object { $_ } | ForEach-Object { [int]$_ })
}

function Remove-TestSocket {
    <#
    .SYNOPSIS
    Stops the daemons serving a test socket, by process id, and removes its
    directory.
    #>
    param([Parameter(Mandatory)] [string] $Socket)

    foreach ($id in Get-TestDaemonId -Socket $Socket) {
        Stop-Process -Id $id -Force -ErrorAction SilentlyContinue
    }
    Remove-Item -LiteralPath (Split-Path $Socket) -Recurse -Force -ErrorAction SilentlyContinue
}

function Start-TestPwsh {
    <#
    .SYNOPSIS
    Starts `pwsh -NoProfile -NonInteractive` running a script that first
    imports the module; returns the Process with stdout and stderr redirected.

    .PARAMETER Script
    The script to run after Import-Module. Errors stop it ($ErrorActionPreference = 'Stop').

    .PARAMETER Environment
    Extra environment variables for the child; it inherits the rest.
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Environment = @{}
    )

    $pwsh = Get-TestPwsh
    $start = [System.Diagnostics.ProcessStartInfo]::new($pwsh.FilePath)
    foreach ($argument in $pwsh.Arguments) { $start.ArgumentList.Add($argument) }
    $command = "`$ErrorActionPreference = 'Stop'; Import-Module '$script:ModuleManifest'`n$Script"
    foreach ($argument in '-NoProfile', '-NonInteractive', '-Command', $command) { $start.ArgumentList.Add($argument) }
    foreach ($name in $Environment.Keys) { $start.Environment[$name] = $Environment[$name] }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    [System.Diagnostics.Process]::Start($start)
}

function Wait-TestPwsh {
    <#
    .SYNOPSIS
    Waits for a child started by Start-TestPwsh; returns @{ ExitCode; Output; Error }.
    Kills the child and throws if it runs longer than the timeout.
    #>
    param(
        [Parameter(Mandatory)] [System.Diagnostics.Process] $Process,
        [int] $TimeoutSeconds = 120
    )

    $stdout = $Process.StandardOutput.ReadToEndAsync()
    $stderr = $Process.StandardError.ReadToEndAsync()
    if (-not $Process.WaitForExit($TimeoutSeconds * 1000)) {
        $Process.Kill()
        throw "Child PowerShell $($Process.Id) did not finish within $TimeoutSeconds s."
    }
    $Process.WaitForExit()
    @{
        ExitCode = $Process.ExitCode
        Output   = @($stdout.Result -split '\r?\n' | Where-Object { $_ })
        Error    = $stderr.Result
    }
}

function Invoke-TestPwsh {
    <#
    .SYNOPSIS
    Runs a script in a fresh child PowerShell (see Start-TestPwsh), asserts it
    succeeded and returns its last output line parsed as JSON.
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Environment = @{}
    )

    $result = Wait-TestPwsh -Process (Start-TestPwsh -Script $Script -Environment $Environment)
    if ($result.ExitCode -ne 0) {
        throw "Child PowerShell failed with exit code $($result.ExitCode): $($result.Error) $($result.Output)"
    }
    $result.Output[-1] | ConvertFrom-Json
}

function Wait-TestCondition {
    <#
    .SYNOPSIS
    Polls a condition until it is true or the timeout passes; returns whether
    it became true. For facts that settle asynchronously, like the daemon's
    counters after a cancellation.
    #>
    param(
        [Parameter(Mandatory)] [scriptblock] $Condition,
        [int] $TimeoutMilliseconds = 5000
    )

    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    while ($clock.ElapsedMilliseconds -lt $TimeoutMilliseconds) {
        if (& $Condition) { return $true }
        Start-Sleep -Milliseconds 50
    }
    [bool](& $Condition)
}

function Start-TestSandbox {
    <#
    .SYNOPSIS
    Starts `exod sandbox` (a seeded test tenant on loopback HTTPS, port
    chosen by the system) with its data in a fresh temporary directory;
    returns @{ Process; Directory; Info } where Info is the tenant's first
    stdout line parsed from JSON (connectionUri, authorityUri,
    complianceConnectionUri, tenantDomain, tenantId, userPrincipalName,
    password, appId, certificatePath, certificatePassword,
    certificateThumbprint, caFile, managedIdentityEndpoint, ...).
    With -Mailboxes, the tenant is first seeded with that many mailboxes
    (`exod sandbox seed`) instead of the small default tenant. -TokenLifetime
    (a Go duration such as '6s') shortens the access tokens it issues.
    #>
    param([int] $TimeoutSeconds = 60, [int] $Mailboxes = 0, [string] $TokenLifetime = '')

    $exod = if ($env:EXOD_PATH) { $env:EXOD_PATH } else { Join-Path $script:RepoRoot 'bridge-ps' 'ExchangeOnlineManagement' 'bin' 'exod' }
    $dir = [System.IO.Directory]::CreateTempSubdirectory('exod-sandbox-').FullName
    if ($Mailboxes -gt 0) {
        $seeded = & $exod sandbox seed --data (Join-Path $dir 'tenant.db') --mailboxes $Mailboxes 2>&1
        if ($LASTEXITCODE -ne 0) { throw "exod sandbox seed failed: $seeded" }
    }
    $start = [System.Diagnostics.ProcessStartInfo]::new($exod)
    foreach ($argument in 'sandbox', '--data', (Join-Path $dir 'tenant.db'), '--port', '0', '--log-file', (Join-Path $dir 'sandbox.log')) {
        $start.ArgumentList.Add($argument)
    }
    if ($TokenLifetime) {
        $start.ArgumentList.Add('--token-lifetime')
        $start.ArgumentList.Add($TokenLifetime)
    }
    $start.RedirectStandardOutput = $true
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    $line = $process.StandardOutput.ReadLineAsync()
    if (-not $line.Wait($TimeoutSeconds * 1000) -or -not $line.Result) {
        $process.Kill()
        throw "exod sandbox did not report its tenant within $TimeoutSeconds s; see $dir/sandbox.log."
    }
    # Keep draining stdout so the sandbox never blocks on a full pipe.
    $null = $process.StandardOutput.ReadToEndAsync()
    @{ Process = $process; Directory = $dir; Info = ($line.Result | ConvertFrom-Json) }
}

function Save-TestEnvironment {
    <#
    .SYNOPSIS
    Returns the named environment variables' current values, for
    Remove-TestTenant to put back when the suite ends.
    #>
    param([Parameter(Mandatory, Position = 0)] [string[]] $Name)

    $saved = @{}
    foreach ($variable in $Name) { $saved[$variable] = [System.Environment]::GetEnvironmentVariable($variable) }
    $saved
}

function Remove-TestTenant {
    <#
    .SYNOPSIS
    Ends a suite that ran against its own sandbox and daemon: disconnects,
    removes the module, stops the sandbox and the daemon on the suite's
    socket, and restores the environment Save-TestEnvironment kept.
    #>
    param(
        [hashtable] $Sandbox,
        [string] $Socket,
        [hashtable] $Environment = @{}
    )

    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue 6>$null
    Remove-Module ExchangeOnlineManagement -ErrorAction SilentlyContinue
    if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    if ($Socket) { Remove-TestSocket -Socket $Socket }
    foreach ($variable in $Environment.GetEnumerator()) {
        [System.Environment]::SetEnvironmentVariable($variable.Key, $variable.Value)
    }
}

function Invoke-TestSql {
    <#
    .SYNOPSIS
    Runs a read-only query on a test sandbox's database with sqlite3 and
    returns its non-empty rows (fields separated by '|'): tests check the
    tenant's state there, not through the module under test.
    #>
    param(
        [Parameter(Mandatory, Position = 0)] [hashtable] $Sandbox,
        [Parameter(Mandatory, Position = 1)] [string] $Query
    )

    $rows = & sqlite3 -readonly (Join-Path $Sandbox.Directory 'tenant.db') $Query
    if ($LASTEXITCODE) { throw "sqlite3 failed: $Query" }
    @($rows | Where-Object { $_ })
}

function Stop-TestSandbox {
    <#
    .SYNOPSIS
    Stops a sandbox started by Start-TestSandbox, by process, and removes its
    directory.
    #>
    param([Parameter(Mandatory)] [hashtable] $Sandbox)

    if (-not $Sandbox.Process.HasExited) {
        $Sandbox.Process.Kill()
        $null = $Sandbox.Process.WaitForExit(10000)
    }
    Remove-Item -LiteralPath $Sandbox.Directory -Recurse -Force -ErrorAction SilentlyContinue
}

function Set-TestSandboxSettings {
    <#
    .SYNOPSIS
    Replaces a running sandbox's throttling and fault settings through its
    control endpoint (see internal/sandbox/adminapi/control.go); an empty
    hashtable restores the defaults.
    #>
    param(
        [Parameter(Mandatory)] [hashtable] $Sandbox,
        [Parameter(Mandatory)] [hashtable] $Settings
    )

    # Test plumbing on loopback: the endpoint is guarded by its secret; the
    # certificate check is skipped because PowerShell's web cmdlets cannot
    # take an extra CA. The daemon under test always verifies.
    Invoke-RestMethod -Method Post -Uri $Sandbox.Info.controlUri -SkipCertificateCheck `
        -Headers @{ Authorization = "Bearer $($Sandbox.Info.controlSecret)" } `
        -ContentType 'application/json' -Body (ConvertTo-Json -InputObject $Settings -Depth 8 -Compress)
}
