function Get-EXOMailbox {
    <#
    .SYNOPSIS
    Gets mailboxes, fast and in bulk, through the Exchange Online REST API.

    .DESCRIPTION
    Drop-in for Microsoft's Get-EXOMailbox. The exod daemon reads the service
    page by page (the connection's -PageSize) and the objects reach the
    pipeline as each page arrives. Without -PropertySets or -Properties only
    the Minimum set is returned; with them, the requested ones plus Minimum.
    Identities piped in (strings, or objects with UserPrincipalName,
    PrimarySmtpAddress, ExternalDirectoryObjectId or Identity) are read
    concurrently and written in input order.

    .PARAMETER Identity
    The mailbox: UPN, GUID or ExternalDirectoryObjectId (fastest), or name,
    alias, distinguished name, Domain\User, email address or LegacyExchangeDN.

    .PARAMETER ExternalDirectoryObjectId
    The mailbox by its Entra object id.

    .PARAMETER PrimarySmtpAddress
    The mailbox by its primary SMTP address.

    .PARAMETER UserPrincipalName
    The mailbox by its user principal name.

    .PARAMETER Anr
    An ambiguous name resolution search over common name, display name,
    first and last name and alias.

    .PARAMETER Archive
    Only mailboxes with an archive.

    .PARAMETER Async
    Reserved for internal Microsoft use; accepted and ignored.

    .PARAMETER Filter
    An OPATH filter, for example "RecipientTypeDetails -eq 'SharedMailbox'".
    The daemon checks and translates it before any request.

    .PARAMETER GroupMailbox
    Reserved for internal Microsoft use; accepted and ignored.

    .PARAMETER InactiveMailboxOnly
    Only inactive mailboxes.

    .PARAMETER IncludeInactiveMailbox
    Active and inactive mailboxes.

    .PARAMETER MailboxPlan
    Only mailboxes with this mailbox plan.

    .PARAMETER Migration
    Reserved for internal Microsoft use; accepted and ignored.

    .PARAMETER OrganizationalUnit
    Only mailboxes in this organizational unit.

    .PARAMETER Properties
    Extra properties to return.

    .PARAMETER PropertySets
    Property sets to return besides Minimum.

    .PARAMETER PublicFolder
    Reserved for internal Microsoft use; accepted and ignored.

    .PARAMETER RecipientTypeDetails
    Only mailboxes of these types.

    .PARAMETER ResultSize
    How many mailboxes to return: a number (default 1000) or Unlimited.

    .PARAMETER SoftDeletedMailbox
    Only soft-deleted mailboxes.

    .EXAMPLE
    Get-EXOMailbox -ResultSize Unlimited -Filter "RecipientTypeDetails -eq 'SharedMailbox'"

    .EXAMPLE
    'ada@contoso.com', 'bob@contoso.com' | Get-EXOMailbox -PropertySets Quota

    .OUTPUTS
    ExchangeOnlineManagement.ExoMailbox
    #>
    [CmdletBinding(DefaultParameterSetName = 'Identity', PositionalBinding = $false)]
    [OutputType('ExchangeOnlineManagement.ExoMailbox')]
    param(
        [Parameter(ParameterSetName = 'Identity', Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [string] $Identity,

        [Parameter(ParameterSetName = 'Identity', ValueFromPipelineByPropertyName)]
        [guid] $ExternalDirectoryObjectId,

        [Parameter(ParameterSetName = 'Identity', ValueFromPipelineByPropertyName)]
        [string] $PrimarySmtpAddress,

        [Parameter(ParameterSetName = 'Identity', ValueFromPipelineByPropertyName)]
        [string] $UserPrincipalName,

        [Parameter(ParameterSetName = 'Anr')]
        [string] $Anr,

        [switch] $Archive,
        [switch] $Async,
        [string] $Filter,
        [switch] $GroupMailbox,
        [switch] $InactiveMailboxOnly,
        [switch] $IncludeInactiveMailbox,
        [string] $MailboxPlan,
        [switch] $Migration,
        [string] $OrganizationalUnit,

        [string[]] $Properties,

        [ValidateSet('All', 'Minimum', 'AddressList', 'Archive', 'Audit', 'Custom', 'Delivery', 'Hold', 'Moderation', 'Move',
            'Policy', 'PublicFolder', 'Quota', 'Resource', 'Retention', 'SCL', 'SoftDelete', 'StatisticsSeed')]
        [string[]] $PropertySets,

        [switch] $PublicFolder,

        [ValidateSet('DiscoveryMailbox', 'EquipmentMailbox', 'LegacyMailbox', 'LinkedMailbox', 'LinkedRoomMailbox', 'RoomMailbox',
            'SchedulingMailbox', 'SharedMailbox', 'TeamMailbox', 'UserMailbox')]
        [string[]] $RecipientTypeDetails,

        [object] $ResultSize = 1000,
        [switch] $SoftDeletedMailbox
    )

    begin { $query = New-ExoQuery -Cmdlet $PSCmdlet -BoundParameters $PSBoundParameters }
    process { Add-ExoQueryInput -Query $query -BoundParameters $PSBoundParameters }
    end { Complete-ExoQuery -Query $query }
}
