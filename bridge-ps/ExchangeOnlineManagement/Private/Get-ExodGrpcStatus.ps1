function Get-ExodGrpcStatus {
    <#
    .SYNOPSIS
    Reads a gRPC status (grpc-status, grpc-message) from response headers.

    .DESCRIPTION
    gRPC sends the status in the trailers after the body, or in the headers
    of a "trailers-only" response that has no body (typical for errors).
    Returns @{ Code; Message } or $null when the headers carry no status.

    .PARAMETER Headers
    Response headers or trailing headers.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory)]
        [System.Net.Http.Headers.HttpHeaders] $Headers
    )

    $values = $null
    if (-not $Headers.TryGetValues('grpc-status', [ref]$values)) { return $null }
    $message = ''
    $messages = $null
    if ($Headers.TryGetValues('grpc-message', [ref]$messages)) {
        # grpc-message is percent-encoded UTF-8.
        $message = [System.Uri]::UnescapeDataString(@($messages)[0])
    }
    @{ Code = [int]@($values)[0]; Message = $message }
}
