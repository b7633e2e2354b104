using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Commands.Tests.Hosting;
using DeployOps.Deployments;
using DeployOps.Errors;
using DeployOps.Health;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Commands.Tests;

/// <summary>
/// The ErrorRecords users and scripts see: FullyQualifiedErrorId, category, target object, message, exception, and
/// whether the command stops (configuration) or goes on with the next item (one item's failure).
/// Most of them only read names every scenario has, so they need no scenario of their own.
/// </summary>
public sealed class ErrorRecordTests : CmdletTest
{
    private const string MissingArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/no-such-group/0123456789abcdef";

    public ErrorRecordTests(DeployOpsShell shell, SandboxFixture sandbox)
        : base(shell, sandbox)
    {
    }

    [Fact]
    public void Get_DeploymentHealth_reports_an_unknown_service_as_ServiceNotFound_and_goes_on_with_the_next()
    {
        var run = Shell.Run("Get-DeploymentHealth -Cluster $Cluster -Service no-such-service, $Service @Aws", new { Lightwave.Cluster, Lightwave.Service, Aws });

        Assert.Null(run.Terminating);
        Assert.Equal(Lightwave.Service, Assert.Single(run.OutputOf<DeploymentHealthReport>()).Service);
        var error = Assert.Single(run.Errors);
        AssertRecord(error, "ServiceNotFound,DeployOps.Commands.GetDeploymentHealthCommand", ErrorCategory.ObjectNotFound, "no-such-service");
        Assert.StartsWith($"Service 'no-such-service' does not exist in cluster '{Lightwave.Cluster}'.", error.ErrorDetails.Message);
        Assert.IsType<DeployOpsException>(error.Exception);
    }

    [Fact]
    public void Get_DeploymentHealth_reports_an_unknown_cluster_as_ClusterNotFound()
    {
        var run = Shell.Run("Get-DeploymentHealth -Cluster no-such-cluster @Aws", new { Aws });

        Assert.Null(run.Terminating);
        Assert.Empty(run.Output);
        var error = Assert.Single(run.Errors);
        AssertRecord(error, "ClusterNotFound,DeployOps.Commands.GetDeploymentHealthCommand", ErrorCategory.ObjectNotFound, "no-such-cluster");
        Assert.Contains("no-such-cluster", error.ErrorDetails.Message);
    }

    [Theory]
    [InlineData("Restart-EcsService", "RestartEcsServiceCommand")]
    [InlineData("Wait-EcsDeployment", "WaitEcsDeploymentCommand")]
    public void An_unknown_service_is_ServiceNotFound_naming_it(string command, string commandClass)
    {
        var run = Shell.Run($"{command} -Cluster $Cluster -Service no-such-service @Aws", new { Lightwave.Cluster, Aws });

        Assert.Null(run.Terminating);
        var error = Assert.Single(run.Errors);
        AssertRecord(error, $"ServiceNotFound,DeployOps.Commands.{commandClass}", ErrorCategory.ObjectNotFound, "no-such-service");
        Assert.StartsWith($"Service 'no-such-service' does not exist in cluster '{Lightwave.Cluster}'.", error.ErrorDetails.Message);
    }

    [Fact]
    public void Restart_EcsService_goes_on_with_the_next_service_after_an_unknown_one()
    {
        var run = Shell.Run("Restart-EcsService -Cluster $Cluster -Service no-such-service, $Service @Aws -WhatIf", new { Lightwave.Cluster, Lightwave.Service, Aws });

        Assert.Equal("ServiceNotFound,DeployOps.Commands.RestartEcsServiceCommand", Assert.Single(run.Errors).FullyQualifiedErrorId);
        Assert.Contains($"ECS service {Lightwave.Service} in cluster {Lightwave.Cluster}", Assert.Single(run.HostLines));
    }

