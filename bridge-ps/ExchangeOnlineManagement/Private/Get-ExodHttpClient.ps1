function Get-ExodHttpClient {
    <#
    .SYNOPSIS
    Returns the module's HttpClient for a daemon socket, creating it once.

    .DESCRIPTION
    The client speaks HTTP/2 without TLS from the first byte (h2c "prior
    knowledge"), which is what gRPC servers expect; its connections go to the
    Unix socket instead of a TCP host. It is kept in script scope and reused:
    HTTP/2 multiplexes every call over one connection, so only the first call
    pays for connecting. Asking for another socket replaces the client.

    .PARAMETER SocketPath
    The daemon's Unix socket.
    #>
    [CmdletBinding()]
    [OutputType([System.Net.Http.HttpClient])]
    param(
        [Parameter(Mandatory)]
        [string] $SocketPath
    )

    if ($script:ExodHttp -and $script:ExodHttp.SocketPath -eq $SocketPath) {
        return $script:ExodHttp.Client
    }
    if ($script:ExodHttp) { $script:ExodHttp.Client.Dispose() }

    $handler = [System.Net.Http.SocketsHttpHandler]::new()
    $handler.ConnectCallback = New-ExodConnectCallback -SocketPath $SocketPath
    # Nothing between us and the daemon: an HTTP(S)_PROXY variable must not
    # reroute local calls, and gRPC needs none of redirects, cookies or
    # content decoding.
    $handler.UseProxy = $false
    $handler.AllowAutoRedirect = $false
    $handler.UseCookies = $false
    $handler.AutomaticDecompression = [System.Net.DecompressionMethods]::None

    $client = [System.Net.Http.HttpClient]::new($handler, $true)
    $client.DefaultRequestVersion = [System.Net.HttpVersion]::Version20
    $client.DefaultVersionPolicy = [System.Net.Http.HttpVersionPolicy]::RequestVersionExact
    # Calls can legitimately run for hours (a streamed mailbox export); the
    # user ends them with Ctrl+C, which cancels them on the daemon too.
    $client.Timeout = [System.Threading.Timeout]::InfiniteTimeSpan

    $script:ExodHttp = @{ SocketPath = $SocketPath; Client = $client }
    $client
}
