# End-to-end tests of the PowerShell bridge: module, transport, daemon
# auto-start, cancellation and socket security. Every Describe block runs its
# own daemon on a private temporary socket and stops it afterwards; tests that
# depend on process boundaries run in fresh `pwsh -NoProfile -NonInteractive`
# child processes.

BeforeDiscovery {
    $isRoot = (& id -u) -eq '0'
    $hasSetpriv = [bool](Get-Command setpriv -CommandType Application -ErrorAction SilentlyContinue)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $exod = Join-Path $RepoRoot 'bridge-ps' 'ExchangeOnlineManagement' 'bin' 'exod'
    if (-not $env:EXOD_PATH -and -not (Test-Path $exod)) { throw "exod is not built: run 'make build' first ($exod)." }
    $savedSocket = $env:EXOD_SOCKET
}

AfterAll {
    $env:EXOD_SOCKET = $savedSocket
    Remove-Module ExchangeOnlineManagement -ErrorAction SilentlyContinue
}

Describe 'Module' {
    BeforeAll { $socket = New-TestSocket }
    AfterAll { Remove-TestSocket -Socket $socket }

    It 'has a manifest for the 3.7.2 surface on PowerShell 7.4+ Core' {
        $manifest = Import-PowerShellDataFile $ModuleManifest
        $manifest.ModuleVersion | Should -Be '3.7.2'
        $manifest.PowerShellVersion | Should -Be '7.4'
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        $manifest.CmdletsToExport.Count + $manifest.AliasesToExport.Count + $manifest.VariablesToExport.Count | Should -Be 0
    }

    It 'imports in a fresh process without touching the daemon and exports only the public functions' {
        # A missing binary proves that import runs no exod command; the first
        # call then fails with a message that says what to do.
        $result = Invoke-TestPwsh -Environment @{ EXOD_PATH = '/nonexistent/exod' } -Script @'
$exported = @((Get-Module ExchangeOnlineManagement).ExportedFunctions.Keys | Sort-Object)
try { Get-ExodVersion; $message = 'no error' } catch { $message = "$_" }
@{ Exported = $exported; Message = $message } | ConvertTo-Json -Compress
'@
        $result.Exported | Should -Be @('Connect-ExchangeOnline', 'Connect-IPPSSession', 'Disconnect-ExchangeOnline', 'Get-ConnectionInformation',
            'Get-EXOCasMailbox', 'Get-ExodStatus', 'Get-ExodVersion', 'Get-EXOMailbox', 'Get-EXOMailboxFolderPermission',
            'Get-EXOMailboxFolderStatistics', 'Get-EXOMailboxPermission', 'Get-EXOMailboxStatistics', 'Get-EXOMobileDeviceStatistics',
            'Get-EXORecipient', 'Get-EXORecipientPermission', 'Watch-ExodHeartbeat')
        $result.Message | Should -BeLike "*exod daemon binary was not found at '/nonexistent/exod'*EXOD_PATH*"
        Test-Path $socket | Should -BeFalse
    }

    It 'has comment-based help with a synopsis and an example for every public function' {
        Import-Module $ModuleManifest -Force
        foreach ($name in (Get-Module ExchangeOnlineManagement).ExportedFunctions.Keys) {
            $help = Get-Help $name -Full
            $help.Synopsis | Should -Not -BeLike "*$name*" -Because "$name needs a .SYNOPSIS"
            @($help.Examples.Example).Count | Should -BeGreaterThan 0 -Because "$name needs an .EXAMPLE"
        }
    }
}

