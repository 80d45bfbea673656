function Get-ExodExecutable {
    <#
    .SYNOPSIS
    Returns the path of the exod binary the module runs.

    .DESCRIPTION
    $env:EXOD_PATH wins, so developers and packagers can point the module at
    another build; otherwise the binary shipped in the module's bin folder is
    used. Throws when the file is missing, with a hint on how to get it.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()

    $path = if ($env:EXOD_PATH) { $env:EXOD_PATH } else { [System.IO.Path]::Combine($script:ExodModuleRoot, 'bin', 'exod') }
    if (-not [System.IO.File]::Exists($path)) {
        $exception = [System.Management.Automation.CommandNotFoundException]::new("The exod daemon binary was not found at '$path'. Build it with 'make build', or set `$env:EXOD_PATH to an exod binary.")
        throw [System.Management.Automation.ErrorRecord]::new($exception, 'ExodNotFound', 'ObjectNotFound', $path)
    }
    $path
}
