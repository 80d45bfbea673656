function Add-ExoCommandInput {
    <#
    .SYNOPSIS
    Runs a generated classic cmdlet for one process-block invocation.

    .DESCRIPTION
    Without pipeline input the call runs now. With pipeline input, the
    parameters this input bound are encoded; a cmdlet whose proxy batches
    queues them and sends every 160 inputs in one InvokeCommand call (the
    daemon sends them to the service in $batch requests of 10, 16 in
    flight, so 160 fills them all, and streams the results in input order);
    Complete-ExoCommand sends the rest. Other
    cmdlets, and calls that prompt for confirmation, send each input alone.

    .PARAMETER Call
    The state Start-ExoCommand returned.

    .PARAMETER BoundParameters
    The generated command's $PSBoundParameters in its process block.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)]
        [hashtable] $Call,

        [Parameter(Mandatory, Position = 1)]
        [AllowEmptyCollection()]
        [System.Collections.Generic.Dictionary[string, object]] $BoundParameters
    )

    if (-not $Call.ExpectingInput) {
        Send-ExoCommand -Call $Call
        return
    }
    $item = ConvertTo-ExoCommandParameters -Command $Call.Command -BoundParameters $BoundParameters -Exclude $Call.CommandLine -FromPipeline
    if (-not $Call.Batching) {
        Send-ExoCommand -Call $Call -Inputs @($item)
        return
    }
    $Call.Inputs.Add($item)
    if ($Call.Inputs.Count -ge 160) {
        $queued = $Call.Inputs.ToArray()
        $Call.Inputs.Clear()
        Send-ExoCommand -Call $Call -Inputs $queued
    }
}
