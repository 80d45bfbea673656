function Read-ExodGrpcMessage {
    <#
    .SYNOPSIS
    Reads the next gRPC message from a response body; $null at the end.

    .DESCRIPTION
    Reads exactly one frame (5-byte header, then the payload) as it arrives,
    so streamed messages reach the pipeline one by one, and returns the
    payload as a JSON string. Returns $null when the body ends between
    frames; a body that ends inside a frame is an error.

    .PARAMETER Stream
    The response body stream.

    .PARAMETER CancellationToken
    Cancels the pending read when the caller stops.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [System.IO.Stream] $Stream,

        [Parameter(Mandatory)]
        [System.Threading.CancellationToken] $CancellationToken
    )

    $header = Read-ExodBytes -Stream $Stream -Count 5 -CancellationToken $CancellationToken
    if ($null -eq $header) { return $null }
    if ($header[0] -ne 0) {
        throw 'The exod daemon sent a compressed gRPC message, which this module never asks for.'
    }
    $length = ([long]$header[1] -shl 24) -bor ([long]$header[2] -shl 16) -bor ([long]$header[3] -shl 8) -bor [long]$header[4]
    $payload = Read-ExodBytes -Stream $Stream -Count $length -CancellationToken $CancellationToken
    if ($null -eq $payload) {
        throw 'The exod daemon ended the response in the middle of a gRPC message.'
    }
    [System.Text.Encoding]::UTF8.GetString($payload)
}
