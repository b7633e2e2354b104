#Requires -Version 5.1
<#
    What an operator sees: each output type's default view, and its table and list views, rendered at 80 columns
    (Out-String -Width 80) from real objects the cmdlets return against the DeployOps sandbox, must show the key fact:
    the [404] of category A, the exit code and the log line of category B, the blocking security group of category C,
    whole deployment ids and paths. Also what scripts get: ConvertTo-Json writes names, not numbers, and Export-Csv
    writes readable columns, not type names.
#>

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath '../DeployOps.psd1') -Force -ErrorAction Stop
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'Sandbox.psm1') -Force -ErrorAction Stop

    $suite = Start-SandboxSuite -Name 'views' -Scenario 'healthy'
    $sandbox = $suite.Sandbox
    $awsFolder = $suite.Folder
    $lightwave = @{ Cluster = 'lightwave-dev-ecs-cluster'; Service = 'lightwave-backend-api-dev' }
    $aws = $suite.Aws
    $healthPath = '/api/v1/health/health/'

    # The text an operator sees at 80 columns (default view, or Format-Table / Format-List).
    function Get-ScreenText {
        param([Parameter(Mandatory = $true)] $InputObject, [string] $Format)
        switch ($Format) {
            'Table' {
                return $InputObject | Format-Table | Out-String -Width 80
            }
            'List' {
                return $InputObject | Format-List | Out-String -Width 80
            }
            default {
                return $InputObject | Out-String -Width 80
            }
        }
    }

    # A regex that finds Fact in screen text as a reader sees it: tables and lists wrap long values at the column's
    # width, even inside a word, so a line break (and the next line's indent) may fall anywhere in the fact. Nothing
    # may be cut off, though: every character of the fact must be there, in order.
    function Get-WrappedPattern {
        param([Parameter(Mandatory = $true)] [string] $Fact)
        return (($Fact -replace '\s+', '').ToCharArray() | ForEach-Object { [regex]::Escape([string]$_) }) -join '\s*'
    }

    # Every line of the rendered text fits in 80 columns.
    function Get-LongestLine {
        param([Parameter(Mandatory = $true)] $InputObject, [string] $Format)
        $text = switch ($Format) {
            'Table' {
                $InputObject | Format-Table | Out-String -Width 80
            }
            default {
                $InputObject | Out-String -Width 80
            }
        }
        return ($text -split "`r?`n" | Measure-Object -Property Length -Maximum).Maximum
    }
}

AfterAll {
    Stop-SandboxSuite -Suite $suite
    Remove-Module -Name 'DeployOps', 'Sandbox' -Force -ErrorAction SilentlyContinue
}

Describe 'Get-DeploymentHealth at 80 columns' -Tag Integration {
    It '<Scenario>: the <View> view shows <Fact>' -ForEach @(
        foreach ($view in 'Default', 'Table', 'List') {
            @{ Scenario = 'health-check-mismatch'; Category = 'HealthCheckMismatch'; Evidence = @('TargetHealth'); View = $view; Fact = '[404]' }
            @{ Scenario = 'health-check-mismatch'; Category = 'HealthCheckMismatch'; Evidence = @('TargetHealth'); View = $view; Fact = 'Target.ResponseCodeMismatch' }
            @{ Scenario = 'app-not-starting'; Category = 'ApplicationNotStarting'; Evidence = @('StoppedTask', 'ApplicationLog'); View = $view; Fact = 'exit code 1' }
            @{ Scenario = 'app-not-starting'; Category = 'ApplicationNotStarting'; Evidence = @('StoppedTask', 'ApplicationLog'); View = $view; Fact = 'The SECRET_KEY setting must not be empty.' }
            @{ Scenario = 'network-timeout'; Category = 'NetworkInfrastructure'; Evidence = @('SecurityGroup'); View = $view; Fact = 'lightwave-dev-backend-sg' }
            @{ Scenario = 'network-timeout'; Category = 'NetworkInfrastructure'; Evidence = @('SecurityGroup'); View = $view; Fact = 'NetworkInfrastructure' }
        }
    ) {
        $report = Get-SettledDeploymentHealth -Sandbox $sandbox -Scenario $Scenario -Category $Category -EvidenceSource $Evidence
        Get-ScreenText -InputObject $report -Format $View | Should -Match (Get-WrappedPattern -Fact $Fact)
    }


    It 'the default view names the next step and fits 80 columns' {
        $report = Get-SettledDeploymentHealth -Sandbox $sandbox -Scenario 'health-check-mismatch' -Category 'HealthCheckMismatch' -EvidenceSource 'TargetHealth'
        Get-ScreenText -InputObject $report | Should -Match 'Next: Runbook 000 step 3A'
        Get-LongestLine -InputObject $report | Should -BeLessOrEqual 80
        Get-LongestLine -InputObject $report -Format 'Table' | Should -BeLessOrEqual 80
    }
}

