# End-to-end tests of the nine Get-EXO* cmdlets: pwsh → module → daemon →
# sandbox tenant's OData entity routes and back. The suite runs its own
# daemon on a private socket and a sandbox seeded with more mailboxes than
# the default ResultSize, so paging and the ResultSize warning are real.

BeforeDiscovery {
    # Parameter names of the 3.7 cmdlets, from cmdlet-surface.md §2 (plus
    # IncludeAnalysis of the 3.7-era docs and ExternalDirectoryObjectId,
    # which the docs' prose gives Get-EXOMailboxStatistics).
    $surface = @(
        @{ Command = 'Get-EXOMailbox'; Parameters = 'Identity', 'ExternalDirectoryObjectId', 'PrimarySmtpAddress', 'UserPrincipalName', 'Anr', 'Archive', 'Async', 'Filter', 'GroupMailbox', 'InactiveMailboxOnly', 'IncludeInactiveMailbox', 'MailboxPlan', 'Migration', 'OrganizationalUnit', 'Properties', 'PropertySets', 'PublicFolder', 'RecipientTypeDetails', 'ResultSize', 'SoftDeletedMailbox' }
        @{ Command = 'Get-EXOCasMailbox'; Parameters = 'Identity', 'ExternalDirectoryObjectId', 'PrimarySmtpAddress', 'UserPrincipalName', 'Anr', 'ActiveSyncDebugLogging', 'Filter', 'GetImapProtocolLog', 'GetPopProtocolLog', 'IgnoreDefaultScope', 'OrganizationalUnit', 'Properties', 'PropertySets', 'ProtocolSettings', 'ReadIsOptimizedForAccessibility', 'ResultSize', 'SendLogsTo' }
        @{ Command = 'Get-EXORecipient'; Parameters = 'Identity', 'ExternalDirectoryObjectId', 'PrimarySmtpAddress', 'UserPrincipalName', 'Anr', 'Filter', 'IncludeSoftDeletedRecipients', 'OrganizationalUnit', 'Properties', 'PropertySets', 'RecipientPreviewFilter', 'RecipientType', 'RecipientTypeDetails', 'ResultSize' }
        @{ Command = 'Get-EXOMailboxStatistics'; Parameters = 'Identity', 'ExchangeGuid', 'DatabaseGuid', 'ExternalDirectoryObjectId', 'PrimarySmtpAddress', 'UserPrincipalName', 'Archive', 'IncludeMoveHistory', 'IncludeMoveReport', 'IncludeSoftDeletedRecipients', 'Properties', 'PropertySets' }
        @{ Command = 'Get-EXOMailboxFolderStatistics'; Parameters = 'Identity', 'ExternalDirectoryObjectId', 'PrimarySmtpAddress', 'UserPrincipalName', 'Archive', 'DiagnosticInfo', 'FolderScope', 'IncludeAnalysis', 'IncludeOldestAndNewestItems', 'IncludeSoftDeletedRecipients' }
        @{ Command = 'Get-EXOMailboxPermission'; Parameters = 'ExternalDirectoryObjectId', 'Identity', 'Owner', 'PrimarySmtpAddress', 'ResultSize', 'SoftDeletedMailbox', 'User', 'UserPrincipalName' }
        @{ Command = 'Get-EXOMailboxFolderPermission'; Parameters = 'Identity', 'ExternalDirectoryObjectId', 'GroupMailbox', 'PrimarySmtpAddress', 'User', 'UserPrincipalName' }
        @{ Command = 'Get-EXOMobileDeviceStatistics'; Parameters = 'Identity', 'ExternalDirectoryObjectId', 'PrimarySmtpAddress', 'UserPrincipalName', 'Mailbox', 'ActiveSync', 'GetMailboxLog', 'NotificationEmailAddresses', 'OWAforDevices', 'RestApi', 'ShowRecoveryPassword', 'UniversalOutlook' }
        @{ Command = 'Get-EXORecipientPermission'; Parameters = 'Identity', 'ExternalDirectoryObjectId', 'PrimarySmtpAddress', 'UserPrincipalName', 'AccessRights', 'ResultSize', 'Trustee' }
    )
    # Pipeline binding and positions the spec gives.
    $binding = @(
        @{ Command = 'Get-EXOMailbox'; Name = 'Identity'; Position = 0; ByValue = $true; ByPropertyName = $true; Type = [string] }
        @{ Command = 'Get-EXOMailbox'; Name = 'ExternalDirectoryObjectId'; Position = [int]::MinValue; ByValue = $false; ByPropertyName = $true; Type = [guid] }
        @{ Command = 'Get-EXOMailbox'; Name = 'UserPrincipalName'; Position = [int]::MinValue; ByValue = $false; ByPropertyName = $true; Type = [string] }
        @{ Command = 'Get-EXOMailboxStatistics'; Name = 'Identity'; Position = [int]::MinValue; ByValue = $true; ByPropertyName = $true; Type = [string] }
        @{ Command = 'Get-EXOMailboxStatistics'; Name = 'ExchangeGuid'; Position = [int]::MinValue; ByValue = $false; ByPropertyName = $true; Type = [guid] }
        @{ Command = 'Get-EXOMailboxFolderPermission'; Name = 'Identity'; Position = 0; ByValue = $true; ByPropertyName = $true; Type = [string] }
        @{ Command = 'Get-EXORecipientPermission'; Name = 'Identity'; Position = 0; ByValue = $true; ByPropertyName = $true; Type = [string] }
        @{ Command = 'Get-EXOMobileDeviceStatistics'; Name = 'Mailbox'; Position = [int]::MinValue; ByValue = $true; ByPropertyName = $true; Type = [string] }
    )
}

