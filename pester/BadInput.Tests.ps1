#Requires -Version 5.1
<#
    Every bad input gets a clear error: one table of bad inputs to the five cmdlets, each row asserting the whole
    FullyQualifiedErrorId, the category, whether the error stops the command, a regex the message must match (naming
    the bad value and what was expected), and that the error text carries no stack trace. Add a row for every new
    parameter, rule or cmdlet.

    Columns: Command, Label (what is bad), Arguments (splatted), ErrorId, Category, Terminating, Message (regex),
    Server ('none': nothing answers, so a row that reached AWS would fail as EndpointUnreachable; 'sandbox': the
    DeployOps sandbox, healthy scenario), optionally Variables (environment variables for the row; $null removes one)
    and SkipOnSdkStore. Placeholders in string values: {Files} (this suite's throwaway files), {Nowhere} (a URL nothing
    listens on), {Home}, {Sandbox}, {TargetGroupArn}, {MissingTargetGroupArn}; in Message they stand for their
    regex-escaped values.

    AWS settings are throwaway (Enter-SandboxAwsEnvironment): credentials 'sandbox' in the environment, empty
    credentials and config files; the user's ~/.aws and AWS_* variables are neither read nor changed.
#>

BeforeDiscovery {
    $lightwaveCluster = 'lightwave-dev-ecs-cluster'
    $lightwaveService = 'lightwave-backend-api-dev'
    $arn = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/0123456789abcdef'
    $offline = @{ Region = 'us-east-1'; EndpointUrl = '{Nowhere}' }
    $repair = @{ TargetGroupArn = $arn; HealthCheckPath = '/health'; Force = $true }
    $wait = @{ Cluster = 'c'; Service = 's' }

    $badInputs = @(
        # ---------------------------------------------------------------- Get-DeploymentHealth: parameters
        @{ Command = 'Get-DeploymentHealth'; Label = 'an empty -Cluster'; Server = 'none'
            Arguments = @{ Cluster = '' } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'Cluster'\. The argument is null or empty" }
        @{ Command = 'Get-DeploymentHealth'; Label = 'an empty -Service'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Service = @('') } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'Service'\. The argument is null, empty" }
        @{ Command = 'Get-DeploymentHealth'; Label = 'a blank -Cluster'; Server = 'none'
            Arguments = @{ Cluster = '  ' } + $offline
            ErrorId = 'MissingCluster'; Category = 'InvalidArgument'; Terminating = $false
            Message = "No cluster to inspect \(the cluster name is '  '\)" }
        @{ Command = 'Get-DeploymentHealth'; Label = 'an -ExpectedHealthCheckPath without a leading /'; Server = 'none'
            Arguments = @{ Cluster = 'c'; ExpectedHealthCheckPath = 'health' } + $offline
            ErrorId = 'InvalidHealthCheckPath'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^'health' is not a health-check path; expected a path .* that starts with /" }
        @{ Command = 'Get-DeploymentHealth'; Label = 'an -ExpectedHealthCheckPath with a space'; Server = 'none'
            Arguments = @{ Cluster = 'c'; ExpectedHealthCheckPath = '/api/health check' } + $offline
            ErrorId = 'InvalidHealthCheckPath'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^'/api/health check' is not a health-check path; .*no spaces" }
        @{ Command = 'Get-DeploymentHealth'; Label = 'a -HealthUrl without a scheme'; Server = 'none'
            Arguments = @{ Cluster = 'c'; HealthUrl = 'dev.example.com/health' } + $offline
            ErrorId = 'InvalidUrl'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^'dev\.example\.com/health' is not a URL to test; expected an absolute http:// or https:// URL" }
        @{ Command = 'Get-DeploymentHealth'; Label = 'an ftp -HealthUrl'; Server = 'none'
            Arguments = @{ Cluster = 'c'; HealthUrl = 'ftp://example.com/health' } + $offline
            ErrorId = 'InvalidUrl'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^'ftp://example\.com/health' is not a URL to test" }

        # ---------------------------------------------------------------- Get-DeploymentHealth: the settings file
        @{ Command = 'Get-DeploymentHealth'; Label = 'an empty -Environment'; Server = 'none'
            Arguments = @{ Environment = ''; ConfigPath = '{Files}/deployops.json' }
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'Environment'\. The argument is null or empty" }
        @{ Command = 'Get-DeploymentHealth'; Label = 'an environment the file does not define'; Server = 'none'
            Arguments = @{ Environment = 'prod'; ConfigPath = '{Files}/deployops.json' }
            ErrorId = 'EnvironmentNotFound'; Category = 'ObjectNotFound'; Terminating = $true
            Message = "^The environment 'prod' is not defined in '{Files}/deployops\.json'\. Known environments: dev\." }
        @{ Command = 'Get-DeploymentHealth'; Label = 'a -ConfigPath that does not exist'; Server = 'none'
            Arguments = @{ Environment = 'dev'; ConfigPath = '{Files}/missing.json' }
            ErrorId = 'EnvironmentFileNotFound'; Category = 'ObjectNotFound'; Terminating = $true
            Message = "^The settings file '{Files}/missing\.json' \(from -ConfigPath\) does not exist\." }
        @{ Command = 'Get-DeploymentHealth'; Label = 'a folder as -ConfigPath'; Server = 'none'
            Arguments = @{ Environment = 'dev'; ConfigPath = '{Files}/empty-folder' }
            ErrorId = 'EnvironmentFileNotFound'; Category = 'ObjectNotFound'; Terminating = $true
            Message = "^'{Files}/empty-folder' \(from -ConfigPath\) is a folder; expected a settings file \(deployops\.json\)\.$" }
        @{ Command = 'Get-DeploymentHealth'; Label = 'a folder holding deployops.json as -ConfigPath'; Server = 'none'
            Arguments = @{ Environment = 'dev'; ConfigPath = '{Files}/settings-folder' }
            ErrorId = 'EnvironmentFileNotFound'; Category = 'ObjectNotFound'; Terminating = $true
            Message = "is a folder; expected a settings file \(deployops\.json\)\. It holds one: -ConfigPath '{Files}/settings-folder/deployops\.json'" }
        @{ Command = 'Get-DeploymentHealth'; Label = 'a -ConfigPath on a PowerShell drive (resolved by the provider)'; Server = 'none'
            Arguments = @{ Environment = 'prod'; ConfigPath = 'TestDrive:/deployops.json' }
            ErrorId = 'EnvironmentNotFound'; Category = 'ObjectNotFound'; Terminating = $true
            Message = "^The environment 'prod' is not defined in '{Files}/deployops\.json'" }
        @{ Command = 'Get-DeploymentHealth'; Label = 'a -ConfigPath under ~ (resolved by the provider)'; Server = 'none'
            Arguments = @{ Environment = 'dev'; ConfigPath = '~/deployops-no-such-settings.json' }
            ErrorId = 'EnvironmentFileNotFound'; Category = 'ObjectNotFound'; Terminating = $true
            Message = "^The settings file '{Home}/deployops-no-such-settings\.json' \(from -ConfigPath\) does not exist\." }
        @{ Command = 'Get-DeploymentHealth'; Label = 'a -ConfigPath of another provider'; Server = 'none'
            Arguments = @{ Environment = 'dev'; ConfigPath = 'Env:/PATH' }
            ErrorId = 'NotAFileSystemPath'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^'Env:/PATH' \(from -ConfigPath\) is a path of the Environment provider; expected a file system path\." }
        @{ Command = 'Get-DeploymentHealth'; Label = 'a settings file that is not JSON'; Server = 'none'
            Arguments = @{ Environment = 'dev'; ConfigPath = '{Files}/broken.json' }
            ErrorId = 'EnvironmentFileInvalid'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^{Files}/broken\.json, line 3: not valid JSON" }
        @{ Command = 'Get-DeploymentHealth'; Label = 'a settings region that is not a region'; Server = 'none'
            Arguments = @{ Environment = 'dev'; ConfigPath = '{Files}/bad-region.json' }
            ErrorId = 'EnvironmentFileInvalid'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^{Files}/bad-region\.json, line 1, environments\.dev\.region: expected a region name such as `"us-east-1`", found `"Ireland`"" }
        @{ Command = 'Get-DeploymentHealth'; Label = 'a settings profile that does not exist'; Server = 'none'
            Arguments = @{ Environment = 'dev'; ConfigPath = '{Files}/ghost-profile.json' }
            ErrorId = 'ProfileNotFound'; Category = 'AuthenticationError'; Terminating = $true
            Message = "^The AWS profile 'ghost-profile' \(from environment 'dev' of {Files}/ghost-profile\.json\) was not found" }

        # ---------------------------------------------------------------- AWS settings (any AWS cmdlet)
        @{ Command = 'Get-DeploymentHealth'; Label = 'a malformed -Region'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Region = 'US-EAST-1'; EndpointUrl = '{Nowhere}' }
            ErrorId = 'InvalidRegion'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^'US-EAST-1' \(from -Region\) is not an AWS region name\. Expected a name like us-east-1" }
        @{ Command = 'Wait-EcsDeployment'; Label = 'a malformed AWS_REGION'; Server = 'none'
            Arguments = @{ EndpointUrl = '{Nowhere}' } + $wait; Variables = @{ AWS_REGION = 'Europe' }
            ErrorId = 'InvalidRegion'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^'Europe' \(from AWS_REGION\) is not an AWS region name" }
        @{ Command = 'Restart-EcsService'; Label = 'no region anywhere'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Service = 's'; EndpointUrl = '{Nowhere}'; Force = $true }
            ErrorId = 'NoRegion'; Category = 'InvalidOperation'; Terminating = $true
            Message = '^No AWS region was found\. Pass -Region .*Set-DefaultAWSRegion.*AWS_REGION' }
        @{ Command = 'Get-DeploymentHealth'; Label = '-EndpointUrl that is not a URL'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Region = 'us-east-1'; EndpointUrl = 'not a url' }
            ErrorId = 'InvalidEndpointUrl'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^The endpoint URL 'not a url' \(from -EndpointUrl\) is not valid\. Expected an absolute http or https URL" }
        @{ Command = 'Wait-EcsDeployment'; Label = 'an ftp -EndpointUrl'; Server = 'none'
            Arguments = @{ Region = 'us-east-1'; EndpointUrl = 'ftp://127.0.0.1/' } + $wait
            ErrorId = 'InvalidEndpointUrl'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^The endpoint URL 'ftp://127\.0\.0\.1/' \(from -EndpointUrl\) is not valid" }
        @{ Command = 'Restart-EcsService'; Label = 'an AWS_ENDPOINT_URL_ECS without a scheme'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Service = 's'; Region = 'us-east-1'; Force = $true }; Variables = @{ AWS_ENDPOINT_URL_ECS = 'ecs.local:4566' }
            ErrorId = 'InvalidEndpointUrl'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^The endpoint URL 'ecs\.local:4566' \(from AWS_ENDPOINT_URL_ECS\) is not valid" }
        @{ Command = 'Get-DeploymentHealth'; Label = 'AWS_MAX_ATTEMPTS that is not a number'; Server = 'none'
            Arguments = @{ Cluster = 'c' } + $offline; Variables = @{ AWS_MAX_ATTEMPTS = 'abc' }
            ErrorId = 'InvalidMaxAttempts'; Category = 'InvalidOperation'; Terminating = $true
            Message = "^'abc' \(from AWS_MAX_ATTEMPTS\) is not a valid attempt count\. Expected a whole number from 1 to 100" }
        @{ Command = 'Wait-EcsDeployment'; Label = 'AWS_MAX_ATTEMPTS of 0'; Server = 'none'
            Arguments = $offline + $wait; Variables = @{ AWS_MAX_ATTEMPTS = '0' }
            ErrorId = 'InvalidMaxAttempts'; Category = 'InvalidOperation'; Terminating = $true
            Message = "^'0' \(from AWS_MAX_ATTEMPTS\) is not a valid attempt count" }
        @{ Command = 'Get-DeploymentHealth'; Label = 'no credentials anywhere'; Server = 'none'; SkipOnSdkStore = $true
            Arguments = @{ Cluster = 'c' } + $offline; Variables = @{ AWS_ACCESS_KEY_ID = $null; AWS_SECRET_ACCESS_KEY = $null }
            ErrorId = 'NoCredentials'; Category = 'AuthenticationError'; Terminating = $true
            Message = '^No AWS credentials were found\. .*-Credential.*-ProfileName.*AWS_ACCESS_KEY_ID' }
        @{ Command = 'Restart-EcsService'; Label = 'only AWS_SECRET_ACCESS_KEY set'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Service = 's'; Force = $true } + $offline; Variables = @{ AWS_ACCESS_KEY_ID = $null }
            ErrorId = 'NoCredentials'; Category = 'AuthenticationError'; Terminating = $true
            Message = 'AWS_ACCESS_KEY_ID is missing' }
        @{ Command = 'Get-DeploymentHealth'; Label = 'a -ProfileName that does not exist'; Server = 'none'
            Arguments = @{ Cluster = 'c'; ProfileName = 'no-such-profile' } + $offline
            ErrorId = 'ProfileNotFound'; Category = 'AuthenticationError'; Terminating = $true
            Message = "^The AWS profile 'no-such-profile' \(from -ProfileName\) was not found" }
        @{ Command = 'Wait-EcsDeployment'; Label = 'an AWS_PROFILE that does not exist'; Server = 'none'
            Arguments = $offline + $wait; Variables = @{ AWS_ACCESS_KEY_ID = $null; AWS_SECRET_ACCESS_KEY = $null; AWS_PROFILE = 'ghost' }
            ErrorId = 'ProfileNotFound'; Category = 'AuthenticationError'; Terminating = $true
            Message = "^The AWS profile 'ghost' \(from AWS_PROFILE\) was not found" }
        @{ Command = 'Get-DeploymentHealth'; Label = 'a -ProfileLocation that does not exist'; Server = 'none'
            Arguments = @{ Cluster = 'c'; ProfileLocation = '{Files}/no-such-credentials' } + $offline
            ErrorId = 'ProfileFileNotFound'; Category = 'InvalidOperation'; Terminating = $true
            Message = "^The credentials file '{Files}/no-such-credentials' \(from -ProfileLocation\) does not exist\." }
        @{ Command = 'Restart-EcsService'; Label = 'a folder as -ProfileLocation'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Service = 's'; ProfileLocation = '{Files}/empty-folder'; Force = $true } + $offline
            ErrorId = 'ProfileFileNotFound'; Category = 'InvalidOperation'; Terminating = $true
            Message = "^'{Files}/empty-folder' \(from -ProfileLocation\) is a folder\. Expected a shared credentials file" }
        @{ Command = 'Wait-EcsDeployment'; Label = 'a -ProfileLocation without a default profile'; Server = 'none'
            Arguments = @{ ProfileLocation = '{Files}/no-default-credentials' } + $offline + $wait
            ErrorId = 'ProfileNotFound'; Category = 'AuthenticationError'; Terminating = $true
            Message = "^The AWS profile 'default' \(from -ProfileLocation without -ProfileName\) was not found" }
        @{ Command = 'Get-DeploymentHealth'; Label = 'a credentials file with an unclosed [default'; Server = 'none'
            Arguments = @{ Cluster = 'c'; ProfileLocation = '{Files}/unclosed-section-credentials' } + $offline
            ErrorId = 'ProfileFileInvalid'; Category = 'InvalidOperation'; Terminating = $true
            Message = "^The AWS credentials file '{Files}/unclosed-section-credentials', line 1, is not valid: expected a \[profile\] section" }
        @{ Command = 'Repair-TargetGroupHealthCheck'; Label = 'a credentials file with a garbage line'; Server = 'none'
            Arguments = @{ ProfileLocation = '{Files}/garbage-line-credentials' } + $offline + $repair
            ErrorId = 'ProfileFileInvalid'; Category = 'InvalidOperation'; Terminating = $true
            Message = "^The AWS credentials file '{Files}/garbage-line-credentials', line 3, is not valid" }
        @{ Command = 'Wait-EcsDeployment'; Label = 'a corrupt AWS_SHARED_CREDENTIALS_FILE'; Server = 'none'
            Arguments = $offline + $wait; Variables = @{ AWS_ACCESS_KEY_ID = $null; AWS_SECRET_ACCESS_KEY = $null; AWS_SHARED_CREDENTIALS_FILE = '{Files}/garbage-line-credentials' }
            ErrorId = 'ProfileFileInvalid'; Category = 'InvalidOperation'; Terminating = $true
            Message = "^The AWS credentials file '{Files}/garbage-line-credentials', line 3, is not valid" }

        # ---------------------------------------------------------------- Repair-TargetGroupHealthCheck
        @{ Command = 'Repair-TargetGroupHealthCheck'; Label = 'an empty -HealthCheckPath'; Server = 'none'
            Arguments = @{ TargetGroupArn = $arn; HealthCheckPath = ''; Force = $true } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'HealthCheckPath'\. The argument is null or empty" }
        @{ Command = 'Repair-TargetGroupHealthCheck'; Label = 'a -TargetGroupArn that is not a target group ARN'; Server = 'none'
            Arguments = @{ TargetGroupArn = 'arn:not-a-target-group'; HealthCheckPath = '/health'; Force = $true } + $offline
            ErrorId = 'InvalidTargetGroupArn'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'arn:not-a-target-group' is not a target group ARN; expected arn:aws:elasticloadbalancing:<region>" }
        @{ Command = 'Repair-TargetGroupHealthCheck'; Label = 'a load balancer ARN as -TargetGroupArn'; Server = 'none'
            Arguments = @{ TargetGroupArn = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alb/0123456789abcdef'; HealthCheckPath = '/health'; Force = $true } + $offline
            ErrorId = 'InvalidTargetGroupArn'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alb/0123456789abcdef' is not a target group ARN" }
        @{ Command = 'Repair-TargetGroupHealthCheck'; Label = 'a -HealthCheckPath without a leading /'; Server = 'none'
            Arguments = @{ TargetGroupArn = $arn; HealthCheckPath = 'health'; Force = $true } + $offline
            ErrorId = 'InvalidHealthCheckPath'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'health' is not a health-check path; expected a path .* that starts with /" }
        @{ Command = 'Repair-TargetGroupHealthCheck'; Label = 'a -Matcher out of range'; Server = 'none'
            Arguments = @{ Matcher = '999' } + $repair + $offline
            ErrorId = 'InvalidMatcher'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'999' is not an HTTP matcher; expected codes from 200 to 499" }
        @{ Command = 'Repair-TargetGroupHealthCheck'; Label = 'a -Matcher that is not a code'; Server = 'none'
            Arguments = @{ Matcher = 'ok' } + $repair + $offline
            ErrorId = 'InvalidMatcher'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'ok' is not an HTTP matcher" }
        @{ Command = 'Repair-TargetGroupHealthCheck'; Label = 'a -Matcher with an open range'; Server = 'none'
            Arguments = @{ Matcher = '200-' } + $repair + $offline
            ErrorId = 'InvalidMatcher'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'200-' is not an HTTP matcher" }
        @{ Command = 'Repair-TargetGroupHealthCheck'; Label = 'a -Timeout of 0'; Server = 'none'
            Arguments = @{ Timeout = 0 } + $repair + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'Timeout'\. The 0 argument is less than the minimum allowed range of 1" }

        # ---------------------------------------------------------------- Restart-EcsService
        @{ Command = 'Restart-EcsService'; Label = 'an empty -Cluster'; Server = 'none'
            Arguments = @{ Cluster = ''; Service = 's'; Force = $true } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'Cluster'\. The argument is null or empty" }
        @{ Command = 'Restart-EcsService'; Label = 'a -Timeout over a day'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Service = 's'; Timeout = 86401; Force = $true } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'Timeout'\. The 86401 argument is greater than the maximum allowed range of 86400" }

        # ---------------------------------------------------------------- Wait-EcsDeployment
        @{ Command = 'Wait-EcsDeployment'; Label = 'an empty -Service'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Service = '' } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'Service'\. The argument is null or empty" }
        @{ Command = 'Wait-EcsDeployment'; Label = 'a -PollInterval over 300'; Server = 'none'
            Arguments = @{ PollInterval = 301 } + $offline + $wait
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'PollInterval'\. The 301 argument is greater than the maximum allowed range of 300" }
        @{ Command = 'Wait-EcsDeployment'; Label = 'a -Timeout of 0'; Server = 'none'
            Arguments = @{ Timeout = 0 } + $offline + $wait
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'Timeout'\. The 0 argument is less than the minimum allowed range of 1" }
        @{ Command = 'Wait-EcsDeployment'; Label = 'a -DeploymentId that is not an ECS one'; Server = 'none'
            Arguments = @{ DeploymentId = 'nope' } + $offline + $wait
            ErrorId = 'InvalidDeploymentId'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'nope' is not an ECS deployment id; expected ecs-svc/ and digits" }

        # ---------------------------------------------------------------- Test-DeploymentEndpoint (no AWS)
        @{ Command = 'Test-DeploymentEndpoint'; Label = 'an empty -Url'; Server = 'none'
            Arguments = @{ Url = '' }
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'Url'\. The argument is null, empty" }
        @{ Command = 'Test-DeploymentEndpoint'; Label = 'a -Url that is not a URL'; Server = 'none'
            Arguments = @{ Url = 'not a url' }
            ErrorId = 'InvalidUrl'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'not a url' is not a URL to test; expected an absolute http:// or https:// URL" }
        @{ Command = 'Test-DeploymentEndpoint'; Label = 'an ftp -Url'; Server = 'none'
            Arguments = @{ Url = 'ftp://example.com/' }
            ErrorId = 'InvalidUrl'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'ftp://example\.com/' is not a URL to test" }
        @{ Command = 'Test-DeploymentEndpoint'; Label = 'a -Url nothing answers'; Server = 'none'
            Arguments = @{ Url = '{Nowhere}/health'; TimeoutSec = 2 }
            ErrorId = 'EndpointCheckFailed'; Category = 'ConnectionError'; Terminating = $false
            Message = "^'{Nowhere}/health' failed the check after 1 attempt\(s\): no answer" }
        @{ Command = 'Test-DeploymentEndpoint'; Label = 'an -ExpectedStatusCode that is no HTTP status'; Server = 'none'
            Arguments = @{ Url = 'http://127.0.0.1/'; ExpectedStatusCode = 42 }
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'ExpectedStatusCode'\. The 42 argument is less than the minimum allowed range of 100" }
        @{ Command = 'Test-DeploymentEndpoint'; Label = 'a -TimeoutSec of 0'; Server = 'none'
            Arguments = @{ Url = 'http://127.0.0.1/'; TimeoutSec = 0 }
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'TimeoutSec'\. The 0 argument is less than the minimum allowed range of 1" }
        @{ Command = 'Test-DeploymentEndpoint'; Label = 'a negative -RetryCount'; Server = 'none'
            Arguments = @{ Url = 'http://127.0.0.1/'; RetryCount = -1 }
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'RetryCount'\. The -1 argument is less than the minimum allowed range of 0" }
        @{ Command = 'Test-DeploymentEndpoint'; Label = 'a -RetryIntervalSec over an hour'; Server = 'none'
            Arguments = @{ Url = 'http://127.0.0.1/'; RetryIntervalSec = 3601 }
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'RetryIntervalSec'\. The 3601 argument is greater than the maximum allowed range of 3600" }
        @{ Command = 'Test-DeploymentEndpoint'; Label = 'an empty -Origin'; Server = 'none'
            Arguments = @{ Url = 'http://127.0.0.1/'; Origin = '' }
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'Origin'\. The argument is null or empty" }

        # ---------------------------------------------------------------- CloudFormation cmdlets (runbook 001): parameters
        @{ Command = 'Get-CfnStackDiagnosis'; Label = 'an empty -StackName'; Server = 'none'
            Arguments = @{ StackName = '' } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'StackName'\. The argument is null or empty" }
        @{ Command = 'Get-CfnStackDiagnosis'; Label = 'a -StackName with an underscore'; Server = 'none'
            Arguments = @{ StackName = 'lightwave_dev' } + $offline
            ErrorId = 'InvalidStackName'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'lightwave_dev' is not a stack name: expected a letter, then letters, digits and hyphens" }
        @{ Command = 'Stop-CfnStackUpdate'; Label = 'a -StackName starting with a digit'; Server = 'none'
            Arguments = @{ StackName = '1stack'; Force = $true } + $offline
            ErrorId = 'InvalidStackName'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'1stack' is not a stack name" }
        @{ Command = 'Resume-CfnStackRollback'; Label = 'a -StackName with a space'; Server = 'none'
            Arguments = @{ StackName = 'lightwave dev'; Force = $true } + $offline
            ErrorId = 'InvalidStackName'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'lightwave dev' is not a stack name" }
        @{ Command = 'Remove-CfnStack'; Label = 'an empty -RetainResources'; Server = 'none'
            Arguments = @{ StackName = 's'; RetainResources = @(); Force = $true } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'RetainResources'\. The argument is null, empty" }
        @{ Command = 'Remove-CfnStack'; Label = 'a -Timeout of 0'; Server = 'none'
            Arguments = @{ StackName = 's'; Wait = $true; Timeout = 0; Force = $true } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'Timeout'\. The 0 argument is less than the minimum allowed range of 1" }
        @{ Command = 'Wait-CfnStack'; Label = 'a -PollInterval of 301'; Server = 'none'
            Arguments = @{ StackName = 's'; PollInterval = 301 } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'PollInterval'\. The 301 argument is greater than the maximum allowed range of 300" }
        @{ Command = 'Wait-CfnStack'; Label = 'a -QuietWarning of 0'; Server = 'none'
            Arguments = @{ StackName = 's'; QuietWarning = 0 } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'QuietWarning'\. The 0 argument is less than the minimum allowed range of 1" }
        @{ Command = 'Wait-CfnStack'; Label = 'a stack id that is not an ARN'; Server = 'none'
            Arguments = @{ StackName = 'arn:aws:cloudformation:us-east-1:123:stack/x' } + $offline
            ErrorId = 'InvalidStackName'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'arn:aws:cloudformation:us-east-1:123:stack/x' is not a stack name: .* or a stack id" }
        @{ Command = 'Get-DeploymentEstimate'; Label = 'an empty -RegistryPath'; Server = 'none'
            Arguments = @{ StackName = 's'; RegistryPath = '' } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'RegistryPath'\. The argument is null or empty" }
        @{ Command = 'Get-DeploymentEstimate'; Label = 'a -StackName with a slash'; Server = 'none'
            Arguments = @{ StackName = 'lightwave/dev' } + $offline
            ErrorId = 'InvalidStackName'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'lightwave/dev' is not a stack name" }
        @{ Command = 'Update-DeploymentHistory'; Label = 'an empty -StackName'; Server = 'none'
            Arguments = @{ StackName = @('') } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'StackName'\. The argument is null, empty" }

        # ---------------------------------------------------------------- against the sandbox
        @{ Command = 'Get-DeploymentHealth'; Label = 'an -EndpointUrl with a path'; Server = 'sandbox'
            Arguments = @{ Cluster = $lightwaveCluster; Region = 'us-east-1'; EndpointUrl = '{Sandbox}/some/path' }
            ErrorId = 'UnexpectedEndpointResponse'; Category = 'ProtocolError'; Terminating = $false
            Message = "the endpoint '{Sandbox}/some/path' answered HTTP 404 with a body that is not an AWS answer\. An AWS endpoint URL is the server's base URL without a path, e\.g\. '{Sandbox}/'" }
        @{ Command = 'Restart-EcsService'; Label = 'an -EndpointUrl with a path'; Server = 'sandbox'
            Arguments = @{ Cluster = $lightwaveCluster; Service = $lightwaveService; Region = 'us-east-1'; EndpointUrl = '{Sandbox}/some/path'; Force = $true }
            ErrorId = 'UnexpectedEndpointResponse'; Category = 'ProtocolError'; Terminating = $false
            Message = "'{Sandbox}/some/path' answered HTTP 404 .*e\.g\. '{Sandbox}/'" }
        @{ Command = 'Get-DeploymentHealth'; Label = 'a region the sandbox does not serve'; Server = 'sandbox'
            Arguments = @{ Cluster = $lightwaveCluster; Region = 'xx-fake-9'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'InvalidRegion'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'xx-fake-9' \(from -Region\) is not a region AWS knows: ECS ListServices at '{Sandbox}/' answered HTTP 500" }
        @{ Command = 'Wait-EcsDeployment'; Label = 'a well-formed region AWS does not have'; Server = 'sandbox'
            Arguments = @{ Cluster = $lightwaveCluster; Service = $lightwaveService; Region = 'eu-west-9'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'InvalidRegion'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'eu-west-9' \(from -Region\) is not a region AWS knows" }
        @{ Command = 'Get-DeploymentHealth'; Label = 'a cluster that does not exist'; Server = 'sandbox'
            Arguments = @{ Cluster = 'no-such-cluster'; Region = 'us-east-1'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'ClusterNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Cluster 'no-such-cluster' does not exist in region 'us-east-1'\.$" }
        @{ Command = 'Get-DeploymentHealth'; Label = 'a blank -Service'; Server = 'sandbox'
            Arguments = @{ Cluster = $lightwaveCluster; Service = @(' '); Region = 'us-east-1'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'ServiceNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Service ' ' does not exist in cluster 'lightwave-dev-ecs-cluster'\." }
        @{ Command = 'Get-DeploymentHealth'; Label = 'a service that does not exist'; Server = 'sandbox'
            Arguments = @{ Cluster = $lightwaveCluster; Service = @('no-such-service'); Region = 'us-east-1'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'ServiceNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Service 'no-such-service' does not exist in cluster 'lightwave-dev-ecs-cluster'\. List the cluster's services with" }
        @{ Command = 'Restart-EcsService'; Label = 'a blank -Cluster'; Server = 'sandbox'
            Arguments = @{ Cluster = ' '; Service = $lightwaveService; Region = 'us-east-1'; EndpointUrl = '{Sandbox}'; Force = $true }
            ErrorId = 'ClusterNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Cluster ' ' does not exist in region 'us-east-1'\.$" }
        @{ Command = 'Restart-EcsService'; Label = 'a blank -Service'; Server = 'sandbox'
            Arguments = @{ Cluster = $lightwaveCluster; Service = @(' '); Region = 'us-east-1'; EndpointUrl = '{Sandbox}'; Force = $true }
            ErrorId = 'ServiceNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Service ' ' does not exist in cluster 'lightwave-dev-ecs-cluster'\. List the cluster's services with" }
        @{ Command = 'Wait-EcsDeployment'; Label = 'a cluster that does not exist'; Server = 'sandbox'
            Arguments = @{ Cluster = 'no-such-cluster'; Service = $lightwaveService; Region = 'us-east-1'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'ClusterNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Cluster 'no-such-cluster' does not exist in region 'us-east-1'\.$" }
        @{ Command = 'Wait-EcsDeployment'; Label = 'a service that does not exist'; Server = 'sandbox'
            Arguments = @{ Cluster = $lightwaveCluster; Service = 'no-such-service'; Region = 'us-east-1'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'ServiceNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Service 'no-such-service' does not exist in cluster 'lightwave-dev-ecs-cluster'\. List the cluster's services with" }
        @{ Command = 'Repair-TargetGroupHealthCheck'; Label = 'a target group that does not exist'; Server = 'sandbox'
            Arguments = @{ TargetGroupArn = '{MissingTargetGroupArn}'; HealthCheckPath = '/health'; Region = 'us-east-1'; EndpointUrl = '{Sandbox}'; Force = $true }
            ErrorId = 'TargetGroupNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^'{MissingTargetGroupArn}' was not found" }
        @{ Command = 'Repair-TargetGroupHealthCheck'; Label = 'a -Service to redeploy that does not exist'; Server = 'sandbox'
            Arguments = @{ TargetGroupArn = '{TargetGroupArn}'; HealthCheckPath = '/api/v1/health/health/'; Redeploy = $true; Cluster = $lightwaveCluster; Service = @('no-such-service'); Region = 'us-east-1'; EndpointUrl = '{Sandbox}'; WhatIf = $true }
            ErrorId = 'ServiceNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Service 'no-such-service' does not exist in cluster 'lightwave-dev-ecs-cluster'\.$" }
        @{ Command = 'Repair-TargetGroupHealthCheck'; Label = 'a -Cluster to redeploy in that does not exist'; Server = 'sandbox'
            Arguments = @{ TargetGroupArn = '{TargetGroupArn}'; HealthCheckPath = '/api/v1/health/health/'; Redeploy = $true; Cluster = 'no-such-cluster'; Service = @($lightwaveService); Region = 'us-east-1'; EndpointUrl = '{Sandbox}'; WhatIf = $true }
            ErrorId = 'ClusterNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Cluster 'no-such-cluster' does not exist in region 'us-east-1'\.$" }

        # ---------------------------------------------------------------- runbook 001: registry, outbox, monitor
        @{ Command = 'Register-DeploymentRecord'; Label = 'a -StackName CloudFormation cannot have'; Server = 'none'
            Arguments = @{ StackName = 'bad stack!'; RegistryPath = '{Files}' }
            ErrorId = 'InvalidStackName'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^'bad stack!' is not a CloudFormation stack name; expected a letter, then up to 127 letters, digits and '-'" }
        @{ Command = 'Register-DeploymentRecord'; Label = 'a -CorrelationId with spaces'; Server = 'none'
            Arguments = @{ StackName = 'lightwave-dev-app'; CorrelationId = 'bad id'; RegistryPath = '{Files}' }
            ErrorId = 'InvalidCorrelationId'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^'bad id' is not a correlation id; expected 1 to 128 letters, digits" }
        @{ Command = 'Register-DeploymentRecord'; Label = 'a -RegistryPath that does not exist'; Server = 'none'
            Arguments = @{ StackName = 'lightwave-dev-app'; RegistryPath = '{Files}/no-registry' }
            ErrorId = 'RegistryUnavailable'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "The registry folder '{Files}/no-registry' \(from -RegistryPath\) does not exist" }
        @{ Command = 'Complete-DeploymentRecord'; Label = 'a registry that does not exist'; Server = 'none'
            Arguments = @{ CorrelationId = 'deploy-20250114-101000-0a1b2c'; RegistryPath = '{Files}/no-registry' }
            ErrorId = 'RegistryUnavailable'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "The registry folder '{Files}/no-registry' \(from -RegistryPath\) does not exist" }
        @{ Command = 'Remove-DeploymentRecord'; Label = 'a folder without the registry file'; Server = 'none'
            Arguments = @{ CorrelationId = 'deploy-20250114-101000-0a1b2c'; RegistryPath = '{Files}'; Confirm = $false }
            ErrorId = 'RegistryUnavailable'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^The registry '{Files}/deployments\.json' \(from -RegistryPath\) does not exist\." }
        @{ Command = 'Send-DeploymentNotification'; Label = 'no Slack destination'; Server = 'none'
            Arguments = @{ Message = 'Deployment started'; RegistryPath = '{Files}' }
            Variables = @{ DEPLOYOPS_SLACK_WEBHOOK_URL = $null; DEPLOYOPS_SLACK_TOKEN = $null; DEPLOYOPS_SLACK_CHANNEL = $null }
            ErrorId = 'NotificationNotConfigured'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^No Slack destination is configured: pass -WebhookUrl, or -Token and -Channel" }
        @{ Command = 'Send-DeploymentNotification'; Label = 'a webhook URL in DEPLOYOPS_SLACK_WEBHOOK_URL that is not https'; Server = 'none'
            Arguments = @{ Message = 'Deployment started'; RegistryPath = '{Files}' }
            Variables = @{ DEPLOYOPS_SLACK_WEBHOOK_URL = 'ftp://hooks.example.com/services/T0/B0/key'; DEPLOYOPS_SLACK_TOKEN = $null; DEPLOYOPS_SLACK_CHANNEL = $null }
            ErrorId = 'InvalidNotificationDestination'; Category = 'InvalidArgument'; Terminating = $true
            Message = "is not an incoming webhook URL; expected https://hooks\.slack\.com/services/.*\(The value is not shown: it is a secret\.\)$" }
        @{ Command = 'Send-DeploymentNotification'; Label = 'a token in DEPLOYOPS_SLACK_TOKEN that is not a Slack token'; Server = 'none'
            Arguments = @{ Message = 'Deployment started'; Channel = 'C0A9M9DPFUY'; RegistryPath = '{Files}' }
            Variables = @{ DEPLOYOPS_SLACK_WEBHOOK_URL = $null; DEPLOYOPS_SLACK_TOKEN = 'not-a-token'; DEPLOYOPS_SLACK_CHANNEL = $null }
            ErrorId = 'InvalidNotificationDestination'; Category = 'InvalidArgument'; Terminating = $true
            Message = "is not a Slack token; expected a bot token that starts with xoxb-\. \(The value is not shown: it is a secret\.\)$" }
        @{ Command = 'Send-DeploymentNotification'; Label = 'a -Channel with a space'; Server = 'none'
            Arguments = @{ Message = 'Deployment started'; Channel = 'bad channel'; RegistryPath = '{Files}' }
            Variables = @{ DEPLOYOPS_SLACK_WEBHOOK_URL = $null; DEPLOYOPS_SLACK_TOKEN = 'xoxb-1000-2000-abcdef'; DEPLOYOPS_SLACK_CHANNEL = $null }
            ErrorId = 'InvalidNotificationDestination'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^'bad channel' is not a Slack channel; expected a channel id such as C0A9M9DPFUY" }
        @{ Command = 'Send-DeploymentNotification'; Label = 'a blank -Message'; Server = 'none'
            Arguments = @{ Message = '   '; Channel = 'C0A9M9DPFUY'; QueueOnly = $true; RegistryPath = '{Files}' }
            Variables = @{ DEPLOYOPS_SLACK_WEBHOOK_URL = $null; DEPLOYOPS_SLACK_TOKEN = 'xoxb-1000-2000-abcdef'; DEPLOYOPS_SLACK_CHANNEL = $null }
            ErrorId = 'InvalidNotification'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'   ' is not a notification; expected a message with text" }
        @{ Command = 'Invoke-NotificationQueue'; Label = 'no Slack destination'; Server = 'none'
            Arguments = @{ RegistryPath = '{Files}' }
            Variables = @{ DEPLOYOPS_SLACK_WEBHOOK_URL = $null; DEPLOYOPS_SLACK_TOKEN = $null; DEPLOYOPS_SLACK_CHANNEL = $null }
            ErrorId = 'NotificationNotConfigured'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^No Slack destination is configured" }
        @{ Command = 'Remove-NotificationQueueItem'; Label = 'a key the outbox does not have'; Server = 'none'
            Arguments = @{ IdempotencyKey = 'no-such-key'; RegistryPath = '{Files}'; Confirm = $false }
            ErrorId = 'NotificationQueueItemNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^The outbox has no pending or dead-letter message with key 'no-such-key'\. See them with Get-NotificationQueue" }
        @{ Command = 'Get-DeploymentMonitor'; Label = 'a deployment no monitor watched'; Server = 'none'
            Arguments = @{ CorrelationId = 'deploy-nope'; RegistryPath = '{Files}' }
            ErrorId = 'MonitorNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^No monitor has watched deployment 'deploy-nope' with the store at .*Start one with Watch-Deployment\.$" }
        @{ Command = 'Watch-Deployment'; Label = 'a -StackName CloudFormation cannot have'; Server = 'none'
            Arguments = @{ StackName = 'bad stack!'; RegistryPath = '{Files}' } + $offline
            ErrorId = 'InvalidStackName'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'bad stack!' is not a CloudFormation stack name" }
        # ---------------------------------------------------------------- CloudFormation cmdlets (runbook 001): against the sandbox
        @{ Command = 'Get-CfnStackDiagnosis'; Label = 'a stack that does not exist'; Server = 'sandbox'
            Arguments = @{ StackName = 'no-such-stack'; Region = 'us-east-1'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'StackNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Stack 'no-such-stack' does not exist in region 'us-east-1'" }
        @{ Command = 'Stop-CfnStackUpdate'; Label = 'a stack that does not exist'; Server = 'sandbox'
            Arguments = @{ StackName = 'no-such-stack'; Region = 'us-east-1'; EndpointUrl = '{Sandbox}'; Force = $true }
            ErrorId = 'StackNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Stack 'no-such-stack' does not exist in region 'us-east-1'" }
        @{ Command = 'Wait-CfnStack'; Label = 'a stack that does not exist'; Server = 'sandbox'
            Arguments = @{ StackName = 'no-such-stack'; Region = 'us-east-1'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'StackNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Stack 'no-such-stack' does not exist in region 'us-east-1'" }
        @{ Command = 'Get-DeploymentEstimate'; Label = 'a stack that does not exist'; Server = 'sandbox'
            Arguments = @{ StackName = 'no-such-stack'; Region = 'us-east-1'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'StackNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Stack 'no-such-stack' does not exist in region 'us-east-1'" }

        # ---------------------------------------------------------------- runbook 003: Lightsail and post-deploy verification
        @{ Command = 'Get-LightsailDeployment'; Label = 'an empty -ServiceName'; Server = 'none'
            Arguments = @{ ServiceName = @('') } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'ServiceName'\. The argument is null, empty" }
        @{ Command = 'Get-LightsailDeployment'; Label = 'a -Version of 0'; Server = 'none'
            Arguments = @{ ServiceName = @('api'); Version = 0 } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'Version'\. The 0 argument is less than the minimum allowed range of 1" }
        @{ Command = 'Publish-LightsailDeployment'; Label = 'an -Image with a space'; Server = 'none'
            Arguments = @{ ServiceName = 'api'; Image = 'api 165'; Force = $true } + $offline
            ErrorId = 'InvalidImageReference'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^'api 165' is not an image reference; expected a pushed image such as :api\.soft-launch-32\.165" }
        @{ Command = 'Publish-LightsailDeployment'; Label = 'an -Image pushed to another service'; Server = 'none'
            Arguments = @{ ServiceName = 'api'; Image = ':web.soft-launch-32.165'; Force = $true } + $offline
            ErrorId = 'InvalidImageReference'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^':web\.soft-launch-32\.165' was pushed to container service 'web', not 'api'" }
        @{ Command = 'Publish-LightsailDeployment'; Label = 'a -SetEnvironment name with a space'; Server = 'none'
            Arguments = @{ ServiceName = 'api'; Image = ':api.soft-launch-32.165'; SetEnvironment = @{ 'AI MAX' = 'x' }; Force = $true } + $offline
            ErrorId = 'InvalidEnvironmentName'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^'AI MAX' \(from -SetEnvironment\) is not an environment variable name; expected letters, digits and _" }
        @{ Command = 'Publish-LightsailDeployment'; Label = 'a -HealthCheckPath without a leading /'; Server = 'none'
            Arguments = @{ ServiceName = 'api'; Image = ':api.soft-launch-32.165'; HealthCheckPath = 'health/ready'; Force = $true } + $offline
            ErrorId = 'InvalidHealthCheckPath'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^'health/ready' \(from -HealthCheckPath\) is not a health path; expected a path that starts with /" }
        @{ Command = 'Publish-LightsailDeployment'; Label = 'a -Timeout of 0'; Server = 'none'
            Arguments = @{ ServiceName = 'api'; Image = ':api.soft-launch-32.165'; Timeout = 0; Force = $true } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'Timeout'\. The 0 argument is less than the minimum allowed range of 1" }
        @{ Command = 'Invoke-LightsailRollback'; Label = 'a -Version of 0'; Server = 'none'
            Arguments = @{ ServiceName = 'api'; Version = 0; Force = $true } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'Version'\. The 0 argument is less than the minimum allowed range of 1" }
        @{ Command = 'Set-LightsailContainerService'; Label = 'a -Scale of 0'; Server = 'none'
            Arguments = @{ ServiceName = 'api'; Scale = 0; Force = $true } + $offline
            ErrorId = 'InvalidCapacity'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^0 is not a scale; expected 1 to 20 nodes" }
        @{ Command = 'Set-LightsailContainerService'; Label = 'an unknown -Power'; Server = 'none'
            Arguments = @{ ServiceName = 'api'; Power = 'huge'; Force = $true } + $offline
            ErrorId = 'InvalidCapacity'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^'huge' is not a container service power; expected one of nano, micro, small, medium, large, xlarge" }
        @{ Command = 'Test-DeploymentVerification'; Label = 'an -Origin with a path'; Server = 'none'
            Arguments = @{ ServiceName = @('api'); Origin = @('https://app.example.com/login') } + $offline
            ErrorId = 'InvalidUrl'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^'https://app\.example\.com/login' is not an origin; expected a scheme and host without a path" }
        @{ Command = 'Test-DeploymentVerification'; Label = 'a blank -ExpectedImageTag'; Server = 'none'
            Arguments = @{ ServiceName = @('api'); ExpectedImageTag = ' ' } + $offline
            ErrorId = 'InvalidImageReference'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^' ' is not an image tag; expected a tag such as 165" }
        @{ Command = 'Test-DeploymentVerification'; Label = 'a -StartupPhase pattern that does not compile'; Server = 'none'
            Arguments = @{ ServiceName = @('api'); StartupPhase = @('/Listening on (port/') } + $offline
            ErrorId = 'InvalidStartupPhase'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^'/Listening on \(port/' is not a startup phase: the regular expression does not compile" }
        @{ Command = 'Test-DeploymentVerification'; Label = 'a -RequiredEnvironment name with a dash'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Service = @('s'); RequiredEnvironment = @('AI-MAX') } + $offline
            ErrorId = 'InvalidEnvironmentName'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^'AI-MAX' \(from -RequiredEnvironment\) is not an environment variable name" }
        @{ Command = 'Get-LightsailDeployment'; Label = 'a container service that does not exist'; Server = 'sandbox'
            Arguments = @{ ServiceName = @('no-such-service'); Region = 'us-east-2'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'LightsailServiceNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Container service 'no-such-service' does not exist in region 'us-east-2'\. List the region's container services with" }
        @{ Command = 'Publish-LightsailDeployment'; Label = 'a container service that does not exist'; Server = 'sandbox'
            Arguments = @{ ServiceName = 'no-such-service'; Image = 'nginx:1.25'; Region = 'us-east-2'; EndpointUrl = '{Sandbox}'; Force = $true }
            ErrorId = 'LightsailServiceNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Container service 'no-such-service' does not exist in region 'us-east-2'\." }
        @{ Command = 'Invoke-LightsailRollback'; Label = 'a container service that does not exist'; Server = 'sandbox'
            Arguments = @{ ServiceName = 'no-such-service'; Region = 'us-east-2'; EndpointUrl = '{Sandbox}'; Force = $true }
            ErrorId = 'LightsailServiceNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Container service 'no-such-service' does not exist in region 'us-east-2'\." }
        @{ Command = 'Set-LightsailContainerService'; Label = 'a container service that does not exist'; Server = 'sandbox'
            Arguments = @{ ServiceName = 'no-such-service'; Scale = 2; Region = 'us-east-2'; EndpointUrl = '{Sandbox}'; Force = $true }
            ErrorId = 'LightsailServiceNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Container service 'no-such-service' does not exist in region 'us-east-2'\." }
        @{ Command = 'Test-DeploymentVerification'; Label = 'a container service that does not exist'; Server = 'sandbox'
            Arguments = @{ ServiceName = @('no-such-service'); Region = 'us-east-2'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'LightsailServiceNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Container service 'no-such-service' does not exist in region 'us-east-2'\." }
        @{ Command = 'Test-DeploymentVerification'; Label = 'an ECS service that does not exist'; Server = 'sandbox'
            Arguments = @{ Cluster = $lightwaveCluster; Service = @('no-such-service'); Region = 'us-east-1'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'ServiceNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Service 'no-such-service' does not exist in cluster 'lightwave-dev-ecs-cluster'\." }
        # ---------------------------------------------------------------- issue 8: network path, history, rollback, resilience
        @{ Command = 'Test-EcsNetworkPath'; Label = 'an empty -Cluster'; Server = 'none'
            Arguments = @{ Cluster = '' } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'Cluster'\. The argument is null or empty" }
        @{ Command = 'Test-EcsNetworkPath'; Label = 'a -DatabasePort of 0'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Service = 's'; DatabaseSecurityGroupId = 'sg-0123456789abcdef0'; DatabasePort = 0 } + $offline
            ErrorId = 'InvalidDatabasePort'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^0 is not a database port; expected a TCP port from 1 to 65535" }
        @{ Command = 'Test-EcsNetworkPath'; Label = 'a -DatabaseSecurityGroupId that is a name'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Service = 's'; DatabaseSecurityGroupId = 'lightwave-dev-db-sg'; DatabasePort = 5432 } + $offline
            ErrorId = 'InvalidSecurityGroupId'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'lightwave-dev-db-sg' is not a security group id; expected sg- and hex digits" }
        @{ Command = 'Test-EcsNetworkPath'; Label = 'a -DatabasePort without -DatabaseSecurityGroupId'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Service = 's'; DatabasePort = 5432 } + $offline
            ErrorId = 'InvalidSecurityGroupId'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^A database port \(5432\) without its security group: give -DatabaseSecurityGroupId too" }
        @{ Command = 'Repair-EcsNetworkPath'; Label = 'a -DatabasePort above 65535'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Service = 's'; DatabaseSecurityGroupId = 'sg-0123456789abcdef0'; DatabasePort = 70000; Force = $true } + $offline
            ErrorId = 'InvalidDatabasePort'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^70000 is not a database port; expected a TCP port from 1 to 65535" }
        @{ Command = 'Repair-EcsNetworkPath'; Label = 'a service that does not exist'; Server = 'sandbox'
            Arguments = @{ Cluster = $lightwaveCluster; Service = 'no-such-service'; Region = 'us-east-1'; EndpointUrl = '{Sandbox}'; Force = $true }
            ErrorId = 'ServiceNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Service 'no-such-service' does not exist in cluster 'lightwave-dev-ecs-cluster'\. List the cluster's services with" }
        @{ Command = 'Get-EcsTaskDefinitionHistory'; Label = 'a -MaxRevisions of 0'; Server = 'none'
            Arguments = @{ Family = 'f'; MaxRevisions = 0 } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'MaxRevisions'\. The 0 argument is less than the minimum allowed range of 1" }
        @{ Command = 'Get-EcsTaskDefinitionHistory'; Label = 'a family with no revision'; Server = 'sandbox'
            Arguments = @{ Family = 'no-such-family'; Region = 'us-east-1'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'TaskDefinitionNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Task definition family 'no-such-family' has no ACTIVE revision in region 'us-east-1'" }
        @{ Command = 'Invoke-EcsRollback'; Label = 'a -TaskDefinition without a revision'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Service = 's'; TaskDefinition = 'lightwave-backend-dev'; Force = $true } + $offline
            ErrorId = 'InvalidTaskDefinition'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'lightwave-backend-dev' is not a task definition revision; expected family:revision such as lightwave-backend-dev:2, or its ARN" }
        @{ Command = 'Invoke-EcsRollback'; Label = 'a -Timeout of 0'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Service = 's'; ToPrevious = $true; Wait = $true; Timeout = 0; Force = $true } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'Timeout'\. The 0 argument is less than the minimum allowed range of 1" }
        @{ Command = 'Invoke-EcsRollback'; Label = 'a revision that does not exist'; Server = 'sandbox'
            Arguments = @{ Cluster = $lightwaveCluster; Service = $lightwaveService; TaskDefinition = 'lightwave-backend-dev:99'; Region = 'us-east-1'; EndpointUrl = '{Sandbox}'; Force = $true }
            ErrorId = 'TaskDefinitionNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Task definition 'lightwave-backend-dev:99' does not exist in region 'us-east-1'\. List the revisions with Get-EcsTaskDefinitionHistory" }
        @{ Command = 'Invoke-EcsRollback'; Label = 'the revision already running'; Server = 'sandbox'
            Arguments = @{ Cluster = $lightwaveCluster; Service = $lightwaveService; TaskDefinition = 'lightwave-backend-dev:1'; Region = 'us-east-1'; EndpointUrl = '{Sandbox}'; Force = $true }
            ErrorId = 'RollbackTargetRunning'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^The service already runs lightwave-backend-dev:1; a rollback to it would change nothing" }
        @{ Command = 'Invoke-EcsRollback'; Label = '-ToPrevious with no earlier revision'; Server = 'sandbox'
            Arguments = @{ Cluster = $lightwaveCluster; Service = $lightwaveService; ToPrevious = $true; Region = 'us-east-1'; EndpointUrl = '{Sandbox}'; Force = $true }
            ErrorId = 'NoRollbackTarget'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^No revision of lightwave-backend-dev before lightwave-backend-dev:1 to roll back to" }
        @{ Command = 'Test-DeploymentResilience'; Label = 'a -ReadyPattern that is not a regular expression'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Service = 's'; ReadyPattern = 'Listening (on' } + $offline
            ErrorId = 'InvalidReadyPattern'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^'Listening \(on' is not a regular expression .*expected the text of the line the application logs when it is ready" }

        @{ Command = 'Test-DeploymentResilience'; Label = 'a -ReadyPath that is not a path'; Server = 'none'
            Arguments = @{ ServiceName = @('api'); ReadyPath = 'health/ready' } + $offline
            ErrorId = 'InvalidHealthCheckPath'; Category = 'InvalidArgument'; Terminating = $true
            Message = "^'health/ready' \(from -ReadyPath\) is not a health path; expected a path that starts with / and has no spaces" }
        @{ Command = 'Test-DeploymentResilience'; Label = 'a container service that does not exist'; Server = 'sandbox'
            Arguments = @{ ServiceName = @('no-such-service'); Region = 'us-east-2'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'LightsailServiceNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Container service 'no-such-service' does not exist in region 'us-east-2'\." }
        @{ Command = 'Get-DeploymentLog'; Label = 'a container service that does not exist'; Server = 'sandbox'
            Arguments = @{ ServiceName = 'no-such-service'; Region = 'us-east-2'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'LightsailServiceNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Container service 'no-such-service' does not exist in region 'us-east-2'\." }

        # ---------------------------------------------------------------- Get-EcsTaskFailure, Get-DeploymentLog, Test-StartupSequence, Get-EcsServiceMetric
        @{ Command = 'Get-DeploymentLog'; Label = 'a -Since with no unit'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Service = 's'; Since = 30 } + $offline
            ErrorId = 'ParameterArgumentTransformationError'; Category = 'InvalidData'; Terminating = $true
            Message = "'30' has no unit: give a span such as 30m, 2h, 45s, 1d, or 00:30:00" }
        @{ Command = 'Get-EcsTaskFailure'; Label = 'a -Since that is no span'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Since = 'yesterday' } + $offline
            ErrorId = 'ParameterArgumentTransformationError'; Category = 'InvalidData'; Terminating = $true
            Message = "'yesterday' is not a span: give one such as 30m, 2h, 45s, 1d, 1w, or 00:30:00\." }
        @{ Command = 'Get-EcsTaskFailure'; Label = 'a -StartTime after -EndTime'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Service = @('s'); StartTime = [datetime]'2026-01-02T00:00:00Z'; EndTime = [datetime]'2026-01-01T00:00:00Z' } + $offline
            ErrorId = 'InvalidTimeWindow'; Category = 'InvalidArgument'; Terminating = $false
            Message = '-StartTime \(.*2026-01-02.*\) must be before -EndTime \(.*2026-01-01.*\)' }
        @{ Command = 'Get-EcsTaskFailure'; Label = 'both -Since and -StartTime'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Service = @('s'); Since = '1h'; StartTime = [datetime]'2026-01-01T00:00:00Z' } + $offline
            ErrorId = 'InvalidTimeWindow'; Category = 'InvalidArgument'; Terminating = $false
            Message = 'Give -Since or -StartTime, not both' }
        @{ Command = 'Get-DeploymentLog'; Label = 'neither -Service nor -Task'; Server = 'none'
            Arguments = @{ Cluster = 'c' } + $offline
            ErrorId = 'MissingService'; Category = 'InvalidArgument'; Terminating = $false
            Message = '^Whose log\? Give -Service \(every task of it\), -Task \(those tasks\), or both\.$' }
        @{ Command = 'Get-DeploymentLog'; Label = '-Follow with an -EndTime'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Service = 's'; Follow = $true; EndTime = [datetime]'2026-01-01T00:00:00Z' } + $offline
            ErrorId = 'InvalidTimeWindow'; Category = 'InvalidArgument'; Terminating = $false
            Message = '^-Follow reads until Ctrl-C, so it takes no -EndTime\.$' }
        @{ Command = 'Get-DeploymentLog'; Label = 'a -Tail of 0'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Service = 's'; Tail = 0 } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'Tail'\. The 0 argument is less than the minimum allowed range of 1" }
        @{ Command = 'Get-DeploymentLog'; Label = 'an empty -Pattern'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Service = 's'; Pattern = '' } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'Pattern'\. The argument is null or empty" }
        @{ Command = 'Test-StartupSequence'; Label = 'a -Phase that is no regular expression'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Service = 's'; Phase = @('Starting', '/Listening on [port/') } + $offline
            ErrorId = 'InvalidStartupPhase'; Category = 'InvalidArgument'; Terminating = $true
            Message = '^-Phase: .*/Listening on \[port/' }
        @{ Command = 'Test-StartupSequence'; Label = 'a blank -Phase'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Service = 's'; Phase = @('Starting', '  ') } + $offline
            ErrorId = 'InvalidStartupPhase'; Category = 'InvalidArgument'; Terminating = $true
            Message = '^-Phase: a phase is text its log line contains, or a /regular expression/; it cannot be empty' }
        @{ Command = 'Get-EcsServiceMetric'; Label = 'a -Period that is no multiple of 60'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Service = @('s'); Period = 90 } + $offline
            ErrorId = 'InvalidMetricPeriod'; Category = 'InvalidArgument'; Terminating = $false
            Message = '^-Period must be 60 seconds or a multiple of 60 \(ECS publishes a value a minute\); it is 90\.$' }
        @{ Command = 'Get-EcsServiceMetric'; Label = 'a -Period under a minute'; Server = 'none'
            Arguments = @{ Cluster = 'c'; Period = 30 } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'Period'\. The 30 argument is less than the minimum allowed range of 60" }
        @{ Command = 'Get-EcsTaskFailure'; Label = 'a service that does not exist'; Server = 'sandbox'
            Arguments = @{ Cluster = $lightwaveCluster; Service = @('no-such-service'); Region = 'us-east-1'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'ServiceNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Service 'no-such-service' does not exist in cluster 'lightwave-dev-ecs-cluster'\." }
        @{ Command = 'Get-EcsTaskFailure'; Label = 'a task that does not exist'; Server = 'sandbox'
            Arguments = @{ Cluster = $lightwaveCluster; Task = @('0123456789abcdef0123456789abcdef'); Region = 'us-east-1'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'TaskNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Task '0123456789abcdef0123456789abcdef' is not in cluster 'lightwave-dev-ecs-cluster': ECS lists stopped tasks for about an hour" }
        @{ Command = 'Get-DeploymentLog'; Label = 'a container the task definition does not have'; Server = 'sandbox'
            Arguments = @{ Cluster = $lightwaveCluster; Service = $lightwaveService; Container = 'no-such-container'; Region = 'us-east-1'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'ContainerNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "has no container 'no-such-container'; its containers: backend" }
        @{ Command = 'Get-DeploymentLog'; Label = 'a task that does not exist'; Server = 'sandbox'
            Arguments = @{ Cluster = $lightwaveCluster; Task = @('0123456789abcdef0123456789abcdef'); Region = 'us-east-1'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'TaskNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Task '0123456789abcdef0123456789abcdef' is not a task in cluster 'lightwave-dev-ecs-cluster'" }
        @{ Command = 'Test-StartupSequence'; Label = 'a cluster that does not exist'; Server = 'sandbox'
            Arguments = @{ Cluster = 'no-such-cluster'; Service = $lightwaveService; Phase = @('Starting'); Region = 'us-east-1'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'ClusterNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Cluster 'no-such-cluster' does not exist in region 'us-east-1'\." }
        @{ Command = 'Get-EcsServiceMetric'; Label = 'a service that does not exist'; Server = 'sandbox'
            Arguments = @{ Cluster = $lightwaveCluster; Service = @('no-such-service'); Region = 'us-east-1'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'ServiceNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Service 'no-such-service' does not exist in cluster 'lightwave-dev-ecs-cluster'\." }

        # ---------------------------------------------------------------- Get-WafBlockedRequest, Test-AlarmNotification
        @{ Command = 'Get-WafBlockedRequest'; Label = 'an empty -LoadBalancer'; Server = 'none'
            Arguments = @{ LoadBalancer = '' } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'LoadBalancer'\. The argument is null or empty" }
        @{ Command = 'Get-WafBlockedRequest'; Label = 'a -ClientIp that is not a whole address'; Server = 'none'
            Arguments = @{ LoadBalancer = 'lightwave-dev-alb'; ClientIp = '203.0.113' } + $offline
            ErrorId = 'InvalidClientIp'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^-ClientIp '203\.0\.113' is not an IP address; expected an IPv4 or IPv6 address such as 203\.0\.113\.7\.$" }
        @{ Command = 'Get-WafBlockedRequest'; Label = 'a -MaxSamples of 0'; Server = 'none'
            Arguments = @{ LoadBalancer = 'lightwave-dev-alb'; MaxSamples = 0 } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'MaxSamples'\. The 0 argument is less than the minimum allowed range of 1" }
        @{ Command = 'Get-WafBlockedRequest'; Label = 'both -Since and -StartTime'; Server = 'none'
            Arguments = @{ LoadBalancer = 'lightwave-dev-alb'; Since = '1h'; StartTime = [datetime]'2026-01-01' } + $offline
            ErrorId = 'InvalidTimeWindow'; Category = 'InvalidArgument'; Terminating = $false
            Message = '^Give -Since or -StartTime, not both' }
        @{ Command = 'Get-WafBlockedRequest'; Label = 'a load balancer that does not exist'; Server = 'sandbox'
            Arguments = @{ LoadBalancer = 'no-such-alb'; Region = 'us-east-1'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'LoadBalancerNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Load balancer 'no-such-alb' does not exist in 'us-east-1'\.$" }
        @{ Command = 'Test-AlarmNotification'; Label = 'a -Service without -Cluster'; Server = 'none'
            Arguments = @{ Service = $lightwaveService } + $offline
            ErrorId = 'MissingCluster'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^-Service 'lightwave-backend-api-dev' needs -Cluster" }
        @{ Command = 'Test-AlarmNotification'; Label = 'a -FlapThreshold of 0'; Server = 'none'
            Arguments = @{ FlapThreshold = 0 } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'FlapThreshold'\. The 0 argument is less than the minimum allowed range of 1" }
        @{ Command = 'Test-AlarmNotification'; Label = 'an alarm that does not exist'; Server = 'sandbox'
            Arguments = @{ AlarmName = @('no-such-alarm'); Region = 'us-east-1'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'AlarmNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^There is no metric alarm 'no-such-alarm' in us-east-1 \(alarm names are case-sensitive\)\.$" }
        @{ Command = 'Test-AlarmNotification'; Label = 'a load balancer that does not exist'; Server = 'sandbox'
            Arguments = @{ LoadBalancer = 'no-such-alb'; Region = 'us-east-1'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'LoadBalancerNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Load balancer 'no-such-alb' does not exist in 'us-east-1'\.$" }
        # ---------------------------------------------------------------- Get-LoadBalancerHealth, Set-LoadBalancerAttribute
        @{ Command = 'Get-LoadBalancerHealth'; Label = 'a -LoadBalancer that is no name or ARN'; Server = 'none'
            Arguments = @{ LoadBalancer = @('-web_alb') } + $offline
            ErrorId = 'InvalidLoadBalancerName'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'-web_alb' is not a load balancer name or ARN: expected a name of 1 to 32 letters, digits and hyphens" }
        @{ Command = 'Get-LoadBalancerHealth'; Label = 'an empty -LoadBalancer'; Server = 'none'
            Arguments = @{ LoadBalancer = @('') } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'LoadBalancer'\. The argument is null, empty" }
        @{ Command = 'Get-LoadBalancerHealth'; Label = 'both -Since and -StartTime'; Server = 'none'
            Arguments = @{ LoadBalancer = @('web-alb'); Since = '30m'; StartTime = '2026-01-01T00:00:00Z' } + $offline
            ErrorId = 'InvalidTimeWindow'; Category = 'InvalidArgument'; Terminating = $false
            Message = '^Give -Since or -StartTime, not both' }
        @{ Command = 'Set-LoadBalancerAttribute'; Label = 'an -IdleTimeout over 4000 seconds'; Server = 'none'
            Arguments = @{ LoadBalancer = @('web-alb'); IdleTimeout = 4001; Force = $true } + $offline
            ErrorId = 'InvalidIdleTimeout'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^-IdleTimeout must be 1 to 4000 seconds \(ALB's range\); it is 4001\.$" }
        @{ Command = 'Set-LoadBalancerAttribute'; Label = 'an -IdleTimeout of 0'; Server = 'none'
            Arguments = @{ LoadBalancer = @('web-alb'); IdleTimeout = 0; Force = $true } + $offline
            ErrorId = 'InvalidIdleTimeout'; Category = 'InvalidArgument'; Terminating = $false
            Message = '; it is 0\.$' }
        @{ Command = 'Set-LoadBalancerAttribute'; Label = 'a -LoadBalancer that is no name or ARN'; Server = 'none'
            Arguments = @{ LoadBalancer = @('arn:aws:ec2:us-east-1:123456789012:instance/i-1'); IdleTimeout = 120; Force = $true } + $offline
            ErrorId = 'InvalidLoadBalancerName'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'arn:aws:ec2:us-east-1:123456789012:instance/i-1' is not a load balancer name or ARN" }
        @{ Command = 'Get-LoadBalancerHealth'; Label = 'a load balancer that does not exist'; Server = 'sandbox'
            Arguments = @{ LoadBalancer = @('no-such-alb'); Region = 'us-east-1'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'LoadBalancerNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Load balancer 'no-such-alb' does not exist in 'us-east-1'\.$" }
        @{ Command = 'Get-LoadBalancerHealth'; Label = 'a service that does not exist'; Server = 'sandbox'
            Arguments = @{ Cluster = $lightwaveCluster; Service = @('no-such-service'); Region = 'us-east-1'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'ServiceNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Service 'no-such-service' does not exist in cluster 'lightwave-dev-ecs-cluster'\." }
        @{ Command = 'Set-LoadBalancerAttribute'; Label = 'a load balancer that does not exist'; Server = 'sandbox'
            Arguments = @{ LoadBalancer = @('no-such-alb'); IdleTimeout = 120; Force = $true; Region = 'us-east-1'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'LoadBalancerNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^Load balancer 'no-such-alb' does not exist in 'us-east-1'\.$" }
        # ---------------------------------------------------------------- issue 9b: Test-DatabaseConnectivity, Start-DatabaseCluster, Test-VpcNetwork
        @{ Command = 'Test-DatabaseConnectivity'; Label = 'an empty -DatabaseCluster'; Server = 'none'
            Arguments = @{ DatabaseCluster = '' } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'DatabaseCluster'\. The argument is null or empty" }
        @{ Command = 'Test-DatabaseConnectivity'; Label = 'a -Variable that is no variable name'; Server = 'none'
            Arguments = @{ DatabaseCluster = 'db'; Variable = 'DATABASE-URL' } + $offline
            ErrorId = 'InvalidDatabaseVariable'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'DATABASE-URL' is not an environment variable name; expected letters, digits and underscores, e\.g\. DATABASE_URL\." }
        @{ Command = 'Test-DatabaseConnectivity'; Label = '-Service without -Cluster'; Server = 'none'
            Arguments = @{ DatabaseCluster = 'db'; Service = 's' } + $offline
            ErrorId = 'MissingService'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^The application is named by -Cluster and -Service together; only -Service s was given\." }
        @{ Command = 'Test-DatabaseConnectivity'; Label = 'a -ProbeTimeout of 0'; Server = 'none'
            Arguments = @{ DatabaseCluster = 'db'; Probe = $true; ProbeTimeout = 0 } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'ProbeTimeout'\. The 0 argument is less than the minimum allowed range of 1" }
        @{ Command = 'Test-DatabaseConnectivity'; Label = 'a cluster that does not exist'; Server = 'sandbox'
            Arguments = @{ DatabaseCluster = 'no-such-db'; Region = 'us-east-1'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'DatabaseClusterNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^RDS cluster 'no-such-db' does not exist in this account and region\." }
        @{ Command = 'Start-DatabaseCluster'; Label = 'a -Timeout of 0'; Server = 'none'
            Arguments = @{ DatabaseCluster = 'db'; Wait = $true; Timeout = 0; Force = $true } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'Timeout'\. The 0 argument is less than the minimum allowed range of 1" }
        @{ Command = 'Start-DatabaseCluster'; Label = 'a cluster that does not exist'; Server = 'sandbox'
            Arguments = @{ DatabaseCluster = 'no-such-db'; Region = 'us-east-1'; EndpointUrl = '{Sandbox}'; Force = $true }
            ErrorId = 'DatabaseClusterNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^RDS cluster 'no-such-db' does not exist in this account and region\." }
        @{ Command = 'Test-VpcNetwork'; Label = 'a -VpcId that is a subnet id'; Server = 'none'
            Arguments = @{ VpcId = 'subnet-0123456789abcdef0' } + $offline
            ErrorId = 'InvalidVpcId'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'subnet-0123456789abcdef0' is not a VPC id; expected vpc- and 8 or 17 hex digits" }
        @{ Command = 'Test-VpcNetwork'; Label = 'a VPC that does not exist'; Server = 'sandbox'
            Arguments = @{ VpcId = 'vpc-0123456789abcdef0'; Region = 'us-east-1'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'VpcNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^VPC 'vpc-0123456789abcdef0' does not exist in this account and region\." }
        # ---------------------------------------------------------------- RDS DB instances: Test-DatabaseConnectivity -DatabaseInstance, Start-DatabaseInstance
        @{ Command = 'Test-DatabaseConnectivity'; Label = 'an empty -DatabaseInstance'; Server = 'none'
            Arguments = @{ DatabaseInstance = '' } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'DatabaseInstance'\. The argument is null or empty" }
        @{ Command = 'Test-DatabaseConnectivity'; Label = 'both -DatabaseCluster and -DatabaseInstance'; Server = 'none'
            Arguments = @{ DatabaseCluster = 'db'; DatabaseInstance = 'pg' } + $offline
            ErrorId = 'AmbiguousParameterSet'; Category = 'InvalidArgument'; Terminating = $true
            Message = '^Parameter set cannot be resolved using the specified named parameters' }
        @{ Command = 'Test-DatabaseConnectivity'; Label = 'an instance that does not exist'; Server = 'sandbox'
            Arguments = @{ DatabaseInstance = 'no-such-pg'; Region = 'us-east-1'; EndpointUrl = '{Sandbox}' }
            ErrorId = 'DatabaseInstanceNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^RDS instance 'no-such-pg' does not exist in this account and region\." }
        @{ Command = 'Start-DatabaseInstance'; Label = 'an empty -DatabaseInstance'; Server = 'none'
            Arguments = @{ DatabaseInstance = ''; Force = $true } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'DatabaseInstance'\. The argument is null or empty" }
        @{ Command = 'Start-DatabaseInstance'; Label = 'a -PollInterval of 0'; Server = 'none'
            Arguments = @{ DatabaseInstance = 'pg'; Wait = $true; PollInterval = 0; Force = $true } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'PollInterval'\. The 0 argument is less than the minimum allowed range of 1" }
        @{ Command = 'Start-DatabaseInstance'; Label = 'an instance that does not exist'; Server = 'sandbox'
            Arguments = @{ DatabaseInstance = 'no-such-pg'; Region = 'us-east-1'; EndpointUrl = '{Sandbox}'; Force = $true }
            ErrorId = 'DatabaseInstanceNotFound'; Category = 'ObjectNotFound'; Terminating = $false
            Message = "^RDS instance 'no-such-pg' does not exist in this account and region\." }
        # ---------------------------------------------------------------- issue 9 gaps (net): Get-LoadBalancerHealth -DnsServer
        @{ Command = 'Get-LoadBalancerHealth'; Label = 'a -DnsServer that is a host name'; Server = 'none'
            Arguments = @{ LoadBalancer = @('web-alb'); DnsServer = 'dns.google' } + $offline
            ErrorId = 'InvalidDnsServer'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'dns\.google' is not a DNS server address; expected an IPv4 or IPv6 address with an optional port from 1 to 65535, e\.g\. 8\.8\.8\.8" }
        @{ Command = 'Get-LoadBalancerHealth'; Label = 'a -DnsServer port over 65535'; Server = 'none'
            Arguments = @{ LoadBalancer = @('web-alb'); DnsServer = '8.8.8.8:70000' } + $offline
            ErrorId = 'InvalidDnsServer'; Category = 'InvalidArgument'; Terminating = $false
            Message = "^'8\.8\.8\.8:70000' is not a DNS server address" }
        @{ Command = 'Get-LoadBalancerHealth'; Label = 'an empty -DnsServer'; Server = 'none'
            Arguments = @{ LoadBalancer = @('web-alb'); DnsServer = '' } + $offline
            ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Terminating = $true
            Message = "parameter 'DnsServer'\. The argument is null or empty" }
    )

    $offlineCases = @($badInputs | Where-Object { $_.Server -eq 'none' })
    $sandboxCases = @($badInputs | Where-Object { $_.Server -eq 'sandbox' })
}

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath '../DeployOps.psd1') -Force -ErrorAction Stop
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'Sandbox.psm1') -Force -ErrorAction Stop

    $sdkStore = Test-AwsSdkCredentialStore

    # The throwaway files the rows name: settings files, credentials files, folders.
    function New-BadInputFiles {
        param(
            [Parameter(Mandatory = $true)]
            [string] $Path
        )

        $files = @{
            'deployops.json'                  = '{ "environments": { "dev": { "region": "us-east-1", "cluster": "c" } } }'
            'settings-folder/deployops.json'  = '{ "environments": { "dev": { "region": "us-east-1", "cluster": "c" } } }'
            'broken.json'                     = "{`n  `"environments`": {`n    `"dev`": { `"region`" `"us-east-1`" }`n}"
            'bad-region.json'                 = '{ "environments": { "dev": { "region": "Ireland", "cluster": "c" } } }'
            'ghost-profile.json'              = '{ "environments": { "dev": { "region": "us-east-1", "profile": "ghost-profile", "cluster": "c" } } }'
            'no-default-credentials'          = "[other]`naws_access_key_id = throwaway`naws_secret_access_key = throwaway`n"
            'unclosed-section-credentials'    = "[default`naws_access_key_id = throwaway`naws_secret_access_key = throwaway`n"
            'garbage-line-credentials'        = "[default]`naws_access_key_id = throwaway`nthis line is garbage`n"
        }
        foreach ($name in $files.Keys) {
            $file = Join-Path -Path $Path -ChildPath $name
            $null = New-Item -Path (Split-Path -Path $file -Parent) -ItemType Directory -Force
            [System.IO.File]::WriteAllText($file, $files[$name])
        }

        $null = New-Item -Path (Join-Path -Path $Path -ChildPath 'empty-folder') -ItemType Directory -Force
    }

    # A row's value with its placeholders filled in; -AsRegex escapes what is filled in (for the Message column).
    function Expand-Placeholder {
        param(
            [object] $Value,

            [Parameter(Mandatory = $true)]
            [hashtable] $Placeholders,

            [switch] $AsRegex
        )

        if ($Value -is [string]) {
            $text = $Value
            foreach ($name in $Placeholders.Keys) {
                $filling = [string]$Placeholders[$name]
                if ($AsRegex) {
                    $filling = [regex]::Escape($filling)
                }

                $text = $text.Replace('{' + $name + '}', $filling)
            }

            return $text
        }

        if ($Value -is [array]) {
            return , @($Value | ForEach-Object { Expand-Placeholder -Value $_ -Placeholders $Placeholders -AsRegex:$AsRegex })
        }

        return $Value
    }

    # Runs one row with its environment variables and returns the first error and whether it stopped the command.
    function Invoke-BadInput {
        param(
            [Parameter(Mandatory = $true)]
            [string] $Command,

            [Parameter(Mandatory = $true)]
            [hashtable] $Arguments,

            [hashtable] $Variables = @{}
        )

        # Shadow any AWS.Tools shell defaults of the session running the tests (the cmdlet reads them from this scope).
        $StoredAWSCredentials = $null
        $StoredAWSRegion = $null

        $saved = @{}
        foreach ($name in $Variables.Keys) {
            $saved[$name] = [Environment]::GetEnvironmentVariable($name)
            if ($null -eq $Variables[$name]) {
                Remove-Item -LiteralPath "Env:$name" -ErrorAction SilentlyContinue
            }
            else {
                Set-Item -LiteralPath "Env:$name" -Value $Variables[$name]
            }
        }

        try {
            $failures = @()
            try {
                $null = & $Command @Arguments -ErrorVariable failures -ErrorAction SilentlyContinue
                $record = @($failures) | Select-Object -First 1
                $terminating = $false
            }
            catch {
                $record = $_
                $terminating = $true
            }
        }
        finally {
            Exit-SandboxAwsEnvironment -State $saved
        }

        return [pscustomobject]@{ Record = $record; Terminating = $terminating }
    }

    # The assertions every row makes.
    function Assert-BadInput {
        param(
            [Parameter(Mandatory = $true)]
            [hashtable] $Row,

            [Parameter(Mandatory = $true)]
            [hashtable] $Placeholders
        )

        if ($Row.SkipOnSdkStore -and $sdkStore) {
            Set-ItResult -Skipped -Because 'the AWS SDK store of this Windows user may hold a default profile'
            return
        }

        $arguments = @{}
        foreach ($name in $Row.Arguments.Keys) {
            $arguments[$name] = Expand-Placeholder -Value $Row.Arguments[$name] -Placeholders $Placeholders
        }

        $variables = @{}
        if ($Row.Variables) {
            foreach ($name in $Row.Variables.Keys) {
                $variables[$name] = Expand-Placeholder -Value $Row.Variables[$name] -Placeholders $Placeholders
            }
        }

        $outcome = Invoke-BadInput -Command $Row.Command -Arguments $arguments -Variables $variables
        $record = $outcome.Record
        $record | Should -Not -BeNullOrEmpty -Because "$($Row.Command) should refuse $($Row.Label)"

        $class = 'DeployOps.Commands.{0}Command' -f ($Row.Command -replace '-', '')
        $record.FullyQualifiedErrorId | Should -Be "$($Row.ErrorId),$class" -Because $record.ToString()
        [string]$record.CategoryInfo.Category | Should -Be $Row.Category
        $outcome.Terminating | Should -Be $Row.Terminating
        $record.ToString() | Should -Match (Expand-Placeholder -Value $Row.Message -Placeholders $Placeholders -AsRegex)

        # What the user sees: the message, never a stack trace.
        foreach ($text in @($record.ToString(), ($record | Out-String -Width 400))) {
            $text | Should -Not -MatchExactly '(?m)^\s+at \S'
        }
    }

    $awsFolder = Join-Path -Path ([System.IO.Path]::GetTempPath()) -ChildPath ('deployops-badinput-' + [guid]::NewGuid().ToString('n'))
    $savedAwsEnvironment = Enter-SandboxAwsEnvironment -Path $awsFolder
}

AfterAll {
    Exit-SandboxAwsEnvironment -State $savedAwsEnvironment
    Remove-Item -LiteralPath $awsFolder -Recurse -Force -ErrorAction SilentlyContinue
    Remove-Module -Name 'DeployOps', 'Sandbox' -Force -ErrorAction SilentlyContinue
}

Describe 'Bad inputs that need no server' -Tag Unit {
    BeforeAll {
        New-BadInputFiles -Path $TestDrive
        $placeholders = @{
            Files   = (Get-Item -LiteralPath $TestDrive).FullName
            Nowhere = 'http://127.0.0.1:{0}' -f (Get-ClosedPort)
            Home    = (Get-PSProvider -PSProvider FileSystem).Home
        }
    }

    It '<Command> refuses <Label>: <ErrorId>' -ForEach $offlineCases {
        Assert-BadInput -Row $_ -Placeholders $placeholders
    }
}

Describe 'Bad inputs against the sandbox' -Tag Integration {
    BeforeAll {
        $sandbox = Start-DeployOpsSandbox -Scenario 'healthy'
        $targetGroupArn = [string](@((Get-SandboxState -Sandbox $sandbox).targetGroups) | Where-Object { $_.name -eq 'lightwave-dev-backend-tg' } | Select-Object -First 1).arn
        $placeholders = @{
            Sandbox               = $sandbox.Url
            TargetGroupArn        = $targetGroupArn
            MissingTargetGroupArn = $targetGroupArn -replace '/[0-9a-f]+$', '/0123456789abcdef'
        }
    }

    AfterAll {
        if ($sandbox) {
            Stop-DeployOpsSandbox -Sandbox $sandbox
        }
    }

    It '<Command> refuses <Label>: <ErrorId>' -ForEach $sandboxCases {
        Assert-BadInput -Row $_ -Placeholders $placeholders
    }
}
