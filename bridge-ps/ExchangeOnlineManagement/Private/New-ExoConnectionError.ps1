function New-ExoConnectionError {
    <#
    .SYNOPSIS
    Turns a failure of a connection cmdlet into the ErrorRecord it throws.

    .DESCRIPTION
    Daemon errors whose meaning is for the user (bad argument, failed
    sign-in, no access, wrong state, a service out of reach) lose their "<StatusName>: " prefix and
    keep their error id and category; other errors are passed on unchanged.

    .PARAMETER ErrorRecord
    The caught error.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param(
        [Parameter(Mandatory)]
        [System.Management.Automation.ErrorRecord] $ErrorRecord
    )

    $exception = $ErrorRecord.Exception
    $name = $exception.Data['GrpcStatusName']
    if ($name -in 'InvalidArgument', 'Unauthenticated', 'PermissionDenied', 'FailedPrecondition', 'NotFound', 'Unavailable' -and $exception.Message.StartsWith("${name}: ")) {
        $plain = [System.Management.Automation.RuntimeException]::new($exception.Message.Substring($name.Length + 2), $exception)
        foreach ($key in $exception.Data.Keys) { $plain.Data[$key] = $exception.Data[$key] }
        return [System.Management.Automation.ErrorRecord]::new($plain, $ErrorRecord.FullyQualifiedErrorId, $ErrorRecord.CategoryInfo.Category, $ErrorRecord.TargetObject)
    }
    if ($exception -is [System.Management.Automation.RuntimeException] -and $ErrorRecord.FullyQualifiedErrorId -notlike 'Exod*') {
        # A plain throw from parameter checks: keep the message as is.
        return [System.Management.Automation.ErrorRecord]::new($exception, 'ExoConnectionFailed', [System.Management.Automation.ErrorCategory]::InvalidArgument, $null)
    }
    $ErrorRecord
}
