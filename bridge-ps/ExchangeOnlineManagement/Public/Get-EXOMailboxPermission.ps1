function Get-EXOMailboxPermission {
    <#
    .SYNOPSIS
    Gets the permissions on mailboxes (FullAccess and the like).

    .DESCRIPTION
    Drop-in for Microsoft's Get-EXOMailboxPermission. With no mailbox, it
    lists the permissions of every mailbox, up to -ResultSize entries. Piped
    mailboxes are read concurrently and written in input order.

    .PARAMETER Identity
    The mailbox: UPN (fastest), name, alias, distinguished name,
    LegacyExchangeDN or SamAccountName.

    .PARAMETER ExternalDirectoryObjectId
    The mailbox by its Entra object id.

    .PARAMETER Owner
    Return the mailbox's owner instead of its permissions.

    .PARAMETER PrimarySmtpAddress
    The mailbox by its primary SMTP address.

    .PARAMETER ResultSize
    How many entries to return: a number (default 1000) or Unlimited.

    .PARAMETER SoftDeletedMailbox
    The mailbox is soft-deleted.

    .PARAMETER User
    Only the entries of this trustee.

    .PARAMETER UserPrincipalName
    The mailbox by its user principal name.

    .EXAMPLE
    Get-EXOMailbox -RecipientTypeDetails SharedMailbox | Get-EXOMailboxPermission | Where-Object { -not $_.IsInherited }

    .OUTPUTS
    ExchangeOnlineManagement.ExoMailboxPermission
    #>
    [CmdletBinding(DefaultParameterSetName = 'Default', PositionalBinding = $false)]
    [OutputType('ExchangeOnlineManagement.ExoMailboxPermission')]
    param(
        [Parameter(ParameterSetName = 'Identity', ValueFromPipelineByPropertyName)]
        [guid] $ExternalDirectoryObjectId,

        [Parameter(ParameterSetName = 'Identity', ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [string] $Identity,

        [Parameter(ParameterSetName = 'Identity')]
        [switch] $Owner,

        [Parameter(ParameterSetName = 'Identity', ValueFromPipelineByPropertyName)]
        [string] $PrimarySmtpAddress,

        [object] $ResultSize = 1000,

        [Parameter(ParameterSetName = 'Identity')]
        [switch] $SoftDeletedMailbox,

        [Parameter(ParameterSetName = 'Identity')]
        [string] $User,

        [Parameter(ParameterSetName = 'Identity', ValueFromPipelineByPropertyName)]
        [string] $UserPrincipalName
    )

    begin { $query = New-ExoQuery -Cmdlet $PSCmdlet -BoundParameters $PSBoundParameters }
    process { Add-ExoQueryInput -Query $query -BoundParameters $PSBoundParameters }
    end { Complete-ExoQuery -Query $query }
}