BeforeDiscovery {
    # Every property set of cmdlet-surface.md §3, read from the spec itself so
    # the daemon's and the sandbox's tables are both checked against it.
    $specFile = Join-Path $PSScriptRoot '..' '..' '..' 'shared' 'spec' 'cmdlet-surface.md'
    $propertySets = @()
    $cmdlet = $null
    foreach ($line in [System.IO.File]::ReadAllLines($specFile)) {
        if ($line -match '^#### (Get-EXO\w+)') { $cmdlet = $Matches[1]; continue }
        if ($line -match '^(##|Minimum-set caveats)') { $cmdlet = $null; continue }
        if ($cmdlet -and $line -match '^\| `(\w+)` \| (\d+) \| (.+) \|$') {
            $propertySets += @{ Command = $cmdlet; Set = $Matches[1]; Properties = @($Matches[3] -split ',\s*') }
        }
    }
    foreach ($entry in $propertySets) {
        $entry.Minimum = @(($propertySets | Where-Object { $_.Command -eq $entry.Command -and $_.Set -eq 'Minimum' }).Properties)
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $savedEnvironment = Save-TestEnvironment EXOD_SOCKET, EXOD_TRUSTED_CA
    $socket = New-TestSocket
    $mailboxCount = 1200
    $sandbox = Start-TestSandbox -Mailboxes $mailboxCount
    $tenant = $sandbox.Info
    $env:EXOD_TRUSTED_CA = $tenant.caFile
    Import-Module $ModuleManifest -Force
    $adminCredential = [pscredential]::new($tenant.userPrincipalName, (ConvertTo-SecureString $tenant.password -AsPlainText -Force))

    function Connect-TestAdmin {
        param([hashtable] $Extra = @{})
        Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue 6>$null
        Connect-ExchangeOnline -Credential $adminCredential -ConnectionUri $tenant.connectionUri `
            -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false -PageSize 250 @Extra
    }
    # The active mailboxes' ids as the sandbox's database holds them.
    function Get-TestMailboxIdsFromDatabase {
        Invoke-TestSql $sandbox "SELECT external_directory_object_id FROM recipients WHERE recipient_type = 'UserMailbox' AND soft_deleted = 0 AND inactive = 0"
    }
    Connect-TestAdmin
    # Every mailbox, read once; tests compare against it.
    $allMailboxes = @(Get-EXOMailbox -ResultSize Unlimited)
    $users = @($allMailboxes | Where-Object RecipientTypeDetails -EQ 'UserMailbox')
}

AfterAll {
    Remove-TestTenant -Sandbox $sandbox -Socket $socket -Environment $savedEnvironment
}

Describe 'Get-EXO* parameter surface' {
    It '<Command> has exactly the 3.7 parameters' -ForEach $surface {
        $command = Get-Command $Command -Module ExchangeOnlineManagement
        $own = $command.Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters }
        @($own | Sort-Object) | Should -Be @($Parameters | Sort-Object)
        (Get-Help $Command).Synopsis | Should -Not -BeNullOrEmpty
    }

    It '<Command> -<Name> binds as documented' -ForEach $binding {
        $parameter = (Get-Command $Command).Parameters[$Name]
        $parameter.ParameterType | Should -Be $Type
        $attribute = $parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } | Select-Object -First 1
        $attribute.Position | Should -Be $Position
        $attribute.ValueFromPipeline | Should -Be $ByValue
        $attribute.ValueFromPipelineByPropertyName | Should -Be $ByPropertyName
    }
}

Describe 'Get-EXOMailbox' {
    It 'returns the Minimum set in the service''s display order, typed' {
        $softDeleted = @(Get-EXOMailbox -ResultSize Unlimited -SoftDeletedMailbox)
        $softDeleted.Count | Should -BeGreaterThan 0
        $allMailboxes.Count + $softDeleted.Count | Should -Be $mailboxCount -Because 'the tenant was seeded with that many, some soft-deleted'
        @($allMailboxes.Guid) | Should -Not -Contain $softDeleted[0].Guid
        $first = $allMailboxes[0]
        $first.PSObject.TypeNames[0] | Should -Be 'ExchangeOnlineManagement.ExoMailbox'
        $first.PSObject.Properties.Name | Should -Be @('ExternalDirectoryObjectId', 'UserPrincipalName', 'Alias', 'DisplayName',
            'EmailAddresses', 'PrimarySmtpAddress', 'RecipientType', 'RecipientTypeDetails', 'Identity', 'Id', 'ExchangeVersion',
            'Name', 'DistinguishedName', 'OrganizationId', 'Guid')
        $first.Guid | Should -BeOfType [guid]
        @($allMailboxes.UserPrincipalName | Sort-Object -Unique).Count | Should -Be $allMailboxes.Count -Because 'paging neither loses nor repeats objects'
    }

    It 'stops at ResultSize 1000 by default with the service''s warning' {
        $result = @(Get-EXOMailbox -WarningVariable warnings -WarningAction SilentlyContinue)
        $result.Count | Should -Be 1000
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike 'There are more results available*increase the value for the ResultSize parameter.'
        $result.UserPrincipalName | Should -Be $allMailboxes[0..999].UserPrincipalName
    }

    It 'honours -ResultSize <Size> without a warning when all fit' -ForEach @(@{ Size = 'Unlimited' }, @{ Size = 1200 }) {
        $result = @(Get-EXOMailbox -ResultSize $Size -WarningVariable warnings)
        $result.Count | Should -Be $allMailboxes.Count
        @($warnings).Count | Should -Be 0
    }

    It 'refuses a ResultSize that is not a number or Unlimited' {
        { Get-EXOMailbox -ResultSize 'lots' } | Should -Throw '*Unlimited*'
        { Get-EXOMailbox -ResultSize 0 } | Should -Throw '*positive number or Unlimited*'
    }

    It 'returns exactly <Size> objects at the page-size edges, warning only when more exist' -ForEach @(
        @{ Size = 1 }, @{ Size = 249 }, @{ Size = 250 }, @{ Size = 251 }, @{ Size = 500 }
    ) {
        # The suite connects with -PageSize 250.
        $result = @(Get-EXOMailbox -ResultSize $Size -WarningVariable warnings -WarningAction SilentlyContinue)
        $result.UserPrincipalName | Should -Be @($allMailboxes[0..($Size - 1)].UserPrincipalName)
        @($warnings).Count | Should -Be 1
    }

    It 'finds one mailbox by each identity form: <Form>' -ForEach @(
        @{ Form = 'UPN' }, @{ Form = 'SMTP' }, @{ Form = 'GUID' }, @{ Form = 'ExternalDirectoryObjectId' }, @{ Form = 'Alias' }, @{ Form = 'Name' }
    ) {
        $box = $users[7]
        $value = switch ($Form) {
            'UPN' { $box.UserPrincipalName }
            'SMTP' { $box.PrimarySmtpAddress }
            'GUID' { "$($box.Guid)" }
            'ExternalDirectoryObjectId' { "$($box.ExternalDirectoryObjectId)" }
            'Alias' { $box.Alias }
            'Name' { $box.Name }
        }
        $found = @(Get-EXOMailbox -Identity $value)
        $found.Count | Should -Be 1
        $found[0].Guid | Should -Be $box.Guid
        @(Get-EXOMailbox -ExternalDirectoryObjectId $box.ExternalDirectoryObjectId).Guid | Should -Be $box.Guid
        @(Get-EXOMailbox -PrimarySmtpAddress $box.PrimarySmtpAddress).Guid | Should -Be $box.Guid
        @(Get-EXOMailbox -UserPrincipalName $box.UserPrincipalName).Guid | Should -Be $box.Guid
    }

    It 'loses and repeats nothing across pages under <Fault>' -ForEach @(
        @{ Fault = 'connection resets mid-body'; Settings = @{ kind = 'reset'; probability = 0.25; routes = @('Mailbox') } }
        @{ Fault = '503 answers'; Settings = @{ kind = 'status'; status = 503; probability = 0.3; routes = @('Mailbox') } }
        @{ Fault = 'a 429 storm'; Settings = @{ kind = 'status'; status = 429; probability = 0.5; routes = @('Mailbox') } }
    ) {
        Set-TestSandboxSettings -Sandbox $sandbox -Settings @{ seed = 11; faults = @($Settings) }
        try {
            $result = @(Get-EXOMailbox -ResultSize Unlimited -ErrorVariable failures)
        } finally {
            Set-TestSandboxSettings -Sandbox $sandbox -Settings @{}
        }
        $failures.Count | Should -Be 0
        # The database is the truth: every active mailbox exactly once.
        $expected = @(Get-TestMailboxIdsFromDatabase)
        $expected.Count | Should -Be $allMailboxes.Count
        @($result.ExternalDirectoryObjectId | ForEach-Object { "$_" } | Sort-Object) | Should -Be @($expected | Sort-Object)
    }

    It 'adds -PropertySets and -Properties after the Minimum set' {
        $box = Get-EXOMailbox -Identity $users[0].UserPrincipalName -PropertySets Quota, Audit -Properties WhenCreated, LitigationHoldEnabled
        $names = $box.PSObject.Properties.Name
        $names[0..14] | Should -Be $allMailboxes[0].PSObject.Properties.Name
        $names | Should -Contain 'ProhibitSendQuota'
        $names | Should -Contain 'AuditEnabled'
        $names[-2..-1] | Should -Be @('WhenCreated', 'LitigationHoldEnabled')
        $box.ProhibitSendQuota | Should -Match '^\d+(\.\d+)? [KMGT]?B \([\d,]+ bytes\)$|^Unlimited$'
        $box.WhenCreated | Should -BeOfType [datetime]
    }

    It 'rejects an unknown property before any request, even with no connection' {
        Disconnect-ExchangeOnline -Confirm:$false 6>$null
        try {
            { Get-EXOMailbox -Properties PrimarySmtpAdress } | Should -Throw '*"PrimarySmtpAdress" is not valid for Get-EXOMailbox*'
            { Get-EXOMailbox -ResultSize 1 } | Should -Throw '*Connect-ExchangeOnline*'
        } finally {
            Connect-TestAdmin
        }
    }

    It 'filters on the service with -Filter' {
        $shared = @(Get-EXOMailbox -ResultSize Unlimited -Filter "RecipientTypeDetails -eq 'SharedMailbox'")
        $expected = @($allMailboxes | Where-Object RecipientTypeDetails -EQ 'SharedMailbox')
        $expected.Count | Should -BeGreaterThan 0
        $shared.UserPrincipalName | Should -Be $expected.UserPrincipalName
        $prefix = $users[3].Alias.Substring(0, 3)
        $like = @(Get-EXOMailbox -ResultSize Unlimited -Filter "Alias -like '$prefix*' -and RecipientTypeDetails -ne 'SharedMailbox'")
        $like.UserPrincipalName | Should -Be @($allMailboxes | Where-Object { $_.Alias -like "$prefix*" -and $_.RecipientTypeDetails -ne 'SharedMailbox' }).UserPrincipalName
    }

    It 'reports a malformed filter with its position and a clear message' {
        { Get-EXOMailbox -Filter "Alias -eq" } | Should -Throw '*position 9*'
        { Get-EXOMailbox -Filter "Alias -like 'a*b'" } | Should -Throw '*in the middle*'
        { Get-EXOMailbox -Filter "MemberOfGroup -eq 'x'" } | Should -Throw '*MemberOfGroup*cannot be used*'
    }

    It 'writes a non-terminating error for a missing mailbox and sets EXO_LastExecutionStatus' {
        $result = @(Get-EXOMailbox -Identity 'nobody@nowhere.example' -ErrorVariable failures -ErrorAction SilentlyContinue)
        $result.Count | Should -Be 0
        $failures.Count | Should -Be 1
        "$($failures[0])" | Should -BeLike '*ManagementObjectNotFoundException*nobody@nowhere.example*'
        $failures[0].FullyQualifiedErrorId | Should -BeLike '`[Server=*,RequestId=*,TimeStamp=*`]*'
        $failures[0].CategoryInfo.Reason | Should -Be 'ManagementObjectNotFoundException'
        $global:EXO_LastExecutionStatus | Should -BeFalse
        $null = Get-EXOMailbox -Identity $users[0].UserPrincipalName
        $global:EXO_LastExecutionStatus | Should -BeTrue
    }

    It 'makes the error terminating with -ErrorAction Stop, so try/catch works' {
        $caught = $null
        try { Get-EXOMailbox -Identity 'nobody@nowhere.example' -ErrorAction Stop } catch { $caught = $_ }
        "$caught" | Should -BeLike '*couldn''t be found*'
    }

    It 'reads piped identities in input order and reports the bad one without losing the rest' {
        $names = @($users[5].UserPrincipalName, 'ghost@nowhere.example', $users[2].UserPrincipalName, $users[9].PrimarySmtpAddress)
        $result = @($names | Get-EXOMailbox -ErrorVariable failures -ErrorAction SilentlyContinue)
        $result.UserPrincipalName | Should -Be @($users[5].UserPrincipalName, $users[2].UserPrincipalName, $users[9].UserPrincipalName)
        $failures.Count | Should -Be 1
        "$($failures[0])" | Should -BeLike '*ghost@nowhere.example*'
    }

    It 'keeps order over hundreds of piped mailboxes under throttling and a concurrency cap, with no error' {
        Set-TestSandboxSettings -Sandbox $sandbox -Settings @{
            seed     = 7
            throttle = @{ budget = 30000; window = '1h'; maxConcurrent = 2 }
            faults   = @(@{ kind = 'status'; status = 429; probability = 0.1; routes = @('Mailbox') })
        }
        try {
            $sample = $users[0..149]
            $result = @($sample | Get-EXOMailbox -ErrorVariable failures)
            $failures.Count | Should -Be 0
            $result.UserPrincipalName | Should -Be $sample.UserPrincipalName
        } finally {
            Set-TestSandboxSettings -Sandbox $sandbox -Settings @{}
        }
    }

    It 'stops paging when the pipeline stops early' {
        $first = @(Get-EXOMailbox -ResultSize Unlimited | Select-Object -First 3)
        $first.Count | Should -Be 3
        Wait-TestCondition { (Get-ExodStatus).CallsInFlight -eq 1 } | Should -BeTrue -Because 'the cancelled Query call ended in the daemon'
    }

    It 'stops paging on the daemon when the command is stopped, as Ctrl+C does' {
        # PowerShell.Stop() is what Ctrl+C does to the running pipeline.
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript({
                    param($Manifest)
                    Import-Module $Manifest
                    Get-EXOMailbox -ResultSize Unlimited | ForEach-Object { Start-Sleep -Milliseconds 5; $_ }
                }).AddArgument($ModuleManifest)
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $null = $shell.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]$null, $output)
            Wait-TestCondition { $output.Count -gt 0 } | Should -BeTrue -Because 'objects stream before the last page'
            (Get-ExodStatus).CallsInFlight | Should -BeGreaterThan 1 -Because 'the Query call is still running'
            $shell.Stop()
            $output.Count | Should -BeLessThan $allMailboxes.Count
            Wait-TestCondition { (Get-ExodStatus).CallsInFlight -eq 1 } | Should -BeTrue -Because 'the stopped Query call ended in the daemon'
        } finally {
            $shell.Dispose()
        }
    }

    It 'shows a progress bar with the count so far after Connect-ExchangeOnline -ShowProgress <Show>' -ForEach @(
        @{ Show = $true }, @{ Show = $false }
    ) {
        # A runspace of its own, so its progress stream can be read.
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript({
                    param($Manifest, $Credential, $Tenant, $Show)
                    Import-Module $Manifest
                    Connect-ExchangeOnline -Credential $Credential -ConnectionUri $Tenant.connectionUri `
                        -AzureADAuthorizationEndpointUri $Tenant.authorityUri -ShowBanner:$false -PageSize 250 -ShowProgress $Show
                    Get-EXOMailbox -ResultSize 600 -WarningAction SilentlyContinue
                }).AddArgument($ModuleManifest).AddArgument($adminCredential).AddArgument($tenant).AddArgument($Show)
            $result = $shell.Invoke()
            $shell.Streams.Error | Should -BeNullOrEmpty
            $result.Count | Should -Be 600
            $progress = @($shell.Streams.Progress | Where-Object Activity -EQ 'Get-EXOMailbox')
            if ($Show) {
                $progress.Count | Should -BeGreaterThan 1
                @($progress | Where-Object RecordType -EQ 'Processing')[-1].StatusDescription | Should -Be '600 objects received'
                $progress[-1].RecordType | Should -Be 'Completed'
            } else {
                $progress.Count | Should -Be 0 -Because 'progress is off unless asked for, as in the 3.7 module'
            }
        } finally {
            $shell.Dispose()
        }
    }

    It 'runs sequentially and in order with -UseMultithreading:$false' {
        Connect-TestAdmin -Extra @{ UseMultithreading = $false }
        try {
            $sample = $users[10..29]
            @($sample | Get-EXOMailbox).UserPrincipalName | Should -Be $sample.UserPrincipalName
        } finally {
            Connect-TestAdmin
        }
    }

    It 'completes -Properties names from the catalogue' {
        $completion = TabExpansion2 -inputScript 'Get-EXOMailbox -Properties LitigationHold' -cursorColumn 'Get-EXOMailbox -Properties LitigationHold'.Length
        $completion.CompletionMatches.CompletionText | Should -Contain 'LitigationHoldEnabled'
    }
}

