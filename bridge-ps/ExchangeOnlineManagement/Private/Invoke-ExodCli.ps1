function Invoke-ExodCli {
    <#
    .SYNOPSIS
    Runs the exod binary with arguments and returns its standard output lines.

    .DESCRIPTION
    Throws a terminating error that quotes exod's standard error when it exits
    with a non-zero status.

    .PARAMETER ArgumentList
    The exod subcommand and its arguments, for example 'socket-path'.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [string[]] $ArgumentList
    )

    $exod = Get-ExodExecutable
    # The exit status is checked below; a caller's preference must not turn
    # exod's exit status or standard error into an error record of its own.
    $PSNativeCommandUseErrorActionPreference = $false
    $lines = & $exod @ArgumentList 2>&1
    $stdout = @($lines | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] } | ForEach-Object { "$_" })
    if ($LASTEXITCODE -ne 0) {
        $stderr = ($lines | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { "$_" }) -join [Environment]::NewLine
        $exception = [System.InvalidOperationException]::new("'exod $($ArgumentList -join ' ')' failed with exit status ${LASTEXITCODE}: $stderr")
        throw [System.Management.Automation.ErrorRecord]::new($exception, 'ExodCommandFailed', 'OperationStopped', $exod)
    }
    $stdout
}
