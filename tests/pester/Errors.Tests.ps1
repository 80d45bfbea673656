# End-to-end tests of the error catalogue (docs/errors.md) as the module
# sees it: the daemon's google.rpc error details become the ErrorRecord's
# error id, category and exception Data.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $savedEnvironment = Save-TestEnvironment EXOD_SOCKET, EXOD_TRUSTED_CA
    $socket = New-TestSocket
    $sandbox = Start-TestSandbox
    $tenant = $sandbox.Info
    $env:EXOD_TRUSTED_CA = $tenant.caFile
    Import-Module $ModuleManifest -Force
    $connect = @{
        ConnectionUri = $tenant.connectionUri; AzureADAuthorizationEndpointUri = $tenant.authorityUri; ShowBanner = $false
    }
    function Get-TestFailure {
        param([scriptblock] $Script)
        try { & $Script; $null } catch { $_ }
    }
}

AfterAll {
    Remove-TestTenant -Sandbox $sandbox -Socket $socket -Environment $savedEnvironment
}

Describe 'Error details' {
    It 'names a wrong password CREDENTIALS_INVALID with what Entra said' {
        $wrong = [pscredential]::new($tenant.userPrincipalName, (ConvertTo-SecureString 'not-the-password' -AsPlainText -Force))
        $failure = Get-TestFailure { Connect-ExchangeOnline -Credential $wrong @connect }
        $failure | Should -Not -BeNullOrEmpty
        $failure.FullyQualifiedErrorId | Should -BeLike 'ExodUnauthenticated.CREDENTIALS_INVALID*'
        $failure.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $failure.Exception.Data['ErrorDomain'] | Should -Be 'exo.v1'
        $failure.Exception.Data['ErrorMetadata']['aadsts_code'] | Should -Be '50126'
    }

    It 'says CONNECTION_NOT_FOUND for a connection id the session does not have' {
        $credential = [pscredential]::new($tenant.userPrincipalName, (ConvertTo-SecureString $tenant.password -AsPlainText -Force))
        Connect-ExchangeOnline -Credential $credential @connect
        $failure = Get-TestFailure { & (Get-Module ExchangeOnlineManagement) { Invoke-ExodUnary -Method '/exo.v1.CommandService/GetCatalog' -Body @{ clientSession = 'no-such-session' } } }
        $failure.FullyQualifiedErrorId | Should -BeLike 'ExodFailedPrecondition.CONNECTION_NOT_FOUND*'
        $failure.CategoryInfo.Category | Should -Be 'InvalidOperation'
    }

    It 'gives a bad filter FILTER_INVALID and names the Filter field' {
        $credential = [pscredential]::new($tenant.userPrincipalName, (ConvertTo-SecureString $tenant.password -AsPlainText -Force))
        Connect-ExchangeOnline -Credential $credential @connect
        $failure = Get-TestFailure { Get-EXOMailbox -Filter 'Alias -eq' }
        $failure.FullyQualifiedErrorId | Should -BeLike 'ExodInvalidArgument.FILTER_INVALID*'
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure.Exception.Message | Should -BeLike '*position 9*'
        $failure.Exception.Data['ErrorReason'] | Should -Be 'FILTER_INVALID'
        $failure.Exception.Data['ErrorMetadata']['position'] | Should -Be '9'
        $failure.Exception.Data['FieldViolations'][0].Field | Should -Be 'Filter'
    }

    It 'gives an unknown property PROPERTY_UNKNOWN with its name' {
        $failure = Get-TestFailure { Get-EXOMailbox -Properties NoSuchProperty -ResultSize 1 }
        $failure.FullyQualifiedErrorId | Should -BeLike 'ExodInvalidArgument.PROPERTY_UNKNOWN*'
        $failure.Exception.Data['ErrorMetadata']['name'] | Should -Be 'NoSuchProperty'
        $failure.Exception.Data['FieldViolations'][0].Field | Should -Be 'Properties'
    }

    It 'keeps the plain status error id when the daemon sends no details' {
        $failure = Get-TestFailure { & (Get-Module ExchangeOnlineManagement) { Invoke-ExodUnary -Method '/exo.v1.DaemonService/NoSuchMethod' -Body @{} } }
        $failure.FullyQualifiedErrorId | Should -BeLike 'ExodUnimplemented*'
        $failure.Exception.Data.Contains('ErrorReason') | Should -BeFalse
    }
}

