function Get-EXOMobileDeviceStatistics {
    <#
    .SYNOPSIS
    Gets the mobile devices of a mailbox with their sync statistics.

    .DESCRIPTION
    Drop-in for Microsoft's Get-EXOMobileDeviceStatistics. Give a device
    (-Identity) or a mailbox (-Mailbox, or piped mailboxes).

    .PARAMETER Identity
    The device: its GUID or DeviceID.

    .PARAMETER ExternalDirectoryObjectId
    The mailbox by its Entra object id.

    .PARAMETER PrimarySmtpAddress
    The mailbox by its primary SMTP address.

    .PARAMETER UserPrincipalName
    The mailbox by its user principal name.

    .PARAMETER Mailbox
    The mailbox whose devices to return: GUID, UPN or user id.

    .PARAMETER ActiveSync
    Only Exchange ActiveSync devices.

    .PARAMETER GetMailboxLog
    Reserved for internal Microsoft use; accepted and ignored.

    .PARAMETER NotificationEmailAddresses
    Reserved for internal Microsoft use; accepted and ignored.

    .PARAMETER OWAforDevices
    Only Outlook on the web for devices.

    .PARAMETER RestApi
    Only REST API clients.

    .PARAMETER ShowRecoveryPassword
    Reserved for internal Microsoft use; accepted and ignored.

    .PARAMETER UniversalOutlook
    Only Mail and Calendar apps.

    .EXAMPLE
    Get-EXOMobileDeviceStatistics -Mailbox ada@contoso.com

    .OUTPUTS
    ExchangeOnlineManagement.ExoMobileDeviceStatistics
    #>
    [CmdletBinding(DefaultParameterSetName = 'Identity', PositionalBinding = $false)]
    [OutputType('ExchangeOnlineManagement.ExoMobileDeviceStatistics')]
    param(
        [Parameter(ParameterSetName = 'Identity', ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [string] $Identity,

        [Parameter(ParameterSetName = 'Identity', ValueFromPipelineByPropertyName)]
        [guid] $ExternalDirectoryObjectId,

        [Parameter(ParameterSetName = 'Identity', ValueFromPipelineByPropertyName)]
        [string] $PrimarySmtpAddress,

        [Parameter(ParameterSetName = 'Identity', ValueFromPipelineByPropertyName)]
        [string] $UserPrincipalName,

        [Parameter(ParameterSetName = 'MobileDeviceIdentity', ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [string] $Mailbox,

        [switch] $ActiveSync,
        [switch] $GetMailboxLog,
        [string[]] $NotificationEmailAddresses,
        [switch] $OWAforDevices,
        [switch] $RestApi,
        [switch] $ShowRecoveryPassword,
        [switch] $UniversalOutlook
    )

    begin { $query = New-ExoQuery -Cmdlet $PSCmdlet -BoundParameters $PSBoundParameters }
    process { Add-ExoQueryInput -Query $query -BoundParameters $PSBoundParameters }
    end { Complete-ExoQuery -Query $query }
}
