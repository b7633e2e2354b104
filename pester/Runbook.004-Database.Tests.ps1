#Requires -Version 5.1
<#
    Runbook 004 ("Troubleshooting Guide"), its database and networking sections, against the DeployOps sandbox: one
    Describe per section of the guide, run as an operator would run it.

    Cannot Connect to Aurora             db-unreachable      no 5432 rule: the database hop fails; Repair-EcsNetworkPath adds it
                                         db-stopped          Start-DatabaseCluster -Wait brings it back (-WhatIf changes nothing)
                                         db-reader-endpoint  the URL in a Secrets Manager secret names the reader endpoint;
                                                             the secret's value appears in no stream
                                         db-instance-stopped an RDS instance stopped: Start-DatabaseInstance -Wait brings it
                                                             back (-WhatIf changes nothing); its secret appears in no stream
                                         db-instance-unreachable  no 5432 rule for the instance: the database hop fails
    Database Performance                 db-healthy          capacity, CPU and connections against ~90 per ACU
                                         db-overloaded       at its maximum capacity, connections near the limit
                                         db-instance-healthy an RDS instance against its class's default max_connections
    NAT Gateway Failures                 nat-failed          the failed NAT gateway, its failure code, the private route table
    VPC Flow Logs Not Capturing          nat-failed          the flow log's log group is missing; healthy has none at all
                                         flow-log-role-deleted  the flow log's IAM role was deleted

    RDS, EC2 and Secrets Manager state is read back with the aws CLI (an independent oracle of moto's state) to show what
    changed. Needs the built module and sandbox, moto_server and aws on PATH.
#>

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath '../DeployOps.psd1') -Force -ErrorAction Stop
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'Sandbox.psm1') -Force -ErrorAction Stop

    $suite = Start-SandboxSuite -Name 'runbook004db' -Scenario 'db-healthy' -TimeoutSec 300
    $sandbox = $suite.Sandbox

    $lightwave = @{ Cluster = 'lightwave-dev-ecs-cluster'; Service = 'lightwave-backend-api-dev' }
    $database = @{ DatabaseCluster = 'lightwave-dev-db' }
    $aws = $suite.Aws

    function Get-Check {
        param($Report, [string] $Name)
        @($Report.Checks) | Where-Object { $_.Name -like $Name } | Select-Object -First 1
    }

    # Runs the aws CLI against the sandbox and parses its JSON (this CLI needs --endpoint-url for rds).
    function Invoke-AwsJson {
        param([string[]] $Arguments)
        $json = & aws @Arguments --region us-east-1 --endpoint-url $sandbox.Url --output json
        if ($LASTEXITCODE -ne 0) {
            throw "aws $($Arguments -join ' ') failed"
        }

        $json | Out-String | ConvertFrom-Json
    }

    function Get-ClusterStatus {
        (Invoke-AwsJson -Arguments @('rds', 'describe-db-clusters', '--db-cluster-identifier', 'lightwave-dev-db')).DBClusters[0].Status
    }

    function Get-InstanceStatus {
        (Invoke-AwsJson -Arguments @('rds', 'describe-db-instances', '--db-instance-identifier', 'lightwave-dev-pg')).DBInstances[0].DBInstanceStatus
    }

    function Get-VpcId {
        (Invoke-AwsJson -Arguments @('ec2', 'describe-vpcs', '--filters', 'Name=cidr,Values=10.20.0.0/16')).Vpcs[0].VpcId
    }

    # The report once the cluster's AWS/RDS metrics are in CloudWatch (one world minute after it became available).
    function Get-ReportWithLoad {
        param([hashtable] $Extra = @{})
        Wait-SandboxCondition -Because 'the cluster''s AWS/RDS metrics' -ScriptBlock {
            $report = Test-DatabaseConnectivity @database @lightwave @aws @Extra
            if ($report.Load) { $report }
        }
    }
}

AfterAll {
    Stop-SandboxSuite -Suite $suite
    Remove-Module -Name 'DeployOps', 'Sandbox' -Force -ErrorAction SilentlyContinue
}

