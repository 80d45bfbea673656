function Get-ExodStatus {
    <#
    .SYNOPSIS
    Gets the exod daemon's process facts and call counters.

    .DESCRIPTION
    Reports the daemon's process id, start time and socket, and how many
    calls it started, is running and saw cancelled by their clients. Starts
    the daemon first if it is not running.

    .EXAMPLE
    Get-ExodStatus

    Pid            : 13629
    StartTime      : 11/28/2026 3:22:19 AM
    SocketPath     : /run/user/1000/exod/exod.sock
    CallsStarted   : 3
    CallsInFlight  : 1
    CallsCancelled : 0

    .EXAMPLE
    Stop-Process -Id (Get-ExodStatus).Pid

    Stops the daemon. The next command starts a new one.

    .OUTPUTS
    Exod.Status: Pid, StartTime (local time), SocketPath, CallsStarted,
    CallsInFlight (this call included), CallsCancelled, ApiVersion (for
    example exo.v1) and ApiReleasedSha256 (the SHA-256 of the released API
    descriptor the daemon serves unchanged).
    #>
    [CmdletBinding()]
    [OutputType('Exod.Status')]
    param()

    try {
        $response = Invoke-ExodUnary -Method '/exo.v1.DaemonService/GetStatus'
    } catch {
        $PSCmdlet.ThrowTerminatingError($_)
    }
    # proto3 JSON carries int64 as strings.
    [pscustomobject]@{
        PSTypeName     = 'Exod.Status'
        Pid            = [long]$response.pid
        StartTime      = ConvertFrom-ExodTimestamp -Value $response.startTime
        SocketPath     = $response.socketPath
        CallsStarted   = [long]$response.callsStarted
        CallsInFlight  = [long]$response.callsInFlight
        CallsCancelled = [long]$response.callsCancelled
        ApiVersion     = $response.apiVersion
        ApiReleasedSha256 = $response.apiReleasedSha256
    }
}
