#Requires -Version 5.1
<#
    Runbook 004 ("Troubleshooting Guide"), its load balancer sections, against the DeployOps sandbox: one Describe per
    section, run as an operator would run it. Users' requests come from the scenarios' traffic (and from this suite).

    ALB Returns 502/503 Errors   alb-502                502 TargetClosedConnection (a reset), 503 NoRegisteredTargets
                                                        (a path rule to an empty group); Get-DeploymentHealth agrees
                                 alb-504-idle-timeout   504 SlowerThanIdleTimeout; Set-LoadBalancerAttribute -IdleTimeout 120
                                                        (-WhatIf changes nothing), then the slow path answers 200
    ALB Not Receiving Traffic    alb-no-traffic         private subnets, no inbound 80: users time out; the aws CLI fixes
                                                        both and users get answers; -DnsServer asks the sandbox's resolver
                                                        (it knows the name; then it does not: NameDoesNotResolve)

    moto's state is read back with the aws CLI (an independent oracle). Needs the built module and sandbox, moto_server
    and aws on PATH.
#>

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath '../DeployOps.psd1') -Force -ErrorAction Stop
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'Sandbox.psm1') -Force -ErrorAction Stop

    $suite = Start-SandboxSuite -Name 'runbook004-lb' -Scenario 'healthy' -TimeoutSec 300
    $sandbox = $suite.Sandbox

    $lightwave = @{ Cluster = 'lightwave-dev-ecs-cluster'; Service = 'lightwave-backend-api-dev' }
    $aws = $suite.Aws
    $alb = 'lightwave-dev-alb'
    # The task definition's SECRET_KEY value: it must never appear in any stream.
    $secretValue = 'sandbox-placeholder-not-a-secret'

    # Loads a scenario and reads the load balancer until its report names the cause (users' requests need a moment to count).
    function Get-SettledLoadBalancerHealth {
        param([string] $Scenario, [string] $Cause)
        $null = Set-SandboxScenario -Sandbox $sandbox -Name $Scenario
        Wait-SandboxCondition -Because "Get-LoadBalancerHealth to name $Cause in $Scenario" -TimeoutSec 120 -ScriptBlock {
            $report = Get-LoadBalancerHealth -LoadBalancer $alb -Since 5m @aws
            if (@($report.Causes | Where-Object { $_.Cause -eq $Cause }).Count -gt 0) { $report }
        }
    }

    function Get-Cause {
        param($Report, [string] $Cause)
        @($Report.Causes) | Where-Object { $_.Cause -eq $Cause } | Select-Object -First 1
    }

    function Get-Check {
        param($Report, [string] $Name)
        @($Report.Reachability) | Where-Object { $_.Name -eq $Name } | Select-Object -First 1
    }

    # The status a user gets from the ALB for a path (0 when no answer came in time).
    function Get-UserStatus {
        param([string] $Path, [int] $TimeoutSec = 10)
        $client = [System.Net.Http.HttpClient]::new()
        $client.Timeout = [TimeSpan]::FromSeconds($TimeoutSec)
        try {
            $response = $client.GetAsync((Get-SandboxLoadBalancerUrl -Sandbox $sandbox) + $Path).GetAwaiter().GetResult()
            [int]$response.StatusCode
        }
        catch {
            0
        }
        finally {
            $client.Dispose()
        }
    }

    # An attribute of the ALB as ELBv2 holds it, through the aws CLI.
    function Get-IdleTimeoutFromAws {
        $arn = & aws elbv2 describe-load-balancers --names $alb --region us-east-1 --endpoint-url $sandbox.Url --query 'LoadBalancers[0].LoadBalancerArn' --output text
        $value = & aws elbv2 describe-load-balancer-attributes --load-balancer-arn $arn --region us-east-1 --endpoint-url $sandbox.Url `
            --query 'Attributes[?Key==`idle_timeout.timeout_seconds`].Value' --output text
        if ($LASTEXITCODE -ne 0) {
            throw 'aws elbv2 describe-load-balancer-attributes failed'
        }

        [int]$value
    }
}

AfterAll {
    Stop-SandboxSuite -Suite $suite
    Remove-Module -Name 'DeployOps', 'Sandbox' -Force -ErrorAction SilentlyContinue
}

Describe 'Get-LoadBalancerHealth and Set-LoadBalancerAttribute: parameters' -Tag Unit {
    It 'Get-LoadBalancerHealth takes a name or ARN, or a cluster and services, and writes a LoadBalancerHealthReport' {
        $command = Get-Command -Name Get-LoadBalancerHealth
        $command.OutputType.Type | Should -Contain ([DeployOps.LoadBalancers.LoadBalancerHealthReport])
        @($command.ParameterSets.Name) | Should -Be @('LoadBalancer', 'Service')
        $command.Parameters['LoadBalancer'].Aliases | Should -Contain 'LoadBalancerArn'
        $command.Parameters['Since'].ParameterType | Should -Be ([Nullable[TimeSpan]])
        $command.Parameters['DnsServer'].ParameterType | Should -Be ([string])
    }

    It 'Set-LoadBalancerAttribute supports ShouldProcess and binds a report by property name' {
        $command = Get-Command -Name Set-LoadBalancerAttribute
        $command.Parameters.ContainsKey('WhatIf') | Should -BeTrue
        $command.Parameters['LoadBalancer'].Attributes.ValueFromPipelineByPropertyName | Should -Contain $true
        $command.Parameters['IdleTimeout'].ParameterType | Should -Be ([int])
        $command.OutputType.Type | Should -Contain ([DeployOps.LoadBalancers.LoadBalancerAttributeChange])
    }
}

Describe 'ALB Returns 502/503 Errors' -Tag Integration {
    Context 'a healthy load balancer' {
        BeforeAll {
            $null = Set-SandboxScenario -Sandbox $sandbox -Name 'healthy'
            $report = Wait-SandboxCondition -Because 'the healthy ALB to report Healthy' -TimeoutSec 90 -ScriptBlock {
                $r = Get-LoadBalancerHealth $alb @aws
                if ($r.Status -eq 'Healthy') { $r }
            }
        }

        It 'lists the route, its target health and the idle timeout, with no cause' {
            $report | Should -BeOfType ([DeployOps.LoadBalancers.LoadBalancerHealthReport])
            $report.Complete | Should -BeTrue
            @($report.Causes) | Should -HaveCount 0
            $report.IdleTimeoutSeconds | Should -Be 60
            $route = @($report.Routes) | Select-Object -First 1
            $route.TargetGroupName | Should -Be 'lightwave-dev-backend-tg'
            $route.Rule | Should -Be 'default'
            $route.HealthyCount | Should -Be 2
        }
    }

    Context 'alb-502: a route that resets connections and a path rule to an empty group' {
        BeforeAll {
            $report = Get-SettledLoadBalancerHealth -Scenario 'alb-502' -Cause 'TargetClosedConnection'
        }

        It 'names 502 TargetClosedConnection from HTTPCode_ELB_502_Count, with the keep-alive fix' {
            $cause = Get-Cause -Report $report -Cause 'TargetClosedConnection'
            $cause.StatusCode | Should -Be 502
            @($cause.Evidence) -join ' ' | Should -Match 'HTTPCode_ELB_502_Count \d+'
            @($cause.Evidence) -join ' ' | Should -Match 'HTTPCode_Target_5XX_Count no datapoint'
            $cause.Fix | Should -Match 'keep-alive'
            $report.ElbHttp502Count | Should -BeGreaterThan 0
        }

        It 'names 503 NoRegisteredTargets for the group the /api/v1/admin/* rule forwards to' {
            $cause = Get-Cause -Report $report -Cause 'NoRegisteredTargets'
            $cause.StatusCode | Should -Be 503
            $cause.Resource | Should -Be 'lightwave-dev-admin-tg'
            @($cause.Evidence) -join ' ' | Should -Match 'priority 10 \(path /api/v1/admin/\*\)'
            $rule = @($report.Routes) | Where-Object { $_.TargetGroupName -eq 'lightwave-dev-admin-tg' }
            $rule.Rule | Should -Be 'priority 10 (path /api/v1/admin/*)'
            $rule.RegisteredCount | Should -Be 0
        }

        It 'matches what users get: 502 on the resetting path, 503 on the admin path, 200 elsewhere' {
            Get-UserStatus -Path '/api/v1/orders/' | Should -Be 502
            Get-UserStatus -Path '/api/v1/admin/users' | Should -Be 503
            Get-UserStatus -Path '/api/v1/version/' | Should -Be 200
        }

        It 'has Get-DeploymentHealth name the load-balancer cause for the service' {
            $health = Wait-SandboxCondition -Because 'Get-DeploymentHealth to name the load balancer' -TimeoutSec 60 -ScriptBlock {
                $read = Get-DeploymentHealth @lightwave @aws
                if ([string]$read.Category -eq 'LoadBalancer') { $read }
            }
            [string]$health.Status | Should -Be 'Error'
            @($health.Evidence | Where-Object { [string]$_.Source -eq 'LoadBalancer' -and $_.Detail -like '502 TargetClosedConnection: HTTPCode_ELB_502_Count*' }) | Should -HaveCount 1
            $health.RecommendedAction | Should -Match 'Get-LoadBalancerHealth'
        }

        It 'finds the load balancer in front of the service' {
            $byService = Get-LoadBalancerHealth @lightwave @aws -Since 5m
            $byService.LoadBalancerName | Should -Be $alb
            $byService.Service | Should -Be $lightwave.Service
        }

        It 'writes no secret value to any stream' {
            $all = & { Get-LoadBalancerHealth $alb @aws -Verbose; Get-DeploymentHealth @lightwave @aws -Verbose } *>&1 | Out-String -Width 400
            $all | Should -Not -Match ([regex]::Escape($secretValue))
        }
    }

    Context 'alb-504-idle-timeout: a route slower than the idle timeout' {
        BeforeAll {
            $report = Get-SettledLoadBalancerHealth -Scenario 'alb-504-idle-timeout' -Cause 'SlowerThanIdleTimeout'
        }

        It 'names 504 SlowerThanIdleTimeout with the idle timeout and the runbook fix' {
            $cause = Get-Cause -Report $report -Cause 'SlowerThanIdleTimeout'
            $cause.StatusCode | Should -Be 504
            @($cause.Evidence) -join ' ' | Should -Match 'Idle timeout 60 s'
            $cause.Fix | Should -Match "Set-LoadBalancerAttribute -LoadBalancer $alb -IdleTimeout 120"
            $report.IdleTimeoutSeconds | Should -Be 60
            Get-UserStatus -Path '/api/v1/reports/' | Should -Be 504
        }

        It 'changes nothing with -WhatIf' {
            $result = Set-LoadBalancerAttribute -LoadBalancer $alb -IdleTimeout 120 @aws -WhatIf
            $result | Should -BeNullOrEmpty
            Get-IdleTimeoutFromAws | Should -Be 60
        }

        It 'raises the idle timeout from the report, and users get 200 on the slow path' {
            $change = $report | Set-LoadBalancerAttribute -IdleTimeout 120 -Force
            $change | Should -BeOfType ([DeployOps.LoadBalancers.LoadBalancerAttributeChange])
            $change.OldValue | Should -Be '60'
            $change.NewValue | Should -Be '120'
            $change.Changed | Should -BeTrue
            Get-IdleTimeoutFromAws | Should -Be 120
            Get-UserStatus -Path '/api/v1/reports/' | Should -Be 200
        }

        It 'reports Healthy once the users after the fix are counted' {
            $after = Wait-SandboxCondition -Because 'the ALB to count only answers after the fix' -TimeoutSec 90 -ScriptBlock {
                $r = Get-LoadBalancerHealth $alb @aws -Since 00:00:10
                if ($r.Status -eq 'Healthy' -and $r.RequestCount -gt 0) { $r }
            }

            $after.IdleTimeoutSeconds | Should -Be 120
            $after.ElbHttp504Count | Should -BeNullOrEmpty
            $after.TargetResponseTimeMaximum | Should -BeGreaterThan 60
        }
    }
}

Describe 'ALB Not Receiving Traffic' -Tag Integration {
    BeforeAll {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'alb-no-traffic'
        $report = Wait-SandboxCondition -Because 'the ALB in alb-no-traffic to be read' -TimeoutSec 60 -ScriptBlock {
            Get-LoadBalancerHealth @lightwave @aws -Since 5m
        }
    }

    It 'finds internet-facing subnets without a route to the internet gateway, and names the public subnets' {
        (Get-Check -Report $report -Name 'Scheme').Outcome | Should -Be 'Pass'
        (Get-Check -Report $report -Name 'Internet gateway route').Outcome | Should -Be 'Fail'
        $cause = Get-Cause -Report $report -Cause 'NoInternetGatewayRoute'
        @($cause.Evidence) -join ' ' | Should -Match 'lightwave-dev-private-a'
        $cause.Fix | Should -Match 'set-subnets'
        $cause.Fix | Should -Match 'lightwave-dev-public-a'
    }

    It 'finds no inbound rule on the listener port 80' {
        (Get-Check -Report $report -Name 'Inbound on listener port 80').Outcome | Should -Be 'Fail'
        $cause = Get-Cause -Report $report -Cause 'ListenerPortClosed'
        $cause.Fix | Should -Match 'authorize-security-group-ingress .* --port 80 --cidr 0\.0\.0\.0/0'
        [string]$report.Status | Should -Be 'Error'
    }

    It 'sees no request arrive, as users time out' {
        (Get-Check -Report $report -Name 'Traffic').Outcome | Should -Be 'Warning'
        $report.RequestCount | Should -BeNullOrEmpty
        Get-UserStatus -Path '/api/v1/version/' -TimeoutSec 3 | Should -Be 0
    }

    It 'passes both checks once the aws CLI applies the fixes, and users get answers' {
        $cause = Get-Cause -Report $report -Cause 'ListenerPortClosed'
        $group = ($cause.Fix -split ' ')[4]
        & aws ec2 authorize-security-group-ingress --group-id $group --protocol tcp --port 80 --cidr 0.0.0.0/0 --region us-east-1 --endpoint-url $sandbox.Url | Out-Null
        $LASTEXITCODE | Should -Be 0
        $subnets = @(((Get-Cause -Report $report -Cause 'NoInternetGatewayRoute').Fix -split '--subnets ')[1] -split ' ' | Where-Object { $_ -like 'subnet-*' })
        & aws elbv2 set-subnets --load-balancer-arn $report.LoadBalancerArn --subnets $subnets --region us-east-1 --endpoint-url $sandbox.Url | Out-Null
        $LASTEXITCODE | Should -Be 0

        $after = Get-LoadBalancerHealth $alb @aws -Since 5m
        (Get-Check -Report $after -Name 'Internet gateway route').Outcome | Should -Be 'Pass'
        (Get-Check -Report $after -Name 'Inbound on listener port 80').Outcome | Should -Be 'Pass'
        Wait-SandboxCondition -Because 'users to get answers from the ALB' -TimeoutSec 30 -ScriptBlock { (Get-UserStatus -Path '/api/v1/version/' -TimeoutSec 3) -eq 200 } |
            Should -BeTrue
    }

    Context 'the load balancer''s name at a DNS resolver (-DnsServer)' {
        BeforeAll {
            $resolver = Get-SandboxDnsServer -Sandbox $sandbox
            $dnsName = (& aws elbv2 describe-load-balancers --names $alb --query 'LoadBalancers[0].DNSName' --output text --region us-east-1 --endpoint-url $sandbox.Url | Out-String).Trim()
        }

        It 'without -DnsServer skips DNS against an endpoint override, naming -DnsServer' {
            $check = Get-Check -Report (Get-LoadBalancerHealth $alb @aws -Since 5m) -Name 'DNS'
            $check.Outcome | Should -Be 'Skipped'
            $check.Message | Should -Match '-DnsServer'
        }

        It 'passes DNS when the resolver knows the name, naming the address and the resolver' {
            $report = Get-LoadBalancerHealth $alb @aws -Since 5m -DnsServer $resolver
            $check = Get-Check -Report $report -Name 'DNS'
            $check.Outcome | Should -Be 'Pass'
            $check.Message | Should -Be "$dnsName resolves to 127.0.0.1 at $resolver"
            Get-Cause -Report $report -Cause 'NameDoesNotResolve' | Should -BeNullOrEmpty
        }

        It 'names NameDoesNotResolve with its fix when the resolver does not know the name' {
            $null = Get-SandboxDnsServer -Sandbox $sandbox -Unknown $alb
            $report = Get-LoadBalancerHealth $alb @aws -Since 5m -DnsServer $resolver
            (Get-Check -Report $report -Name 'DNS').Outcome | Should -Be 'Fail'
            $cause = Get-Cause -Report $report -Cause 'NameDoesNotResolve'
            $cause.Resource | Should -Be $dnsName
            @($cause.Evidence) | Should -Be @("$resolver says $dnsName does not exist (NXDOMAIN)")
            $cause.Fix | Should -Match ([regex]::Escape("aws elbv2 describe-load-balancers --names $alb"))
            $cause.Fix | Should -Match 'nslookup -port=\d+ '
            [string]$report.Status | Should -Be 'Error'
        }

        It 'rejects a -DnsServer that is no address, naming the value' {
            { Get-LoadBalancerHealth $alb @aws -DnsServer 'dns.google' -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidDnsServer,DeployOps.Commands.GetLoadBalancerHealthCommand'
        }
    }
}
