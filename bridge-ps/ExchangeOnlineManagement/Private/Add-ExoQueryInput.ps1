function Add-ExoQueryInput {
    <#
    .SYNOPSIS
    Runs a Get-EXO* call for one process-block invocation.

    .DESCRIPTION
    Without pipeline input the call runs now. With pipeline input, the
    parameters this input bound are queued, and every InputBatchSize inputs
    the queue goes to the daemon in one call, which runs them concurrently
    and answers in input order; Complete-ExoQuery sends the rest.

    .PARAMETER Query
    The state New-ExoQuery returned.

    .PARAMETER BoundParameters
    The calling cmdlet's $PSBoundParameters in its process block.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [hashtable] $Query,

        [Parameter(Mandatory)]
        [AllowEmptyCollection()]
        [System.Collections.Generic.Dictionary[string, object]] $BoundParameters
    )

    if (-not $Query.ExpectingInput) {
        Invoke-ExoQuery -Query $Query
        return
    }
    $Query.Inputs.Add((ConvertTo-ExoQueryParameters -BoundParameters $BoundParameters -Exclude $Query.CommandLine))
    # Large enough to keep the daemon's concurrent requests busy, small
    # enough that the first results show soon.
    if ($Query.Inputs.Count -ge 64) {
        Invoke-ExoQuery -Query $Query
    }
}
