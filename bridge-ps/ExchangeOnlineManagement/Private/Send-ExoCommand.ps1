function Send-ExoCommand {
    <#
    .SYNOPSIS
    Sends a generated cmdlet's call, with the confirmation round trip when a
    prompt is due.

    .DESCRIPTION
    As the service's proxies do (wire-protocol.md §2.3): when a prompt is
    due, a validation call with Confirm=true fetches the service's
    description of the change, ShouldProcess shows it, and on yes the same
    call is sent again with Confirm=false. Otherwise the call is sent once,
    WhatIf=true when -WhatIf is in effect.

    .PARAMETER Call
    The state Start-ExoCommand returned.

    .PARAMETER Inputs
    The encoded pipeline inputs; none for a call without pipeline input.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [hashtable] $Call,

        [hashtable[]] $Inputs = @()
    )

    # The generated command's WriteError, WriteWarning and ShouldProcess
    # read these variables from the scope they are called in (this one and
    # Invoke-ExoCommand's) unless -ErrorAction, -WarningAction, -Confirm or
    # -WhatIf was given: set to the caller's, the caller's preferences apply.
    # Plain assignments: a cmdlet here would itself obey them (Set-Variable
    # would ask to confirm under $ConfirmPreference = 'Medium').
    $preferences = $Call.Preferences
    if ($null -ne $preferences.ErrorActionPreference) { $ErrorActionPreference = $preferences.ErrorActionPreference }
    if ($null -ne $preferences.WarningPreference) { $WarningPreference = $preferences.WarningPreference }
    $ConfirmPreference = $preferences.ConfirmPreference
    $WhatIfPreference = $preferences.WhatIfPreference
    if (-not $Call.Prompt) {
        Invoke-ExoCommand -Call $Call -Parameters $Call.Parameters -Inputs $Inputs -Batch:($Call.Batching -and $Inputs.Count -gt 0)
        return
    }
    $parameters = $Call.Parameters.Clone()
    $parameters['Confirm'] = @{ boolValue = $true }
    $Call.Confirmation = $null
    Invoke-ExoCommand -Call $Call -Parameters $parameters -Inputs $Inputs
    $message = $Call.Confirmation
    if ($null -eq $message -or -not $Call.Cmdlet.ShouldProcess($message, $message, 'Confirm')) { return }
    $parameters['Confirm'] = @{ boolValue = $false }
    Invoke-ExoCommand -Call $Call -Parameters $parameters -Inputs $Inputs
}
