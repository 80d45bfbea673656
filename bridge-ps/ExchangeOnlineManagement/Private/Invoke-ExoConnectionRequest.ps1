function Invoke-ExoConnectionRequest {
    <#
    .SYNOPSIS
    Runs a Connect call on the daemon and handles its events; returns the
    Connection message.

    .DESCRIPTION
    Prompts (a device code, for example) go to the host as they arrive, a
    sign-in page opens in the browser (Open-ExoSignInPage), the banner goes
    to the host in yellow unless ShowBanner is off, and the connection ends
    the call.

    .PARAMETER Request
    The ConnectRequest built by New-ExoConnectionRequest.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)]
        [System.Collections.IDictionary] $Request
    )

    $connection = $null
    # A pipeline, not foreach: foreach would collect the whole stream first,
    # and a device-code prompt must reach the user while the daemon waits.
    Invoke-ExodStream -Method '/exo.v1.ConnectionService/Connect' -Body $Request | ForEach-Object {
        $message = $_
        if ($message.PSObject.Properties['prompt']) {
            Write-Host $message.prompt
        } elseif ($message.PSObject.Properties['openUrl']) {
            Open-ExoSignInPage -Url $message.openUrl
        } elseif ($message.PSObject.Properties['banner']) {
            if ($Request.showBanner) { Write-Host $message.banner -ForegroundColor Yellow }
        } elseif ($message.PSObject.Properties['connection']) {
            $connection = $message.connection
        }
    }
    if (-not $connection) {
        throw (New-ExodRpcError -Method '/exo.v1.ConnectionService/Connect' -Code 13 -Message 'the daemon ended the Connect call without a connection')
    }
    $connection
}
