#Requires -Version 5.1
<#
    Runbook 004 ("Troubleshooting Guide"), its ECS sections, against the DeployOps sandbox: one Describe per runbook step,
    run as an operator would run it. Runbook 000 step 3B and runbook 003's partial startup are the same questions asked
    from the health report.

    Failing to start, 1-2  service events, stopped task details      Get-EcsTaskFailure (cause, evidence, fix)
    Failing to start, 3    CloudWatch logs for container errors       Get-DeploymentLog (-Pattern, -Tail, -Follow)
    Common causes          image pull, secrets                        Get-EcsTaskFailure's ImageNotFound, SecretNotFound
    Restarting             task stop reasons, churn                   Get-EcsTaskFailure's ApplicationExit and churn
    Restarting             memory utilization                         Get-EcsServiceMetric, OutOfMemory
    Application crashes    review application logs                    Get-DeploymentLog -Since 1h
    Runbook 003            started but never listening                Test-StartupSequence, Get-DeploymentHealth
    Runbook 000 step 3B    category B's sub-cause                     Get-DeploymentHealth

    Needs the built module and sandbox (./build.ps1 -Task Build) and moto_server on PATH. The sandbox runs on a free
    port with throwaway credentials; the user's ~/.aws and AWS_* variables are neither read nor changed.
#>

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath '../DeployOps.psd1') -Force -ErrorAction Stop
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'Sandbox.psm1') -Force -ErrorAction Stop

    $suite = Start-SandboxSuite -Name 'runbook004' -Scenario 'healthy'
    $sandbox = $suite.Sandbox

    # The names the shipped scenarios promise (tests/DeployOps.Testing/Lightwave.cs).
    $lightwave = @{ Cluster = 'lightwave-dev-ecs-cluster'; Service = 'lightwave-backend-api-dev' }
    $aws = $suite.Aws
    $target = $lightwave + $aws

    # Loads a scenario, then analyses the service until a cause shows (the world needs a few seconds to stop tasks).
    function Get-SettledTaskFailure {
        param([string] $Scenario, [string] $Cause, [int] $MinimumCount = 1)
        $null = Set-SandboxScenario -Sandbox $sandbox -Name $Scenario
        Wait-SandboxCondition -Because "a $Cause cause in scenario $Scenario" -TimeoutSec 120 -ScriptBlock {
            $report = Get-EcsTaskFailure @target -ErrorAction SilentlyContinue
            $group = @($report.Causes) | Where-Object { [string]$_.Cause -eq $Cause } | Select-Object -First 1
            if ($null -ne $group -and $group.Count -ge $MinimumCount) {
                $report
            }
        }
    }

    function Get-Cause {
        param($Report, [string] $Cause)
        @($Report.Causes) | Where-Object { [string]$_.Cause -eq $Cause } | Select-Object -First 1
    }

    # Every string the report or line would show anyone: its JSON.
    function ConvertTo-Text {
        param($InputObject)
        ConvertTo-Json -InputObject $InputObject -Depth 8
    }
}

AfterAll {
    Stop-SandboxSuite -Suite $suite
    Remove-Module -Name 'DeployOps', 'Sandbox' -Force -ErrorAction SilentlyContinue
}

