function Wait-ExodTask {
    <#
    .SYNOPSIS
    Waits for a .NET task and returns its result, staying interruptible.

    .DESCRIPTION
    A single blocking Wait() would hold the pipeline thread until the daemon
    answers, and Ctrl+C would do nothing. Waiting in 50 ms slices lets
    PowerShell stop the pipeline between slices; the caller's clean block
    then cancels the call. A faulted task rethrows its own exception, not
    PowerShell's MethodInvocationException wrapper, so callers can inspect it.

    .PARAMETER Task
    The task to wait for.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [System.Threading.Tasks.Task] $Task
    )

    $slice = [System.Threading.Tasks.Task[]]@($Task)
    while (-not $Task.IsCompleted) {
        $null = [System.Threading.Tasks.Task]::WaitAny($slice, 50)
    }
    try {
        $Task.GetAwaiter().GetResult()
    } catch [System.Management.Automation.MethodInvocationException] {
        throw $_.Exception.InnerException
    }
}
