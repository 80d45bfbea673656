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
    # Each call ends with a tail where fewer requests are in flight and the
    # next inputs wait for it: 256 inputs (16 rounds at the daemon's 16
    # concurrent requests) keep that under a few percent of the time, while
    # the first results still show within a second or two.
    if ($Query.Inputs.Count -ge 256) {
        Invoke-ExoQuery -Query $Query
    }
}
