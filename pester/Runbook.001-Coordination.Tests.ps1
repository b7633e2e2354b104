#Requires -Version 5.1
<#
    Runbook 001 ("Deployment Troubleshooting Runbook"), its coordination problems, against the DeployOps sandbox: one
    Describe per problem of the runbook, run as an operator would run it.

    Deployment stuck in queue       deployment-coordinator.sh get_active / cleanup <id>   Get-DeploymentRecord -Active, Remove-DeploymentRecord
    Registry unavailable            mkdir, echo '{"deployments":[]}', chmod 644           Repair-DeploymentRegistry, Get-DeploymentRecord's fallback
    Slack notifications failing     curl the webhook, retry queue, dead letter           Send-DeploymentNotification, Get/Invoke-NotificationQueue, Remove-NotificationQueueItem
    Monitor not sending updates     ps aux | grep monitor, tail the monitor log, restart  Watch-Deployment (as a job), Get-DeploymentMonitor

    The CloudFormation problems of the runbook (stack stuck, RDS timeout) have their own suite. Needs the built module and
    sandbox (./build.ps1 -Task Build) and moto_server on PATH. The sandbox runs on a free port with throwaway credentials;
    the registry lives in a temporary folder; the user's ~/.aws and AWS_* variables are neither read nor changed.
#>

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath '../DeployOps.psd1') -Force -ErrorAction Stop
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'Sandbox.psm1') -Force -ErrorAction Stop

    $suite = Start-SandboxSuite -Name 'runbook001-coordination' -Scenario 'registry-stale'
    $sandbox = $suite.Sandbox
    $workFolder = $suite.Folder
    $aws = $suite.Aws

    # The names the registry-stale and slack-outage scenarios promise (tests/DeployOps.Testing/Lightwave.cs).
    $stale = @{
        CompleteStack   = 'lightwave-dev-app'
        DeletedStack    = 'lightwave-dev-legacy'
        InProgressStack = 'lightwave-dev-data'
        Gate            = 'Gate1'
        StaleCompleteId = 'deploy-20250114-091500-a1b2c3'
        StaleDeletedId  = 'deploy-20250113-170000-d4e5f6'
        ActiveId        = 'deploy-20250114-101000-0a1b2c'
        CompletedId     = 'deploy-20250110-120000-9f8e7d'
    }
    $slack = @{
        BotToken      = 'xoxb-100000000001-200000000002-LightwaveSandboxBot'
        Webhook       = 'T0LIGHTWAVE/B0DEPLOYS/LightwaveSandboxWebhookKey'
        Channel       = 'C0A9M9DPFUY'
        UnknownChannel = 'C0NOSUCHCHN'
    }
    $token = ConvertTo-SecureString -String $slack.BotToken -AsPlainText -Force

    # The registry the runbook's coordinator left (Lightwave.RegistryStale.RegistryJson).
    $staleRegistryJson = @'
{
  "deployments": [
    { "correlation_id": "deploy-20250110-120000-9f8e7d", "stack_name": "lightwave-dev-app", "status": "completed",
      "started_at": "2025-01-10T12:00:00Z", "started_by": "ci", "commit": "1a2b3c4", "completed_at": "2025-01-10T12:31:00Z" },
    { "correlation_id": "deploy-20250113-170000-d4e5f6", "stack_name": "lightwave-dev-legacy", "status": "active",
      "started_at": "2025-01-13T17:00:00Z", "started_by": "alice", "commit": "5d6e7f8" },
    { "correlation_id": "deploy-20250114-091500-a1b2c3", "stack_name": "lightwave-dev-app", "status": "active",
      "started_at": "2025-01-14T09:15:00Z", "started_by": "ci", "commit": "9a8b7c6", "workflow_run": 4711 },
    { "correlation_id": "deploy-20250114-101000-0a1b2c", "stack_name": "lightwave-dev-data", "status": "active",
      "started_at": "2025-01-14T10:10:00Z", "started_by": "bob", "commit": "0f1e2d3" }
  ]
}
'@

    # A new store folder (the runbook's .deployment-registry) below the work folder, optionally holding a registry.
    function New-RegistryFolder {
        param([string] $Json)
        $folder = Join-Path -Path $workFolder -ChildPath ('registry-' + [guid]::NewGuid().ToString('n'))
        if ($Json) {
            $null = New-Item -ItemType Directory -Path $folder
            Set-Content -LiteralPath (Join-Path -Path $folder -ChildPath 'deployments.json') -Value $Json -NoNewline
        }

        $folder
    }

    # deployments.json as the runbook's jq reads it.
    function Read-RegistryFile {
        param([string] $Folder)
        @((Get-Content -LiteralPath (Join-Path -Path $Folder -ChildPath 'deployments.json') -Raw | ConvertFrom-Json).deployments)
    }

    # What the Slack simulator accepted (messages with their idempotency keys, duplicate keys, answers by status).
    function Get-SlackAccepted {
        Invoke-SandboxControl -Sandbox $sandbox -Path 'slack/messages'
    }

    function Get-SlackApiUrl {
        (Get-SandboxState -Sandbox $sandbox).slack.apiUrl
    }
}

