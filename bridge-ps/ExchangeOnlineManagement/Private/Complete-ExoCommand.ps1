function Complete-ExoCommand {
    <#
    .SYNOPSIS
    Ends a call of a generated classic cmdlet: sends the queued pipeline
    inputs and sets $global:EXO_LastExecutionStatus.

    .PARAMETER Call
    The state Start-ExoCommand returned.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)]
        [hashtable] $Call
    )

    if ($Call.Inputs.Count -gt 0) {
        $queued = $Call.Inputs.ToArray()
        $Call.Inputs.Clear()
        Send-ExoCommand -Call $Call -Inputs $queued
    }
    $global:EXO_LastExecutionStatus = -not $Call.Failed
}