Describe 'Parameter contracts' -Tag Unit {
    It '<Command> takes -DatabaseCluster from the pipeline by property name' -ForEach @(@{ Command = 'Test-DatabaseConnectivity' }, @{ Command = 'Start-DatabaseCluster' }) {
        $parameter = (Get-Command -Name $Command).Parameters['DatabaseCluster']
        $parameter.Aliases | Should -Contain 'DBClusterIdentifier'
        @($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.ValueFromPipelineByPropertyName }) | Should -Not -BeNullOrEmpty
    }

    It 'Start-DatabaseCluster supports -WhatIf and -Confirm and takes whole seconds' {
        $command = Get-Command -Name 'Start-DatabaseCluster'
        $command.Parameters.Keys | Should -Contain 'WhatIf'
        $command.Parameters['Timeout'].ParameterType | Should -Be ([int])
        $command.OutputType.Type | Should -Contain ([DeployOps.Databases.DatabaseClusterChange])
    }

    It 'Test-DatabaseConnectivity takes -DatabaseInstance in its own parameter set, by property name; -DatabaseCluster stays position 0 of the default set' {
        $command = Get-Command -Name 'Test-DatabaseConnectivity'
        $command.DefaultParameterSet | Should -Be 'DatabaseCluster'
        $instance = $command.Parameters['DatabaseInstance']
        $instance.Aliases | Should -Contain 'DBInstanceIdentifier'
        @($instance.ParameterSets.Keys) | Should -Be @('DatabaseInstance')
        $instance.ParameterSets['DatabaseInstance'].IsMandatory | Should -BeTrue
        $instance.ParameterSets['DatabaseInstance'].ValueFromPipelineByPropertyName | Should -BeTrue
        $command.Parameters['DatabaseCluster'].ParameterSets['DatabaseCluster'].Position | Should -Be 0
    }

    It 'Start-DatabaseInstance takes -DatabaseInstance by property name, supports -WhatIf and takes whole seconds' {
        $command = Get-Command -Name 'Start-DatabaseInstance'
        $command.Parameters['DatabaseInstance'].Aliases | Should -Contain 'DBInstanceIdentifier'
        $command.Parameters['DatabaseInstance'].ParameterSets['__AllParameterSets'].ValueFromPipelineByPropertyName | Should -BeTrue
        $command.Parameters.Keys | Should -Contain 'WhatIf'
        $command.Parameters['Timeout'].ParameterType | Should -Be ([int])
        $command.OutputType.Type | Should -Contain ([DeployOps.Databases.DatabaseInstanceChange])
    }

    It 'Test-VpcNetwork takes a VPC id from the pipeline' {
        $parameter = (Get-Command -Name 'Test-VpcNetwork').Parameters['VpcId']
        @($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.ValueFromPipeline }) | Should -Not -BeNullOrEmpty
    }
}

