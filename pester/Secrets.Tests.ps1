#Requires -Version 5.1
<#
    No secret value reaches any stream of any cmdlet, nor ConvertTo-Json -Depth 10 of any output. The sandbox's
    `secrets` scenario seeds known values: environment values of the task definition (a database URL with a password,
    an API token), an application that logs them and an AWS key pair before it crashes, and a health-check path and URL
    that carry the token. Every cmdlet runs with -Verbose and every stream redirected, against that scenario.
#>

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath '../DeployOps.psd1') -Force -ErrorAction Stop
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'Sandbox.psm1') -Force -ErrorAction Stop

    $suite = Start-SandboxSuite -Name 'secrets' -Scenario 'healthy'
    $sandbox = $suite.Sandbox
    $lightwave = @{ Cluster = 'lightwave-dev-ecs-cluster'; Service = 'lightwave-backend-api-dev' }
    $aws = $suite.Aws

    # tests/DeployOps.Testing/Lightwave.cs, class Secrets: the values the scenario seeds.
    $password = 'S3cr3t-Pa55w0rd-Seed'
    $apiToken = 'tok_SEEDED_9f8e7d6c5b4a32107e6d'
    $accessKeyId = 'AKIAIOSFODNN7SEEDED1'
    $secretAccessKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSEEDEDKEY1'
    $seeded = @($password, $apiToken, $accessKeyId, $secretAccessKey)

    $null = Get-SettledDeploymentHealth -Sandbox $sandbox -Scenario 'secrets' -Category 'ApplicationNotStarting' -EvidenceSource 'StoppedTask', 'ApplicationLog'
    $healthUrl = (Get-SandboxLoadBalancerUrl -Sandbox $sandbox) + "/api/v1/health/health/?token=$apiToken"
    $targetGroupArn = @((Get-SandboxState -Sandbox $sandbox).targetGroups | Where-Object { $_.name -eq 'lightwave-dev-backend-tg' })[0].arn

    # Everything a command shows: every stream (records formatted with all their properties), and its output as JSON.
    function Get-EverythingShown {
        param([Parameter(Mandatory = $true)] [scriptblock] $Command)
        $all = @(& $Command *>&1)
        $text = @($all | ForEach-Object { $_ | Format-List -Property * -Force | Out-String -Width 500 })
        $json = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] -and $_ -isnot [System.Management.Automation.InformationalRecord] } |
                ForEach-Object { ConvertTo-Json -InputObject $_ -Depth 10 -WarningAction SilentlyContinue })
        $errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { $_.ToString(); $_.ErrorDetails.RecommendedAction; [string]$_.TargetObject })
        return ($text + $json + $errors) -join [Environment]::NewLine
    }
}

AfterAll {
    Stop-SandboxSuite -Suite $suite
    Remove-Module -Name 'DeployOps', 'Sandbox' -Force -ErrorAction SilentlyContinue
}

Describe 'No seeded secret value reaches any stream or any output' -Tag Integration {
    It '<Name> shows none of them' -ForEach @(
        @{ Name = 'Get-DeploymentHealth (category B, with the health URL)'; Command = { Get-DeploymentHealth @lightwave @aws -HealthUrl $healthUrl -Verbose } }
        @{ Name = 'Get-DeploymentHealth | Format-List *'; Command = { Get-DeploymentHealth @lightwave @aws | Format-List -Property * | Out-String -Width 500 } }
        @{ Name = 'Test-DeploymentEndpoint with a token in the URL'; Command = { Test-DeploymentEndpoint -Url $healthUrl -Origin 'https://dev.lightwave.example' -RetryCount 1 -RetryIntervalSec 0 -Verbose } }
        @{ Name = 'Test-DeploymentEndpoint failing on a URL with a password'; Command = { Test-DeploymentEndpoint -Url "http://lightwave:$password@127.0.0.1:9/health?token=$apiToken" -TimeoutSec 2 -Verbose } }
        @{ Name = 'Test-DeploymentEndpoint refusing a malformed URL with a token'; Command = { Test-DeploymentEndpoint -Url "not a url?token=$apiToken" } }
        @{ Name = 'Repair-TargetGroupHealthCheck -WhatIf'; Command = { Repair-TargetGroupHealthCheck -TargetGroupArn $targetGroupArn -HealthCheckPath "/api/v1/health/health/?token=$apiToken" @aws -WhatIf -Verbose } }
        @{ Name = 'Restart-EcsService -Wait (tasks keep crashing)'; Command = { Restart-EcsService @lightwave @aws -Force -Wait -Timeout 120 -Verbose } }
        @{ Name = 'Wait-EcsDeployment'; Command = { Wait-EcsDeployment @lightwave @aws -Timeout 60 -Verbose } }
    ) {
        $shown = Get-EverythingShown -Command $Command
        $shown.Length | Should -BeGreaterThan 100 -Because 'the command showed something'
        foreach ($value in $seeded) {
            $shown | Should -Not -Match ([regex]::Escape($value))
        }
    }

    It 'says which secret names were there: values go, names stay' {
        $report = Get-DeploymentHealth @lightwave @aws
        $log = @($report.Evidence | Where-Object { [string]$_.Source -eq 'ApplicationLog' })
        $log | Should -Not -BeNullOrEmpty
        $log[0].Detail | Should -Be 'FATAL: database connection failed: postgres://lightwave:***@db.internal:5432/lightwave'
    }
}
