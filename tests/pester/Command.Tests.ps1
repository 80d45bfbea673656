# End-to-end tests of the classic cmdlets generated from the service's
# catalogue: pwsh → generated command → module forwarder → daemon's
# CommandService → sandbox tenant's InvokeCommand and back. The suite runs
# its own daemon (debug logging, so the secret test reads everything it
# logs) on a private socket and the small default sandbox tenant.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $savedEnvironment = Save-TestEnvironment EXOD_SOCKET, EXOD_TRUSTED_CA, EXOD_LOG_LEVEL
    $socket = New-TestSocket
    $env:EXOD_LOG_LEVEL = 'debug'
    $sandbox = Start-TestSandbox
    $tenant = $sandbox.Info
    $env:EXOD_TRUSTED_CA = $tenant.caFile
    Import-Module $ModuleManifest -Force
    $adminCredential = [pscredential]::new($tenant.userPrincipalName, (ConvertTo-SecureString $tenant.password -AsPlainText -Force))
    $connect = @{
        Credential                      = $adminCredential
        ConnectionUri                   = $tenant.connectionUri
        AzureADAuthorizationEndpointUri = $tenant.authorityUri
        ShowBanner                      = $false
    }
    $module = Get-Module ExchangeOnlineManagement

    function Connect-TestAdmin {
        param([hashtable] $Extra = @{})
        Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue 6>$null
        Connect-ExchangeOnline @connect @Extra
    }

    # The service's module for the newest connection, parsed here
    # independently of the module's own reader.
    function Get-TestCatalog {
        param([string] $ConnectionId = '')
        $catalog = & $module { param($id) Invoke-ExodUnary -Method '/exo.v1.CommandService/GetCatalog' -Body @{ clientSession = Get-ExoClientSession; connectionId = $id } } $ConnectionId
        $tokens = $null
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($catalog.moduleScript, [ref]$tokens, [ref]$errors)
        $functions = @{}
        foreach ($statement in $ast.EndBlock.Statements) {
            if ($statement -is [System.Management.Automation.Language.FunctionDefinitionAst]) {
                $functions[$statement.Name -replace '^script:', ''] = $statement
            }
        }
        @{ Cmdlets = [string[]]$catalog.exportedCmdlets; Functions = $functions; Script = $catalog.moduleScript }
    }

    # Runs a script in a child PowerShell that signs in to the sandbox,
    # feeding Answers to its prompts on standard input; returns its output.
    function Invoke-TestPrompt {
        param([Parameter(Mandatory)] [string] $Script, [string[]] $Answers = @())
        $file = Join-Path $sandbox.Directory "prompt-$([guid]::NewGuid()).ps1"
        $text = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModuleManifest'
`$credential = [pscredential]::new(`$env:EXO_TEST_UPN, (ConvertTo-SecureString `$env:EXO_TEST_PASSWORD -AsPlainText -Force))
Connect-ExchangeOnline -Credential `$credential -ConnectionUri `$env:EXO_TEST_URI -AzureADAuthorizationEndpointUri `$env:EXO_TEST_AUTHORITY -ShowBanner:`$false
$Script
Disconnect-ExchangeOnline -Confirm:`$false
"@
        [System.IO.File]::WriteAllText($file, $text)
        $pwsh = Get-TestPwsh
        $start = [System.Diagnostics.ProcessStartInfo]::new($pwsh.FilePath)
        foreach ($argument in $pwsh.Arguments) { $start.ArgumentList.Add($argument) }
        foreach ($argument in '-NoProfile', '-File', $file) { $start.ArgumentList.Add($argument) }
        $start.Environment['EXO_TEST_UPN'] = $tenant.userPrincipalName
        $start.Environment['EXO_TEST_PASSWORD'] = $tenant.password
        $start.Environment['EXO_TEST_URI'] = $tenant.connectionUri
        $start.Environment['EXO_TEST_AUTHORITY'] = $tenant.authorityUri
        $start.Environment['NO_COLOR'] = '1'
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($start)
        foreach ($answer in $Answers) { $process.StandardInput.WriteLine($answer) }
        $process.StandardInput.Close()
        $result = Wait-TestPwsh -Process $process
        if ($result.ExitCode -ne 0) { throw "child PowerShell failed ($($result.ExitCode)): $($result.Error) $($result.Output)" }
        $result.Output -join "`n"
    }

    Connect-TestAdmin
    $mailboxes = @(Get-Mailbox -ResultSize Unlimited | Where-Object RecipientTypeDetails -EQ 'UserMailbox')
}

AfterAll {
    Remove-TestTenant -Sandbox $sandbox -Socket $socket -Environment $savedEnvironment
}