Describe 'Daemon auto-start and reuse' {
    BeforeAll { $socket = New-TestSocket }
    AfterAll { Remove-TestSocket -Socket $socket }

    It 'starts the daemon on the first call and returns the version object' {
        Get-TestDaemonId -Socket $socket | Should -BeNullOrEmpty
        $version = Invoke-TestPwsh -Script @'
$v = Get-ExodVersion
@{ TypeName = $v.PSObject.TypeNames[0]; Version = $v.Version; ApiVersion = $v.ApiVersion; ModuleSurface = $v.ModuleSurface } | ConvertTo-Json -Compress
'@
        $version.TypeName | Should -Be 'Exod.Version'
        $version.Version | Should -Match '^\d+\.\d+\.\d+'
        $version.ApiVersion | Should -Be 'exo.v1'
        $version.ModuleSurface | Should -Be '3.7.2'
        @(Get-TestDaemonId -Socket $socket).Count | Should -Be 1
    }

    It 'lets a second PowerShell process reuse the running daemon' {
        $first = Invoke-TestPwsh -Script 'Get-ExodStatus | ConvertTo-Json -Compress'
        $second = Invoke-TestPwsh -Script 'Get-ExodStatus | ConvertTo-Json -Compress'
        $second.Pid | Should -Be $first.Pid
        $second.StartTime | Should -Be $first.StartTime
    }

    It 'restarts a killed daemon on the next call, with a warning' {
        $result = Invoke-TestPwsh -Script @'
$before = Get-ExodStatus
Stop-Process -Id $before.Pid -Force # SIGKILL: no chance to clean up
# The signal is asynchronous: wait until the daemon is gone or a zombie, so
# the next call cannot reach it half-dead.
$stat = "/proc/$($before.Pid)/stat"
while ((Test-Path $stat) -and (Get-Content $stat -ErrorAction SilentlyContinue) -notmatch '\) Z ') { Start-Sleep -Milliseconds 10 }
$after = Get-ExodStatus -WarningVariable warnings -WarningAction SilentlyContinue
@{ Before = $before.Pid; After = $after.Pid; Warnings = @($warnings | ForEach-Object { "$_" }) } | ConvertTo-Json -Compress
'@
        $result.After | Should -Not -Be $result.Before
        $result.Warnings.Count | Should -Be 1
        $result.Warnings[0] | Should -BeLike 'The exod daemon was not running (it may have been stopped or killed); started a new one.*connections are gone and must be made again.'
        Get-TestDaemonId -Socket $socket | Should -Be @($result.After)
    }
}

Describe 'Daemon build check' {
    BeforeAll {
        $socket = New-TestSocket
        # Another build of exod: a copy at another path.
        $other = Join-Path ([System.IO.Path]::GetDirectoryName($socket)) 'exod-other'
        Copy-Item (Join-Path $RepoRoot 'bridge-ps' 'ExchangeOnlineManagement' 'bin' 'exod') $other
    }
    AfterAll { Remove-TestSocket -Socket $socket }

    It 'warns on the first call when the running daemon is not the module''s build' {
        & $other start --socket $socket | Out-Null
        $said = Invoke-TestPwsh -Script @'
$null = Get-ExodVersion -WarningVariable first
$null = Get-ExodVersion -WarningVariable second
@{ First = "$first"; Second = "$second" } | ConvertTo-Json -Compress
'@
        $said.First | Should -BeLike "*runs '$other', not this module's*exod stop*"
        $said.Second | Should -BeNullOrEmpty -Because 'the check runs once per session'
    }

    It 'warns when the module''s binary changed after the daemon started' {
        [System.IO.File]::SetLastWriteTimeUtc($other, [datetime]::UtcNow.AddMinutes(5))
        $said = Invoke-TestPwsh -Environment @{ EXOD_PATH = $other } -Script @'
$null = Get-ExodVersion -WarningVariable w
@{ Warning = "$w" } | ConvertTo-Json -Compress
'@
        $said.Warning | Should -BeLike '*started before*was rebuilt or upgraded*'
    }
}

Describe 'Concurrent daemon start' {
    BeforeAll { $socket = New-TestSocket }
    AfterAll { Remove-TestSocket -Socket $socket }

    It 'leaves exactly one daemon when two processes start it at the same time' {
        # Both children import the module, then wait at a gate so that their
        # first calls, and so their `exod start`, race.
        $gate = Join-Path (Split-Path $socket) 'gate'
        $script = "while (-not (Test-Path '$gate')) { Start-Sleep -Milliseconds 5 }; Get-ExodStatus | ConvertTo-Json -Compress"
        $children = @(Start-TestPwsh -Script $script; Start-TestPwsh -Script $script)
        Start-Sleep -Milliseconds 300
        Get-TestDaemonId -Socket $socket | Should -BeNullOrEmpty
        New-Item -ItemType File -Path $gate | Out-Null

        $results = foreach ($child in $children) { Wait-TestPwsh -Process $child }
        foreach ($result in $results) { $result.ExitCode | Should -Be 0 -Because $result.Error }
        $pids = @($results | ForEach-Object { ($_.Output[-1] | ConvertFrom-Json).Pid })
        $pids[1] | Should -Be $pids[0]
        # The losing `exod serve` exits as soon as it finds the lock taken.
        Wait-TestCondition { @(Get-TestDaemonId -Socket $socket).Count -eq 1 } | Should -BeTrue
        Get-TestDaemonId -Socket $socket | Should -Be @($pids[0])
    }
}

