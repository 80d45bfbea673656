# End-to-end tests of the connection cmdlets: pwsh → module → daemon →
# sandbox tenant. The suite runs its own daemon on a private temporary socket
# and its own `exod sandbox` tenant on loopback, and stops both afterwards.
# Connections belong to this PowerShell process, so every test that connects
# disconnects everything first.

BeforeDiscovery {
    # Parameter surface of the 3.7.2 connection cmdlets, from
    # /work/shared/spec/cmdlet-surface.md §1.1–1.4. Position $null = Named.
    # ExchangeEnvironmentName and LogLevel are ValidateSet strings here,
    # because Microsoft's enum types do not exist outside its module.
    $connectExchangeOnline = @(
        @{ Name = 'ConnectionUri'; Type = [string]; Position = 0 }
        @{ Name = 'AzureADAuthorizationEndpointUri'; Type = [string]; Position = 1 }
        @{ Name = 'ExchangeEnvironmentName'; Type = [string]; Position = 2 }
        @{ Name = 'PSSessionOption'; Type = [System.Management.Automation.Remoting.PSSessionOption]; Position = 3 }
        @{ Name = 'DelegatedOrganization'; Type = [string]; Position = 4 }
        @{ Name = 'Prefix'; Type = [string]; Position = 5 }
        @{ Name = 'CommandName'; Type = [string[]]; Position = 6 }
        @{ Name = 'FormatTypeName'; Type = [string[]]; Position = 7 }
        @{ Name = 'AccessToken'; Type = [string]; Position = $null }
        @{ Name = 'AppId'; Type = [string]; Position = $null }
        @{ Name = 'BypassMailboxAnchoring'; Type = [switch]; Position = $null }
        @{ Name = 'Certificate'; Type = [System.Security.Cryptography.X509Certificates.X509Certificate2]; Position = $null }
        @{ Name = 'CertificateFilePath'; Type = [string]; Position = $null }
        @{ Name = 'CertificatePassword'; Type = [securestring]; Position = $null }
        @{ Name = 'CertificateThumbprint'; Type = [string]; Position = $null }
        @{ Name = 'Credential'; Type = [pscredential]; Position = $null }
        @{ Name = 'Device'; Type = [switch]; Position = $null }
        @{ Name = 'DisableWAM'; Type = [switch]; Position = $null }
        @{ Name = 'EnableErrorReporting'; Type = [switch]; Position = $null }
        @{ Name = 'InlineCredential'; Type = [switch]; Position = $null }
        @{ Name = 'LoadCmdletHelp'; Type = [switch]; Position = $null }
        @{ Name = 'LogDirectoryPath'; Type = [string]; Position = $null }
        @{ Name = 'LogLevel'; Type = [string]; Position = $null }
        @{ Name = 'ManagedIdentity'; Type = [switch]; Position = $null }
        @{ Name = 'ManagedIdentityAccountId'; Type = [string]; Position = $null }
        @{ Name = 'Organization'; Type = [string]; Position = $null }
        @{ Name = 'PageSize'; Type = [uint32]; Position = $null }
        @{ Name = 'ShowBanner'; Type = [switch]; Position = $null }
        @{ Name = 'ShowProgress'; Type = [bool]; Position = $null }
        @{ Name = 'SigningCertificate'; Type = [System.Security.Cryptography.X509Certificates.X509Certificate2]; Position = $null }
        @{ Name = 'SkipLoadingCmdletHelp'; Type = [switch]; Position = $null }
        @{ Name = 'SkipLoadingFormatData'; Type = [switch]; Position = $null }
        @{ Name = 'TrackPerformance'; Type = [bool]; Position = $null }
        @{ Name = 'UseMultithreading'; Type = [bool]; Position = $null }
        @{ Name = 'UserPrincipalName'; Type = [string]; Position = $null }
        @{ Name = 'UseRPSSession'; Type = [switch]; Position = $null }
    ) | ForEach-Object { $_.Command = 'Connect-ExchangeOnline'; $_ }
    $connectIPPSSession = @(
        @{ Name = 'ConnectionUri'; Type = [string]; Position = 0 }
        @{ Name = 'AzureADAuthorizationEndpointUri'; Type = [string]; Position = 1 }
        @{ Name = 'DelegatedOrganization'; Type = [string]; Position = 2 }
        @{ Name = 'PSSessionOption'; Type = [System.Management.Automation.Remoting.PSSessionOption]; Position = 3 }
        @{ Name = 'Prefix'; Type = [string]; Position = 4 }
        @{ Name = 'CommandName'; Type = [string[]]; Position = 5 }
        @{ Name = 'FormatTypeName'; Type = [string[]]; Position = 6 }
        @{ Name = 'BypassMailboxAnchoring'; Type = [switch]; Position = $null }
        @{ Name = 'ShowBanner'; Type = [switch]; Position = $null }
        @{ Name = 'UseRPSSession'; Type = [switch]; Position = $null }
        @{ Name = 'UserPrincipalName'; Type = [string]; Position = $null }
        @{ Name = 'Credential'; Type = [pscredential]; Position = $null }
        @{ Name = 'Certificate'; Type = [System.Security.Cryptography.X509Certificates.X509Certificate2]; Position = $null }
        @{ Name = 'CertificateFilePath'; Type = [string]; Position = $null }
        @{ Name = 'CertificatePassword'; Type = [securestring]; Position = $null }
        @{ Name = 'CertificateThumbprint'; Type = [string]; Position = $null }
        @{ Name = 'AppId'; Type = [string]; Position = $null }
        @{ Name = 'Organization'; Type = [string]; Position = $null }
        @{ Name = 'DisableWAM'; Type = [switch]; Position = $null }
    ) | ForEach-Object { $_.Command = 'Connect-IPPSSession'; $_ }
    $surface = @($connectExchangeOnline) + @($connectIPPSSession)
    $parameterCounts = @(
        # 36 of 3.7.2 plus EXOModuleBasePath (3.9.2, accepted for scripts written for it).
        @{ Command = 'Connect-ExchangeOnline'; Count = 37 }
        @{ Command = 'Connect-IPPSSession'; Count = 19 }
        @{ Command = 'Disconnect-ExchangeOnline'; Count = 4 }
        @{ Command = 'Get-ConnectionInformation'; Count = 2 }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $exod = Join-Path $RepoRoot 'bridge-ps' 'ExchangeOnlineManagement' 'bin' 'exod'
    if (-not $env:EXOD_PATH -and -not (Test-Path $exod)) { throw "exod is not built: run 'make build' first ($exod)." }
    $savedEnvironment = Save-TestEnvironment EXOD_SOCKET, EXOD_TRUSTED_CA
    $socket = New-TestSocket
    $sandbox = Start-TestSandbox
    $tenant = $sandbox.Info
    Import-Module $ModuleManifest -Force

    $adminCredential = [pscredential]::new($tenant.userPrincipalName, (ConvertTo-SecureString $tenant.password -AsPlainText -Force))
    # Confirm and WhatIf count: the spec gives Disconnect-ExchangeOnline 4 parameters with them.
    $commonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters

    function Connect-TestAdmin {
        param([hashtable] $Extra = @{})
        Connect-ExchangeOnline -Credential $adminCredential -ConnectionUri $tenant.connectionUri `
            -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false @Extra
    }
}

AfterAll {
    Remove-TestTenant -Sandbox $sandbox -Socket $socket -Environment $savedEnvironment
}

Describe 'Connection cmdlet parameters' {
    It '<Command> has parameter <Name> of type <Type>, position <Position>' -ForEach $surface {
        $parameter = (Get-Command $Command).Parameters[$Name]
        $parameter | Should -Not -BeNullOrEmpty
        $parameter.ParameterType | Should -Be $Type
        $positions = @($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } | ForEach-Object Position)
        $expected = if ($null -eq $Position) { [int]::MinValue } else { $Position }
        $positions | Should -Be @($expected)
    }

    It '<Command> has <Count> parameters besides the common ones' -ForEach $parameterCounts {
        $names = @((Get-Command $Command).Parameters.Keys | Where-Object { $_ -notin $commonParameters })
        $names.Count | Should -Be $Count
    }

    It 'validates ExchangeEnvironmentName, LogLevel and PageSize' {
        $command = Get-Command Connect-ExchangeOnline
        $set = { param($Name) ($command.Parameters[$Name].Attributes | Where-Object { $_ -is [ValidateSet] }).ValidValues }
        & $set 'ExchangeEnvironmentName' | Should -Be @('O365Default', 'O365GermanyCloud', 'O365China', 'O365USGovGCCHigh', 'O365USGovDoD')
        & $set 'LogLevel' | Should -Be @('Default', 'All')
        { Connect-ExchangeOnline -PageSize 1001 } | Should -Throw "*PageSize*"
    }

    It 'Disconnect-ExchangeOnline asks for confirmation (ConfirmImpact High) and binds ConnectionId by property name' {
        $command = Get-Command Disconnect-ExchangeOnline
        $binding = $command.ScriptBlock.Attributes | Where-Object { $_ -is [System.Management.Automation.CmdletBindingAttribute] }
        $binding.SupportsShouldProcess | Should -BeTrue
        $binding.ConfirmImpact | Should -Be 'High'
        $command.DefaultParameterSet | Should -Be 'DefaultParameterSet'
        $attribute = $command.Parameters['ConnectionId'].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }
        $attribute.Mandatory | Should -BeTrue
        $attribute.ValueFromPipelineByPropertyName | Should -BeTrue
        ($command.Parameters['ModulePrefix'].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }).Mandatory | Should -BeTrue
    }

    It 'Get-ConnectionInformation has the Default, ConnectionId and ModulePrefix sets' {
        $command = Get-Command Get-ConnectionInformation
        $command.DefaultParameterSet | Should -Be 'Default'
        @($command.ParameterSets.Name | Sort-Object) | Should -Be @('ConnectionId', 'Default', 'ModulePrefix')
    }
}

Describe 'Prefix validation' {
    It 'rejects special characters with the message of the real module' {
        { Connect-ExchangeOnline -Prefix 'Con-toso' } | Should -Throw 'Use of any special characters in the Prefix string is not supported.'
        $global:EXO_LastExecutionStatus | Should -BeFalse
        { Connect-IPPSSession -Prefix 'a b' } | Should -Throw 'Use of any special characters in the Prefix string is not supported.'
    }

    It 'rejects the reserved prefix EXO' {
        { Connect-ExchangeOnline -Prefix 'EXO' } | Should -Throw "Prefix 'EXO' is a reserved Prefix, please use a different prefix."
        { Connect-ExchangeOnline -Prefix 'exo' } | Should -Throw "Prefix 'EXO' is a reserved Prefix, please use a different prefix."
    }

    It 'rejects a ConnectionUri that is not an absolute https URI' {
        { Connect-ExchangeOnline -ConnectionUri 'http://outlook.office365.com/powershell-liveid/' } |
            Should -Throw "Invalid ConnectionUri parameter 'http://outlook.office365.com/powershell-liveid/'"
    }
}

Describe 'Connecting to the sandbox tenant' {
    BeforeEach {
        Disconnect-ExchangeOnline -Confirm:$false 6>$null
        $env:EXOD_TRUSTED_CA = $tenant.caFile
    }

    It '-Device shows the code while the daemon polls, and the connection is shared with other runspaces' {
        # Connect in a second runspace of this process, as ForEach-Object
        # -Parallel would; this runspace plays the user at the browser.
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
            param($Manifest, $Tenant)
            Import-Module $Manifest
            Connect-ExchangeOnline -Device -ConnectionUri $Tenant.connectionUri `
                -AzureADAuthorizationEndpointUri $Tenant.authorityUri -ShowBanner:$false
        }).AddArgument($ModuleManifest).AddArgument($tenant)
        $run = $ps.BeginInvoke()
        try {
            $prompted = Wait-TestCondition -TimeoutMilliseconds 30000 -Condition {
                "$($ps.Streams.Information)" -match 'enter the code (\S+)'
            }
            $prompted | Should -BeTrue -Because 'the device code reaches the console before sign-in completes'
            $code = [regex]::Match("$($ps.Streams.Information)", 'enter the code (\S+) ').Groups[1].Value
            $page = [regex]::Match("$($ps.Streams.Information)", 'open the page (\S+) ').Groups[1].Value
            # The test is the user's browser here, not the product: it skips
            # the check only because Invoke-WebRequest takes no CA file.
            $form = @{ otc = $code; login = $tenant.userPrincipalName; passwd = $tenant.password }
            $null = Invoke-WebRequest -Uri $page -Method Post -Body $form -SkipCertificateCheck
            (Wait-TestCondition -TimeoutMilliseconds 30000 -Condition { $run.IsCompleted }) | Should -BeTrue
            $ps.EndInvoke($run)
            $ps.HadErrors | Should -BeFalse
        }
        finally {
            $ps.Dispose()
        }
        $c = @(Get-ConnectionInformation)
        $c.Count | Should -Be 1
        $c[0].UserPrincipalName | Should -Be $tenant.userPrincipalName
    }

    It 'signs in interactively: the daemon hands the sign-in page to the browser and waits on its loopback redirect' {
        # The test plays the user's browser: it opens the page, signs in on the
        # sandbox's form and follows the redirect back to the daemon's loopback
        # listener. (As the test's own HTTP client it skips the certificate
        # check; Invoke-WebRequest takes no CA file.)
        $global:TestBrowserVisits = [System.Collections.Generic.List[string]]::new()
        $global:TestBrowserUser = $tenant
        function global:Invoke-TestBrowser {
            param([string] $Url)
            $global:TestBrowserVisits.Add($Url)
            $page = Invoke-WebRequest -Uri $Url -SkipCertificateCheck
            $ctx = [regex]::Match($page.Content, 'name="ctx" value="([^"]+)"').Groups[1].Value
            $form = @{ ctx = $ctx; login = $global:TestBrowserUser.userPrincipalName; passwd = $global:TestBrowserUser.password }
            $answer = Invoke-WebRequest -Uri ([uri]$Url).GetLeftPart('Path') -Method Post -Body $form -SkipCertificateCheck
            # MSAL asks for response_mode=form_post: the page posts the code
            # to the daemon's loopback listener, as a browser's script would.
            $decode = { param($Text) [System.Net.WebUtility]::HtmlDecode($Text) }
            $action = & $decode ([regex]::Match($answer.Content, 'name="hiddenform" action="([^"]+)"').Groups[1].Value)
            $fields = @{}
            foreach ($m in [regex]::Matches($answer.Content, '<input type="hidden" name="([^"]+)" value="([^"]*)">')) {
                $fields[$m.Groups[1].Value] = & $decode $m.Groups[2].Value
            }
            $fields.Keys | Should -Contain 'code'
            $null = Invoke-WebRequest -Uri $action -Method Post -Body $fields
        }
        $saved = $env:EXOD_BROWSER
        $env:EXOD_BROWSER = 'Invoke-TestBrowser'
        try {
            Connect-ExchangeOnline -UserPrincipalName $tenant.userPrincipalName -ConnectionUri $tenant.connectionUri `
                -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false 6>$null
        } finally {
            $env:EXOD_BROWSER = $saved
            Remove-Item function:global:Invoke-TestBrowser
        }
        $global:TestBrowserVisits.Count | Should -Be 1
        $visit = [uri]$global:TestBrowserVisits[0]
        $visit.AbsolutePath | Should -BeLike '*/oauth2/v2.0/authorize'
        $query = [System.Web.HttpUtility]::ParseQueryString($visit.Query)
        $query['login_hint'] | Should -Be $tenant.userPrincipalName
        $query['code_challenge_method'] | Should -Be 'S256'
        ([uri]$query['redirect_uri']).IsLoopback | Should -BeTrue
        $global:EXO_LastExecutionStatus | Should -BeTrue
        $c = @(Get-ConnectionInformation)
        $c.Count | Should -Be 1
        $c[0].UserPrincipalName | Should -Be $tenant.userPrincipalName
        @(Get-EXOMailbox -ResultSize 1 -WarningAction SilentlyContinue).Count | Should -Be 1
    }

    It '-UserPrincipalName of a user already signed in connects from the token cache, without a browser' {
        Connect-TestAdmin
        function global:Invoke-TestNoBrowser { param([string] $Url) throw "the browser was opened: $Url" }
        $saved = $env:EXOD_BROWSER
        $env:EXOD_BROWSER = 'Invoke-TestNoBrowser'
        try {
            Connect-ExchangeOnline -UserPrincipalName $tenant.userPrincipalName -ConnectionUri $tenant.connectionUri `
                -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false
        } finally {
            $env:EXOD_BROWSER = $saved
            Remove-Item function:global:Invoke-TestNoBrowser
        }
        $c = @(Get-ConnectionInformation)
        $c.Count | Should -Be 2
        $c[1].UserPrincipalName | Should -Be $tenant.userPrincipalName
    }

    It 'interactive sign-in with no browser fails clearly and suggests -Device' {
        $saved = $env:EXOD_BROWSER, $env:DISPLAY, $env:WAYLAND_DISPLAY
        $env:EXOD_BROWSER, $env:DISPLAY, $env:WAYLAND_DISPLAY = $null, $null, $null
        $failure = $null
        try {
            Connect-ExchangeOnline -UserPrincipalName $tenant.userPrincipalName -ConnectionUri $tenant.connectionUri `
                -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false
        } catch { $failure = $_ } finally {
            $env:EXOD_BROWSER, $env:DISPLAY, $env:WAYLAND_DISPLAY = $saved
        }
        "$failure" | Should -Match 'No web browser.*-Device'
        $global:EXO_LastExecutionStatus | Should -BeFalse
        @(Get-ConnectionInformation).Count | Should -Be 0
    }

    It 'a restarted daemon signs the user in again silently from its token cache' {
        Connect-TestAdmin -Extra @{ Prefix = 'Rs' }
        $before = @(Get-ConnectionInformation)
        $before.Count | Should -Be 1
        $daemons = @(Get-TestDaemonId -Socket $socket)
        $daemons.Count | Should -Be 1
        Stop-Process -Id $daemons[0] -Force
        $warnings = $null
        (Wait-TestCondition -Condition { @(Get-TestDaemonId -Socket $socket).Count -eq 0 }) | Should -BeTrue
        # The next call starts a new daemon, which restores the connection
        # without a prompt: this test has no way to answer one.
        $after = @(Get-ConnectionInformation -WarningVariable warnings -WarningAction SilentlyContinue)
        "$warnings" | Should -BeLike '*Connections signed in as a user come back from its token cache*'
        @(Get-TestDaemonId -Socket $socket) | Should -Not -Be $daemons
        $after.Count | Should -Be 1
        $after[0].ConnectionId | Should -Be $before[0].ConnectionId
        $after[0].Name | Should -Be $before[0].Name
        $after[0].ModulePrefix | Should -Be 'Rs'
        $after[0].UserPrincipalName | Should -Be $tenant.userPrincipalName
        $after[0].TokenStatus | Should -Be 'Active'
        @(Get-EXOMailbox -ResultSize 2 -WarningAction SilentlyContinue).Count | Should -Be 2
        (Get-Item (Join-Path (Split-Path $socket) 'tokens.json')).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
    }

    It 'ForEach-Object -Parallel runspaces use the connection without signing in again' {
        Connect-TestAdmin
        $counts = 1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
            Import-Module $using:ModuleManifest
            @(Get-EXOMailbox -ResultSize 5 -WarningAction SilentlyContinue).Count
        }
        $counts | Should -Be @(5, 5, 5, 5)
        @(Get-ConnectionInformation).Count | Should -Be 1
    }

    It 'another PowerShell process does not see the connection unless both opt in with EXOD_CLIENT_SESSION' {
        Connect-TestAdmin
        $probe = @'
$mailboxes = try { @(Get-EXOMailbox -ResultSize 3 -WarningAction SilentlyContinue).Count } catch { "$_" }
@{ Count = @(Get-ConnectionInformation).Count; Mailboxes = $mailboxes } | ConvertTo-Json -Compress
'@
        $other = Invoke-TestPwsh -Script $probe
        $other.Count | Should -Be 0
        $other.Mailboxes | Should -BeLike '*you must call Connect-ExchangeOnline*'

        $name = "pester-$([guid]::NewGuid().ToString('N'))"
        $env:EXOD_CLIENT_SESSION = $name
        try {
            @(Get-ConnectionInformation).Count | Should -Be 0 -Because 'the shared session is not this process''s own'
            Connect-TestAdmin
            $shared = Invoke-TestPwsh -Script $probe -Environment @{ EXOD_CLIENT_SESSION = $name }
            $shared.Count | Should -Be 1
            $shared.Mailboxes | Should -Be 3
        } finally {
            Disconnect-ExchangeOnline -Confirm:$false 6>$null
            $env:EXOD_CLIENT_SESSION = $null
        }
        @(Get-ConnectionInformation).Count | Should -Be 1 -Because 'the process''s own connection is untouched'
    }

    It '-DelegatedOrganization signs in at the customer tenant and names it in the admin API URLs' {
        Connect-TestAdmin -Extra @{ DelegatedOrganization = $tenant.tenantDomain }
        $c = @(Get-ConnectionInformation)
        $c.Count | Should -Be 1
        $c[0].DelegatedOrganization | Should -Be $tenant.tenantDomain
        $c[0].AzureAdAuthorizationEndpointUri | Should -Be ($tenant.authorityUri -replace '/organizations$', "/$($tenant.tenantDomain)")
        @(Get-EXOMailbox -ResultSize 2 -WarningAction SilentlyContinue).Count | Should -Be 2
    }

    It 'an unknown tenant fails with the identity provider''s message and leaves no connection' {
        $failure = $null
        try { Connect-TestAdmin -Extra @{ DelegatedOrganization = 'fabrikam.onmicrosoft.com' } } catch { $failure = $_ }
        "$failure" | Should -Match "Tenant 'fabrikam.onmicrosoft.com' not found"
        $global:EXO_LastExecutionStatus | Should -BeFalse
        @(Get-ConnectionInformation).Count | Should -Be 0
    }

    It 'a wrong certificate password fails as an authentication error and leaves no connection' {
        $wrong = ConvertTo-SecureString 'not-the-password' -AsPlainText -Force
        $failure = $null
        try {
            Connect-ExchangeOnline -AppId $tenant.appId -CertificateFilePath $tenant.certificatePath -CertificatePassword $wrong `
                -Organization $tenant.tenantDomain -ConnectionUri $tenant.connectionUri -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false
        } catch { $failure = $_ }
        "$failure" | Should -Match 'certificate password is incorrect'
        $failure.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $global:EXO_LastExecutionStatus | Should -BeFalse
        @(Get-ConnectionInformation).Count | Should -Be 0
    }

    It 'a certificate the app does not have fails with the identity provider''s message' {
        $key = [System.Security.Cryptography.RSA]::Create(2048)
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=stranger', $key,
            [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $stranger = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddMinutes(-5), [DateTimeOffset]::UtcNow.AddDays(1))
        $failure = $null
        try {
            Connect-ExchangeOnline -AppId $tenant.appId -Certificate $stranger -Organization $tenant.tenantDomain `
                -ConnectionUri $tenant.connectionUri -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false
        } catch { $failure = $_ }
        "$failure" | Should -Match '^AADSTS\d+: '
        $failure.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $global:EXO_LastExecutionStatus | Should -BeFalse
        @(Get-ConnectionInformation).Count | Should -Be 0
    }

    It 'an expired -AccessToken fails before any request and says to bring a new token' {
        $encode = { param($Json) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Json)).TrimEnd('=').Replace('+', '-').Replace('/', '_') }
        $expired = [DateTimeOffset]::UtcNow.AddHours(-1).ToUnixTimeSeconds()
        $token = '{0}.{1}.c2ln' -f (& $encode '{"alg":"RS256","typ":"JWT"}'), (& $encode "{`"exp`":$expired,`"tid`":`"$($tenant.tenantId)`"}")
        $failure = $null
        try {
            Connect-ExchangeOnline -AccessToken $token -Organization $tenant.tenantDomain -ConnectionUri $tenant.connectionUri `
                -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false
        } catch { $failure = $_ }
        "$failure" | Should -Match 'access token expired.*new token'
        $failure.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $global:EXO_LastExecutionStatus | Should -BeFalse
        @(Get-ConnectionInformation).Count | Should -Be 0
    }

    It 'an unreachable authority (a closed loopback port) fails as a connection error' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        $listener.Stop()
        $failure = $null
        try {
            Connect-ExchangeOnline -Credential $adminCredential -ConnectionUri $tenant.connectionUri `
                -AzureADAuthorizationEndpointUri "https://127.0.0.1:$port/organizations" -ShowBanner:$false
        } catch { $failure = $_ }
        "$failure" | Should -Match "identity provider unreachable.*127\.0\.0\.1:$port.*connection refused"
        "$failure" | Should -Not -Match '^Unavailable:'
        $failure.CategoryInfo.Category | Should -Be 'ConnectionError'
        $global:EXO_LastExecutionStatus | Should -BeFalse
        @(Get-ConnectionInformation).Count | Should -Be 0
    }

    It 'a daemon that cannot start gives one clear error' {
        # A child process with its own socket and an exod whose `start` fails
        # the way a real one does when it cannot open its log.
        $dir = [System.IO.Directory]::CreateTempSubdirectory('exod-nostart-').FullName
        try {
            $exod = if ($env:EXOD_PATH) { $env:EXOD_PATH } else { Join-Path $RepoRoot 'bridge-ps' 'ExchangeOnlineManagement' 'bin' 'exod' }
            $fake = Join-Path $dir 'exod'
            Set-Content -LiteralPath $fake -Value "#!/bin/sh`n[ `"`$1`" = socket-path ] && exec '$exod' `"`$@`"`necho 'exod: open log file: permission denied' >&2`nexit 1"
            [System.IO.File]::SetUnixFileMode($fake, [System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
            $script = @'
$failure = $null
try { Connect-ExchangeOnline -Device -ShowBanner:$false } catch { $failure = $_ }
@{ Message = "$failure"; Category = "$($failure.CategoryInfo.Category)"; Status = $global:EXO_LastExecutionStatus } | ConvertTo-Json -Compress
'@
            $result = Invoke-TestPwsh -Script $script -Environment @{ EXOD_SOCKET = (Join-Path $dir 'exod.sock'); EXOD_PATH = $fake }
            $result.Message | Should -BeLike "'exod start --socket *' failed with exit status 1: exod: open log file: permission denied"
            $result.Status | Should -BeFalse
        } finally {
            Remove-Item -LiteralPath $dir -Recurse -Force
        }
    }

    It '-CertificateThumbprint finds the certificate in the current user''s store, also on Linux' {
        $flags = [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]'Exportable, PersistKeySet'
        $cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($tenant.certificatePath, $tenant.certificatePassword, $flags)
        $store = [System.Security.Cryptography.X509Certificates.X509Store]::new('My', 'CurrentUser')
        $store.Open('ReadWrite')
        try {
            $store.Add($cert)
            Connect-ExchangeOnline -AppId $tenant.appId -Organization $tenant.tenantDomain -CertificateThumbprint $tenant.certificateThumbprint `
                -ConnectionUri $tenant.connectionUri -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false
            $c = @(Get-ConnectionInformation)
            $c.Count | Should -Be 1
            $c[0].CertificateAuthentication | Should -BeTrue
            $c[0].AppId | Should -Be $tenant.appId
        }
        finally {
            $store.Remove($cert)
            $store.Dispose()
        }
    }

    It '-CertificateThumbprint names a certificate that is not in any store' {
        { Connect-ExchangeOnline -AppId $tenant.appId -Organization $tenant.tenantDomain -CertificateThumbprint ('0' * 40) `
                -ConnectionUri $tenant.connectionUri -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false } |
            Should -Throw "No certificate with thumbprint '$('0' * 40)'*"
        $global:EXO_LastExecutionStatus | Should -BeFalse
    }

    It '-AccessToken uses a token the caller already holds' {
        # The test obtains the token the way an automation platform would;
        # as the test's own HTTP client it skips the check (no CA parameter).
        $exchange = $tenant.connectionUri -replace '/powershell-liveid/$', ''
        $form = @{
            grant_type = 'password'; client_id = 'fb78d390-0c51-40cd-8e17-fdbfab77341b'; scope = "$exchange/.default"
            username = $tenant.userPrincipalName; password = $tenant.password
        }
        $token = Invoke-RestMethod -Method Post -Uri "$($exchange)/$($tenant.tenantId)/oauth2/v2.0/token" -Body $form -SkipCertificateCheck
        Connect-ExchangeOnline -AccessToken $token.access_token -Organization $tenant.tenantDomain `
            -ConnectionUri $tenant.connectionUri -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false
        $c = @(Get-ConnectionInformation)
        $c.Count | Should -Be 1
        $c[0].UserPrincipalName | Should -Be $tenant.userPrincipalName
        $c[0].TokenStatus | Should -Be 'Active'
    }

    It 'Get-ConnectionInformation writes nothing when not connected' {
        @(Get-ConnectionInformation).Count | Should -Be 0
    }

    It 'connects with -Credential and shows the connection' {
        Connect-TestAdmin
        $global:EXO_LastExecutionStatus | Should -BeTrue
        $connections = @(Get-ConnectionInformation)
        $connections.Count | Should -Be 1
        $c = $connections[0]
        $c.PSObject.TypeNames[0] | Should -Be 'Microsoft.Exchange.Management.ExoPowershellSnapin.ConnectionInformation'
        @($c.PSObject.Properties.Name) | Should -Be @('ConnectionId', 'State', 'Id', 'Name', 'UserPrincipalName', 'ConnectionUri',
            'AzureAdAuthorizationEndpointUri', 'TokenExpiryTimeUTC', 'CertificateAuthentication', 'ModuleName', 'ModulePrefix',
            'Organization', 'DelegatedOrganization', 'AppId', 'PageSize', 'TenantID', 'TokenStatus',
            'ConnectionUsedForInbuiltCmdlets', 'IsEopSession')
        $c.State | Should -Be 'Connected'
        $c.UserPrincipalName | Should -Be $tenant.userPrincipalName
        $c.TenantID | Should -Be $tenant.tenantId
        [guid]$c.TenantID | Should -Be ([guid]$tenant.tenantId)
        $c.TokenStatus | Should -Be 'Active'
        $c.IsEopSession | Should -BeOfType [bool]
        $c.IsEopSession | Should -BeFalse
        $c.CertificateAuthentication | Should -BeFalse
        $c.Name | Should -Be 'ExchangeOnline_1'
        $c.Id | Should -BeOfType [int]
        $c.PageSize | Should -BeOfType [uint32]
        $c.TokenExpiryTimeUTC | Should -BeOfType [System.DateTimeOffset]
        $c.TokenExpiryTimeUTC | Should -BeGreaterThan ([System.DateTimeOffset]::UtcNow)
        { [guid]$c.ConnectionId } | Should -Not -Throw
    }

    It 'connects app-only with -AppId -CertificateFilePath -CertificatePassword -Organization' {
        $password = ConvertTo-SecureString $tenant.certificatePassword -AsPlainText -Force
        Connect-ExchangeOnline -AppId $tenant.appId -CertificateFilePath $tenant.certificatePath -CertificatePassword $password `
            -Organization $tenant.tenantDomain -ConnectionUri $tenant.connectionUri -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false
        $c = @(Get-ConnectionInformation)
        $c.Count | Should -Be 1
        $c[0].State | Should -Be 'Connected'
        $c[0].CertificateAuthentication | Should -BeTrue
        $c[0].AppId | Should -Be $tenant.appId
        $c[0].Organization | Should -Be $tenant.tenantDomain
        $c[0].TenantID | Should -Be $tenant.tenantId
    }

    It 'connects app-only with a -Certificate object (exported to the daemon as PKCS#12)' {
        $flags = [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::Exportable
        $certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($tenant.certificatePath, $tenant.certificatePassword, $flags)
        Connect-ExchangeOnline -AppId $tenant.appId -Certificate $certificate -Organization $tenant.tenantDomain `
            -ConnectionUri $tenant.connectionUri -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false
        $c = @(Get-ConnectionInformation)
        $c.Count | Should -Be 1
        $c[0].CertificateAuthentication | Should -BeTrue
    }

    It 'connects with -ManagedIdentity using IDENTITY_ENDPOINT and IDENTITY_HEADER' {
        $saved = $env:IDENTITY_ENDPOINT, $env:IDENTITY_HEADER
        try {
            $env:IDENTITY_ENDPOINT = $tenant.managedIdentityEndpoint
            $env:IDENTITY_HEADER = $tenant.managedIdentityHeader
            Connect-ExchangeOnline -ManagedIdentity -Organization $tenant.tenantDomain `
                -ConnectionUri $tenant.connectionUri -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false
        } finally {
            $env:IDENTITY_ENDPOINT, $env:IDENTITY_HEADER = $saved
        }
        $c = @(Get-ConnectionInformation)
        $c.Count | Should -Be 1
        $c[0].State | Should -Be 'Connected'
        $c[0].TenantID | Should -Be $tenant.tenantId
    }

    It 'connects with -ManagedIdentity through an instance metadata service (IMDS protocol) on loopback' {
        $saved = $env:EXOD_IMDS_ENDPOINT
        try {
            $env:EXOD_IMDS_ENDPOINT = ($tenant.connectionUri -replace '/powershell-liveid/$', '') + '/metadata/identity/oauth2/token'
            Connect-ExchangeOnline -ManagedIdentity -Organization $tenant.tenantDomain `
                -ConnectionUri $tenant.connectionUri -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false
            $system = @(Get-ConnectionInformation)
            $system.Count | Should -Be 1
            $system[0].AppId | Should -Not -BeNullOrEmpty
            $system[0].AppId | Should -Not -Be $tenant.appId
            @(Get-EXOMailbox -ResultSize 1 -WarningAction SilentlyContinue).Count | Should -Be 1

            # A user-assigned identity, named by its client id.
            Connect-ExchangeOnline -ManagedIdentity -ManagedIdentityAccountId $tenant.appId -Organization $tenant.tenantDomain `
                -ConnectionUri $tenant.connectionUri -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false
            $user = @(Get-ConnectionInformation | Where-Object ConnectionUsedForInbuiltCmdlets)
            $user[0].AppId | Should -Be $tenant.appId

            $failure = $null
            try {
                Connect-ExchangeOnline -ManagedIdentity -ManagedIdentityAccountId ([guid]::NewGuid()) -Organization $tenant.tenantDomain `
                    -ConnectionUri $tenant.connectionUri -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false
            } catch { $failure = $_ }
            "$failure" | Should -Match 'Identity not found'
            $global:EXO_LastExecutionStatus | Should -BeFalse
            @(Get-ConnectionInformation).Count | Should -Be 2
        } finally {
            $env:EXOD_IMDS_ENDPOINT = $saved
        }
    }

    It '-InlineCredential asks for the user name and password in the console' {
        Mock -ModuleName ExchangeOnlineManagement Get-Credential { $adminCredential }
        Connect-ExchangeOnline -InlineCredential -UserPrincipalName $tenant.userPrincipalName -ConnectionUri $tenant.connectionUri `
            -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false
        Should -Invoke -ModuleName ExchangeOnlineManagement Get-Credential -Times 1 -Exactly -ParameterFilter { $UserName -eq $tenant.userPrincipalName }
        $c = @(Get-ConnectionInformation)
        $c.Count | Should -Be 1
        $c[0].UserPrincipalName | Should -Be $tenant.userPrincipalName
    }

    It '-LogDirectoryPath, -LogLevel and -TrackPerformance write the connection''s log there, without secrets' {
        $dir = Join-Path $sandbox.Directory "logs-$([guid]::NewGuid().ToString('N'))"
        Connect-TestAdmin -Extra @{ LogDirectoryPath = $dir; LogLevel = 'All'; TrackPerformance = $true }
        $c = @(Get-ConnectionInformation)
        $null = @(Get-EXOMailbox -ResultSize 2 -WarningAction SilentlyContinue)
        $file = Join-Path $dir "exo-$($c[0].ConnectionId).log"
        (Get-Item $file).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
        $lines = @(Get-Content $file | ConvertFrom-Json)
        @($lines | Where-Object msg -EQ 'connected').Count | Should -Be 1
        $requests = @($lines | Where-Object { $_.msg -eq 'admin API request' -and $_.path -like '*Mailbox*' })
        $requests.Count | Should -BeGreaterThan 0
        $requests[0].level | Should -Be 'info' -Because '-TrackPerformance logs each request''s duration at information level'
        $requests[0].elapsed | Should -Not -BeNullOrEmpty
        $text = Get-Content -Raw $file
        $text | Should -Not -Match ([regex]::Escape($tenant.password))
        $text | Should -Not -Match 'eyJ[A-Za-z0-9_-]{10,}\.' -Because 'no JWT reaches the log'
        Disconnect-ExchangeOnline -Confirm:$false 6>$null
        @(Get-Content $file | ConvertFrom-Json)[-1].msg | Should -Be 'disconnected'
    }

    It 'fails with a terminating sign-in error on a wrong password' {
        $wrong = [pscredential]::new($tenant.userPrincipalName, (ConvertTo-SecureString 'not-the-password' -AsPlainText -Force))
        $failure = $null
        try {
            Connect-ExchangeOnline -Credential $wrong -ConnectionUri $tenant.connectionUri -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false
        } catch { $failure = $_ }
        $failure | Should -Not -BeNullOrEmpty
        "$failure" | Should -Match 'invalid username or password'
        $failure.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $global:EXO_LastExecutionStatus | Should -BeFalse
        @(Get-ConnectionInformation).Count | Should -Be 0
    }

    It 'keeps certificate verification on: without EXOD_TRUSTED_CA the sandbox certificate is rejected' {
        $env:EXOD_TRUSTED_CA = $null
        { Connect-TestAdmin } | Should -Throw '*failed to verify certificate*'
        $global:EXO_LastExecutionStatus | Should -BeFalse
    }

    It 'reports a missing EXOD_TRUSTED_CA file clearly' {
        $env:EXOD_TRUSTED_CA = Join-Path $sandbox.Directory 'missing.pem'
        { Connect-TestAdmin } | Should -Throw '*EXOD_TRUSTED_CA*missing.pem*'
    }

    It 'Connect-IPPSSession connects to Security & Compliance' {
        Connect-IPPSSession -Credential $adminCredential -ConnectionUri $tenant.complianceConnectionUri `
            -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false
        $c = @(Get-ConnectionInformation)
        $c.Count | Should -Be 1
        $c[0].IsEopSession | Should -BeTrue
        $c[0].Name | Should -BeLike 'ExchangeOnlineProtection_*'
        $c[0].State | Should -Be 'Connected'
        # The front door redirected the first request to the tenant's region,
        # and the connection reports the regional URI, as the real one does.
        $c[0].ConnectionUri | Should -Be (($tenant.complianceConnectionUri -replace '/powershell-liveid/$', '') + '/region/nam12b')
    }

    It 'prints the service banner unless -ShowBanner:$false' {
        $shown = Connect-ExchangeOnline -Credential $adminCredential -ConnectionUri $tenant.connectionUri `
            -AzureADAuthorizationEndpointUri $tenant.authorityUri 6>&1 | Out-String
        $shown | Should -Match 'sandbox tenant'
    }

    It 'Disconnect-ExchangeOnline -Confirm:$false closes every connection and says so' {
        Connect-TestAdmin
        @(Get-ConnectionInformation).Count | Should -Be 1
        $said = Disconnect-ExchangeOnline -Confirm:$false 6>&1
        "$said" | Should -Be 'Disconnected successfully !'
        @(Get-ConnectionInformation).Count | Should -Be 0
    }

    It 'Disconnect-ExchangeOnline -WhatIf closes nothing' {
        Connect-TestAdmin
        Disconnect-ExchangeOnline -WhatIf 6>$null
        @(Get-ConnectionInformation).Count | Should -Be 1
    }

    It 'Disconnect-ExchangeOnline closes the connections piped to it by ConnectionId' {
        Connect-TestAdmin
        Connect-IPPSSession -Credential $adminCredential -ConnectionUri $tenant.complianceConnectionUri `
            -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false
        @(Get-ConnectionInformation).Count | Should -Be 2
        Get-ConnectionInformation | Where-Object IsEopSession | Disconnect-ExchangeOnline -Confirm:$false 6>$null
        $left = @(Get-ConnectionInformation)
        $left.Count | Should -Be 1
        $left[0].IsEopSession | Should -BeFalse
        Disconnect-ExchangeOnline -ConnectionId $left[0].ConnectionId -Confirm:$false 6>$null
        @(Get-ConnectionInformation).Count | Should -Be 0
    }

    It 'Disconnect-ExchangeOnline -ModulePrefix closes only the connections with that prefix' {
        Connect-TestAdmin
        Connect-IPPSSession -Credential $adminCredential -ConnectionUri $tenant.complianceConnectionUri `
            -AzureADAuthorizationEndpointUri $tenant.authorityUri -ShowBanner:$false -Prefix 'Cc'
        Disconnect-ExchangeOnline -ModulePrefix 'Cc' -Confirm:$false 6>$null
        $left = @(Get-ConnectionInformation)
        $left.Count | Should -Be 1
        $left[0].ModulePrefix | Should -Be ''
    }

    It 'Get-ConnectionInformation selects by -ConnectionId and -ModulePrefix' {
        Connect-TestAdmin -Extra @{ Prefix = 'Cts' }
        $c = @(Get-ConnectionInformation)
        @(Get-ConnectionInformation -ConnectionId $c[0].ConnectionId).Count | Should -Be 1
        @(Get-ConnectionInformation -ModulePrefix 'Cts').Count | Should -Be 1
        @(Get-ConnectionInformation -ModulePrefix 'Other').Count | Should -Be 0
        $c[0].ModulePrefix | Should -Be 'Cts'
    }
}

Describe 'Token lifetime in the middle of a paged command' {
    BeforeAll {
        # A tenant whose access tokens live 6 s, with 120 mailboxes read 10 a
        # page at 0.8 s a page: the command outlives several tokens.
        $short = Start-TestSandbox -Mailboxes 120 -TokenLifetime '6s'
        $shortCredential = [pscredential]::new($short.Info.userPrincipalName, (ConvertTo-SecureString $short.Info.password -AsPlainText -Force))
        $challengeUri = ($short.Info.connectionUri -replace '/powershell-liveid/$', '') + '/sandbox/idp/challenge'
        $control = @{ Headers = @{ Authorization = "Bearer $($short.Info.controlSecret)" }; SkipCertificateCheck = $true }
    }

    AfterAll {
        Disconnect-ExchangeOnline -Confirm:$false 6>$null
        if ($short) { Stop-TestSandbox -Sandbox $short }
    }

    It 'renews tokens before expiry and answers a claims challenge without losing or repeating an object' {
        Disconnect-ExchangeOnline -Confirm:$false 6>$null
        $env:EXOD_TRUSTED_CA = $short.Info.caFile
        Connect-ExchangeOnline -Credential $shortCredential -ConnectionUri $short.Info.connectionUri `
            -AzureADAuthorizationEndpointUri $short.Info.authorityUri -ShowBanner:$false -PageSize 10
        $expected = @(Get-EXOMailbox -ResultSize Unlimited | ForEach-Object Identity)
        $expected.Count | Should -BeGreaterThan 100
        $before = Get-ConnectionInformation

        $null = Set-TestSandboxSettings -Sandbox $short -Settings @{
            faults = @(@{ kind = 'latency'; probability = 1; routes = @('Mailbox'); latency = @{ distribution = 'fixed'; delay = '800ms' } })
        }
        try {
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $seen = 0
            $got = @(Get-EXOMailbox -ResultSize Unlimited | ForEach-Object {
                    # A third of the way through, the service demands a new
                    # token (continuous access evaluation) for the next page.
                    if (++$seen -eq 40) { $null = Invoke-RestMethod -Method Post -Uri $challengeUri @control }
                    $_.Identity
                })
            $clock.Stop()
        } finally {
            $null = Set-TestSandboxSettings -Sandbox $short -Settings @{}
        }
        $clock.Elapsed.TotalSeconds | Should -BeGreaterThan 6 -Because 'the command must outlive a token'
        (Invoke-RestMethod -Method Get -Uri $challengeUri @control).served | Should -Be 1
        $got.Count | Should -Be $expected.Count
        @($got | Sort-Object -Unique).Count | Should -Be $expected.Count
        Compare-Object $got $expected | Should -BeNullOrEmpty

        $after = Get-ConnectionInformation
        $after.TokenStatus | Should -Be 'Active'
        $after.TokenExpiryTimeUTC | Should -BeGreaterThan $before.TokenExpiryTimeUTC
        $after.TokenExpiryTimeUTC | Should -BeGreaterThan ([System.DateTimeOffset]::UtcNow)
    }
}
