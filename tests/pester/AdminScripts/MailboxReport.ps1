<#
.SYNOPSIS
Writes a CSV report of every mailbox with who has access to it and the
distribution groups it belongs to.

.DESCRIPTION
A real-world-style admin script, written as admins write them against
Microsoft's module (classic cmdlets, Where-Object, Export-Csv); the Pester
suite runs it unchanged against the sandbox tenant.

.PARAMETER Path
The CSV file to write.
#>
param(
    [Parameter(Mandatory)]
    [string] $Path
)

$groupsOf = @{}
foreach ($group in Get-DistributionGroup -ResultSize Unlimited) {
    foreach ($member in Get-DistributionGroupMember -Identity $group.Identity -ResultSize Unlimited) {
        $key = [string]$member.PrimarySmtpAddress
        if (-not $groupsOf.ContainsKey($key)) { $groupsOf[$key] = @() }
        $groupsOf[$key] += $group.DisplayName
    }
}

$report = foreach ($mailbox in Get-Mailbox -ResultSize Unlimited) {
    $permissions = Get-MailboxPermission -Identity $mailbox.UserPrincipalName |
        Where-Object { $_.User -ne 'NT AUTHORITY\SELF' -and -not $_.IsInherited }
    $sendAs = Get-RecipientPermission -Identity $mailbox.UserPrincipalName |
        Where-Object { $_.Trustee -ne 'NT AUTHORITY\SELF' }
    $address = [string]$mailbox.PrimarySmtpAddress
    [pscustomobject]@{
        Mailbox      = $address
        DisplayName  = $mailbox.DisplayName
        Type         = $mailbox.RecipientTypeDetails
        FullAccess   = (@($permissions | Where-Object { $_.AccessRights -contains 'FullAccess' } | ForEach-Object { $_.User }) | Sort-Object) -join ';'
        SendAs       = (@($sendAs | ForEach-Object { $_.Trustee }) | Sort-Object) -join ';'
        SendOnBehalf = (@($mailbox.GrantSendOnBehalfTo) | Sort-Object) -join ';'
        Groups       = (@($groupsOf[$address]) | Where-Object { $_ } | Sort-Object) -join ';'
    }
}
$report | Export-Csv -Path $Path -NoTypeInformation -Encoding utf8
Write-Host "Wrote $(@($report).Count) mailboxes to $Path"