Describe 'Generated commands' {
    BeforeAll {
        Connect-TestAdmin
        $catalog = Get-TestCatalog
    }

    It 'imports every exported cmdlet globally from one tmpEXO_ module' {
        $catalog.Cmdlets.Count | Should -BeGreaterThan 100
        $modules = @(Get-Module tmpEXO_*)
        $modules.Count | Should -Be 1
        $modules[0].Name | Should -Match '^tmpEXO_[a-z0-9]{8}\.[a-z0-9]{3}$'
        @($modules[0].ExportedFunctions.Keys | Sort-Object) | Should -Be @($catalog.Cmdlets | Sort-Object)
        (Get-Command Set-Mailbox).Source | Should -Be $modules[0].Name
        @(Get-Command -Module ExchangeOnlineManagement).Name | Should -Not -Contain 'Get-Mailbox' -Because 'generated commands are not exports of the module'
    }

    It 'gives every command exactly the service''s parameters, sets, positions, pipeline binding and validation' {
        $mismatches = [System.Collections.Generic.List[string]]::new()
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        foreach ($name in $catalog.Cmdlets) {
            $proxy = $catalog.Functions[$name].Body.ParamBlock
            $command = Get-Command $name
            $binding = $command.ScriptBlock.Attributes | Where-Object { $_ -is [System.Management.Automation.CmdletBindingAttribute] }
            $expected = $proxy.Attributes | Where-Object { $_.TypeName.Name -eq 'CmdletBinding' }
            $arguments = @{}
            foreach ($argument in $expected.NamedArguments) { $arguments[$argument.ArgumentName] = $argument.Argument.SafeGetValue() }
            if ([string]$binding.DefaultParameterSetName -ne [string]$arguments['DefaultParameterSetName']) { $mismatches.Add("$name DefaultParameterSetName") }
            if ($binding.SupportsShouldProcess -ne [bool]$arguments['SupportsShouldProcess']) { $mismatches.Add("$name SupportsShouldProcess") }
            if ($arguments['SupportsShouldProcess'] -and "$($binding.ConfirmImpact)" -ne $arguments['ConfirmImpact']) { $mismatches.Add("$name ConfirmImpact") }
            # Without any Position, PowerShell numbers the parameters itself.
            $positioned = [bool]$proxy.Find({ param($node) $node -is [System.Management.Automation.Language.NamedAttributeArgumentAst] -and $node.ArgumentName -eq 'Position' }, $true)
            $own = @($command.Parameters.Keys | Where-Object { $_ -notin $common })
            $declared = @($proxy.Parameters | ForEach-Object { $_.Name.VariablePath.UserPath })
            if (($own -join ',') -ne ($declared -join ',')) { $mismatches.Add("$name parameter names"); continue }
            foreach ($parameter in $proxy.Parameters) {
                $pname = $parameter.Name.VariablePath.UserPath
                $metadata = $command.Parameters[$pname]
                if ($metadata.ParameterType -ne $parameter.StaticType) { $mismatches.Add("$name -$pname type") }
                foreach ($attribute in $parameter.Attributes) {
                    switch ($attribute.TypeName.Name) {
                        'Parameter' {
                            $values = @{ ParameterSetName = '__AllParameterSets'; Mandatory = $false; Position = [int]::MinValue; ValueFromPipeline = $false; ValueFromPipelineByPropertyName = $false }
                            foreach ($argument in $attribute.NamedArguments) { $values[$argument.ArgumentName] = $argument.Argument.SafeGetValue() }
                            $set = $metadata.ParameterSets[$values.ParameterSetName]
                            if (-not $set -or $set.IsMandatory -ne $values.Mandatory -or ($positioned -and $set.Position -ne $values.Position) -or
                                $set.ValueFromPipeline -ne $values.ValueFromPipeline -or $set.ValueFromPipelineByPropertyName -ne $values.ValueFromPipelineByPropertyName) {
                                $mismatches.Add("$name -$pname set $($values.ParameterSetName)")
                            }
                        }
                        'ValidateSet' {
                            $validSet = $metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }
                            if (-not $validSet -or ($validSet.ValidValues -join '|') -ne (($attribute.PositionalArguments | ForEach-Object { $_.SafeGetValue() }) -join '|')) {
                                $mismatches.Add("$name -$pname ValidateSet")
                            }
                        }
                        'ValidateRange' {
                            $range = $metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateRangeAttribute] }
                            $bounds = @($attribute.PositionalArguments | ForEach-Object { $_.SafeGetValue() })
                            if (-not $range -or $range.MinRange -ne $bounds[0] -or $range.MaxRange -ne $bounds[1]) { $mismatches.Add("$name -$pname ValidateRange") }
                        }
                        'ValidateNotNullOrEmpty' {
                            if (-not ($metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateNotNullOrEmptyAttribute] })) { $mismatches.Add("$name -$pname ValidateNotNullOrEmpty") }
                        }
                    }
                }
            }
        }
        $mismatches | Should -BeNullOrEmpty
    }

    It 'has help with a synopsis and the service''s syntax' {
        $help = Get-Help Set-Mailbox
        $help.Synopsis | Should -BeLike 'Set-Mailbox*exod daemon*'
        $syntax = $help | Out-String -Width 4000
        $syntax | Should -Match 'Set-Mailbox \[-Identity\] <Object>'
        $syntax | Should -Match '\[-HiddenFromAddressListsEnabled <Boolean>\]'
        $syntax | Should -Match '\[-WhatIf\] \[-Confirm\]'
    }

    It 'completes parameter names and ValidateSet values' {
        $line = 'Set-Mailbox -HiddenFrom'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain '-HiddenFromAddressListsEnabled'
        $line = 'Add-MailboxPermission -AccessRights Full'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('FullAccess')
    }

    It 'names commands with -Prefix and runs them through their own connection' {
        Connect-ExchangeOnline @connect -Prefix Pfx
        try {
            @(Get-Module tmpEXO_*).Count | Should -Be 2
            (Get-Command Get-PfxMailbox).Source | Should -Not -Be (Get-Command Get-Mailbox).Source
            (Get-PfxMailbox -Identity $mailboxes[0].UserPrincipalName).Guid | Should -Be $mailboxes[0].Guid
            (Get-Help Get-PfxMailbox).Synopsis | Should -BeLike 'Get-Mailbox*'
        } finally {
            Disconnect-ExchangeOnline -ModulePrefix Pfx -Confirm:$false 6>$null
        }
        Get-Command Get-PfxMailbox -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-Command Get-Mailbox | Should -Not -BeNullOrEmpty -Because 'the other connection keeps its commands'
    }

    It 'generates only the cmdlets -CommandName selects' {
        Connect-ExchangeOnline @connect -Prefix Cn -CommandName Get-Mailbox, Set-Mailbox
        $id = (Get-ConnectionInformation | Where-Object ModulePrefix -EQ 'Cn').ConnectionId
        try {
            $module = Get-Command Get-CnMailbox | ForEach-Object { Get-Module $_.Source }
            @($module.ExportedFunctions.Keys | Sort-Object) | Should -Be @('Get-CnMailbox', 'Set-CnMailbox')
        } finally {
            Disconnect-ExchangeOnline -ConnectionId $id -Confirm:$false 6>$null
        }
        Get-Command Set-CnMailbox -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'finds the commands of connections made before the module was imported again' {
        Connect-ExchangeOnline @connect -Prefix Old
        Import-Module $ModuleManifest -Force
        (Get-OldMailbox -Identity $mailboxes[0].UserPrincipalName).Guid | Should -Be $mailboxes[0].Guid
        Disconnect-ExchangeOnline -ModulePrefix Old -Confirm:$false 6>$null
        Get-Command Get-OldMailbox -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-Command Get-Mailbox | Should -Not -BeNullOrEmpty
    }

    It 'imports the Security & Compliance catalogue for Connect-IPPSSession' {
        Connect-IPPSSession -Credential $adminCredential -ConnectionUri $tenant.complianceConnectionUri `
            -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false -Prefix Cc
        $id = (Get-ConnectionInformation | Where-Object ModulePrefix -EQ 'Cc').ConnectionId
        try {
            $compliance = Get-TestCatalog -ConnectionId $id
            $module = Get-Module (Get-Command Get-CcComplianceSearch).Source
            @($module.ExportedFunctions.Keys | Sort-Object) | Should -Be @($compliance.Cmdlets -replace '^(\w+)-', '$1-Cc' | Sort-Object)
            $module.ExportedFunctions.Keys | Should -Not -Contain 'Get-CcMailbox'
            { Get-CcComplianceSearch -ErrorAction Stop } | Should -Not -Throw
        } finally {
            Disconnect-ExchangeOnline -ConnectionId $id -Confirm:$false 6>$null
        }
        Get-Command Get-CcComplianceSearch -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'removes every command module when all connections are closed' {
        Connect-ExchangeOnline @connect -Prefix Two
        @(Get-Module tmpEXO_*).Count | Should -Be 2
        Disconnect-ExchangeOnline -Confirm:$false 6>$null
        @(Get-Module tmpEXO_*).Count | Should -Be 0
        Get-Command Get-Mailbox, Get-TwoMailbox -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Connect-TestAdmin
        Get-Command Get-Mailbox | Should -Not -BeNullOrEmpty
    }
}

Describe 'Parameter encoding' {
    BeforeAll {
        Connect-TestAdmin
        $encode = { param($value, $name, $fromPipeline, $asObject) & $module { param($v, $n, $p, $o) ConvertTo-ExoParameterValue -Value $v -Name $n -FromPipeline:$p -AsObject:$o } $value $name $fromPipeline $asObject }
    }

    It 'encodes <Case> as <Json>' -ForEach @(
        @{ Case = 'null'; Value = $null; Json = '{"nullValue":"NULL_VALUE"}' }
        @{ Case = 'a string'; Value = 'x'; Json = '{"stringValue":"x"}' }
        @{ Case = 'a switch'; Value = [switch]$true; Json = '{"boolValue":true}' }
        @{ Case = 'a bool'; Value = $false; Json = '{"boolValue":false}' }
        @{ Case = 'an int'; Value = 42; Json = '{"intValue":42}' }
        @{ Case = 'a long'; Value = 5000000000; Json = '{"intValue":5000000000}' }
        @{ Case = 'a double'; Value = 2.5; Json = '{"doubleValue":2.5}' }
        @{ Case = 'a local DateTime'; Value = [datetime]::new(2026, 3, 4, 10, 0, 0, [System.DateTimeKind]::Utc).ToLocalTime(); Json = '{"timeValue":"2026-03-04T10:00:00.0000000Z"}' }
        @{ Case = 'a DateTimeOffset'; Value = [datetimeoffset]::new(2026, 3, 4, 10, 0, 0, [timespan]::FromHours(5)); Json = '{"timeValue":"2026-03-04T05:00:00.0000000Z"}' }
        @{ Case = 'a byte array'; Value = [byte[]](1, 2, 255); Json = '{"bytesValue":"AQL/"}' }
        @{ Case = 'a hashtable'; Value = @{ Add = 'a' }; Json = '{"mapValue":{"entries":{"Add":{"stringValue":"a"}}}}' }
        @{ Case = 'a nested hashtable'; Value = @{ Outer = @{ Inner = 1 } }; Json = '{"mapValue":{"entries":{"Outer":{"mapValue":{"entries":{"Inner":{"intValue":1}}}}}}}' }
        @{ Case = 'an array'; Value = @('a', 1, $true); Json = '{"listValue":{"values":[{"stringValue":"a"},{"intValue":1},{"boolValue":true}]}}' }
        @{ Case = 'an array of hashtables'; Value = @(@{ K = 'v' }); Json = '{"listValue":{"values":[{"mapValue":{"entries":{"K":{"stringValue":"v"}}}}]}}' }
        @{ Case = 'a SecureString'; Value = (ConvertTo-SecureString 'p@ss' -AsPlainText -Force); Json = '{"secretValue":"p@ss"}' }
        @{ Case = 'an enum'; Value = [System.Management.Automation.ActionPreference]::Stop; Json = '{"stringValue":"Stop"}' }
        @{ Case = 'an IP address'; Value = [ipaddress]'10.1.2.3'; Json = '{"stringValue":"10.1.2.3"}' }
        @{ Case = 'a culture'; Value = [cultureinfo]'fr-FR'; Json = '{"stringValue":"fr-FR"}' }
        @{ Case = 'a time span'; Value = [timespan]::FromDays(20); Json = '{"stringValue":"20.00:00:00"}' }
        @{ Case = 'a script block'; Value = { $_.Name }; Json = '{"stringValue":" $_.Name "}' }
        @{ Case = 'a GUID'; Value = [guid]'2be92a50-0000-0000-0000-000000000001'; Json = '{"stringValue":"2be92a50-0000-0000-0000-000000000001"}' }
    ) {
        $encoded = & $encode $Value 'Any' $false $false
        ConvertTo-Json -InputObject $encoded -Depth 10 -Compress | Should -Be $Json
    }

    It 'encodes a PSCredential as its user name and password' {
        $encoded = & $encode ([pscredential]::new('u', (ConvertTo-SecureString 'p@ss' -AsPlainText -Force))) 'Credential' $false $false
        $encoded.credentialValue.userName | Should -Be 'u'
        $encoded.credentialValue.password | Should -Be 'p@ss'
    }

    It 'sends a pipeline object''s property of the parameter''s name, else its Identity' {
        $object = [pscustomobject]@{ Identity = 'id-1'; Name = 'name-1' }
        (& $encode $object 'Name' $true $false).stringValue | Should -Be 'name-1'
        (& $encode $object 'Other' $true $false).stringValue | Should -Be 'id-1'
        (& $encode $object 'Other' $false $false).stringValue | Should -Be 'id-1'
        $encoded = & $encode $object 'Any' $false $true
        ConvertTo-Json -InputObject $encoded -Compress | Should -Be '{"objectValue":{"Identity":"id-1","Name":"name-1"}}'
    }

    It 'sends common parameters in their string form, switches as booleans' {
        $bound = [System.Collections.Generic.Dictionary[string, object]]::new()
        $bound['ErrorAction'] = [System.Management.Automation.ActionPreference]::Stop
        $bound['OutBuffer'] = 5
        $bound['Verbose'] = [switch]$true
        $bound['Confirm'] = [switch]$false
        $encoded = & $module { param($b) ConvertTo-ExoCommandParameters -Command (Get-Command Set-Mailbox) -BoundParameters $b } $bound
        @($encoded.Keys | Sort-Object) | Should -Be @('ErrorAction', 'OutBuffer', 'Verbose') -Because 'Confirm is set per call, not copied'
        $encoded.ErrorAction.stringValue | Should -Be 'Stop'
        $encoded.OutBuffer.stringValue | Should -Be '5'
        $encoded.Verbose.boolValue | Should -BeTrue
    }

    It 'puts each value on the wire in the service''s encoding (wire-protocol §2.3), as the sandbox captured it' {
        $upn = $mailboxes[1].UserPrincipalName
        $hold = [datetimeoffset]::new(2026, 3, 4, 10, 0, 0, [timespan]::FromHours(5))
        Set-TestSandboxSettings -Sandbox $sandbox -Settings @{ captureRequests = 100 } | Out-Null
        try {
            Set-Mailbox -Identity $upn -Office 'Wire Office' -HiddenFromAddressListsEnabled $true -LitigationHoldDate $hold `
                -RetainDeletedItemsFor ([timespan]::FromDays(20)) -EmailAddresses @{ Add = 'smtp:wire@contoso.com' } `
                -GrantSendOnBehalfTo @($mailboxes[2].UserPrincipalName, $mailboxes[3].UserPrincipalName) `
                -WarningAction SilentlyContinue -Confirm:$false -ErrorAction Stop
            # An untyped parameter takes the bytes as they are; the sandbox
            # may refuse the value, the wire is what counts here.
            Set-Mailbox -Identity $upn -DataEncryptionPolicy ([byte[]](1, 2, 255)) -ErrorAction SilentlyContinue
            $wire = Invoke-RestMethod -Uri $tenant.captureUri -SkipCertificateCheck -Headers @{ Authorization = "Bearer $($tenant.controlSecret)" }
        } finally {
            Set-TestSandboxSettings -Sandbox $sandbox -Settings @{} | Out-Null
        }
        $bodies = @($wire | Where-Object url -Like '*InvokeCommand*' | ForEach-Object body)
        $sent = @($bodies | ForEach-Object { ($_ | ConvertFrom-Json -AsHashtable).CmdletInput })
        $sent.Count | Should -Be 2
        $sent[0].CmdletName | Should -Be 'Set-Mailbox'
        $first = $sent[0].Parameters
        $first.Office | Should -Be 'Wire Office'
        $first.HiddenFromAddressListsEnabled | Should -BeTrue
        # Converted to UTC, sortable pattern, no zone suffix: a string on the wire.
        $bodies[0] | Should -Match '"LitigationHoldDate":"2026-03-04T05:00:00"'
        $first.RetainDeletedItemsFor | Should -Be '20.00:00:00'
        $first.EmailAddresses['@odata.type'] | Should -Be '#Exchange.GenericHashTable'
        $first.EmailAddresses['Add'] | Should -Be 'smtp:wire@contoso.com'
        $first.GrantSendOnBehalfTo | Should -Be @($mailboxes[2].UserPrincipalName, $mailboxes[3].UserPrincipalName)
        $first.WarningAction | Should -Be 'SilentlyContinue'
        $first.Confirm | Should -BeFalse
        $bytes = $sent[1].Parameters.DataEncryptionPolicy
        $bytes['@odata.type'] | Should -Be '#Exchange.ByteArrayType'
        $bytes['Data'] | Should -Be @(1, 2, 255)
    }

    It 'applies strings, booleans, times in UTC, time spans, hashtables and arrays on the sandbox' {
        $upn = $mailboxes[1].UserPrincipalName
        $hold = [datetimeoffset]::new(2026, 3, 4, 10, 0, 0, [timespan]::FromHours(5))
        Set-Mailbox -Identity $upn -Office 'Encoded Office' -HiddenFromAddressListsEnabled $true -LitigationHoldDate $hold `
            -RetainDeletedItemsFor ([timespan]::FromDays(20)) -EmailAddresses @{ Add = 'smtp:encoded1@contoso.com', 'smtp:encoded2@contoso.com' } `
            -CustomAttribute1 'c1' -ErrorAction Stop
        $global:EXO_LastExecutionStatus | Should -BeTrue
        $after = Get-Mailbox -Identity $upn
        $after.Office | Should -Be 'Encoded Office'
        $after.HiddenFromAddressListsEnabled | Should -BeTrue
        ([datetime]$after.LitigationHoldDate).ToUniversalTime() | Should -Be $hold.UtcDateTime
        $after.RetainDeletedItemsFor | Should -Be '20.00:00:00'
        $after.EmailAddresses | Should -Contain 'smtp:encoded1@contoso.com'
        $after.EmailAddresses | Should -Contain 'smtp:encoded2@contoso.com'
        Set-Mailbox -Identity $upn -EmailAddresses @{ Remove = 'smtp:encoded1@contoso.com' } -GrantSendOnBehalfTo @($mailboxes[2].UserPrincipalName, $mailboxes[3].UserPrincipalName)
        $after = Get-Mailbox -Identity $upn
        $after.EmailAddresses | Should -Not -Contain 'smtp:encoded1@contoso.com'
        @($after.GrantSendOnBehalfTo).Count | Should -Be 2
        # OPATH $true is rewritten for the service.
        @(Get-Mailbox -Filter 'HiddenFromAddressListsEnabled -eq $true').UserPrincipalName | Should -Contain $upn
        # An int and a switch.
        @(Get-Mailbox -ResultSize 3 -WarningAction SilentlyContinue).Count | Should -Be 3
        @(Get-Mailbox -ResultSize Unlimited -Archive).Count | Should -BeLessThan @(Get-Mailbox -ResultSize Unlimited).Count
    }

    It 'binds pipeline objects by property name and by value' {
        $targets = $mailboxes[4..6]
        $targets | Set-Mailbox -Office 'Piped Office'
        foreach ($target in $targets) { (Get-Mailbox -Identity $target.UserPrincipalName).Office | Should -Be 'Piped Office' }
        $permissions = @($targets | Get-MailboxPermission)
        @($permissions.Identity | Select-Object -Unique) | Should -Be @($targets.Identity)
    }

    It 'sends SecureString and PSCredential values encrypted: never in clear text on the wire or in the logs' {
        $secret = "Pester-Secret-$([guid]::NewGuid().ToString('N'))"
        $credentialSecret = "Pester-Cred-$([guid]::NewGuid().ToString('N'))"
        # The sandbox keeps every request as it arrived, the service's view
        # of the wire.
        Set-TestSandboxSettings -Sandbox $sandbox -Settings @{ captureRequests = 1000 } | Out-Null
        try {
            Set-Mailbox -Identity $mailboxes[7].UserPrincipalName -Password (ConvertTo-SecureString $secret -AsPlainText -Force) -WarningAction SilentlyContinue -ErrorAction Stop
            $global:EXO_LastExecutionStatus | Should -BeTrue -Because 'the sandbox refuses a secret not encrypted with its key'
            $credential = [pscredential]::new('someone@contoso.com', (ConvertTo-SecureString $credentialSecret -AsPlainText -Force))
            $null = Get-CASMailbox -Identity $mailboxes[7].UserPrincipalName -Credential $credential -ErrorAction Stop
            $global:EXO_LastExecutionStatus | Should -BeTrue
            # Invoke-RestMethod writes a JSON array as one object; the
            # pipeline below enumerates it.
            $wire = Invoke-RestMethod -Uri $tenant.captureUri -SkipCertificateCheck -Headers @{ Authorization = "Bearer $($tenant.controlSecret)" }
        } finally {
            Set-TestSandboxSettings -Sandbox $sandbox -Settings @{} | Out-Null
        }

        $bodies = @($wire | Where-Object url -Like '*InvokeCommand*' | ForEach-Object { $_.body | ConvertFrom-Json })
        $sent = @{}
        foreach ($body in $bodies) { $sent[$body.CmdletInput.CmdletName] = $body.CmdletInput.Parameters }
        $sent.Keys | Should -Contain 'Set-Mailbox'
        $sent.Keys | Should -Contain 'Get-CASMailbox'
        # RSA with the published 2048-bit key: 256 bytes of ciphertext each.
        [Convert]::FromBase64String($sent['Set-Mailbox'].Password).Length | Should -Be 256
        [Convert]::FromBase64String($sent['Get-CASMailbox'].Credential).Length | Should -Be 256
        $wireText = $wire | ConvertTo-Json -Depth 10
        $wireText | Should -Not -Match $secret
        $wireText | Should -Not -Match $credentialSecret

        $logs = @(Get-ChildItem -Path (Split-Path $socket), $sandbox.Directory -Filter '*.log' -File)
        $logs.Count | Should -BeGreaterThan 0
        foreach ($log in $logs) {
            $text = [System.IO.File]::ReadAllText($log.FullName)
            $text | Should -Not -Match $secret
            $text | Should -Not -Match $credentialSecret
        }
    }
}

