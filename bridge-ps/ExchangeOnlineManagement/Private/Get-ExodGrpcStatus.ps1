function Get-ExodGrpcStatus {
    <#
    .SYNOPSIS
    Reads a gRPC status (grpc-status, grpc-message and the google.rpc error
    details) from response headers.

    .DESCRIPTION
    gRPC sends the status in the trailers after the body, or in the headers
    of a "trailers-only" response that has no body (typical for errors).
    Returns $null when the headers carry no status, else a hashtable with
    Code and Message, and, when the daemon described the error
    (grpc-status-details-bin, docs/errors.md): Reason and Domain of its
    ErrorInfo, Metadata (a hashtable), RetryAfter (a TimeSpan, from
    RetryInfo) and FieldViolations (@{ Field; Description } from BadRequest).
    The details are a serialized google.rpc.Status; the module loads no
    protobuf assembly, so the few fields it needs are read here.

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
    $status = @{ Code = [int]@($values)[0]; Message = $message }
    $encoded = $null
    if (-not $Headers.TryGetValues('grpc-status-details-bin', [ref]$encoded)) { return $status }

    # Protobuf wire format: each field is a varint key (number << 3 | wire
    # type) then a varint (type 0) or a length-prefixed byte string (type 2).
    $readFields = {
        param([byte[]] $Bytes)
        $i = 0
        $varint = {
            $v = [uint64]0
            $shift = 0
            do {
                $b = $Bytes[$i]
                $i++
                $v = $v -bor ([uint64]($b -band 0x7F) -shl $shift)
                $shift += 7
            } while ($b -band 0x80)
            $v
        }
        while ($i -lt $Bytes.Length) {
            $key = . $varint
            $number = [int]($key -shr 3)
            switch ([int]($key -band 7)) {
                0 { [pscustomobject]@{ Number = $number; Value = (. $varint) } }
                1 { $i += 8 }
                2 {
                    $length = [int](. $varint)
                    $slice = [byte[]]::new($length)
                    [System.Array]::Copy($Bytes, $i, $slice, 0, $length)
                    $i += $length
                    [pscustomobject]@{ Number = $number; Value = $slice }
                }
                5 { $i += 4 }
                default { return }
            }
        }
    }
    $text = { param([byte[]] $Bytes) [System.Text.Encoding]::UTF8.GetString($Bytes) }

    try {
        $base64 = (@($encoded)[0]).Trim()
        $base64 = $base64.PadRight($base64.Length + (4 - $base64.Length % 4) % 4, '=')
        $bytes = [System.Convert]::FromBase64String($base64)
        foreach ($detail in (& $readFields $bytes | Where-Object Number -EQ 3)) {
            $any = @(& $readFields $detail.Value)
            $typeUrl = ($any | Where-Object Number -EQ 1 | ForEach-Object { & $text $_.Value }) -join ''
            $value = $any | Where-Object Number -EQ 2 | Select-Object -First 1
            $body = if ($value) { @(& $readFields $value.Value) } else { @() }
            switch -Wildcard ($typeUrl) {
                '*/google.rpc.ErrorInfo' {
                    $status.Metadata = @{}
                    foreach ($f in $body) {
                        switch ($f.Number) {
                            1 { $status.Reason = & $text $f.Value }
                            2 { $status.Domain = & $text $f.Value }
                            3 {
                                $entry = @(& $readFields $f.Value)
                                $k = ($entry | Where-Object Number -EQ 1 | ForEach-Object { & $text $_.Value }) -join ''
                                $v = ($entry | Where-Object Number -EQ 2 | ForEach-Object { & $text $_.Value }) -join ''
                                $status.Metadata[$k] = $v
                            }
                        }
                    }
                }
                '*/google.rpc.RetryInfo' {
                    $delay = $body | Where-Object Number -EQ 1 | Select-Object -First 1
                    if ($delay) {
                        $seconds = [long]0
                        $nanos = [long]0
                        foreach ($f in & $readFields $delay.Value) {
                            if ($f.Number -eq 1) { $seconds = [long]$f.Value }
                            if ($f.Number -eq 2) { $nanos = [long]$f.Value }
                        }
                        $status.RetryAfter = [System.TimeSpan]::FromTicks($seconds * 10000000 + [long]($nanos / 100))
                    }
                }
                '*/google.rpc.BadRequest' {
                    $status.FieldViolations = @(foreach ($f in $body | Where-Object Number -EQ 1) {
                            $violation = @(& $readFields $f.Value)
                            @{
                                Field       = ($violation | Where-Object Number -EQ 1 | ForEach-Object { & $text $_.Value }) -join ''
                                Description = ($violation | Where-Object Number -EQ 2 | ForEach-Object { & $text $_.Value }) -join ''
                            }
                        })
                }
            }
        }
    } catch {
        # Details only refine the error; a status without them still stands.
        Write-Verbose "unreadable grpc-status-details-bin: $($_.Exception.Message)"
    }
    $status
}
