#Requires -Version 7.4
<#
.SYNOPSIS
Runs the Pester suites in tests/pester with the repository's own Pester.

.DESCRIPTION
Imports Pester 5 by path from .tools/nuget (scripts/bootstrap.sh restores it;
nothing is installed from the gallery), runs every *.Tests.ps1 here, prints a
final line such as "Pester: 12 passed, 0 failed" and exits non-zero when
anything failed.

.PARAMETER Path
Test files or folders to run; the default is this folder.

.PARAMETER FullName
Runs only the tests whose full name (Describe and It, space-joined) matches
one of these wildcards.

.EXAMPLE
pwsh -NoProfile -NonInteractive -File tests/pester/Invoke-Tests.ps1

.EXAMPLE
pwsh -NoProfile -NonInteractive -File tests/pester/Invoke-Tests.ps1 -Path tests/pester/Command.Tests.ps1 -FullName '*wire*'
#>
param(
    [string[]] $Path = @($PSScriptRoot),
    [string[]] $FullName
)
$ErrorActionPreference = 'Stop'

$repoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..' '..'))
$csproj = [xml](Get-Content -Raw (Join-Path $repoRoot 'tools' 'pester' 'pester.csproj'))
$pesterVersion = ($csproj.Project.ItemGroup.PackageDownload | Where-Object Include -EQ 'Pester').Version.Trim('[]')
$pester = Join-Path $repoRoot '.tools' 'nuget' 'pester' $pesterVersion 'tools' 'Pester.psd1'
if (-not (Test-Path $pester)) { throw "Pester $pesterVersion is not restored at $pester; run scripts/bootstrap.sh." }
Import-Module $pester -Force

$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
if ($FullName) { $config.Filter.FullName = $FullName }
$result = Invoke-Pester -Configuration $config

$summary = "Pester: $($result.PassedCount) passed, $($result.FailedCount) failed"
if ($result.SkippedCount) { $summary += ", $($result.SkippedCount) skipped" }
$summary
exit ([int]($result.Result -ne 'Passed'))
