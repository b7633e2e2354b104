#Requires -Version 5.1
<#
    Runbook 001 ("Deployment Troubleshooting Runbook"), the CloudFormation problems, against the DeployOps sandbox: one
    Describe per problem of the runbook, run as an operator would run it. (The registry, monitor and Slack problems
    have their own suite.)

    Inaccurate Time Estimates     deployment-time-estimator.sh collect    Update-DeploymentHistory, Get-DeploymentEstimate
    CloudFormation Stack Stuck    describe-stacks / -events / -resources  Get-CfnStackDiagnosis; Remove-CfnStack,
                                  cancel, continue rollback, delete       Stop-CfnStackUpdate, Resume-CfnStackRollback, Wait-CfnStack
    ECS Tasks Not Starting        describe-services / stopped tasks       Get-CfnStackDiagnosis's ECS finding, Stop-CfnStackUpdate
    RDS Creation Timeout          describe-db-instances / events / subnets Get-CfnStackDiagnosis's RDS finding

    Each action is checked in the sandbox's own state (the operations the CloudFormation simulator accepted, the stack's
    status there), not in what DeployOps reports; -WhatIf must change nothing. Needs the built module and sandbox
    (./build.ps1 -Task Build) and moto_server on PATH; AWS settings are throwaway.
#>

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath '../DeployOps.psd1') -Force -ErrorAction Stop
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'Sandbox.psm1') -Force -ErrorAction Stop

    $suite = Start-SandboxSuite -Name 'runbook001' -Scenario 'stack-healthy'
    $sandbox = $suite.Sandbox
    $awsFolder = $suite.Folder

    # The names the stack scenarios promise (tests/DeployOps.Testing/Lightwave.cs).
    $stackName = 'lightwave-dev-stack'
    $aws = $suite.Aws
    $registry = Join-Path -Path $awsFolder -ChildPath '.deployment-registry'

    # The sandbox's own view of the stack: status, resources' statuses and the API operations it accepted.
    function Get-SandboxStack {
        $state = Get-SandboxState -Sandbox $sandbox
        @($state.stacks) | Where-Object { $_.name -eq $stackName } | Select-Object -Last 1
    }

    function Use-Scenario {
        param([string] $Name)
        $null = Set-SandboxScenario -Sandbox $sandbox -Name $Name
    }

    # Runs Command, returning the error records it wrote (non-terminating) or threw.
    function Get-CommandError {
        param([scriptblock] $Command)
        $errors = @()
        try {
            $errors += @(& $Command 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        }
        catch {
            $errors += $_
        }

        return , $errors
    }
}

AfterAll {
    Stop-SandboxSuite -Suite $suite
    Remove-Module -Name 'DeployOps', 'Sandbox' -Force -ErrorAction SilentlyContinue
}

