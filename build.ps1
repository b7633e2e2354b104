<#
.SYNOPSIS
    Builds, tests and packages DeployOps: the one entry point people and CI share.
.DESCRIPTION
    Build   dotnet build DeployOps.sln; the build also lays the module out at the repository root,
            so afterwards Import-Module ./DeployOps.psd1 works.
    Test    every test: dotnet test (xunit, TRX per test project in out/test-results/), then every Pester suite in
            ./pester in a child PowerShell, so bin/DeployOps.dll is not locked in this session (NUnit XML:
            out/test-results/pester-results.xml). Both always run; the task fails when either had a failure.
    Package a Release build laid out as a publishable module in out/DeployOps/.
    Demo    builds, then runs runbook 000 against the local sandbox (scenario health-check-mismatch) in a child
            PowerShell: the health report before, Repair-TargetGroupHealthCheck -Redeploy -Wait, the report after
            (tools/Invoke-Demo.ps1). Needs moto_server on PATH.
    To add a task: add its name to the ValidateSet and write a function Invoke-<Name>Task.

    Runs in PowerShell 7.2+ (the project's own: dotnet tool restore, then dotnet pwsh ./build.ps1) and in Windows
    PowerShell 5.1.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Demo
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Test
.EXAMPLE
    ./build.ps1 -Task Package
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Demo')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$solution = Join-Path -Path $PSScriptRoot -ChildPath 'DeployOps.sln'
$testResults = Join-Path -Path $PSScriptRoot -ChildPath 'out/test-results'

# Runs a program and throws when it fails: a native exit code does not stop a script by itself.
function Invoke-Native {
    param(
        [Parameter(Mandatory = $true)]
        [string] $FilePath,

        [string[]] $ArgumentList = @()
    )

    Write-Host "> $FilePath $($ArgumentList -join ' ')" -ForegroundColor Cyan
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) {
        throw "$FilePath failed with exit code $LASTEXITCODE"
    }
}

# The executable of the PowerShell running this script, for a child process. Never the process path: under the
# PowerShell .NET tool (dotnet pwsh) that is dotnet itself.
function Get-PowerShellPath {
    if ($PSVersionTable.PSEdition -eq 'Desktop') {
        return Join-Path -Path $PSHOME -ChildPath 'powershell.exe'
    }

    if ($IsWindows) {
        return Join-Path -Path $PSHOME -ChildPath 'pwsh.exe'
    }

    return Join-Path -Path $PSHOME -ChildPath 'pwsh'
}

function Invoke-BuildTask {
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('build', $solution, '-c', $Configuration)
}

function Invoke-TestTask {
    if (Test-Path -LiteralPath $testResults) {
        Remove-Item -LiteralPath $testResults -Recurse -Force
    }

    $failed = @()
    try {
        Invoke-Native -FilePath 'dotnet' -ArgumentList @('test', $solution, '-c', $Configuration, '--logger', 'trx', '--results-directory', $testResults)
    }
    catch {
        Write-Warning $_
        $failed += 'xunit'
    }

    try {
        Invoke-Native -FilePath (Get-PowerShellPath) -ArgumentList @(
            '-NoProfile', '-NonInteractive',
            '-File', (Join-Path -Path $PSScriptRoot -ChildPath 'tools/Invoke-PesterSuite.ps1'),
            '-OutputPath', (Join-Path -Path $testResults -ChildPath 'pester-results.xml')
        )
    }
    catch {
        Write-Warning $_
        $failed += 'Pester'
    }

    if ($failed.Count -gt 0) {
        throw "Tests failed: $($failed -join ', '). Results: $testResults"
    }
}

# PackageModule (build/DeployOps.Module.targets) depends on Build, so this is a Release build too.
function Invoke-PackageTask {
    $project = Join-Path -Path $PSScriptRoot -ChildPath 'src/DeployOps/DeployOps.csproj'
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('build', $project, '-c', 'Release', '-t:PackageModule')
}

# In a child process of this same PowerShell, like the Pester suites: the demo imports the module, and this session
# should neither lock bin/DeployOps.dll nor keep the demo's settings.
function Invoke-DemoTask {
    Invoke-BuildTask
    Invoke-Native -FilePath (Get-PowerShellPath) -ArgumentList @(
        '-NoProfile', '-NonInteractive',
        '-File', (Join-Path -Path $PSScriptRoot -ChildPath 'tools/Invoke-Demo.ps1'),
        '-Configuration', $Configuration
    )
}

foreach ($name in $Task) {
    Write-Host "== $name ($Configuration)" -ForegroundColor Green
    & "Invoke-$($name)Task"
}