Describe 'Cannot Connect to Aurora' -Tag Integration {
    Context 'security group missing the ingress rule (db-unreachable)' {
        BeforeAll {
            $null = Set-SandboxScenario -Sandbox $sandbox -Name 'db-unreachable'
            $report = Test-DatabaseConnectivity @database @lightwave @aws -Probe -ProbeTimeout 3
            $groupId = $report.Checks | Where-Object { $_.Name -eq 'Task to database' } | ForEach-Object { $_.Evidence } |
                Select-String -Pattern 'sg-[0-9a-f]+' | Select-Object -First 1 | ForEach-Object { $_.Matches[0].Value }
        }

        It '-DatabaseCluster completes with the clusters of the region and endpoint typed so far, on <_>' -ForEach 'Test-DatabaseConnectivity', 'Start-DatabaseCluster' {
            [DeployOps.Completion.NameSuggestions]::ClearCache()
            $line = "$_ -Region us-east-1 -EndpointUrl $($sandbox.Url) -DatabaseCluster light"
            @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object { $_.CompletionText }) | Should -Be @('lightwave-dev-db')
        }

        It 'fails the task-to-database check with the rule to add, and the probe is refused' {
            [string]$report.Status | Should -Be 'Fail'
            $report.FailingCheck | Should -Be 'Task to database'
            $hop = Get-Check -Report $report -Name 'Task to database'
            @($hop.Evidence) -join ' ' | Should -Match 'lightwave-dev-db-sg'
            $hop.Fix | Should -Match 'authorize-security-group-ingress'
            $hop.Fix | Should -Match 'Repair-EcsNetworkPath'
            [string]$report.Probe.Result | Should -Be 'Refused'
            [string](Get-Check -Report $report -Name 'Cluster status').Outcome | Should -Be 'Pass'
        }

        It 'Repair-EcsNetworkPath (the check''s fix) -WhatIf adds nothing; without it the rule is added and the probe connects' {
            (Get-Check -Report $report -Name 'Task to database').Fix | Should -Match ('Repair-EcsNetworkPath -Cluster lightwave-dev-ecs-cluster -Service lightwave-backend-api-dev -DatabaseSecurityGroupId {0} -DatabasePort 5432' -f $groupId)
            $before = (Invoke-AwsJson -Arguments @('ec2', 'describe-security-groups', '--group-ids', $groupId)).SecurityGroups[0].IpPermissions
            Repair-EcsNetworkPath @lightwave @aws -DatabaseSecurityGroupId $groupId -DatabasePort 5432 -WhatIf
            @((Invoke-AwsJson -Arguments @('ec2', 'describe-security-groups', '--group-ids', $groupId)).SecurityGroups[0].IpPermissions) | Should -HaveCount @($before).Count

            $change = Repair-EcsNetworkPath @lightwave @aws -DatabaseSecurityGroupId $groupId -DatabasePort 5432 -Force
            $change.Added | Should -BeTrue
            $change.Port | Should -Be 5432
            $after = Wait-SandboxCondition -Because 'the endpoint listening once the rule exists' -ScriptBlock {
                $again = Test-DatabaseConnectivity @database @lightwave @aws -Probe -ProbeTimeout 3
                if ([string]$again.Probe.Result -eq 'Connected') { $again }
            }
            [string](Get-Check -Report $after -Name 'Task to database').Outcome | Should -Be 'Pass'
        }
    }

    Context 'Aurora cluster stopped (db-stopped)' {
        BeforeAll {
            $null = Set-SandboxScenario -Sandbox $sandbox -Name 'db-stopped'
            $report = Test-DatabaseConnectivity @database @lightwave @aws -Probe -ProbeTimeout 3
        }

        It 'fails the cluster status with Start-DatabaseCluster as the fix' {
            $report.FailingCheck | Should -Be 'Cluster status'
            $report.ClusterStatus | Should -Be 'stopped'
            (Get-Check -Report $report -Name 'Cluster status').Fix | Should -Match 'Start-DatabaseCluster -DatabaseCluster lightwave-dev-db -Wait'
            [string]$report.Probe.Result | Should -Be 'Refused'
        }

        It 'Start-DatabaseCluster -WhatIf leaves it stopped' {
            $report | Start-DatabaseCluster @aws -WhatIf
            Get-ClusterStatus | Should -Be 'stopped'
        }

        It 'Start-DatabaseCluster -Wait starts it, waits until available, and the diagnosis passes' {
            $change = $report | Start-DatabaseCluster @aws -Wait -Force -PollInterval 1 -Timeout 120
            $change | Should -BeOfType ([DeployOps.Databases.DatabaseClusterChange])
            $change.PreviousStatus | Should -Be 'stopped'
            $change.Status | Should -Be 'available'
            $change.Started | Should -BeTrue
            Get-ClusterStatus | Should -Be 'available'
            $after = Test-DatabaseConnectivity @database @lightwave @aws -Probe
            [string]$after.Probe.Result | Should -Be 'Connected'
            [string](Get-Check -Report $after -Name 'Cluster status').Outcome | Should -Be 'Pass'
        }

        It 'Start-DatabaseCluster on an available cluster warns and starts nothing' {
            $warnings = @()
            $change = Start-DatabaseCluster @database @aws -Force -WarningVariable warnings -WarningAction SilentlyContinue
            $change.Started | Should -BeFalse
            @($warnings) -join ' ' | Should -Match 'is available already'
        }
    }

    Context 'wrong database endpoint: the secret names the reader endpoint (db-reader-endpoint)' {
        BeforeAll {
            $null = Set-SandboxScenario -Sandbox $sandbox -Name 'db-reader-endpoint'
            $secretValue = (Invoke-AwsJson -Arguments @('secretsmanager', 'get-secret-value', '--secret-id', 'lightwave/dev/database-url')).SecretString
            $everything = Test-DatabaseConnectivity @database @lightwave @aws -Probe -Verbose *>&1 | Out-String -Width 400
            $report = Test-DatabaseConnectivity @database @lightwave @aws
            $failed = Test-DatabaseConnectivity -DatabaseCluster 'no-such-db' @lightwave @aws -ErrorAction SilentlyContinue -ErrorVariable notFound -Verbose *>&1 | Out-String -Width 400
        }

        It 'fails the application endpoint naming the secret and the reader endpoint, with the fix' {
            $report.FailingCheck | Should -Be 'Application endpoint'
            $report.EndpointSource | Should -Match '^secret arn:aws:secretsmanager:us-east-1:\d{12}:secret:lightwave/dev/database-url'
            $report.ApplicationEndpoint | Should -Be ('{0}:5432' -f $report.ReaderEndpoint)
            $check = Get-Check -Report $report -Name 'Application endpoint'
            @($check.Evidence) -join ' ' | Should -Match 'the reader endpoint of lightwave-dev-db'
            $check.Fix | Should -Match 'aws secretsmanager put-secret-value'
        }

        It 'never shows the secret''s value or its password in any stream' {
            $secretValue | Should -Match 'R3ader-Secret-Pa55-Seed'
            $everything | Should -Not -Match 'R3ader-Secret-Pa55-Seed'
            $everything | Should -Not -Match ([regex]::Escape($secretValue))
            ($report | ConvertTo-Json -Depth 6) | Should -Not -Match 'R3ader-Secret-Pa55-Seed'
            ($report | Format-List * | Out-String -Width 400) | Should -Not -Match 'R3ader-Secret-Pa55-Seed'
            $failed + ($notFound | Out-String) | Should -Not -Match 'R3ader-Secret-Pa55-Seed'
            [string]$notFound[0].FullyQualifiedErrorId | Should -Be 'DatabaseClusterNotFound,DeployOps.Commands.TestDatabaseConnectivityCommand'
        }
    }
}

