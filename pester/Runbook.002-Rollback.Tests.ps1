#Requires -Version 5.1
<#
    Runbook 002 ("Deployment Failure Runbook") against the DeployOps sandbox: one Describe per step of the runbook that
    DeployOps answers, run as an operator would run it.

    Diagnosis 1    check deployment status (describe-services, failed events)    Get-DeploymentHealth, Get-EcsTaskDefinitionHistory
    Resolution 1   immediate rollback (update-service to OLD_VERSION)            Invoke-EcsRollback -ToPrevious
    Manual step 1  identify the last stable version                              Get-EcsTaskDefinitionHistory (verified, outcomes)
    Manual step 2  get the previous task definition (list-task-definitions)      Get-EcsTaskDefinitionHistory, newest first
    Manual step 3  update the service to the old version                         Invoke-EcsRollback -ToLastVerified / -TaskDefinition
    Manual step 4  verify the rollback (wait services-stable, smoke test)        Invoke-EcsRollback -Wait, Wait-EcsDeployment's journal
    Prevention     gradual rollout settings (circuit breaker, percents)          Test-DeploymentResilience

    Scenarios: circuit-breaker-rollback (revision 3 fails, the breaker returns to 2) and rollback-history (revisions 1 to
    4: 2 verified in the journal, 3 COMPLETED but never verified, 4 deploying and crashing with no breaker). Names are the
    contract in tests/DeployOps.Testing/Lightwave.cs. Needs the built module and sandbox and moto_server on PATH.
#>

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath '../DeployOps.psd1') -Force -ErrorAction Stop
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'Sandbox.psm1') -Force -ErrorAction Stop

    $suite = Start-SandboxSuite -Name 'runbook002' -Scenario 'circuit-breaker-rollback' -TimeoutSec 300
    $sandbox = $suite.Sandbox

    $lightwave = @{ Cluster = 'lightwave-dev-ecs-cluster'; Service = 'lightwave-backend-api-dev' }
    $aws = $suite.Aws
    $family = 'lightwave-backend-dev'
    $revisionArnPrefix = "arn:aws:ecs:us-east-1:123456789012:task-definition/$family"

    # What the sandbox runs (what AWS really holds, not what DeployOps says).
    function Get-LightwaveService {
        @((Get-SandboxState -Sandbox $sandbox).services) | Where-Object { $_.service -eq $lightwave.Service } | Select-Object -First 1
    }

    function Get-PrimaryRevision {
        $service = Get-LightwaveService
        $primary = @($service.deployments) | Where-Object { $_.status -eq 'PRIMARY' } | Select-Object -First 1
        [int]($primary.taskDefinition -replace '^.*:', '')
    }

    # circuit-breaker-rollback loads with revision 3 deploying; the breaker's rollback makes revision 2 primary again
    # (the FAILED deployment leaves the list at once, as in ECS).
    function Enter-BreakerRollback {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'circuit-breaker-rollback'
        $null = Wait-SandboxCondition -Because 'the circuit breaker to roll revision 3 back to 2' -TimeoutSec 120 -ScriptBlock {
            (Get-PrimaryRevision) -eq 2
        }
    }

    # rollback-history with a journal that says revision 2 was verified, as Wait-EcsDeployment would have recorded it.
    function Enter-RollbackHistory {
        param([string] $RegistryPath)

        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'rollback-history'
        $journal = [DeployOps.Verification.DeploymentJournal]::new([DeployOps.Storage.DeploymentStore]::new($RegistryPath))
        $entry = [DeployOps.Verification.JournalEntry]::new()
        $entry.Target = [DeployOps.Verification.DeploymentJournal]::EcsTarget('us-east-1', $lightwave.Cluster, $lightwave.Service)
        $entry.Revision = "${revisionArnPrefix}:2"
        $entry.Images.Add('lightwave/backend:1.4.1')
        $entry.VerifiedBy = 'Wait-EcsDeployment'
        $entry.VerifiedAt = [DateTimeOffset]::UtcNow.AddHours(-3)
        $journal.RecordAsync($entry, [System.Threading.CancellationToken]::None).GetAwaiter().GetResult()
    }
}

AfterAll {
    Stop-SandboxSuite -Suite $suite
    Remove-Module -Name 'DeployOps', 'Sandbox' -Force -ErrorAction SilentlyContinue
}

