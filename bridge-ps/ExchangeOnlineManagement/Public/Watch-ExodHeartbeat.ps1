function Watch-ExodHeartbeat {
    <#
    .SYNOPSIS
    Streams heartbeats from the exod daemon as they arrive.

    .DESCRIPTION
    Asks the daemon for a heartbeat every Interval and writes each one to the
    pipeline the moment it arrives. It proves streaming and cancellation end
    to end: press Ctrl+C, or stop the pipeline early, and the daemon sees the
    call cancelled.

    .PARAMETER Count
    How many heartbeats to receive. 0, the default, means until stopped.

    .PARAMETER Interval
    The time between heartbeats; at least one millisecond. The default is one
    second.

    .EXAMPLE
    Watch-ExodHeartbeat -Count 3 -Interval 00:00:00.2

    Writes three heartbeats, 200 ms apart.

    .EXAMPLE
    Watch-ExodHeartbeat | Select-Object -First 5

    Writes five heartbeats a second apart, then cancels the call.

    .OUTPUTS
    Exod.Heartbeat: Sequence (from 1) and Time (when the daemon sent it, in
    local time).
    #>
    [CmdletBinding()]
    [OutputType('Exod.Heartbeat')]
    param(
        [ValidateRange(0, [long]::MaxValue)]
        [long] $Count = 0,

        [ValidateScript({ $_ -ge [timespan]::FromMilliseconds(1) }, ErrorMessage = 'The interval must be at least one millisecond.')]
        [timespan] $Interval = [timespan]::FromSeconds(1)
    )

    $body = @{ count = $Count; interval = ConvertTo-ExodDuration -TimeSpan $Interval }
    try {
        Invoke-ExodStream -Method '/exo.v1.DaemonService/WatchHeartbeat' -Body $body | ForEach-Object {
            [pscustomobject]@{
                PSTypeName = 'Exod.Heartbeat'
                Sequence   = [long]$_.sequence
                Time       = ConvertFrom-ExodTimestamp -Value $_.time
            }
        }
    } catch {
        $PSCmdlet.ThrowTerminatingError($_)
    }
}
