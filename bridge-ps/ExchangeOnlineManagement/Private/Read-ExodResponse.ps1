function Read-ExodResponse {
    <#
    .SYNOPSIS
    Emits the messages of a gRPC response as they arrive, then checks its status.

    .DESCRIPTION
    Each message is emitted as a PSCustomObject (from proto3 JSON) the moment
    its frame is read. A non-OK gRPC status, or a response that is not gRPC,
    becomes a terminating error.

    .PARAMETER Response
    The response, with its headers read and its body not yet.

    .PARAMETER Method
    The gRPC method path, for error messages.

    .PARAMETER CancellationToken
    Cancels the pending read when the caller stops.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)]
        [System.Net.Http.HttpResponseMessage] $Response,

        [Parameter(Mandatory)]
        [string] $Method,

        [Parameter(Mandatory)]
        [System.Threading.CancellationToken] $CancellationToken
    )

    if ($Response.StatusCode -ne [System.Net.HttpStatusCode]::OK) {
        throw (New-ExodRpcError -Method $Method -Code 2 -Message "the daemon answered HTTP $([int]$Response.StatusCode) instead of a gRPC response")
    }
    # A trailers-only response (usually an error) has its status in the
    # headers and no body.
    $status = Get-ExodGrpcStatus -Headers $Response.Headers
    if (-not $status) {
        $content = Wait-ExodTask -Task $Response.Content.ReadAsStreamAsync($CancellationToken)
        while ($null -ne ($json = Read-ExodGrpcMessage -Stream $content -CancellationToken $CancellationToken)) {
            ConvertFrom-Json -InputObject $json
        }
        $status = Get-ExodGrpcStatus -Headers $Response.TrailingHeaders
    }
    if (-not $status) {
        throw (New-ExodRpcError -Method $Method -Code 13 -Message 'the daemon ended the call without a gRPC status')
    }
    if ($status.Code -ne 0) {
        throw (New-ExodRpcError -Method $Method -Code $status.Code -Message $status.Message -Details $status)
    }
}
