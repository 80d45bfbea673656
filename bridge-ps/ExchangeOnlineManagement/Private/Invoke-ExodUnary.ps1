function Invoke-ExodUnary {
    <#
    .SYNOPSIS
    Calls a unary daemon method and returns its one response message.

    .PARAMETER Method
    The gRPC method path, for example /exo.v1.DaemonService/GetVersion.

    .PARAMETER Body
    The request message, with proto3 JSON (lowerCamelCase) field names.

    .EXAMPLE
    Invoke-ExodUnary -Method '/exo.v1.DaemonService/GetVersion'
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)]
        [string] $Method,

        [System.Collections.IDictionary] $Body = @{}
    )

    $messages = @(Invoke-ExodStream -Method $Method -Body $Body)
    if ($messages.Count -ne 1) {
        throw (New-ExodRpcError -Method $Method -Code 13 -Message "a unary call returned $($messages.Count) messages instead of one")
    }
    $messages[0]
}
