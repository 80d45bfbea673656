function ConvertTo-ExodGrpcFrame {
    <#
    .SYNOPSIS
    Encodes a request body as one gRPC message frame with a JSON payload.

    .DESCRIPTION
    A gRPC frame is a compressed flag (always 0 here), the payload length as
    a 4-byte big-endian integer, then the payload: UTF-8 proto3 JSON for the
    daemon's "json" codec.

    .PARAMETER Body
    The request message, with proto3 JSON (lowerCamelCase) field names.
    #>
    [CmdletBinding()]
    [OutputType([byte[]])]
    param(
        [Parameter(Mandatory)]
        [AllowEmptyCollection()]
        [System.Collections.IDictionary] $Body
    )

    $payload = [System.Text.Encoding]::UTF8.GetBytes((ConvertTo-Json -InputObject $Body -Compress -Depth 32))
    $length = $payload.Length
    $frame = [byte[]]::new(5 + $length)
    $frame[1] = ($length -shr 24) -band 0xFF
    $frame[2] = ($length -shr 16) -band 0xFF
    $frame[3] = ($length -shr 8) -band 0xFF
    $frame[4] = $length -band 0xFF
    [System.Array]::Copy($payload, 0, $frame, 5, $length)
    , $frame
}
