#Requires -Version 5.1
<#
    Runbook 003 (Operations & Stability Plan) against the DeployOps sandbox's Lightsail: one Describe per item of its
    deployment checklist and rollback procedure, run as an operator would run it.

    During deployment  verify the image tags; wait for "Deployment Complete"; verification passes
                       Test-DeploymentVerification, Publish-LightsailDeployment
    Post-deployment    logs say the application started            the verification's StartupSequence
    If issues occur    startup failures; variables; image version; roll back
                       Publish-LightsailDeployment (fails fast, -RollbackOnFailure), Get-LightsailDeployment
    Rollback procedure previous version; redeploy; verify          Invoke-LightsailRollback (each mode), -WhatIf
    Stability          scale 2 instead of 1                         Set-LightsailContainerService

    Needs the built module and sandbox (dotnet build DeployOps.sln) and moto_server on PATH. The sandbox runs on a free
    port with throwaway credentials; the user's ~/.aws and AWS_* variables are neither read nor changed.
#>

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath '../DeployOps.psd1') -Force -ErrorAction Stop
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'Sandbox.psm1') -Force -ErrorAction Stop

    $suite = Start-SandboxSuite -Name 'runbook003' -Scenario 'lightsail-stale-config' -Region 'us-east-2'
    $sandbox = $suite.Sandbox
    $awsFolder = $suite.Folder

    # The names the shipped scenarios promise (tests/DeployOps.Testing/Lightwave.cs, class Lightsail).
    $service = 'api'
    $aws = $suite.Aws
    $origin = 'https://app.lightwave.example'
    $readyPath = '/health/ready'
    $tokenBudget = @{ AI_MAX_TOKENS_INPUT = 'tok-budget-Input-7f3a91'; AI_MAX_TOKENS_OUTPUT = 'tok-budget-Output-2c8e54' }
    $seededSecrets = @('Ls-S3cret-Pa55-Seed', 'jwt_SEEDED_4b7d1e9a2c5f8036')

    # What Lightsail really holds for the service (the sandbox's state, not what DeployOps says).
    function Get-LightsailState {
        @((Get-SandboxState -Sandbox $sandbox).lightsail) | Where-Object { $_.serviceName -eq $service } | Select-Object -First 1
    }

    # Loads a scenario and waits until no deployment of it is still activating.
    function Use-LightsailScenario {
        param([string] $Name)
        Set-SandboxScenario -Sandbox $sandbox -Name $Name
        $null = Wait-SandboxCondition -Because "$Name to settle" -ScriptBlock {
            $state = Get-LightsailState
            $state -and $state.state -in @('RUNNING', 'READY') -and -not (@($state.deployments) | Where-Object { $_.state -eq 'ACTIVATING' })
        }
    }

    # A fresh deployment journal for each Describe.
    function New-RegistryPath {
        Join-Path -Path $awsFolder -ChildPath ('registry-' + [guid]::NewGuid().ToString('n'))
    }
}

AfterAll {
    Stop-SandboxSuite -Suite $suite
    Remove-Module -Name 'DeployOps', 'Sandbox' -Force -ErrorAction SilentlyContinue
}

Describe 'The rollback and change cmdlets ask first' -Tag Unit {
    It '<Name> supports ShouldProcess with ConfirmImpact <Impact>' -ForEach @(
        @{ Name = 'Publish-LightsailDeployment'; Impact = 'Medium' }
        @{ Name = 'Invoke-LightsailRollback'; Impact = 'High' }
        @{ Name = 'Set-LightsailContainerService'; Impact = 'Medium' }
    ) {
        $attribute = (Get-Command -Name $Name).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attribute.SupportsShouldProcess | Should -BeTrue
        [string]$attribute.ConfirmImpact | Should -Be $Impact
    }

    It 'Invoke-LightsailRollback has one parameter set per target: Previous (default), Version, LastVerified' {
        $command = Get-Command -Name 'Invoke-LightsailRollback'
        $command.DefaultParameterSet | Should -Be 'Previous'
        @($command.ParameterSets | ForEach-Object { $_.Name } | Sort-Object) | Should -Be @('LastVerified', 'Previous', 'Version')
    }

    It 'Test-DeploymentVerification takes ECS services by -Cluster/-Service and Lightsail services by -ServiceName' {
        $command = Get-Command -Name 'Test-DeploymentVerification'
        $command.Parameters['Cluster'].ParameterSets.Keys | Should -Be @('Ecs')
        $command.Parameters['ServiceName'].ParameterSets.Keys | Should -Be @('Lightsail')
    }
}

