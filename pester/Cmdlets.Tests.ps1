#Requires -Version 5.1
<#
    The cmdlets' contract: parameters, pipeline binding, parameter sets, output types, ShouldProcess, error ids
    (asserted as FullyQualifiedErrorId), configuration errors that stop a command early, and the AWS common
    parameters and shell defaults. Unit: no sandbox needed. Integration: against the DeployOps sandbox.

    AWS settings are throwaway (Enter-SandboxAwsEnvironment): the user's ~/.aws and AWS_* variables are neither
    read nor changed.
#>

BeforeDiscovery {
    $awsCmdlets = @('Get-DeploymentHealth', 'Repair-TargetGroupHealthCheck', 'Restart-EcsService', 'Wait-EcsDeployment')
    $awsCommonParameters = @(
        @{ Parameter = 'Region'; Type = 'System.String'; ByPropertyName = $true }
        @{ Parameter = 'ProfileName'; Type = 'System.String'; ByPropertyName = $true }
        @{ Parameter = 'ProfileLocation'; Type = 'System.String'; ByPropertyName = $false }
        @{ Parameter = 'Credential'; Type = 'Amazon.Runtime.AWSCredentials'; ByPropertyName = $false }
        @{ Parameter = 'EndpointUrl'; Type = 'System.String'; ByPropertyName = $true }
    )
    $awsCommonCases = @(
        foreach ($command in $awsCmdlets) {
            foreach ($parameter in $awsCommonParameters) {
                $parameter + @{ Command = $command }
            }
        }
    )

    # Each cmdlet's own parameters: which are required, and which bind from the pipeline by property name (so one
    # cmdlet's output feeds the next). Get-DeploymentHealth -Cluster is required in one parameter set only (below).
    $contract = @(
        @{ Command = 'Get-DeploymentHealth'; Parameter = 'Service'; Mandatory = $false; ByPropertyName = $true }
        @{ Command = 'Get-DeploymentHealth'; Parameter = 'Environment'; Mandatory = $true; ByPropertyName = $false }
        @{ Command = 'Get-DeploymentHealth'; Parameter = 'ExpectedHealthCheckPath'; Mandatory = $false; ByPropertyName = $false }
        @{ Command = 'Repair-TargetGroupHealthCheck'; Parameter = 'TargetGroupArn'; Mandatory = $true; ByPropertyName = $true }
        @{ Command = 'Repair-TargetGroupHealthCheck'; Parameter = 'HealthCheckPath'; Mandatory = $true; ByPropertyName = $false }
        @{ Command = 'Repair-TargetGroupHealthCheck'; Parameter = 'Cluster'; Mandatory = $false; ByPropertyName = $true }
        @{ Command = 'Repair-TargetGroupHealthCheck'; Parameter = 'Service'; Mandatory = $false; ByPropertyName = $true }
        @{ Command = 'Restart-EcsService'; Parameter = 'Cluster'; Mandatory = $true; ByPropertyName = $true }
        @{ Command = 'Restart-EcsService'; Parameter = 'Service'; Mandatory = $true; ByPropertyName = $true }
        @{ Command = 'Wait-EcsDeployment'; Parameter = 'Cluster'; Mandatory = $true; ByPropertyName = $true }
        @{ Command = 'Wait-EcsDeployment'; Parameter = 'Service'; Mandatory = $true; ByPropertyName = $true }
        @{ Command = 'Wait-EcsDeployment'; Parameter = 'DeploymentId'; Mandatory = $false; ByPropertyName = $true }
        @{ Command = 'Test-DeploymentEndpoint'; Parameter = 'Url'; Mandatory = $true; ByPropertyName = $true }
        @{ Command = 'Test-DeploymentEndpoint'; Parameter = 'Origin'; Mandatory = $false; ByPropertyName = $false }
    )

    $outputTypes = @(
        @{ Command = 'Get-DeploymentHealth'; Types = @('DeployOps.Health.DeploymentHealthReport') }
        @{ Command = 'Repair-TargetGroupHealthCheck'; Types = @('DeployOps.Deployments.TargetGroupHealthCheckChange', 'DeployOps.Health.DeploymentHealthReport') }
        @{ Command = 'Restart-EcsService'; Types = @('DeployOps.Deployments.EcsDeploymentStart', 'DeployOps.Deployments.DeploymentWaitResult') }
        @{ Command = 'Wait-EcsDeployment'; Types = @('DeployOps.Deployments.DeploymentWaitResult') }
        @{ Command = 'Test-DeploymentEndpoint'; Types = @('DeployOps.Endpoints.EndpointTestResult') }
    )

    # On Windows the AWS SDK's own store (where Set-AWSCredential -StoreAs writes) may hold the user's default
    # profile, which no variable can hide: the "no credentials" tests cannot run there. (-Skip is read at discovery.)
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'Sandbox.psm1') -Force -ErrorAction Stop
    $sdkStore = Test-AwsSdkCredentialStore

    # Out-of-range or malformed values: a ParameterArgumentValidationError naming the value and what was expected.
    $outOfRange = @(
        @{ Command = 'Wait-EcsDeployment'; Parameter = 'Timeout'; Value = 0 }
        @{ Command = 'Wait-EcsDeployment'; Parameter = 'PollInterval'; Value = 0 }
        @{ Command = 'Restart-EcsService'; Parameter = 'Timeout'; Value = 0 }
        @{ Command = 'Repair-TargetGroupHealthCheck'; Parameter = 'Timeout'; Value = -5 }
        @{ Command = 'Test-DeploymentEndpoint'; Parameter = 'ExpectedStatusCode'; Value = 42 }
        @{ Command = 'Test-DeploymentEndpoint'; Parameter = 'TimeoutSec'; Value = 0 }
        @{ Command = 'Test-DeploymentEndpoint'; Parameter = 'RetryCount'; Value = -1 }
    )
    # (A bad -ExpectedHealthCheckPath or -HealthUrl is the engine's InvalidHealthCheckPath / InvalidUrl: pester/BadInput.Tests.ps1.)
}

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath '../DeployOps.psd1') -Force -ErrorAction Stop
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'Sandbox.psm1') -Force -ErrorAction Stop

    function Get-ParameterAttribute {
        param(
            [Parameter(Mandatory = $true)]
            [string] $Command,

            [Parameter(Mandatory = $true)]
            [string] $Parameter
        )

        (Get-Command -Name $Command).Parameters[$Parameter].Attributes |
            Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }
    }

    function Get-CmdletAttribute {
        param(
            [Parameter(Mandatory = $true)]
            [string] $Command
        )

        (Get-Command -Name $Command).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true) | Select-Object -First 1
    }

    $awsFolder = Join-Path -Path ([System.IO.Path]::GetTempPath()) -ChildPath ('deployops-cmdlets-' + [guid]::NewGuid().ToString('n'))
    $lightwave = @{ Cluster = 'lightwave-dev-ecs-cluster'; Service = 'lightwave-backend-api-dev' }
    $healthPath = '/api/v1/health/health/'
}

