#Requires -Version 5.1
<#
    Runbook 000 (SOP-DEPLOY-HEALTH-001, "Deployment Health Troubleshooting") against the DeployOps sandbox:
    one Describe per step of the SOP, run as an operator would run it.

    Step 1  ./scripts/deployment-health-check.sh dev           Get-DeploymentHealth (-Cluster/-Service or -Environment)
    Step 2  root cause category A / B / C                        the report's Category and Evidence
    Step 3A fix the health-check path, redeploy, wait, report    Get-DeploymentHealth | Repair-TargetGroupHealthCheck -Redeploy -Wait
    Step 4  curl the health URL via the ALB; rollout COMPLETED   Test-DeploymentEndpoint, Wait-EcsDeployment

    Needs the built module and sandbox (./build.ps1 -Task Build) and moto_server on PATH. The sandbox runs on a free
    port with throwaway credentials; the user's ~/.aws and AWS_* variables are neither read nor changed.
#>

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath '../DeployOps.psd1') -Force -ErrorAction Stop
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'Sandbox.psm1') -Force -ErrorAction Stop

    $suite = Start-SandboxSuite -Name 'runbook000' -Scenario 'healthy'
    $sandbox = $suite.Sandbox

    # The names the shipped scenarios promise (tests/DeployOps.Testing/Lightwave.cs).
    $lightwave = @{ Cluster = 'lightwave-dev-ecs-cluster'; Service = 'lightwave-backend-api-dev' }
    $aws = $suite.Aws
    $healthPath = '/api/v1/health/health/'
    $wrongHealthPath = '/health/'
    $targetGroupName = 'lightwave-dev-backend-tg'

    # Loads a scenario and diagnoses the service until the report settles on the category (Sandbox.psm1).
    function Get-SettledHealth {
        param([string] $Scenario, [string] $Category, [string[]] $EvidenceSource = @())
        Get-SettledDeploymentHealth -Sandbox $sandbox -Scenario $Scenario -Category $Category -EvidenceSource $EvidenceSource
    }

    # The sandbox's view of the Lightwave target group and service (what AWS really holds, not what DeployOps says).
    function Get-LightwaveState {
        $state = Get-SandboxState -Sandbox $sandbox
        $service = @($state.services) | Where-Object { $_.service -eq $lightwave.Service } | Select-Object -First 1
        [pscustomobject]@{
            TargetGroup        = @($state.targetGroups) | Where-Object { $_.name -eq $targetGroupName } | Select-Object -First 1
            DeploymentIds      = @($service.deployments | ForEach-Object { $_.id })
            # Every deployment ever started for the service, whether or not it is still listed.
            DeploymentsStarted = [int]$service.deploymentsStarted
        }
    }
}

AfterAll {
    Stop-SandboxSuite -Suite $suite
    Remove-Module -Name 'DeployOps', 'Sandbox' -Force -ErrorAction SilentlyContinue
}

