<#
.SYNOPSIS
    The DeployOps demo: runbook 000 (SOP-DEPLOY-HEALTH-001) against the local sandbox, as one pipeline.
.DESCRIPTION
    Run by build.ps1 -Task Demo in a child PowerShell after the build, so this session's DLL is not locked.
    Starts the sandbox with the health-check-mismatch scenario (category A: the target group checks /health/, the
    application answers 200 only on /api/v1/health/health/), shows the health report, repairs it with
    Repair-TargetGroupHealthCheck -Redeploy -Wait, and shows the report after. The AWS settings are throwaway
    ('sandbox' credentials, empty profile files); however the demo ends, the sandbox is stopped and every AWS_*
    variable is restored.
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$repository = Split-Path -Path $PSScriptRoot -Parent
$healthPath = '/api/v1/health/health/'
Import-Module -Name (Join-Path -Path $repository -ChildPath 'pester/Sandbox.psm1') -Force

function Write-Step {
    param([string] $Text)
    Write-Host ''
    Write-Host "== $Text" -ForegroundColor Green
}

$awsFolder = Join-Path -Path ([System.IO.Path]::GetTempPath()) -ChildPath ('deployops-demo-' + [guid]::NewGuid().ToString('n'))
$savedAwsEnvironment = Enter-SandboxAwsEnvironment -Path $awsFolder
$sandbox = $null
try {
    Write-Step 'Starting the DeployOps sandbox with scenario health-check-mismatch (runbook 000, category A)'
    $sandbox = Start-DeployOpsSandbox -Scenario 'health-check-mismatch' -Configuration $Configuration
    Import-Module -Name (Join-Path -Path $repository -ChildPath 'DeployOps.psd1') -Force
    $service = @{ Cluster = 'lightwave-dev-ecs-cluster'; Service = 'lightwave-backend-api-dev'; Region = 'us-east-1'; EndpointUrl = $sandbox.Url }

    Write-Step "Steps 1 and 2: Get-DeploymentHealth -Cluster $($service.Cluster) -Service $($service.Service) -Region us-east-1 -EndpointUrl $($sandbox.Url)"
    # Right after the scenario loads the targets are still healthy; they fail after a few health checks.
    $before = Wait-SandboxCondition -Because 'the targets to fail their health checks' -ScriptBlock {
        Get-DeploymentHealth @service | Where-Object { [string]$_.Status -ne 'Healthy' }
    }
    $before | Format-List | Out-Host

    Write-Step "Step 3A: ... | Repair-TargetGroupHealthCheck -HealthCheckPath $healthPath -Redeploy -Wait -Confirm:`$false"
    $repaired = @($before | Repair-TargetGroupHealthCheck -HealthCheckPath $healthPath -Redeploy -Wait -Timeout 300 -Confirm:$false)
    $repaired | Where-Object { $_ -is [DeployOps.Deployments.TargetGroupHealthCheckChange] } | Out-Host
    $repaired | Where-Object { $_ -is [DeployOps.Health.DeploymentHealthReport] } | Format-Table | Out-Host

    Write-Step 'Step 4: Get-DeploymentHealth again, with the health URL through the load balancer'
    $healthUrl = (Get-SandboxLoadBalancerUrl -Sandbox $sandbox) + $healthPath
    $after = Get-DeploymentHealth @service -ExpectedHealthCheckPath $healthPath -HealthUrl $healthUrl
    $after | Format-List | Out-Host
    Test-DeploymentEndpoint -Url $healthUrl | Format-Table | Out-Host

    if ([string]$after.Status -ne 'Healthy') {
        throw "The service is $($after.Status) ($($after.Category)) after the repair; expected Healthy."
    }

    Write-Step "Done: $($before.Status) ($($before.Category)) before, $($after.Status) after."
}
finally {
    if ($null -ne $sandbox) {
        Stop-DeployOpsSandbox -Sandbox $sandbox
    }

    Exit-SandboxAwsEnvironment -State $savedAwsEnvironment
    Remove-Item -LiteralPath $awsFolder -Recurse -Force -ErrorAction SilentlyContinue
}
