function Invoke-ExoCommand {
    <#
    .SYNOPSIS
    Sends one InvokeCommand call to the daemon and writes its objects,
    warnings and errors as they arrive.

    .DESCRIPTION
    Objects come one JSON array per service page and get the type name the
    daemon sends, for the format views; GUID properties become [guid].
    Warnings go through the calling command's WriteWarning, so
    -WarningAction applies. A failure of the service is a non-terminating
    error written through the calling command (New-ExoServiceError), so
    -ErrorAction and try/catch behave as with Microsoft's module; a call the
    daemon refuses (no connection, a cmdlet outside the catalogue) is a
    terminating error. A confirmation message is printed as "What if: ..."
    under -WhatIf, else kept in the call state for the confirmation prompt.

    .PARAMETER Call
    The state Start-ExoCommand returned.

    .PARAMETER Parameters
    The encoded parameters common to every input.

    .PARAMETER Inputs
    The encoded parameters of each pipeline input.

    .PARAMETER Batch
    Let the daemon send the inputs in $batch requests.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [hashtable] $Call,

        [Parameter(Mandatory)]
        [hashtable] $Parameters,

        [hashtable[]] $Inputs = @(),

        [switch] $Batch
    )

    $body = @{
        clientSession = Get-ExoClientSession
        connectionId  = $Call.ConnectionId
        cmdlet        = $Call.Name
        parameters    = $Parameters
        inputs        = @(foreach ($item in $Inputs) { @{ parameters = $item } })
        warningAction = $Call.WarningAction
        recordFormat  = 'RECORD_FORMAT_JSON_PAGE'
        batch         = [bool]$Batch
    }
    $cmdlet = $Call.Cmdlet
    try {
        Invoke-ExodStream -Method '/exo.v1.CommandService/InvokeCommand' -Body $body | ForEach-Object {
            $records = $_.PSObject.Properties['records']
            if ($records) {
                # One parse per page: the daemon sends a page as one JSON array.
                $page = $records.Value
                $names = $page.PSObject.Properties['typeNames']
                $typeNames = [string[]]@(if ($names) { $names.Value })
                $guids = $page.PSObject.Properties['guidProperties']
                $guids = if ($guids) { $guids.Value } else { @() }
                foreach ($object in (ConvertFrom-Json -InputObject $page.json -NoEnumerate)) {
                    foreach ($name in $guids) {
                        $property = $object.PSObject.Properties[$name]
                        if ($property -and $property.Value) { $property.Value = [guid]$property.Value }
                    }
                    for ($i = $typeNames.Count - 1; $i -ge 0; $i--) { $object.PSObject.TypeNames.Insert(0, $typeNames[$i]) }
                    $object
                }
                return
            }
            $warning = $_.PSObject.Properties['warning']
            if ($warning) {
                $cmdlet.WriteWarning($warning.Value)
                return
            }
            $confirmation = $_.PSObject.Properties['confirmationMessage']
            if ($confirmation) {
                if ($Call.WhatIf) {
                    # Under -WhatIf ShouldProcess prints "What if: <message>" and says no.
                    $null = $cmdlet.ShouldProcess($confirmation.Value, $confirmation.Value, 'What if')
                } else {
                    $Call.Confirmation = $confirmation.Value
                }
                return
            }
            $failure = $_.PSObject.Properties['error']
            if ($failure) {
                $Call.Failed = $true
                $global:EXO_LastExecutionStatus = $false
                $index = if ($_.PSObject.Properties['inputIndex']) { [int]$_.inputIndex } else { 0 }
                $target = if ($Inputs.Count -gt $index) { $Inputs[$index] } else { $Parameters }
                $identity = $target['Identity']
                if ($identity -and $identity.ContainsKey('stringValue')) { $target = $identity.stringValue }
                $cmdlet.WriteError((New-ExoServiceError -Failure $failure.Value -Activity $Call.Name -Target $target))
            }
        }
    } catch {
        $Call.Failed = $true
        $global:EXO_LastExecutionStatus = $false
        if (-not $_.Exception.Data.Contains('GrpcStatusName')) { throw }
        $cmdlet.ThrowTerminatingError($_)
    }
}
