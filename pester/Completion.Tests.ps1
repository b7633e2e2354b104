#Requires -Version 5.1
<#
    Tab completion as an operator meets it (TabExpansion2, what the console calls on Tab): -Cluster and -Service complete
    with the names AWS holds (the DeployOps sandbox here), -Environment with the settings file's environments, -Region
    with AWS regions and -ProfileName with the profiles of the credentials file. AWS lookups are cached and silent when
    they fail.
#>

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath '../DeployOps.psd1') -Force -ErrorAction Stop
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'Sandbox.psm1') -Force -ErrorAction Stop

    $suite = Start-SandboxSuite -Name 'completion' -Scenario 'healthy'
    $sandbox = $suite.Sandbox
    [DeployOps.Completion.NameSuggestions]::ClearCache()

    # What Tab offers at the end of $Line.
    function Get-Completion {
        param([Parameter(Mandatory = $true)] [string] $Line)
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object { $_.CompletionText })
    }

    # What a DeployOps completer itself offers (when it offers nothing, Tab falls back to file names, as for any
    # completer that has no suggestion).
    function Get-CompleterResult {
        param([Parameter(Mandatory = $true)] [string] $Completer, [Parameter(Mandatory = $true)] [hashtable] $Bound, [string] $Word = '')
        $instance = New-Object -TypeName "DeployOps.Commands.Completion.$Completer"
        @($instance.CompleteArgument('Get-DeploymentHealth', 'Cluster', $Word, $null, $Bound) | ForEach-Object { $_.CompletionText })
    }
}

AfterAll {
    Stop-SandboxSuite -Suite $suite
    Remove-Module -Name 'DeployOps', 'Sandbox' -Force -ErrorAction SilentlyContinue
}

Describe 'Names from AWS' -Tag Integration {
    BeforeEach {
        [DeployOps.Completion.NameSuggestions]::ClearCache()
    }

    It '-Cluster completes with the clusters of the region and endpoint typed so far, on <_>' -ForEach 'Get-DeploymentHealth', 'Restart-EcsService', 'Wait-EcsDeployment', 'Repair-TargetGroupHealthCheck' {
        Get-Completion -Line "$_ -Region us-east-1 -EndpointUrl $($sandbox.Url) -Cluster light" | Should -Be @('lightwave-dev-ecs-cluster')
    }

    It '-Service completes with the services of the cluster typed so far' {
        Get-Completion -Line "Get-DeploymentHealth -Region us-east-1 -EndpointUrl $($sandbox.Url) -Cluster lightwave-dev-ecs-cluster -Service " |
            Should -Be @('lightwave-backend-api-dev')
    }

    It '-Service completes with the services of the environment''s cluster when -Environment names one' {
        $settings = Join-Path -Path $TestDrive -ChildPath 'deployops.json'
        Set-Content -LiteralPath $settings -Value (@{ environments = @{ dev = @{ region = 'us-east-1'; endpointUrl = $sandbox.Url; cluster = 'lightwave-dev-ecs-cluster' } } } | ConvertTo-Json -Depth 5)
        Get-Completion -Line "Get-DeploymentHealth -Environment dev -ConfigPath $settings -Service lightwave-b" | Should -Be @('lightwave-backend-api-dev')
    }

    It 'offers nothing, and writes no error, when AWS cannot be reached' {
        $closed = @{ Region = 'us-east-1'; EndpointUrl = 'http://127.0.0.1:9' }
        $Error.Clear()
        Get-CompleterResult -Completer 'ClusterCompleter' -Bound $closed | Should -BeNullOrEmpty
        Get-CompleterResult -Completer 'ServiceCompleter' -Bound ($closed + @{ Cluster = 'c' }) | Should -BeNullOrEmpty
        $Error.Count | Should -Be 0
    }

    It 'offers nothing without credentials, silently' {
        $saved = Enter-SandboxAwsEnvironment -Path (Join-Path -Path $TestDrive -ChildPath 'none') -WithoutCredentials
        try {
            Get-CompleterResult -Completer 'ClusterCompleter' -Bound @{ Region = 'us-east-1'; EndpointUrl = $sandbox.Url } | Should -BeNullOrEmpty
        }
        finally {
            Exit-SandboxAwsEnvironment -State $saved
        }
    }

    It 'reuses names it read a moment ago instead of asking AWS again' {
        $line = "Get-DeploymentHealth -Region us-east-1 -EndpointUrl $($sandbox.Url) -Cluster "
        Get-Completion -Line $line | Should -Be @('lightwave-dev-ecs-cluster')
        $null = Set-SandboxFault -Sandbox $sandbox -Seed 3 -Rule @{ service = 'ecs'; operation = 'ListClusters'; kind = 'error'; status = 500; rate = 1.0 }
        try {
            Get-Completion -Line $line | Should -Be @('lightwave-dev-ecs-cluster')
            @((Get-SandboxFault -Sandbox $sandbox).injected) | Should -BeNullOrEmpty -Because 'the second completion came from the cache'
            [DeployOps.Completion.NameSuggestions]::ClearCache()
            Get-CompleterResult -Completer 'ClusterCompleter' -Bound @{ Region = 'us-east-1'; EndpointUrl = $sandbox.Url } |
                Should -BeNullOrEmpty -Because 'once forgotten, the names are asked for again, and that fails now'
            @((Get-SandboxFault -Sandbox $sandbox).injected).Count | Should -Be 1
        }
        finally {
            Clear-SandboxFault -Sandbox $sandbox
        }
    }
}