Describe 'Confirm and WhatIf' {
    BeforeAll { Connect-TestAdmin }

    It 'prints the service''s message for -WhatIf and changes nothing' {
        $upn = $mailboxes[8].UserPrincipalName
        $before = (Get-Mailbox -Identity $upn).Office
        $output = Invoke-TestPrompt -Script "Set-Mailbox -Identity '$upn' -Office 'WhatIf Office' -WhatIf"
        $output | Should -Match 'What if: .+'
        (Get-Mailbox -Identity $upn).Office | Should -Be $before
        Set-Mailbox -Identity $upn -Office 'WhatIf Office' -WhatIf 6>$null
        (Get-Mailbox -Identity $upn).Office | Should -Be $before
        $global:EXO_LastExecutionStatus | Should -BeTrue
    }

    It 'asks with the service''s message for a High-impact cmdlet and applies on yes' {
        $identity = $mailboxes[9].UserPrincipalName
        $trustee = $mailboxes[10].UserPrincipalName
        $output = Invoke-TestPrompt -Script "Add-RecipientPermission -Identity '$identity' -Trustee '$trustee' -AccessRights SendAs" -Answers 'Y'
        $output | Should -Match 'Confirm'
        $output | Should -Match 'Adding recipient permission "SendAs"'
        @(Get-RecipientPermission -Identity $identity -Trustee $trustee).Count | Should -Be 1
    }

    It 'changes nothing when the answer is no' {
        $identity = $mailboxes[11].UserPrincipalName
        $trustee = $mailboxes[12].UserPrincipalName
        $null = Invoke-TestPrompt -Script "Add-RecipientPermission -Identity '$identity' -Trustee '$trustee' -AccessRights SendAs" -Answers 'N'
        @(Get-RecipientPermission -Identity $identity -Trustee $trustee -ErrorAction SilentlyContinue).Count | Should -Be 0
    }

    # The caller's own preference variables apply, not only the global ones.
    It 'follows the caller''s $ConfirmPreference: Medium asks for Set-Mailbox, None asks nothing' {
        $upn = $mailboxes[13].UserPrincipalName
        $before = (Get-Mailbox -Identity $upn).Office
        $output = Invoke-TestPrompt -Script "`$ConfirmPreference = 'Medium'; Set-Mailbox -Identity '$upn' -Office 'Prompted Office'" -Answers 'N'
        $output | Should -Match 'Setting mailbox'
        (Get-Mailbox -Identity $upn).Office | Should -Be $before
        $identity = $mailboxes[14].UserPrincipalName
        $trustee = $mailboxes[15].UserPrincipalName
        $ConfirmPreference = 'None'
        # Pester runs non-interactive: a prompt would fail the call.
        Add-RecipientPermission -Identity $identity -Trustee $trustee -AccessRights SendAs -ErrorAction Stop
        @(Get-RecipientPermission -Identity $identity -Trustee $trustee).Count | Should -Be 1
    }

    It 'follows the caller''s $WhatIfPreference' {
        $upn = $mailboxes[8].UserPrincipalName
        $before = (Get-Mailbox -Identity $upn).Office
        $WhatIfPreference = $true
        Set-Mailbox -Identity $upn -Office 'Preference Office'
        $WhatIfPreference = $false
        (Get-Mailbox -Identity $upn).Office | Should -Be $before
        Set-Mailbox -Identity $upn -Office 'Preference Office'
        (Get-Mailbox -Identity $upn).Office | Should -Be 'Preference Office'
    }

    It 'makes one call without a prompt for -Confirm:$false' {
        $identity = $mailboxes[16].UserPrincipalName
        $trustee = $mailboxes[17].UserPrincipalName
        # Pester runs non-interactive: a prompt would fail the call.
        Add-RecipientPermission -Identity $identity -Trustee $trustee -AccessRights SendAs -Confirm:$false -ErrorAction Stop
        @(Get-RecipientPermission -Identity $identity -Trustee $trustee).Count | Should -Be 1
    }
}

