using System;
using System.Threading.Tasks;
using DeployOps.Deployments;
using DeployOps.Engine.Tests.Support;
using DeployOps.Errors;
using DeployOps.Health;
using DeployOps.Operations;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Runbook;

/// <summary>
/// Bad inputs to the runbook operations against the sandbox: each ends in an error with its own id whose message
/// names the bad value in quotes and says what was expected. (The cmdlets' whole table is pester/BadInput.Tests.ps1.)
/// </summary>
public sealed class BadInputTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public BadInputTests(SandboxFixture sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task An_endpoint_url_with_a_path_is_the_404_it_answered_not_a_missing_cluster()
    {
        var endpoint = new Uri(_sandbox.Url, "some/path");
        using var session = SandboxSessions.Create(_sandbox, options => options with { EndpointUrl = endpoint.ToString() });
        var inspector = new DeploymentHealthInspector(session, NullOperationObserver.Instance);

        var thrown = await Assert.ThrowsAsync<DeployOpsException>(() => inspector.InspectAsync(new HealthInspectionRequest { Cluster = Lightwave.Cluster }, default));

        Assert.Equal(ErrorIds.UnexpectedEndpointResponse, thrown.Error.ErrorId);
        Assert.Contains($"'{endpoint}' answered HTTP 404", thrown.Error.Message);
        Assert.Contains($"'{_sandbox.Url}'", thrown.Error.Message);
    }

    [Fact]
    public async Task A_region_the_sandbox_does_not_serve_is_an_invalid_region_naming_it()
    {
        using var session = SandboxSessions.Create(_sandbox, options => options with { Region = "xx-fake-9", MaxAttempts = 1 });
        var inspector = new DeploymentHealthInspector(session, NullOperationObserver.Instance);

        var thrown = await Assert.ThrowsAsync<DeployOpsException>(() => inspector.InspectAsync(new HealthInspectionRequest { Cluster = Lightwave.Cluster }, default));

        Assert.Equal((ErrorIds.InvalidRegion, DeployOpsErrorKind.InvalidArgument), (thrown.Error.ErrorId, thrown.Error.Kind));
        Assert.Contains("'xx-fake-9' (from -Region)", thrown.Error.Message);
    }

    [Fact]
    public async Task A_blank_cluster_to_inspect_is_named_before_any_call()
    {
        using var session = SandboxSessions.Create(_sandbox);
        var inspector = new DeploymentHealthInspector(session, NullOperationObserver.Instance);

        var thrown = await Assert.ThrowsAsync<DeployOpsException>(() => inspector.InspectAsync(new HealthInspectionRequest { Cluster = "  " }, default));

        Assert.Equal(ErrorIds.MissingCluster, thrown.Error.ErrorId);
        Assert.Contains("(the cluster name is '  ')", thrown.Error.Message);
        Assert.Equal(0, session.Calls.TotalCalls);
    }

    [Fact]
    public async Task A_blank_service_name_is_quoted_in_the_message()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        using var session = SandboxSessions.Create(_sandbox);
        var inspector = new DeploymentHealthInspector(session, NullOperationObserver.Instance);

        var outcome = Assert.Single(await inspector.InspectAsync(new HealthInspectionRequest { Cluster = Lightwave.Cluster, Services = new[] { " " } }, default));
        var resolve = await Assert.ThrowsAsync<DeployOpsException>(() => new ServiceRedeployer(session, NullOperationObserver.Instance).PlanAsync(Lightwave.Cluster, " ", default));

        Assert.Equal(ErrorIds.ServiceNotFound, outcome.Error!.ErrorId);
        Assert.StartsWith($"Service ' ' does not exist in cluster '{Lightwave.Cluster}'.", outcome.Error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"Service ' ' does not exist in cluster '{Lightwave.Cluster}'.", resolve.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cluster_that_does_not_exist_is_named_alone_in_quotes_with_the_region()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        using var session = SandboxSessions.Create(_sandbox);

        var resolve = await Assert.ThrowsAsync<DeployOpsException>(() => new ServiceRedeployer(session, NullOperationObserver.Instance).PlanAsync(" ", Lightwave.Service, default));
        var wait = await Assert.ThrowsAsync<DeployOpsException>(() => new DeploymentWaiter(session, NullOperationObserver.Instance)
            .WaitAsync(new DeploymentWaitRequest { Cluster = "no-such-cluster", Service = Lightwave.Service }, default));

        Assert.Equal((ErrorIds.ClusterNotFound, (object?)" "), (resolve.Error.ErrorId, resolve.Error.Target));
        Assert.Equal($"Cluster ' ' does not exist in region '{Lightwave.Region}'.", resolve.Error.Message);
        Assert.Equal($"Cluster 'no-such-cluster' does not exist in region '{Lightwave.Region}'.", wait.Error.Message);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("ecs-svc/")]
    [InlineData(" ecs-svc/123")]
    public async Task A_deployment_id_that_cannot_be_one_is_refused_before_any_call(string deploymentId)
    {
        using var session = SandboxSessions.Create(_sandbox);

        var thrown = await Assert.ThrowsAsync<DeployOpsException>(() => new DeploymentWaiter(session, NullOperationObserver.Instance)
            .WaitAsync(new DeploymentWaitRequest { Cluster = Lightwave.Cluster, Service = Lightwave.Service, DeploymentId = deploymentId }, default));

        Assert.Equal((ErrorIds.InvalidDeploymentId, DeployOpsErrorKind.InvalidArgument), (thrown.Error.ErrorId, thrown.Error.Kind));
        Assert.StartsWith($"'{deploymentId}' is not an ECS deployment id; expected ecs-svc/ and digits", thrown.Error.Message, StringComparison.Ordinal);
        Assert.Equal(0, session.Calls.TotalCalls);
    }

    [Fact]
    public async Task A_target_group_that_does_not_exist_is_quoted_with_the_region()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        using var session = SandboxSessions.Create(_sandbox);
        const string missing = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/nope/0123456789abcdef";

        var thrown = await Assert.ThrowsAsync<DeployOpsException>(() => new HealthCheckRepairer(session, NullOperationObserver.Instance)
            .PlanAsync(new HealthCheckRepairRequest { TargetGroupArn = missing, HealthCheckPath = "/health" }, default));

        Assert.Equal(ErrorIds.TargetGroupNotFound, thrown.Error.ErrorId);
        Assert.Contains($"'{missing}'", thrown.Error.Message);
    }
}