Describe 'Get-ExodGrpcStatus' {
    It 'reads ErrorInfo, RetryInfo and BadRequest from grpc-status-details-bin' {
        # A google.rpc.Status as grpc-go sends it (unpadded base64): THROTTLED
        # with request_id req-7, retry after 7.5 s, and Filter at fault.
        $details = 'CAgSCXNsb3cgZG93bhpoCih0eXBlLmdvb2dsZWFwaXMuY29tL2dvb2dsZS5ycGMuRXJyb3JJbmZvEjwKCVRIUk9UVExFRBIGZXhvLnYxGhIKC2h0dHBfc3RhdHVzEgM0MjkaEwoKcmVxdWVzdF9pZBIFcmVxLTcaNgoodHlwZS5nb29nbGVhcGlzLmNvbS9nb29nbGUucnBjLlJldHJ5SW5mbxIKCggIBxCAyrXuARo8Cil0eXBlLmdvb2dsZWFwaXMuY29tL2dvb2dsZS5ycGMuQmFkUmVxdWVzdBIPCg0KBkZpbHRlchIDYmFk'
        $failure = & (Get-Module ExchangeOnlineManagement) {
            param($Details)
            $response = [System.Net.Http.HttpResponseMessage]::new()
            $null = $response.Headers.TryAddWithoutValidation('grpc-status', '8')
            $null = $response.Headers.TryAddWithoutValidation('grpc-message', 'slow%20down')
            $null = $response.Headers.TryAddWithoutValidation('grpc-status-details-bin', $Details)
            $status = Get-ExodGrpcStatus -Headers $response.Headers
            New-ExodRpcError -Method '/exo.v1.CommandService/GetCatalog' -Code $status.Code -Message $status.Message -Details $status
        } $details
        $failure.FullyQualifiedErrorId | Should -Be 'ExodResourceExhausted.THROTTLED'
        $failure.CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $failure.Exception.Message | Should -Be 'ResourceExhausted: slow down'
        $failure.Exception.Data['ErrorMetadata']['request_id'] | Should -Be 'req-7'
        $failure.Exception.Data['RetryAfter'] | Should -Be ([timespan]::FromMilliseconds(7500))
        $failure.Exception.Data['FieldViolations'][0].Field | Should -Be 'Filter'
        $failure.Exception.Data['FieldViolations'][0].Description | Should -Be 'bad'
    }
}

Describe 'API version' {
    It 'reports exo.v1 and the released descriptor it serves' {
        $status = Get-ExodStatus
        $status.ApiVersion | Should -Be 'exo.v1'
        $released = Join-Path $RepoRoot 'proto' 'released' 'exo.v1.binpb'
        $status.ApiReleasedSha256 | Should -Be (Get-FileHash -LiteralPath $released -Algorithm SHA256).Hash.ToLowerInvariant()
    }
}

Describe 'New-ExoServiceError' {
    It 'keeps the service''s wait, request id and reason in the exception''s Data' {
        $failure = & (Get-Module ExchangeOnlineManagement) {
            $answer = '{"message":"x|Microsoft.Exchange.Throttling|slow","errorId":"[Server=a,RequestId=r-1,TimeStamp=t]","httpStatus":429,"requestId":"r-1","exceptionType":"Throttling","retryAfter":"2.500s","errorReason":"THROTTLED"}'
            New-ExoServiceError -Failure ($answer | ConvertFrom-Json) -Activity 'Set-Mailbox' -Target 'adele'
        }
        $failure.Exception.Data['RetryAfter'] | Should -Be ([timespan]::FromMilliseconds(2500))
        $failure.Exception.Data['RequestId'] | Should -Be 'r-1'
        $failure.Exception.Data['ExceptionType'] | Should -Be 'Throttling'
        $failure.Exception.Data['ErrorReason'] | Should -Be 'THROTTLED'
        $failure.Exception.Data['HttpStatus'] | Should -Be 429
        $failure.FullyQualifiedErrorId | Should -Be '[Server=a,RequestId=r-1,TimeStamp=t]'
    }
}