Describe 'During deployment: verify the script shows the correct image tags being deployed' -Tag Integration {
    BeforeAll {
        Use-LightsailScenario -Name 'lightsail-stale-config'
        $registry = New-RegistryPath
        $verification = Test-DeploymentVerification -ServiceName $service -RequiredEnvironment 'AI_MAX_TOKENS_*' -Origin $origin -RegistryPath $registry @aws -ErrorVariable verificationErrors -ErrorAction SilentlyContinue
    }

    It 'fails the stale configuration on the image tag, the missing AI_MAX_TOKENS_* names and the startup' {
        $verification.Status | Should -Be 'Failed'
        @($verification.FailedChecks) | Should -Be @('ImageTag', 'Environment', 'StartupSequence')
        ($verification.Findings | Where-Object Check -eq 'ImageTag').Message | Should -BeLike '*runs :api.soft-launch-32.162, not the expected :api.soft-launch-32.165*'
        ($verification.Findings | Where-Object Check -eq 'Environment').Message | Should -Be 'missing AI_MAX_TOKENS_*.'
    }

    It 'warns that /health/live only checks liveness' {
        ($verification.Findings | Where-Object Check -eq 'HealthEndpoint').Outcome | Should -Be 'Warning'
    }

    It 'writes an error record naming the failed checks, so -ErrorAction Stop fails a pipeline' {
        $verificationErrors | Should -HaveCount 1
        $verificationErrors[0].FullyQualifiedErrorId | Should -BeLike 'VerificationFailed,*'
        { Test-DeploymentVerification -ServiceName $service -RegistryPath $registry @aws -ErrorAction Stop } | Should -Throw -ErrorId 'VerificationFailed,*'
    }

    It 'records nothing in the deployment journal' {
        $verification.Recorded | Should -BeFalse
        Join-Path -Path $registry -ChildPath 'journal.json' | Should -Not -Exist
    }

    It 'Get-DeploymentLog -ServiceName reads the container log: "Starting Nest application", never "Listening on port 3697"' {
        $lines = @(Get-DeploymentLog -ServiceName $service -Since 2h @aws)
        $lines.Count | Should -BeGreaterThan 0
        $lines[0].LogGroup | Should -Be "lightsail:$service"
        ($lines.Message -join "`n") | Should -Match 'Starting Nest application'
        ($lines.Message -join "`n") | Should -Not -Match 'Listening on port 3697'
        $starting = @(Get-DeploymentLog -ServiceName $service -Since 2h -Pattern '"Starting Nest application"' @aws)
        $starting.Count | Should -BeGreaterThan 0
        $starting.Count | Should -BeLessThan $lines.Count
        $starting | ForEach-Object { $_.Message | Should -Match 'Starting Nest application' }
        foreach ($secret in $seededSecrets) { ($lines.Message -join "`n") | Should -Not -Match ([regex]::Escape($secret)) }
    }

    It 'Get-DeploymentLog -ServiceName names a container the ACTIVE deployment does not have, with its containers' {
        { Get-DeploymentLog -ServiceName $service -Container 'no-such-container' @aws -ErrorAction Stop } | Should -Throw -ErrorId 'ContainerNotFound,*'
    }

    It 'on the deep path, the stale deployment answers 503' {
        $deep = Test-DeploymentVerification -ServiceName $service -ReadyPath $readyPath -RegistryPath $registry @aws -ErrorAction SilentlyContinue
        ($deep.Findings | Where-Object Check -eq 'HealthEndpoint').Message | Should -BeLike '*/health/ready answered 503, expected 200.'
    }
}

Describe 'Pre-deployment: environment variables documented if any changed (-WhatIf)' -Tag Integration {
    BeforeAll {
        Use-LightsailScenario -Name 'lightsail-stale-config'
        $before = Get-LightsailState
    }

    It 'Get-LightsailDeployment shows the ACTIVE deployment''s image and variable names, never their values' {
        $deployments = @(Get-LightsailDeployment -ServiceName $service @aws)
        $active = $deployments | Where-Object State -eq 'ACTIVE'
        $active.Image | Should -Be ':api.soft-launch-32.162'
        @($active.EnvironmentNames) | Should -Contain 'DATABASE_URL'
        @($active.EnvironmentNames) | Should -Not -Contain 'AI_MAX_TOKENS_INPUT'
        $text = ($deployments | Format-List * | Out-String) + ($deployments | ConvertTo-Json -Depth 5)
        foreach ($secret in $seededSecrets) {
            $text | Should -Not -BeLike "*$secret*"
        }
    }

    It 'Publish-LightsailDeployment -WhatIf deploys nothing' {
        $result = Publish-LightsailDeployment -ServiceName $service -Image ':api.soft-launch-32.165' -SetEnvironment $tokenBudget -RegistryPath (New-RegistryPath) @aws -WhatIf
        $result | Should -BeNullOrEmpty
        $after = Get-LightsailState
        @($after.deployments).Count | Should -Be @($before.deployments).Count
        $after.currentVersion | Should -Be $before.currentVersion
    }

    It 'refuses an image that needs variables the deployment would not have, and deploys nothing' {
        Publish-LightsailDeployment -ServiceName $service -Image ':api.soft-launch-32.165' -RequiredEnvironment 'AI_MAX_TOKENS_*' -RegistryPath (New-RegistryPath) @aws -Force -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused | Should -HaveCount 1
        [string]$refused[0] | Should -BeLike '*AI_MAX_TOKENS_*'
        @((Get-LightsailState).deployments).Count | Should -Be @($before.deployments).Count
    }

    It 'refuses an image that was never pushed' {
        Publish-LightsailDeployment -ServiceName $service -Image ':api.soft-launch-32.999' -RegistryPath (New-RegistryPath) @aws -Force -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'LightsailImageNotFound,*'
        @((Get-LightsailState).deployments).Count | Should -Be @($before.deployments).Count
    }
}

