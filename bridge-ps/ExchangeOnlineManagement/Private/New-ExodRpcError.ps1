function New-ExodRpcError {
    <#
    .SYNOPSIS
    Builds the ErrorRecord for a failed daemon call.

    .DESCRIPTION
    The message is "<StatusName>: <daemon's message>", the error id is
    "Exod<StatusName>" and the category follows the gRPC status, so scripts
    can filter on either. The exception's Data holds GrpcStatusCode,
    GrpcStatusName and Method for programmatic checks.

    .PARAMETER Method
    The gRPC method path, for example /exo.v1.DaemonService/GetVersion.

    .PARAMETER Code
    The gRPC status code (1 to 16).

    .PARAMETER Message
    The daemon's error message.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param(
        [Parameter(Mandatory)]
        [string] $Method,

        [Parameter(Mandatory)]
        [int] $Code,

        [AllowEmptyString()]
        [string] $Message
    )

    # Index = gRPC status code; names as in Grpc.Core.StatusCode.
    $names = 'OK', 'Cancelled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound',
    'AlreadyExists', 'PermissionDenied', 'ResourceExhausted', 'FailedPrecondition', 'Aborted',
    'OutOfRange', 'Unimplemented', 'Internal', 'Unavailable', 'DataLoss', 'Unauthenticated'
    $categories = 'NotSpecified', 'OperationStopped', 'NotSpecified', 'InvalidArgument', 'OperationTimeout', 'ObjectNotFound',
    'ResourceExists', 'PermissionDenied', 'LimitsExceeded', 'InvalidOperation', 'OperationStopped',
    'InvalidArgument', 'NotImplemented', 'NotSpecified', 'ResourceUnavailable', 'InvalidData', 'AuthenticationError'
    $known = $Code -ge 0 -and $Code -lt $names.Count
    $name = if ($known) { $names[$Code] } else { "Status$Code" }
    $category = if ($known) { $categories[$Code] } else { 'NotSpecified' }
    $text = if ($Message) { "${name}: $Message" } else { $name }

    $exception = [System.Management.Automation.RuntimeException]::new($text)
    $exception.Data['GrpcStatusCode'] = $Code
    $exception.Data['GrpcStatusName'] = $name
    $exception.Data['Method'] = $Method
    [System.Management.Automation.ErrorRecord]::new($exception, "Exod$name", $category, $Method)
}
