#Requires -Version 7.4
# The main job, end to end: a script connects to a tenant exactly as it
# would with Microsoft's module, here a local sandbox tenant. The module
# starts the exod daemon on first use; the daemon signs in through MSAL and
# keeps the connections.
$ErrorActionPreference = 'Stop'
$module = Join-Path $PSScriptRoot '..' 'bridge-ps' 'ExchangeOnlineManagement'
Import-Module $module -Force

$version = Get-ExodVersion
"Daemon: exod $($version.Version) ($($version.Commit)), built with $($version.GoVersion)"

# Start a disposable sandbox tenant; its first output line says how to reach it.
$work = Join-Path ([IO.Path]::GetTempPath()) "exo-demo-$PID"
New-Item -ItemType Directory -Path $work | Out-Null
$start = [Diagnostics.ProcessStartInfo]::new((Join-Path $module 'bin' 'exod'))
'sandbox', '--data', (Join-Path $work 'tenant.db'), '--log-file', (Join-Path $work 'sandbox.log') |
    ForEach-Object { $start.ArgumentList.Add($_) }
$start.RedirectStandardOutput = $true
$sandbox = [Diagnostics.Process]::Start($start)
try {
    $tenant = $sandbox.StandardOutput.ReadLine() | ConvertFrom-Json
    "Sandbox tenant $($tenant.tenantDomain) is serving at $($tenant.connectionUri)"

    # The only difference from a production script: trust the sandbox's CA.
    $env:EXOD_TRUSTED_CA = $tenant.caFile

    $credential = [pscredential]::new($tenant.userPrincipalName, (ConvertTo-SecureString $tenant.password -AsPlainText -Force))
    Connect-ExchangeOnline -Credential $credential -ConnectionUri $tenant.connectionUri `
        -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false

    $certPassword = ConvertTo-SecureString $tenant.certificatePassword -AsPlainText -Force
    Connect-ExchangeOnline -AppId $tenant.appId -Organization $tenant.tenantDomain `
        -CertificateFilePath $tenant.certificatePath -CertificatePassword $certPassword `
        -ConnectionUri $tenant.connectionUri -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false

    Connect-IPPSSession -Credential $credential -ConnectionUri $tenant.complianceConnectionUri `
        -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false

    ''
    'Get-ConnectionInformation:'
    Get-ConnectionInformation |
        Format-Table Id, Name, State, UserPrincipalName, CertificateAuthentication, IsEopSession, TokenStatus, ConnectionUsedForInbuiltCmdlets -AutoSize |
        Out-String -Stream -Width 200 | Where-Object { $_ }

    Disconnect-ExchangeOnline -Confirm:$false
    "Connections left: $(@(Get-ConnectionInformation).Count)"
}
finally {
    $sandbox.Kill()
    $sandbox.WaitForExit()
    Remove-Item -Recurse -Force $work
}
