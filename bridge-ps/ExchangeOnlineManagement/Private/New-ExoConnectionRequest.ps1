function New-ExoConnectionRequest {
    <#
    .SYNOPSIS
    Checks the parameters of Connect-ExchangeOnline or Connect-IPPSSession and
    turns them into a ConnectRequest (proto3 JSON field names).

    .DESCRIPTION
    Picks the sign-in flow the way Microsoft's module does: -AccessToken, then
    -ManagedIdentity, then -AppId with a certificate, then -Credential or
    -InlineCredential, then -Device, else interactive. Throws, with Microsoft's
    messages where there are any, when a parameter is invalid.

    .PARAMETER Parameters
    The caller's $PSBoundParameters.

    .PARAMETER Cmdlet
    The caller's $PSCmdlet, to resolve paths against the current location.

    .PARAMETER SecurityCompliance
    Set for Connect-IPPSSession.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory)]
        [System.Collections.IDictionary] $Parameters,

        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Cmdlet,

        [switch] $SecurityCompliance
    )

    $get = { param($Name, $Default) if ($Parameters.Keys -contains $Name) { $Parameters[$Name] } else { $Default } }

    $prefix = [string](& $get 'Prefix' '')
    if (-not [string]::IsNullOrWhiteSpace($prefix)) {
        if ($prefix -notmatch '^[a-z0-9]+$') {
            throw 'Use of any special characters in the Prefix string is not supported.'
        }
        if ($prefix -eq 'EXO') {
            throw "Prefix 'EXO' is a reserved Prefix, please use a different prefix."
        }
    }
    foreach ($name in 'ConnectionUri', 'AzureADAuthorizationEndpointUri') {
        $value = [string](& $get $name '')
        if ($value) {
            $uri = $null
            if (-not [System.Uri]::TryCreate($value, [System.UriKind]::Absolute, [ref]$uri) -or $uri.Scheme -ne 'https') {
                throw "Invalid $name parameter '$value'"
            }
        }
    }
    if ($Parameters.Keys -contains 'UseRPSSession' -and $Parameters['UseRPSSession']) {
        Write-Warning 'Remote PowerShell (-UseRPSSession) was retired by Microsoft in 2023; this module always connects over the REST API.'
    }

    $request = [ordered]@{
        clientSession         = Get-ExoClientSession
        connectionUri         = [string](& $get 'ConnectionUri' '')
        authorityUri          = [string](& $get 'AzureADAuthorizationEndpointUri' '')
        securityCompliance    = [bool]$SecurityCompliance
        userPrincipalName     = [string](& $get 'UserPrincipalName' '')
        appId                 = [string](& $get 'AppId' '')
        organization          = [string](& $get 'Organization' '')
        delegatedOrganization = [string](& $get 'DelegatedOrganization' '')
        prefix                = $prefix
        showBanner            = [bool](& $get 'ShowBanner' $true)
    }
    if (-not $SecurityCompliance) {
        $request.exchangeEnvironmentName = [string](& $get 'ExchangeEnvironmentName' 'O365Default')
        $request.pageSize = [uint32](& $get 'PageSize' 1000)
        $request.disableMultithreading = -not [bool](& $get 'UseMultithreading' $true)
        $request.trackPerformance = [bool](& $get 'TrackPerformance' $false)
        # As in Microsoft's module, -EnableErrorReporting alone logs to the
        # temporary directory's EXOCmdletTelemetry.
        $logDirectory = [string](& $get 'LogDirectoryPath' '')
        if (-not $logDirectory -and [bool](& $get 'EnableErrorReporting' $false)) {
            $logDirectory = Join-Path ([System.IO.Path]::GetTempPath()) 'EXOCmdletTelemetry'
        }
        if ($logDirectory) {
            $request.logDirectory = $Cmdlet.GetUnresolvedProviderPathFromPSPath($logDirectory)
            $request.logLevel = [string](& $get 'LogLevel' 'Default')
        }
    }
    $commands = @(& $get 'CommandName' @('*') | Where-Object { $_ })
    if ($commands.Count -and -not ($commands.Count -eq 1 -and $commands[0] -eq '*')) {
        $request.commandName = [string[]]$commands
    }

    $certificate = & $get 'Certificate' $null
    $certificatePath = [string](& $get 'CertificateFilePath' '')
    $thumbprint = [string](& $get 'CertificateThumbprint' '')
    $credential = & $get 'Credential' $null
    if (@($certificate, $certificatePath, $thumbprint | Where-Object { $_ }).Count -gt 1) {
        throw 'Use only one of -Certificate, -CertificateFilePath and -CertificateThumbprint.'
    }

    $accessToken = [string](& $get 'AccessToken' '')
    if ($accessToken) {
        $request.flow = 'SIGN_IN_FLOW_ACCESS_TOKEN'
        $request.accessToken = $accessToken
    } elseif ([bool](& $get 'ManagedIdentity' $false)) {
        $request.flow = 'SIGN_IN_FLOW_MANAGED_IDENTITY'
        $request.managedIdentityAccountId = [string](& $get 'ManagedIdentityAccountId' '')
        # An explicit instance metadata service wins over the host's App
        # Service variables; without either the daemon uses its host's own.
        if ($env:EXOD_IMDS_ENDPOINT) {
            $request.managedIdentityImdsEndpoint = $env:EXOD_IMDS_ENDPOINT
        } else {
            if ($env:IDENTITY_ENDPOINT) { $request.managedIdentityEndpoint = $env:IDENTITY_ENDPOINT }
            if ($env:IDENTITY_HEADER) { $request.managedIdentityHeader = $env:IDENTITY_HEADER }
        }
    } elseif ($request.appId -and ($certificate -or $certificatePath -or $thumbprint)) {
        $request.flow = 'SIGN_IN_FLOW_CERTIFICATE'
        if ($thumbprint) {
            $certificate = Find-ExoStoreCertificate -Thumbprint $thumbprint
        }
        if ($certificate) {
            # The daemon needs the private key: export it with a one-off password.
            $password = [guid]::NewGuid().ToString('N')
            $request.certificatePkcs12 = [System.Convert]::ToBase64String($certificate.Export([System.Security.Cryptography.X509Certificates.X509ContentType]::Pkcs12, $password))
            $request.certificatePassword = $password
        } elseif ($certificatePath) {
            $path = $Cmdlet.GetUnresolvedProviderPathFromPSPath($certificatePath)
            if (-not [System.IO.File]::Exists($path)) {
                throw "The certificate file '$certificatePath' was not found."
            }
            $request.certificatePkcs12 = [System.Convert]::ToBase64String([System.IO.File]::ReadAllBytes($path))
            $securePassword = & $get 'CertificatePassword' $null
            if ($securePassword) {
                $request.certificatePassword = [System.Net.NetworkCredential]::new('', $securePassword).Password
            }
        }
    } elseif ($credential -or [bool](& $get 'InlineCredential' $false)) {
        if (-not $credential) {
            $credential = Get-Credential -Message 'Sign in to Exchange Online' -UserName $request.userPrincipalName
            if (-not $credential) { throw 'No credential was entered.' }
        }
        $request.flow = 'SIGN_IN_FLOW_PASSWORD'
        $request.userPrincipalName = $credential.UserName
        $request.password = $credential.GetNetworkCredential().Password
    } elseif ([bool](& $get 'Device' $false)) {
        $request.flow = 'SIGN_IN_FLOW_DEVICE_CODE'
    } else {
        $request.flow = 'SIGN_IN_FLOW_INTERACTIVE'
        # Open-ExoSignInPage shows the daemon's page, or explains why not.
        $request.browser = $true
    }

    if ($env:EXOD_TRUSTED_CA) {
        $caPath = $Cmdlet.GetUnresolvedProviderPathFromPSPath($env:EXOD_TRUSTED_CA)
        if (-not [System.IO.File]::Exists($caPath)) {
            throw "The CA certificate file named by `$env:EXOD_TRUSTED_CA was not found: '$env:EXOD_TRUSTED_CA'."
        }
        $request.trustedCaPem = [System.Convert]::ToBase64String([System.IO.File]::ReadAllBytes($caPath))
    }
    $request
}
