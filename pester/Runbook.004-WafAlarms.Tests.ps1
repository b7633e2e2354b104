#Requires -Version 5.1
<#
    Runbook 004 ("Troubleshooting Guide"), its WAF and alarm sections, against the DeployOps sandbox: one Describe per
    section of the guide, run as an operator would run it.

    WAF Blocking Legitimate Traffic   waf-rate-limit      a client past the rate-based rule's limit gets 403;
                                                          Get-WafBlockedRequest names the rule, its limit, the fix;
                                                          the runbook's fix (a higher limit) lets the client in
    Missing Alarm Notifications       alarm-unconfirmed   Test-AlarmNotification: subscriptions pending confirmation,
                                                          actions disabled, a topic without subscription; confirmed,
                                                          the alarm passes
    False Positive Alarms             alarm-unconfirmed   the CPU alarm's flaps from its history, with the fix

    SNS and WAF are read back with the aws CLI (an independent oracle of the sandbox's state). Both cmdlets only read.
    Needs the built module and sandbox, moto_server and aws on PATH.
#>

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath '../DeployOps.psd1') -Force -ErrorAction Stop
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'Sandbox.psm1') -Force -ErrorAction Stop

    $suite = Start-SandboxSuite -Name 'runbook004waf' -Scenario 'healthy' -TimeoutSec 300
    $sandbox = $suite.Sandbox
    $awsFolder = $suite.Folder
    $aws = $suite.Aws
    $lightwave = @{ Cluster = 'lightwave-dev-ecs-cluster'; Service = 'lightwave-backend-api-dev' }
    $alarmsTopic = 'arn:aws:sns:us-east-1:123456789012:lightwave-dev-alarms'
    $webhookToken = 'tok_SEEDED_ALARM_HOOK_5f4e3d2c'

    # The aws CLI against the sandbox, its JSON answer as objects.
    function Invoke-AwsCli {
        $json = & aws @args --region us-east-1 --endpoint-url $sandbox.Url --output json
        if ($LASTEXITCODE -ne 0) {
            throw "aws $($args -join ' ') failed"
        }

        if ($json) {
            $json | Out-String | ConvertFrom-Json
        }
    }

    function Get-Finding {
        param($Report, [string] $Kind)
        @($Report.Findings) | Where-Object { $_.Kind -eq $Kind } | Select-Object -First 1
    }
}

AfterAll {
    Stop-SandboxSuite -Suite $suite
    Remove-Module -Name 'DeployOps', 'Sandbox' -Force -ErrorAction SilentlyContinue
}

Describe 'Parameter contract' -Tag Unit {
    It '<Name> only reads: no -WhatIf, a report type, help with examples' -ForEach @(
        @{ Name = 'Get-WafBlockedRequest'; Output = 'DeployOps.Waf.WafBlockedRequestReport' }
        @{ Name = 'Test-AlarmNotification'; Output = 'DeployOps.Alarms.AlarmNotificationReport' }
    ) {
        $command = Get-Command -Name $Name -Module DeployOps
        $command.Parameters.ContainsKey('WhatIf') | Should -BeFalse
        @($command.OutputType.Name) | Should -Contain $Output
        @((Get-Help -Name $Name -Full).examples.example).Count | Should -BeGreaterOrEqual 2
    }

    It 'Get-WafBlockedRequest takes the load balancer by position and from the pipeline by property name' {
        $parameter = (Get-Command -Name Get-WafBlockedRequest).Parameters['LoadBalancer']
        $parameter.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] })[0].ValueFromPipelineByPropertyName | Should -BeTrue
        $parameter.Aliases | Should -Contain 'LoadBalancerName'
    }
}

