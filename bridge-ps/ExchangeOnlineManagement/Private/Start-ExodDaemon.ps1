function Start-ExodDaemon {
    <#
    .SYNOPSIS
    Makes sure an exod daemon listens on a socket, starting one if needed.

    .DESCRIPTION
    Runs `exod start`, which returns at once when a daemon answers and
    otherwise starts a detached one and waits until it answers. Concurrent
    callers are safe: exod's lock file lets exactly one daemon survive.

    .PARAMETER SocketPath
    The socket the daemon must listen on; passed explicitly so the daemon
    started is the one this module connects to.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [string] $SocketPath
    )

    Write-Verbose "Starting exod on $SocketPath"
    Invoke-ExodCli -ArgumentList 'start', '--socket', $SocketPath | Write-Verbose
}
