<#
.SYNOPSIS
    Runs the Pester suites in ./pester (all, or the ones named) with the project's own Pester, and writes NUnit XML.
.DESCRIPTION
    Meant for a child process, as build.ps1 and .ci/run start it, so the module's DLL is never locked in the caller's
    session:

        dotnet pwsh -NoProfile -File tools/Invoke-PesterSuite.ps1 -OutputPath out/pester-results.xml
        dotnet pwsh -NoProfile -File tools/Invoke-PesterSuite.ps1 -Path pester/Cmdlets.Tests.ps1 -OutputPath out/one.xml

    Pester comes from NuGet, never from the PowerShell Gallery or a copy installed by hand: the version is
    <PesterVersion> in Directory.Packages.props, restored (as a PackageDownload of tests/DeployOps.Commands.Tests) into
    the NuGet packages folder ($env:NUGET_PACKAGES, or ~/.nuget/packages). When it is not there yet, this script
    restores it with dotnet restore. The module itself must be built (dotnet build lays it out at the repository root).
    Exits with the number of failed tests (0 when all pass).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [string] $OutputPath,

    # Suites (files or folders) to run; by default every *.Tests.ps1 in ./pester.
    [string[]] $Path,

    # Only the blocks with one of these tags (Unit, Integration).
    [string[]] $Tag,

    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')]
    [string] $Verbosity = 'Detailed'
)

$ErrorActionPreference = 'Stop'
$repository = Split-Path -Path $PSScriptRoot -Parent

# The Pester version the build restores: <PesterVersion> in Directory.Packages.props.
function Get-PesterVersion {
    $props = [xml](Get-Content -LiteralPath (Join-Path -Path $repository -ChildPath 'Directory.Packages.props') -Raw)
    $version = @($props.Project.PropertyGroup | ForEach-Object { $_.PesterVersion } | Where-Object { $_ }) | Select-Object -First 1
    if (-not $version) {
        throw 'Directory.Packages.props has no <PesterVersion>.'
    }

    return [string]$version
}

# Where NuGet keeps restored packages: NUGET_PACKAGES, else ~/.nuget/packages (NuGet's own default).
function Get-NuGetPackageFolder {
    if ($env:NUGET_PACKAGES) {
        return $env:NUGET_PACKAGES
    }

    return Join-Path -Path (Join-Path -Path $HOME -ChildPath '.nuget') -ChildPath 'packages'
}

$version = Get-PesterVersion
$manifest = Join-Path -Path (Get-NuGetPackageFolder) -ChildPath "pester/$version/tools/Pester.psd1"
if (-not (Test-Path -LiteralPath $manifest)) {
    $project = Join-Path -Path $repository -ChildPath 'tests/DeployOps.Commands.Tests/DeployOps.Commands.Tests.csproj'
    Write-Host "Pester $version is not in the NuGet packages folder yet: dotnet restore $project"
    & dotnet restore $project
    if ($LASTEXITCODE -ne 0 -or -not (Test-Path -LiteralPath $manifest)) {
        throw "Could not restore Pester $version from NuGet (expected $manifest)."
    }
}

Import-Module -Name $manifest -Force

$outputFolder = Split-Path -Path $OutputPath -Parent
if ($outputFolder -and -not (Test-Path -LiteralPath $outputFolder)) {
    $null = New-Item -Path $outputFolder -ItemType Directory
}

$configuration = New-PesterConfiguration
if ($Path) {
    # pwsh -File passes "-Path a,b" as one string: split it as PowerShell would have.
    $configuration.Run.Path = @($Path | ForEach-Object { $_ -split ',' } | Where-Object { $_ })
}
else {
    $configuration.Run.Path = Join-Path -Path $repository -ChildPath 'pester'
}

if ($Tag) {
    $configuration.Filter.Tag = @($Tag | ForEach-Object { $_ -split ',' } | Where-Object { $_ })
}

$configuration.Run.Exit = $true
$configuration.Output.Verbosity = $Verbosity
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = $OutputPath

# The suites run with PowerShell's default preference, as an operator's session has it: 'Stop' (this script's own
# setting) would make every non-terminating error a test expects terminate the statement instead.
$ErrorActionPreference = 'Continue'
Invoke-Pester -Configuration $configuration
