function Open-ExoSignInPage {
    <#
    .SYNOPSIS
    Shows the daemon's interactive sign-in page in the user's browser.

    .DESCRIPTION
    The daemon (MSAL for Go) listens on a loopback redirect; this opens the
    page it names. $env:EXOD_BROWSER names the browser command when set (an
    executable, or a PowerShell command that takes the URL as its only
    argument, which is how tests play the user); otherwise the system's
    default browser: Start-Process on Windows, open on macOS, xdg-open on
    Linux with a display. Throws, suggesting -Device, when there is no
    browser: the redirect comes back to this machine's loopback, so a page
    opened elsewhere could not finish the sign-in.

    .PARAMETER Url
    The sign-in page.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [string] $Url
    )

    $noBrowser = 'No web browser is available to sign in interactively on this machine. Use Connect-ExchangeOnline -Device to sign in with a code on another device.'
    if ($env:EXOD_BROWSER) {
        $browser = Get-Command -Name $env:EXOD_BROWSER -ErrorAction Ignore | Select-Object -First 1
        if (-not $browser) { throw "The browser named by `$env:EXOD_BROWSER was not found: '$env:EXOD_BROWSER'." }
        if ($browser.CommandType -eq 'Application') {
            Start-Process -FilePath $browser.Source -ArgumentList $Url
        } else {
            & $browser $Url
        }
        return
    }
    if ($IsWindows) {
        Start-Process -FilePath $Url
    } elseif ($IsMacOS) {
        & open $Url
    } else {
        $opener = Get-Command -Name xdg-open -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        if (-not $opener -or -not ($env:DISPLAY -or $env:WAYLAND_DISPLAY)) { throw $noBrowser }
        Start-Process -FilePath $opener.Source -ArgumentList $Url
    }
    Write-Host 'A sign-in page has opened in your browser; finish signing in there.'
}