Describe 'Repair, restart, wait and endpoint results at 80 columns' -Tag Integration {
    BeforeAll {
        $diagnosis = Get-SettledDeploymentHealth -Sandbox $sandbox -Scenario 'health-check-mismatch' -Category 'HealthCheckMismatch' -EvidenceSource 'TargetHealth'
        $change = $diagnosis | Repair-TargetGroupHealthCheck -HealthCheckPath $healthPath -Redeploy -Force
        $started = Restart-EcsService @lightwave @aws -Force
        $waited = $started | Wait-EcsDeployment -Timeout 300 -ErrorAction SilentlyContinue
        $albUrl = Get-SandboxLoadBalancerUrl -Sandbox $sandbox
        $endpoint = Test-DeploymentEndpoint -Url ($albUrl + $healthPath) -Origin 'https://dev.lightwave.example' -RetryCount 20 -RetryIntervalSec 1 -ErrorAction SilentlyContinue
        $refused = Test-DeploymentEndpoint -Url 'http://127.0.0.1:9/api/v1/health/health/' -TimeoutSec 2 -ErrorAction SilentlyContinue
    }

    It 'Repair-TargetGroupHealthCheck shows the whole old and new path and what it redeployed' {
        $text = Get-ScreenText -InputObject $change
        $text | Should -Match (Get-WrappedPattern -Fact "'/health/' (200) -> '$healthPath' (200)")
        $text | Should -Match 'lightwave-backend-api-dev'
        Get-LongestLine -InputObject $change | Should -BeLessOrEqual 80
    }

    It 'Restart-EcsService shows the whole deployment id and task definition' {
        $text = Get-ScreenText -InputObject $started
        $text | Should -Match (Get-WrappedPattern -Fact $started.DeploymentId)
        $text | Should -Match 'lightwave-backend-dev:\d+'
        Get-LongestLine -InputObject $started | Should -BeLessOrEqual 80
    }

    It 'Wait-EcsDeployment shows the outcome and why' {
        $text = Get-ScreenText -InputObject $waited
        $text | Should -Match ([regex]::Escape([string]$waited.Outcome))
        $text | Should -Match (Get-WrappedPattern -Fact $waited.Reason)
        Get-LongestLine -InputObject $waited | Should -BeLessOrEqual 80
    }

    It 'Test-DeploymentEndpoint shows status, CORS and the whole URL on one row each' {
        $text = Get-ScreenText -InputObject $endpoint
        $text | Should -Match '\bTrue\s+200\b'
        $text | Should -Match '\bAllowed\b'
        $text | Should -Match (Get-WrappedPattern -Fact ($albUrl + $healthPath))
        Get-LongestLine -InputObject $endpoint | Should -BeLessOrEqual 80
    }

    It 'Test-DeploymentEndpoint shows why a URL gave no answer' {
        $text = Get-ScreenText -InputObject $refused
        $text | Should -Match '\bFalse\s+-'
        $text | Should -Match (Get-WrappedPattern -Fact $refused.Error)
    }
}

Describe 'Output that scripts can use' -Tag Integration {
    BeforeAll {
        $report = Get-SettledDeploymentHealth -Sandbox $sandbox -Scenario 'app-not-starting' -Category 'ApplicationNotStarting' -EvidenceSource 'StoppedTask'
        $json = $report | ConvertTo-Json -Depth 5 | ConvertFrom-Json
        $csvFile = Join-Path -Path $awsFolder -ChildPath 'report.csv'
        $report | Export-Csv -LiteralPath $csvFile -NoTypeInformation
        $csv = Import-Csv -LiteralPath $csvFile
    }

    It 'ConvertTo-Json writes Status, Category, Source and Outcome as names' {
        $json.Status | Should -Be 'Error'
        $json.Category | Should -Be 'ApplicationNotStarting'
        @($json.Evidence | ForEach-Object { $_.Source }) | Should -Contain 'StoppedTask'
        @($json.Checks | ForEach-Object { $_.Outcome }) | Should -Contain 'Fail'
    }

    It 'Export-Csv writes every column as readable text, never a type name' {
        $columns = @($csv[0].PSObject.Properties)
        $columns.Count | Should -BeGreaterThan 15
        foreach ($column in $columns) {
            [string]$column.Value | Should -Not -Match 'System\.|DeployOps\.' -Because "column $($column.Name) should be readable"
        }

        $csv[0].Evidence | Should -Match 'exit code 1'
        $csv[0].TargetGroupArn | Should -Match '^arn:aws:elasticloadbalancing:'
    }

    It 'a wait result converts with its outcome as a name' {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'healthy'
        $waited = Wait-EcsDeployment @lightwave @aws -Timeout 120
        ($waited | ConvertTo-Json | ConvertFrom-Json).Outcome | Should -Be 'Completed'
    }
}