    [Fact]
    public async Task Repair_reports_a_malformed_ARN_as_InvalidTargetGroupArn_and_goes_on_with_the_next_group()
    {
        var arn = (await TargetGroupAsync()).Arn;

        var run = Shell.Run("Repair-TargetGroupHealthCheck -TargetGroupArn arn:not-a-target-group, $Arn -HealthCheckPath /other/ @Aws -WhatIf", new { Arn = arn, Aws });

        var error = Assert.Single(run.Errors);
        AssertRecord(error, "InvalidTargetGroupArn,DeployOps.Commands.RepairTargetGroupHealthCheckCommand", ErrorCategory.InvalidArgument, "arn:not-a-target-group");
        Assert.Contains("arn:not-a-target-group", error.ErrorDetails.Message);
        Assert.Contains(arn, Assert.Single(run.HostLines));
    }

    [Fact]
    public void Repair_reports_a_group_AWS_does_not_know_as_TargetGroupNotFound_carrying_the_AWS_error()
    {
        var run = Shell.Run("Repair-TargetGroupHealthCheck -TargetGroupArn $Arn -HealthCheckPath /other/ @Aws -Force", new { Arn = MissingArn, Aws });

        var error = Assert.Single(run.Errors);
        AssertRecord(error, "TargetGroupNotFound,DeployOps.Commands.RepairTargetGroupHealthCheckCommand", ErrorCategory.ObjectNotFound, MissingArn);
        var aws = Assert.IsType<AwsServiceException>(error.Exception);
        Assert.Equal("TargetGroupNotFound", aws.ErrorCode);
        Assert.Contains(MissingArn, error.ErrorDetails.Message);
    }

