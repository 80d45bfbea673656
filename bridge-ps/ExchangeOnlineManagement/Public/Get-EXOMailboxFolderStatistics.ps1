function Get-EXOMailboxFolderStatistics {
    <#
    .SYNOPSIS
    Gets the folders of a mailbox with their item counts and sizes.

    .DESCRIPTION
    Drop-in for Microsoft's Get-EXOMailboxFolderStatistics. Hidden items
    count in FolderSize, FolderAndSubfolderSize, ItemsInFolder and
    ItemsInFolderAndSubfolders. Piped mailboxes are read concurrently and
    written in input order.

    .PARAMETER Identity
    The mailbox or mail user: UPN (fastest), name, alias, distinguished name,
    LegacyExchangeDN or SamAccountName.

    .PARAMETER ExternalDirectoryObjectId
    The mailbox by its Entra object id.

    .PARAMETER PrimarySmtpAddress
    The mailbox by its primary SMTP address.

    .PARAMETER UserPrincipalName
    The mailbox by its user principal name.

    .PARAMETER Archive
    The archive mailbox's folders.

    .PARAMETER DiagnosticInfo
    Deprecated; accepted and ignored.

    .PARAMETER FolderScope
    Only folders of this type, for example Inbox or Calendar. The default is All.

    .PARAMETER IncludeAnalysis
    Reserved for internal Microsoft use; accepted and ignored.

    .PARAMETER IncludeOldestAndNewestItems
    Also return each folder's oldest and newest item dates.

    .PARAMETER IncludeSoftDeletedRecipients
    Include soft-deleted mailboxes.

    .EXAMPLE
    Get-EXOMailbox -ResultSize Unlimited | Get-EXOMailboxFolderStatistics -FolderScope Inbox | Format-Table Identity, ItemsInFolderAndSubfolders, FolderAndSubfolderSize -AutoSize

    .OUTPUTS
    ExchangeOnlineManagement.ExoMailboxFolderStatistics
    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType('ExchangeOnlineManagement.ExoMailboxFolderStatistics')]
    param(
        [Parameter(ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [string] $Identity,

        [Parameter(ValueFromPipelineByPropertyName)]
        [guid] $ExternalDirectoryObjectId,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $PrimarySmtpAddress,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $UserPrincipalName,

        [switch] $Archive,
        [string] $DiagnosticInfo,

        [ValidateSet('All', 'Archive', 'Calendar', 'Clutter', 'Contacts', 'ConversationHistory', 'DeletedItems', 'Drafts', 'Inbox',
            'Journal', 'JunkEmail', 'LegacyArchiveJournals', 'ManagedCustomFolder', 'NonIpmRoot', 'Notes', 'Outbox', 'Personal',
            'RecoverableItems', 'RssSubscriptions', 'SentItems', 'SyncIssues', 'Tasks')]
        [string] $FolderScope,

        [switch] $IncludeAnalysis,
        [switch] $IncludeOldestAndNewestItems,
        [switch] $IncludeSoftDeletedRecipients
    )

    begin { $query = New-ExoQuery -Cmdlet $PSCmdlet -BoundParameters $PSBoundParameters }
    process { Add-ExoQueryInput -Query $query -BoundParameters $PSBoundParameters }
    end { Complete-ExoQuery -Query $query }
}