Describe 'Errors, warnings and EXO_LastExecutionStatus' {
    BeforeAll { Connect-TestAdmin }

    It 'writes a non-terminating error shaped like Microsoft''s and goes on' {
        $global:EXO_LastExecutionStatus = $true
        $result = @(Get-Mailbox -Identity 'nobody@contoso.com' -ErrorVariable failures -ErrorAction SilentlyContinue; 'after')
        $result | Should -Be @('after')
        $global:EXO_LastExecutionStatus | Should -BeFalse
        $failure = $failures[0]
        $failure.Exception.Message | Should -Match '^\w+\|Microsoft\.Exchange\..+ManagementObjectNotFoundException\|.*nobody@contoso\.com'
        $failure.FullyQualifiedErrorId | Should -Match '^\[Server=[^,]+,RequestId=[0-9a-f-]+,TimeStamp=[^\]]+\]'
        $failure.CategoryInfo.Activity | Should -Be 'Get-Mailbox'
        $failure.CategoryInfo.Reason | Should -Be 'ManagementObjectNotFoundException'
        $failure.TargetObject | Should -Be 'nobody@contoso.com'
        $failure.Exception.Data['HttpStatus'] | Should -Be 404
        $failure.FullyQualifiedErrorId | Should -BeLike "*RequestId=$($failure.Exception.Data['RequestId'])*"
        $failure.Exception.Data['ExceptionType'] | Should -Be 'ManagementObjectNotFoundException'
        $failure.Exception.Data['ErrorReason'] | Should -Be 'SERVICE_ERROR'
        $null = Get-Mailbox -Identity $mailboxes[0].UserPrincipalName
        $global:EXO_LastExecutionStatus | Should -BeTrue
    }

    It 'is terminating with -ErrorAction Stop, so try/catch works' {
        $caught = $null
        try {
            Get-Mailbox -Identity 'nobody@contoso.com' -ErrorAction Stop
            'not reached'
        } catch {
            $caught = $_
        }
        $caught.Exception.Message | Should -Match 'ManagementObjectNotFoundException'
        $global:EXO_LastExecutionStatus | Should -BeFalse
        # The caller's $ErrorActionPreference, as for compiled cmdlets.
        $ErrorActionPreference = 'Stop'
        { Get-Mailbox -Identity 'nobody@contoso.com' } | Should -Throw '*ManagementObjectNotFoundException*'
        $ErrorActionPreference = 'SilentlyContinue'
        $quiet = Get-Mailbox -Identity 'nobody@contoso.com' 2>&1
        $quiet | Should -BeNullOrEmpty
        $ErrorActionPreference = 'Continue'
    }

    It 'records nothing with -ErrorAction Ignore' {
        $null = Get-Mailbox -Identity 'nobody@contoso.com' -ErrorAction Ignore -ErrorVariable ignored
        @($ignored).Count | Should -Be 0
        $global:EXO_LastExecutionStatus | Should -BeFalse
    }

    It 'writes the service''s warnings once, honouring -WarningAction' {
        $null = Get-Mailbox -ResultSize 2 -WarningVariable warnings -WarningAction SilentlyContinue
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike 'There are more results available*'
        Get-Mailbox -ResultSize 2 -WarningAction SilentlyContinue 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | Should -BeNullOrEmpty
        $caught = $null
        try { $null = Get-Mailbox -ResultSize 2 -WarningAction Stop } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
    }

    It 'fails a cmdlet outside the connection''s catalogue as a terminating error' {
        Connect-ExchangeOnline @connect -Prefix Few -CommandName Get-Mailbox
        $id = (Get-ConnectionInformation | Where-Object ModulePrefix -EQ 'Few').ConnectionId
        # A command made for another catalogue, forwarding Set-Mailbox through the narrow connection.
        function Test-Outside {
            [CmdletBinding()]
            param()
            $call = & $module { param($cmdlet, $id) Start-ExoCommand $cmdlet ([System.Collections.Generic.Dictionary[string, object]]::new()) 'Set-Mailbox' -ConnectionId $id } $PSCmdlet $id
            & $module { param($call) Add-ExoCommandInput $call ([System.Collections.Generic.Dictionary[string, object]]::new()) } $call
        }
        try {
            { Test-Outside -ErrorAction SilentlyContinue } | Should -Throw '*Set-Mailbox*'
            $global:EXO_LastExecutionStatus | Should -BeFalse
        } finally {
            Disconnect-ExchangeOnline -ModulePrefix Few -Confirm:$false 6>$null
        }
    }
}

