@{
    RootModule           = 'ExchangeOnlineManagement.psm1'
    ModuleVersion        = '3.7.2'
    # Microsoft's GUID: scripts pin the module with
    # #Requires -Modules @{ ModuleName = 'ExchangeOnlineManagement'; Guid = ... }.
    GUID                 = 'b5eced50-afa4-455b-847a-d8fb64140a22'
    Author               = 'The exo contributors'
    CompanyName          = 'The exo contributors'
    Copyright            = '(c) The exo contributors. MIT License.'
    Description          = 'Open-source drop-in replacement for the ExchangeOnlineManagement module. A thin PowerShell layer that forwards every command to the exod daemon over gRPC on a per-user Unix socket.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    # Keep this list explicit: PowerShell reads it to auto-load the module
    # without running it, and it is the public surface.
    FunctionsToExport    = @(
        'Connect-ExchangeOnline'
        'Connect-IPPSSession'
        'Disconnect-ExchangeOnline'
        'Get-ConnectionInformation'
        'Get-EXOCasMailbox'
        'Get-EXOMailbox'
        'Get-EXOMailboxFolderPermission'
        'Get-EXOMailboxFolderStatistics'
        'Get-EXOMailboxPermission'
        'Get-EXOMailboxStatistics'
        'Get-EXOMobileDeviceStatistics'
        'Get-EXORecipient'
        'Get-EXORecipientPermission'
        'Get-ExodStatus'
        'Get-ExodVersion'
        'Watch-ExodHeartbeat'
    )
    FormatsToProcess     = @('ExchangeOnlineManagement.Format.ps1xml', 'ExchangeOnlineManagement.Classic.Format.ps1xml')
    CmdletsToExport      = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Exchange', 'ExchangeOnline', 'EXO', 'gRPC', 'Linux', 'macOS')
            ProjectUri = 'https://github.com/openexo/exo'
        }
    }
}
