function Test-ExodConnectFailure {
    <#
    .SYNOPSIS
    Tells whether an exception means the daemon's socket could not be reached.

    .DESCRIPTION
    True only when HttpClient failed to open a connection (socket file
    missing, or nobody listening), so the request cannot have reached the
    daemon and sending it again after starting one is safe. Any failure after
    the request may have been sent returns false: it is never retried.

    .PARAMETER Exception
    The exception to inspect, with its inner exceptions.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param(
        [Parameter(Mandatory)]
        [System.Exception] $Exception
    )

    for ($e = $Exception; $e; $e = $e.InnerException) {
        if ($e -is [System.Net.Http.HttpRequestException]) {
            return $e.HttpRequestError -eq [System.Net.Http.HttpRequestError]::ConnectionError
        }
    }
    $false
}