Describe 'Pipeline input' {
    BeforeAll { Connect-TestAdmin }

    It 'sends inputs in batches and keeps input order, with failing parts in place' {
        $inputs = [System.Collections.Generic.List[string]]::new()
        # More than two calls' worth (160 inputs each), so order holds across calls.
        for ($i = 0; $i -lt 400; $i++) {
            if ($i % 37 -eq 5) { $inputs.Add("missing-$i@contoso.com") } else { $inputs.Add($mailboxes[$i % $mailboxes.Count].UserPrincipalName) }
        }
        $events = @($inputs | Get-Mailbox -ErrorVariable failures -ErrorAction SilentlyContinue | ForEach-Object UserPrincipalName)
        $expected = @($inputs | Where-Object { $_ -notlike 'missing-*' })
        $events | Should -Be $expected
        @($failures).Count | Should -Be ($inputs.Count - $expected.Count)
        @($failures.TargetObject) | Should -Be @($inputs | Where-Object { $_ -like 'missing-*' })
        $global:EXO_LastExecutionStatus | Should -BeFalse
    }

    It 'applies every change exactly once when some inputs fail' {
        $targets = @($mailboxes[18..39].UserPrincipalName)
        $inputs = @($targets[0..9]) + 'missing-a@contoso.com' + @($targets[10..21]) + 'missing-b@contoso.com'
        $inputs | ForEach-Object { [pscustomobject]@{ Identity = $_ } } | Set-Mailbox -CustomAttribute5 'batch-run' -ErrorVariable failures -ErrorAction SilentlyContinue
        @($failures).Count | Should -Be 2
        foreach ($target in $targets) { (Get-Mailbox -Identity $target).CustomAttribute5 | Should -Be 'batch-run' }
    }
}