AfterAll {
    Stop-SandboxSuite -Suite $suite
    Remove-Module -Name 'DeployOps', 'Sandbox' -Force -ErrorAction SilentlyContinue
}

Describe 'Deployment stuck in queue' -Tag Integration {
    BeforeAll {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'registry-stale'
    }

    BeforeEach {
        $registry = New-RegistryFolder -Json $staleRegistryJson
    }

    It 'get_active: flags the records whose stack finished or is gone as Stale, the deploying one as InProgress' {
        $active = @(Get-DeploymentRecord -Active -RegistryPath $registry @aws)

        $active | Should -HaveCount 3
        $byId = @{}
        foreach ($record in $active) { $byId[$record.CorrelationId] = $record }
        [string]$byId[$stale.StaleCompleteId].Reconciliation | Should -Be 'Stale'
        $byId[$stale.StaleCompleteId].StackStatus | Should -Be 'CREATE_COMPLETE'
        $byId[$stale.StaleCompleteId].RecommendedAction | Should -BeLike "Remove-DeploymentRecord -CorrelationId $($stale.StaleCompleteId)*"
        [string]$byId[$stale.StaleDeletedId].Reconciliation | Should -Be 'Stale'
        $byId[$stale.StaleDeletedId].Detail | Should -BeLike "stack $($stale.DeletedStack) does not exist*"
        [string]$byId[$stale.ActiveId].Reconciliation | Should -Be 'InProgress'
        $byId[$stale.ActiveId].StackStatus | Should -Be 'CREATE_IN_PROGRESS'
    }

    It 'cleanup with -WhatIf changes nothing' {
        $before = Get-Content -LiteralPath (Join-Path -Path $registry -ChildPath 'deployments.json') -Raw

        Remove-DeploymentRecord -Stale -RegistryPath $registry -WhatIf @aws
        Remove-DeploymentRecord -CorrelationId $stale.ActiveId -RegistryPath $registry -WhatIf

        Get-Content -LiteralPath (Join-Path -Path $registry -ChildPath 'deployments.json') -Raw | Should -BeExactly $before
    }

    It 'cleanup of the stale records removes exactly those and keeps unknown fields of the others' {
        $removed = @(Remove-DeploymentRecord -Stale -RegistryPath $registry -Confirm:$false -PassThru @aws)

        @($removed | ForEach-Object { $_.CorrelationId } | Sort-Object) | Should -Be @($stale.StaleDeletedId, $stale.StaleCompleteId)
        @(Read-RegistryFile -Folder $registry | ForEach-Object { $_.correlation_id } | Sort-Object) | Should -Be @($stale.CompletedId, $stale.ActiveId)
    }

    It 'cleanup <correlation_id> removes one record; an unknown id is a clear error' {
        Remove-DeploymentRecord -CorrelationId $stale.ActiveId -RegistryPath $registry -Confirm:$false

        @(Read-RegistryFile -Folder $registry | Where-Object { $_.correlation_id -eq $stale.ActiveId }) | Should -HaveCount 0
        { Remove-DeploymentRecord -CorrelationId 'deploy-20990101-000000-ffffff' -RegistryPath $registry -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "*deploy-20990101-000000-ffffff*"
    }

    It 'a second deployment of a stack with an active record waits: a clear error naming the active one' {
        { Register-DeploymentRecord -StackName $stale.InProgressStack -RegistryPath $registry -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "Waiting for active deployment: stack $($stale.InProgressStack) already has deployment '$($stale.ActiveId)' active*"
    }

    It 'a registered deployment is active until it is completed, in the runbook''s file format' {
        $registered = Register-DeploymentRecord -StackName 'lightwave-dev-web' -CorrelationId 'deploy-20250115-080000-abcdef' -StartedBy 'carol' -Commit 'abc1234' -RegistryPath $registry

        $registered.Status | Should -Be 'Active'
        $entry = Read-RegistryFile -Folder $registry | Where-Object { $_.correlation_id -eq 'deploy-20250115-080000-abcdef' }
        $entry.status | Should -Be 'active'
        $entry.stack_name | Should -Be 'lightwave-dev-web'
        $entry.started_by | Should -Be 'carol'

        $completed = Complete-DeploymentRecord -CorrelationId 'deploy-20250115-080000-abcdef' -RegistryPath $registry

        $completed.Status | Should -Be 'Completed'
        (Read-RegistryFile -Folder $registry | Where-Object { $_.correlation_id -eq 'deploy-20250115-080000-abcdef' }).status | Should -Be 'completed'
        (Get-DeploymentRecord -CorrelationId 'deploy-20250115-080000-abcdef' -RegistryPath $registry @aws).Status | Should -Be 'Completed'
    }

    It 'registering with -WhatIf writes nothing' {
        $before = Get-Content -LiteralPath (Join-Path -Path $registry -ChildPath 'deployments.json') -Raw

        Register-DeploymentRecord -StackName $stale.InProgressStack -RegistryPath $registry -WhatIf
        Complete-DeploymentRecord -CorrelationId $stale.ActiveId -RegistryPath $registry -WhatIf

        Get-Content -LiteralPath (Join-Path -Path $registry -ChildPath 'deployments.json') -Raw | Should -BeExactly $before
    }
}

Describe 'Registry unavailable' -Tag Integration {
    BeforeAll {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'registry-stale'
    }

    It 'Get-DeploymentRecord warns and falls back to CloudFormation-only coordination' {
        $registry = New-RegistryFolder

        $records = @(Get-DeploymentRecord -Active -RegistryPath $registry -WarningVariable warnings -WarningAction SilentlyContinue @aws)

        @($warnings) | Should -Not -BeNullOrEmpty
        "$($warnings[0])" | Should -BeLike "*$registry*"
        $records | Should -HaveCount 1
        $records[0].StackName | Should -Be $stale.InProgressStack
        [string]$records[0].Source | Should -Be 'CloudFormation'
    }

    It 'Repair-DeploymentRegistry -WhatIf on a missing registry creates nothing' {
        $registry = New-RegistryFolder

        Repair-DeploymentRegistry -RegistryPath $registry -WhatIf @aws

        Test-Path -LiteralPath $registry | Should -BeFalse
    }

    It 'Repair-DeploymentRegistry creates the missing folder and file' {
        $registry = New-RegistryFolder

        $steps = @(Repair-DeploymentRegistry -RegistryPath $registry -Confirm:$false @aws)

        @($steps | ForEach-Object { [string]$_.Action }) | Should -Be @('CreateFolder', 'CreateFile')
        @($steps | ForEach-Object { [string]$_.Outcome }) | Should -Be @('Done', 'Done')
        Get-Content -LiteralPath (Join-Path -Path $registry -ChildPath 'deployments.json') -Raw | ConvertFrom-Json |
            ForEach-Object { @($_.deployments).Count } | Should -Be 0
    }

    It 'a corrupted registry: -WhatIf shows each step and changes nothing' {
        $registry = New-RegistryFolder -Json '{"deployments": [ {"correlation_id": "deploy-1", "stack_na'

        $planned = @(Repair-DeploymentRegistry -RegistryPath $registry -WhatIf @aws)

        $planned | Should -HaveCount 0
        @(Get-ChildItem -LiteralPath $registry).Name | Should -Be @('deployments.json')
        Get-Content -LiteralPath (Join-Path -Path $registry -ChildPath 'deployments.json') -Raw | Should -BeLike '*"stack_na'
    }

    It 'a corrupted registry is backed up, reinitialised, and the deploying stack re-added from CloudFormation' {
        $corrupted = '{"deployments": [ {"correlation_id": "deploy-1", "stack_na'
        $registry = New-RegistryFolder -Json $corrupted

        $steps = @(Repair-DeploymentRegistry -RegistryPath $registry -Confirm:$false @aws)

        @($steps | ForEach-Object { [string]$_.Action }) | Should -Be @('BackUpCorruptedFile', 'Reinitialise', 'RestoreActiveDeployment')
        @($steps | Where-Object { [string]$_.Outcome -ne 'Done' }) | Should -HaveCount 0
        $backup = @(Get-ChildItem -LiteralPath $registry -Filter 'deployments.json.corrupted-*')
        $backup | Should -HaveCount 1
        Get-Content -LiteralPath $backup[0].FullName -Raw | Should -BeExactly $corrupted
        $restored = @(Read-RegistryFile -Folder $registry)
        $restored | Should -HaveCount 1
        $restored[0].stack_name | Should -Be $stale.InProgressStack
        $restored[0].status | Should -Be 'active'
    }

    It 'writers in separate processes lose no record and never corrupt the file' {
        $registry = New-RegistryFolder -Json '{"deployments":[]}'
        $manifest = (Resolve-Path -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath '../DeployOps.psd1')).Path
        $writers = 1..3 | ForEach-Object {
            Start-Job -ArgumentList $manifest, $registry, $_ -ScriptBlock {
                param($Manifest, $Registry, $Writer)
                Import-Module -Name $Manifest -ErrorAction Stop
                foreach ($i in 1..15) {
                    $id = 'deploy-20250115-{0:d2}{1:d4}-abcdef' -f $Writer, $i
                    $null = Register-DeploymentRecord -StackName "lightwave-writer-$Writer-$i" -CorrelationId $id -RegistryPath $Registry -ErrorAction Stop
                    if ($i % 3 -eq 0) {
                        $null = Complete-DeploymentRecord -CorrelationId $id -RegistryPath $Registry -ErrorAction Stop
                    }
                }
            }
        }

        $null = $writers | Wait-Job -Timeout 300
        $failed = @($writers | Where-Object { $_.State -ne 'Completed' } | ForEach-Object { "$($_.State): $($_.ChildJobs[0].JobStateInfo.Reason)" })
        $writers | Remove-Job -Force

        $failed | Should -HaveCount 0
        $records = @(Read-RegistryFile -Folder $registry)
        $records | Should -HaveCount 45
        @($records | ForEach-Object { $_.correlation_id } | Sort-Object -Unique) | Should -HaveCount 45
        @($records | Where-Object { $_.status -eq 'completed' }) | Should -HaveCount 15
        # Every writer released its lock: each lock file (kept between holders) opens without sharing at once.
        foreach ($lock in @(Get-ChildItem -LiteralPath $registry -Filter '*.lock')) {
            $stream = [System.IO.File]::Open($lock.FullName, 'Open', 'ReadWrite', 'None')
            $stream.Dispose()
        }
    }
}

Describe 'Slack notifications failing' -Tag Integration {
    BeforeAll {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'healthy'
        $slackApiUrl = Get-SlackApiUrl
        $slackParameters = @{ Token = $token; Channel = $slack.Channel; SlackApiUrl = $slackApiUrl }
    }

    BeforeEach {
        $registry = New-RegistryFolder
        $null = Invoke-SandboxControl -Sandbox $sandbox -Path 'slack/messages' -Method Delete
    }

    It 'a message is delivered once, and sending its key again posts nothing' {
        $sent = Send-DeploymentNotification -Message 'Deployment of lightwave-dev-app started' -IdempotencyKey 'pester-once-1' -RegistryPath $registry @slackParameters
        $again = Send-DeploymentNotification -Message 'Deployment of lightwave-dev-app started' -IdempotencyKey 'pester-once-1' -RegistryPath $registry @slackParameters

        [string]$sent.State | Should -Be 'Delivered'
        [string]$again.State | Should -Be 'Delivered'
        $accepted = Get-SlackAccepted
        @($accepted.messages) | Should -HaveCount 1
        $accepted.messages[0].idempotencyKey | Should -Be 'pester-once-1'
        @($accepted.duplicates) | Should -HaveCount 0
    }

    It 'during an outage the message waits in the queue; Invoke-NotificationQueue delivers it once Slack is back' {
        $null = Invoke-SandboxControl -Sandbox $sandbox -Path 'slack/outage' -Method Post -Body @{ seconds = 90; status = 503 }

        $queued = Send-DeploymentNotification -Message 'Deployment of lightwave-dev-app: 3 of 6 resources done' -IdempotencyKey 'pester-outage-1' -Timeout 0 -RegistryPath $registry @slackParameters

        [string]$queued.State | Should -Be 'Pending'
        $queued.LastError | Should -Be 'HTTP 503'
        $summary = Get-NotificationQueue -RegistryPath $registry
        $summary.Pending | Should -Be 1
        $summary.OldestPendingKey | Should -Be 'pester-outage-1'

        $delivered = Wait-SandboxCondition -Because 'the queue to deliver the message once the outage ended' -TimeoutSec 60 -ScriptBlock {
            @(Invoke-NotificationQueue -Timeout 2 -RegistryPath $registry @slackParameters) | Where-Object { [string]$_.State -eq 'Delivered' }
        }

        $delivered.IdempotencyKey | Should -Be 'pester-outage-1'
        (Get-NotificationQueue -RegistryPath $registry).Pending | Should -Be 0
        $accepted = Get-SlackAccepted
        @($accepted.messages | ForEach-Object { $_.idempotencyKey }) | Should -Be @('pester-outage-1')
    }

    It 'a configuration error goes to dead letter at once; -WhatIf keeps it; Remove-NotificationQueueItem cleans it' {
        Send-DeploymentNotification -Message 'to nowhere' -IdempotencyKey 'pester-dead-1' -Token $token -Channel $slack.UnknownChannel -SlackApiUrl $slackApiUrl `
            -RegistryPath $registry -WarningAction SilentlyContinue -ErrorAction SilentlyContinue -ErrorVariable refused

        @($refused) | Should -HaveCount 1
        $refused[0].FullyQualifiedErrorId | Should -Be 'NotificationDeadLettered,DeployOps.Commands.SendDeploymentNotificationCommand'
        "$($refused[0])" | Should -BeLike '*channel_not_found (a configuration error: not retried)*'
        $dead = @(Get-NotificationQueue -DeadLetter -RegistryPath $registry)
        @($dead | ForEach-Object { $_.IdempotencyKey }) | Should -Be @('pester-dead-1')
        $dead[0].LastError | Should -BeLike '*channel_not_found*'
        $dead[0].Attempts | Should -Be 1
        @((Get-SlackAccepted).messages) | Should -HaveCount 0

        Remove-NotificationQueueItem -DeadLetter -RegistryPath $registry -WhatIf
        (Get-NotificationQueue -RegistryPath $registry).DeadLetter | Should -Be 1

        Remove-NotificationQueueItem -DeadLetter -RegistryPath $registry -Confirm:$false
        (Get-NotificationQueue -RegistryPath $registry).DeadLetter | Should -Be 0
    }

    It 'the token and the webhook never appear in any output, verbose text or the outbox file' {
        $webhook = ConvertTo-SecureString -String (Get-SandboxState -Sandbox $sandbox).slack.webhookUrl -AsPlainText -Force
        $output = & {
            Send-DeploymentNotification -Message 'secrets check' -RegistryPath $registry -Verbose @slackParameters
            Send-DeploymentNotification -Message 'secrets check' -WebhookUrl $webhook -RegistryPath $registry -Verbose
            Get-NotificationQueue -Delivered -RegistryPath $registry
        } 4>&1 3>&1 2>&1 | Out-String -Width 400

        $output | Should -Not -BeNullOrEmpty
        $outbox = Get-ChildItem -LiteralPath $registry -Recurse -File | ForEach-Object { Get-Content -LiteralPath $_.FullName -Raw }
        foreach ($secret in @($slack.BotToken, $slack.Webhook)) {
            $output | Should -Not -BeLike "*$secret*"
            "$outbox" | Should -Not -BeLike "*$secret*"
        }
    }
}

Describe 'Monitor not sending updates' -Tag Integration {
    BeforeAll {
        $null = Set-SandboxScenario -Sandbox $sandbox -Name 'registry-stale'
        $null = Invoke-SandboxControl -Sandbox $sandbox -Path 'slack/messages' -Method Delete
        $registry = New-RegistryFolder -Json $staleRegistryJson
        $manifest = (Resolve-Path -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath '../DeployOps.psd1')).Path
        $monitor = Start-Job -ArgumentList $manifest, $registry, $stale.InProgressStack, $sandbox.Url, (Get-SlackApiUrl), $slack.BotToken, $slack.Channel -ScriptBlock {
            param($Manifest, $Registry, $Stack, $EndpointUrl, $SlackApiUrl, $BotToken, $Channel)
            Import-Module -Name $Manifest -ErrorAction Stop
            $token = ConvertTo-SecureString -String $BotToken -AsPlainText -Force
            Watch-Deployment -StackName $Stack -PollInterval 1 -ProgressInterval 0 -Timeout 300 -Token $token -Channel $Channel -SlackApiUrl $SlackApiUrl `
                -RegistryPath $Registry -Region 'us-east-1' -EndpointUrl $EndpointUrl
        }
    }

    AfterAll {
        if ($monitor) {
            $monitor | Remove-Job -Force
        }
    }

    It 'Get-DeploymentMonitor shows the running monitor with its heartbeat and correlation id' {
        $running = Wait-SandboxCondition -Because 'the monitor to write its heartbeat' -TimeoutSec 120 -ScriptBlock {
            Get-DeploymentMonitor -RegistryPath $registry | Where-Object { [string]$_.State -eq 'Running' }
        }

        $running.CorrelationId | Should -Be $stale.ActiveId
        $running.StackName | Should -Be $stale.InProgressStack
        $running.LastHeartbeat | Should -Not -BeNullOrEmpty
    }

    It 'the monitor announces the deployment, follows it to its end, and completes the registry record' {
        $null = Wait-SandboxCondition -Because 'the Started notification to reach Slack' -TimeoutSec 120 -ScriptBlock {
            @((Get-SlackAccepted).messages) | Where-Object { $_.text -like '*started*' -or $_.text -like '*Started*' }
        }
        $null = Invoke-SandboxControl -Sandbox $sandbox -Path 'stacks/release' -Method Post -Body @{ stack = $stale.InProgressStack; resource = $stale.Gate }

        $null = $monitor | Wait-Job -Timeout 180
        $notifications = @($monitor | Receive-Job -ErrorAction SilentlyContinue)

        $monitor.State | Should -Be 'Completed'
        @($notifications | ForEach-Object { [string]$_.Kind }) | Should -Contain 'Started'
        @($notifications | ForEach-Object { [string]$_.Kind }) | Should -Contain 'Completed'
        $accepted = Get-SlackAccepted
        @($accepted.duplicates) | Should -HaveCount 0
        @($accepted.messages) | Should -HaveCount @($notifications | Where-Object { [string]$_.State -eq 'Delivered' }).Count
        (Read-RegistryFile -Folder $registry | Where-Object { $_.correlation_id -eq $stale.ActiveId }).status | Should -Be 'completed'
        [string](Get-DeploymentMonitor -CorrelationId $stale.ActiveId -RegistryPath $registry).State | Should -Not -Be 'Running'
    }
}

