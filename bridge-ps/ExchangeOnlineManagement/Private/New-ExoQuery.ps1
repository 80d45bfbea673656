function New-ExoQuery {
    <#
    .SYNOPSIS
    Starts a Get-EXO* call: records the parameters given on the command line.

    .DESCRIPTION
    Called from a Get-EXO* cmdlet's begin block. Parameters bound then came
    from the command line and apply to every input; parameters bound later,
    in the process block, came from the pipeline and belong to one input.
    Add-ExoQueryInput and Complete-ExoQuery take the returned state.

    .PARAMETER Cmdlet
    The calling cmdlet's $PSCmdlet.

    .PARAMETER BoundParameters
    The calling cmdlet's $PSBoundParameters in its begin block.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Cmdlet,

        [Parameter(Mandatory)]
        [AllowEmptyCollection()]
        [System.Collections.Generic.Dictionary[string, object]] $BoundParameters
    )

    $resultSize = 0
    if ($BoundParameters.ContainsKey('ResultSize')) {
        $resultSize = ConvertTo-ExoResultSize -Value $BoundParameters['ResultSize']
    }
    @{
        Cmdlet         = $Cmdlet
        Name           = $Cmdlet.MyInvocation.MyCommand.Name
        Parameters     = ConvertTo-ExoQueryParameters -BoundParameters $BoundParameters
        CommandLine    = [string[]]$BoundParameters.Keys
        ResultSize     = $resultSize
        ExpectingInput = $Cmdlet.MyInvocation.ExpectingInput
        Inputs         = [System.Collections.Generic.List[hashtable]]::new()
        Failed         = $false
        Received       = 0
        ShowProgress   = $script:ExoShowProgress
    }
}