AfterAll {
    Remove-Item -LiteralPath $awsFolder -Recurse -Force -ErrorAction SilentlyContinue
    Remove-Module -Name 'DeployOps', 'Sandbox' -Force -ErrorAction SilentlyContinue
}

Describe 'Parameter contract' -Tag Unit {
    It '<Command> has -<Parameter> of type <Type>, by property name: <ByPropertyName>' -ForEach $awsCommonCases {
        $metadata = (Get-Command -Name $Command).Parameters[$Parameter]
        $metadata | Should -Not -BeNullOrEmpty
        $metadata.ParameterType.FullName | Should -Be $Type
        [bool](@(Get-ParameterAttribute -Command $Command -Parameter $Parameter) | Where-Object { $_.ValueFromPipelineByPropertyName }) | Should -Be $ByPropertyName
    }

    It 'Test-DeploymentEndpoint needs no AWS: it has no AWS parameter' {
        $parameters = (Get-Command -Name 'Test-DeploymentEndpoint').Parameters.Keys
        foreach ($name in @('Region', 'ProfileName', 'ProfileLocation', 'Credential', 'EndpointUrl')) {
            $parameters | Should -Not -Contain $name
        }
    }

    It '<Command> -<Parameter>: mandatory <Mandatory>, by property name <ByPropertyName>' -ForEach $contract {
        $attributes = @(Get-ParameterAttribute -Command $Command -Parameter $Parameter)
        $attributes.Count | Should -BeGreaterThan 0
        [bool]($attributes | Where-Object { $_.Mandatory }) | Should -Be $Mandatory
        [bool]($attributes | Where-Object { $_.ValueFromPipelineByPropertyName }) | Should -Be $ByPropertyName
    }

    It 'Test-DeploymentEndpoint takes URLs from the pipeline and a HealthUrl property' {
        @(Get-ParameterAttribute -Command 'Test-DeploymentEndpoint' -Parameter 'Url' | Where-Object { $_.ValueFromPipeline }).Count | Should -BeGreaterThan 0
        (Get-Command -Name 'Test-DeploymentEndpoint').Parameters['Url'].Aliases | Should -Contain 'HealthUrl'
    }

    It 'never binds a switch from the pipeline' {
        foreach ($command in Get-Command -Module 'DeployOps') {
            foreach ($parameter in $command.Parameters.Values | Where-Object { $_.ParameterType -eq [System.Management.Automation.SwitchParameter] }) {
                $fromPipeline = @($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and ($_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName) })
                $fromPipeline.Count | Should -Be 0 -Because "-$($parameter.Name) of $($command.Name) is a switch"
            }
        }
    }

    It 'Get-DeploymentHealth names services by -Cluster (the default) or by -Environment' {
        $command = Get-Command -Name 'Get-DeploymentHealth'
        @($command.ParameterSets | ForEach-Object { $_.Name } | Sort-Object) -join ', ' | Should -Be 'Cluster, Environment'
        $command.DefaultParameterSet | Should -Be 'Cluster'

        $cluster = $command.ParameterSets | Where-Object { $_.Name -eq 'Cluster' }
        ($cluster.Parameters | Where-Object { $_.Name -eq 'Cluster' }).IsMandatory | Should -BeTrue
        ($cluster.Parameters | Where-Object { $_.Name -eq 'Environment' }) | Should -BeNullOrEmpty

        $environment = $command.ParameterSets | Where-Object { $_.Name -eq 'Environment' }
        ($environment.Parameters | Where-Object { $_.Name -eq 'Environment' }).IsMandatory | Should -BeTrue
        ($environment.Parameters | Where-Object { $_.Name -eq 'Cluster' }).IsMandatory | Should -BeFalse
        ($environment.Parameters | Where-Object { $_.Name -eq 'ConfigPath' }) | Should -Not -BeNullOrEmpty
    }

    It '<Command> declares [OutputType] <Types>' -ForEach $outputTypes {
        $declared = @((Get-Command -Name $Command).OutputType | ForEach-Object { $_.Name })
        foreach ($type in $Types) {
            $declared | Should -Contain $type
        }
    }

    It '<_> supports ShouldProcess with ConfirmImpact Medium and has -Force' -ForEach @('Repair-TargetGroupHealthCheck', 'Restart-EcsService') {
        $attribute = Get-CmdletAttribute -Command $_
        $attribute.SupportsShouldProcess | Should -BeTrue
        [string]$attribute.ConfirmImpact | Should -Be 'Medium'
        (Get-Command -Name $_).Parameters.Keys | Should -Contain 'Force'
    }

    It '<_> changes nothing and has no -WhatIf' -ForEach @('Get-DeploymentHealth', 'Wait-EcsDeployment', 'Test-DeploymentEndpoint') {
        (Get-Command -Name $_).Parameters.Keys | Should -Not -Contain 'WhatIf'
    }

    It 'Wait-EcsDeployment waits 600 seconds by default' {
        # The defaults of a compiled cmdlet's properties, read from a fresh instance.
        $type = (Get-Command -Name 'Wait-EcsDeployment').ImplementingType
        $wait = $type::new()
        try {
            $wait.Timeout | Should -Be 600
            $wait.PollInterval | Should -Be 5
        }
        finally {
            $wait.Dispose()
        }
    }

    It 'rejects -<Parameter> <Value> on <Command>, naming the value' -ForEach $outOfRange {
        $arguments = @{ $Parameter = $Value }
        switch ($Command) {
            'Test-DeploymentEndpoint' {
                $arguments.Url = 'http://127.0.0.1/'
            }
            'Repair-TargetGroupHealthCheck' {
                $arguments.TargetGroupArn = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/0123456789abcdef'
                $arguments.HealthCheckPath = '/health'
            }
            default {
                $arguments.Cluster = 'c'
                $arguments.Service = 's'
            }
        }

        # -ErrorId matches the whole FullyQualifiedErrorId (id, then the cmdlet's class), never a prefix.
        $thrown = { & $Command @arguments } | Should -Throw -ErrorId "ParameterArgumentValidationError,DeployOps.Commands.$($Command -replace '-', '')Command" -PassThru
        $thrown.ToString() | Should -Match ([regex]::Escape([string]$Value))
    }
}

