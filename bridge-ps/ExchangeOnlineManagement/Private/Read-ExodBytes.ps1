function Read-ExodBytes {
    <#
    .SYNOPSIS
    Reads exactly Count bytes from a stream; $null if it ends first.

    .DESCRIPTION
    Returns $null when the stream ends before the first byte and throws when
    it ends part way, so callers can tell a clean end from a cut one.

    .PARAMETER Stream
    The stream to read.

    .PARAMETER Count
    How many bytes to read.

    .PARAMETER CancellationToken
    Cancels the pending read when the caller stops.
    #>
    [CmdletBinding()]
    [OutputType([byte[]])]
    param(
        [Parameter(Mandatory)]
        [System.IO.Stream] $Stream,

        [Parameter(Mandatory)]
        [int] $Count,

        [Parameter(Mandatory)]
        [System.Threading.CancellationToken] $CancellationToken
    )

    $buffer = [byte[]]::new($Count)
    $offset = 0
    while ($offset -lt $Count) {
        $read = Wait-ExodTask -Task $Stream.ReadAsync($buffer, $offset, $Count - $offset, $CancellationToken)
        if ($read -eq 0) { break }
        $offset += $read
    }
    if ($offset -eq $Count) { return , $buffer }
    if ($offset -eq 0) { return $null }
    throw "The exod daemon's response ended after $offset of $Count expected bytes."
}
