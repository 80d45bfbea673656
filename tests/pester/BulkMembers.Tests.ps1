# Bulk membership beyond Microsoft's module: Update-DistributionGroupMember
# with 10,000 members completes, although the service (and the sandbox)
# refuse more than 5,000 in one call; the daemon splits the list
# (docs/invoke-command.md). The final membership is read from the
# sandbox's database.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $savedEnvironment = Save-TestEnvironment EXOD_SOCKET, EXOD_TRUSTED_CA
    $socket = New-TestSocket
    $sandbox = Start-TestSandbox -Mailboxes 12000 -TimeoutSeconds 300
    $tenant = $sandbox.Info
    $env:EXOD_TRUSTED_CA = $tenant.caFile
    Import-Module $ModuleManifest -Force
    $credential = [pscredential]::new($tenant.userPrincipalName, (ConvertTo-SecureString $tenant.password -AsPlainText -Force))
    Connect-ExchangeOnline -Credential $credential -ConnectionUri $tenant.connectionUri -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false

    function Get-TestMembers([string] $Group) {
        Invoke-TestSql $sandbox "SELECT m.user_principal_name FROM group_members gm JOIN recipients g ON g.id = gm.group_key JOIN recipients m ON m.id = gm.member_key WHERE gm.link_type = 'Members' AND g.primary_smtp_address = '$Group'"
    }
}

AfterAll {
    Remove-TestTenant -Sandbox $sandbox -Socket $socket -Environment $savedEnvironment
}

Describe 'Update-DistributionGroupMember with 10,000 members' {
    It 'leaves exactly the 10,000 listed members, as one call would' {
        $group = Invoke-TestSql $sandbox "SELECT primary_smtp_address FROM recipients WHERE recipient_type_details = 'MailUniversalDistributionGroup' ORDER BY id LIMIT 1"
        $users = @(Invoke-TestSql $sandbox "SELECT user_principal_name FROM recipients WHERE recipient_type_details = 'UserMailbox' AND soft_deleted = 0 AND inactive = 0 ORDER BY id")
        $users.Count | Should -BeGreaterOrEqual 10100
        # Members the list leaves out must go, as with one Update call.
        Add-DistributionGroupMember -Identity $group -Member $users[10050] -BypassSecurityGroupManagerCheck -Confirm:$false -ErrorAction SilentlyContinue
        @(Get-TestMembers $group) | Should -Contain $users[10050]
        $members = $users[0..9999]

        Update-DistributionGroupMember -Identity $group -Members $members -BypassSecurityGroupManagerCheck -Confirm:$false -ErrorVariable failures

        $failures.Count | Should -Be 0
        $global:EXO_LastExecutionStatus | Should -BeTrue
        $actual = @(Get-TestMembers $group)
        $actual.Count | Should -Be 10000
        @($actual | Sort-Object) | Should -Be @($members | Sort-Object)
    }
}
