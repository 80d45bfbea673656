function Send-ExodHttpRequest {
    <#
    .SYNOPSIS
    Sends one gRPC request over HTTP/2 and returns the response once its
    headers have arrived.

    .DESCRIPTION
    ResponseHeadersRead returns before the body, so a streaming call's
    messages can be read one by one as the daemon sends them.

    .PARAMETER Client
    The module's HttpClient.

    .PARAMETER Method
    The gRPC method path, for example /exo.v1.DaemonService/GetVersion.

    .PARAMETER Frame
    The request message as a gRPC frame.

    .PARAMETER CancellationToken
    Cancels the call; on HTTP/2 this resets the stream, which cancels the
    call on the daemon.
    #>
    [CmdletBinding()]
    [OutputType([System.Net.Http.HttpResponseMessage])]
    param(
        [Parameter(Mandatory)]
        [System.Net.Http.HttpClient] $Client,

        [Parameter(Mandatory)]
        [string] $Method,

        [Parameter(Mandatory)]
        [byte[]] $Frame,

        [Parameter(Mandatory)]
        [System.Threading.CancellationToken] $CancellationToken
    )

    # The host is never resolved (ConnectCallback dials the socket) but
    # HTTP/2 still sends it as :authority.
    $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::Post, "http://localhost$Method")
    # A hand-built request ignores the client's DefaultRequestVersion.
    $request.Version = [System.Net.HttpVersion]::Version20
    $request.VersionPolicy = [System.Net.Http.HttpVersionPolicy]::RequestVersionExact
    $request.Content = [System.Net.Http.ByteArrayContent]::new($Frame)
    $request.Content.Headers.ContentType = [System.Net.Http.Headers.MediaTypeHeaderValue]::new('application/grpc+json')
    $null = $request.Headers.TryAddWithoutValidation('te', 'trailers')
    Wait-ExodTask -Task $Client.SendAsync($request, [System.Net.Http.HttpCompletionOption]::ResponseHeadersRead, $CancellationToken)
}