Describe 'Step 1: Initial diagnosis' -Tag Integration {
    BeforeAll {
        $report = Get-SettledHealth -Scenario 'healthy' -Category 'None'
    }

    It 'reports a healthy service as Healthy, category None: "if all checks pass, stop here"' {
        $report | Should -BeOfType ([DeployOps.Health.DeploymentHealthReport])
        [string]$report.Status | Should -Be 'Healthy'
        [string]$report.Category | Should -Be 'None'
        $report.RecommendedAction | Should -BeLike 'No action needed*'
    }

    It 'runs every check of the script: prerequisites, health-check path, target health, service stability, endpoint' {
        $names = @($report.Checks | ForEach-Object { $_.Name })
        foreach ($check in @('Prerequisites', 'Health check path', 'Target health', 'Service stability', 'Health endpoint')) {
            $names | Should -Contain $check
        }

        @($report.Checks | Where-Object { [string]$_.Outcome -in @('Fail', 'Warning') }) | Should -HaveCount 0
    }

    It 'carries the facts: counts, target group, deployment and the connection it used' {
        $report.Cluster | Should -Be $lightwave.Cluster
        $report.Service | Should -Be $lightwave.Service
        $report.RunningCount | Should -Be 2
        $report.DesiredCount | Should -Be 2
        $group = @($report.TargetGroups) | Select-Object -First 1
        $group.TargetGroupName | Should -Be $targetGroupName
        $group.HealthCheckPath | Should -Be $healthPath
        $group.HealthyCount | Should -Be 2
        @($report.TargetGroupArn) -join ', ' | Should -Be $group.TargetGroupArn
        (@($report.Deployments) | Select-Object -First 1).RolloutState | Should -Be 'COMPLETED'
        $report.Region | Should -Be 'us-east-1'
        $report.EndpointUrl | Should -Be $sandbox.Url
    }

    It 'checks every service of the cluster when -Service is omitted' {
        $reports = @(Get-DeploymentHealth -Cluster $lightwave.Cluster @aws)

        $reports | Should -HaveCount 1
        $reports[0].Service | Should -Be $lightwave.Service
    }

    It 'takes everything from -Environment dev, as deployment-health-check.sh dev does' {
        $alb = Get-SandboxLoadBalancerUrl -Sandbox $sandbox
        $settings = @{
            environments = @{
                dev = @{
                    region      = 'us-east-1'
                    endpointUrl = $sandbox.Url
                    cluster     = $lightwave.Cluster
                    services    = @{
                        'lightwave-backend-api-dev' = @{ healthCheckPath = $healthPath; publicHealthUrl = "$alb$healthPath" }
                    }
                }
            }
        }
        # UTF-8 without a byte order mark (WriteAllText's default in both editions).
        [System.IO.File]::WriteAllText((Join-Path -Path $TestDrive -ChildPath 'deployops.json'), (ConvertTo-Json -InputObject $settings -Depth 6))

        # No -Region, -EndpointUrl, -Cluster or -Service: the environment gives them. The path is relative to the PowerShell location.
        Push-Location -LiteralPath $TestDrive
        try {
            $reports = @(Get-DeploymentHealth -Environment 'dev' -ConfigPath './deployops.json')
        }
        finally {
            Pop-Location
        }

        $reports | Should -HaveCount 1
        $reports[0].Environment | Should -Be 'dev'
        [string]$reports[0].Status | Should -Be 'Healthy'
        $endpoint = @($reports[0].Checks) | Where-Object { $_.Name -eq 'Health endpoint' }
        [string]$endpoint.Outcome | Should -Be 'Pass'
        $pathCheck = @($reports[0].Checks) | Where-Object { $_.Name -eq 'Health check path' }
        [string]$pathCheck.Outcome | Should -Be 'Pass'
    }

    It 'reports a service that does not exist as a ServiceNotFound error and still reports the others' {
        $reports = @(Get-DeploymentHealth -Cluster $lightwave.Cluster -Service 'no-such-service', $lightwave.Service @aws -ErrorVariable failures -ErrorAction SilentlyContinue)

        $reports | Should -HaveCount 1
        $reports[0].Service | Should -Be $lightwave.Service
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'ServiceNotFound,DeployOps.Commands.GetDeploymentHealthCommand'
        [string]$failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be 'no-such-service'
    }
}

