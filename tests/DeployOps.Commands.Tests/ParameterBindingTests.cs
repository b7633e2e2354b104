using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using DeployOps.Commands.Tests.Hosting;
using DeployOps.Deployments;
using DeployOps.Health;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Commands.Tests;

/// <summary>Parameter binding as PowerShell does it: mandatory parameters, parameter sets, aliases, validation, switches.</summary>
public sealed class ParameterBindingTests : CmdletTest
{
    public ParameterBindingTests(DeployOpsShell shell, SandboxFixture sandbox)
        : base(shell, sandbox)
    {
    }

    [Theory]
    [InlineData("Restart-EcsService -Cluster c", "RestartEcsServiceCommand", "Service")]
    [InlineData("Wait-EcsDeployment -Service s", "WaitEcsDeploymentCommand", "Cluster")]
    [InlineData("Repair-TargetGroupHealthCheck -TargetGroupArn a", "RepairTargetGroupHealthCheckCommand", "HealthCheckPath")]
    [InlineData("Test-DeploymentEndpoint", "TestDeploymentEndpointCommand", "Url")]
    [InlineData("Get-DeploymentHealth -Region us-east-1", "GetDeploymentHealthCommand", "Cluster")]
    public void A_missing_mandatory_parameter_stops_the_command_naming_it(string script, string commandClass, string parameter)
    {
        var run = Shell.Run(script);

        var error = Assert.IsType<ErrorRecord>(run.Terminating);
        Assert.Equal($"MissingMandatoryParameter,DeployOps.Commands.{commandClass}", error.FullyQualifiedErrorId);
        Assert.EndsWith($"missing mandatory parameters: {parameter}.", error.ToString());
    }

    [Fact]
    public async Task Get_DeploymentHealth_takes_cluster_and_services_by_position_in_the_Cluster_set()
    {
        await UseHealthyScenarioAsync();

        var run = Shell.Run("Get-DeploymentHealth $Cluster $Service @Aws", new { Lightwave.Cluster, Lightwave.Service, Aws });

        var report = Assert.Single(run.OutputOf<DeploymentHealthReport>());
        Assert.Equal((Lightwave.Cluster, Lightwave.Service, null), (report.Cluster, report.Service, report.Environment));
        Assert.Empty(run.Errors);
    }

    [Fact]
    public async Task Get_DeploymentHealth_Environment_reads_region_endpoint_cluster_and_services_from_the_settings_file()
    {
        await UseHealthyScenarioAsync();
        var settings = WriteSettings("environment-set.json");

        var run = Shell.Run("Get-DeploymentHealth -Environment dev -ConfigPath $Settings -Credential $Credential", new { Settings = settings, DeployOpsShell.Credential });

        var report = Assert.Single(run.OutputOf<DeploymentHealthReport>());
        Assert.Equal(("dev", Lightwave.Cluster, Lightwave.Service), (report.Environment, report.Cluster, report.Service));
        Assert.Equal((Lightwave.Region, Sandbox.Url), (report.Region, new System.Uri(report.EndpointUrl!)));
    }

    [Fact]
    public async Task Get_DeploymentHealth_Cluster_in_the_Environment_set_overrides_the_environment_cluster()
    {
        await UseHealthyScenarioAsync();
        var settings = WriteSettings("environment-cluster.json");

        var run = Shell.Run("Get-DeploymentHealth -Environment dev -ConfigPath $Settings -Cluster no-such-cluster -Credential $Credential", new { Settings = settings, DeployOpsShell.Credential });

        var error = Assert.Single(run.Errors);
        Assert.Equal("ClusterNotFound,DeployOps.Commands.GetDeploymentHealthCommand", error.FullyQualifiedErrorId);
        Assert.Contains("no-such-cluster", error.ToString());
        Assert.Empty(run.Output);
    }

    [Fact]
    public void Get_DeploymentHealth_ConfigPath_belongs_to_the_Environment_set_so_Environment_is_then_required()
    {
        var run = Shell.Run("Get-DeploymentHealth -Cluster c -ConfigPath deployops.json");

        Assert.Equal("MissingMandatoryParameter,DeployOps.Commands.GetDeploymentHealthCommand", run.Terminating?.FullyQualifiedErrorId);
        Assert.EndsWith("missing mandatory parameters: Environment.", run.Terminating!.ToString());
    }

    [Theory]
    [InlineData("Wait-EcsDeployment", "WaitEcsDeploymentCommand")]
    [InlineData("Restart-EcsService", "RestartEcsServiceCommand")]
    public void TimeoutSec_is_an_alias_of_Timeout(string command, string commandClass)
    {
        var run = Shell.Run($"{command} -Cluster c -Service s -TimeoutSec 86401");

        var error = Assert.IsType<ErrorRecord>(run.Terminating);
        Assert.Equal($"ParameterArgumentValidationError,DeployOps.Commands.{commandClass}", error.FullyQualifiedErrorId);
        Assert.Contains("parameter 'Timeout'", error.ToString());
        Assert.Contains("86401", error.ToString());
    }