Describe 'Cancellation' {
    BeforeAll {
        $socket = New-TestSocket
        Import-Module $ModuleManifest -Force
        $null = Get-ExodStatus # start the daemon
    }
    AfterAll { Remove-TestSocket -Socket $socket }

    It 'Ctrl+C (SIGINT) on a PowerShell process cancels its streaming call on the daemon' {
        $before = Get-ExodStatus
        $child = Start-TestPwsh -Script 'Watch-ExodHeartbeat -Count 0 -Interval 00:00:00.05 | ForEach-Object { "beat $($_.Sequence)" }'
        try {
            foreach ($n in 1..3) {
                $line = $child.StandardOutput.ReadLineAsync()
                $line.Wait(30000) | Should -BeTrue -Because 'the child streams heartbeats'
                $line.Result | Should -Be "beat $n"
            }
            (Get-ExodStatus).CallsInFlight | Should -Be 2 -Because 'the stream and this call are running'
            & (Get-Command kill -CommandType Application | Select-Object -First 1) -s INT $child.Id
            $child.WaitForExit(10000) | Should -BeTrue -Because 'Ctrl+C stops the pipeline'
        } finally {
            if (-not $child.HasExited) { $child.Kill() }
        }
        Wait-TestCondition { (Get-ExodStatus).CallsInFlight -eq 1 } | Should -BeTrue
        (Get-ExodStatus).CallsCancelled | Should -Be ($before.CallsCancelled + 1)
    }

    It 'stopping a pipeline resets the HTTP/2 stream while the connection stays open' {
        # Unlike a process exit, PowerShell.Stop() keeps the runspace and its
        # connection alive, so only the module's clean block can tell the
        # daemon.
        $before = Get-ExodStatus
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$ModuleManifest'; Watch-ExodHeartbeat -Count 0 -Interval 00:00:00.05")
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $null = $shell.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]$null, $output)
            Wait-TestCondition { $output.Count -ge 2 } -TimeoutMilliseconds 30000 | Should -BeTrue
            $shell.Stop()
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
            Wait-TestCondition { (Get-ExodStatus).CallsInFlight -eq 1 } | Should -BeTrue
            (Get-ExodStatus).CallsCancelled | Should -Be ($before.CallsCancelled + 1)
        } finally {
            $shell.Dispose()
        }
    }

    It 'Select-Object -First ends an endless stream and cancels it on the daemon' {
        $before = Get-ExodStatus
        $beats = Watch-ExodHeartbeat -Count 0 -Interval 00:00:00.02 | Select-Object -First 2
        $beats.Sequence | Should -Be @(1, 2)
        Wait-TestCondition { (Get-ExodStatus).CallsInFlight -eq 1 } | Should -BeTrue
        (Get-ExodStatus).CallsCancelled | Should -Be ($before.CallsCancelled + 1)
    }
}

Describe 'Errors' {
    BeforeAll {
        $socket = New-TestSocket
        Import-Module $ModuleManifest -Force
        $module = Get-Module ExchangeOnlineManagement
    }
    AfterAll { Remove-TestSocket -Socket $socket }

    It 'turns a gRPC status into a terminating error that names the status' {
        $failure = { & $module { Invoke-ExodUnary -Method '/exo.v1.DaemonService/NoSuchMethod' } } |
            Should -Throw -PassThru 'Unimplemented: *NoSuchMethod*'
        $failure.FullyQualifiedErrorId | Should -BeLike 'ExodUnimplemented*'
        $failure.CategoryInfo.Category | Should -Be 'NotImplemented'
        $failure.Exception.Data['GrpcStatusCode'] | Should -Be 12
    }

    It 'reports the daemon''s message for an invalid argument' {
        { & $module { Invoke-ExodStream -Method '/exo.v1.DaemonService/WatchHeartbeat' -Body @{ count = -1 } } } |
            Should -Throw 'InvalidArgument: count must be 0*'
    }
}

