function Get-ExodVersion {
    <#
    .SYNOPSIS
    Gets the version of the exod daemon that serves this module.

    .DESCRIPTION
    Asks the daemon for its build and API version, starting the daemon first
    if it is not running. Use it to check that the module and its daemon work.

    .EXAMPLE
    Get-ExodVersion

    Version       : 0.1.0
    Commit        : 4e2e533dc819f0d116040710150c125da92e6a87
    GoVersion     : go1.26.8
    ApiVersion    : exo.v1
    ModuleSurface : 3.7.2

    .OUTPUTS
    Exod.Version: Version, Commit, GoVersion, ApiVersion (the newest API
    package served, such as exo.v1) and ModuleSurface (the
    ExchangeOnlineManagement version whose commands the daemon implements).
    #>
    [CmdletBinding()]
    [OutputType('Exod.Version')]
    param()

    try {
        $response = Invoke-ExodUnary -Method '/exo.v1.DaemonService/GetVersion'
    } catch {
        $PSCmdlet.ThrowTerminatingError($_)
    }
    [pscustomobject]@{
        PSTypeName    = 'Exod.Version'
        Version       = $response.version
        Commit        = $response.commit
        GoVersion     = $response.goVersion
        ApiVersion    = $response.apiVersion
        ModuleSurface = $response.moduleSurface
    }
}