Describe 'Property sets' {
    BeforeAll {
        $identity = $users[4].UserPrincipalName
        # What each cmdlet prints beyond its documented Minimum (spec §3's
        # caveat: the real cmdlets print more than the Minimum tables).
        $defaults = @{}
        foreach ($name in 'Get-EXOMailbox', 'Get-EXOCasMailbox', 'Get-EXORecipient', 'Get-EXOMailboxStatistics') {
            $defaults[$name] = @((& $name -Identity $identity).PSObject.Properties.Name)
        }
    }

    It '<Command> -PropertySets <Set> returns the documented properties and no others' -ForEach $propertySets {
        $documented = @($Minimum + $Properties | Sort-Object -Unique)
        $extras = @($defaults[$Command] | Where-Object { $_ -notin $Minimum })
        $names = @((& $Command -Identity $identity -PropertySets $Set).PSObject.Properties.Name)
        foreach ($property in $documented) { $names | Should -Contain $property }
        foreach ($property in $names) { @($documented + $extras) | Should -Contain $property }
    }
}

Describe 'Get-EXOMailboxStatistics' {
    It 'takes mailboxes from the pipeline and answers in their order' {
        $sample = $users[0..149]
        $stats = @($sample | Get-EXOMailboxStatistics)
        $stats.Count | Should -Be 150
        $stats.DisplayName | Should -Be $sample.DisplayName
        $stats[0].PSObject.Properties.Name | Should -Be @('DeletedItemCount', 'DisplayName', 'ItemCount', 'MailboxGuid', 'TotalDeletedItemSize', 'TotalItemSize')
        $stats[0].TotalItemSize | Should -Match '\([\d,]+ bytes\)$'
    }

    It 'returns the All set with -PropertySets All' {
        $stats = Get-EXOMailboxStatistics -Identity $users[0].UserPrincipalName -PropertySets All
        $stats.PSObject.Properties.Name | Should -Contain 'LastLogonTime'
        $stats.PSObject.Properties.Name | Should -Contain 'StorageLimitStatus'
    }
}

