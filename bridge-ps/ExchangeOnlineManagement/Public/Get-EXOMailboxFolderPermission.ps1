function Get-EXOMailboxFolderPermission {
    <#
    .SYNOPSIS
    Gets the permissions on a mailbox folder.

    .DESCRIPTION
    Drop-in for Microsoft's Get-EXOMailboxFolderPermission.

    .PARAMETER Identity
    The folder, as <mailbox>:\<folder path>, for example
    john@contoso.com:\Calendar; a mailbox alone means its top folder.

    .PARAMETER ExternalDirectoryObjectId
    The mailbox by its Entra object id (its top folder).

    .PARAMETER GroupMailbox
    The mailbox is a Microsoft 365 Group's.

    .PARAMETER PrimarySmtpAddress
    The mailbox by its primary SMTP address (its top folder).

    .PARAMETER User
    Only the entry of this user.

    .PARAMETER UserPrincipalName
    The mailbox by its user principal name (its top folder).

    .EXAMPLE
    Get-EXOMailboxFolderPermission -Identity john@contoso.com:\Calendar

    .OUTPUTS
    ExchangeOnlineManagement.ExoMailboxFolderPermission
    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType('ExchangeOnlineManagement.ExoMailboxFolderPermission')]
    param(
        [Parameter(Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [string] $Identity,

        [Parameter(ValueFromPipelineByPropertyName)]
        [guid] $ExternalDirectoryObjectId,

        [switch] $GroupMailbox,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $PrimarySmtpAddress,

        [string] $User,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $UserPrincipalName
    )

    begin { $query = New-ExoQuery -Cmdlet $PSCmdlet -BoundParameters $PSBoundParameters }
    process { Add-ExoQueryInput -Query $query -BoundParameters $PSBoundParameters }
    end { Complete-ExoQuery -Query $query }
}
