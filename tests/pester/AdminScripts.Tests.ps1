# Real-world-style admin scripts (tests/pester/AdminScripts) run unchanged
# against the sandbox tenant through the generated classic cmdlets; the
# final tenant state is read back from the sandbox's database, not through
# the module.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $savedEnvironment = Save-TestEnvironment EXOD_SOCKET, EXOD_TRUSTED_CA
    $socket = New-TestSocket
    $sandbox = Start-TestSandbox
    $tenant = $sandbox.Info
    $env:EXOD_TRUSTED_CA = $tenant.caFile
    Import-Module $ModuleManifest -Force
    $credential = [pscredential]::new($tenant.userPrincipalName, (ConvertTo-SecureString $tenant.password -AsPlainText -Force))
    Connect-ExchangeOnline -Credential $credential -ConnectionUri $tenant.connectionUri -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false
    $scripts = Join-Path $PSScriptRoot 'AdminScripts'
    $work = [System.IO.Directory]::CreateTempSubdirectory('exo-adminscripts-').FullName

    function Get-TestFullAccess([string] $Mailbox) {
        Invoke-TestSql $sandbox "SELECT t.user_principal_name FROM mailbox_permissions p JOIN recipients m ON m.id = p.mailbox_key JOIN recipients t ON t.id = p.trustee_key WHERE m.user_principal_name = '$Mailbox' AND p.access_rights LIKE '%FullAccess%' AND p.deny = 0 ORDER BY 1"
    }
    function Get-TestSendAs([string] $Mailbox) {
        Invoke-TestSql $sandbox "SELECT t.user_principal_name FROM recipient_permissions p JOIN recipients m ON m.id = p.recipient_key JOIN recipients t ON t.id = p.trustee_key WHERE m.user_principal_name = '$Mailbox' AND p.access_rights LIKE '%SendAs%' ORDER BY 1"
    }
    function Get-TestGroups([string] $Address) {
        Invoke-TestSql $sandbox "SELECT g.display_name FROM group_members gm JOIN recipients g ON g.id = gm.group_key JOIN recipients m ON m.id = gm.member_key WHERE gm.link_type = 'Members' AND g.recipient_type_details IN ('MailUniversalDistributionGroup', 'MailUniversalSecurityGroup') AND m.primary_smtp_address = '$Address' ORDER BY 1"
    }
    $users = @(Invoke-TestSql $sandbox "SELECT user_principal_name FROM recipients WHERE recipient_type_details = 'UserMailbox' AND soft_deleted = 0 AND inactive = 0 AND user_principal_name <> '$($tenant.userPrincipalName)' ORDER BY user_principal_name")
}

