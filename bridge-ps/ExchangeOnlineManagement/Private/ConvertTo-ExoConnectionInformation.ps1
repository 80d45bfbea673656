function ConvertTo-ExoConnectionInformation {
    <#
    .SYNOPSIS
    Turns a daemon Connection message into the object Get-ConnectionInformation
    writes, with Microsoft's 19 properties in Microsoft's order.

    .PARAMETER Connection
    The Connection message as ConvertFrom-Json returned it. proto3 JSON leaves
    out fields with default values, so missing fields become '', 0 or $false.
    #>
    [CmdletBinding()]
    [OutputType('Microsoft.Exchange.Management.ExoPowershellSnapin.ConnectionInformation')]
    param(
        [Parameter(Mandatory, ValueFromPipeline)]
        [object] $Connection
    )

    process {
        $field = { param($Name) $p = $Connection.PSObject.Properties[$Name]; if ($p) { $p.Value } else { $null } }
        $expiry = & $field 'tokenExpiryTime'
        $expiryOffset = if ($null -eq $expiry -or '' -eq $expiry) {
            $null
        } elseif ($expiry -is [datetime]) {
            [System.DateTimeOffset]::new($expiry.ToUniversalTime())
        } else {
            [System.DateTimeOffset]::Parse([string]$expiry, [System.Globalization.CultureInfo]::InvariantCulture).ToUniversalTime()
        }
        $pageSize = & $field 'pageSize'
        [pscustomobject]@{
            PSTypeName                      = 'Microsoft.Exchange.Management.ExoPowershellSnapin.ConnectionInformation'
            ConnectionId                    = [string](& $field 'connectionId')
            State                           = [string](& $field 'state')
            Id                              = [int](& $field 'id')
            Name                            = [string](& $field 'name')
            UserPrincipalName               = [string](& $field 'userPrincipalName')
            ConnectionUri                   = [string](& $field 'connectionUri')
            AzureAdAuthorizationEndpointUri = [string](& $field 'azureAdAuthorizationEndpointUri')
            TokenExpiryTimeUTC              = $expiryOffset
            CertificateAuthentication       = [bool](& $field 'certificateAuthentication')
            ModuleName                      = [string](& $field 'moduleName')
            ModulePrefix                    = [string](& $field 'modulePrefix')
            Organization                    = [string](& $field 'organization')
            DelegatedOrganization           = [string](& $field 'delegatedOrganization')
            AppId                           = [string](& $field 'appId')
            PageSize                        = [uint32]$(if ($pageSize) { $pageSize } else { 0 })
            TenantID                        = [string](& $field 'tenantId')
            TokenStatus                     = [string](& $field 'tokenStatus')
            ConnectionUsedForInbuiltCmdlets = [bool](& $field 'connectionUsedForInbuiltCmdlets')
            IsEopSession                    = [bool](& $field 'isEopSession')
        }
    }
}
