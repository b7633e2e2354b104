#Requires -Version 5.1
<#
    Runbook 004 ("Troubleshooting Guide", its ECS and network sections) against the DeployOps sandbox: one Describe per
    step that DeployOps answers statically from configuration, with no probe resources, run as an operator would run it.

    ECS tasks failing to start: image pull error      private-no-egress   Test-EcsNetworkPath fails the image registry hop
    ECS tasks failing to start: subnet IP exhaustion  subnet-exhausted    Test-EcsNetworkPath fails the Subnet IPs hop
    ALB returns 502/503: security group rules         network-timeout     Test-EcsNetworkPath, Get-DeploymentHealth (category C
                                                                          names the hop), Repair-EcsNetworkPath adds the rule
    Database connectivity: security group rules       healthy             the task-to-database hop, Repair-EcsNetworkPath

    Security groups are read back with the aws CLI (an independent oracle of moto's state) to show what changed.
    Needs the built module and sandbox, moto_server and aws on PATH.
#>

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath '../DeployOps.psd1') -Force -ErrorAction Stop
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'Sandbox.psm1') -Force -ErrorAction Stop

    $suite = Start-SandboxSuite -Name 'runbook004' -Scenario 'healthy' -TimeoutSec 300
    $sandbox = $suite.Sandbox

    $lightwave = @{ Cluster = 'lightwave-dev-ecs-cluster'; Service = 'lightwave-backend-api-dev' }
    $aws = $suite.Aws

    function Get-Hop {
        param($Report, [string] $Name)
        @($Report.Hops) | Where-Object { $_.Name -eq $Name } | Select-Object -First 1
    }

    # A security group as EC2 holds it, through the aws CLI.
    function Get-SecurityGroup {
        param([string] $Name)
        $json = & aws ec2 describe-security-groups --region us-east-1 --endpoint-url $sandbox.Url --filters "Name=group-name,Values=$Name" --output json
        if ($LASTEXITCODE -ne 0) {
            throw "aws ec2 describe-security-groups failed for $Name"
        }

        @(($json | Out-String | ConvertFrom-Json).SecurityGroups) | Select-Object -First 1
    }

    # The inbound rules of a group as 'port<-sg-source' strings.
    function Get-IngressRule {
        param([string] $Name)
        foreach ($permission in @((Get-SecurityGroup -Name $Name).IpPermissions)) {
            foreach ($pair in @($permission.UserIdGroupPairs)) {
                "$($permission.FromPort)<-$($pair.GroupId)"
            }
        }
    }
}

AfterAll {
    Stop-SandboxSuite -Suite $suite
    Remove-Module -Name 'DeployOps', 'Sandbox' -Force -ErrorAction SilentlyContinue
}

Describe 'ECS tasks failing to start: image pull error' -Tag Integration {
    Context 'a healthy service routes its private subnets through the NAT gateway' {
        BeforeAll {
            $null = Set-SandboxScenario -Sandbox $sandbox -Name 'healthy'
            $report = Test-EcsNetworkPath @lightwave @aws
        }

        It 'passes every hop, each with evidence' {
            $report | Should -BeOfType ([DeployOps.Networking.NetworkPathReport])
            [string]$report.Status | Should -Be 'Pass'
            $report.FailingHop | Should -BeNullOrEmpty
            @($report.Hops | Where-Object { [string]$_.Outcome -in @('Fail', 'Unknown') }) | Should -HaveCount 0
            foreach ($hop in @($report.Hops)) {
                @($hop.Evidence) | Should -Not -BeNullOrEmpty -Because $hop.Name
            }
        }

        It 'shows the egress to the image registry and CloudWatch Logs going through the NAT gateway' {
            foreach ($name in @('Egress to Image registry docker.io', 'Egress to CloudWatch Logs')) {
                $hop = Get-Hop -Report $report -Name $name
                [string]$hop.Outcome | Should -Be 'Pass' -Because $name
                $hop.Route | Should -Match 'NAT gateway nat-'
            }
        }
    }

    Context 'the private route table lost its default route (private-no-egress)' {
        BeforeAll {
            $null = Set-SandboxScenario -Sandbox $sandbox -Name 'private-no-egress'
            $report = Test-EcsNetworkPath @lightwave @aws
        }

        It 'fails the image registry hop first, naming the route table and the route that fixes it' {
            [string]$report.Status | Should -Be 'Fail'
            $report.FailingHop | Should -Be 'Egress to Image registry docker.io'
            $hop = Get-Hop -Report $report -Name 'Egress to Image registry docker.io'
            [string]$hop.Outcome | Should -Be 'Fail'
            (@($hop.Evidence) -join "`n") | Should -Match 'lightwave-dev-private-rt\) of subnet .* has no route to 0\.0\.0\.0/0'
            $hop.Fix | Should -Match '^aws ec2 create-route --route-table-id rtb-\w+ --destination-cidr-block 0\.0\.0\.0/0 --nat-gateway-id nat-\w+'
        }

        It 'offers a VPC endpoint as the other fix for an AWS service (CloudWatch Logs)' {
            $hop = Get-Hop -Report $report -Name 'Egress to CloudWatch Logs'
            [string]$hop.Outcome | Should -Be 'Fail'
            $hop.Fix | Should -Match 'create-vpc-endpoint .*--service-name com\.amazonaws\.us-east-1\.logs'
        }

        It 'agrees with what the world does: the tasks stop with CannotPullContainerError' {
            $stopped = Wait-SandboxCondition -Because 'a task to stop on the image pull' -ScriptBlock {
                $service = @((Get-SandboxState -Sandbox $sandbox).services) | Where-Object { $_.service -eq $lightwave.Service }
                @($service.tasks) | Where-Object { $_.stoppedReason -match 'CannotPullContainerError' } | Select-Object -First 1
            }

            $stopped.stoppedReason | Should -Match 'i/o timeout'
        }

        It 'has nothing for Repair-EcsNetworkPath to add (a route is not an inbound rule) and says so' {
            $output = @(Repair-EcsNetworkPath @lightwave @aws -Force -WarningVariable warnings -WarningAction SilentlyContinue)

            $output | Should -HaveCount 0
            (@($warnings) -join "`n") | Should -Match "Nothing to repair.*'Egress to Image registry docker.io' fails"
        }
    }
}