Describe 'Step 2: Root cause category' -Tag Integration {
    # Evidence: for each source, a pattern its detail must match (the SOP's symptoms, and the cause for category C).
    Context 'category <Letter>, <Category>, in scenario <Scenario>' -ForEach @(
        @{
            Letter = 'A'; Scenario = 'health-check-mismatch'; Category = 'HealthCheckMismatch'; Step = '3A'
            Evidence = @{ TargetHealth = 'Target\.ResponseCodeMismatch.*\[404\]' }
        }
        @{
            Letter = 'B'; Scenario = 'app-not-starting'; Category = 'ApplicationNotStarting'; Step = '3B'
            Evidence = @{
                ApplicationLog = 'ImproperlyConfigured: The SECRET_KEY setting must not be empty'
                StoppedTask    = 'Essential container in task exited.*exit code 1'
                TaskCount      = '^Running: 0, Desired: 1$'
            }
        }
        @{
            Letter = 'C'; Scenario = 'network-timeout'; Category = 'NetworkInfrastructure'; Step = '3C'
            Evidence = @{
                SecurityGroup = '\(lightwave-dev-backend-sg\).*allows no inbound TCP 8000.*\(lightwave-dev-alb-sg\)'
                TargetHealth  = 'Target\.Timeout'
            }
        }
        @{
            Letter = 'C'; Scenario = 'no-targets'; Category = 'NetworkInfrastructure'; Step = '3C'
            Evidence = @{
                TargetHealth = '^No targets registered in lightwave-dev-backend-tg'
                PortMapping  = 'port 8080.*exposes backend:8000'
            }
        }
    ) {
        BeforeAll {
            $report = Get-SettledHealth -Scenario $Scenario -Category $Category -EvidenceSource @($Evidence.Keys)
            $evidenceText = (@($report.Evidence) | ForEach-Object { "$($_.Source): $($_.Detail)" }) -join [Environment]::NewLine
        }

        It 'says Error with category <Category>' {
            [string]$report.Status | Should -Be 'Error'
            [string]$report.Category | Should -Be $Category
        }

        It 'gives the evidence that decided it' {
            foreach ($source in $Evidence.Keys) {
                $details = @($report.Evidence | Where-Object { [string]$_.Source -eq $source } | ForEach-Object { $_.Detail })
                ($details -match $Evidence[$source]).Count | Should -BeGreaterThan 0 -Because "the $source evidence should match '$($Evidence[$source])'; the evidence was:$([Environment]::NewLine)$evidenceText"
            }
        }

        It 'recommends runbook step <Step>' {
            $report.RecommendedAction | Should -Match "\b$Step\b"
        }
    }

    It 'category B carries the stopped tasks with exit code 1' {
        $report = Get-SettledHealth -Scenario 'app-not-starting' -Category 'ApplicationNotStarting' -EvidenceSource 'StoppedTask'

        @($report.StoppedTasks | Where-Object { $_.ExitCode -eq 1 }).Count | Should -BeGreaterThan 0
        $report.RunningCount | Should -Be 0
        $report.DesiredCount | Should -Be 1
    }

    It 'category A names the path when an expected path is given' {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'health-check-mismatch'
        $report = Wait-SandboxCondition -Because 'a HealthCheckMismatch report' -ScriptBlock {
            Get-DeploymentHealth @lightwave @aws -ExpectedHealthCheckPath $healthPath | Where-Object { [string]$_.Category -eq 'HealthCheckMismatch' }
        }

        @($report.Evidence | ForEach-Object { $_.Detail }) | Should -Contain "Health check path '$wrongHealthPath' differs from the expected '$healthPath'"
        $report.RecommendedAction | Should -BeLike "*-HealthCheckPath $healthPath*"
    }
}