Describe 'Runbook 001 coordination results at 80 columns' -Tag Integration {
    BeforeAll {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'registry-stale'
        $registry = Join-Path -Path $awsFolder -ChildPath 'registry-views'
        $null = New-Item -ItemType Directory -Path $registry -Force
        $staleId = 'deploy-20250114-091500-a1b2c3'
        Set-Content -LiteralPath (Join-Path -Path $registry -ChildPath 'deployments.json') -NoNewline -Value (
            '{"deployments":[{"correlation_id":"' + $staleId + '","stack_name":"lightwave-dev-app","status":"active","started_at":"2025-01-14T09:15:00Z","started_by":"ci","commit":"9a8b7c6"}]}')
        $record = Get-DeploymentRecord -Active -RegistryPath $registry @aws
        $corrupted = Join-Path -Path $awsFolder -ChildPath 'registry-corrupted'
        $null = New-Item -ItemType Directory -Path $corrupted -Force
        Set-Content -LiteralPath (Join-Path -Path $corrupted -ChildPath 'deployments.json') -Value '{"deployments": [' -NoNewline
        $steps = @(Repair-DeploymentRegistry -RegistryPath $corrupted -Confirm:$false @aws)
        $apiUrl = (Get-SandboxState -Sandbox $sandbox).slack.apiUrl
        $token = ConvertTo-SecureString -String 'xoxb-100000000001-200000000002-LightwaveSandboxBot' -AsPlainText -Force
        Send-DeploymentNotification -Message 'Deployment of lightwave-dev-app completed' -Token $token -Channel 'C0NOSUCHCHN' -SlackApiUrl $apiUrl -RegistryPath $registry -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $dead = Get-NotificationQueue -DeadLetter -RegistryPath $registry
        $queue = Get-NotificationQueue -RegistryPath $registry
        $null = Watch-Deployment -StackName 'lightwave-dev-app' -CorrelationId $staleId -PollInterval 1 -Timeout 120 -RegistryPath $registry -WarningAction SilentlyContinue @aws
        $monitor = Get-DeploymentMonitor -CorrelationId $staleId -RegistryPath $registry
    }

    It 'Get-DeploymentRecord shows the whole correlation id, Stale and the cleanup' {
        $text = Get-ScreenText -InputObject $record
        $text | Should -Match (Get-WrappedPattern -Fact $staleId)
        $text | Should -Match 'Stale'
        $text | Should -Match (Get-WrappedPattern -Fact "Next: Remove-DeploymentRecord -CorrelationId $staleId")
        Get-ScreenText -InputObject $record -Format 'Table' | Should -Match (Get-WrappedPattern -Fact 'lightwave-dev-app CREATE_COMPLETE')
        Get-LongestLine -InputObject $record | Should -BeLessOrEqual 80
        Get-LongestLine -InputObject $record -Format 'Table' | Should -BeLessOrEqual 80
    }

    It 'Repair-DeploymentRegistry shows each step, its outcome and the backup''s whole path' {
        $text = Get-ScreenText -InputObject $steps
        $text | Should -Match 'BackUpCorruptedFile\s+Done'
        $text | Should -Match 'RestoreActiveDeployment\s+Done'
        $text | Should -Match (Get-WrappedPattern -Fact (Join-Path -Path $corrupted -ChildPath 'deployments.json.corrupted-'))
        Get-LongestLine -InputObject $steps | Should -BeLessOrEqual 80
    }

    It 'a dead letter shows its state and Slack''s error; the queue summary shows the counts' {
        $text = Get-ScreenText -InputObject $dead
        $text | Should -Match 'DeadLetter'
        $text | Should -Match 'channel_not_found'
        Get-LongestLine -InputObject $dead | Should -BeLessOrEqual 80
        Get-ScreenText -InputObject $queue | Should -Match '0 pending, 0 in flight, 1 dead letter, 0 delivered'
        Get-LongestLine -InputObject $queue | Should -BeLessOrEqual 80
    }

    It 'Get-DeploymentMonitor shows the deployment, its state and the stack''s status' {
        $text = Get-ScreenText -InputObject $monitor
        $text | Should -Match (Get-WrappedPattern -Fact "$staleId lightwave-dev-app")
        $text | Should -Match ([regex]::Escape([string]$monitor.State))
        $text | Should -Match 'Stack CREATE_COMPLETE'
        Get-LongestLine -InputObject $monitor | Should -BeLessOrEqual 80
    }

    It 'records and queue items convert to JSON with names, not numbers' {
        ($record | ConvertTo-Json | ConvertFrom-Json).Reconciliation | Should -Be 'Stale'
        ($dead | ConvertTo-Json | ConvertFrom-Json).State | Should -Be 'DeadLetter'
    }
}

