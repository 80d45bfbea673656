function Get-EXOCasMailbox {
    <#
    .SYNOPSIS
    Gets the client access settings of mailboxes (Outlook on the web,
    Exchange ActiveSync, POP3, IMAP4, MAPI, EWS), in bulk.

    .DESCRIPTION
    Drop-in for Microsoft's Get-EXOCasMailbox; see Get-EXOMailbox for how
    paging, property sets and pipeline input work.

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
    An ambiguous name resolution search.

    .PARAMETER ActiveSyncDebugLogging
    Reserved for internal Microsoft use; accepted and ignored.

    .PARAMETER Filter
    An OPATH filter.

    .PARAMETER GetImapProtocolLog
    Reserved for internal Microsoft use; accepted and ignored.

    .PARAMETER GetPopProtocolLog
    Reserved for internal Microsoft use; accepted and ignored.

    .PARAMETER IgnoreDefaultScope
    Reserved for internal Microsoft use; accepted and ignored.

    .PARAMETER OrganizationalUnit
    Only mailboxes in this organizational unit.

    .PARAMETER Properties
    Extra properties to return.

    .PARAMETER PropertySets
    Property sets to return besides Minimum.

    .PARAMETER ProtocolSettings
    Also return the external and internal POP, IMAP and SMTP settings.

    .PARAMETER ReadIsOptimizedForAccessibility
    Reserved for internal Microsoft use; accepted and ignored.

    .PARAMETER ResultSize
    How many mailboxes to return: a number (default 1000) or Unlimited.

    .PARAMETER SendLogsTo
    Reserved for internal Microsoft use; accepted and ignored.

    .EXAMPLE
    Get-EXOCasMailbox -ResultSize Unlimited -PropertySets Imap, Pop | Where-Object ImapEnabled

    .OUTPUTS
    ExchangeOnlineManagement.ExoCasMailbox
    #>
    [CmdletBinding(DefaultParameterSetName = 'Identity', PositionalBinding = $false)]
    [OutputType('ExchangeOnlineManagement.ExoCasMailbox')]
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

        [switch] $ActiveSyncDebugLogging,
        [string] $Filter,
        [switch] $GetImapProtocolLog,
        [switch] $GetPopProtocolLog,
        [switch] $IgnoreDefaultScope,
        [string] $OrganizationalUnit,

        [string[]] $Properties,

        [ValidateSet('All', 'Minimum', 'ActiveSync', 'Ews', 'Imap', 'Mapi', 'Pop', 'ProtocolSettings')]
        [string[]] $PropertySets,

        [switch] $ProtocolSettings,
        [switch] $ReadIsOptimizedForAccessibility,
        [object] $ResultSize = 1000,
        [string[]] $SendLogsTo
    )

    begin { $query = New-ExoQuery -Cmdlet $PSCmdlet -BoundParameters $PSBoundParameters }
    process { Add-ExoQueryInput -Query $query -BoundParameters $PSBoundParameters }
    end { Complete-ExoQuery -Query $query }
}