Describe 'Step 3A: Fix health check configuration' -Tag Integration {
    Context 'the automated fix' {
        BeforeEach {
            $diagnosis = Get-SettledHealth -Scenario 'health-check-mismatch' -Category 'HealthCheckMismatch'
        }

        It 'changes nothing with -WhatIf (checked through the sandbox)' {
            $before = Get-LightwaveState

            $output = @($diagnosis | Repair-TargetGroupHealthCheck -HealthCheckPath $healthPath -Redeploy -Wait -WhatIf)

            $output | Should -HaveCount 0
            $after = Get-LightwaveState
            $after.TargetGroup.healthCheckPath | Should -Be $wrongHealthPath
            $after.DeploymentIds -join ', ' | Should -Be ($before.DeploymentIds -join ', ')
            $after.DeploymentsStarted | Should -Be $before.DeploymentsStarted
        }

        It 'ends Healthy with -Redeploy -Wait -Confirm:$false, and Get-DeploymentHealth agrees' {
            $before = Get-LightwaveState

            $output = @($diagnosis | Repair-TargetGroupHealthCheck -HealthCheckPath $healthPath -Redeploy -Wait -Timeout 300 -Confirm:$false -ErrorVariable failures)

            $failures | Should -HaveCount 0
            $change = @($output | Where-Object { $_ -is [DeployOps.Deployments.TargetGroupHealthCheckChange] })
            $change | Should -HaveCount 1
            $change[0].TargetGroupName | Should -Be $targetGroupName
            $change[0].OldHealthCheckPath | Should -Be $wrongHealthPath
            $change[0].NewHealthCheckPath | Should -Be $healthPath
            $change[0].Changed | Should -BeTrue
            @($change[0].Redeployments) | Should -HaveCount 1
            $change[0].Redeployments[0].Service | Should -Be $lightwave.Service

            # "Generates final health report"
            $final = @($output | Where-Object { $_ -is [DeployOps.Health.DeploymentHealthReport] })
            $final | Should -HaveCount 1
            [string]$final[0].Status | Should -Be 'Healthy'
            [string]$final[0].Category | Should -Be 'None'

            # AWS holds the new path, and exactly one deployment was started.
            $after = Get-LightwaveState
            $after.TargetGroup.healthCheckPath | Should -Be $healthPath
            $after.DeploymentsStarted - $before.DeploymentsStarted | Should -Be 1

            $again = Get-DeploymentHealth @lightwave @aws -ExpectedHealthCheckPath $healthPath
            [string]$again.Status | Should -Be 'Healthy'
            [string]$again.Category | Should -Be 'None'

            # Run again: the group already has the settings, so nothing is sent.
            $second = Repair-TargetGroupHealthCheck -TargetGroupArn $change[0].TargetGroupArn -HealthCheckPath $healthPath @aws -Force
            $second.Changed | Should -BeFalse
        }
    }

    Context 'with 30% of ECS requests throttled' {
        BeforeAll {
            $null = Get-SettledHealth -Scenario 'health-check-mismatch' -Category 'HealthCheckMismatch'
            $null = Set-SandboxFault -Sandbox $sandbox -Seed 7 -Rule @{ service = 'ecs'; operation = '*'; kind = 'throttle'; rate = 0.3 }
        }

        AfterAll {
            Clear-SandboxFault -Sandbox $sandbox
        }

        It 'never loses a report and never claims Healthy: category A, or a report that says it is incomplete' {
            $reports = @()
            $errors = @()
            foreach ($attempt in 1..10) {
                $reports += @(Get-DeploymentHealth @lightwave @aws -ErrorVariable failures -ErrorAction SilentlyContinue)
                $errors += @($failures)
            }

            # One call throttled past its retries is a gap on that report ("Not read: ..."), never a lost report.
            $errors | Should -BeNullOrEmpty
            $reports | Should -HaveCount 10
            foreach ($report in $reports) {
                if ($report.Complete) {
                    [string]$report.Category | Should -Be 'HealthCheckMismatch'
                }
                else {
                    [string]$report.Status | Should -Not -Be 'Healthy'
                    @($report.Evidence | Where-Object { [string]$_.Source -eq 'NotRead' }) | Should -Not -BeNullOrEmpty
                }
            }

            @((Get-SandboxFault -Sandbox $sandbox).injected).Count | Should -BeGreaterThan 0 -Because 'the sandbox really throttled'
        }

        It 'applies the repair once: one change, one new deployment' {
            # Enough attempts that the repair itself gets through; the question is whether a retried
            # UpdateService starts a second deployment, not whether three attempts beat 30% throttling.
            $savedAttempts = $env:AWS_MAX_ATTEMPTS
            $env:AWS_MAX_ATTEMPTS = '8'
            try {
                $before = Get-LightwaveState
                $output = @(Get-DeploymentHealth @lightwave @aws |
                        Repair-TargetGroupHealthCheck -HealthCheckPath $healthPath -Redeploy -Confirm:$false)
                $after = Get-LightwaveState
            }
            finally {
                $env:AWS_MAX_ATTEMPTS = $savedAttempts
            }

            $change = @($output | Where-Object { $_ -is [DeployOps.Deployments.TargetGroupHealthCheckChange] })
            $change | Should -HaveCount 1
            @($change[0].Redeployments) | Should -HaveCount 1
            $after.DeploymentsStarted - $before.DeploymentsStarted | Should -Be 1 -Because 'a throttled UpdateService is resent, one that went through never is'
            $after.TargetGroup.healthCheckPath | Should -Be $healthPath
        }
    }
}

