function ConvertTo-ExoParameterValue {
    <#
    .SYNOPSIS
    Encodes one bound parameter value as an exo.v1.ParameterValue
    (proto3 JSON), following wire-protocol.md §2.3.

    .DESCRIPTION
    Switches and booleans become boolValue; integers intValue; other numbers
    doubleValue; [DateTime] and [DateTimeOffset] timeValue in UTC; byte
    arrays bytesValue; hashtables mapValue and arrays listValue,
    recursively; SecureString secretValue and PSCredential credentialValue
    (the daemon encrypts both with the service's key). An object bound from
    the pipeline sends its property of the parameter's name as a string
    (Get-Mailbox | Set-Mailbox sends the mailbox's Identity); other
    PowerShell objects are sent as objects when the parameter is typed
    PSObject, else by their Identity, else as objects. Enums, IP addresses,
    cultures, time spans, script blocks, GUIDs and any other value are sent
    as their string form.

    .PARAMETER Value
    The bound value.

    .PARAMETER Name
    The parameter's name.

    .PARAMETER FromPipeline
    The value was bound from a pipeline object.

    .PARAMETER AsObject
    The parameter is typed PSObject or PSCustomObject.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [AllowNull()]
        [object] $Value,

        [string] $Name = '',

        [switch] $FromPipeline,

        [switch] $AsObject
    )

    if ($null -eq $Value) { return @{ nullValue = 'NULL_VALUE' } }
    if ($Value -is [string]) { return @{ stringValue = $Value } }
    if ($Value -is [switch]) { return @{ boolValue = $Value.IsPresent } }
    if ($Value -is [bool]) { return @{ boolValue = $Value } }
    if ($Value -is [enum]) { return @{ stringValue = $Value.ToString() } }
    if ($Value -is [int] -or $Value -is [long] -or $Value -is [int16] -or $Value -is [byte] -or
        $Value -is [sbyte] -or $Value -is [uint16] -or $Value -is [uint32]) {
        return @{ intValue = [long]$Value }
    }
    if ($Value -is [double] -or $Value -is [single] -or $Value -is [decimal]) { return @{ doubleValue = [double]$Value } }
    if ($Value -is [datetime]) {
        return @{ timeValue = $Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", [cultureinfo]::InvariantCulture) }
    }
    if ($Value -is [System.DateTimeOffset]) {
        return @{ timeValue = $Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", [cultureinfo]::InvariantCulture) }
    }
    if ($Value -is [byte[]]) { return @{ bytesValue = [System.Convert]::ToBase64String($Value) } }
    if ($Value -is [System.Security.SecureString]) {
        return @{ secretValue = [System.Net.NetworkCredential]::new('', $Value).Password }
    }
    if ($Value -is [pscredential]) {
        return @{ credentialValue = @{ userName = $Value.UserName; password = $Value.GetNetworkCredential().Password } }
    }
    if ($Value -is [System.Collections.IDictionary]) {
        $entries = @{}
        foreach ($key in $Value.Keys) { $entries[[string]$key] = ConvertTo-ExoParameterValue -Value $Value[$key] }
        return @{ mapValue = @{ entries = $entries } }
    }
    if ($Value -is [System.Management.Automation.PSCustomObject] -or ($AsObject -and $Value -isnot [System.Collections.IEnumerable])) {
        if ($AsObject) { return @{ objectValue = $Value } }
        foreach ($property in $(if ($FromPipeline) { $Name, 'Identity' } else { 'Identity' })) {
            $match = $Value.PSObject.Properties[$property]
            if ($match -and $null -ne $match.Value) { return @{ stringValue = [string]$match.Value } }
        }
        return @{ objectValue = $Value }
    }
    if ($Value -is [System.Collections.IEnumerable]) {
        $values = [System.Collections.Generic.List[hashtable]]::new()
        foreach ($item in $Value) {
            $values.Add((ConvertTo-ExoParameterValue -Value $item -Name $Name -FromPipeline:$FromPipeline -AsObject:$AsObject))
        }
        return @{ listValue = @{ values = $values } }
    }
    @{ stringValue = $Value.ToString() }
}
