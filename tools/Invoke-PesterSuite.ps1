<#
.SYNOPSIS
    Runs the Pester 5 suites in ./pester and writes NUnit XML.
.DESCRIPTION
    Meant for a child process (pwsh -NoProfile -File tools/Invoke-PesterSuite.ps1 -OutputPath ...),
    as build.ps1 and .ci/run start it, so the module's DLL is never locked in the caller's session.
    Exits with the number of failed tests (0 when all pass).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Import-Module -Name Pester -MinimumVersion 5.0.0

$outputFolder = Split-Path -Path $OutputPath -Parent
if ($outputFolder -and -not (Test-Path -Path $outputFolder)) {
    $null = New-Item -Path $outputFolder -ItemType Directory
}

$configuration = New-PesterConfiguration
$configuration.Run.Path = Join-Path -Path $PSScriptRoot -ChildPath '../pester'
$configuration.Run.Exit = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = $OutputPath
Invoke-Pester -Configuration $configuration
