function Connect-IPPSSession {
    <#
    .SYNOPSIS
    Signs in and connects to Security & Compliance PowerShell.

    .DESCRIPTION
    Drop-in for Microsoft's Connect-IPPSSession (3.7.2 surface). It works
    like Connect-ExchangeOnline against the Security & Compliance endpoint;
    the connection shows IsEopSession True and a name like
    ExchangeOnlineProtection_1 in Get-ConnectionInformation.

    The sign-in flow follows from the parameters: -AppId with a certificate
    (app-only), -Credential (user name and password), otherwise interactive.
    $global:EXO_LastExecutionStatus reports success or failure, and
    $env:EXOD_TRUSTED_CA names an extra trusted CA, as with
    Connect-ExchangeOnline. -PSSessionOption, -FormatTypeName,
    -BypassMailboxAnchoring and -DisableWAM are accepted and ignored;
    -UseRPSSession warns and uses the REST API.

    .PARAMETER ConnectionUri
    The Security & Compliance endpoint. Default: the worldwide one.

    .PARAMETER AzureADAuthorizationEndpointUri
    The Microsoft Entra authority tokens come from.

    .PARAMETER DelegatedOrganization
    A customer tenant to manage (GDAP/CSP).

    .PARAMETER PSSessionOption
    Accepted for compatibility; ignored.

    .PARAMETER Prefix
    A noun prefix for the cmdlets (letters and digits; not EXO).

    .PARAMETER CommandName
    Only these cmdlets are made available. Default: all.

    .PARAMETER FormatTypeName
    Accepted for compatibility; ignored.

    .PARAMETER BypassMailboxAnchoring
    Accepted for compatibility; ignored.

    .PARAMETER ShowBanner
    Shows the service banner; -ShowBanner:$false hides it.

    .PARAMETER UseRPSSession
    Accepted for compatibility; warns and uses the REST API.

    .PARAMETER UserPrincipalName
    The account to sign in with.

    .PARAMETER Credential
    A user name and password (no multi-factor authentication).

    .PARAMETER Certificate
    The app-only certificate, with its private key.

    .PARAMETER CertificateFilePath
    A .pfx file with the app-only certificate; see -CertificatePassword.

    .PARAMETER CertificatePassword
    The password of -CertificateFilePath.

    .PARAMETER CertificateThumbprint
    The thumbprint of an app-only certificate in the user's certificate store.

    .PARAMETER AppId
    The application (client) id for app-only sign-in.

    .PARAMETER Organization
    The tenant's primary onmicrosoft.com domain, for app-only sign-in.

    .PARAMETER DisableWAM
    Accepted for compatibility; ignored.

    .EXAMPLE
    Connect-IPPSSession -UserPrincipalName admin@contoso.onmicrosoft.com

    Signs in interactively and connects to Security & Compliance.

    .EXAMPLE
    Connect-IPPSSession -AppId $appId -CertificateFilePath ./app.pfx -CertificatePassword $pw -Organization contoso.onmicrosoft.com

    Connects as an application with a certificate.
    #>
    [CmdletBinding(PositionalBinding = $false)]
    param(
        [Parameter(Position = 0)]
        [string] $ConnectionUri = '',

        [Parameter(Position = 1)]
        [string] $AzureADAuthorizationEndpointUri = '',

        [Parameter(Position = 2)]
        [string] $DelegatedOrganization = '',

        [Parameter(Position = 3)]
        [System.Management.Automation.Remoting.PSSessionOption] $PSSessionOption = $null,

        [Parameter(Position = 4)]
        [string] $Prefix = '',

        [Parameter(Position = 5)]
        [string[]] $CommandName = @('*'),

        [Parameter(Position = 6)]
        [string[]] $FormatTypeName = @('*'),

        [switch] $BypassMailboxAnchoring,

        [switch] $ShowBanner = $true,

        [switch] $UseRPSSession,

        [string] $UserPrincipalName = '',

        [System.Management.Automation.PSCredential] $Credential = $null,

        [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate = $null,

        [string] $CertificateFilePath = '',

        [System.Security.SecureString] $CertificatePassword = $null,

        [string] $CertificateThumbprint = '',

        [string] $AppId = '',

        [string] $Organization = '',

        [switch] $DisableWAM
    )

    $global:EXO_LastExecutionStatus = $true
    try {
        $request = New-ExoConnectionRequest -Parameters $PSBoundParameters -Cmdlet $PSCmdlet -SecurityCompliance
        Import-ExoCommandModule -Connection (Invoke-ExoConnectionRequest -Request $request)
    } catch {
        $global:EXO_LastExecutionStatus = $false
        $PSCmdlet.ThrowTerminatingError((New-ExoConnectionError -ErrorRecord $_))
    }
}
