function Connect-ExchangeOnline {
    <#
    .SYNOPSIS
    Signs in and connects to Exchange Online.

    .DESCRIPTION
    Drop-in for Microsoft's Connect-ExchangeOnline (3.7.2 surface). The exod
    daemon signs in, keeps the tokens and serves the Exchange cmdlets over the
    REST API; the connection belongs to this PowerShell process and is shown
    by Get-ConnectionInformation.

    The sign-in flow follows from the parameters, as in Microsoft's module:
    -AccessToken; -ManagedIdentity; -AppId with -Certificate,
    -CertificateFilePath or -CertificateThumbprint (app-only); -Credential or
    -InlineCredential (user name and password); -Device (device code);
    otherwise interactive sign-in in the browser.

    $global:EXO_LastExecutionStatus is $true after a successful connection
    and $false after a failure. Set $env:EXOD_TRUSTED_CA to a PEM file to
    trust an extra certificate authority (a test tenant's, for example).

    Interactive sign-in opens the sign-in page in the system browser (or the
    command named by $env:EXOD_BROWSER) and the daemon receives the answer on
    a loopback redirect; with no browser it fails and suggests -Device.

    The connection belongs to this PowerShell process: its runspaces
    (ForEach-Object -Parallel, runspace pools) use it without signing in
    again, and other processes do not see it, unless processes opt in by
    setting $env:EXOD_CLIENT_SESSION to the same name before connecting. A
    restarted daemon signs user connections in again from its token cache;
    app-only, -AccessToken and -ManagedIdentity connections must be made
    again.

    Parameters without a meaning here (-PSSessionOption, -DisableWAM,
    -SkipLoadingCmdletHelp, -SkipLoadingFormatData, -SigningCertificate,
    -FormatTypeName, -LoadCmdletHelp, -BypassMailboxAnchoring,
    -EXOModuleBasePath) are accepted and ignored, so existing scripts run
    unchanged: no module is generated on disk, and the format views ship
    with this module. -UseRPSSession warns: remote PowerShell
    was retired by Microsoft in 2023.

    .PARAMETER ConnectionUri
    The service endpoint; an absolute https URI. Default: the environment's.

    .PARAMETER AzureADAuthorizationEndpointUri
    The Microsoft Entra authority tokens come from. Default: the environment's.

    .PARAMETER ExchangeEnvironmentName
    O365Default (the default), O365GermanyCloud, O365China, O365USGovGCCHigh
    or O365USGovDoD.

    .PARAMETER DelegatedOrganization
    A customer tenant to manage (GDAP/CSP).

    .PARAMETER Prefix
    A noun prefix for the Exchange cmdlets (letters and digits; not EXO).

    .PARAMETER CommandName
    Only these Exchange cmdlets are made available. Default: all.

    .PARAMETER AccessToken
    An OAuth access token the caller already holds.

    .PARAMETER AppId
    The application (client) id for app-only sign-in with a certificate.

    .PARAMETER Certificate
    The app-only certificate, with its private key.

    .PARAMETER CertificateFilePath
    A .pfx file with the app-only certificate; see -CertificatePassword.

    .PARAMETER CertificatePassword
    The password of -CertificateFilePath.

    .PARAMETER CertificateThumbprint
    The thumbprint of an app-only certificate in the user's certificate store.

    .PARAMETER Credential
    A user name and password (no multi-factor authentication).

    .PARAMETER Device
    Signs in with a device code shown here and entered on another device.

    .PARAMETER InlineCredential
    Asks for a user name and password in the console.

    .PARAMETER ManagedIdentity
    Signs in with the Azure managed identity; use with -Organization. The
    daemon uses App Service's endpoint when $env:IDENTITY_ENDPOINT and
    $env:IDENTITY_HEADER are set, else the instance metadata service (IMDS):
    the Azure VM's own, or the token URL in $env:EXOD_IMDS_ENDPOINT.

    .PARAMETER ManagedIdentityAccountId
    The client id of a user-assigned managed identity.

    .PARAMETER Organization
    The tenant's primary onmicrosoft.com domain, for app-only sign-in.

    .PARAMETER PageSize
    The page size of the Get-EXO* cmdlets, 1 to 1000 (default 1000).

    .PARAMETER ShowBanner
    Shows the service banner; -ShowBanner:$false hides it.

    .PARAMETER UseMultithreading
    $false turns off parallel requests in the Get-EXO* cmdlets.

    .PARAMETER UserPrincipalName
    The account to sign in with.

    .PARAMETER UseRPSSession
    Accepted for compatibility; warns and uses the REST API.

    .PARAMETER PSSessionOption
    Accepted for compatibility; ignored.

    .PARAMETER FormatTypeName
    Accepted for compatibility; ignored.

    .PARAMETER BypassMailboxAnchoring
    Accepted for compatibility; ignored.

    .PARAMETER DisableWAM
    Accepted for compatibility; ignored.

    .PARAMETER EnableErrorReporting
    Writes the connection's log; to -LogDirectoryPath, or without it to
    EXOCmdletTelemetry in the temporary directory.

    .PARAMETER LoadCmdletHelp
    Accepted for compatibility; ignored.

    .PARAMETER LogDirectoryPath
    The daemon writes this connection's log to exo-<ConnectionId>.log in
    this directory (sign-in, token renewals, service requests; never a
    password or token).

    .PARAMETER LogLevel
    Default logs information and up; All also logs every service request.

    .PARAMETER ShowProgress
    Shows a progress bar with the count of objects so far while the Get-EXO*
    cmdlets run. Off by default, as in Microsoft's module 3.7.

    .PARAMETER SigningCertificate
    Accepted for compatibility; ignored.

    .PARAMETER SkipLoadingCmdletHelp
    Accepted for compatibility; ignored.

    .PARAMETER SkipLoadingFormatData
    Accepted for compatibility; ignored.

    .PARAMETER TrackPerformance
    Logs the duration of every service request at information level.

    .PARAMETER EXOModuleBasePath
    Accepted for compatibility; ignored.

    .EXAMPLE
    Connect-ExchangeOnline -UserPrincipalName admin@contoso.onmicrosoft.com

    Signs in interactively in the browser.

    .EXAMPLE
    Connect-ExchangeOnline -AppId $appId -CertificateFilePath ./app.pfx -CertificatePassword $pw -Organization contoso.onmicrosoft.com

    Signs in as an application with a certificate.

    .EXAMPLE
    Connect-ExchangeOnline -Device

    Shows a code to enter at the device login page on another device.
    #>
    [CmdletBinding(PositionalBinding = $false)]
    param(
        [Parameter(Position = 0)]
        [string] $ConnectionUri = '',

        [Parameter(Position = 1)]
        [string] $AzureADAuthorizationEndpointUri = '',

        [Parameter(Position = 2)]
        [ValidateSet('O365Default', 'O365GermanyCloud', 'O365China', 'O365USGovGCCHigh', 'O365USGovDoD')]
        [string] $ExchangeEnvironmentName = 'O365Default',

        [Parameter(Position = 3)]
        [System.Management.Automation.Remoting.PSSessionOption] $PSSessionOption = $null,

        [Parameter(Position = 4)]
        [string] $DelegatedOrganization = '',

        [Parameter(Position = 5)]
        [string] $Prefix = '',

        [Parameter(Position = 6)]
        [string[]] $CommandName = @('*'),

        [Parameter(Position = 7)]
        [string[]] $FormatTypeName = @('*'),

        [string] $AccessToken = '',

        [string] $AppId = '',

        [switch] $BypassMailboxAnchoring,

        [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate = $null,

        [string] $CertificateFilePath = '',

        [System.Security.SecureString] $CertificatePassword = $null,

        [string] $CertificateThumbprint = '',

        [System.Management.Automation.PSCredential] $Credential = $null,

        [switch] $Device,

        [switch] $DisableWAM,

        [switch] $EnableErrorReporting,

        [switch] $InlineCredential,

        [switch] $LoadCmdletHelp,

        [string] $LogDirectoryPath = '',

        [ValidateSet('Default', 'All')]
        [string] $LogLevel,

        [switch] $ManagedIdentity,

        [string] $ManagedIdentityAccountId = '',

        [string] $Organization = '',

        [ValidateRange(1, 1000)]
        [uint32] $PageSize = 1000,

        [switch] $ShowBanner = $true,

        [bool] $ShowProgress = $false,

        [System.Security.Cryptography.X509Certificates.X509Certificate2] $SigningCertificate = $null,

        [switch] $SkipLoadingCmdletHelp,

        [switch] $SkipLoadingFormatData,

        [bool] $TrackPerformance = $false,

        [bool] $UseMultithreading = $true,

        [string] $UserPrincipalName = '',

        [switch] $UseRPSSession,

        [string] $EXOModuleBasePath = ''
    )

    $global:EXO_LastExecutionStatus = $true
    try {
        $request = New-ExoConnectionRequest -Parameters $PSBoundParameters -Cmdlet $PSCmdlet
        Import-ExoCommandModule -Connection (Invoke-ExoConnectionRequest -Request $request)
        # A module setting, as in Microsoft's module: the newest Exchange
        # Online connection decides.
        $script:ExoShowProgress = $ShowProgress
    } catch {
        $global:EXO_LastExecutionStatus = $false
        $PSCmdlet.ThrowTerminatingError((New-ExoConnectionError -ErrorRecord $_))
    }
}