Describe 'CloudFormation results (runbook 001) at 80 columns' -Tag Integration {
    BeforeAll {
        $stack = @{ StackName = 'lightwave-dev-stack' } + $aws
        $registry = Join-Path -Path $awsFolder -ChildPath '.deployment-registry'
        # Loaded over the ECS scenarios, the stack's database can fail to find its new subnet group (a sandbox race reported
        # to the lead): load again until the stack is stuck creating, as the scenario says.
        $stuck = Wait-SandboxCondition -Because 'stack-stuck-rds loads with the stack CREATE_IN_PROGRESS' -TimeoutSec 120 -ScriptBlock {
            $null = Set-SandboxScenario -Sandbox $sandbox -Name 'stack-stuck-rds'
            $diagnosis = Get-CfnStackDiagnosis @stack
            if ($diagnosis.Status -eq 'CREATE_IN_PROGRESS') { $diagnosis }
        }
        $history = Update-DeploymentHistory -RegistryPath $registry @aws
        $estimate = Get-DeploymentEstimate -RegistryPath $registry @stack
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'stack-rollback-failed'
        $rollbackFailed = Get-CfnStackDiagnosis @stack
        $resumed = Resume-CfnStackRollback @stack -Force
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'stack-delete-failed'
        $deleteFailed = Remove-CfnStack @stack -Force -Wait -PollInterval 1 -Timeout 300 -ErrorAction SilentlyContinue
    }

    It 'Get-CfnStackDiagnosis shows the stuck resources, the symptoms and the legal commands whole' {
        $text = Get-ScreenText -InputObject $stuck
        $text | Should -Match 'lightwave-dev-stack: CREATE_IN_PROGRESS'
        $text | Should -Match (Get-WrappedPattern -Fact 'Database (AWS::RDS::DBInstance) CREATE_IN_PROGRESS')
        $text | Should -Match (Get-WrappedPattern -Fact 'No new stack events for')
        $text | Should -Match (Get-WrappedPattern -Fact ('Remove-CfnStack -StackName lightwave-dev-stack -Wait -Region us-east-1 -EndpointUrl ' + $sandbox.Url))
        Get-LongestLine -InputObject $stuck | Should -BeLessOrEqual 80
    }

    It 'Get-CfnStackDiagnosis shows the root cause, the rollback failure and the skip list' {
        $text = Get-ScreenText -InputObject $rollbackFailed
        $text | Should -Match (Get-WrappedPattern -Fact 'Root cause: DatabaseMigration')
        $text | Should -Match (Get-WrappedPattern -Fact 'Failed to apply migration 0043')
        $text | Should -Match (Get-WrappedPattern -Fact 'Rollback failed: Database')
        $text | Should -Match (Get-WrappedPattern -Fact '-ResourcesToSkip Database')
        Get-LongestLine -InputObject $rollbackFailed | Should -BeLessOrEqual 80
    }

    It 'Resume-CfnStackRollback shows the action, the statuses and what it skipped' {
        $text = Get-ScreenText -InputObject $resumed
        $text | Should -Match (Get-WrappedPattern -Fact 'lightwave-dev-stack: ContinueRollback (UPDATE_ROLLBACK_FAILED ->')
        $text | Should -Match 'skipping Database'
        Get-LongestLine -InputObject $resumed | Should -BeLessOrEqual 80
    }

    It 'a failed deletion''s wait result shows the outcome and the first failure''s reason' {
        $text = Get-ScreenText -InputObject $deleteFailed
        $text | Should -Match 'lightwave-dev-stack\s+Failed'
        $text | Should -Match (Get-WrappedPattern -Fact 'First failure: AssetsBucket (AWS::S3::Bucket) DELETE_FAILED')
        $text | Should -Match (Get-WrappedPattern -Fact 'The bucket you tried to delete is not empty')
        Get-LongestLine -InputObject $deleteFailed | Should -BeLessOrEqual 80
        ($deleteFailed | ConvertTo-Json -Depth 3 | ConvertFrom-Json).Outcome | Should -Be 'Failed'
    }

    It 'Get-DeploymentEstimate shows the range and its accuracy' {
        $text = Get-ScreenText -InputObject $estimate
        [string]$estimate | Should -Match '^lightwave-dev-stack CREATE_IN_PROGRESS: about [\d.]+ min left \([\d.]+-[\d.]+ min\), \d+ of \d+ resources done$'
        $text | Should -Match (Get-WrappedPattern -Fact ([string]$estimate))
        $text | Should -Match (Get-WrappedPattern -Fact ('Accuracy: ' + $estimate.Accuracy))
        Get-LongestLine -InputObject $estimate | Should -BeLessOrEqual 80
    }

    It 'Update-DeploymentHistory shows the file, the counts, the accuracy and the averages' {
        $text = Get-ScreenText -InputObject $history
        $text | Should -Match (Get-WrappedPattern -Fact ('{0}: {1} deployments ({1} new)' -f $history.Path, $history.Deployments))
        $text | Should -Match 'Accuracy: mean absolute error'
        $text | Should -Match 'AWS::RDS::DBInstance CREATE: [\d.]+ min'
        Get-LongestLine -InputObject $history | Should -BeLessOrEqual 80
    }
}