    [Fact]
    public async Task TimeoutSec_binds_the_wait_timeout()
    {
        await UseHealthyScenarioAsync();

        var run = Shell.Run("Wait-EcsDeployment -Cluster $Cluster -Service $Service -TimeoutSec 42 @Aws -Verbose", new { Lightwave.Cluster, Lightwave.Service, Aws });

        Assert.Contains(run.Verbose, line => line.StartsWith("Waiting up to 42 s for deployment ", System.StringComparison.Ordinal));
        Assert.Equal(nameof(DeploymentWaitOutcome.Completed), Assert.Single(run.OutputOf<DeploymentWaitResult>()).Outcome);
    }

    [Theory]
    [InlineData("AWSProfileName")]
    [InlineData("StoredCredentials")]
    public void Profile_name_aliases_bind_ProfileName(string alias)
    {
        var run = Shell.Run($"Get-DeploymentHealth -Cluster c -Region us-east-1 -{alias} no-such-profile");

        Assert.Equal("ProfileNotFound,DeployOps.Commands.GetDeploymentHealthCommand", run.Terminating?.FullyQualifiedErrorId);
        Assert.Contains("no-such-profile", run.Terminating!.ToString());
    }

    [Theory]
    [InlineData("AWSProfilesLocation")]
    [InlineData("ProfilesLocation")]
    public async Task Profile_location_aliases_bind_ProfileLocation(string alias)
    {
        await UseHealthyScenarioAsync();
        var credentials = Path.Combine(Shell.AwsEnvironment.Folder, $"credentials-{alias}");
        File.WriteAllText(credentials, "[deployops-test]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n");

        var run = Shell.Run(
            $"Get-DeploymentHealth -Cluster $Cluster -Service $Service -Region us-east-1 -EndpointUrl $Endpoint -ProfileName deployops-test -{alias} $Credentials",
            new { Lightwave.Cluster, Lightwave.Service, Endpoint = SandboxUrl, Credentials = credentials });

        Assert.Null(run.Terminating);
        Assert.Equal("deployops-test", Assert.Single(run.OutputOf<DeploymentHealthReport>()).ProfileName);
    }

    [Fact]
    public void HealthUrl_is_an_alias_of_Url_also_from_the_pipeline()
    {
        var run = Shell.Run("[pscustomobject]@{ HealthUrl = 'not a url' } | Test-DeploymentEndpoint");

        var error = Assert.Single(run.Errors);
        Assert.Equal("InvalidUrl,DeployOps.Commands.TestDeploymentEndpointCommand", error.FullyQualifiedErrorId);
        Assert.Equal("not a url", error.TargetObject);
    }