Describe 'Diagnosis 1: Check deployment status' -Tag Integration {
    BeforeAll {
        Enter-BreakerRollback
    }

    It 'does not call a service the circuit breaker just rolled back Healthy: Warning, naming the failed revision and why' {
        # The report can read Warning before its evidence names the failed deployment (seen once in a clean-clone CI run):
        # wait for the Warning that carries the deployment's evidence, then hold it to the runbook.
        $report = Wait-SandboxCondition -Because 'Get-DeploymentHealth to see the rollback' -ScriptBlock {
            $candidate = Get-DeploymentHealth @lightwave @aws
            if ([string]$candidate.Status -eq 'Warning' -and @($candidate.Evidence | Where-Object { [string]$_.Source -eq 'Deployment' }).Count -gt 0) {
                $candidate
            }
        }

        $deployment = @($report.Evidence) | Where-Object { [string]$_.Source -eq 'Deployment' } | Select-Object -First 1
        $deployment.Detail | Should -Match "${family}:3 FAILED"
        $deployment.Detail | Should -Match 'exit code 1'
        $deployment.Detail | Should -Match "runs ${family}:2, the earlier revision"
        $report.RecommendedAction | Should -Match "Fix ${family}:3"
        $report.RecommendedAction | Should -Not -BeLike 'No action needed*'
    }

    It 'lists the failed revision as RolledBack and the one running as Completed' {
        # The breaker's rollback deployment is still rolling out when the service first reads Warning: wait for it.
        $history = Wait-SandboxCondition -Because 'the rollback to revision 2 to complete' -ScriptBlock {
            $candidate = @(Get-EcsTaskDefinitionHistory @lightwave @aws)
            if (($candidate | Where-Object { $_.Revision -eq 2 }).LastOutcome -eq 'Completed') {
                , $candidate
            }
        }

        ($history | ForEach-Object { $_.Revision }) -join ',' | Should -Be '3,2,1'
        $failed = $history | Where-Object { $_.Revision -eq 3 }
        $failed.LastOutcome | Should -Be 'RolledBack'
        $failed.Running | Should -BeFalse
        @($failed.Images) | Should -Be @('lightwave/backend:1.5.0-rc1')
        $running = $history | Where-Object { $_.Revision -eq 2 }
        $running.Running | Should -BeTrue
        $running.LastOutcome | Should -Be 'Completed'
    }
}

Describe 'Resolution 1: Immediate rollback' -Tag Integration {
    Context 'after the circuit breaker has already rolled back (circuit-breaker-rollback)' {
        BeforeAll {
            Enter-BreakerRollback
        }

        It 'says so and starts no deployment' {
            $before = [int](Get-LightwaveService).deploymentsStarted
            $result = Invoke-EcsRollback @lightwave @aws -ToPrevious -Force -WarningVariable warnings -WarningAction SilentlyContinue

            $result | Should -BeOfType ([DeployOps.Deployments.EcsRollbackResult])
            $result.Changed | Should -BeFalse
            $result.TaskDefinition | Should -Be "${family}:2"
            $result.Reason | Should -Match 'circuit breaker already rolled back'
            $result.Reason | Should -Match "-TaskDefinition ${family}:1"
            @($warnings) | Should -Not -BeNullOrEmpty
            [int](Get-LightwaveService).deploymentsStarted | Should -Be $before
            Get-PrimaryRevision | Should -Be 2
        }
    }

    Context 'during a failing rollout with no circuit breaker (rollback-history)' {
        BeforeAll {
            $registry = Join-Path -Path $TestDrive -ChildPath 'immediate'
            Enter-RollbackHistory -RegistryPath $registry
        }

        It 'changes nothing with -WhatIf' {
            $before = Get-LightwaveService

            $output = @(Invoke-EcsRollback @lightwave @aws -ToPrevious -RegistryPath $registry -WhatIf)

            $output | Should -HaveCount 0
            $after = Get-LightwaveService
            [int]$after.deploymentsStarted | Should -Be ([int]$before.deploymentsStarted)
            Get-PrimaryRevision | Should -Be 4
        }

        It 'goes to the revision before the failing one at once, without waiting for anything to give up, and ends healthy' {
            $result = @(Invoke-EcsRollback @lightwave @aws -ToPrevious -RegistryPath $registry -Force -Wait -Timeout 120 -NoJournal)

            $rollback = $result | Where-Object { $_ -is [DeployOps.Deployments.EcsRollbackResult] }
            $rollback.Changed | Should -BeTrue
            $rollback.FromTaskDefinition | Should -Be "${family}:4"
            $rollback.TaskDefinition | Should -Be "${family}:3"
            $wait = $result | Where-Object { $_ -is [DeployOps.Deployments.DeploymentWaitResult] }
            [string]$wait.Outcome | Should -Be 'Completed' -Because $wait.Reason
            $wait.TaskDefinition | Should -Be "${revisionArnPrefix}:3"
            Get-PrimaryRevision | Should -Be 3
            [string](Get-DeploymentHealth @lightwave @aws).Status | Should -Be 'Healthy'
        }
    }
}