Describe 'Socket security' {
    BeforeAll {
        $socket = New-TestSocket
        Import-Module $ModuleManifest -Force
        $null = Get-ExodStatus
        # perl-base is part of every Debian system, unlike python3 or socat.
        $connect = @'
use Socket;
socket(my $s, AF_UNIX, SOCK_STREAM, 0) or die "socket: $!";
connect($s, pack_sockaddr_un($ARGV[0])) or do { print "connect failed: $!\n"; exit 2 };
syswrite($s, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" . pack("C9", 0, 0, 0, 4, 0, 0, 0, 0, 0));
if (!sysread($s, my $buf, 64)) { print "closed by daemon\n"; exit 3 }
print "answered\n"; exit 0;
'@
        function Invoke-Connect {
            param([switch] $AsNobody)
            $command = @('perl', '-e', $connect, $socket)
            if ($AsNobody) { $command = @('setpriv', '--reuid=65534', '--regid=65534', '--clear-groups') + $command }
            $output = & $command[0] @($command | Select-Object -Skip 1)
            @{ ExitCode = $LASTEXITCODE; Output = "$output" }
        }
    }
    AfterAll { Remove-TestSocket -Socket $socket }

    It 'keeps the socket 0600 in a 0700 directory' {
        & stat -c %a $socket | Should -Be '600'
        & stat -c %a (Split-Path $socket) | Should -Be '700'
    }

    It 'answers the owner' {
        (Invoke-Connect).Output | Should -Be 'answered'
    }

    It 'refuses another user at the directory' -Skip:(-not ($isRoot -and $hasSetpriv)) {
        $result = Invoke-Connect -AsNobody
        $result.ExitCode | Should -Be 2
        $result.Output | Should -BeLike 'connect failed: Permission denied*'
    }

    It 'refuses another user at the daemon even when the file modes are loosened' -Skip:(-not ($isRoot -and $hasSetpriv)) {
        # The daemon checks the peer's uid on every connection, so a
        # directory someone opened up still lets nobody else in.
        $dir = Split-Path $socket
        try {
            & chmod 711 $dir
            & chmod 666 $socket
            $result = Invoke-Connect -AsNobody
        } finally {
            & chmod 700 $dir
            & chmod 600 $socket
        }
        $result.ExitCode | Should -Be 3
        $result.Output | Should -Be 'closed by daemon'
    }
}

Describe 'Get-ExodVersion' {
    BeforeAll {
        $socket = New-TestSocket
        Import-Module $ModuleManifest -Force
    }
    AfterAll { Remove-TestSocket -Socket $socket }

    It 'returns the daemon build that `exod version` reports' {
        $version = Get-ExodVersion
        $version.PSObject.TypeNames[0] | Should -Be 'Exod.Version'
        $version.PSObject.Properties.Name | Should -Be @('Version', 'Commit', 'GoVersion', 'ApiVersion', 'ModuleSurface')
        $cli = & (& (Get-Module ExchangeOnlineManagement) { Get-ExodExecutable }) version
        $cli[0] | Should -Be "exod $($version.Version)"
        $cli[1] | Should -Be "commit $($version.Commit)"
        $cli[2] | Should -Be $version.GoVersion
    }
}

Describe 'Get-ExodStatus' {
    BeforeAll {
        $socket = New-TestSocket
        Import-Module $ModuleManifest -Force
    }
    AfterAll { Remove-TestSocket -Socket $socket }

    It 'returns typed process facts and counters' {
        # The first call of a session also checks the daemon's build; warm up
        # so the counter comparison below sees exactly one more call.
        $null = Get-ExodStatus
        $status = Get-ExodStatus
        $status.PSObject.TypeNames[0] | Should -Be 'Exod.Status'
        $status.Pid | Should -BeOfType [long]
        $status.Pid | Should -Be (Get-TestDaemonId -Socket $socket)
        $status.StartTime | Should -BeOfType [datetime]
        $status.StartTime | Should -BeLessOrEqual (Get-Date)
        $status.StartTime | Should -BeGreaterThan (Get-Date).AddMinutes(-5)
        $status.SocketPath | Should -Be $socket
        foreach ($counter in 'CallsStarted', 'CallsInFlight', 'CallsCancelled') {
            $status.$counter | Should -BeOfType [long]
        }
        $status.CallsInFlight | Should -Be 1 -Because 'this call counts itself'
        (Get-ExodStatus).CallsStarted | Should -Be ($status.CallsStarted + 1)
    }
}

Describe 'Watch-ExodHeartbeat' {
    BeforeAll {
        $socket = New-TestSocket
        Import-Module $ModuleManifest -Force
        $null = Get-ExodStatus
    }
    AfterAll { Remove-TestSocket -Socket $socket }

    It 'returns Count numbered heartbeats' {
        $beats = @(Watch-ExodHeartbeat -Count 3 -Interval 00:00:00.02)
        $beats.Sequence | Should -Be @(1, 2, 3)
        $beats[0].PSObject.TypeNames[0] | Should -Be 'Exod.Heartbeat'
        $beats[0].Time | Should -BeOfType [datetime]
        $beats[2].Time | Should -BeGreaterThan $beats[0].Time
    }

    It 'writes each heartbeat to the pipeline as it arrives' {
        # The daemon sends the first heartbeat at once and the fourth 1.5 s
        # later; a client that buffered the stream would see all four at the end.
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $arrivals = Watch-ExodHeartbeat -Count 4 -Interval 00:00:00.5 | ForEach-Object { $clock.Elapsed.TotalSeconds }
        $arrivals.Count | Should -Be 4
        $arrivals[-1] - $arrivals[0] | Should -BeGreaterThan 1.2
    }

    It 'rejects an interval under one millisecond before calling the daemon' {
        { Watch-ExodHeartbeat -Count 1 -Interval 0 } | Should -Throw '*at least one millisecond*'
    }
}
