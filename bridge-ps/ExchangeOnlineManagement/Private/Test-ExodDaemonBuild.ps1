function Test-ExodDaemonBuild {
    <#
    .SYNOPSIS
    Warns when the daemon that answers is not this module's exod build.

    .DESCRIPTION
    The module only starts exod when nothing answers, so after an upgrade or
    a rebuild the old daemon keeps serving until it is stopped. Called once
    per session, on the first call that reaches a daemon. It only warns:
    stopping the daemon would drop the connections it holds.
    #>
    [CmdletBinding()]
    param()

    $status = Invoke-ExodUnary -Method '/exo.v1.DaemonService/GetStatus' -Body @{}
    $property = $status.PSObject.Properties['executable']
    $mine = [System.IO.Path]::GetFullPath((Get-ExodExecutable))
    $stop = "Stop it with '$mine stop' (its connections are lost) so that the next command starts this module's daemon."
    if (-not $property -or -not $property.Value) {
        Write-Warning "The exod daemon (pid $($status.pid)) is an older build than this module's. $stop"
    } elseif ($property.Value -ne $mine) {
        Write-Warning "The exod daemon (pid $($status.pid)) runs '$($property.Value)', not this module's '$mine'. $stop"
    } elseif ([System.IO.File]::GetLastWriteTimeUtc($mine) -gt [datetimeoffset]::Parse($status.startTime).UtcDateTime) {
        Write-Warning "The exod daemon (pid $($status.pid)) started before '$mine' was rebuilt or upgraded, so it runs the old build. $stop"
    }
}
