function Get-EXORecipientPermission {
    <#
    .SYNOPSIS
    Gets SendAs permissions on recipients.

    .DESCRIPTION
    Drop-in for Microsoft's Get-EXORecipientPermission. With no recipient, it
    lists the entries of every recipient, up to -ResultSize, optionally only
    those of one trustee.

    .PARAMETER Identity
    The recipient: UPN or GUID (fastest), name, alias, distinguished name,
    Domain\User, email address or LegacyExchangeDN.

    .PARAMETER ExternalDirectoryObjectId
    The recipient by its Entra object id.

    .PARAMETER PrimarySmtpAddress
    The recipient by its primary SMTP address.

    .PARAMETER UserPrincipalName
    The recipient by its user principal name.

    .PARAMETER AccessRights
    Only entries with this right; SendAs is the only one.

    .PARAMETER ResultSize
    How many entries to return: a number (default 1000) or Unlimited.

    .PARAMETER Trustee
    Only the entries of this trustee.

    .EXAMPLE
    Get-EXORecipientPermission -Trustee ada@contoso.com

    .OUTPUTS
    ExchangeOnlineManagement.ExoRecipientPermission
    #>
    [CmdletBinding(DefaultParameterSetName = 'Default', PositionalBinding = $false)]
    [OutputType('ExchangeOnlineManagement.ExoRecipientPermission')]
    param(
        [Parameter(ParameterSetName = 'Identity', Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [string] $Identity,

        [Parameter(ParameterSetName = 'Identity', ValueFromPipelineByPropertyName)]
        [guid] $ExternalDirectoryObjectId,

        [Parameter(ParameterSetName = 'Identity', ValueFromPipelineByPropertyName)]
        [string] $PrimarySmtpAddress,

        [Parameter(ParameterSetName = 'Identity', ValueFromPipelineByPropertyName)]
        [string] $UserPrincipalName,

        [ValidateSet('SendAs')]
        [string[]] $AccessRights,

        [object] $ResultSize = 1000,
        [string] $Trustee
    )

    begin { $query = New-ExoQuery -Cmdlet $PSCmdlet -BoundParameters $PSBoundParameters }
    process { Add-ExoQueryInput -Query $query -BoundParameters $PSBoundParameters }
    end { Complete-ExoQuery -Query $query }
}
