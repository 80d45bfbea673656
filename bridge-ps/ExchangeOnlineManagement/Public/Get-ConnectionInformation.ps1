function Get-ConnectionInformation {
    <#
    .SYNOPSIS
    Gets the Exchange Online and Security & Compliance connections of this
    PowerShell process.

    .DESCRIPTION
    Drop-in for Microsoft's Get-ConnectionInformation. Writes one object per
    connection, in the order they were made, with Microsoft's 19 properties;
    writes nothing when there is no connection, so
    `if (-not (Get-ConnectionInformation)) { Connect-ExchangeOnline }` works.

    .PARAMETER ConnectionId
    Only the connections with these ids.

    .PARAMETER ModulePrefix
    Only the connections made with these -Prefix values.

    .EXAMPLE
    Get-ConnectionInformation

    ConnectionId                    : 8b632b3a-a2e2-8ff3-adcd-6d119d07694b
    State                           : Connected
    Id                              : 1
    Name                            : ExchangeOnline_1
    UserPrincipalName               : admin@contoso.onmicrosoft.com
    ...

    .EXAMPLE
    Get-ConnectionInformation | Where-Object IsEopSession

    The Security & Compliance connections.

    .OUTPUTS
    Microsoft.Exchange.Management.ExoPowershellSnapin.ConnectionInformation:
    ConnectionId, State, Id, Name, UserPrincipalName, ConnectionUri,
    AzureAdAuthorizationEndpointUri, TokenExpiryTimeUTC, CertificateAuthentication,
    ModuleName, ModulePrefix, Organization, DelegatedOrganization, AppId,
    PageSize, TenantID, TokenStatus, ConnectionUsedForInbuiltCmdlets, IsEopSession.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Default')]
    [OutputType('Microsoft.Exchange.Management.ExoPowershellSnapin.ConnectionInformation')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'ConnectionId')]
        [string[]] $ConnectionId,

        [Parameter(Mandatory, ParameterSetName = 'ModulePrefix')]
        [string[]] $ModulePrefix
    )

    $body = @{ clientSession = Get-ExoClientSession }
    if ($PSCmdlet.ParameterSetName -eq 'ConnectionId') { $body.connectionId = [string[]]$ConnectionId }
    if ($PSCmdlet.ParameterSetName -eq 'ModulePrefix') { $body.modulePrefix = [string[]]$ModulePrefix }
    try {
        $response = Invoke-ExodUnary -Method '/exo.v1.ConnectionService/ListConnections' -Body $body
    } catch {
        $PSCmdlet.ThrowTerminatingError($_)
    }
    $connections = $response.PSObject.Properties['connections']
    if ($connections -and $connections.Value) {
        $connections.Value | ConvertTo-ExoConnectionInformation
    }
}
