function Get-ExoClientSession {
    <#
    .SYNOPSIS
    Returns the id that tells the daemon which PowerShell process a
    connection belongs to.

    .DESCRIPTION
    "<process id>-<process start time in UTC ticks>": stable for the life of
    this process and never reused by a later process with the same id. It is
    computed once per module instance; every runspace of the process computes
    the same value, so runspaces (ForEach-Object -Parallel, runspace pools)
    share their connections without signing in again.

    Other processes cannot see these connections. Processes opt in to sharing
    explicitly by setting $env:EXOD_CLIENT_SESSION to the same name: the
    connections made under that name belong to every process of this user
    that uses it (the daemon's socket is the user's alone).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()

    if ($env:EXOD_CLIENT_SESSION) {
        return "shared:$env:EXOD_CLIENT_SESSION"
    }
    $session = Get-Variable -Name ExoClientSession -Scope Script -ValueOnly -ErrorAction Ignore
    if (-not $session) {
        $process = [System.Diagnostics.Process]::GetCurrentProcess()
        $session = '{0}-{1}' -f $process.Id, $process.StartTime.ToUniversalTime().Ticks
        $script:ExoClientSession = $session
    }
    $session
}