Describe 'Lightsail deployments and verification results at 80 columns' -Tag Integration {
    BeforeAll {
        $lightsail = @{ Region = 'us-east-2'; EndpointUrl = $sandbox.Url }
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'lightsail-failed-deployment'
        $null = Wait-SandboxCondition -Because 'deployment 3 of api to fail' -ScriptBlock {
            @(Get-LightsailDeployment -ServiceName 'api' @lightsail | Where-Object State -eq 'FAILED').Count -eq 1
        }
        $deployments = Get-LightsailDeployment -ServiceName 'api' @lightsail
        $registry = Join-Path -Path $awsFolder -ChildPath 'registry-views'
        $failed = Publish-LightsailDeployment -ServiceName 'api' -Image ':api.soft-launch-32.164' -RegistryPath $registry @lightsail -Force -ErrorAction SilentlyContinue
        $verification = Test-DeploymentVerification -ServiceName 'api' -ReadyPath '/health/ready' -Origin 'https://app.lightwave.example' -RegistryPath $registry @lightsail -ErrorAction SilentlyContinue
        $service = Set-LightsailContainerService -ServiceName 'api' @lightsail
    }

    It 'Get-LightsailDeployment shows each version, its state and its whole image' {
        $text = Get-ScreenText -InputObject $deployments
        $text | Should -Match '\b2\s+ACTIVE\b'
        $text | Should -Match '\b3\s+FAILED\b'
        $text | Should -Match (Get-WrappedPattern -Fact ':api.soft-launch-32.163')
        $text | Should -Match (Get-WrappedPattern -Fact 'check /health/ready')
        Get-LongestLine -InputObject $deployments | Should -BeLessOrEqual 80
    }

    It 'a failed Publish-LightsailDeployment shows the outcome and the log line that says why' {
        $text = Get-ScreenText -InputObject $failed
        $text | Should -Match 'Failed'
        $text | Should -Match (Get-WrappedPattern -Fact 'Error: connect ECONNREFUSED 10.0.4.12:6379')
        Get-LongestLine -InputObject $failed | Should -BeLessOrEqual 80
    }

    It 'Test-DeploymentVerification shows the verdict and every check with its message' {
        $text = Get-ScreenText -InputObject $verification
        $text | Should -Match 'Lightsail api \(2\): Failed'
        $text | Should -Match '\[Fail\] ImageTag'
        $text | Should -Match (Get-WrappedPattern -Fact ($verification.Findings | Where-Object Check -eq 'ImageTag').Message)
        Get-LongestLine -InputObject $verification | Should -BeLessOrEqual 80
    }

    It 'Set-LightsailContainerService shows the state, scale and URL' {
        $text = Get-ScreenText -InputObject $service
        $text | Should -Match '\bRUNNING\s+2\s+small\b'
        $text | Should -Match (Get-WrappedPattern -Fact $service.Url)
        Get-LongestLine -InputObject $service | Should -BeLessOrEqual 80
    }

    It 'ConvertTo-Json writes the outcome and verification status as names' {
        ($failed | ConvertTo-Json -Depth 4 | ConvertFrom-Json).Outcome | Should -Be 'Failed'
        ($verification | ConvertTo-Json -Depth 4 | ConvertFrom-Json).Status | Should -Be 'Failed'
    }
}

Describe 'Network path, task definition history, rollback and resilience at 80 columns' -Tag Integration {
    BeforeAll {
        $null = Get-SettledDeploymentHealth -Sandbox $sandbox -Scenario 'network-timeout' -Category 'NetworkInfrastructure' -EvidenceSource 'SecurityGroup'
        $path = Test-EcsNetworkPath @lightwave @aws
        $missing = (@($path.Hops) | Where-Object { $_.Name -eq 'ALB to task' }).MissingRule
        $ruleChange = $path | Repair-EcsNetworkPath @aws -Force
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'circuit-breaker-rollback'
        $null = Wait-SandboxCondition -Because 'the circuit breaker''s rollback to revision 2 to complete' -ScriptBlock {
            $service = @((Get-SandboxState -Sandbox $sandbox).services) | Where-Object { $_.service -eq $lightwave.Service }
            @($service.deployments) | Where-Object { $_.status -eq 'PRIMARY' -and $_.taskDefinition -like '*:2' -and $_.rolloutState -eq 'COMPLETED' }
        }
        $history = @(Get-EcsTaskDefinitionHistory @lightwave @aws)
        $rollback = Invoke-EcsRollback @lightwave @aws -TaskDefinition 'lightwave-backend-dev:1' -Force -RegistryPath (Join-Path -Path $awsFolder -ChildPath 'registry')
        $resilience = Test-DeploymentResilience @lightwave @aws
    }

    It 'Test-EcsNetworkPath shows the failing hop, its evidence and the whole fix (<View>)' -ForEach @(@{ View = 'Default' }, @{ View = 'List' }) {
        $text = Get-ScreenText -InputObject $path -Format $View
        $text | Should -Match "Fail at 'ALB\s*to\s*task'|ALB to task"
        $text | Should -Match (Get-WrappedPattern -Fact $missing.GroupId)
        if ($View -eq 'Default') {
            $text | Should -Match '\[Fail\] ALB to task'
            $text | Should -Match (Get-WrappedPattern -Fact (@($path.Hops) | Where-Object { $_.Name -eq 'ALB to task' }).Fix)
            Get-LongestLine -InputObject $path | Should -BeLessOrEqual 80
        }
    }

    It 'Repair-EcsNetworkPath shows the rule it added: group, port and source group' {
        $text = Get-ScreenText -InputObject $ruleChange
        $text | Should -Match (Get-WrappedPattern -Fact $ruleChange.GroupId)
        $text | Should -Match (Get-WrappedPattern -Fact $ruleChange.SourceGroupId)
        $text | Should -Match '\b8000\b'
        Get-LongestLine -InputObject $ruleChange | Should -BeLessOrEqual 80
    }

    It 'Get-EcsTaskDefinitionHistory shows each revision with its image and how its last deployment ended' {
        $text = Get-ScreenText -InputObject $history
        $text | Should -Match '\b3\b.*RolledBack.*lightwave/backend:1\.5\.0-rc1'
        $text | Should -Match '\b2\s+yes\b.*Completed.*lightwave/backend:1\.4\.2'
        Get-LongestLine -InputObject $history | Should -BeLessOrEqual 80
    }

    It 'Invoke-EcsRollback shows both revisions and the whole deployment id' {
        $text = Get-ScreenText -InputObject $rollback
        $text | Should -Match (Get-WrappedPattern -Fact 'lightwave-backend-dev:2 -> lightwave-backend-dev:1')
        $text | Should -Match (Get-WrappedPattern -Fact $rollback.DeploymentId)
        Get-LongestLine -InputObject $rollback | Should -BeLessOrEqual 80
    }

    It 'Test-DeploymentResilience shows each finding and the fix of a warning' {
        $text = Get-ScreenText -InputObject $resilience
        $text | Should -Match '\[Pass\] Circuit breaker'
        $text | Should -Match '\[Warning\] Container health check'
        $text | Should -Match 'Fix: Add a healthCheck'
        Get-LongestLine -InputObject $resilience | Should -BeLessOrEqual 80
    }

    It 'ConvertTo-Json writes hop and finding outcomes as names' {
        $json = $path | ConvertTo-Json -Depth 4 | ConvertFrom-Json
        @($json.Hops | ForEach-Object { $_.Outcome }) | Should -Contain 'Fail'
        ($resilience | ConvertTo-Json -Depth 4 | ConvertFrom-Json).Status | Should -Be 'Warning'
    }
}