Describe 'Configuration that cannot work stops the command early' -Tag Unit {
    BeforeAll {
        $savedAwsEnvironment = Enter-SandboxAwsEnvironment -Path $awsFolder -WithoutCredentials
        # Nothing listens there: had any AWS call been made, the error would be EndpointUnreachable instead.
        $nowhere = 'http://127.0.0.1:{0}' -f (Get-ClosedPort)
        $anyCredential = [Amazon.Runtime.BasicAWSCredentials]::new('throwaway', 'throwaway')
    }

    AfterAll {
        Exit-SandboxAwsEnvironment -State $savedAwsEnvironment
    }

    BeforeEach {
        # Shadow any AWS.Tools shell defaults of the session running the tests.
        $StoredAWSCredentials = $null
        $StoredAWSRegion = $null
    }

    It 'no credentials: NoCredentials, terminating, before any AWS call, saying how to provide them' -Skip:$sdkStore {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $thrown = { Get-DeploymentHealth -Cluster 'c' -Region 'us-east-1' -EndpointUrl $nowhere } |
            Should -Throw -ErrorId 'NoCredentials,DeployOps.Commands.GetDeploymentHealthCommand' -PassThru
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 10

        [string]$thrown.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $message = $thrown.ToString()
        $message | Should -Match '-Credential'
        $message | Should -Match '-ProfileName'
        $message | Should -Match 'AWS_ACCESS_KEY_ID'
    }

    It 'no credentials stops a whole pipeline before any work, -WhatIf or not' -Skip:$sdkStore {
        { Get-DeploymentHealth -Cluster 'c' -Region 'us-east-1' -EndpointUrl $nowhere | Repair-TargetGroupHealthCheck -HealthCheckPath '/health' -WhatIf } |
            Should -Throw -ErrorId 'NoCredentials,DeployOps.Commands.GetDeploymentHealthCommand'
        { Restart-EcsService -Cluster 'c' -Service 's' -Region 'us-east-1' -EndpointUrl $nowhere -WhatIf } |
            Should -Throw -ErrorId 'NoCredentials,DeployOps.Commands.RestartEcsServiceCommand'
    }

    It 'no region: NoRegion, terminating, saying how to provide one' {
        $thrown = { Wait-EcsDeployment -Cluster 'c' -Service 's' -Credential $anyCredential -EndpointUrl $nowhere } |
            Should -Throw -ErrorId 'NoRegion,DeployOps.Commands.WaitEcsDeploymentCommand' -PassThru

        [string]$thrown.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $thrown.ToString() | Should -Match '-Region'
        $thrown.ToString() | Should -Match 'Set-DefaultAWSRegion'
    }

    It 'a profile that does not exist: ProfileNotFound, never another profile' {
        $thrown = { Get-DeploymentHealth -Cluster 'c' -Region 'us-east-1' -ProfileName 'no-such-profile' -EndpointUrl $nowhere } |
            Should -Throw -ErrorId 'ProfileNotFound,DeployOps.Commands.GetDeploymentHealthCommand' -PassThru

        [string]$thrown.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $thrown.ToString() | Should -Match 'no-such-profile'
    }

    It 'an endpoint URL that is not a URL: InvalidEndpointUrl, terminating' {
        { Get-DeploymentHealth -Cluster 'c' -Region 'us-east-1' -Credential $anyCredential -EndpointUrl 'not a url' } |
            Should -Throw -ErrorId 'InvalidEndpointUrl,DeployOps.Commands.GetDeploymentHealthCommand'
    }

    It 'a settings environment that does not exist: EnvironmentNotFound, listing the known ones' {
        $settings = Join-Path -Path $TestDrive -ChildPath 'deployops.json'
        [System.IO.File]::WriteAllText($settings, '{ "environments": { "dev": { "region": "us-east-1", "cluster": "c" } } }')

        $thrown = { Get-DeploymentHealth -Environment 'prod' -ConfigPath $settings -Credential $anyCredential } |
            Should -Throw -ErrorId 'EnvironmentNotFound,DeployOps.Commands.GetDeploymentHealthCommand' -PassThru
        $thrown.ToString() | Should -Match 'dev'
    }

    It 'a settings file that is not there: EnvironmentFileNotFound' {
        { Get-DeploymentHealth -Environment 'dev' -ConfigPath (Join-Path -Path $TestDrive -ChildPath 'missing.json') } |
            Should -Throw -ErrorId 'EnvironmentFileNotFound,DeployOps.Commands.GetDeploymentHealthCommand'
    }

    It 'Test-DeploymentEndpoint works without any AWS credentials or region' {
        $url = 'http://127.0.0.1:{0}/health' -f (Get-ClosedPort)

        $result = Test-DeploymentEndpoint -Url $url -TimeoutSec 2 -ErrorVariable failures -ErrorAction SilentlyContinue

        $result | Should -BeOfType ([DeployOps.Endpoints.EndpointTestResult])
        $result.Success | Should -BeFalse
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'EndpointCheckFailed,DeployOps.Commands.TestDeploymentEndpointCommand'
        [string]$failures[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $failures[0].TargetObject | Should -Be $url
    }

    It 'Test-DeploymentEndpoint reports a malformed URL as InvalidUrl naming it, and tests the next URL' {
        $good = 'http://127.0.0.1:{0}/' -f (Get-ClosedPort)

        $results = @('not a url', $good | Test-DeploymentEndpoint -TimeoutSec 2 -ErrorVariable failures -ErrorAction SilentlyContinue)

        $results | Should -HaveCount 1
        $results[0].Url | Should -Be $good
        $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidUrl,DeployOps.Commands.TestDeploymentEndpointCommand'
        [string]$failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].TargetObject | Should -Be 'not a url'
        $failures[0].ToString() | Should -Match "'not a url'"
    }
}