Describe 'Names from this machine' -Tag Unit {
    It '-Region completes with AWS region names' {
        $regions = Get-Completion -Line 'Get-DeploymentHealth -Cluster c -Region us-ea'
        $regions | Should -Contain 'us-east-1'
        $regions | Should -Contain 'us-east-2'
        $regions | Should -Not -Contain 'eu-west-1'
    }

    It '-ProfileName completes with the profiles of -ProfileLocation' {
        $credentials = Join-Path -Path $TestDrive -ChildPath 'credentials'
        Set-Content -LiteralPath $credentials -Value "[lightwave-admin-new]`naws_access_key_id = a`naws_secret_access_key = b`n[lightwave-readonly]`naws_access_key_id = c`naws_secret_access_key = d`n[other]`naws_access_key_id = e`naws_secret_access_key = f"
        Get-Completion -Line "Get-DeploymentHealth -Cluster c -ProfileLocation $credentials -ProfileName lightwave" | Should -Be @('lightwave-admin-new', 'lightwave-readonly')
    }

    It '-Environment completes with the environments of the settings file' {
        $settings = Join-Path -Path $TestDrive -ChildPath 'envs.json'
        Set-Content -LiteralPath $settings -Value (@{ environments = @{
                    dev  = @{ region = 'us-east-1'; cluster = 'lightwave-dev-ecs-cluster' }
                    prod = @{ region = 'us-east-1'; cluster = 'lightwave-prod-ecs-cluster' }
                } } | ConvertTo-Json -Depth 5)
        Get-Completion -Line "Get-DeploymentHealth -ConfigPath $settings -Environment " | Should -Be @('dev', 'prod')
        Get-Completion -Line "Get-DeploymentHealth -ConfigPath $settings -Environment p" | Should -Be @('prod')
    }

    It '-Environment offers nothing when the settings file cannot be read' {
        Get-CompleterResult -Completer 'EnvironmentCompleter' -Bound @{ ConfigPath = (Join-Path -Path $TestDrive -ChildPath 'missing.json') } | Should -BeNullOrEmpty
    }
}

Describe 'Lightsail names' -Tag Integration {
    BeforeAll {
        Set-SandboxScenario -Sandbox $sandbox -Name 'lightsail-healthy'
    }

    BeforeEach {
        [DeployOps.Completion.NameSuggestions]::ClearCache()
    }

    It '-ServiceName completes with the container services of the region and endpoint typed so far, on <_>' -ForEach 'Get-LightsailDeployment', 'Publish-LightsailDeployment', 'Invoke-LightsailRollback', 'Set-LightsailContainerService', 'Test-DeploymentVerification' {
        Get-Completion -Line "$_ -Region us-east-2 -EndpointUrl $($sandbox.Url) -ServiceName a" | Should -Be @('api')
    }

    It '-ServiceName offers nothing in a region without container services' {
        Get-Completion -Line "Get-LightsailDeployment -Region us-west-2 -EndpointUrl $($sandbox.Url) -ServiceName a" | Should -Not -Contain 'api'
    }

    It '-Power completes with the powers Lightsail offers' {
        Get-Completion -Line 'Set-LightsailContainerService -ServiceName api -Power m' | Should -Be @('micro', 'medium')
    }
}

Describe 'Load balancer and database names' -Tag Integration {
    BeforeAll {
        Set-SandboxScenario -Sandbox $sandbox -Name 'db-healthy'
        $reach = "-Region us-east-1 -EndpointUrl $($sandbox.Url)"
    }

    BeforeEach {
        [DeployOps.Completion.NameSuggestions]::ClearCache()
    }

    It '-LoadBalancer completes with the load balancers of the region and endpoint typed so far, on <_>' -ForEach 'Get-LoadBalancerHealth', 'Set-LoadBalancerAttribute', 'Get-WafBlockedRequest', 'Test-AlarmNotification' {
        Get-Completion -Line "$_ $reach -LoadBalancer lightwave-d" | Should -Be @('lightwave-dev-alb')
    }

    It '-LoadBalancer offers nothing in a region without load balancers' {
        Get-Completion -Line "Get-LoadBalancerHealth -Region us-west-2 -EndpointUrl $($sandbox.Url) -LoadBalancer lightwave-d" | Should -Not -Contain 'lightwave-dev-alb'
    }

    It '-DatabaseCluster completes with the Aurora clusters of the region, on <_>' -ForEach 'Test-DatabaseConnectivity', 'Start-DatabaseCluster', 'Test-AlarmNotification' {
        Get-Completion -Line "$_ $reach -DatabaseCluster lightwave-d" | Should -Be @('lightwave-dev-db')
    }
}
