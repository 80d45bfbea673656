function Invoke-ExodStream {
    <#
    .SYNOPSIS
    Calls a daemon method and emits each response message as it arrives.

    .DESCRIPTION
    Works for server-streaming and unary methods alike; see Read-ExodResponse
    for how messages and statuses are handled. A connection that fails, or
    breaks during the call, becomes an Unavailable error and is not retried,
    since the daemon may have run the call. When the caller stops early
    (Ctrl+C, Select-Object -First) the clean block cancels the request and
    disposes the response, which resets the HTTP/2 stream, so the daemon sees
    the call cancelled and stops working on it.

    .PARAMETER Method
    The gRPC method path, for example /exo.v1.DaemonService/WatchHeartbeat.

    .PARAMETER Body
    The request message, with proto3 JSON (lowerCamelCase) field names.

    .EXAMPLE
    Invoke-ExodStream -Method '/exo.v1.DaemonService/WatchHeartbeat' -Body @{ count = 3; interval = '0.1s' }
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)]
        [string] $Method,

        [System.Collections.IDictionary] $Body = @{}
    )

    begin {
        $cancel = $null
        $response = $null
    }

    process {
        $cancel = [System.Threading.CancellationTokenSource]::new()
        try {
            $response = Open-ExodCall -Method $Method -Frame (ConvertTo-ExodGrpcFrame -Body $Body) -CancellationToken $cancel.Token
            Read-ExodResponse -Response $response -Method $Method -CancellationToken $cancel.Token
        } catch [System.Net.Http.HttpRequestException], [System.IO.IOException] {
            throw (New-ExodRpcError -Method $Method -Code 14 -Message "the connection to the exod daemon failed: $($_.Exception.GetBaseException().Message)")
        }
    }

    clean {
        # Runs after success, failure and stops alike. Cancelling a finished
        # call is harmless; cancelling a running one tells the daemon.
        if ($cancel) {
            $cancel.Cancel()
            $cancel.Dispose()
        }
        if ($response) { $response.Dispose() }
    }
}