Describe 'During deployment: wait for "Deployment Complete", then verification passes' -Tag Integration {
    BeforeAll {
        Use-LightsailScenario -Name 'lightsail-stale-config'
        $registry = New-RegistryPath
        $streams = Publish-LightsailDeployment -ServiceName $service -Image ':api.soft-launch-32.165' -SetEnvironment $tokenBudget -RequiredEnvironment 'AI_MAX_TOKENS_*' -ReadyPath $readyPath -Origin $origin -RegistryPath $registry @aws -Force -Verbose *>&1
        $result = $streams | Where-Object { $_ -is [DeployOps.Lightsail.LightsailDeploymentResult] }
    }

    It 'deploys .165 from the running configuration and leaves it ACTIVE' {
        $result.Outcome | Should -Be 'Verified'
        $result.Version | Should -Be 2
        $result.PreviousVersion | Should -Be 1
        $state = Get-LightsailState
        $state.currentVersion | Should -Be 2
        (@($state.deployments) | Where-Object version -eq 2).images.api | Should -Be ':api.soft-launch-32.165'
    }

    It 'verifies it (post-deployment: the logs say the application started) and records it in the journal' {
        $result.Verification.Status | Should -Be 'Passed'
        ($result.Verification.Findings | Where-Object Check -eq 'StartupSequence').Outcome | Should -Be 'Pass'
        (Get-Content -LiteralPath (Join-Path -Path $registry -ChildPath 'journal.json') -Raw) | Should -BeLike '*"Revision": "2"*'
    }

    It 'a verification afterwards passes too and writes no error' {
        $again = Test-DeploymentVerification -ServiceName $service -ReadyPath $readyPath -RequiredEnvironment 'AI_MAX_TOKENS_*' -ExpectedEnvironment $tokenBudget -RegistryPath $registry @aws -ErrorVariable verificationErrors
        $again.Status | Should -Be 'Passed'
        $again.Recorded | Should -BeTrue
        $verificationErrors | Should -HaveCount 0
    }

    It 'no environment value appears in any stream' {
        $text = ($streams | Out-String) + ($result | ConvertTo-Json -Depth 6)
        foreach ($secret in @($tokenBudget.Values) + $seededSecrets) {
            $text | Should -Not -BeLike "*$secret*"
        }
    }
}

Describe 'If issues occur: check logs for startup failures' -Tag Integration {
    BeforeAll {
        Use-LightsailScenario -Name 'lightsail-failed-deployment'
        $result = Publish-LightsailDeployment -ServiceName $service -Image ':api.soft-launch-32.164' -RegistryPath (New-RegistryPath) @aws -Force -ErrorVariable publishErrors -ErrorAction SilentlyContinue
    }

    It 'fails fast with the container''s log lines and Lightsail''s state detail' {
        $result.Outcome | Should -Be 'Failed'
        ($result.LogLines -join "`n") | Should -BeLike '*Error: connect ECONNREFUSED 10.0.4.12:6379*'
        $publishErrors[0].FullyQualifiedErrorId | Should -BeLike 'DeploymentFailed,*'
    }

    It 'leaves the previous deployment ACTIVE' {
        (Get-LightsailState).currentVersion | Should -Be 2
    }
}

Describe 'If issues occur: consider rolling back to the previous version (-RollbackOnFailure)' -Tag Integration {
    BeforeAll {
        Use-LightsailScenario -Name 'lightsail-failed-deployment'
        # .166 passes a liveness-only health check but never becomes ready: it activates, then fails verification.
        $result = Publish-LightsailDeployment -ServiceName $service -Image ':api.soft-launch-32.166' -HealthCheckPath '/health/live' -ReadyPath $readyPath -RollbackOnFailure -RegistryPath (New-RegistryPath) @aws -Force -ErrorAction SilentlyContinue
    }

    It 'restores the previous specification when verification fails' {
        $result.Outcome | Should -Be 'RolledBack'
        $result.RestoredVersion | Should -Be 2
        $result.Image | Should -Be ':api.soft-launch-32.163'
        $state = Get-LightsailState
        (@($state.deployments) | Where-Object version -eq $state.currentVersion).images.api | Should -Be ':api.soft-launch-32.163'
    }
}