Describe 'WAF Blocking Legitimate Traffic' -Tag Integration {
    Context 'a rate-based rule blocks a busy client (waf-rate-limit)' {
        BeforeAll {
            $null = Set-SandboxScenario -Sandbox $sandbox -Name 'waf-rate-limit'
            $busy = @(Send-SandboxLoadBalancerRequest -Sandbox $sandbox -Count 25 -ClientIp '203.0.113.7')
            $quiet = @(Send-SandboxLoadBalancerRequest -Sandbox $sandbox -Count 2 -ClientIp '198.51.100.2')
            $report = Wait-SandboxCondition -Because 'BlockedRequests in CloudWatch' -TimeoutSec 90 -ScriptBlock {
                $read = Get-WafBlockedRequest -LoadBalancer 'lightwave-dev-alb' -ClientIp '203.0.113.7' @aws
                if ($read.BlockedRequests -ge 5) {
                    $read
                }
            }
        }

        It 'answers 403 Forbidden past the limit, to that client only' {
            $busy[0..19] | Should -Not -Contain 403
            $busy[20..24] | ForEach-Object { $_ | Should -Be 403 }
            $quiet | ForEach-Object { $_ | Should -Be 200 }
        }

        It 'names the rate-based rule responsible for the 403, with the evidence and the fix' {
            $report | Should -BeOfType ([DeployOps.Waf.WafBlockedRequestReport])
            $report.Status | Should -Be 'Blocking'
            $report.ResponsibleRule | Should -Be 'lightwave-dev-rate-limit'
            $report.Complete | Should -BeTrue
            $report.BlockedRequests | Should -Be 5
            $report.Cause | Should -Match '5 sampled requests from 203\.0\.113\.7 blocked by rate-based rule lightwave-dev-rate-limit \(limit 20 per 10 min'
            $report.Fix | Should -Match '^Raise the limit of rate-based rule lightwave-dev-rate-limit'
            @($report.Samples).Count | Should -Be 5
            @($report.Samples | Where-Object { $_.ClientIp -ne '203.0.113.7' -or $_.Uri -ne '/api/v1/health/health/' }) | Should -HaveCount 0
        }

        It 'agrees with the runbook''s get-sampled-requests' {
            $acl = @((Invoke-AwsCli wafv2 list-web-acls --scope REGIONAL).WebACLs)[0]
            $now = [DateTimeOffset]::UtcNow
            $window = 'StartTime={0},EndTime={1}' -f $now.AddHours(-1).ToUnixTimeSeconds(), $now.AddMinutes(1).ToUnixTimeSeconds()
            $sampled = Invoke-AwsCli wafv2 get-sampled-requests --web-acl-arn $acl.ARN --rule-metric-name lightwave-dev-rate-limit --scope REGIONAL --time-window $window --max-items 20
            @($sampled.SampledRequests).Count | Should -Be @($report.Samples).Count
            @($sampled.SampledRequests | ForEach-Object { $_.Request.ClientIP } | Sort-Object -Unique) | Should -Be @('203.0.113.7')
        }

        It 'says WAF did not block a client that reports a 403 it did not cause' {
            $other = Get-WafBlockedRequest -LoadBalancer 'lightwave-dev-alb' -ClientIp '198.51.100.2' @aws
            $other.Status | Should -Be 'NotBlocking'
            $other.ResponsibleRule | Should -BeNullOrEmpty
            $other.Cause | Should -Match 'the 403 does not come from WAF'
        }

        It 'lets the client in once the limit is raised (the runbook''s fix, through UpdateWebACL)' {
            $acl = @((Invoke-AwsCli wafv2 list-web-acls --scope REGIONAL).WebACLs)[0]
            $described = Invoke-AwsCli wafv2 get-web-acl --scope REGIONAL --name $acl.Name --id $acl.Id
            $rules = ConvertTo-Json -InputObject @($described.WebACL.Rules) -Depth 10 -Compress
            $rules = $rules -replace '"Limit":20\b', '"Limit":5000'
            $rulesFile = Join-Path -Path $awsFolder -ChildPath 'rules.json'
            Set-Content -LiteralPath $rulesFile -Value $rules -Encoding ascii
            $visibility = ConvertTo-Json -InputObject $described.WebACL.VisibilityConfig -Compress
            $null = Invoke-AwsCli wafv2 update-web-acl --scope REGIONAL --name $acl.Name --id $acl.Id --lock-token $described.LockToken --default-action '{"Allow":{}}' --rules "file://$rulesFile" --visibility-config $visibility
            $status = Wait-SandboxCondition -Because 'the client let in under the raised limit' -TimeoutSec 60 -ScriptBlock {
                $answer = Send-SandboxLoadBalancerRequest -Sandbox $sandbox -ClientIp '203.0.113.7'
                if ($answer -eq 200) {
                    $answer
                }
            }
            $status | Should -Be 200
            @((Get-WafBlockedRequest -LoadBalancer 'lightwave-dev-alb' @aws).Rules)[0].RateLimit | Should -Be 5000
        }
    }

    Context 'a load balancer with no web ACL (healthy)' {
        It 'says WAF blocks nothing in front of it' {
            $null = Set-SandboxScenario -Sandbox $sandbox -Name 'healthy'
            $report = Get-WafBlockedRequest 'lightwave-dev-alb' @aws
            $report.Status | Should -Be 'NoWebAcl'
            $report.Cause | Should -Match '^No web ACL is associated with lightwave-dev-alb'
        }
    }
}

