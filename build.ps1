<#
.SYNOPSIS
    Builds, tests and packages DeployOps: the one entry point people and CI share.
.DESCRIPTION
    Build   dotnet build DeployOps.sln; the build also lays the module out at the repository root,
            so afterwards Import-Module ./DeployOps.psd1 works.
    Test    dotnet test, then (when pwsh exists) the Pester suites in ./pester in a child pwsh, so
            bin/DeployOps.dll is not locked in this session. NUnit XML: out/pester-results.xml.
    Package a Release build laid out as a publishable module in out/DeployOps/.
    Demo    builds, then runs runbook 000 against the local sandbox (scenario health-check-mismatch) in a child
            PowerShell: the health report before, Repair-TargetGroupHealthCheck -Redeploy -Wait, the report after
            (tools/Invoke-Demo.ps1). Needs moto_server on PATH.
    To add a task: add its name to the ValidateSet and write a function Invoke-<Name>Task.
.EXAMPLE
    ./build.ps1 -Task Build, Test
.EXAMPLE
    ./build.ps1 -Task Package
.EXAMPLE
    ./build.ps1 -Task Demo
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

function Invoke-BuildTask {
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('build', $solution, '-c', $Configuration)
}

function Invoke-TestTask {
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('test', $solution, '-c', $Configuration)

    $pwsh = Get-Command -Name 'pwsh' -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -eq $pwsh) {
        Write-Warning 'pwsh is not installed: the Pester suites did not run.'
        return
    }

    Invoke-Native -FilePath $pwsh.Path -ArgumentList @(
        '-NoProfile', '-NonInteractive',
        '-File', (Join-Path -Path $PSScriptRoot -ChildPath 'tools/Invoke-PesterSuite.ps1'),
        '-OutputPath', (Join-Path -Path $PSScriptRoot -ChildPath 'out/pester-results.xml')
    )
}

# PackageModule (build/DeployOps.Module.targets) depends on Build, so this is a Release build too.
function Invoke-PackageTask {
    $project = Join-Path -Path $PSScriptRoot -ChildPath 'src/DeployOps/DeployOps.csproj'
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('build', $project, '-c', 'Release', '-t:PackageModule')
}

# In a child process of this same PowerShell (pwsh or Windows PowerShell), like the Pester suites: the demo imports
# the module, and this session should neither lock bin/DeployOps.dll nor keep the demo's settings.
function Invoke-DemoTask {
    Invoke-BuildTask
    $shell = (Get-Process -Id $PID).Path
    Invoke-Native -FilePath $shell -ArgumentList @(
        '-NoProfile', '-NonInteractive',
        '-File', (Join-Path -Path $PSScriptRoot -ChildPath 'tools/Invoke-Demo.ps1'),
        '-Configuration', $Configuration
    )
}

foreach ($name in $Task) {
    Write-Host "== $name ($Configuration)" -ForegroundColor Green
    & "Invoke-$($name)Task"
}