Describe 'The other Get-EXO* cmdlets' {
    It 'Get-EXOCasMailbox returns the Minimum set and the protocol sets asked for' {
        $cas = Get-EXOCasMailbox -Identity $users[0].UserPrincipalName -PropertySets Imap
        $cas.PSObject.Properties.Name | Should -Contain 'OWAEnabled'
        $cas.PSObject.Properties.Name | Should -Contain 'ImapEnableExactRFC822Size'
    }

    It '<Command> -Anr resolves a name prefix (the Anr parameter set)' -ForEach @(
        @{ Command = 'Get-EXOMailbox' }, @{ Command = 'Get-EXOCasMailbox' }, @{ Command = 'Get-EXORecipient' }
    ) {
        $box = $users[11]
        $found = @(& $Command -Anr $box.Alias -ResultSize Unlimited)
        $found.Count | Should -BeGreaterThan 0
        $found.Count | Should -BeLessThan $allMailboxes.Count
        @($found.Name) | Should -Contain $box.Name
    }

    It 'Get-EXORecipient filters by type and sorts by name' {
        $contacts = @(Get-EXORecipient -RecipientTypeDetails MailContact -ResultSize Unlimited)
        $contacts.Count | Should -BeGreaterThan 0
        $contacts.RecipientTypeDetails | Sort-Object -Unique | Should -Be 'MailContact'
        $names = @($contacts.Name)
        $names | Should -Be @($names | Sort-Object)
    }

    It 'Get-EXOMailboxFolderStatistics returns the folders of a scope' {
        $inbox = @(Get-EXOMailboxFolderStatistics -Identity $users[0].UserPrincipalName -FolderScope Inbox)
        $inbox.Count | Should -BeGreaterThan 0
        $inbox.FolderType | Should -Contain 'Inbox'
        @($users[0..2] | Get-EXOMailboxFolderStatistics -FolderScope Inbox | Where-Object FolderType -EQ 'Inbox').Count | Should -Be 3
    }

    It 'Get-EXOMailboxPermission lists a mailbox''s entries and its owner' {
        $entries = @(Get-EXOMailboxPermission -Identity $users[0].UserPrincipalName)
        $self = $entries | Where-Object User -EQ 'NT AUTHORITY\SELF'
        $self.AccessRights | Should -Contain 'FullAccess'
        $self.IsInherited | Should -BeFalse
        $owner = Get-EXOMailboxPermission -Identity $users[0].UserPrincipalName -Owner
        $owner.PSObject.Properties.Name | Should -Be @('Identity', 'Owner')
        $owner.Owner | Should -Not -BeNullOrEmpty
        (Get-EXOMailboxPermission -ResultSize 10 -WarningAction SilentlyContinue | Measure-Object).Count | Should -Be 10
        ($entries | Format-Table | Out-String) | Should -Match 'AccessRights'
    }

    It 'Get-EXORecipientPermission lists SendAs entries' {
        $entries = @(Get-EXORecipientPermission -Identity $users[0].UserPrincipalName)
        $entries.Count | Should -BeGreaterThan 0
        $entries[0].PSObject.Properties.Name | Should -Be @('Identity', 'Trustee', 'AccessControlType', 'AccessRights', 'IsInherited', 'InheritanceType')
        $byTrustee = @(Get-EXORecipientPermission -Trustee 'NT AUTHORITY\SELF' -ResultSize 5 -WarningAction SilentlyContinue)
        $byTrustee.Trustee | Sort-Object -Unique | Should -Be 'NT AUTHORITY\SELF'
    }

    It 'Get-EXOMailboxFolderPermission reads a folder given as mailbox:\folder' {
        $calendar = @(Get-EXOMailboxFolderPermission -Identity "$($users[0].UserPrincipalName):\Calendar")
        $calendar.User | Should -Contain 'Default'
        $calendar[0].FolderName | Should -Be 'Calendar'
        { Get-EXOMailboxFolderPermission -Identity "$($users[0].UserPrincipalName):\Calendar" -User 'nobody@nowhere.example' -ErrorAction Stop } | Should -Throw
    }

    It 'Get-EXOMobileDeviceStatistics reads by mailbox and by device' {
        $withDevice = $null
        foreach ($user in $users[0..40]) {
            $devices = @(Get-EXOMobileDeviceStatistics -Mailbox $user.UserPrincipalName)
            if ($devices.Count) { $withDevice = $devices; break }
        }
        $withDevice | Should -Not -BeNullOrEmpty -Because 'the seeded tenant has mobile devices'
        $one = Get-EXOMobileDeviceStatistics -Identity $withDevice[0].Guid.ToString()
        $one.DeviceId | Should -Be $withDevice[0].DeviceId
    }
}