Describe 'Missing Alarm Notifications' -Tag Integration {
    BeforeAll {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'alarm-unconfirmed'
        $streamsFile = Join-Path -Path $awsFolder -ChildPath 'streams.txt'
        $reports = @(Test-AlarmNotification @aws -Verbose 4>&1 3>&1 2>&1 | Tee-Object -Variable everything | Where-Object { $_ -is [DeployOps.Alarms.AlarmNotificationReport] })
        $everything | Out-String -Width 200 | Set-Content -LiteralPath $streamsFile
        $cpu = $reports | Where-Object AlarmName -eq 'lightwave-dev-ecs-cpu-high'
        $alb = $reports | Where-Object AlarmName -eq 'lightwave-dev-alb-5xx'
    }

    It 'tests every alarm: the service''s and the ALB''s fail, the database''s passes' {
        @($reports.AlarmName) | Should -Be @('lightwave-dev-alb-5xx', 'lightwave-dev-db-connections', 'lightwave-dev-ecs-cpu-high', 'lightwave-dev-ecs-memory-high')
        @($reports.Status) | Should -Be @('Fail', 'Pass', 'Fail', 'Fail')
    }

    It 'names the subscriptions pending confirmation, as the runbook''s list-subscriptions-by-topic shows them' {
        $finding = Get-Finding -Report $cpu -Kind 'PendingConfirmation'
        $finding.Evidence | Should -Match '2 subscriptions pending confirmation \(email oncall@lightwave\.example, https https://hooks\.lightwave\.example/alarms\?token=\*\*\*\), 0 confirmed'
        $finding.Fix | Should -Match 'aws sns publish --topic-arn arn:aws:sns:us-east-1:123456789012:lightwave-dev-alarms'
        $listed = @((Invoke-AwsCli sns list-subscriptions-by-topic --topic-arn $alarmsTopic).Subscriptions)
        @($listed | Where-Object SubscriptionArn -eq 'PendingConfirmation').Count | Should -Be @($cpu.Topics)[0].PendingConfirmation.Count
    }

    It 'names the disabled actions and the topic nobody subscribed to' {
        $alb.ActionsEnabled | Should -BeFalse
        (Get-Finding -Report $alb -Kind 'ActionsDisabled').Fix | Should -Match '^aws cloudwatch enable-alarm-actions --alarm-names "lightwave-dev-alb-5xx"'
        (Get-Finding -Report $alb -Kind 'NoSubscriptions').Evidence | Should -Match 'SNS topic lightwave-dev-alb-alarms has no subscription'
    }

    It 'never shows the webhook''s token in any stream' {
        Get-Content -LiteralPath $streamsFile -Raw | Should -Not -Match $webhookToken
        ($reports | ConvertTo-Json -Depth 6) | Should -Not -Match $webhookToken
    }

    It 'selects the alarms of a service, and pipes its reports back in by alarm name' {
        $service = @(Test-AlarmNotification @lightwave @aws)
        @($service.AlarmName) | Should -Be @('lightwave-dev-ecs-cpu-high', 'lightwave-dev-ecs-memory-high')
        $again = @($service | Test-AlarmNotification)
        @($again.AlarmName) | Should -Be @($service.AlarmName)
        (Test-AlarmNotification -LoadBalancer 'lightwave-dev-alb' @aws).AlarmName | Should -Be 'lightwave-dev-alb-5xx'
    }

    It 'passes once the endpoints confirm their subscriptions' {
        foreach ($endpoint in @('oncall@lightwave.example', "https://hooks.lightwave.example/alarms?token=$webhookToken")) {
            $null = Invoke-SandboxControl -Sandbox $sandbox -Path 'sns/confirm' -Method Post -Body @{ endpoint = $endpoint }
        }

        $memory = Test-AlarmNotification -AlarmName 'lightwave-dev-ecs-memory-high' @aws
        $memory.Status | Should -Be 'Pass'
        @($memory.Topics)[0].Confirmed | Should -Be 2
        @((Invoke-AwsCli sns list-subscriptions-by-topic --topic-arn $alarmsTopic).Subscriptions | Where-Object SubscriptionArn -eq 'PendingConfirmation') | Should -HaveCount 0
    }
}

Describe 'False Positive Alarms' -Tag Integration {
    BeforeAll {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'alarm-unconfirmed'
        $cpu = Test-AlarmNotification -AlarmName 'lightwave-dev-ecs-cpu-high' @aws
    }

    It 'counts the flaps from the alarm''s history, as describe-alarm-history shows them' {
        $cpu.Flaps | Should -Be 6
        $history = @((Invoke-AwsCli cloudwatch describe-alarm-history --alarm-name lightwave-dev-ecs-cpu-high --history-item-type StateUpdate).AlarmHistoryItems)
        @($history | Where-Object HistorySummary -eq 'Alarm updated from OK to ALARM').Count | Should -Be $cpu.Flaps
    }

    It 'calls the alarm flapping, with the runbook''s fixes' {
        $finding = Get-Finding -Report $cpu -Kind 'Flapping'
        $finding.Evidence | Should -Match 'went to ALARM 6 times'
        $finding.Fix | Should -Match 'Raise the threshold \(50 now\)'
        $finding.Fix | Should -Match 'aws cloudwatch disable-alarm-actions --alarm-names "lightwave-dev-ecs-cpu-high"'
    }

    It 'counts only the window asked for, against the threshold asked for' {
        (Test-AlarmNotification -AlarmName 'lightwave-dev-ecs-cpu-high' -Since 1m @aws).Flaps | Should -Be 0
        Get-Finding -Report (Test-AlarmNotification -AlarmName 'lightwave-dev-ecs-cpu-high' -FlapThreshold 10 @aws) -Kind 'Flapping' | Should -BeNullOrEmpty
    }
}
