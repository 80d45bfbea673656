function Complete-ExoQuery {
    <#
    .SYNOPSIS
    Ends a Get-EXO* call: sends the queued pipeline inputs and sets
    $global:EXO_LastExecutionStatus.

    .PARAMETER Query
    The state New-ExoQuery returned.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [hashtable] $Query
    )

    if ($Query.Inputs.Count -gt 0) {
        Invoke-ExoQuery -Query $Query
    }
    if ($Query.ShowProgress) {
        Write-Progress -Id 1 -Activity $Query.Name -Completed
    }
    $global:EXO_LastExecutionStatus = -not $Query.Failed
}