    [Theory]
    [InlineData("Wait-EcsDeployment -Cluster c -Service s -Timeout 0", "WaitEcsDeploymentCommand", "Timeout", "0")]
    [InlineData("Wait-EcsDeployment -Cluster c -Service s -PollInterval 301", "WaitEcsDeploymentCommand", "PollInterval", "301")]
    [InlineData("Restart-EcsService -Cluster c -Service s -Timeout 0", "RestartEcsServiceCommand", "Timeout", "0")]
    [InlineData("Repair-TargetGroupHealthCheck -TargetGroupArn a -HealthCheckPath /h -Timeout -5", "RepairTargetGroupHealthCheckCommand", "Timeout", "-5")]
    [InlineData("Test-DeploymentEndpoint -Url http://127.0.0.1/ -ExpectedStatusCode 42", "TestDeploymentEndpointCommand", "ExpectedStatusCode", "42")]
    [InlineData("Test-DeploymentEndpoint -Url http://127.0.0.1/ -RetryCount -1", "TestDeploymentEndpointCommand", "RetryCount", "-1")]
    public void An_out_of_range_or_malformed_value_is_a_validation_error_naming_parameter_and_value(string script, string commandClass, string parameter, string value)
    {
        var run = Shell.Run(script);

        var error = Assert.IsType<ErrorRecord>(run.Terminating);
        Assert.Equal($"ParameterArgumentValidationError,DeployOps.Commands.{commandClass}", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Contains($"parameter '{parameter}'", error.ToString());
        Assert.Contains(value, error.ToString());
    }

    [Theory]
    [InlineData("Get-DeploymentHealth -Cluster c -ExpectedHealthCheckPath health", "InvalidHealthCheckPath", "health")]
    [InlineData("Get-DeploymentHealth -Cluster c -HealthUrl dev.example.com/health", "InvalidUrl", "dev.example.com/health")]
    public void A_path_or_url_the_engine_rejects_stops_the_command_before_any_work_naming_the_value(string script, string errorId, string value)
    {
        var run = Shell.Run(script);

        // The engine's one rule (not a ValidatePattern): the same message Repair-TargetGroupHealthCheck gives.
        var error = Assert.IsType<ErrorRecord>(run.Terminating);
        Assert.Equal($"{errorId},DeployOps.Commands.GetDeploymentHealthCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(value, error.TargetObject);
        Assert.Contains($"'{value}'", error.ErrorDetails.Message);
    }

    [Theory]
    [InlineData("Restart-EcsService -Cluster '' -Service s", "RestartEcsServiceCommand", "Cluster")]
    [InlineData("Wait-EcsDeployment -Cluster c -Service ''", "WaitEcsDeploymentCommand", "Service")]
    [InlineData("Repair-TargetGroupHealthCheck -TargetGroupArn a -HealthCheckPath ''", "RepairTargetGroupHealthCheckCommand", "HealthCheckPath")]
    [InlineData("Repair-TargetGroupHealthCheck -TargetGroupArn a -HealthCheckPath /h -Matcher ''", "RepairTargetGroupHealthCheckCommand", "Matcher")]
    [InlineData("Get-DeploymentHealth -Cluster c -Service s, ''", "GetDeploymentHealthCommand", "Service")]
    [InlineData("Get-DeploymentHealth -Environment ''", "GetDeploymentHealthCommand", "Environment")]
    public void An_empty_value_is_a_validation_error_naming_the_parameter(string script, string commandClass, string parameter)
    {
        var run = Shell.Run(script);

        var error = Assert.IsType<ErrorRecord>(run.Terminating);
        Assert.Equal($"ParameterArgumentValidationError,DeployOps.Commands.{commandClass}", error.FullyQualifiedErrorId);
        Assert.Contains($"parameter '{parameter}'", error.ToString());
        Assert.Contains("empty", error.ToString());
    }

    [Fact]
    public void No_switch_of_any_DeployOps_cmdlet_binds_from_the_pipeline()
    {
        var run = Shell.Run("""
            foreach ($command in Get-Command -Module DeployOps) {
                foreach ($parameter in $command.Parameters.Values) {
                    if ($parameter.SwitchParameter) {
                        foreach ($attribute in $parameter.Attributes) {
                            if ($attribute -is [System.Management.Automation.ParameterAttribute]) {
                                '{0} -{1} {2} {3}' -f $command.Name, $parameter.Name, $attribute.ValueFromPipeline, $attribute.ValueFromPipelineByPropertyName
                            }
                        }
                    }
                }
            }
            """);

        var switches = run.Output.Select(line => line.ToString()!).ToList();
        Assert.Contains("Restart-EcsService -Force False False", switches);
        Assert.Contains("Repair-TargetGroupHealthCheck -Redeploy False False", switches);
        Assert.All(switches, line => Assert.EndsWith(" False False", line));
    }

    [Fact]
    public async Task Force_and_Wait_on_an_input_object_do_not_bind_the_switches()
    {
        await UseHealthyScenarioAsync();
        var before = await DeploymentsStartedAsync();

        // Had -Force bound, there would be no prompt; had -Wait bound, the output would be a DeploymentWaitResult.
        var run = Shell.Run(
            """
            $ConfirmPreference = 'Low'
            [pscustomobject]@{ Cluster = $Cluster; Service = $Service; Force = $true; Wait = $true } | Restart-EcsService @Aws
            """,
            new { Lightwave.Cluster, Lightwave.Service, Aws },
            ConfirmAnswer.Yes);

        Assert.Single(run.Prompts);
        Assert.Single(run.OutputOf<EcsDeploymentStart>());
        Assert.Empty(run.OutputOf<DeploymentWaitResult>());
        Assert.Equal(before + 1, await DeploymentsStartedAsync());
    }

    /// <summary>A settings file whose environment "dev" is the Lightwave service in the sandbox.</summary>
    private string WriteSettings(string name)
    {
        var path = Path.Combine(Shell.AwsEnvironment.Folder, name);
        File.WriteAllText(path, $$"""
            {
              "environments": {
                "dev": {
                  "region": "{{Lightwave.Region}}",
                  "endpointUrl": "{{SandboxUrl}}",
                  "cluster": "{{Lightwave.Cluster}}",
                  "services": { "{{Lightwave.Service}}": { "healthCheckPath": "{{Lightwave.HealthPath}}" } }
                }
              }
            }
            """);
        return path;
    }
}
