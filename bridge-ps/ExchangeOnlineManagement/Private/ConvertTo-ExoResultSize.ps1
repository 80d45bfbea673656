function ConvertTo-ExoResultSize {
    <#
    .SYNOPSIS
    Reads a -ResultSize value: a positive number, or Unlimited (-1).

    .PARAMETER Value
    The value given.
    #>
    [CmdletBinding()]
    [OutputType([long])]
    param(
        [Parameter(Mandatory)]
        [AllowNull()]
        [object] $Value
    )

    if ($Value -is [string] -and $Value.Trim() -eq 'Unlimited') { return [long]-1 }
    $number = 0L
    if ([long]::TryParse("$Value", [ref]$number) -and $number -gt 0) { return $number }
    throw [System.Management.Automation.PSArgumentException]::new(
        "Cannot convert value `"$Value`" to type `"Unlimited`": use a positive number or Unlimited.", 'ResultSize')
}