Describe 'A page whose objects hold objects' {
    # No route of the sandbox answers with nested objects, so the daemon's
    # answer is imitated here; the daemon's side is TestPageBatcherTypeNameMember.
    It 'keeps nested objects as PSCustomObjects and still types the page' {
        Mock -ModuleName ExchangeOnlineManagement Invoke-ExodStream {
            [pscustomobject]@{
                records = [pscustomobject]@{
                    typeNames = @('ExchangeOnlineManagement.ExoMailbox'); count = 1; hasObjectValues = $true; guidProperties = @('Guid')
                    json      = '[{"PSTypeName":"ExchangeOnlineManagement.ExoMailbox","Name":"a","Guid":"00000000-0000-0000-0000-000000000001","Nested":{"X":1}}]'
                }
            }
        }
        $object = Get-EXOMailbox -Identity a
        $object.PSObject.TypeNames[0] | Should -Be 'ExchangeOnlineManagement.ExoMailbox'
        $object.PSObject.Properties.Name | Should -Be @('Name', 'Guid', 'Nested')
        $object.Guid | Should -BeOfType [guid]
        $object.Nested | Should -BeOfType [pscustomobject]
        $object.Nested.X | Should -Be 1
        Should -Invoke -ModuleName ExchangeOnlineManagement Invoke-ExodStream -Times 1 -Exactly
    }
}
