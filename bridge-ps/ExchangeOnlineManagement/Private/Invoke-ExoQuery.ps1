function Invoke-ExoQuery {
    <#
    .SYNOPSIS
    Sends a Get-EXO* call to the daemon and writes its objects, warnings and
    errors as they arrive.

    .DESCRIPTION
    Objects go to the pipeline with the service's property order and a type
    name for formatting. Warnings go through Write-Warning. A failure of one
    input is a non-terminating error written through the calling cmdlet, so
    -ErrorAction and try/catch behave as with Microsoft's module; a refused
    call (a malformed filter, an unknown property, no connection) is a
    terminating error.

    .PARAMETER Query
    The state New-ExoQuery returned; its queued inputs are sent and cleared.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [hashtable] $Query
    )

    $inputs = $Query.Inputs.ToArray()
    $Query.Inputs.Clear()
    $body = @{
        clientSession  = Get-ExoClientSession
        cmdlet         = $Query.Name
        parameters     = $Query.Parameters
        inputs         = $inputs
        resultSize     = $Query.ResultSize
        recordFormat   = 'RECORD_FORMAT_JSON_PAGE'
        # Each object arrives with its type name under PSTypeName, which the
        # [pscustomobject] cast below turns into the object's type name.
        typeNameMember = 'PSTypeName'
    }
    $cmdlet = $Query.Cmdlet
    try {
        Invoke-ExodStream -Method '/exo.v1.QueryService/Query' -Body $body | ForEach-Object {
            $records = $_.PSObject.Properties['records']
            if ($records) {
                # One parse per page: the daemon sends a page as one JSON array.
                $batch = $records.Value
                $guids = $batch.PSObject.Properties['guidProperties']
                $guids = if ($guids) { $guids.Value } else { @() }
                if (-not $batch.PSObject.Properties['hasObjectValues'] -or -not $batch.hasObjectValues) {
                    # Dictionaries cast to [pscustomobject]: about two thirds
                    # of the time per object of setting a PSCustomObject's
                    # type name and GUIDs one by one (tests/bench/jsonparse.ps1).
                    foreach ($object in (ConvertFrom-Json -InputObject $batch.json -NoEnumerate -AsHashtable)) {
                        foreach ($name in $guids) {
                            if ($object[$name]) { $object[$name] = [guid]$object[$name] }
                        }
                        [pscustomobject]$object
                    }
                } else {
                    # Nested objects must stay PSCustomObjects, so this page
                    # takes the slower way.
                    $typeName = $batch.typeNames[0]
                    foreach ($object in (ConvertFrom-Json -InputObject $batch.json -NoEnumerate)) {
                        $object.PSObject.Properties.Remove('PSTypeName')
                        foreach ($name in $guids) {
                            if ($object.$name) { $object.$name = [guid]$object.$name }
                        }
                        $object.PSObject.TypeNames.Insert(0, $typeName)
                        $object
                    }
                }
                $Query.Received += [int]$batch.count
                if ($Query.ShowProgress) {
                    Write-Progress -Id 1 -Activity $Query.Name -Status "$($Query.Received) objects received"
                }
                return
            }
            $warning = $_.PSObject.Properties['warning']
            if ($warning) {
                $cmdlet.WriteWarning($warning.Value)
                return
            }
            $Query.Failed = $true
            $index = if ($_.PSObject.Properties['inputIndex']) { [int]$_.inputIndex } else { 0 }
            $target = if ($inputs.Count -gt $index) { $inputs[$index] } else { $Query.Parameters }
            $cmdlet.WriteError((New-ExoServiceError -Failure $_.error -Activity $Query.Name -Target $target))
        }
    } catch {
        $Query.Failed = $true
        $global:EXO_LastExecutionStatus = $false
        $failure = $_
        $data = $failure.Exception.Data
        if ($data.Contains('GrpcStatusName') -and $data['GrpcStatusName'] -in 'InvalidArgument', 'FailedPrecondition') {
            # A refusal the user must fix: show the daemon's sentence alone.
            $text = $failure.Exception.Message.Substring($data['GrpcStatusName'].Length + 2)
            $exception = [System.ArgumentException]::new($text)
            foreach ($key in $data.Keys) { $exception.Data[$key] = $data[$key] }
            $failure = [System.Management.Automation.ErrorRecord]::new($exception, $failure.FullyQualifiedErrorId, $failure.CategoryInfo.Category, $Query.Name)
        }
        $cmdlet.ThrowTerminatingError($failure)
    }
}
