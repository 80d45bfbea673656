function Start-ExoCommand {
    <#
    .SYNOPSIS
    Starts a call of a generated classic cmdlet: records the parameters given
    on the command line and how Confirm and WhatIf apply.

    .DESCRIPTION
    Called from a generated command's begin block (ConvertTo-ExoCommandScript).
    Parameters bound then came from the command line and apply to every
    pipeline input. A confirmation prompt is due, as in the service's
    proxies, when $ConfirmPreference is not None and at most the cmdlet's
    ConfirmImpact; -WhatIf (or $WhatIfPreference) asks the service for its
    description of the change instead. Add-ExoCommandInput and
    Complete-ExoCommand take the returned state.

    .PARAMETER Cmdlet
    The generated command's $PSCmdlet.

    .PARAMETER BoundParameters
    The generated command's $PSBoundParameters in its begin block.

    .PARAMETER Name
    The service's cmdlet name (without the prefix).

    .PARAMETER ConfirmImpact
    The cmdlet's ConfirmImpact as a number, or -1 when it does not support
    ShouldProcess.

    .PARAMETER Batching
    The service's proxy sends pipeline input in batches.

    .PARAMETER ConfirmPreference
    $ConfirmPreference in the generated command (-Confirm changes it); the
    caller's is used when -Confirm is not given.

    .PARAMETER WhatIfPreference
    $WhatIfPreference in the generated command (-WhatIf changes it); the
    caller's is used when -WhatIf is not given.

    .PARAMETER ConnectionId
    The connection whose catalogue generated the command.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory, Position = 0)]
        [System.Management.Automation.PSCmdlet] $Cmdlet,

        [Parameter(Mandatory, Position = 1)]
        [AllowEmptyCollection()]
        [System.Collections.Generic.Dictionary[string, object]] $BoundParameters,

        [Parameter(Mandatory, Position = 2)]
        [string] $Name,

        [Parameter(Position = 3)]
        [int] $ConfirmImpact = -1,

        [Parameter(Position = 4)]
        [bool] $Batching,

        [Parameter(Position = 5)]
        [System.Management.Automation.ConfirmImpact] $ConfirmPreference = 'High',

        [Parameter(Position = 6)]
        [object] $WhatIfPreference,

        [Parameter(Position = 7)]
        [string] $ConnectionId = ''
    )

    $command = $Cmdlet.MyInvocation.MyCommand
    # A module's commands see the global preference variables, not the
    # caller's; the caller's scope is $Cmdlet.SessionState, so a script's
    # own $ErrorActionPreference = 'Stop' or $ConfirmPreference = 'None'
    # applies as it does to compiled cmdlets. -Confirm and -WhatIf win.
    $caller = $Cmdlet.SessionState.PSVariable
    if (-not $BoundParameters.ContainsKey('Confirm')) {
        $value = $caller.GetValue('ConfirmPreference')
        if ($null -ne $value) { $ConfirmPreference = $value }
    }
    if (-not $BoundParameters.ContainsKey('WhatIf')) {
        $value = $caller.GetValue('WhatIfPreference')
        if ($null -ne $value) { $WhatIfPreference = $value }
    }
    $whatIf = $ConfirmImpact -ge 0 -and [bool]$WhatIfPreference
    $prompt = -not $whatIf -and $ConfirmImpact -ge 0 -and $ConfirmPreference -ne 'None' -and [int]$ConfirmPreference -le $ConfirmImpact
    $parameters = ConvertTo-ExoCommandParameters -Command $command -BoundParameters $BoundParameters
    if ($whatIf) {
        $parameters['WhatIf'] = @{ boolValue = $true }
    } elseif (-not $prompt -and $BoundParameters.ContainsKey('Confirm')) {
        $parameters['Confirm'] = @{ boolValue = $BoundParameters['Confirm'].IsPresent }
    }
    $warningAction = ''
    if ($BoundParameters.ContainsKey('WarningAction')) { $warningAction = [string]$BoundParameters['WarningAction'] }
    $expectingInput = $Cmdlet.MyInvocation.ExpectingInput
    @{
        Cmdlet         = $Cmdlet
        Command        = $command
        Name           = $Name
        ConnectionId   = $ConnectionId
        Parameters     = $parameters
        CommandLine    = [string[]]$BoundParameters.Keys
        ExpectingInput = $expectingInput
        # The service's proxies never batch a call that prompts.
        Batching       = $Batching -and $expectingInput -and -not $prompt
        Prompt         = $prompt
        WhatIf         = $whatIf
        WarningAction  = $warningAction
        Preferences    = @{
            ErrorActionPreference = $caller.GetValue('ErrorActionPreference')
            WarningPreference     = $caller.GetValue('WarningPreference')
            ConfirmPreference     = $ConfirmPreference
            WhatIfPreference      = [bool]$WhatIfPreference
        }
        Inputs         = [System.Collections.Generic.List[hashtable]]::new()
        Confirmation   = $null
        Failed         = $false
    }
}