Describe 'Task failures, logs, startup and metrics at 80 columns' -Tag Integration {
    BeforeAll {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'crash-loop'
        $failures = Wait-SandboxCondition -Because 'an ApplicationExit cause with log lines in crash-loop' -TimeoutSec 120 -ScriptBlock {
            $report = Get-EcsTaskFailure @lightwave @aws -ErrorAction SilentlyContinue
            if (@($report.Causes | Where-Object { $_.Cause -eq 'ApplicationExit' -and @($_.LogLines).Count -gt 0 }).Count -gt 0) {
                $report
            }
        }
        $lines = @(Get-DeploymentLog @lightwave @aws -Since 1h -Pattern 'KeyError' -Tail 2)
        $metric = Wait-SandboxCondition -Because 'datapoints in CloudWatch' -TimeoutSec 90 -ScriptBlock {
            $read = Get-EcsServiceMetric @lightwave @aws -Since 30m
            if ($null -ne $read.MemoryMaximum) {
                $read
            }
        }
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'partial-startup'
        $startup = Wait-SandboxCondition -Because 'an Incomplete startup in partial-startup' -TimeoutSec 90 -ScriptBlock {
            $checked = @(Test-StartupSequence @lightwave @aws -Phase 'Starting Lightwave backend', 'Listening on port' -Timeout 5 -WarningAction SilentlyContinue)
            $checked | Where-Object Status -eq 'Incomplete' | Select-Object -First 1
        }
    }

    It 'Get-EcsTaskFailure shows the cause, the exit code, the log line and the fix' {
        $text = Get-ScreenText -InputObject $failures
        $text | Should -Match 'ApplicationExit x\d+'
        $text | Should -Match 'Exit code 1'
        $text | Should -Match ([regex]::Escape("KeyError: 'customer_id'"))
        $text | Should -Match 'Fix: '
        Get-LongestLine -InputObject $failures | Should -BeLessOrEqual 80
    }

    It 'Get-DeploymentLog shows time, task, container and the whole message on one row each' {
        $text = Get-ScreenText -InputObject $lines
        $text | Should -Match ('{0}\s+backend\s+KeyError' -f [regex]::Escape($lines[-1].Task.Substring(0, 8)))
        $text | Should -Match ('{0:HH:mm:ss}' -f $lines[-1].Time.UtcDateTime)
        Get-LongestLine -InputObject $lines | Should -BeLessOrEqual 80
    }

    It 'Test-StartupSequence shows the whole task id, the phase never reached and the fix' {
        $text = Get-ScreenText -InputObject $startup
        $text | Should -Match (Get-WrappedPattern -Fact $startup.Task)
        $text | Should -Match 'Incomplete, 1/2 phases'
        $text | Should -Match ([regex]::Escape('Listening on port (never)'))
        $text | Should -Match 'Fix: '
        Get-LongestLine -InputObject $startup | Should -BeLessOrEqual 80
    }

    It 'Get-EcsServiceMetric shows CPU and memory, average and maximum, per service' {
        $text = Get-ScreenText -InputObject $metric
        $text | Should -Match 'lightwave-backend-api-dev'
        $text | Should -Match ([regex]::Escape(('{0:0.#}%' -f $metric.MemoryMaximum)))
        $text | Should -Match ([regex]::Escape(('{0:0.#}%' -f $metric.CpuAverage)))
        Get-LongestLine -InputObject $metric | Should -BeLessOrEqual 80
        Get-LongestLine -InputObject $metric -Format 'Table' | Should -BeLessOrEqual 80
    }

    It 'reports and lines convert to JSON with names, and export to CSV as readable text' {
        ($failures | ConvertTo-Json -Depth 5 | ConvertFrom-Json).Causes[0].Cause | Should -Be 'ApplicationExit'
        ($startup | ConvertTo-Json -Depth 5 | ConvertFrom-Json).Status | Should -Be 'Incomplete'
        $csvFile = Join-Path -Path $awsFolder -ChildPath 'failures.csv'
        $failures | Export-Csv -LiteralPath $csvFile -NoTypeInformation
        $row = @(Import-Csv -LiteralPath $csvFile)[0]
        foreach ($column in @($row.PSObject.Properties)) {
            [string]$column.Value | Should -Not -Match 'System\.|DeployOps\.' -Because "column $($column.Name) should be readable"
        }

        $row.Causes | Should -Match 'ApplicationExit'
    }
}