    [Theory]
    [InlineData("health", "200", "InvalidHealthCheckPath", "'health'")]
    [InlineData("/api/v1/health/health/", "999", "InvalidMatcher", "'999'")]
    public async Task Repair_reports_a_bad_path_or_matcher_naming_the_value(string path, string matcher, string errorId, string named)
    {
        var arn = (await TargetGroupAsync()).Arn;

        var run = Shell.Run("Repair-TargetGroupHealthCheck -TargetGroupArn $Arn -HealthCheckPath $Path -Matcher $Matcher @Aws -Force", new { Arn = arn, Path = path, Matcher = matcher, Aws });

        var error = Assert.Single(run.Errors);
        Assert.Equal($"{errorId},DeployOps.Commands.RepairTargetGroupHealthCheckCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains(named, error.ErrorDetails.Message);
    }

    [Fact]
    public void No_credentials_stop_the_command_before_any_AWS_call()
    {
        // Nothing listens at the endpoint: had a call been made, the error would be EndpointUnreachable.
        var run = Shell.Run("Get-DeploymentHealth -Cluster c -Region us-east-1 -EndpointUrl $Endpoint -Verbose", new { Endpoint = ClosedPortUrl() });

        var error = Assert.IsType<ErrorRecord>(run.Terminating);
        Assert.Equal("NoCredentials,DeployOps.Commands.GetDeploymentHealthCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.IsType<AwsConfigurationException>(error.Exception);
        Assert.Contains("pass -Credential", error.ErrorDetails.Message);
        Assert.Contains("AWS_ACCESS_KEY_ID", error.ErrorDetails.Message);
        Assert.Empty(run.Errors);
        Assert.Empty(run.Verbose);
    }

    [Fact]
    public void No_credentials_stop_a_command_fed_by_the_pipeline_at_its_first_record()
    {
        var run = Shell.Run(
            "'one', 'two' | ForEach-Object { [pscustomobject]@{ Cluster = 'c'; Service = $_; Region = 'us-east-1'; EndpointUrl = $Endpoint } } | Restart-EcsService -Force",
            new { Endpoint = ClosedPortUrl() });

        Assert.Equal("NoCredentials,DeployOps.Commands.RestartEcsServiceCommand", run.Terminating?.FullyQualifiedErrorId);
        Assert.Empty(run.Errors);
        Assert.Empty(run.Output);
    }

    [Fact]
    public void No_region_stops_the_command_saying_how_to_give_one()
    {
        var run = Shell.Run("Wait-EcsDeployment -Cluster c -Service s -Credential $Credential -EndpointUrl $Endpoint", new { DeployOpsShell.Credential, Endpoint = ClosedPortUrl() });

        var error = Assert.IsType<ErrorRecord>(run.Terminating);
        Assert.Equal("NoRegion,DeployOps.Commands.WaitEcsDeploymentCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Contains("Pass -Region", error.ErrorDetails.Message);
        Assert.Empty(run.Errors);
    }

    [Fact]
    public void A_profile_that_does_not_exist_stops_the_command_as_an_authentication_error()
    {
        var run = Shell.Run("Restart-EcsService -Cluster c -Service s -Region us-east-1 -ProfileName no-such-profile -WhatIf");

        var error = Assert.IsType<ErrorRecord>(run.Terminating);
        Assert.Equal("ProfileNotFound,DeployOps.Commands.RestartEcsServiceCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains("no-such-profile", error.ErrorDetails.Message);
    }

    [Fact]
    public void An_endpoint_URL_that_is_not_a_URL_stops_the_command_naming_it()
    {
        var run = Shell.Run("Get-DeploymentHealth -Cluster c -Region us-east-1 -Credential $Credential -EndpointUrl 'not a url'", new { DeployOpsShell.Credential });

        var error = Assert.IsType<ErrorRecord>(run.Terminating);
        AssertRecord(error, "InvalidEndpointUrl,DeployOps.Commands.GetDeploymentHealthCommand", ErrorCategory.InvalidArgument, "not a url");
        Assert.Contains("not a url", error.ErrorDetails.Message);
    }

    [Fact]
    public void An_unreachable_endpoint_is_a_non_terminating_ConnectionError_naming_it_without_a_stack_trace()
    {
        var endpoint = ClosedPortUrl();

        var run = Shell.Run("Get-DeploymentHealth -Cluster $Cluster -Region us-east-1 -Credential $Credential -EndpointUrl $Endpoint",
            new { Lightwave.Cluster, DeployOpsShell.Credential, Endpoint = endpoint });

        Assert.Null(run.Terminating);
        var error = Assert.Single(run.Errors);
        Assert.Equal("EndpointUnreachable,DeployOps.Commands.GetDeploymentHealthCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Contains(endpoint, error.ErrorDetails.Message);
        Assert.DoesNotContain(" at DeployOps.", error.ToString());
    }

    [Fact]
    public async Task A_wait_that_times_out_writes_its_result_then_DeploymentWaitTimedOut()
    {
        await UseHealthyScenarioAsync();

        // A rollout takes the sandbox over a minute of world time (two seconds and more at its speed): one second is too short.
        var run = Shell.Run("Restart-EcsService -Cluster $Cluster -Service $Service @Aws -Force -Wait -Timeout 1", new { Lightwave.Cluster, Lightwave.Service, Aws });

        Assert.Null(run.Terminating);
        var result = Assert.Single(run.OutputOf<DeploymentWaitResult>());
        Assert.Equal(nameof(DeploymentWaitOutcome.TimedOut), result.Outcome);
        var error = Assert.Single(run.Errors);
        AssertRecord(error, "DeploymentWaitTimedOut,DeployOps.Commands.RestartEcsServiceCommand", ErrorCategory.OperationTimeout, $"{Lightwave.Cluster}/{Lightwave.Service}");
        Assert.StartsWith($"Deployment {result.DeploymentId} of {Lightwave.Cluster}/{Lightwave.Service} did not finish in ", error.ErrorDetails.Message);
    }

    [Fact]
    public void The_secret_key_appears_nowhere_in_output_verbose_text_or_errors()
    {
        var run = Shell.Run(
            "Get-DeploymentHealth -Cluster $Cluster -Service no-such-service, $Service @Aws -Verbose | Format-List -Property * -Force | Out-String -Width 400",
            new { Lightwave.Cluster, Lightwave.Service, Aws });

        Assert.Single(run.Errors);
        Assert.Contains(Lightwave.Service, run.ToString());
        Assert.DoesNotContain(DeployOpsShell.SecretKey, run.ToString());
    }

    private static void AssertRecord(ErrorRecord error, string fullyQualifiedErrorId, ErrorCategory category, object target)
    {
        Assert.Equal(fullyQualifiedErrorId, error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Equal(target, error.TargetObject);
        Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.Message), "the record carries the engine's message as ErrorDetails");
    }

    /// <summary>An http URL of a port nothing listens on (taken from the system, then released).</summary>
    private static string ClosedPortUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }
}