Describe 'Rollback procedure: get the previous version, redeploy it, verify' -Tag Integration {
    BeforeAll {
        Use-LightsailScenario -Name 'lightsail-failed-deployment'
        $registry = New-RegistryPath
        $common = @{ ServiceName = $service; RegistryPath = $registry; Force = $true; Wait = $true }
        # Version 2 (.163) is verified; then .166 is deployed on a liveness check and left ACTIVE, unverified.
        $null = Test-DeploymentVerification -ServiceName $service -ReadyPath $readyPath -ExpectedImageTag 163 -RegistryPath $registry @aws
        $null = Publish-LightsailDeployment -ServiceName $service -Image ':api.soft-launch-32.166' -HealthCheckPath '/health/live' -ReadyPath $readyPath -RegistryPath $registry @aws -Force -ErrorAction SilentlyContinue
    }

    It '-WhatIf changes nothing' {
        $before = Get-LightsailState
        Invoke-LightsailRollback -ServiceName $service -RegistryPath $registry @aws -WhatIf | Should -BeNullOrEmpty
        $after = Get-LightsailState
        $after.currentVersion | Should -Be $before.currentVersion
        @($after.deployments).Count | Should -Be @($before.deployments).Count
    }

    It '-ToLastVerified returns to the version the journal verified' {
        $rollback = Invoke-LightsailRollback @common -ToLastVerified @aws
        $rollback.RestoredVersion | Should -Be 2
        $rollback.Image | Should -Be ':api.soft-launch-32.163'
        $rollback.Outcome | Should -Be 'Active'
    }

    It 'by default returns to the deployment ACTIVE before the current one' {
        $current = (Get-LightsailState).currentVersion
        $rollback = Invoke-LightsailRollback @common @aws
        $rollback.RestoredVersion | Should -Be ($current - 1)
        $rollback.Image | Should -Be ':api.soft-launch-32.166'
    }

    It '-Version returns to the version given' {
        $rollback = Invoke-LightsailRollback @common -Version 1 @aws
        $rollback.RestoredVersion | Should -Be 1
        (Get-LightsailState).currentVersion | Should -Be $rollback.Version
        $rollback.Image | Should -Be ':api.soft-launch-32.160'
    }

    It 'a version that FAILED is nothing to roll back to' {
        Invoke-LightsailRollback @common -Version 3 @aws -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'NothingToRollBackTo,*'
    }
}

Describe 'Stability: scale to 2 containers instead of 1' -Tag Integration {
    BeforeAll {
        Use-LightsailScenario -Name 'lightsail-scale-one'
    }

    It 'Test-DeploymentResilience flags the one node and the liveness-only health check, each with its Lightsail fix' {
        $report = Test-DeploymentResilience -ServiceName $service @aws
        $report.Platform | Should -Be 'Lightsail'
        $report.Status | Should -Be 'Fail'
        $scale = $report.Findings | Where-Object Check -eq 'Desired count'
        $scale.Outcome | Should -Be 'Fail'
        $scale.Fix | Should -Be "Set-LightsailContainerService -ServiceName $service -Scale 2"
        $path = $report.Findings | Where-Object Check -eq 'Deep health check'
        $path.Outcome | Should -Be 'Warning'
        $path.Fix | Should -BeLike "*Publish-LightsailDeployment -ServiceName $service -Image * -HealthCheckPath /health/ready"
        ($report.Findings | Where-Object Check -eq 'Circuit breaker').Outcome | Should -Be 'NotApplicable'
    }

    It '-WhatIf changes nothing' {
        Set-LightsailContainerService -ServiceName $service -Scale 2 @aws -WhatIf | Should -BeNullOrEmpty
        (Get-LightsailState).scale | Should -Be 1
    }

    It 'scales to 2 and waits until both nodes run' {
        $after = Set-LightsailContainerService -ServiceName $service -Scale 2 @aws -Force -Wait
        $after.Scale | Should -Be 2
        $after.State | Should -Be 'RUNNING'
        $state = Get-LightsailState
        $state.scale | Should -Be 2
        @($state.nodes | Where-Object { $_.version -eq $state.currentVersion -and $_.healthy }).Count | Should -Be 2
    }

    It 'after scaling, Test-DeploymentResilience passes the scale check' {
        $report = Test-DeploymentResilience -ServiceName $service @aws
        ($report.Findings | Where-Object Check -eq 'Desired count').Outcome | Should -Be 'Pass'
        ($report | Out-String -Width 80) | Should -BeLike "*Lightsail $service*: resilience Warning*"
    }
}