Describe 'Tasks failing to start, steps 1-2: service events and stopped task details' -Tag Integration {
    BeforeAll {
        $report = Get-SettledTaskFailure -Scenario 'image-not-found' -Cause 'ImageNotFound' -MinimumCount 2
        $group = Get-Cause -Report $report -Cause 'ImageNotFound'
    }

    It 'groups the stopped tasks by cause, with count, first and last time and an example task' {
        $report | Should -BeOfType ([DeployOps.TaskFailures.EcsTaskFailureReport])
        $report.Complete | Should -BeTrue
        @($report.Causes | Where-Object IsFailure) | Should -HaveCount 1 -Because 'every task stopped for the same reason'
        $group.Count | Should -BeGreaterOrEqual 2
        $group.Count | Should -Be $report.TasksFailed
        $group.FirstAt | Should -BeLessOrEqual $group.LastAt
        $group.ExampleTask | Should -Match '^[0-9a-f]{32}$'
        $group.ExampleTaskArn | Should -BeLike "*task/$($lightwave.Cluster)/$($group.ExampleTask)"
        $group.TaskDefinition | Should -Be 'lightwave-backend-dev:2'
    }

    It 'quotes ECS''s own reason, the CannotPullContainerError' {
        $group.Reason | Should -Match 'CannotPullContainerError'
        $group.Reason | Should -Match 'lightwave/backend:1\.5\.1'
    }

    It 'counts the churn: what started, stopped, failed and runs' {
        $report.TasksStopped | Should -BeGreaterOrEqual $group.Count
        $report.TasksStarted | Should -BeGreaterOrEqual $report.TasksStopped
        $report.TasksRunning | Should -Be 0
        $report.Summary | Should -Match 'ImageNotFound'
    }

    It 'pipes from the health report' {
        $health = Get-DeploymentHealth @target
        $piped = @($health | Get-EcsTaskFailure)
        $piped | Should -HaveCount 1
        $piped[0].Service | Should -Be $lightwave.Service
        (Get-Cause -Report $piped[0] -Cause 'ImageNotFound') | Should -Not -BeNullOrEmpty
    }

    It 'analyses given tasks alone, whatever their time' {
        $alone = @(Get-EcsTaskFailure -Cluster $lightwave.Cluster -Task $group.ExampleTask @aws)
        $alone | Should -HaveCount 1
        (Get-Cause -Report $alone[0] -Cause 'ImageNotFound').Count | Should -Be 1
    }

    It 'names a service that does not exist, and reports nothing for it' {
        $result = @(Get-EcsTaskFailure -Cluster $lightwave.Cluster -Service 'no-such-service' @aws -ErrorVariable failures -ErrorAction SilentlyContinue)
        $result | Should -HaveCount 0
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ServiceNotFound,*'
        $failures[0].Exception.Message | Should -Match 'no-such-service'
    }
}

Describe 'Tasks failing to start, common causes: image pull and secrets' -Tag Integration {
    It 'image-not-found: names the missing tag and says to push it or point at one that exists' {
        $report = Get-SettledTaskFailure -Scenario 'image-not-found' -Cause 'ImageNotFound'
        $group = Get-Cause -Report $report -Cause 'ImageNotFound'
        $group.Family | Should -Be 'ImagePull'
        $group.Fix | Should -Match ([regex]::Escape('123456789012.dkr.ecr.us-east-1.amazonaws.com/lightwave/backend:1.5.1'))
        $group.Fix | Should -Match 'push'
    }

    It 'secret-missing: names the secret and its variable, never a secret value' {
        $report = Get-SettledTaskFailure -Scenario 'secret-missing' -Cause 'SecretNotFound'
        $group = Get-Cause -Report $report -Cause 'SecretNotFound'
        $group.Family | Should -Be 'Secret'
        $group.Reason | Should -Match 'ResourceInitializationError'
        $text = ConvertTo-Text -InputObject $report
        $text | Should -Match ([regex]::Escape('lightwave/dev/django-secret-key'))
        $text | Should -Match 'SECRET_KEY'
        $group.Fix | Should -Match ([regex]::Escape('lightwave/dev/django-secret-key'))
        # The other secret of the task definition exists; its value must appear nowhere.
        $text | Should -Not -Match 'sandbox-placeholder'
        $report.TasksRunning | Should -Be 0
    }
}

