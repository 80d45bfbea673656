function Get-ExoClientSession {
    <#
    .SYNOPSIS
    Returns the id that tells the daemon which PowerShell process a
    connection belongs to.

    .DESCRIPTION
    "<process id>-<process start time in UTC ticks>": stable for the life of
    this process and never reused by a later process with the same id. It is
    computed once per module instance; every runspace of the process computes
    the same value, so runspaces share their connections as they do with
    Microsoft's module.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()

    $session = Get-Variable -Name ExoClientSession -Scope Script -ValueOnly -ErrorAction Ignore
    if (-not $session) {
        $process = [System.Diagnostics.Process]::GetCurrentProcess()
        $session = '{0}-{1}' -f $process.Id, $process.StartTime.ToUniversalTime().Ticks
        $script:ExoClientSession = $session
    }
    $session
}
