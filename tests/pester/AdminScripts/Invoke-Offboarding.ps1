<#
.SYNOPSIS
Offboards a leaver: converts the mailbox to shared, removes it from every
distribution group, sets an automatic reply and gives the manager access.

.DESCRIPTION
A real-world-style admin script; the Pester suite runs it unchanged
against the sandbox tenant.

.PARAMETER User
The leaver's user principal name.

.PARAMETER Manager
The manager's user principal name, who gets FullAccess and is named in the
automatic reply.
#>
param(
    [Parameter(Mandatory)]
    [string] $User,

    [Parameter(Mandatory)]
    [string] $Manager
)
$ErrorActionPreference = 'Stop'

$mailbox = Get-Mailbox -Identity $User
Write-Host "Offboarding $($mailbox.DisplayName)"

Set-Mailbox -Identity $User -Type Shared

$groups = Get-DistributionGroup -ResultSize Unlimited | Where-Object {
    (Get-DistributionGroupMember -Identity $_.Identity -ResultSize Unlimited).PrimarySmtpAddress -contains $mailbox.PrimarySmtpAddress
}
foreach ($group in $groups) {
    Remove-DistributionGroupMember -Identity $group.Identity -Member $User -BypassSecurityGroupManagerCheck -Confirm:$false
    Write-Host "Removed from $($group.DisplayName)"
}

$message = "$($mailbox.DisplayName) has left the company. Please contact $Manager."
Set-MailboxAutoReplyConfiguration -Identity $User -AutoReplyState Enabled -InternalMessage $message -ExternalMessage $message -ExternalAudience All

Add-MailboxPermission -Identity $User -User $Manager -AccessRights FullAccess -InheritanceType All -AutoMapping $true -Confirm:$false | Out-Null
Write-Host "Done: $User is a shared mailbox, out of $(@($groups).Count) groups, with an automatic reply; $Manager has FullAccess"