Describe 'Cannot Connect to Aurora: an RDS DB instance' -Tag Integration {
    BeforeAll {
        $instance = @{ DatabaseInstance = 'lightwave-dev-pg' }
    }

    Context 'RDS instance stopped (db-instance-stopped)' {
        BeforeAll {
            $null = Set-SandboxScenario -Sandbox $sandbox -Name 'db-instance-stopped'
            $secretValue = (Invoke-AwsJson -Arguments @('secretsmanager', 'get-secret-value', '--secret-id', 'lightwave/dev/pg-url')).SecretString
            $everything = Test-DatabaseConnectivity @instance @lightwave @aws -Probe -ProbeTimeout 3 -Verbose *>&1 | Out-String -Width 400
            $report = Test-DatabaseConnectivity @instance @lightwave @aws -Probe -ProbeTimeout 3
        }

        It '-DatabaseInstance completes with the instances of the region and endpoint typed so far, on <_>' -ForEach 'Test-DatabaseConnectivity', 'Start-DatabaseInstance' {
            [DeployOps.Completion.NameSuggestions]::ClearCache()
            $line = "$_ -Region us-east-1 -EndpointUrl $($sandbox.Url) -DatabaseInstance light"
            @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object { $_.CompletionText }) | Should -Be @('lightwave-dev-pg')
        }

        It 'fails the instance status with Start-DatabaseInstance as the fix, and the probe is refused' {
            [string]$report.Status | Should -Be 'Fail'
            $report.Kind | Should -Be 'Instance'
            $report.DatabaseInstance | Should -Be 'lightwave-dev-pg'
            $report.DatabaseStatus | Should -Be 'stopped'
            $report.FailingCheck | Should -Be 'Instance status'
            $check = Get-Check -Report $report -Name 'Instance status'
            @($check.Evidence) -join ' ' | Should -Match 'RDS instance lightwave-dev-pg \(postgres\) is stopped'
            $check.Fix | Should -Match 'Start-DatabaseInstance -DatabaseInstance lightwave-dev-pg -Wait \(aws rds start-db-instance --db-instance-identifier lightwave-dev-pg\)'
            $report.RecommendedAction | Should -Match 'Start-DatabaseInstance'
            [string]$report.Probe.Result | Should -Be 'Refused'
            $report.EndpointSource | Should -Match 'secret arn:aws:secretsmanager:us-east-1:\d{12}:secret:lightwave/dev/pg-url'
            [string](Get-Check -Report $report -Name 'Application endpoint').Outcome | Should -Be 'Pass'
        }

        It 'never shows the secret''s value or its password in any stream' {
            $secretValue | Should -Match 'Pg-Instance-Secret-Seed'
            $everything | Should -Match 'Instance status'
            $everything | Should -Not -Match 'Pg-Instance-Secret-Seed'
            ($report | ConvertTo-Json -Depth 6) | Should -Not -Match 'Pg-Instance-Secret-Seed'
            ($report | Format-List * | Out-String -Width 400) | Should -Not -Match 'Pg-Instance-Secret-Seed'
        }

        It 'an instance RDS does not know is DatabaseInstanceNotFound for both cmdlets' {
            Test-DatabaseConnectivity -DatabaseInstance 'no-such-pg' @aws -ErrorAction SilentlyContinue -ErrorVariable notFound
            [string]$notFound[0].FullyQualifiedErrorId | Should -Be 'DatabaseInstanceNotFound,DeployOps.Commands.TestDatabaseConnectivityCommand'
            Start-DatabaseInstance -DatabaseInstance 'no-such-pg' @aws -Force -ErrorAction SilentlyContinue -ErrorVariable notStarted
            [string]$notStarted[0].FullyQualifiedErrorId | Should -Be 'DatabaseInstanceNotFound,DeployOps.Commands.StartDatabaseInstanceCommand'
        }

        It 'Start-DatabaseInstance -WhatIf leaves it stopped' {
            $report | Start-DatabaseInstance @aws -WhatIf
            Get-InstanceStatus | Should -Be 'stopped'
        }

        It 'Start-DatabaseInstance -Wait starts it, waits until available, and the diagnosis passes' {
            $change = $report | Start-DatabaseInstance @aws -Wait -Force -PollInterval 1 -Timeout 120
            $change | Should -BeOfType ([DeployOps.Databases.DatabaseInstanceChange])
            $change.DatabaseInstance | Should -Be 'lightwave-dev-pg'
            $change.PreviousStatus | Should -Be 'stopped'
            $change.Status | Should -Be 'available'
            $change.Started | Should -BeTrue
            Get-InstanceStatus | Should -Be 'available'
            $after = Test-DatabaseConnectivity @instance @lightwave @aws -Probe
            [string]$after.Status | Should -Be 'Pass'
            [string]$after.Probe.Result | Should -Be 'Connected'
            [string](Get-Check -Report $after -Name 'Instance status').Outcome | Should -Be 'Pass'
        }

        It 'Start-DatabaseInstance on an available instance warns and starts nothing' {
            $warnings = @()
            $change = Start-DatabaseInstance @instance @aws -Force -WarningVariable warnings -WarningAction SilentlyContinue
            $change.Started | Should -BeFalse
            @($warnings) -join ' ' | Should -Match 'RDS instance lightwave-dev-pg is available already'
        }
    }

    Context 'security group missing the ingress rule for the instance (db-instance-unreachable)' {
        BeforeAll {
            $null = Set-SandboxScenario -Sandbox $sandbox -Name 'db-instance-unreachable'
            $report = Test-DatabaseConnectivity @instance @lightwave @aws -Probe -ProbeTimeout 3
        }

        It 'fails the task-to-database check naming the instance''s group and port, and the probe is refused' {
            $report.FailingCheck | Should -Be 'Task to database'
            $hop = Get-Check -Report $report -Name 'Task to database'
            @($hop.Evidence) -join ' ' | Should -Match 'lightwave-dev-db-sg'
            @($hop.Evidence) -join ' ' | Should -Match '5432'
            $hop.Fix | Should -Match 'Repair-EcsNetworkPath -Cluster lightwave-dev-ecs-cluster -Service lightwave-backend-api-dev -DatabaseSecurityGroupId sg-[0-9a-f]+ -DatabasePort 5432'
            [string](Get-Check -Report $report -Name 'Instance status').Outcome | Should -Be 'Pass'
            [string]$report.Probe.Result | Should -Be 'Refused'
        }
    }
}