Describe 'Manual rollback step 1: Identify last stable version' -Tag Integration {
    BeforeAll {
        $registry = Join-Path -Path $TestDrive -ChildPath 'identify'
        Enter-RollbackHistory -RegistryPath $registry
        $history = @(Get-EcsTaskDefinitionHistory @lightwave @aws -RegistryPath $registry)
    }

    It 'marks the revision the journal verified, and only it' {
        @($history | Where-Object { $_.Verified } | ForEach-Object { $_.Revision }) | Should -Be @(2)
        ($history | Where-Object { $_.Revision -eq 2 }).VerifiedAt | Should -Not -BeNullOrEmpty
    }

    It 'tells a COMPLETED but never verified revision from the failing one being deployed' {
        $completed = $history | Where-Object { $_.Revision -eq 3 }
        $completed.LastOutcome | Should -Be 'Completed'
        $completed.Verified | Should -BeFalse
        $failing = $history | Where-Object { $_.Revision -eq 4 }
        $failing.Running | Should -BeTrue
        @($failing.Images) | Should -Be @('lightwave/backend:1.5.0-rc2')
    }

    It 'names environment variables and never shows their values' {
        $revision = $history | Where-Object { $_.Revision -eq 4 }
        @($revision.EnvironmentNames) | Should -Contain 'DATABASE_URL'
        $text = $history | Format-List * | Out-String -Width 400
        $text | Should -Not -Match 'postgres://'
        $text | Should -Not -Match 'sandbox-placeholder-not-a-secret'
    }
}

Describe 'Manual rollback step 2: Get previous task definition' -Tag Integration {
    BeforeAll {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'rollback-history'
    }

    It 'lists the family newest first, as list-task-definitions --sort DESC does, with images and sizes' {
        $history = @(Get-EcsTaskDefinitionHistory @lightwave @aws)

        ($history | ForEach-Object { $_.Revision }) -join ',' | Should -Be '4,3,2,1'
        ($history | ForEach-Object { @($_.Images)[0] }) -join ',' | Should -Be 'lightwave/backend:1.5.0-rc2,lightwave/backend:1.4.2,lightwave/backend:1.4.1,lightwave/backend:1.4.0'
        $history | ForEach-Object { $_.Family | Should -Be $family }
        $history[0].Cpu | Should -Not -BeNullOrEmpty
        $history[0].Memory | Should -Not -BeNullOrEmpty
    }

    It 'takes -MaxRevisions and a family without a service' {
        $history = @(Get-EcsTaskDefinitionHistory -Family $family -MaxRevisions 2 @aws)

        ($history | ForEach-Object { $_.Revision }) -join ',' | Should -Be '4,3'
    }
}

Describe 'Manual rollback step 3: Update service to old version' -Tag Integration {
    BeforeEach {
        $registry = Join-Path -Path $TestDrive -ChildPath ('update-' + [guid]::NewGuid().ToString('n'))
        Enter-RollbackHistory -RegistryPath $registry
    }

    It 'rolls back to the last verified revision, skipping the COMPLETED but unverified one' {
        $result = Invoke-EcsRollback @lightwave @aws -ToLastVerified -RegistryPath $registry -Force

        $result.Changed | Should -BeTrue
        $result.TaskDefinition | Should -Be "${family}:2"
        $result.Reason | Should -Match 'last verified'
        Get-PrimaryRevision | Should -Be 2
    }

    It 'rolls back to a named revision with -TaskDefinition' {
        $result = Invoke-EcsRollback @lightwave @aws -TaskDefinition "${family}:1" -RegistryPath $registry -Force

        $result.TaskDefinition | Should -Be "${family}:1"
        Get-PrimaryRevision | Should -Be 1
    }

    It 'refuses the revision already running, with RollbackTargetRunning, and changes nothing' {
        $before = [int](Get-LightwaveService).deploymentsStarted

        $result = Invoke-EcsRollback @lightwave @aws -TaskDefinition "${family}:4" -RegistryPath $registry -Force -ErrorVariable failures -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'RollbackTargetRunning,DeployOps.Commands.InvokeEcsRollbackCommand'
        [int](Get-LightwaveService).deploymentsStarted | Should -Be $before
    }

    It 'says there is no verified revision when the journal is empty' {
        $empty = Join-Path -Path $TestDrive -ChildPath ('empty-' + [guid]::NewGuid().ToString('n'))

        $null = Invoke-EcsRollback @lightwave @aws -ToLastVerified -RegistryPath $empty -Force -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'NoVerifiedRevision,DeployOps.Commands.InvokeEcsRollbackCommand'
        Get-PrimaryRevision | Should -Be 4
    }

    It 'never deregisters a task definition' {
        $null = Invoke-EcsRollback @lightwave @aws -ToLastVerified -RegistryPath $registry -Force

        $history = @(Get-EcsTaskDefinitionHistory @lightwave @aws)
        ($history | ForEach-Object { $_.Revision }) -join ',' | Should -Be '4,3,2,1'
        $history | ForEach-Object { $_.Status | Should -Be 'ACTIVE' }
    }
}