Describe 'Parameter contracts of the coordination cmdlets' -Tag Unit {
    It '<Name> changes state only through ShouldProcess' -TestCases @(
        @{ Name = 'Register-DeploymentRecord' }
        @{ Name = 'Complete-DeploymentRecord' }
        @{ Name = 'Remove-DeploymentRecord' }
        @{ Name = 'Repair-DeploymentRegistry' }
        @{ Name = 'Remove-NotificationQueueItem' }
    ) {
        param($Name)
        (Get-Command -Name $Name).Parameters.Keys | Should -Contain 'WhatIf'
    }

    It '<Name> asks for confirmation by default (ConfirmImpact High)' -TestCases @(
        @{ Name = 'Remove-DeploymentRecord' }
        @{ Name = 'Remove-NotificationQueueItem' }
    ) {
        param($Name)
        $attribute = (Get-Command -Name $Name).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        [string]$attribute.ConfirmImpact | Should -Be 'High'
    }

    It '<Name> takes Slack secrets as SecureStrings, never plain strings' -TestCases @(
        @{ Name = 'Send-DeploymentNotification' }
        @{ Name = 'Invoke-NotificationQueue' }
        @{ Name = 'Watch-Deployment' }
    ) {
        param($Name)
        $parameters = (Get-Command -Name $Name).Parameters
        $parameters['Token'].ParameterType | Should -Be ([System.Security.SecureString])
        $parameters['WebhookUrl'].ParameterType | Should -Be ([System.Security.SecureString])
    }
}