Describe 'Inaccurate Time Estimates: collect the history, then estimate from it' -Tag Integration {
    BeforeAll {
        Use-Scenario 'stack-stuck-rds'
        $historyFile = Join-Path -Path $registry -ChildPath 'deployment-history.json'
        Remove-Item -LiteralPath $historyFile -Force -ErrorAction SilentlyContinue
        $beforeCollecting = Get-DeploymentEstimate -StackName $stackName -RegistryPath $registry @aws
        $preview = Update-DeploymentHistory -RegistryPath $registry @aws -WhatIf
        $previewWroteFile = Test-Path -LiteralPath $historyFile
        $collected = Update-DeploymentHistory -RegistryPath $registry @aws
        $again = Update-DeploymentHistory -RegistryPath $registry @aws
        $document = Get-Content -Raw -LiteralPath $historyFile | ConvertFrom-Json
        $estimate = Get-DeploymentEstimate -StackName $stackName -RegistryPath $registry @aws
    }

    It 'without history, the estimate says it has none and uses default durations' {
        $beforeCollecting.HistoryDeployments | Should -Be 0
        [string]$beforeCollecting.Accuracy | Should -Match 'no history'
    }

    It '-WhatIf shows what would be collected and writes no file' {
        $preview.Written | Should -BeFalse
        $preview.Added | Should -BeGreaterThan 0
        $previewWroteFile | Should -BeFalse
    }

    It 'collect: writes the runbook layout (average_deployment_minutes, resource_averages, deployments) from the stacks'' events' {
        $collected.Written | Should -BeTrue
        @($document.deployments).Count | Should -Be $collected.Deployments
        @($document.deployments).Count | Should -BeGreaterOrEqual 8
        $document.average_deployment_minutes | Should -BeGreaterThan 0
        $document.resource_averages.PSObject.Properties.Name | Should -Not -BeNullOrEmpty
        [string]($document.resource_averages | ConvertTo-Json -Depth 5) | Should -Match 'AWS::RDS::DBInstance'
    }

    It 'collecting again adds nothing' {
        $again.Added | Should -Be 0
        $again.Deployments | Should -Be $collected.Deployments
    }

    It 'the estimate of the running stack is a range from the history, with its replayed accuracy' {
        $estimate.InProgress | Should -BeTrue
        $estimate.HistoryDeployments | Should -Be $collected.Deployments
        $estimate.RemainingLow | Should -BeLessOrEqual $estimate.Remaining
        $estimate.Remaining | Should -BeLessOrEqual $estimate.RemainingHigh
        $estimate.ResourcesDone | Should -BeLessThan $estimate.ResourcesTotal
        [string]$estimate.Accuracy | Should -Match 'mean absolute error \d+(\.\d+)?%'
    }
}

Describe 'CloudFormation Stack Stuck: CREATE_IN_PROGRESS for 40+ minutes, no events for 15+' -Tag Integration {
    BeforeAll {
        Use-Scenario 'stack-stuck-rds'
        $diagnosis = Get-CfnStackDiagnosis -StackName $stackName -RegistryPath $registry @aws
    }

    It 'names the status, how long it lasts, and the quiet time' {
        $diagnosis.Status | Should -Be 'CREATE_IN_PROGRESS'
        $diagnosis.TimeInStatus.TotalMinutes | Should -BeGreaterOrEqual 40
        $diagnosis.TimeSinceLastEvent.TotalMinutes | Should -BeGreaterOrEqual 15
        @($diagnosis.Symptoms) -join "`n" | Should -Match 'No new stack events for \d+ minutes'
        $diagnosis.Complete | Should -BeTrue
    }

    It 'names the stuck resources, against their usual durations' {
        $database = @($diagnosis.InProgress) | Where-Object { $_.LogicalResourceId -eq 'Database' }
        $database.ResourceType | Should -Be 'AWS::RDS::DBInstance'
        $database.Overdue | Should -BeTrue
        $database.TimeInProgress | Should -BeGreaterThan $database.UsualDuration
        @($diagnosis.InProgress | ForEach-Object { $_.LogicalResourceId }) | Should -Contain 'DnsRecord'
    }

    It 'shows the custom resource''s function and its log lines' {
        $dns = @($diagnosis.Findings) | Where-Object { $_.LogicalResourceId -eq 'DnsRecord' }
        $dns.FunctionName | Should -Be 'lightwave-dev-dns-record'
        @($dns.LogLines) -join "`n" | Should -Match 'AccessDenied'
    }

    It 'lists only the legal actions: wait or delete (CREATE_IN_PROGRESS cannot be cancelled)' {
        $actions = @($diagnosis.LegalActions | ForEach-Object { $_.Action })
        $actions | Should -Contain 'Delete'
        $actions | Should -Not -Contain 'CancelUpdate'
        (@($diagnosis.LegalActions) | Where-Object { $_.Action -eq 'Delete' }).Command | Should -BeLike "Remove-CfnStack -StackName $stackName*"
    }

    It 'Stop-CfnStackUpdate is refused, naming the status and the legal actions, and sends nothing' {
        $before = [int](Get-SandboxStack).operationsAccepted
        $errors = Get-CommandError { Stop-CfnStackUpdate -StackName $stackName @aws -Force }
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'StackActionNotAllowed,DeployOps.Commands.StopCfnStackUpdateCommand'
        $errors[0].Exception.Message | Should -Match 'is CREATE_IN_PROGRESS: CancelUpdateStack is valid only in UPDATE_IN_PROGRESS\. Legal now: .*Remove-CfnStack'
        [int](Get-SandboxStack).operationsAccepted | Should -Be $before
    }

    It 'Remove-CfnStack -WhatIf changes nothing' {
        $before = Get-SandboxStack
        Remove-CfnStack -StackName $stackName @aws -WhatIf
        $after = Get-SandboxStack
        $after.status | Should -Be 'CREATE_IN_PROGRESS'
        [int]$after.operationsAccepted | Should -Be ([int]$before.operationsAccepted)
    }

    It 'Remove-CfnStack -Wait deletes the stack: the way out, until it does not exist' {
        $before = [int](Get-SandboxStack).operationsAccepted
        $result = Remove-CfnStack -StackName $stackName @aws -Force -Wait -PollInterval 1 -Timeout 300
        $result.Outcome | Should -Be 'Deleted'
        $result.Succeeded | Should -BeTrue
        [int](Get-SandboxStack).operationsAccepted | Should -Be ($before + 1)
        (Get-SandboxStack).status | Should -Be 'DELETE_COMPLETE'
    }
}

