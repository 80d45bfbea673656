<#
.SYNOPSIS
Applies mailbox permission changes listed in a CSV file.

.DESCRIPTION
A real-world-style admin script: each row names a Mailbox, a User, the
Access (FullAccess, SendAs or SendOnBehalf) and the Action (Add or
Remove). Rows that fail are logged and the script goes on; the Pester
suite runs it unchanged against the sandbox tenant.

.PARAMETER CsvPath
The CSV file with the changes.

.PARAMETER LogPath
The file failed rows are written to.
#>
param(
    [Parameter(Mandatory)]
    [string] $CsvPath,

    [Parameter(Mandatory)]
    [string] $LogPath
)

$done = 0
$failed = 0
foreach ($row in Import-Csv -Path $CsvPath) {
    try {
        switch ($row.Access) {
            'FullAccess' {
                if ($row.Action -eq 'Add') {
                    Add-MailboxPermission -Identity $row.Mailbox -User $row.User -AccessRights FullAccess -InheritanceType All -AutoMapping $false -Confirm:$false -ErrorAction Stop | Out-Null
                } else {
                    Remove-MailboxPermission -Identity $row.Mailbox -User $row.User -AccessRights FullAccess -InheritanceType All -Confirm:$false -ErrorAction Stop
                }
            }
            'SendAs' {
                if ($row.Action -eq 'Add') {
                    Add-RecipientPermission -Identity $row.Mailbox -Trustee $row.User -AccessRights SendAs -Confirm:$false -ErrorAction Stop | Out-Null
                } else {
                    Remove-RecipientPermission -Identity $row.Mailbox -Trustee $row.User -AccessRights SendAs -Confirm:$false -ErrorAction Stop
                }
            }
            'SendOnBehalf' {
                $change = if ($row.Action -eq 'Add') { @{ Add = $row.User } } else { @{ Remove = $row.User } }
                Set-Mailbox -Identity $row.Mailbox -GrantSendOnBehalfTo $change -ErrorAction Stop
            }
            default { throw "Unknown access '$($row.Access)'" }
        }
        $done++
    } catch {
        $failed++
        Add-Content -Path $LogPath -Value "$($row.Mailbox),$($row.User),$($row.Access),$($row.Action): $($_.Exception.Message)"
    }
}
Write-Host "$done changes applied, $failed failed (see $LogPath)"