Describe 'Step 4: Verification' -Tag Integration {
    Context 'a healthy deployment' {
        BeforeAll {
            $null = Get-SettledHealth -Scenario 'healthy' -Category 'None'
            $healthUrl = (Get-SandboxLoadBalancerUrl -Sandbox $sandbox) + $healthPath
        }

        It 'answers HTTP 200 on the health endpoint through the ALB' {
            $result = Test-DeploymentEndpoint -Url $healthUrl -RetryCount 10 -RetryIntervalSec 1 -ErrorVariable failures -ErrorAction SilentlyContinue

            $failures | Should -HaveCount 0
            $result | Should -BeOfType ([DeployOps.Endpoints.EndpointTestResult])
            $result.StatusCode | Should -Be 200
            $result.Success | Should -BeTrue
        }

        It 'checks CORS: the configured origin is allowed, another is an EndpointCheckFailed error' {
            $allowed = Test-DeploymentEndpoint -Url $healthUrl -Origin 'https://dev.lightwave.example'
            [string]$allowed.Cors | Should -Be 'Allowed'

            $refused = Test-DeploymentEndpoint -Url $healthUrl -Origin 'https://elsewhere.example' -ErrorVariable failures -ErrorAction SilentlyContinue
            $refused.Success | Should -BeFalse
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'EndpointCheckFailed,DeployOps.Commands.TestDeploymentEndpointCommand'
        }

        It 'finds the rollout COMPLETED with Wait-EcsDeployment' {
            $result = Wait-EcsDeployment @lightwave @aws -Timeout 120 -PollInterval 1 -ErrorVariable failures

            $failures | Should -HaveCount 0
            [string]$result.Outcome | Should -Be 'Completed'
            $result.Succeeded | Should -BeTrue
            $result.RunningCount | Should -Be 2
        }
    }

    Context 'a deployment whose tasks cannot start (app-not-starting)' {
        BeforeAll {
            $null = Set-SandboxScenario -Sandbox $sandbox -Name 'app-not-starting'
        }

        It 'makes Wait-EcsDeployment fail well before its timeout, with DeploymentFailed' {
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $result = Wait-EcsDeployment @lightwave @aws -Timeout 300 -PollInterval 1 -ErrorVariable failures -ErrorAction SilentlyContinue
            $clock.Stop()

            $clock.Elapsed.TotalSeconds | Should -BeLessThan 150 -Because 'a failed rollout ends the wait, unlike aws ecs wait services-stable'
            $result | Should -BeOfType ([DeployOps.Deployments.DeploymentWaitResult])
            $result.Succeeded | Should -BeFalse
            # The circuit breaker watches this service, so its FAILED is the verdict.
            [string]$result.Outcome | Should -Be 'Failed' -Because $result.Reason
            $result.Reason | Should -Match 'circuit breaker'
            $result.Reason | Should -Match 'exit code 1'
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'DeploymentFailed,DeployOps.Commands.WaitEcsDeploymentCommand'
            [string]$failures[0].CategoryInfo.Category | Should -Be 'InvalidResult'
            $failures[0].TargetObject | Should -Be "$($lightwave.Cluster)/$($lightwave.Service)"
        }
    }
}
