# ExchangeOnlineManagement: a thin client of the exod daemon.
#
# Every command turns its parameters into a gRPC request and sends it to exod
# over a per-user Unix socket (see docs/transport.md). Importing the module
# only defines functions: the daemon is found, and started if need be, on the
# first call, so that Import-Module stays fast. For the same reason this file
# uses no cmdlet outside Microsoft.PowerShell.Core (Join-Path, Get-ChildItem
# and friends would auto-load another module, costing tens of milliseconds).
# The manifest's FunctionsToExport decides what is public.
Set-StrictMode -Version Latest

# State shared by the functions of this module instance. One HttpClient per
# socket path is reused for every call, because HTTP/2 multiplexes all calls
# over one connection. Remove-Module does not dispose it: its connection ends
# with the process or when the client is collected, and an OnRemove handler
# measured ~35 ms of import time.
$script:ExodModuleRoot = $PSScriptRoot
$script:ExodSocket = $null          # @{ Key; Path }: `exod socket-path`, cached per environment
$script:ExodHttp = $null            # @{ SocketPath; Client }: the client for that socket
$script:ExodDaemonAnswered = $false # a daemon answered on the current socket in this session
$script:ExoShowProgress = $false    # Connect-ExchangeOnline -ShowProgress: Get-EXO* progress bars
$script:ExoCommandScripts = @{}     # catalogue sha256 -> @{ Entries; Blocks = @{ prefix -> script block } }

foreach ($folder in 'Private', 'Public') {
    foreach ($file in [System.IO.Directory]::GetFiles("$PSScriptRoot/$folder", '*.ps1')) {
        . $file
    }
}

# -Properties completes from the daemon's catalogue. Registered here rather
# than in an [ArgumentCompleter()] attribute so the completer runs in this
# module's scope, where the private helper lives.
Register-ArgumentCompleter -ParameterName Properties -CommandName 'Get-EXOMailbox', 'Get-EXOCasMailbox', 'Get-EXORecipient', 'Get-EXOMailboxStatistics' -ScriptBlock {
    param($commandName, $parameterName, $wordToComplete)
    Get-ExoPropertyCompletion -Cmdlet $commandName -Word $wordToComplete
}