Describe 'WAF and alarm reports at 80 columns' -Tag Integration {
    BeforeAll {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'waf-rate-limit'
        $null = Send-SandboxLoadBalancerRequest -Sandbox $sandbox -Count 25 -ClientIp '203.0.113.7'
        $waf = Get-WafBlockedRequest -LoadBalancer 'lightwave-dev-alb' -ClientIp '203.0.113.7' @aws
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'alarm-unconfirmed'
        $alarms = @(Test-AlarmNotification @aws)
    }

    It 'Get-WafBlockedRequest shows the verdict, the rule, its limit, the fix and the blocked client' {
        $text = Get-ScreenText -InputObject $waf
        $text | Should -Match 'lightwave-dev-alb / lightwave-dev-waf: Blocking by lightwave-dev-rate-limit'
        $text | Should -Match ([regex]::Escape('[1] lightwave-dev-rate-limit (RateBased 20/600s, Block)'))
        $text | Should -Match (Get-WrappedPattern -Fact 'Fix: Raise the limit of rate-based rule lightwave-dev-rate-limit')
        $text | Should -Match '203\.0\.113\.7 GET /api/v1/health/health/'
        Get-LongestLine -InputObject $waf | Should -BeLessOrEqual 80
        ($waf | ConvertTo-Json -Depth 5 | ConvertFrom-Json).Status | Should -Be 'Blocking'
    }

    It 'Test-AlarmNotification shows each alarm''s status, the pending subscription, the flaps and the fixes' {
        $text = Get-ScreenText -InputObject $alarms
        $text | Should -Match ([regex]::Escape('[Fail] lightwave-dev-ecs-cpu-high (OK, actions on, 6 flaps)'))
        $text | Should -Match ([regex]::Escape('[Fail] lightwave-dev-alb-5xx (OK, actions OFF, 0 flaps)'))
        $text | Should -Match ([regex]::Escape('[Pass] lightwave-dev-db-connections'))
        $text | Should -Match 'Topic lightwave-dev-alarms: 0 confirmed, 2 pending'
        $text | Should -Match (Get-WrappedPattern -Fact 'PendingConfirmation: SNS topic lightwave-dev-alarms')
        $text | Should -Match 'Fix: '
        Get-LongestLine -InputObject $alarms | Should -BeLessOrEqual 80
        ($alarms[0] | ConvertTo-Json -Depth 5 | ConvertFrom-Json).Findings[0].Kind | Should -Be 'ActionsDisabled'
    }
}

Describe 'Load balancer health and attribute changes at 80 columns' -Tag Integration {
    BeforeAll {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'alb-504-idle-timeout'
        $balancer = Wait-SandboxCondition -Because 'a 504 cause in alb-504-idle-timeout' -TimeoutSec 120 -ScriptBlock {
            $report = Get-LoadBalancerHealth -LoadBalancer 'lightwave-dev-alb' @aws -Since 5m
            if (@($report.Causes | Where-Object { $_.Cause -eq 'SlowerThanIdleTimeout' }).Count -gt 0) {
                $report
            }
        }
        $change = $balancer | Set-LoadBalancerAttribute -IdleTimeout 120 -Force
    }

    It 'Get-LoadBalancerHealth shows the status, the figures, each route and each cause with its fix' {
        $text = Get-ScreenText -InputObject $balancer
        $text | Should -Match 'lightwave-dev-alb: Error \(internet-facing, active, idle timeout 60 s\)'
        $text | Should -Match 'ELB 502/503/504 -/-/\d+'
        $text | Should -Match (Get-WrappedPattern -Fact 'Route HTTP:80 default -> lightwave-dev-backend-tg (2/2 healthy)')
        $text | Should -Match (Get-WrappedPattern -Fact '504 SlowerThanIdleTimeout')
        $text | Should -Match (Get-WrappedPattern -Fact 'Fix: Set-LoadBalancerAttribute -LoadBalancer lightwave-dev-alb -IdleTimeout 120')
        Get-LongestLine -InputObject $balancer | Should -BeLessOrEqual 80
    }

    It 'Set-LoadBalancerAttribute shows the attribute, the old and new values' {
        $text = Get-ScreenText -InputObject $change
        $text | Should -Match 'lightwave-dev-alb\s+idle_timeout\.timeout_seconds\s+60\s+120 True'
        Get-LongestLine -InputObject $change | Should -BeLessOrEqual 80
    }

    It 'ConvertTo-Json writes causes and checks as names' {
        $json = $balancer | ConvertTo-Json -Depth 5 | ConvertFrom-Json
        @($json.Causes | ForEach-Object { $_.Cause }) | Should -Contain 'SlowerThanIdleTimeout'
        @($json.Reachability | ForEach-Object { $_.Outcome }) | Should -Contain 'Pass'
    }
}