Describe 'Manual rollback step 4: Verify rollback' -Tag Integration {
    BeforeAll {
        $registry = Join-Path -Path $TestDrive -ChildPath 'verify'
        Enter-RollbackHistory -RegistryPath $registry
    }

    It 'waits for the rollback to be healthy and records the revision as verified' {
        $result = @(Invoke-EcsRollback @lightwave @aws -ToLastVerified -RegistryPath $registry -Force -Wait -Timeout 120)

        $wait = $result | Where-Object { $_ -is [DeployOps.Deployments.DeploymentWaitResult] }
        $wait.Succeeded | Should -BeTrue -Because $wait.Reason
        $wait.RunningCount | Should -Be 2
        $wait.HealthyTargets | Should -Be 2
        $wait.VerifiedIn | Should -Be (Join-Path -Path $registry -ChildPath 'journal.json')
        [string](Get-DeploymentHealth @lightwave @aws).Status | Should -Be 'Healthy'
    }

    It 'has Wait-EcsDeployment record a completed rollout in -RegistryPath, and not with -NoJournal' {
        $recorded = Join-Path -Path $TestDrive -ChildPath 'wait-journal'
        $skipped = Join-Path -Path $TestDrive -ChildPath 'wait-nojournal'

        $result = Wait-EcsDeployment @lightwave @aws -Timeout 60 -PollInterval 1 -RegistryPath $recorded
        $unrecorded = Wait-EcsDeployment @lightwave @aws -Timeout 60 -PollInterval 1 -RegistryPath $skipped -NoJournal

        $result.Succeeded | Should -BeTrue
        $result.VerifiedIn | Should -Be (Join-Path -Path $recorded -ChildPath 'journal.json')
        $unrecorded.VerifiedIn | Should -BeNullOrEmpty
        Test-Path -LiteralPath (Join-Path -Path $skipped -ChildPath 'journal.json') | Should -BeFalse
        $history = @(Get-EcsTaskDefinitionHistory @lightwave @aws -RegistryPath $recorded)
        @($history | Where-Object { $_.Verified } | ForEach-Object { $_.Revision }) | Should -Be @(2)
    }
}

Describe 'Prevention: gradual rollout settings' -Tag Integration {
    It 'finds the missing circuit breaker of rollback-history, with the command that turns it on' {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'rollback-history'

        $report = Test-DeploymentResilience @lightwave @aws

        $report | Should -BeOfType ([DeployOps.Resilience.ResilienceReport])
        [string]$report.Status | Should -Be 'Fail'
        $breaker = @($report.Findings) | Where-Object { $_.Check -eq 'Circuit breaker' }
        [string]$breaker.Outcome | Should -Be 'Fail'
        $breaker.Fix | Should -Match 'deploymentCircuitBreaker=\{enable=true,rollback=true\}'
    }

    It 'passes the breaker and percents of a healthy service and warns only where it should' {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'healthy'

        $report = Test-DeploymentResilience @lightwave @aws

        foreach ($check in @('Circuit breaker', 'Minimum healthy and maximum percent', 'Desired count', 'Availability zones', 'Deep health check', 'Deregistration delay')) {
            [string](@($report.Findings) | Where-Object { $_.Check -eq $check }).Outcome | Should -Be 'Pass' -Because $check
        }

        $container = @($report.Findings) | Where-Object { $_.Check -eq 'Container health check' }
        [string]$container.Outcome | Should -Be 'Warning'
        [string]$report.Status | Should -Be 'Warning'
    }
}
