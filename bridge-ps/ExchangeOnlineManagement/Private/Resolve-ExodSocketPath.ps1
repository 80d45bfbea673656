function Resolve-ExodSocketPath {
    <#
    .SYNOPSIS
    Returns the Unix socket path of the current user's exod daemon.

    .DESCRIPTION
    Asks `exod socket-path`, so the module and the daemon can never disagree
    on the rules. The answer depends only on environment variables, so it is
    cached and asked again only when one of them changes; a change also
    forgets that a daemon answered, since the new path names another daemon.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()

    $key = "$env:EXOD_SOCKET|$env:XDG_RUNTIME_DIR"
    if (-not $script:ExodSocket -or $script:ExodSocket.Key -ne $key) {
        $path = @(Invoke-ExodCli -ArgumentList 'socket-path')[0]
        if (-not $path) { throw "'exod socket-path' printed nothing." }
        $script:ExodSocket = @{ Key = $key; Path = $path.Trim() }
        $script:ExodDaemonAnswered = $false
    }
    $script:ExodSocket.Path
}