Describe 'Database Performance' -Tag Integration {
    Context 'a cluster well within its limits (db-healthy)' {
        BeforeAll {
            $null = Set-SandboxScenario -Sandbox $sandbox -Name 'db-healthy'
            $report = Get-ReportWithLoad
        }

        It 'passes every check and gives capacity, CPU and connections against 90 per ACU' {
            [string]$report.Status | Should -Be 'Pass'
            $report.Load.MaxCapacity | Should -Be 2
            $report.Load.ConnectionLimit | Should -Be 180
            $report.Load.ConnectionsMaximum | Should -Be 14
            $report.Load.CpuMaximum | Should -Be 18
            [string](Get-Check -Report $report -Name 'Load').Outcome | Should -Be 'Pass'
        }

        It 'checks the cluster again from its own report piped back in, though the report names no application (its Cluster and Service are null)' {
            $alone = Test-DatabaseConnectivity @database @aws
            $alone.Service | Should -BeNullOrEmpty
            $again = $alone | Test-DatabaseConnectivity
            $again.Database | Should -Be 'lightwave-dev-db'
            [string]$again.Status | Should -Be 'Pass'
        }

        It 'still refuses an empty -Service typed by the operator' {
            { Test-DatabaseConnectivity @database @aws -Cluster 'lightwave-dev-ecs-cluster' -Service '' -ErrorAction Stop } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,DeployOps.Commands.TestDatabaseConnectivityCommand'
        }
    }

    Context 'a cluster at its maximum capacity (db-overloaded)' {
        BeforeAll {
            $null = Set-SandboxScenario -Sandbox $sandbox -Name 'db-overloaded'
            $report = Get-ReportWithLoad
        }

        It 'fails the load check with the figures and the fix to raise the maximum capacity' {
            $report.FailingCheck | Should -Be 'Load'
            $check = Get-Check -Report $report -Name 'Load'
            @($check.Evidence) -join ' ' | Should -Match 'Connections reached 86 of about 90'
            @($check.Evidence) -join ' ' | Should -Match 'CPU reached 94%'
            @($check.Evidence) -join ' ' | Should -Match 'at its maximum of 1 ACU'
            $check.Fix | Should -Match 'aws rds modify-db-cluster --db-cluster-identifier lightwave-dev-db --serverless-v2-scaling-configuration MinCapacity=0.5,MaxCapacity=2'
        }
    }

    Context 'an RDS instance well within its limits (db-instance-healthy)' {
        BeforeAll {
            $null = Set-SandboxScenario -Sandbox $sandbox -Name 'db-instance-healthy'
            $report = Wait-SandboxCondition -Because 'the instance''s AWS/RDS metrics' -ScriptBlock {
                $again = Test-DatabaseConnectivity -DatabaseInstance 'lightwave-dev-pg' @lightwave @aws
                if ($again.Load) { $again }
            }
        }

        It 'passes every check and holds connections against the default max_connections of db.t3.micro' {
            [string]$report.Status | Should -Be 'Pass'
            $report.Load.ConnectionLimit | Should -Be 112
            $report.Load.ConnectionLimitBasis | Should -Match 'db.t3.micro'
            $report.Load.ConnectionsMaximum | Should -Be 9
            $report.Load.CpuMaximum | Should -Be 12
            $report.Load.CapacityMaximum | Should -BeNullOrEmpty
            [string](Get-Check -Report $report -Name 'Load').Outcome | Should -Be 'Pass'
        }
    }
}