Describe 'CloudFormation Stack Stuck: "if rollback fails", UPDATE_ROLLBACK_FAILED' -Tag Integration {
    BeforeAll {
        Use-Scenario 'stack-rollback-failed'
        $diagnosis = Get-CfnStackDiagnosis -StackName $stackName @aws
    }

    It 'the root cause is the first failure, and the rollback failure is named' {
        $diagnosis.Status | Should -Be 'UPDATE_ROLLBACK_FAILED'
        $diagnosis.RootCause.LogicalResourceId | Should -Be 'DatabaseMigration'
        $diagnosis.RootCause.Reason | Should -Match 'migration 0043'
        $diagnosis.RollbackFailure.LogicalResourceId | Should -Be 'Database'
    }

    It 'computes ResourcesToSkip and puts it in the command' {
        @($diagnosis.ResourcesToSkip) | Should -Be @('Database')
        (@($diagnosis.LegalActions) | Where-Object { $_.Action -eq 'ContinueRollback' }).Command | Should -Match '-ResourcesToSkip Database'
    }

    It 'refuses a resource that cannot be skipped, naming the ones that can' {
        $errors = Get-CommandError { Resume-CfnStackRollback -StackName $stackName -ResourcesToSkip 'Service' @aws -Force }
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'InvalidResourcesToSkip,DeployOps.Commands.ResumeCfnStackRollbackCommand'
        $errors[0].Exception.Message | Should -Match "'Service' cannot be skipped.*Here: Database\."
    }

    It 'Remove-CfnStack -RetainResources is refused outside DELETE_FAILED' {
        $errors = Get-CommandError { Remove-CfnStack -StackName $stackName -RetainResources 'Database' @aws -Force }
        $errors[0].FullyQualifiedErrorId | Should -Be 'StackActionNotAllowed,DeployOps.Commands.RemoveCfnStackCommand'
        $errors[0].Exception.Message | Should -Match 'RetainResources is valid only in DELETE_FAILED'
    }

    It 'Resume-CfnStackRollback -WhatIf changes nothing' {
        $before = Get-SandboxStack
        Resume-CfnStackRollback -StackName $stackName @aws -WhatIf
        $after = Get-SandboxStack
        $after.status | Should -Be 'UPDATE_ROLLBACK_FAILED'
        [int]$after.operationsAccepted | Should -Be ([int]$before.operationsAccepted)
    }

    It 'Resume-CfnStackRollback -Wait skips Database and ends UPDATE_ROLLBACK_COMPLETE' {
        $before = [int](Get-SandboxStack).operationsAccepted
        $result = Resume-CfnStackRollback -StackName $stackName @aws -Force -Wait -PollInterval 1 -Timeout 300
        $result.Status | Should -Be 'UPDATE_ROLLBACK_COMPLETE'
        $result.Succeeded | Should -BeTrue
        (Get-SandboxStack).status | Should -Be 'UPDATE_ROLLBACK_COMPLETE'
        [int](Get-SandboxStack).operationsAccepted | Should -Be ($before + 1)
        (Get-SandboxStack).resources.Database | Should -Be 'UPDATE_COMPLETE'
    }
}