Describe 'Service failures under pipeline input' {
    BeforeAll { Connect-TestAdmin }

    It 'applies every change exactly once through 503 and 429 storms' {
        $targets = @($mailboxes[0..29].UserPrincipalName)
        $marker = "storm-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $null = Set-TestSandboxSettings -Sandbox $sandbox -Settings @{
            faults = @(
                # The next requests fail for sure, then one in five.
                @{ kind = 'status'; status = 503; count = 2; routes = @('InvokeCommand', '$batch') }
                @{ kind = 'status'; status = 429; count = 1; routes = @('InvokeCommand', '$batch') }
                @{ kind = 'status'; status = 503; probability = 0.2; routes = @('InvokeCommand', '$batch') }
            )
        }
        try {
            $targets | ForEach-Object { [pscustomobject]@{ Identity = $_ } } | Set-Mailbox -CustomAttribute12 $marker -ErrorVariable failures
        } finally {
            $null = Set-TestSandboxSettings -Sandbox $sandbox -Settings @{}
        }
        @($failures).Count | Should -Be 0 -Because 'the daemon retries 503 and 429 as the module does'
        $global:EXO_LastExecutionStatus | Should -BeTrue
        $runs = @{}
        foreach ($record in Search-UnifiedAuditLog -StartDate (Get-Date).AddDays(-1) -EndDate (Get-Date).AddDays(1) -FreeText $marker -ResultSize 5000) {
            $object = ($record.AuditData | ConvertFrom-Json).ObjectId.ToLowerInvariant()
            $runs[$object] = 1 + [int]$runs[$object]
        }
        foreach ($target in $targets) { $runs[$target.ToLowerInvariant()] | Should -Be 1 -Because "Set-Mailbox on $target runs once" }
    }
}