Describe 'Against the sandbox' -Tag Integration {
    BeforeAll {
        $savedAwsEnvironment = Enter-SandboxAwsEnvironment -Path $awsFolder
        $sandbox = Start-DeployOpsSandbox -Scenario 'healthy'
        $aws = @{ Region = 'us-east-1'; EndpointUrl = $sandbox.Url }

        # Every deployment ever started for the Lightwave service, as the sandbox counts them.
        function Get-DeploymentsStarted {
            $state = Get-SandboxState -Sandbox $sandbox
            [int](@($state.services) | Where-Object { $_.service -eq $lightwave.Service } | Select-Object -First 1).deploymentsStarted
        }

        function Get-HealthyReport {
            $null = Set-SandboxScenario -Sandbox $sandbox -Name 'healthy'
            Wait-SandboxCondition -Because 'a healthy report' -ScriptBlock {
                Get-DeploymentHealth @lightwave @aws -ErrorAction SilentlyContinue | Where-Object { [string]$_.Status -eq 'Healthy' }
            }
        }
    }

    AfterAll {
        if ($sandbox) {
            Stop-DeployOpsSandbox -Sandbox $sandbox
        }

        Exit-SandboxAwsEnvironment -State $savedAwsEnvironment
    }

    Context 'output types and pipeline binding' {
        BeforeAll {
            $report = Get-HealthyReport
        }

        It 'Get-DeploymentHealth writes DeploymentHealthReport' {
            $report | Should -BeOfType ([DeployOps.Health.DeploymentHealthReport])
        }

        It 'a report pipes into the next cmdlet with no repeated -Region or -EndpointUrl' {
            $again = $report | Get-DeploymentHealth

            $again | Should -BeOfType ([DeployOps.Health.DeploymentHealthReport])
            $again.Service | Should -Be $lightwave.Service
            $again.EndpointUrl | Should -Be $sandbox.Url
        }

        It 'Restart-EcsService | Wait-EcsDeployment waits for the deployment just started' {
            $before = Get-DeploymentsStarted
            $started = Restart-EcsService @lightwave @aws -Confirm:$false
            $started | Should -BeOfType ([DeployOps.Deployments.EcsDeploymentStart])
            Get-DeploymentsStarted | Should -Be ($before + 1)

            $result = $started | Wait-EcsDeployment -Timeout 180 -PollInterval 1 -ErrorVariable failures

            $failures | Should -HaveCount 0
            $result | Should -BeOfType ([DeployOps.Deployments.DeploymentWaitResult])
            $result.DeploymentId | Should -Be $started.DeploymentId
            [string]$result.Outcome | Should -Be 'Completed'
        }

        It 'Restart-EcsService -Wait writes the DeploymentWaitResult instead, and records the completed rollout in the journal' {
            $registry = Join-Path -Path $TestDrive -ChildPath 'restart-registry'
            $output = @(Restart-EcsService @lightwave @aws -Wait -Timeout 180 -Force -RegistryPath $registry)

            $output | Should -HaveCount 1
            $output[0] | Should -BeOfType ([DeployOps.Deployments.DeploymentWaitResult])
            [string]$output[0].Outcome | Should -Be 'Completed'
            $output[0].VerifiedIn | Should -Be (Join-Path -Path $registry -ChildPath 'journal.json')
            (Get-Content -LiteralPath $output[0].VerifiedIn -Raw) | Should -BeLike '*Restart-EcsService -Wait*'
        }

        It 'Restart-EcsService -Wait -NoJournal records nothing' {
            $registry = Join-Path -Path $TestDrive -ChildPath 'restart-no-journal'
            $output = @(Restart-EcsService @lightwave @aws -Wait -Timeout 180 -Force -RegistryPath $registry -NoJournal)

            [string]$output[0].Outcome | Should -Be 'Completed'
            $output[0].VerifiedIn | Should -BeNullOrEmpty
            Join-Path -Path $registry -ChildPath 'journal.json' | Should -Not -Exist
        }

        It 'Test-DeploymentEndpoint takes URLs from the pipeline' {
            $url = (Get-SandboxLoadBalancerUrl -Sandbox $sandbox) + $healthPath

            $result = $url | Test-DeploymentEndpoint -RetryCount 10 -RetryIntervalSec 1

            $result.StatusCode | Should -Be 200
        }

        It 'writes what the engine reports as verbose output, from the pipeline thread' {
            $records = @(Wait-EcsDeployment @lightwave @aws -Timeout 60 -PollInterval 1 -Verbose 4>&1)

            $verbose = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { $_.Message })
            ($verbose -match '^Waiting up to 60 s for deployment').Count | Should -Be 1
            @($records | Where-Object { $_ -is [DeployOps.Deployments.DeploymentWaitResult] }) | Should -HaveCount 1
        }
    }

    Context '-WhatIf changes nothing' {
        BeforeAll {
            $report = Get-HealthyReport
        }

        It 'Restart-EcsService -WhatIf starts no deployment' {
            $before = Get-DeploymentsStarted

            $output = @(Restart-EcsService @lightwave @aws -Wait -WhatIf)

            $output | Should -HaveCount 0
            Get-DeploymentsStarted | Should -Be $before
        }

        It 'Repair-TargetGroupHealthCheck -WhatIf -Force changes no health check (-Force never beats -WhatIf)' {
            $before = (Get-SandboxState -Sandbox $sandbox).targetGroups | Where-Object { $_.name -eq 'lightwave-dev-backend-tg' }

            $output = @($report | Repair-TargetGroupHealthCheck -HealthCheckPath '/other/' -Matcher '200-299' -Redeploy -WhatIf -Force)

            $output | Should -HaveCount 0
            $after = (Get-SandboxState -Sandbox $sandbox).targetGroups | Where-Object { $_.name -eq 'lightwave-dev-backend-tg' }
            $after.healthCheckPath | Should -Be $before.healthCheckPath
            $after.matcher | Should -Be $before.matcher
        }
    }

    Context 'errors for one item are non-terminating, with stable ids' {
        BeforeAll {
            $report = Get-HealthyReport
            $arn = @($report.TargetGroupArn)[0]
            $missingArn = $arn -replace '/[0-9a-f]+$', '/0123456789abcdef'
        }

        It 'an unknown cluster is ClusterNotFound' {
            $output = @(Get-DeploymentHealth -Cluster 'no-such-cluster' @aws -ErrorVariable failures -ErrorAction SilentlyContinue)

            $output | Should -HaveCount 0
            $failures[0].FullyQualifiedErrorId | Should -Be 'ClusterNotFound,DeployOps.Commands.GetDeploymentHealthCommand'
            [string]$failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }

        It 'an unknown service is ServiceNotFound for <_>' -ForEach @('Restart-EcsService', 'Wait-EcsDeployment') {
            $null = & $_ -Cluster $lightwave.Cluster -Service 'no-such-service' @aws -ErrorVariable failures -ErrorAction SilentlyContinue

            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be ('ServiceNotFound,DeployOps.Commands.{0}Command' -f ($_ -replace '-', ''))
            [string]$failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }

        It 'a malformed ARN is InvalidTargetGroupArn naming it, and the next group is still processed' {
            $output = @(Repair-TargetGroupHealthCheck -TargetGroupArn 'arn:not-a-target-group', $arn -HealthCheckPath $healthPath @aws -Force -ErrorVariable failures -ErrorAction SilentlyContinue)

            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidTargetGroupArn,DeployOps.Commands.RepairTargetGroupHealthCheckCommand'
            [string]$failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $failures[0].TargetObject | Should -Be 'arn:not-a-target-group'
            $failures[0].ToString() | Should -Match 'arn:not-a-target-group'
            # The group already checks this path: nothing to change, and it says so.
            $output | Should -HaveCount 1
            $output[0].Changed | Should -BeFalse
        }

        It 'a target group that does not exist is TargetGroupNotFound' {
            $null = Repair-TargetGroupHealthCheck -TargetGroupArn $missingArn -HealthCheckPath $healthPath @aws -Force -ErrorVariable failures -ErrorAction SilentlyContinue

            $failures[0].FullyQualifiedErrorId | Should -Be 'TargetGroupNotFound,DeployOps.Commands.RepairTargetGroupHealthCheckCommand'
            [string]$failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }

        It 'a bad path or matcher is InvalidHealthCheckPath or InvalidMatcher naming the value' {
            $null = Repair-TargetGroupHealthCheck -TargetGroupArn $arn -HealthCheckPath 'health' @aws -Force -ErrorVariable pathFailures -ErrorAction SilentlyContinue
            $null = Repair-TargetGroupHealthCheck -TargetGroupArn $arn -HealthCheckPath $healthPath -Matcher '999' @aws -Force -ErrorVariable matcherFailures -ErrorAction SilentlyContinue

            $pathFailures[0].FullyQualifiedErrorId | Should -Be 'InvalidHealthCheckPath,DeployOps.Commands.RepairTargetGroupHealthCheckCommand'
            $pathFailures[0].ToString() | Should -Match "'health'"
            $matcherFailures[0].FullyQualifiedErrorId | Should -Be 'InvalidMatcher,DeployOps.Commands.RepairTargetGroupHealthCheckCommand'
            $matcherFailures[0].ToString() | Should -Match "'999'"
        }

        It 'an unreachable endpoint is EndpointUnreachable naming the endpoint, without a stack trace' {
            $nowhere = 'http://127.0.0.1:{0}' -f (Get-ClosedPort)

            $null = Get-DeploymentHealth @lightwave -Region 'us-east-1' -EndpointUrl $nowhere -ErrorVariable failures -ErrorAction SilentlyContinue

            $failures[0].FullyQualifiedErrorId | Should -Be 'EndpointUnreachable,DeployOps.Commands.GetDeploymentHealthCommand'
            [string]$failures[0].CategoryInfo.Category | Should -Be 'ConnectionError'
            $failures[0].ToString() | Should -Match ([regex]::Escape($nowhere))
            $failures[0].ToString() | Should -Not -Match '\bat DeployOps\.'
        }
    }

    Context 'AWS common parameters and shell defaults' {
        BeforeAll {
            $null = Get-HealthyReport
        }

        It 'uses $StoredAWSRegion (Set-DefaultAWSRegion) when there is no -Region' {
            $StoredAWSRegion = 'us-east-1'

            $report = Get-DeploymentHealth @lightwave -EndpointUrl $sandbox.Url

            $report.Region | Should -Be 'us-east-1'
        }

        It 'uses $StoredAWSCredentials (Set-AWSCredential) when nothing else names credentials' {
            $saved = Enter-SandboxAwsEnvironment -Path $awsFolder -WithoutCredentials
            try {
                $StoredAWSCredentials = [Amazon.Runtime.BasicAWSCredentials]::new('shell', 'shell')
                $report = Get-DeploymentHealth @lightwave @aws
            }
            finally {
                Exit-SandboxAwsEnvironment -State $saved
            }

            $report.Service | Should -Be $lightwave.Service
        }

        It 'reads -ProfileLocation relative to the PowerShell location, and stamps -ProfileName on the report' {
            $folder = Join-Path -Path $TestDrive -ChildPath 'profiles'
            $null = New-Item -Path $folder -ItemType Directory -Force
            [System.IO.File]::WriteAllText((Join-Path -Path $folder -ChildPath 'credentials'), "[deployops-test]`naws_access_key_id = profile`naws_secret_access_key = profile`n")

            Push-Location -LiteralPath $folder
            try {
                $report = Get-DeploymentHealth @lightwave @aws -ProfileName 'deployops-test' -ProfileLocation './credentials'
            }
            finally {
                Pop-Location
            }

            $report.ProfileName | Should -Be 'deployops-test'
        }

        It 'never shows the secret key in output, verbose text or errors' {
            $secret = 'wJalrXUtnFEMI-K7MDENG-DEPLOYOPS-SECRET'
            $credential = [Amazon.Runtime.BasicAWSCredentials]::new('AKIDEPLOYOPSTEST', $secret)

            # -ErrorAction Continue: the ServiceNotFound error must reach *>&1 even when the caller's preference is Stop
            # (tools/Invoke-PesterSuite.ps1 sets it), where it would otherwise end the command.
            $everything = @(Get-DeploymentHealth @lightwave -Service 'no-such-service', $lightwave.Service @aws -Credential $credential -Verbose -ErrorAction Continue *>&1) |
                ForEach-Object { ($_ | Format-List -Property * -Force | Out-String -Width 400) }

            ($everything -join [Environment]::NewLine) | Should -Not -Match ([regex]::Escape($secret))
        }
    }

    Context 'Ctrl-C' {
        BeforeAll {
            $null = Get-HealthyReport
        }

        AfterAll {
            Set-SandboxClock -Sandbox $sandbox -Speed 30
        }

        It 'stops Wait-EcsDeployment at once' {
            # A deployment that, at real-time speed, takes minutes.
            $started = Restart-EcsService @lightwave @aws -Force
            Set-SandboxClock -Sandbox $sandbox -Speed 1
            $manifest = Join-Path -Path $PSScriptRoot -ChildPath '../DeployOps.psd1'
            $shell = [powershell]::Create()
            try {
                $null = $shell.AddScript({
                        param($Manifest, $Started)
                        Import-Module -Name $Manifest
                        $Started | Wait-EcsDeployment -Timeout 600 -PollInterval 1
                    }).AddArgument($manifest).AddArgument($started)
                $null = $shell.BeginInvoke()
                Start-Sleep -Seconds 3
                [string]$shell.InvocationStateInfo.State | Should -Be 'Running' -Because 'the wait should still be going'

                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                $shell.Stop()
                $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
                [string]$shell.InvocationStateInfo.State | Should -Be 'Stopped'
            }
            finally {
                $shell.Dispose()
            }
        }
    }
}