Describe 'CloudFormation Stack Stuck: "then delete stack", DELETE_FAILED' -Tag Integration {
    BeforeAll {
        Use-Scenario 'stack-delete-failed'
        $diagnosis = Get-CfnStackDiagnosis -StackName $stackName @aws
    }

    It 'names the resource that failed to delete and offers RetainResources' {
        $diagnosis.Status | Should -Be 'DELETE_FAILED'
        $diagnosis.RootCause.LogicalResourceId | Should -Be 'AssetsBucket'
        @($diagnosis.RetainResources) | Should -Contain 'AssetsBucket'
        (@($diagnosis.LegalActions) | ForEach-Object { $_.Command }) -join "`n" | Should -Match '-RetainResources AssetsBucket'
    }

    It 'refuses to retain a resource the stack does not have' {
        $errors = Get-CommandError { Remove-CfnStack -StackName $stackName -RetainResources 'NoSuchBucket' @aws -Force }
        $errors[0].FullyQualifiedErrorId | Should -Be 'InvalidRetainResources,DeployOps.Commands.RemoveCfnStackCommand'
        $errors[0].Exception.Message | Should -Match "'NoSuchBucket' is not a resource of stack 'lightwave-dev-stack'.*AssetsBucket"
    }

    It 'deleting again without RetainResources fails fast with the resource''s reason' {
        $errors = Get-CommandError { Remove-CfnStack -StackName $stackName @aws -Force -Wait -PollInterval 1 -Timeout 300 }
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'StackOperationFailed,DeployOps.Commands.RemoveCfnStackCommand'
        $errors[0].Exception.Message | Should -Match 'DELETE_FAILED.*not empty'
        (Get-SandboxStack).status | Should -Be 'DELETE_FAILED'
    }

    It 'Remove-CfnStack -RetainResources AssetsBucket -Wait: the stack is gone' {
        $result = Remove-CfnStack -StackName $stackName -RetainResources 'AssetsBucket' @aws -Force -Wait -PollInterval 1 -Timeout 300
        $result.Outcome | Should -Be 'Deleted'
        (Get-SandboxStack).status | Should -Be 'DELETE_COMPLETE'
    }
}