Describe 'NAT Gateway Failures' -Tag Integration {
    BeforeAll {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'nat-failed'
        $vpcId = Get-VpcId
        $report = $vpcId | Test-VpcNetwork @aws
        $path = Test-EcsNetworkPath @lightwave @aws
    }

    It 'names the failed NAT gateway with its failure code and the fix to re-create it' {
        [string]$report.Status | Should -Be 'Fail'
        $nat = Get-Check -Report $report -Name 'NAT gateway nat-*'
        $report.FailingCheck | Should -Be $nat.Name
        $nat.Name | Should -Match '\(lightwave-dev-nat-a\)$'
        @($nat.Evidence) -join ' ' | Should -Match 'is failed: InternalError'
        $nat.Fix | Should -Match 'create-nat-gateway'
        (Invoke-AwsJson -Arguments @('ec2', 'describe-nat-gateways')).NatGateways[0].State | Should -Be 'failed'
    }

    It 'fails the private route table whose 0.0.0.0/0 leads to the failed gateway, and passes the public one' {
        [string](Get-Check -Report $report -Name '*(lightwave-dev-private-rt)').Outcome | Should -Be 'Fail'
        @((Get-Check -Report $report -Name '*(lightwave-dev-private-rt)').Evidence) -join ' ' | Should -Match 'which is failed'
        [string](Get-Check -Report $report -Name '*(lightwave-dev-public-rt)').Outcome | Should -Be 'Pass'
        [string](Get-Check -Report $report -Name 'Internet gateway').Outcome | Should -Be 'Pass'
    }

    It 'agrees with Test-EcsNetworkPath: the tasks cannot reach their image registry' {
        $hop = @($path.Hops) | Where-Object { $_.Name -eq 'Egress to Image registry docker.io' }
        [string]$hop.Outcome | Should -Be 'Fail'
        @($hop.Evidence) -join ' ' | Should -Match 'which is failed'
    }
}

