function Get-EXOMailboxStatistics {
    <#
    .SYNOPSIS
    Gets mailbox sizes, item counts and last logon times.

    .DESCRIPTION
    Drop-in for Microsoft's Get-EXOMailboxStatistics. Pipe mailboxes in
    (Get-EXOMailbox | Get-EXOMailboxStatistics): the daemon reads them
    concurrently and writes the results in input order. Sizes keep the
    service's text, "1.243 GB (1,334,578,302 bytes)".

    .PARAMETER Identity
    The mailbox: UPN or GUID (fastest), or name, alias, distinguished name,
    Domain\User, email address or LegacyExchangeDN.

    .PARAMETER ExchangeGuid
    The mailbox by its Exchange GUID.

    .PARAMETER DatabaseGuid
    The mailbox database's GUID; accepted for compatibility.

    .PARAMETER ExternalDirectoryObjectId
    The mailbox by its Entra object id.

    .PARAMETER PrimarySmtpAddress
    The mailbox by its primary SMTP address.

    .PARAMETER UserPrincipalName
    The mailbox by its user principal name.

    .PARAMETER Archive
    The archive mailbox's statistics.

    .PARAMETER IncludeMoveHistory
    Reserved for internal Microsoft use; accepted and ignored.

    .PARAMETER IncludeMoveReport
    Reserved for internal Microsoft use; accepted and ignored.

    .PARAMETER IncludeSoftDeletedRecipients
    Include soft-deleted mailboxes.

    .PARAMETER Properties
    Extra properties to return.

    .PARAMETER PropertySets
    Property sets to return besides Minimum.

    .EXAMPLE
    Get-EXOMailbox -ResultSize Unlimited | Get-EXOMailboxStatistics | Sort-Object TotalItemSize

    .OUTPUTS
    ExchangeOnlineManagement.ExoMailboxStatistics
    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType('ExchangeOnlineManagement.ExoMailboxStatistics')]
    param(
        [Parameter(ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [string] $Identity,

        [Parameter(ValueFromPipelineByPropertyName)]
        [guid] $ExchangeGuid,

        [Parameter(ValueFromPipelineByPropertyName)]
        [guid] $DatabaseGuid,

        [Parameter(ValueFromPipelineByPropertyName)]
        [guid] $ExternalDirectoryObjectId,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $PrimarySmtpAddress,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $UserPrincipalName,

        [switch] $Archive,
        [switch] $IncludeMoveHistory,
        [switch] $IncludeMoveReport,
        [switch] $IncludeSoftDeletedRecipients,

        [string[]] $Properties,

        [ValidateSet('All', 'Minimum')]
        [string[]] $PropertySets
    )

    begin { $query = New-ExoQuery -Cmdlet $PSCmdlet -BoundParameters $PSBoundParameters }
    process { Add-ExoQueryInput -Query $query -BoundParameters $PSBoundParameters }
    end { Complete-ExoQuery -Query $query }
}