Describe 'ECS Tasks Not Starting: the stack''s update waits on a service whose tasks stop' -Tag Integration {
    BeforeAll {
        Use-Scenario 'stack-update-ecs-failing'
        $diagnosis = Wait-SandboxCondition -Because 'the ECS finding names the failing tasks' -TimeoutSec 120 -ScriptBlock {
            $d = Get-CfnStackDiagnosis -StackName $stackName @aws
            $ecs = @($d.Findings) | Where-Object { $_.Kind -eq 'EcsService' }
            if ($ecs -and (@($ecs.Details) -join ' ') -match 'exit code 1') { $d }
        }
    }

    It 'names the service and the ECS analysis: tasks exit at start' {
        $diagnosis.Status | Should -Be 'UPDATE_IN_PROGRESS'
        $ecs = @($diagnosis.Findings) | Where-Object { $_.Kind -eq 'EcsService' }
        $ecs.LogicalResourceId | Should -Be 'Service'
        $ecs.PhysicalResourceId | Should -Match 'service/lightwave-dev-ecs-cluster/lightwave-backend-api-dev$'
        @($ecs.Details) -join "`n" | Should -Match 'exit code 1'
        @($ecs.Details) -join "`n" | Should -Match 'relation "accounts_tenant" does not exist'
        [string]$ecs.EcsReport.Category | Should -Be 'ApplicationNotStarting'
    }

    It 'the legal actions are wait and cancel' {
        @($diagnosis.LegalActions | ForEach-Object { $_.Action }) | Should -Contain 'CancelUpdate'
    }

    It 'Stop-CfnStackUpdate -WhatIf changes nothing' {
        $before = [int](Get-SandboxStack).operationsAccepted
        Stop-CfnStackUpdate -StackName $stackName @aws -WhatIf
        (Get-SandboxStack).status | Should -Be 'UPDATE_IN_PROGRESS'
        [int](Get-SandboxStack).operationsAccepted | Should -Be $before
    }

    It 'Wait-CfnStack gives up at its timeout while the update hangs' {
        $errors = Get-CommandError { Wait-CfnStack -StackName $stackName @aws -Timeout 2 -PollInterval 1 }
        $errors[0].FullyQualifiedErrorId | Should -Be 'StackWaitTimedOut,DeployOps.Commands.WaitCfnStackCommand'
    }

    It 'Stop-CfnStackUpdate cancels; Wait-CfnStack fails fast on the rollback, then waits it out with -UntilRollbackComplete' {
        $before = [int](Get-SandboxStack).operationsAccepted
        $change = Stop-CfnStackUpdate -StackName $stackName @aws -Force
        $change.PreviousStatus | Should -Be 'UPDATE_IN_PROGRESS'
        [int](Get-SandboxStack).operationsAccepted | Should -Be ($before + 1)

        $errors = Get-CommandError { Wait-CfnStack -StackName $stackName @aws -PollInterval 1 -Timeout 300 }
        $errors[0].FullyQualifiedErrorId | Should -Be 'StackRollingBack,DeployOps.Commands.WaitCfnStackCommand'

        $done = Wait-CfnStack -StackName $stackName @aws -UntilRollbackComplete -PollInterval 1 -Timeout 300 -ErrorAction SilentlyContinue
        $done.Status | Should -Be 'UPDATE_ROLLBACK_COMPLETE'
        (Get-SandboxStack).status | Should -Be 'UPDATE_ROLLBACK_COMPLETE'
    }
}

Describe 'RDS Creation Timeout: the instance stays creating' -Tag Integration {
    BeforeAll {
        Use-Scenario 'stack-stuck-rds'
        $diagnosis = Get-CfnStackDiagnosis -StackName $stackName @aws
        $database = @($diagnosis.Findings) | Where-Object { $_.LogicalResourceId -eq 'Database' }
    }

    It 'shows the RDS status and its events of the last hour' {
        $database.DatabaseStatus | Should -Be 'creating'
        @($database.DatabaseEvents | ForEach-Object { $_.Message }) -join "`n" | Should -Match 'no free IP address'
    }

    It 'shows the subnet group with free IPs per subnet' {
        @($database.Subnets) | Should -HaveCount 2
        @($database.Subnets | ForEach-Object { $_.FreeAddresses } | Sort-Object) | Should -Be @(0, 1)
    }
}

Describe 'Parameter contracts' -Tag Unit {
    It '<Name> asks for confirmation (ConfirmImpact High) and supports -WhatIf' -ForEach @(
        @{ Name = 'Stop-CfnStackUpdate' }, @{ Name = 'Resume-CfnStackRollback' }, @{ Name = 'Remove-CfnStack' }
    ) {
        $command = Get-Command -Name $Name
        $command.Parameters.Keys | Should -Contain 'WhatIf'
        $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact | Should -Be 'High'
    }

    It '<Name> takes -StackName from the pipeline' -ForEach @(
        @{ Name = 'Get-CfnStackDiagnosis' }, @{ Name = 'Stop-CfnStackUpdate' }, @{ Name = 'Resume-CfnStackRollback' },
        @{ Name = 'Remove-CfnStack' }, @{ Name = 'Wait-CfnStack' }, @{ Name = 'Get-DeploymentEstimate' }
    ) {
        $parameter = (Get-Command -Name $Name).Parameters['StackName']
        $parameter.Attributes.ValueFromPipelineByPropertyName | Should -Contain $true
    }
}