Describe 'Output objects' {
    BeforeAll { Connect-TestAdmin }

    It 'carries Microsoft''s type names, GUIDs as [guid] and sizes as the service''s strings' {
        $mailbox = Get-Mailbox -Identity $mailboxes[0].UserPrincipalName
        $mailbox.PSObject.TypeNames[0] | Should -Be 'Deserialized.Microsoft.Exchange.Data.Directory.Management.Mailbox'
        $mailbox.Guid | Should -BeOfType [guid]
        $mailbox.ExchangeGuid | Should -BeOfType [guid]
        $mailbox.ProhibitSendQuota | Should -Match '^[\d.]+ [KMGT]?B \([\d,]+ bytes\)$'
    }

    It 'formats <Command> with Microsoft''s default columns' -ForEach @(
        @{ Command = 'Get-Mailbox'; Columns = 'Name', 'Alias', 'Database', 'ProhibitSendQuota', 'ExternalDirectoryObjectId' }
        @{ Command = 'Get-DistributionGroup'; Columns = 'Name', 'DisplayName', 'GroupType', 'PrimarySmtpAddress' }
        @{ Command = 'Get-Recipient'; Columns = 'Name', 'RecipientType' }
        @{ Command = 'Get-User'; Columns = 'Name', 'RecipientType' }
    ) {
        $first = & $Command -ResultSize 1 -WarningAction SilentlyContinue
        $header = ($first | Out-String -Width 400) -split "`n" | Where-Object { $_.Trim() } | Select-Object -First 1
        @($header -split '\s+' | Where-Object { $_ }) | Should -Be $Columns
    }

    It 'formats mailbox and recipient permissions with Microsoft''s default columns' {
        $header = ((Get-MailboxPermission -Identity $mailboxes[0].UserPrincipalName | Out-String -Width 400) -split "`n" | Where-Object { $_.Trim() })[0]
        @($header -split '\s+' | Where-Object { $_ }) | Should -Be @('Identity', 'User', 'AccessRights', 'IsInherited', 'Deny')
        $header = ((Get-RecipientPermission -Identity $mailboxes[0].UserPrincipalName | Out-String -Width 400) -split "`n" | Where-Object { $_.Trim() })[0]
        @($header -split '\s+' | Where-Object { $_ }) | Should -Be @('Identity', 'Trustee', 'AccessControlType', 'AccessRights', 'Inherited')
    }
}