Describe 'Tasks restarting frequently: task stop reasons and churn' -Tag Integration {
    BeforeAll {
        $report = Get-SettledTaskFailure -Scenario 'crash-loop' -Cause 'ApplicationExit' -MinimumCount 2
        $group = Get-Cause -Report $report -Cause 'ApplicationExit'
    }

    It 'says the container exited 1, an application error' {
        $group.Container | Should -Be 'backend'
        $group.ExitCode | Should -Be 1
        $group.ExitCodeMeaning | Should -Match 'application error'
        $group.Reason | Should -Match 'Essential container in task exited'
    }

    It 'carries the last log lines of the example task, the traceback' {
        @($group.LogLines) | Should -Contain "KeyError: 'customer_id'"
        (@($group.LogLines) -join "`n") | Should -Match $group.ExampleTask -Because 'the lines are those of the example task'
    }

    It 'shows the churn: more tasks started and stopped than the service runs' {
        $report.TasksStopped | Should -BeGreaterOrEqual 2
        $report.TasksStarted | Should -BeGreaterThan $report.TasksRunning
        $report.TasksFailed | Should -Be $group.Count
    }

    It 'shows the cause, the exit code and the fix in its default view at 80 columns' {
        $text = $report | Out-String -Width 80
        $text | Should -Match 'ApplicationExit x\d+'
        $text | Should -Match 'Exit code 1'
        $text | Should -Match 'Fix:'
        ($text -split "`r?`n" | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 80
    }
}

Describe 'Tasks restarting frequently: memory utilization' -Tag Integration {
    It 'out-of-memory: the stop is OutOfMemory, with the limits and the peak near 100%' {
        $report = Get-SettledTaskFailure -Scenario 'out-of-memory' -Cause 'OutOfMemory'
        $group = Get-Cause -Report $report -Cause 'OutOfMemory'
        $group.Reason | Should -Match 'OutOfMemoryError'
        (@($group.Evidence) -join "`n") | Should -Match 'memory'
        $metric = Wait-SandboxCondition -Because 'a memory peak in CloudWatch' -TimeoutSec 90 -ScriptBlock {
            $read = Get-EcsServiceMetric @target -Since 30m
            if ($null -ne $read.MemoryMaximum -and $read.MemoryMaximum -ge 90) {
                $read
            }
        }
        $metric | Should -BeOfType ([DeployOps.Metrics.EcsServiceMetricReport])
        $metric.MemoryMaximum | Should -BeLessOrEqual 100
        $metric.MemoryAverage | Should -BeLessOrEqual $metric.MemoryMaximum
    }

    It 'healthy: CPU and memory per minute, averages under maxima, and the samples behind them' {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'healthy'
        $metric = Wait-SandboxCondition -Because 'datapoints in CloudWatch' -TimeoutSec 90 -ScriptBlock {
            $read = Get-EcsServiceMetric @target -Since 30m
            if (@($read.Memory).Count -gt 0 -and @($read.Cpu).Count -gt 0) {
                $read
            }
        }
        $metric.Complete | Should -BeTrue
        $metric.PeriodSeconds | Should -Be 60
        $metric.CpuAverage | Should -BeLessOrEqual $metric.CpuMaximum
        $metric.MemoryMaximum | Should -BeLessOrEqual 100
        $metric.MemoryMaximum | Should -Be ((@($metric.Memory) | Measure-Object -Property Maximum -Maximum).Maximum)
    }

    It 'refuses a period that is no multiple of 60, naming it' {
        { Get-EcsServiceMetric @target -Period 90 -ErrorAction Stop } | Should -Throw '*90*'
    }
}

Describe 'Application crashes: review application logs' -Tag Integration {
    BeforeAll {
        $null = Get-SettledTaskFailure -Scenario 'crash-loop' -Cause 'ApplicationExit'
    }

    It 'finds the log from the task definition: lines with time, task, container, stream and message' {
        $lines = @(Get-DeploymentLog @target -Since 1h)
        $lines.Count | Should -BeGreaterThan 0
        $lines[0] | Should -BeOfType ([DeployOps.ApplicationLogs.DeploymentLogLine])
        $lines[0].LogGroup | Should -Be '/ecs/lightwave-dev-django-backend'
        $lines[0].Container | Should -Be 'backend'
        $lines[0].Stream | Should -Be "ecs/backend/$($lines[0].Task)"
        @($lines | ForEach-Object { $_.Time }) | Should -Be @($lines | Sort-Object -Property Time -Stable | ForEach-Object { $_.Time }) -Because 'lines come oldest first'
        @($lines | Where-Object Message -eq "KeyError: 'customer_id'").Count | Should -BeGreaterThan 0
    }

    It 'filters with a CloudWatch pattern and keeps the last N with -Tail' {
        $errors = @(Get-DeploymentLog @target -Since 1h -Pattern 'KeyError')
        $errors.Count | Should -BeGreaterThan 0
        @($errors | Where-Object { $_.Message -notmatch 'KeyError' }) | Should -HaveCount 0
        $last = @(Get-DeploymentLog @target -Since 1h -Tail 3)
        $last | Should -HaveCount 3
    }

    It 'reads one task''s lines only, and -Since takes the aws CLI''s spans' {
        $one = (@(Get-DeploymentLog @target -Since 1h -Pattern 'KeyError'))[0].Task
        $lines = @(Get-DeploymentLog -Cluster $lightwave.Cluster -Task $one -Since 60m @aws)
        $lines.Count | Should -BeGreaterThan 0
        @($lines | Where-Object Task -ne $one) | Should -HaveCount 0
    }

    It '-Follow: lines written during the follow arrive once each, in order, none lost' {
        $started = [DateTimeOffset]::UtcNow
        # The crash loop writes lines every few seconds; the follow stops after 8 (Select-Object -First stops the pipeline).
        $followed = @(Get-DeploymentLog @target -Since 1s -Follow -PollInterval 1 | Select-Object -First 8)
        $followed | Should -HaveCount 8
        $keys = @($followed | ForEach-Object { '{0}|{1}|{2:o}|{3}' -f $_.LogGroup, $_.Stream, $_.Time, $_.Message })
        @($keys | Select-Object -Unique).Count | Should -Be 8 -Because 'no line is written twice'
        @($followed | ForEach-Object { $_.Time }) | Should -Be @($followed | Sort-Object -Property Time -Stable | ForEach-Object { $_.Time })
        # None lost: a read of the same window afterwards has exactly these lines.
        $first = $followed[0].Time
        $last = $followed[-1].Time
        # Lines at the last line's own time may have been cut off by Select-Object -First: compare those before it.
        $read = @(Get-DeploymentLog @target -StartTime $first.UtcDateTime -EndTime $last.UtcDateTime.AddMilliseconds(1) |
                Where-Object { $_.Time -ge $first -and $_.Time -lt $last } |
                ForEach-Object { '{0}|{1}|{2:o}|{3}' -f $_.LogGroup, $_.Stream, $_.Time, $_.Message })
        $before = @($followed | Where-Object { $_.Time -lt $last } | ForEach-Object { '{0}|{1}|{2:o}|{3}' -f $_.LogGroup, $_.Stream, $_.Time, $_.Message })
        @($read | Sort-Object) | Should -Be @($before | Sort-Object)
        $followed[0].Time | Should -BeGreaterThan $started.AddSeconds(-5)
    }
}

Describe 'Runbook 003: started but never listening' -Tag Integration {
    BeforeAll {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'partial-startup'
        $phases = @('Starting Lightwave backend', 'Listening on port')
        $results = Wait-SandboxCondition -Because 'two partial-startup tasks past their startup timeout' -TimeoutSec 120 -ScriptBlock {
            $checked = @(Test-StartupSequence @target -Phase $phases -Timeout 5 -WarningAction SilentlyContinue)
            if ($checked.Count -eq 2 -and @($checked | Where-Object Status -eq 'Incomplete').Count -eq 2) {
                , $checked
            }
        }
    }

    It 'fails each task on the missing phase, while the shallow health check passes' {
        foreach ($result in $results) {
            $result | Should -BeOfType ([DeployOps.Verification.StartupSequenceResult])
            $result.Passed | Should -BeFalse
            $result.PhasesReached | Should -Be 1
            $result.MissingPhase | Should -Be 'Listening on port'
            $result.Phases[0].Reached | Should -BeTrue
            $result.Fix | Should -Match 'Get-DeploymentLog'
        }

        $health = Get-DeploymentHealth @target -ExpectedHealthCheckPath '/health/live'
        [string]$health.Category | Should -Be 'None' -Because 'without the phases, every shallow check passes'
    }

    It 'passes a task that logged every phase, with the time each took' {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'healthy'
        $passed = Wait-SandboxCondition -Because 'healthy tasks that logged both phases' -TimeoutSec 90 -ScriptBlock {
            $checked = @(Test-StartupSequence @target -Phase 'Starting Lightwave backend', '/Listening on port \d+/' -WarningAction SilentlyContinue)
            if ($checked.Count -gt 0 -and @($checked | Where-Object { -not $_.Passed }).Count -eq 0) {
                , $checked
            }
        }
        foreach ($result in $passed) {
            [string]$result.Status | Should -Be 'Complete'
            $result.MissingPhase | Should -BeNullOrEmpty
            $result.Phases[1].Seconds | Should -BeGreaterOrEqual 0
        }
    }

    It 'takes the phases from the environment, and Get-DeploymentHealth then reports category B, StartupIncomplete' {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'partial-startup'
        $settings = @{
            environments = @{
                dev = @{
                    region      = 'us-east-1'
                    endpointUrl = $sandbox.Url
                    cluster     = $lightwave.Cluster
                    services    = @{
                        'lightwave-backend-api-dev' = @{ healthCheckPath = '/health/live'; startupPhases = @('Starting Lightwave backend', 'Listening on port') }
                    }
                }
            }
        }
        $configPath = Join-Path -Path $TestDrive -ChildPath 'deployops.json'
        [System.IO.File]::WriteAllText($configPath, (ConvertTo-Json -InputObject $settings -Depth 6))
        $health = Wait-SandboxCondition -Because 'a StartupIncomplete report' -TimeoutSec 120 -ScriptBlock {
            $report = Get-DeploymentHealth -Environment dev -ConfigPath $configPath -ErrorAction SilentlyContinue
            if ($null -ne $report -and [string]$report.SubCause -eq 'StartupIncomplete') {
                $report
            }
        }
        [string]$health.Category | Should -Be 'ApplicationNotStarting'
        @($health.Evidence | Where-Object { [string]$_.Source -eq 'StartupSequence' }).Count | Should -BeGreaterThan 0
        $check = @($health.Checks) | Where-Object Name -eq 'Startup sequence'
        [string]$check.Outcome | Should -Be 'Fail'

        $fromEnvironment = @(Test-StartupSequence -Environment dev -ConfigPath $configPath -WarningAction SilentlyContinue)
        $fromEnvironment.Count | Should -BeGreaterThan 0
        @($fromEnvironment | ForEach-Object { @($_.Phases).Count }) | Should -Not -Contain 0
        @($fromEnvironment | ForEach-Object { $_.Phases[0].Phase }) | Should -Contain 'Starting Lightwave backend'
    }
}

Describe 'Runbook 000 step 3B: Get-DeploymentHealth names category B''s sub-cause' -Tag Integration {
    It '<Scenario>: category B, sub-cause <SubCause>, and the next step names it' -ForEach @(
        @{ Scenario = 'secret-missing'; SubCause = 'SecretNotFound' }
        @{ Scenario = 'image-not-found'; SubCause = 'ImageNotFound' }
        @{ Scenario = 'crash-loop'; SubCause = 'ApplicationExit' }
        @{ Scenario = 'out-of-memory'; SubCause = 'OutOfMemory' }
    ) {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name $Scenario
        $report = Wait-SandboxCondition -Because "a $SubCause report in $Scenario" -TimeoutSec 120 -ScriptBlock {
            $read = Get-DeploymentHealth @target -ErrorAction SilentlyContinue
            if ($null -ne $read -and [string]$read.SubCause -eq $SubCause) {
                $read
            }
        }
        [string]$report.Category | Should -Be 'ApplicationNotStarting'
        $report.RecommendedAction | Should -Match ([regex]::Escape("step 3B: $SubCause"))
        $report.RecommendedAction | Should -Match 'Get-EcsTaskFailure'
    }
}

Describe 'Parameter contracts' -Tag Unit {
    It '<Command> takes -Environment and pipeline input by property name from the health report' -ForEach @(
        @{ Command = 'Get-EcsTaskFailure' }
        @{ Command = 'Get-DeploymentLog' }
        @{ Command = 'Test-StartupSequence' }
        @{ Command = 'Get-EcsServiceMetric' }
    ) {
        $command = Get-Command -Name $Command -Module DeployOps
        $command.Parameters.Keys | Should -Contain 'Environment'
        foreach ($name in 'Cluster', 'Service', 'Region', 'EndpointUrl', 'ProfileName') {
            @($command.Parameters[$name].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.ValueFromPipelineByPropertyName }).Count |
                Should -BeGreaterThan 0 -Because "-$name binds from the report"
        }
    }

    It '-Since takes <Text> as <Expected>, as the aws CLI writes spans' -ForEach @(
        @{ Text = '30m'; Value = '30m'; Expected = '00:30:00' }
        @{ Text = '2h'; Value = '2h'; Expected = '02:00:00' }
        @{ Text = '1w'; Value = '1w'; Expected = '7.00:00:00' }
        @{ Text = '45s (a short literal in PowerShell 7)'; Value = [int16]45; Expected = '00:00:45' }
        @{ Text = '1d (a decimal literal in PowerShell 7)'; Value = [decimal]1; Expected = '1.00:00:00' }
        @{ Text = '00:10:00'; Value = '00:10:00'; Expected = '00:10:00' }
    ) {
        $transformation = @((Get-Command -Name Get-DeploymentLog -Module DeployOps).Parameters['Since'].Attributes |
                Where-Object { $_ -is [System.Management.Automation.ArgumentTransformationAttribute] })[0]
        [timespan]$transformation.Transform($ExecutionContext, $Value) | Should -Be ([timespan]$Expected)
    }

    It '-Since refuses a bare number, which PowerShell would read as ticks' {
        $transformation = @((Get-Command -Name Get-EcsTaskFailure -Module DeployOps).Parameters['Since'].Attributes |
                Where-Object { $_ -is [System.Management.Automation.ArgumentTransformationAttribute] })[0]
        { $transformation.Transform($ExecutionContext, 30) } | Should -Throw "*'30' has no unit*"
        { $transformation.Transform($ExecutionContext, '30') } | Should -Throw "*'30' has no unit*"
        { $transformation.Transform($ExecutionContext, 'yesterday') } | Should -Throw "*'yesterday' is not a span*"
    }

    It 'only reads: none of them supports ShouldProcess' {
        foreach ($name in 'Get-EcsTaskFailure', 'Get-DeploymentLog', 'Test-StartupSequence', 'Get-EcsServiceMetric') {
            (Get-Command -Name $name -Module DeployOps).Parameters.Keys | Should -Not -Contain 'WhatIf'
        }
    }
}
