using System;
using System.Linq;
using System.Threading.Tasks;
using DeployOps.Engine.Tests.Support;
using DeployOps.Errors;
using DeployOps.Health;
using DeployOps.Operations;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Runbook;

/// <summary>Runbook 000 steps 1 and 2 against the sandbox's scenarios, through real HTTP.</summary>
public sealed class HealthInspectionTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public HealthInspectionTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private static HealthInspectionRequest Lightwave000 => new() { Cluster = Lightwave.Cluster, Services = new[] { Lightwave.Service } };

    /// <summary>Inspects until the report reaches the category (the world needs a few probes to settle after a scenario loads).</summary>
    private async Task<DeploymentHealthReport> InspectUntilAsync(RootCauseCategory category, HealthInspectionRequest? request = null)
    {
        using var session = SandboxSessions.Create(_sandbox);
        var inspector = new DeploymentHealthInspector(session, NullOperationObserver.Instance);
        return await Eventually.WaitForAsync(async () =>
        {
            var outcome = Assert.Single(await inspector.InspectAsync(request ?? Lightwave000, default));
            return outcome.Value?.Category == category.ToString() ? outcome.Value : null;
        }, $"a report with category {category}");
    }

    [Fact]
    public async Task Healthy_service_passes_every_check()
    {
        await _sandbox.LoadScenarioAsync("healthy");

        var report = await InspectUntilAsync(RootCauseCategory.None);

        Assert.Equal(nameof(HealthStatus.Healthy), report.Status);
        Assert.Equal((Lightwave.Cluster, Lightwave.Service), (report.Cluster, report.Service));
        // No health URL and no startup phases were given: those two checks are skipped, every other one passes.
        var skipped = new[] { HealthClassifier.EndpointCheck, HealthClassifier.StartupSequenceCheck };
        Assert.All(report.Checks.Where(c => !skipped.Contains(c.Name)), c => Assert.Equal(CheckOutcome.Pass, c.OutcomeKind));
        Assert.All(skipped, name => Assert.Equal(CheckOutcome.Skipped, report.Checks.Single(c => c.Name == name).OutcomeKind));
        var group = Assert.Single(report.TargetGroups);
        Assert.Equal((Lightwave.TargetGroup, Lightwave.HealthPath, 2), (group.TargetGroupName, group.HealthCheckPath, group.HealthyCount));
        Assert.Equal(new[] { group.TargetGroupArn }, report.TargetGroupArn);
        Assert.Equal((2, 2), (report.RunningCount, report.DesiredCount));
        Assert.Equal("COMPLETED", Assert.Single(report.Deployments).RolloutState);
        Assert.Contains(report.RecentEvents, e => e.Message.EndsWith("has reached a steady state.", StringComparison.Ordinal));
        Assert.Equal((Lightwave.Region, _sandbox.Url.ToString()), (report.Region, report.EndpointUrl));
        Assert.StartsWith("No action needed", report.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_health_check_path_is_category_A_with_the_404()
    {
        await _sandbox.LoadScenarioAsync("health-check-mismatch");

        var report = await InspectUntilAsync(RootCauseCategory.HealthCheckMismatch);

        Assert.Equal(nameof(HealthStatus.Error), report.Status);
        Assert.Contains(report.Evidence, e => e.SourceKind == EvidenceSource.TargetHealth && e.Detail.Contains("Target.ResponseCodeMismatch") && e.Detail.Contains("[404]"));
        Assert.Equal(CheckOutcome.Fail, report.Checks.Single(c => c.Name == HealthClassifier.TargetHealthCheck).OutcomeKind);
        Assert.Contains("Repair-TargetGroupHealthCheck", report.RecommendedAction, StringComparison.Ordinal);
        Assert.Contains("3A", report.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expected_path_that_differs_is_named_in_the_evidence()
    {
        await _sandbox.LoadScenarioAsync("health-check-mismatch");

        var report = await InspectUntilAsync(RootCauseCategory.HealthCheckMismatch, Lightwave000 with { ExpectedHealthCheckPath = Lightwave.HealthPath });

        Assert.Contains(report.Evidence, e => e.SourceKind == EvidenceSource.HealthCheckPath &&
                                              e.Detail == $"Health check path '{Lightwave.WrongHealthPath}' differs from the expected '{Lightwave.HealthPath}'");
        Assert.Equal(CheckOutcome.Warning, report.Checks.Single(c => c.Name == HealthClassifier.HealthCheckPathCheck).OutcomeKind);
        Assert.Contains($"-HealthCheckPath {Lightwave.HealthPath}", report.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Task_that_exits_at_start_is_category_B_with_exit_code_and_log_line()
    {
        await _sandbox.LoadScenarioAsync("app-not-starting");

        var report = await Eventually.WaitForAsync(async () =>
        {
            // A replacement task runs for a moment before it exits too: wait for a report read between two of them.
            var r = await InspectUntilAsync(RootCauseCategory.ApplicationNotStarting);
            return r.Evidence.Any(e => e.SourceKind == EvidenceSource.ApplicationLog) && r.Evidence.Any(e => e.SourceKind == EvidenceSource.TaskCount && e.Detail.StartsWith("Running: 0,", StringComparison.Ordinal)) ? r : null;
        }, "category B with the log line, no task running");

        Assert.Equal(nameof(HealthStatus.Error), report.Status);
        Assert.Contains(report.Evidence, e => e.SourceKind == EvidenceSource.ApplicationLog && e.Detail == Lightwave.SecretKeyLogLine);
        Assert.Contains(report.Evidence, e => e.SourceKind == EvidenceSource.StoppedTask && e.Detail.Contains("exit code 1") && e.Detail.Contains("Essential container in task exited"));
        Assert.Contains(report.Evidence, e => e.SourceKind == EvidenceSource.TaskCount && e.Detail == "Running: 0, Desired: 1");
        Assert.Contains(report.StoppedTasks, t => t.ExitCode == 1);
        Assert.Contains("3B", report.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Security_group_that_blocks_the_alb_is_category_C_naming_the_groups()
    {
        await _sandbox.LoadScenarioAsync("network-timeout");

        var report = await InspectUntilAsync(RootCauseCategory.NetworkInfrastructure);

        Assert.Equal(nameof(HealthStatus.Error), report.Status);
        Assert.True(report.Evidence.Any(e => e.SourceKind == EvidenceSource.SecurityGroup), string.Join("\n", report.Evidence));
        var finding = Assert.Single(report.Evidence, e => e.SourceKind == EvidenceSource.SecurityGroup);
        Assert.Contains($"({Lightwave.BackendSecurityGroup})", finding.Detail, StringComparison.Ordinal);
        Assert.Contains($"({Lightwave.AlbSecurityGroup})", finding.Detail, StringComparison.Ordinal);
        Assert.Contains("allows no inbound TCP 8000", finding.Detail, StringComparison.Ordinal);
        Assert.Contains(report.Evidence, e => e.Detail.Contains("Target.Timeout"));
        Assert.Contains("3C", report.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_container_port_mapping_is_category_C_naming_both_ports()
    {
        await _sandbox.LoadScenarioAsync("no-targets");

        var report = await InspectUntilAsync(RootCauseCategory.NetworkInfrastructure);

        Assert.Contains(report.Evidence, e => e.SourceKind == EvidenceSource.TargetHealth && e.Detail.StartsWith($"No targets registered in {Lightwave.TargetGroup}", StringComparison.Ordinal));
        var mapping = Assert.Single(report.Evidence, e => e.SourceKind == EvidenceSource.PortMapping);
        Assert.Contains("port 8080", mapping.Detail, StringComparison.Ordinal);
        Assert.Contains("exposes backend:8000", mapping.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Evidence, e => e.SourceKind == EvidenceSource.SecurityGroup);
    }

    [Fact]
    public async Task Missing_services_are_errors_beside_the_reports_and_no_service_means_all()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        using var session = SandboxSessions.Create(_sandbox);
        var inspector = new DeploymentHealthInspector(session, NullOperationObserver.Instance);

        var outcomes = await inspector.InspectAsync(Lightwave000 with { Services = new[] { "no-such-service", Lightwave.Service } }, default);
        var all = await inspector.InspectAsync(new HealthInspectionRequest { Cluster = Lightwave.Cluster }, default);
        var noCluster = await inspector.InspectAsync(new HealthInspectionRequest { Cluster = "no-such-cluster" }, default);

        Assert.Equal(2, outcomes.Count);
        Assert.Equal((ErrorIds.ServiceNotFound, DeployOpsErrorKind.NotFound, (object?)"no-such-service"), (outcomes[0].Error!.ErrorId, outcomes[0].Error!.Kind, outcomes[0].Error!.Target));
        Assert.Equal(Lightwave.Service, outcomes[1].Value!.Service);
        Assert.Equal(Lightwave.Service, Assert.Single(all).Value!.Service);
        Assert.Equal(ErrorIds.ClusterNotFound, Assert.Single(noCluster).Error!.ErrorId);
    }

    [Fact]
    public async Task Health_url_is_tested_through_the_alb()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        var url = await SandboxSessions.AlbUrlAsync(_sandbox) + Lightwave.HealthPath;

        var report = await InspectUntilAsync(RootCauseCategory.None, Lightwave000 with { HealthUrl = url });

        var check = report.Checks.Single(c => c.Name == HealthClassifier.EndpointCheck);
        Assert.Equal(CheckOutcome.Pass, check.OutcomeKind);
        Assert.Contains("answered 200", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_report_stays_right_under_30_percent_ecs_throttling()
    {
        await _sandbox.LoadScenarioAsync("health-check-mismatch");
        await InspectUntilAsync(RootCauseCategory.HealthCheckMismatch);
        await using var faults = await _sandbox.FaultsAsync("""{"seed": 11, "rules": [{"service": "ecs", "kind": "throttle", "rate": 0.3}]}""");
        using var session = SandboxSessions.Create(_sandbox);
        var inspector = new DeploymentHealthInspector(session, NullOperationObserver.Instance);

        var outcomes = Enumerable.Range(0, 20).Select(_ => inspector.InspectAsync(Lightwave000, default)).Select(t => Assert.Single(t.GetAwaiter().GetResult())).ToList();

        // A report is either right or absent: when every attempt of a needed call is throttled, the service gets a Throttled error, never a wrong verdict.
        Assert.All(outcomes, o => Assert.True(o.Value?.Category == nameof(RootCauseCategory.HealthCheckMismatch) || o.Error?.ErrorId == ErrorIds.Throttled, o.ToString()));
        Assert.True(outcomes.Count(o => o.Value is not null) >= 15, $"{outcomes.Count(o => o.Value is not null)} of 20 reports");
        Assert.True(session.Calls.TotalAttempts > session.Calls.TotalCalls, "throttled calls were retried");
    }
}