AfterAll {
    Remove-TestTenant -Sandbox $sandbox -Socket $socket -Environment $savedEnvironment
    if ($work) { Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Mailbox report with permissions and group memberships' {
    It 'reports every mailbox with the tenant''s permissions and groups' {
        $owner = $users[0]
        $delegate = $users[1]
        Add-MailboxPermission -Identity $owner -User $delegate -AccessRights FullAccess -Confirm:$false | Out-Null
        Add-RecipientPermission -Identity $owner -Trustee $users[2] -AccessRights SendAs -Confirm:$false | Out-Null
        $path = Join-Path $work 'report.csv'

        & (Join-Path $scripts 'MailboxReport.ps1') -Path $path 6>$null

        $rows = @(Import-Csv -Path $path)
        $expected = @(Invoke-TestSql $sandbox "SELECT primary_smtp_address FROM recipients WHERE recipient_type_details IN ('UserMailbox', 'SharedMailbox', 'RoomMailbox', 'EquipmentMailbox') AND soft_deleted = 0 AND inactive = 0")
        @($rows.Mailbox | Sort-Object) | Should -Be @($expected | Sort-Object)
        foreach ($row in $rows) {
            $row.Groups | Should -Be ((Get-TestGroups $row.Mailbox) -join ';') -Because "the groups of $($row.Mailbox)"
        }
        $ownerRow = $rows | Where-Object Mailbox -EQ (Invoke-TestSql $sandbox "SELECT primary_smtp_address FROM recipients WHERE user_principal_name = '$owner'")
        $ownerRow.FullAccess | Should -Match ([regex]::Escape(($delegate -split '@')[0]))
        $ownerRow.SendAs | Should -Match ([regex]::Escape(($users[2] -split '@')[0]))
        @(Get-TestFullAccess $owner) | Should -Contain $delegate
        @($rows | Where-Object Groups).Count | Should -BeGreaterThan 0 -Because 'the seeded tenant has group members'
    }
}

Describe 'Bulk permission changes from a CSV' {
    It 'applies every valid row once and logs the failing ones' {
        $csv = Join-Path $work 'changes.csv'
        $log = Join-Path $work 'changes.log'
        $rows = @(
            [pscustomobject]@{ Mailbox = $users[10]; User = $users[11]; Access = 'FullAccess'; Action = 'Add' }
            [pscustomobject]@{ Mailbox = $users[10]; User = $users[12]; Access = 'FullAccess'; Action = 'Add' }
            [pscustomobject]@{ Mailbox = $users[13]; User = $users[11]; Access = 'SendAs'; Action = 'Add' }
            [pscustomobject]@{ Mailbox = 'nobody@contoso.com'; User = $users[11]; Access = 'FullAccess'; Action = 'Add' }
            [pscustomobject]@{ Mailbox = $users[14]; User = $users[15]; Access = 'SendOnBehalf'; Action = 'Add' }
            [pscustomobject]@{ Mailbox = $users[10]; User = $users[12]; Access = 'FullAccess'; Action = 'Remove' }
            [pscustomobject]@{ Mailbox = $users[13]; User = 'ghost@contoso.com'; Access = 'SendAs'; Action = 'Add' }
            [pscustomobject]@{ Mailbox = $users[16]; User = $users[17]; Access = 'SendAs'; Action = 'Add' }
            [pscustomobject]@{ Mailbox = $users[16]; User = $users[17]; Access = 'SendAs'; Action = 'Remove' }
        )
        $rows | Export-Csv -Path $csv -NoTypeInformation

        & (Join-Path $scripts 'Set-BulkPermissions.ps1') -CsvPath $csv -LogPath $log 6>$null

        @(Get-TestFullAccess $users[10]) | Should -Be @($users[11])
        @(Get-TestSendAs $users[13]) | Should -Be @($users[11])
        @(Get-TestSendAs $users[16]) | Should -BeNullOrEmpty
        $behalf = Invoke-TestSql $sandbox "SELECT json_extract(props, '$.GrantSendOnBehalfTo') FROM recipients WHERE user_principal_name = '$($users[14])'"
        $behalf | Should -Match ([regex]::Escape(($users[15] -split '@')[0]))
        $failures = @(Get-Content -Path $log)
        $failures.Count | Should -Be 2
        $failures[0] | Should -BeLike 'nobody@contoso.com,*'
        $failures[1] | Should -BeLike "*ghost@contoso.com*"
    }
}

Describe 'Offboarding' {
    It 'converts to shared, removes group memberships, sets the automatic reply and grants the manager' {
        $address = @(Invoke-TestSql $sandbox "SELECT m.user_principal_name FROM group_members gm JOIN recipients g ON g.id = gm.group_key JOIN recipients m ON m.id = gm.member_key WHERE gm.link_type = 'Members' AND m.recipient_type_details = 'UserMailbox' AND g.recipient_type_details IN ('MailUniversalDistributionGroup', 'MailUniversalSecurityGroup') GROUP BY m.id HAVING COUNT(*) > 1 ORDER BY 1")
        $address.Count | Should -BeGreaterThan 0 -Because 'the seeded tenant has someone in two groups'
        $leaver = $address[0]
        $manager = $users | Where-Object { $_ -ne $leaver } | Select-Object -Last 1
        $primary = Invoke-TestSql $sandbox "SELECT primary_smtp_address FROM recipients WHERE user_principal_name = '$leaver'"

        & (Join-Path $scripts 'Invoke-Offboarding.ps1') -User $leaver -Manager $manager 6>$null

        Invoke-TestSql $sandbox "SELECT recipient_type_details FROM recipients WHERE user_principal_name = '$leaver'" | Should -Be 'SharedMailbox'
        @(Get-TestGroups $primary) | Should -BeNullOrEmpty
        @(Get-TestFullAccess $leaver) | Should -Contain $manager
        $reply = Get-MailboxAutoReplyConfiguration -Identity $leaver
        "$($reply.AutoReplyState)" | Should -Be 'Enabled'
        "$($reply.ExternalAudience)" | Should -Be 'All'
        $reply.InternalMessage | Should -BeLike "*has left the company. Please contact $manager.*"
        $global:EXO_LastExecutionStatus | Should -BeTrue
    }
}

Describe 'Bulk group membership' {
    It 'sets a group''s members to exactly a list with Update-DistributionGroupMember' {
        $group = Invoke-TestSql $sandbox "SELECT primary_smtp_address FROM recipients WHERE recipient_type_details = 'MailUniversalDistributionGroup' ORDER BY id LIMIT 1"
        $members = @($users[20..39])
        Update-DistributionGroupMember -Identity $group -Members $members -BypassSecurityGroupManagerCheck -Confirm:$false
        $global:EXO_LastExecutionStatus | Should -BeTrue
        $actual = Invoke-TestSql $sandbox "SELECT m.user_principal_name FROM group_members gm JOIN recipients g ON g.id = gm.group_key JOIN recipients m ON m.id = gm.member_key WHERE gm.link_type = 'Members' AND g.primary_smtp_address = '$group' ORDER BY 1"
        @($actual | Sort-Object) | Should -Be @($members | Sort-Object)
    }
}
