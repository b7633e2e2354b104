using System;
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
/// The bugs one-cluster, one-service scenarios hid: a repair that names a service but not its cluster, and a cluster
/// where one service's target group is gone.
/// </summary>
public sealed class MultiServiceTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public MultiServiceTests(SandboxFixture sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task A_repair_naming_a_service_without_its_cluster_finds_it_in_whichever_cluster_runs_it()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.TwoClusters.Scenario);
        using var session = SandboxSessions.Create(_sandbox);
        var arn = (await session.LoadBalancing.DescribeTargetGroupsByNameAsync(new[] { Lightwave.TwoClusters.WorkerTargetGroup })).Single().Arn;

        // ListClusters names the backend's cluster first, and it has no worker service.
        var plan = await new HealthCheckRepairer(session, NullOperationObserver.Instance).PlanAsync(new HealthCheckRepairRequest
        {
            TargetGroupArn = arn,
            HealthCheckPath = Lightwave.HealthPath,
            Redeploy = true,
            Services = new[] { Lightwave.TwoClusters.WorkerService },
        }, default);

        var redeploy = Assert.Single(plan.ServicesToRedeploy);
        Assert.Equal((Lightwave.TwoClusters.WorkersCluster, Lightwave.TwoClusters.WorkerService), (redeploy.Cluster, redeploy.Service));
        Assert.NotNull(redeploy.PrimaryDeploymentId);
    }

    [Fact]
    public async Task A_service_no_cluster_has_is_ServiceNotFound_naming_every_cluster_searched()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.TwoClusters.Scenario);
        using var session = SandboxSessions.Create(_sandbox);
        var arn = (await session.LoadBalancing.DescribeTargetGroupsByNameAsync(new[] { Lightwave.TwoClusters.WorkerTargetGroup })).Single().Arn;

        var thrown = await Assert.ThrowsAsync<DeployOpsException>(() => new HealthCheckRepairer(session, NullOperationObserver.Instance).PlanAsync(
            new HealthCheckRepairRequest { TargetGroupArn = arn, HealthCheckPath = Lightwave.HealthPath, Redeploy = true, Services = new[] { "no-such-service" } }, default));

        Assert.Equal(ErrorIds.ServiceNotFound, thrown.Error.ErrorId);
        Assert.Contains($"'{Lightwave.Cluster}'", thrown.Error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{Lightwave.TwoClusters.WorkersCluster}'", thrown.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_whose_target_group_is_gone_is_category_C_and_the_other_services_are_still_reported()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.TargetGroupDeleted.Scenario);
        using var session = SandboxSessions.Create(_sandbox);
        var inspector = new DeploymentHealthInspector(session, NullOperationObserver.Instance);

        var reports = await Eventually.WaitForAsync(async () =>
        {
            var outcomes = await inspector.InspectAsync(new HealthInspectionRequest { Cluster = Lightwave.Cluster }, default);
            Assert.All(outcomes, o => Assert.Null(o.Error));
            var byService = outcomes.Select(o => o.Value!).ToDictionary(r => r.Service);
            return byService.TryGetValue(Lightwave.Service, out var backend) && backend.Status == nameof(HealthStatus.Healthy) ? byService : null;
        }, "the backend to report healthy next to the frontend");

        var frontend = reports[Lightwave.TargetGroupDeleted.FrontendService];
        Assert.Equal((nameof(HealthStatus.Error), nameof(RootCauseCategory.NetworkInfrastructure), true), (frontend.Status, frontend.Category, frontend.Complete));
        Assert.Contains(frontend.Evidence, e => e.Detail.StartsWith($"Target group {Lightwave.TargetGroupDeleted.FrontendTargetGroup} does not exist", StringComparison.Ordinal));
        Assert.True(reports[Lightwave.Service].Complete);
    }
}
