using System;
using System.Diagnostics;
using System.Linq;
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
/// The one partial-failure policy against the sandbox's faults: a fact that cannot be read is a gap on its item's
/// report (never a lost report, never a false Healthy); reads started together are awaited together; a deployment id
/// that is not the service's is DeploymentNotFound, not a rollback.
/// </summary>
public sealed class PartialFailureTests : IClassFixture<SandboxFixture>, IAsyncLifetime
{
    private readonly SandboxFixture _sandbox;

    public PartialFailureTests(SandboxFixture sandbox) => _sandbox = sandbox;

    public Task InitializeAsync() => _sandbox.LoadScenarioAsync("healthy");

    public async Task DisposeAsync() => (await _sandbox.Http.DeleteAsync(new Uri(_sandbox.Url, "_sandbox/faults"))).Dispose();

    private async Task FaultAsync(string rule) =>
        (await _sandbox.PostControlAsync("_sandbox/faults", $$"""{"seed": 3, "rules": [{{rule}}]}""")).EnsureSuccessStatusCode();

    private static HealthInspectionRequest Lightwave000 => new() { Cluster = Lightwave.Cluster, Services = new[] { Lightwave.Service } };

    [Fact]
    public async Task Target_health_throttled_past_the_retries_is_a_gap_on_the_report_never_an_error_nor_Healthy()
    {
        using var session = SandboxSessions.Create(_sandbox);
        var inspector = new DeploymentHealthInspector(session, NullOperationObserver.Instance);
        await Eventually.WaitForAsync(async () => (await inspector.InspectAsync(Lightwave000, default)).Single().Value is { Status: nameof(HealthStatus.Healthy) } healthy ? healthy : null,
            "the healthy scenario to settle");
        await FaultAsync("""{"service": "elbv2", "operation": "DescribeTargetHealth", "kind": "throttle", "rate": 1}""");

        var outcome = Assert.Single(await inspector.InspectAsync(Lightwave000, default));

        var report = Assert.IsType<DeploymentHealthReport>(outcome.Value);
        Assert.False(report.Complete);
        Assert.Equal(nameof(HealthStatus.Unknown), report.Status);
        var gap = Assert.Single(report.Evidence, e => e.Source == nameof(EvidenceSource.NotRead));
        Assert.Equal($"Not read: target health of {Lightwave.TargetGroup} (Throttling after {session.MaxAttempts} attempts)", gap.Detail);
    }

    [Fact]
    public async Task A_service_description_throttled_past_the_retries_is_still_a_report_saying_it_is_incomplete()
    {
        await FaultAsync("""{"service": "ecs", "operation": "DescribeServices", "kind": "throttle", "rate": 1}""");
        using var session = SandboxSessions.Create(_sandbox);

        var outcome = Assert.Single(await new DeploymentHealthInspector(session, NullOperationObserver.Instance).InspectAsync(Lightwave000, default));

        var report = Assert.IsType<DeploymentHealthReport>(outcome.Value);
        Assert.Equal((Lightwave.Service, nameof(HealthStatus.Unknown), false), (report.Service, report.Status, report.Complete));
        Assert.Contains(report.Evidence, e => e.Detail == $"Not read: service '{Lightwave.Service}' (ThrottlingException after {session.MaxAttempts} attempts)");
    }

    [Fact]
    public async Task The_identity_read_is_awaited_even_when_the_cluster_fails_first()
    {
        // STS answers late; the cluster fails at once. The run must not return with the STS call still in flight.
        await FaultAsync("""{"service": "sts", "kind": "latency", "rate": 1, "latencyMs": 1500}""");
        using var session = SandboxSessions.Create(_sandbox);
        var clock = Stopwatch.StartNew();

        var outcome = Assert.Single(await new DeploymentHealthInspector(session, NullOperationObserver.Instance)
            .InspectAsync(new HealthInspectionRequest { Cluster = "no-such-cluster" }, default));

        Assert.Equal(ErrorIds.ClusterNotFound, outcome.Error!.ErrorId);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(1400), $"returned after {clock.Elapsed.TotalMilliseconds:0} ms, before the identity read ended");
    }

    [Fact]
    public async Task A_deployment_id_that_is_not_one_of_the_service_s_is_DeploymentNotFound_not_a_rollback()
    {
        using var session = SandboxSessions.Create(_sandbox);
        var waiter = new DeploymentWaiter(session, NullOperationObserver.Instance);

        var thrown = await Assert.ThrowsAsync<DeployOpsException>(() => waiter.WaitAsync(
            new DeploymentWaitRequest { Cluster = Lightwave.Cluster, Service = Lightwave.Service, DeploymentId = "ecs-svc/1234567890123456789", Timeout = TimeSpan.FromSeconds(30) }, default));

        Assert.Equal((ErrorIds.DeploymentNotFound, DeployOpsErrorKind.NotFound), (thrown.Error.ErrorId, thrown.Error.Kind));
        Assert.StartsWith($"Deployment 'ecs-svc/1234567890123456789' is not a deployment of service '{Lightwave.Service}' (its deployments: PRIMARY ecs-svc/", thrown.Error.Message, StringComparison.Ordinal);
    }
}
