function New-ExoServiceError {
    <#
    .SYNOPSIS
    Builds the ErrorRecord for a service failure, as Microsoft's module does.

    .DESCRIPTION
    The message is the service's text ("<id>|<exception class>|<text>"), the
    error id "[Server=…,RequestId=…,TimeStamp=…]", the category the service
    named (else NotSpecified), and the reason the service's exception type.
    The exception's Data carries what scripts branch on without parsing the
    text: HttpStatus, RequestId, ExceptionType, ErrorReason (the daemon's
    catalogue, docs/errors.md) and RetryAfter (a TimeSpan, when the service
    asked the caller to wait).

    .PARAMETER Failure
    The daemon's CommandError message.

    .PARAMETER Activity
    The cmdlet that failed.

    .PARAMETER Target
    The input the failure is about.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param(
        [Parameter(Mandatory)]
        [pscustomobject] $Failure,

        [Parameter(Mandatory)]
        [string] $Activity,

        [AllowNull()]
        [object] $Target
    )

    $field = { param($name) $p = $Failure.PSObject.Properties[$name]; if ($p) { $p.Value } }
    $exception = [System.Exception]::new((& $field 'message'))
    $status = & $field 'httpStatus'
    if ($status) { $exception.Data['HttpStatus'] = [int]$status }
    foreach ($name in 'RequestId', 'ExceptionType', 'ErrorReason') {
        $value = & $field ($name.Substring(0, 1).ToLowerInvariant() + $name.Substring(1))
        if ($value) { $exception.Data[$name] = [string]$value }
    }
    # protojson writes a Duration as seconds with an "s" suffix ("1.500s").
    $retryAfter = & $field 'retryAfter'
    if ($retryAfter -match '^([0-9.]+)s$') {
        $exception.Data['RetryAfter'] = [timespan]::FromSeconds([double]::Parse($Matches[1], [cultureinfo]::InvariantCulture))
    }
    # The non-generic TryParse leaves null behind when the name is unknown.
    $category = $null
    if (-not [System.Enum]::TryParse([System.Management.Automation.ErrorCategory], [string](& $field 'category'), $true, [ref]$category)) {
        $category = [System.Management.Automation.ErrorCategory]::NotSpecified
    }
    $errorId = & $field 'errorId'
    if (-not $errorId) { $errorId = 'ExoServiceError' }
    $record = [System.Management.Automation.ErrorRecord]::new($exception, $errorId, $category, $Target)
    $record.CategoryInfo.Activity = $Activity
    $reason = & $field 'reason'
    if ($reason) { $record.CategoryInfo.Reason = $reason }
    $targetName = & $field 'targetName'
    if ($targetName) { $record.CategoryInfo.TargetName = $targetName }
    $record
}