Describe 'ECS tasks failing to start: subnet IP exhaustion' -Tag Integration {
    BeforeAll {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'subnet-exhausted'
        $report = Test-EcsNetworkPath @lightwave @aws
    }

    It 'fails the Subnet IPs hop with each subnet''s free addresses against what a deployment needs' {
        $report.FailingHop | Should -Be 'Subnet IPs'
        $hop = Get-Hop -Report $report -Name 'Subnet IPs'
        [string]$hop.Outcome | Should -Be 'Fail'
        $evidence = @($hop.Evidence) -join "`n"
        $evidence | Should -Match 'lightwave-dev-private-a\) \(us-east-1a, 10\.20\.10\.0/28\): 0 free IP address'
        $evidence | Should -Match 'lightwave-dev-private-b\) \(us-east-1b, 10\.20\.11\.0/28\): 0 free IP address'
        $evidence | Should -Match 'desired 2 x maximumPercent 200%'
        $hop.Fix | Should -Not -BeNullOrEmpty
    }

    It 'passes the hops that are fine: the old tasks still serve through the ALB' {
        foreach ($name in @('ALB to task', 'Target group port', 'Targets registered', 'Egress to Image registry docker.io')) {
            [string](Get-Hop -Report $report -Name $name).Outcome | Should -Be 'Pass' -Because $name
        }
    }

    It 'agrees with the subnets EC2 reports (aws ec2 describe-subnets)' {
        $json = & aws ec2 describe-subnets --region us-east-1 --endpoint-url $sandbox.Url --filters 'Name=tag:Name,Values=lightwave-dev-private-a' --output json
        $subnet = @(($json | Out-String | ConvertFrom-Json).Subnets)[0]

        $subnet.AvailableIpAddressCount | Should -Be 0
    }
}