Describe 'VPC Flow Logs Not Capturing' -Tag Integration {
    Context 'a flow log delivering to a log group that does not exist (nat-failed)' {
        BeforeAll {
            $null = Set-SandboxScenario -Sandbox $sandbox -Name 'nat-failed'
            $vpcId = Get-VpcId
            $report = Test-VpcNetwork -VpcId $vpcId @aws
        }

        It 'fails the flow log, naming the missing group, the role and the delivery status' {
            $check = Get-Check -Report $report -Name 'Flow log fl-*'
            [string]$check.Outcome | Should -Be 'Fail'
            @($check.Evidence) | Should -Contain 'Log group /aws/vpc/lightwave-dev does not exist'
            @($check.Evidence) -join ' ' | Should -Match 'role/lightwave-dev-vpc-flow-logs-role'
            $check.Fix | Should -Match 'aws logs create-log-group --log-group-name /aws/vpc/lightwave-dev'
        }

        It 'no longer names the log group once it exists' {
            $null = Invoke-AwsJson -Arguments @('logs', 'create-log-group', '--log-group-name', '/aws/vpc/lightwave-dev')
            $again = Get-Check -Report (Test-VpcNetwork -VpcId $vpcId @aws) -Name 'Flow log fl-*'
            @($again.Evidence) | Should -Not -Contain 'Log group /aws/vpc/lightwave-dev does not exist'
            $again.Fix | Should -Not -Match 'create-log-group'
        }
    }

    Context 'a flow log whose IAM role was deleted (flow-log-role-deleted)' {
        BeforeAll {
            $null = Set-SandboxScenario -Sandbox $sandbox -Name 'flow-log-role-deleted'
            $vpcId = Get-VpcId
            $report = Test-VpcNetwork -VpcId $vpcId @aws
        }

        It 'fails the flow log, saying the role does not exist, with the role to create or the flow log to re-create' {
            $check = Get-Check -Report $report -Name 'Flow log fl-*'
            [string]$check.Outcome | Should -Be 'Fail'
            $report.FailingCheck | Should -Be $check.Name
            @($check.Evidence) -join ' ' | Should -Match 'IAM role lightwave-dev-vpc-flow-logs-role does not exist \(NoSuchEntity\)'
            @($check.Evidence) | Should -Not -Contain 'Log group /aws/vpc/lightwave-dev does not exist'
            $check.Fix | Should -Match 'aws iam create-role --role-name lightwave-dev-vpc-flow-logs-role '
            $check.Fix | Should -Match 'vpc-flow-logs\.amazonaws\.com'
            $check.Fix | Should -Match 'aws ec2 delete-flow-logs --flow-log-ids fl-'
        }

        It 'passes once the role is created as the fix says' {
            $trust = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"vpc-flow-logs.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
            $trustFile = Join-Path -Path $TestDrive -ChildPath 'trust.json'
            Set-Content -LiteralPath $trustFile -Value $trust -Encoding ascii
            $null = Invoke-AwsJson -Arguments @('iam', 'create-role', '--role-name', 'lightwave-dev-vpc-flow-logs-role', '--assume-role-policy-document', ('file://' + $trustFile))
            $again = Test-VpcNetwork -VpcId $vpcId @aws
            $check = Get-Check -Report $again -Name 'Flow log fl-*'
            [string]$check.Outcome | Should -Be 'Pass'
            @($check.Evidence) | Should -Contain 'IAM role lightwave-dev-vpc-flow-logs-role exists'
            $again.Status | Should -Be 'Pass'
        }
    }

    Context 'a VPC without flow logs (healthy)' {
        It 'fails with the command that creates one' {
            $null = Set-SandboxScenario -Sandbox $sandbox -Name 'healthy'
            $check = Get-Check -Report (Test-VpcNetwork -VpcId (Get-VpcId) @aws) -Name 'Flow logs'
            [string]$check.Outcome | Should -Be 'Fail'
            $check.Fix | Should -Match 'aws ec2 create-flow-logs --resource-type VPC'
        }
    }
}