Describe 'Database and VPC reports (runbook 004) at 80 columns' -Tag Integration {
    BeforeAll {
        $database = @{ DatabaseCluster = 'lightwave-dev-db' } + $lightwave
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'db-reader-endpoint'
        $reader = Test-DatabaseConnectivity @database @aws
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'db-stopped'
        $stopped = Test-DatabaseConnectivity @database @aws
        $start = Start-DatabaseCluster -DatabaseCluster 'lightwave-dev-db' @aws -Force
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'nat-failed'
        $vpcId = (& aws ec2 describe-vpcs --region us-east-1 --endpoint-url $sandbox.Url --filters 'Name=cidr,Values=10.20.0.0/16' --query 'Vpcs[0].VpcId' --output text).Trim()
        $vpc = Test-VpcNetwork -VpcId $vpcId @aws
    }

    It 'Test-DatabaseConnectivity shows the cluster status, the failing check, its evidence and its whole fix' {
        $text = Get-ScreenText -InputObject $reader
        $text | Should -Match "lightwave-dev-db \(available\): database Fail at 'Application endpoint'"
        $text | Should -Match '\[Fail\] Application endpoint'
        $text | Should -Match (Get-WrappedPattern -Fact $reader.ApplicationEndpoint)
        $text | Should -Match (Get-WrappedPattern -Fact (@($reader.Checks) | Where-Object { $_.Name -eq 'Application endpoint' }).Fix)
        Get-LongestLine -InputObject $reader | Should -BeLessOrEqual 80
        $stoppedText = Get-ScreenText -InputObject $stopped
        $stoppedText | Should -Match "\(stopped\): database Fail at 'Cluster status'"
        $stoppedText | Should -Match 'Start-DatabaseCluster'
    }

    It 'Start-DatabaseCluster shows the status before and after' {
        $text = Get-ScreenText -InputObject $start
        $text | Should -Match 'lightwave-dev-db: stopped -> starting \(started\)'
        Get-LongestLine -InputObject $start | Should -BeLessOrEqual 80
    }

    It 'Test-VpcNetwork shows the failed NAT gateway with its failure code, and each failing check' {
        $text = Get-ScreenText -InputObject $vpc
        $text | Should -Match ('{0}: VPC network Fail' -f [regex]::Escape($vpcId))
        $text | Should -Match (Get-WrappedPattern -Fact 'is failed: InternalError')
        $text | Should -Match '\[Fail\] Flow log fl-'
        $text | Should -Match '\[Pass\] Internet gateway'
        Get-LongestLine -InputObject $vpc | Should -BeLessOrEqual 80
    }

    It 'the reports convert to JSON with names' {
        $json = $reader | ConvertTo-Json -Depth 5 | ConvertFrom-Json
        $json.Status | Should -Be 'Fail'
        @($json.Checks)[1].Outcome | Should -Be 'Fail'
        ($vpc | ConvertTo-Json -Depth 5 | ConvertFrom-Json).Status | Should -Be 'Fail'
    }
}

Describe 'RDS DB instance reports (runbook 004) at 80 columns' -Tag Integration {
    BeforeAll {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'db-instance-stopped'
        $stoppedInstance = Test-DatabaseConnectivity -DatabaseInstance 'lightwave-dev-pg' @lightwave @aws
        $startInstance = Start-DatabaseInstance -DatabaseInstance 'lightwave-dev-pg' @aws -Force
    }

    It 'Test-DatabaseConnectivity -DatabaseInstance shows the instance status, the failing check and its whole fix' {
        $text = Get-ScreenText -InputObject $stoppedInstance
        $text | Should -Match "lightwave-dev-pg \(stopped\): database Fail at 'Instance status'"
        $text | Should -Match ('Endpoint: {0}:5432' -f [regex]::Escape($stoppedInstance.Endpoint))
        $text | Should -Not -Match '\(reader'
        $text | Should -Match (Get-WrappedPattern -Fact (@($stoppedInstance.Checks) | Where-Object { $_.Name -eq 'Instance status' }).Fix)
        Get-LongestLine -InputObject $stoppedInstance | Should -BeLessOrEqual 80
    }

    It 'Start-DatabaseInstance shows the status before and after' {
        $text = Get-ScreenText -InputObject $startInstance
        $text | Should -Match 'lightwave-dev-pg: stopped -> starting \(started\)'
        Get-LongestLine -InputObject $startInstance | Should -BeLessOrEqual 80
    }
}
