function Disconnect-ExchangeOnline {
    <#
    .SYNOPSIS
    Closes Exchange Online and Security & Compliance connections.

    .DESCRIPTION
    Drop-in for Microsoft's Disconnect-ExchangeOnline. Without parameters it
    closes every connection of this PowerShell process; -ConnectionId and
    -ModulePrefix close only some. The daemon forgets the tokens of the
    closed connections. Asks for confirmation first (ConfirmImpact High): use
    -Confirm:$false in scripts. Writes "Disconnected successfully !" to the
    information stream (shown on the host).

    .PARAMETER ConnectionId
    The ids of the connections to close. Binds by property name, so
    `Get-ConnectionInformation | Disconnect-ExchangeOnline` works.

    .PARAMETER ModulePrefix
    Closes the connections made with these -Prefix values.

    .EXAMPLE
    Disconnect-ExchangeOnline -Confirm:$false

    Closes every connection without asking.

    .EXAMPLE
    Get-ConnectionInformation | Where-Object IsEopSession | Disconnect-ExchangeOnline -Confirm:$false

    Closes the Security & Compliance connections only.
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High', DefaultParameterSetName = 'DefaultParameterSet')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'ConnectionId', ValueFromPipelineByPropertyName)]
        [string[]] $ConnectionId,

        [Parameter(Mandatory, ParameterSetName = 'ModulePrefix')]
        [string[]] $ModulePrefix
    )

    begin {
        $ids = [System.Collections.Generic.List[string]]::new()
    }

    process {
        if ($PSCmdlet.ParameterSetName -eq 'ConnectionId') { $ids.AddRange([string[]]$ConnectionId) }
    }

    end {
        $body = @{ clientSession = Get-ExoClientSession }
        $target = switch ($PSCmdlet.ParameterSetName) {
            'ConnectionId' { $body.connectionId = $ids.ToArray(); "connections $($ids -join ', ')" }
            'ModulePrefix' { $body.modulePrefix = [string[]]$ModulePrefix; "connections with prefix $($ModulePrefix -join ', ')" }
            default { 'all Exchange Online and Security & Compliance connections' }
        }
        if (-not $PSCmdlet.ShouldProcess($target, 'Disconnect')) { return }
        $global:EXO_LastExecutionStatus = $true
        try {
            $closed = Invoke-ExodUnary -Method '/exo.v1.ConnectionService/Disconnect' -Body $body
            if ($closed.PSObject.Properties['connectionId']) { Remove-ExoCommandModule -ConnectionId $closed.connectionId }
        } catch {
            $global:EXO_LastExecutionStatus = $false
            $PSCmdlet.ThrowTerminatingError((New-ExoConnectionError -ErrorRecord $_))
        }
        Write-Host 'Disconnected successfully !'
    }
}
