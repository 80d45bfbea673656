function Open-ExodCall {
    <#
    .SYNOPSIS
    Starts a call on the daemon, starting the daemon first if none answers.

    .DESCRIPTION
    Resolves the socket, sends the request and returns the response once its
    headers arrived. When the socket cannot be reached, runs `exod start` and
    sends the request once more; this is safe because a connect failure means
    the first request never reached a daemon. If a daemon had answered
    earlier in this session, a warning says that it went away, because
    whatever it held for this session (connections) is gone.

    .PARAMETER Method
    The gRPC method path, for example /exo.v1.DaemonService/GetVersion.

    .PARAMETER Frame
    The request message as a gRPC frame.

    .PARAMETER CancellationToken
    Cancels the call.
    #>
    [CmdletBinding()]
    [OutputType([System.Net.Http.HttpResponseMessage])]
    param(
        [Parameter(Mandatory)]
        [string] $Method,

        [Parameter(Mandatory)]
        [byte[]] $Frame,

        [Parameter(Mandatory)]
        [System.Threading.CancellationToken] $CancellationToken
    )

    $socketPath = Resolve-ExodSocketPath
    $send = @{ Client = Get-ExodHttpClient -SocketPath $socketPath; Method = $Method; Frame = $Frame; CancellationToken = $CancellationToken }
    try {
        $response = Send-ExodHttpRequest @send
    } catch {
        if (-not (Test-ExodConnectFailure -Exception $_.Exception)) { throw }
        Write-Verbose "exod is not answering on ${socketPath}: $($_.Exception.Message)"
        Start-ExodDaemon -SocketPath $socketPath
        if ($script:ExodDaemonAnswered) {
            Write-Warning 'The exod daemon was not running (it may have been stopped or killed); started a new one. Connections signed in as a user come back from its token cache; app-only, -AccessToken and -ManagedIdentity connections are gone and must be made again.'
        }
        $response = Send-ExodHttpRequest @send
    }
    if (-not $script:ExodDaemonAnswered) {
        # Set first: the check itself is a call that comes through here.
        $script:ExodDaemonAnswered = $true
        Test-ExodDaemonBuild
    }
    $response
}
