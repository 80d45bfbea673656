function Get-EXORecipient {
    <#
    .SYNOPSIS
    Gets recipients of every kind (mailboxes, mail users, contacts, groups),
    in bulk and name-sorted.

    .DESCRIPTION
    Drop-in for Microsoft's Get-EXORecipient; see Get-EXOMailbox for how
    paging, property sets and pipeline input work.

    .PARAMETER Identity
    The recipient: UPN, GUID or ExternalDirectoryObjectId (fastest), or name,
    alias, distinguished name, Domain\User, email address or LegacyExchangeDN.

    .PARAMETER ExternalDirectoryObjectId
    The recipient by its Entra object id.

    .PARAMETER PrimarySmtpAddress
    The recipient by its primary SMTP address.

    .PARAMETER UserPrincipalName
    The recipient by its user principal name.

    .PARAMETER Anr
    An ambiguous name resolution search.

    .PARAMETER Filter
    An OPATH filter.

    .PARAMETER IncludeSoftDeletedRecipients
    Include soft-deleted recipients.

    .PARAMETER OrganizationalUnit
    Only recipients in this organizational unit.

    .PARAMETER Properties
    Extra properties to return.

    .PARAMETER PropertySets
    Property sets to return besides Minimum.

    .PARAMETER RecipientPreviewFilter
    Reserved for internal Microsoft use; accepted and ignored.

    .PARAMETER RecipientType
    Only recipients of these types.

    .PARAMETER RecipientTypeDetails
    Only recipients of these detailed types.

    .PARAMETER ResultSize
    How many recipients to return: a number (default 1000) or Unlimited.

    .EXAMPLE
    Get-EXORecipient -RecipientTypeDetails MailContact -ResultSize 100

    .OUTPUTS
    ExchangeOnlineManagement.ExoRecipient
    #>
    [CmdletBinding(DefaultParameterSetName = 'Identity', PositionalBinding = $false)]
    [OutputType('ExchangeOnlineManagement.ExoRecipient')]
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

        [string] $Filter,
        [switch] $IncludeSoftDeletedRecipients,
        [string] $OrganizationalUnit,

        [string[]] $Properties,

        [ValidateSet('Minimum', 'Archive', 'Custom', 'MailboxMove', 'Policy')]
        [string[]] $PropertySets,

        [string] $RecipientPreviewFilter,

        [ValidateSet('DynamicDistributionGroup', 'MailContact', 'MailNonUniversalGroup', 'MailUniversalDistributionGroup',
            'MailUniversalSecurityGroup', 'MailUser', 'PublicFolder', 'UserMailbox')]
        [string[]] $RecipientType,

        [ValidateSet('DiscoveryMailbox', 'DynamicDistributionGroup', 'EquipmentMailbox', 'GroupMailbox', 'GuestMailUser',
            'LegacyMailbox', 'LinkedMailbox', 'LinkedRoomMailbox', 'MailContact', 'MailForestContact', 'MailNonUniversalGroup',
            'MailUniversalDistributionGroup', 'MailUniversalSecurityGroup', 'MailUser', 'PublicFolder', 'PublicFolderMailbox',
            'RemoteEquipmentMailbox', 'RemoteRoomMailbox', 'RemoteSharedMailbox', 'RemoteTeamMailbox', 'RemoteUserMailbox',
            'RoomList', 'RoomMailbox', 'SchedulingMailbox', 'SharedMailbox', 'SharedWithMailUser', 'TeamMailbox', 'UserMailbox')]
        [string[]] $RecipientTypeDetails,

        [object] $ResultSize = 1000
    )

    begin { $query = New-ExoQuery -Cmdlet $PSCmdlet -BoundParameters $PSBoundParameters }
    process { Add-ExoQueryInput -Query $query -BoundParameters $PSBoundParameters }
    end { Complete-ExoQuery -Query $query }
}
