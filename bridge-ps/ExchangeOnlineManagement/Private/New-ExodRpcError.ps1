function New-ExodRpcError {
    <#
    .SYNOPSIS
    Builds the ErrorRecord for a failed daemon call.

    .DESCRIPTION
    The message is "<StatusName>: <daemon's message>". The error id is
    "Exod<StatusName>", followed by ".<REASON>" when the daemon named the
    error catalogue's reason (docs/errors.md), for example
    "ExodInvalidArgument.FILTER_INVALID"; the category follows the reason,
    else the gRPC status, so scripts can filter on either. The exception's
    Data holds GrpcStatusCode, GrpcStatusName and Method, and from the
    daemon's error details ErrorReason, ErrorDomain, ErrorMetadata (a
    hashtable: request_id, exception_type, ...), RetryAfter (a TimeSpan) and
    FieldViolations.

    .PARAMETER Method
    The gRPC method path, for example /exo.v1.DaemonService/GetVersion.

    .PARAMETER Code
    The gRPC status code (1 to 16).

    .PARAMETER Message
    The daemon's error message.

    .PARAMETER Details
    The status as Get-ExodGrpcStatus read it, with the error details.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param(
        [Parameter(Mandatory)]
        [string] $Method,

        [Parameter(Mandatory)]
        [int] $Code,

        [AllowEmptyString()]
        [string] $Message,

        [hashtable] $Details
    )

    # Index = gRPC status code; names as in Grpc.Core.StatusCode.
    $names = 'OK', 'Cancelled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound',
    'AlreadyExists', 'PermissionDenied', 'ResourceExhausted', 'FailedPrecondition', 'Aborted',
    'OutOfRange', 'Unimplemented', 'Internal', 'Unavailable', 'DataLoss', 'Unauthenticated'
    $categories = 'NotSpecified', 'OperationStopped', 'NotSpecified', 'InvalidArgument', 'OperationTimeout', 'ObjectNotFound',
    'ResourceExists', 'PermissionDenied', 'LimitsExceeded', 'InvalidOperation', 'OperationStopped',
    'InvalidArgument', 'NotImplemented', 'NotSpecified', 'ResourceUnavailable', 'InvalidData', 'AuthenticationError'
    # Reasons whose category is more precise than their status code's.
    $reasonCategories = @{
        CMDLET_NOT_FOUND              = 'ObjectNotFound'
        CONNECTION_NOT_FOUND          = 'InvalidOperation'
        INTERACTION_REQUIRED          = 'AuthenticationError'
        BROWSER_UNAVAILABLE           = 'ResourceUnavailable'
        IDENTITY_PROVIDER_UNREACHABLE = 'ConnectionError'
        THROTTLED                     = 'LimitsExceeded'
    }
    $known = $Code -ge 0 -and $Code -lt $names.Count
    $name = if ($known) { $names[$Code] } else { "Status$Code" }
    $category = if ($known) { $categories[$Code] } else { 'NotSpecified' }
    $text = if ($Message) { "${name}: $Message" } else { $name }
    $errorId = "Exod$name"

    $exception = [System.Management.Automation.RuntimeException]::new($text)
    $exception.Data['GrpcStatusCode'] = $Code
    $exception.Data['GrpcStatusName'] = $name
    $exception.Data['Method'] = $Method
    if ($Details -and $Details['Reason']) {
        $reason = [string]$Details['Reason']
        $errorId = "$errorId.$reason"
        $exception.Data['ErrorReason'] = $reason
        $exception.Data['ErrorDomain'] = $Details['Domain']
        $metadata = if ($Details['Metadata']) { $Details['Metadata'] } else { @{} }
        $exception.Data['ErrorMetadata'] = $metadata
        $serviceCategory = [System.Management.Automation.ErrorCategory]::NotSpecified
        if ($reasonCategories.ContainsKey($reason)) {
            $category = $reasonCategories[$reason]
        } elseif ($reason -eq 'SERVICE_ERROR' -and [System.Enum]::TryParse([System.Management.Automation.ErrorCategory], [string]$metadata['category'], $true, [ref]$serviceCategory)) {
            # The service named the category of its own error.
            $category = $serviceCategory.ToString()
        }
    }
    if ($Details -and $null -ne $Details['RetryAfter']) { $exception.Data['RetryAfter'] = $Details['RetryAfter'] }
    if ($Details -and $Details['FieldViolations']) { $exception.Data['FieldViolations'] = $Details['FieldViolations'] }
    [System.Management.Automation.ErrorRecord]::new($exception, $errorId, $category, $Method)
}