Describe 'ALB returns 502/503: security group rules' -Tag Integration {
    BeforeAll {
        $report = Get-SettledDeploymentHealth -Sandbox $sandbox -Scenario 'network-timeout' -Category 'NetworkInfrastructure' -EvidenceSource 'NetworkPath'
        $albGroup = Get-SecurityGroup -Name 'lightwave-dev-alb-sg'
        $backendGroup = Get-SecurityGroup -Name 'lightwave-dev-backend-sg'
    }

    It 'has Get-DeploymentHealth name the failing hop for category C' {
        $path = @($report.Evidence) | Where-Object { [string]$_.Source -eq 'NetworkPath' } | Select-Object -First 1
        $path.Detail | Should -Match '^ALB to task fails'
        $report.RecommendedAction | Should -Match "hop 'ALB to task'"
        $report.RecommendedAction | Should -Match 'Repair-EcsNetworkPath'
    }

    It 'fails the ALB-to-task hop with the one rule that is missing' {
        $path = Test-EcsNetworkPath @lightwave @aws

        $path.FailingHop | Should -Be 'ALB to task'
        $hop = Get-Hop -Report $path -Name 'ALB to task'
        $hop.MissingRule.GroupId | Should -Be $backendGroup.GroupId
        $hop.MissingRule.SourceGroupId | Should -Be $albGroup.GroupId
        $hop.MissingRule.Port | Should -Be 8000
        $hop.Fix | Should -Match "authorize-security-group-ingress --group-id $($backendGroup.GroupId) .*FromPort=8000,ToPort=8000.*GroupId=$($albGroup.GroupId)"
    }

    It 'changes nothing with -WhatIf' {
        $before = @(Get-IngressRule -Name 'lightwave-dev-backend-sg')

        $output = @(Test-EcsNetworkPath @lightwave @aws | Repair-EcsNetworkPath @aws -WhatIf)

        $output | Should -HaveCount 0
        @(Get-IngressRule -Name 'lightwave-dev-backend-sg') | Should -Be $before
        "8000<-$($albGroup.GroupId)" | Should -Not -BeIn $before
    }

    It 'adds exactly that rule from the piped report, and the path passes again' {
        $before = @(Get-IngressRule -Name 'lightwave-dev-backend-sg')

        $change = @(Test-EcsNetworkPath @lightwave @aws | Repair-EcsNetworkPath @aws -Confirm:$false)

        $change | Should -HaveCount 1
        $change[0] | Should -BeOfType ([DeployOps.Networking.SecurityGroupRuleChange])
        $change[0].Added | Should -BeTrue
        $change[0].Hop | Should -Be 'ALB to task'
        $after = @(Get-IngressRule -Name 'lightwave-dev-backend-sg')
        @(Compare-Object -ReferenceObject $before -DifferenceObject $after | ForEach-Object { $_.InputObject }) | Should -Be @("8000<-$($albGroup.GroupId)")
        [string](Test-EcsNetworkPath @lightwave @aws).Status | Should -Be 'Pass'
    }
}

Describe 'Database connectivity: security group rules' -Tag Integration {
    BeforeAll {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'healthy'
        $databaseGroup = Get-SecurityGroup -Name 'lightwave-dev-db-sg'
        $backendGroup = Get-SecurityGroup -Name 'lightwave-dev-backend-sg'
    }

    It 'passes the task-to-database hop when the database group admits the tasks on the engine port' {
        $report = Test-EcsNetworkPath @lightwave @aws -DatabaseSecurityGroupId $databaseGroup.GroupId -DatabasePort 5432

        $hop = Get-Hop -Report $report -Name 'Task to database'
        [string]$hop.Outcome | Should -Be 'Pass'
        (@($hop.Evidence) -join "`n") | Should -Match "admits the tasks' $($backendGroup.GroupId)"
    }

    It 'takes the database from the environment''s settings' {
        $settings = @{
            environments = @{
                dev = @{
                    region      = 'us-east-1'
                    endpointUrl = $sandbox.Url
                    cluster     = $lightwave.Cluster
                    services    = @{ 'lightwave-backend-api-dev' = @{ healthCheckPath = '/api/v1/health/health/' } }
                    database    = @{ name = 'lightwave-dev-db'; securityGroupId = $databaseGroup.GroupId; port = 5432 }
                }
            }
        }
        $config = Join-Path -Path $TestDrive -ChildPath 'deployops.json'
        [System.IO.File]::WriteAllText($config, (ConvertTo-Json -InputObject $settings -Depth 6))

        $report = Test-EcsNetworkPath -Environment 'dev' -ConfigPath $config

        $hop = Get-Hop -Report $report -Name 'Task to database'
        [string]$hop.Outcome | Should -Be 'Pass'
        (@($hop.Evidence) -join "`n") | Should -Match 'lightwave-dev-db'
    }

    It 'fails the hop on a port the database group does not open, and Repair-EcsNetworkPath adds only that rule' {
        $report = Test-EcsNetworkPath @lightwave @aws -DatabaseSecurityGroupId $databaseGroup.GroupId -DatabasePort 3306
        $hop = Get-Hop -Report $report -Name 'Task to database'
        [string]$hop.Outcome | Should -Be 'Fail'
        $hop.MissingRule.GroupId | Should -Be $databaseGroup.GroupId
        $hop.MissingRule.SourceGroupId | Should -Be $backendGroup.GroupId
        $before = @(Get-IngressRule -Name 'lightwave-dev-db-sg')

        $change = @(Repair-EcsNetworkPath @lightwave @aws -DatabaseSecurityGroupId $databaseGroup.GroupId -DatabasePort 3306 -Force)

        $change | Should -HaveCount 1
        $change[0].Port | Should -Be 3306
        $after = @(Get-IngressRule -Name 'lightwave-dev-db-sg')
        @(Compare-Object -ReferenceObject $before -DifferenceObject $after | ForEach-Object { $_.InputObject }) | Should -Be @("3306<-$($backendGroup.GroupId)")
        [string](Get-Hop -Report (Test-EcsNetworkPath @lightwave @aws -DatabaseSecurityGroupId $databaseGroup.GroupId -DatabasePort 3306) -Name 'Task to database').Outcome | Should -Be 'Pass'
    }
}
