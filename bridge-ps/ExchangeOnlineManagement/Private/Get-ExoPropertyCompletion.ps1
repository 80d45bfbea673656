function Get-ExoPropertyCompletion {
    <#
    .SYNOPSIS
    Completes -Properties of a Get-EXO* cmdlet from the daemon's catalogue.

    .DESCRIPTION
    The catalogue is asked once per cmdlet and kept for the session. A
    daemon that cannot be reached just means no completions.

    .PARAMETER Cmdlet
    The cmdlet being completed.

    .PARAMETER Word
    What the user typed so far.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.CompletionResult])]
    param(
        [Parameter(Mandatory)]
        [string] $Cmdlet,

        [AllowEmptyString()]
        [string] $Word
    )

    if (-not (Get-Variable -Name ExoPropertyNames -Scope Script -ErrorAction Ignore)) { $script:ExoPropertyNames = @{} }
    if (-not $script:ExoPropertyNames.ContainsKey($Cmdlet)) {
        try {
            $answer = Invoke-ExodUnary -Method '/exo.v1.QueryService/DescribeCmdlet' -Body @{ cmdlet = $Cmdlet }
            $script:ExoPropertyNames[$Cmdlet] = [string[]]@($answer.PSObject.Properties['properties'] | ForEach-Object Value)
        } catch {
            return
        }
    }
    foreach ($name in $script:ExoPropertyNames[$Cmdlet]) {
        if ($name -like "$Word*") {
            [System.Management.Automation.CompletionResult]::new($name, $name, 'ParameterValue', $name)
        }
    }
}
