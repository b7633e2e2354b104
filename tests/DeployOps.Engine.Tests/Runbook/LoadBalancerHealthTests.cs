using System;
using System.Linq;
using System.Threading.Tasks;
using DeployOps.Engine.Tests.Support;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Health;
using DeployOps.LoadBalancers;
using DeployOps.Operations;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Runbook;

/// <summary>
/// Get-LoadBalancerHealth's and Set-LoadBalancerAttribute's engine against the sandbox's ALB (its users' traffic counts into
/// CloudWatch), and Get-DeploymentHealth naming the same cause; moto's state read back with the aws CLI.
/// </summary>
public sealed class LoadBalancerHealthTests : IClassFixture<SandboxFixture>
{
    private static readonly LoadBalancerHealthRequest Alb = new() { LoadBalancers = new[] { Lightwave.LoadBalancer }, Since = TimeSpan.FromMinutes(5) };

    private readonly SandboxFixture _sandbox;

    public LoadBalancerHealthTests(SandboxFixture sandbox) => _sandbox = sandbox;

    /// <summary>How many calls of <paramref name="operation"/> the session made.</summary>
    private static int Calls(Aws.AwsCallCounter calls, string operation) => calls.Snapshot().Where(c => c.Operation == operation).Sum(c => c.Calls);

    /// <summary>Loads a scenario and inspects the ALB until its report names <paramref name="cause"/>.</summary>
    private async Task<(LoadBalancerHealthReport Report, Aws.AwsCallCounter Calls)> InspectUntilAsync(string scenario, LoadBalancerCauseKind cause)
    {
        await _sandbox.LoadScenarioAsync(scenario);
        var found = await Eventually.WaitForAsync(async () =>
        {
            using var session = SandboxSessions.Create(_sandbox);
            var outcome = Assert.Single(await new LoadBalancerHealthInspector(new AwsFacts(session, NullOperationObserver.Instance)).InspectAsync(Alb, default));
            return outcome.Value?.Causes.Any(c => c.Cause == cause.ToString()) == true ? Tuple.Create(outcome.Value, session.Calls) : null;
        }, $"a report naming {cause}", TimeSpan.FromSeconds(120));
        return (found.Item1, found.Item2);
    }

    [Fact]
    public async Task Alb_502_names_the_reset_and_the_empty_group_with_one_read_per_family()
    {
        var (report, calls) = await InspectUntilAsync(Lightwave.Alb502.Scenario, LoadBalancerCauseKind.TargetClosedConnection);

        Assert.Equal(nameof(HealthStatus.Error), report.Status);
        Assert.True(report.Complete);
        Assert.Equal(new int?[] { 503, 502 }, report.Causes.Select(c => c.StatusCode));
        Assert.Equal(Lightwave.Alb502.AdminTargetGroup, report.Causes[0].Resource);
        Assert.True(report.ElbHttp502Count > 0);
        Assert.Equal(2, report.Routes.Count);
        Assert.Equal(1, Calls(calls, "DescribeRules"));
        Assert.Equal(2, Calls(calls, "DescribeTargetHealth"));
        Assert.Equal(1, Calls(calls, "GetMetricData"));
        Assert.All(calls.Snapshot(), c => Assert.Matches("^(Describe|List|Get)", c.Operation));
    }

    [Fact]
    public async Task Alb_504_is_fixed_by_the_idle_timeout_change_and_the_change_is_made_once()
    {
        var (report, _) = await InspectUntilAsync(Lightwave.Alb504IdleTimeout.Scenario, LoadBalancerCauseKind.SlowerThanIdleTimeout);
        Assert.Equal(Lightwave.Alb504IdleTimeout.IdleTimeoutSeconds, report.IdleTimeoutSeconds);

        using var session = SandboxSessions.Create(_sandbox);
        var changer = new LoadBalancerAttributeChanger(new AwsFacts(session, NullOperationObserver.Instance));
        var request = new IdleTimeoutRequest { LoadBalancer = report.LoadBalancerArn, IdleTimeoutSeconds = Lightwave.Alb504IdleTimeout.FixedIdleTimeoutSeconds };
        var plan = await changer.PlanIdleTimeoutAsync(request, default);
        Assert.Equal(("60", "120", true), (plan.OldValue, plan.NewValue, plan.NeedsChange));
        Assert.Equal(0, Calls(session.Calls, "ModifyLoadBalancerAttributes"));

        var change = Assert.IsType<LoadBalancerAttributeChange>(Assert.Single(await changer.ApplyAsync(plan, default)).Value);
        Assert.Equal(("60", "120", true), (change.OldValue, change.NewValue, change.Changed));
        var attributes = await AwsCli.RunJsonAsync(_sandbox.Url, "elbv2", "describe-load-balancer-attributes", "--load-balancer-arn", report.LoadBalancerArn);
        Assert.Contains(attributes.GetProperty("Attributes").EnumerateArray(), a => a.GetProperty("Key").GetString() == "idle_timeout.timeout_seconds" && a.GetProperty("Value").GetString() == "120");

        var again = await changer.PlanIdleTimeoutAsync(request, default);
        Assert.False(again.NeedsChange);
        Assert.False(Assert.IsType<LoadBalancerAttributeChange>(Assert.Single(await changer.ApplyAsync(again, default)).Value).Changed);
        Assert.Equal(1, Calls(session.Calls, "ModifyLoadBalancerAttributes"));

        var after = await Eventually.WaitForAsync(async () =>
        {
            var outcome = Assert.Single(await new LoadBalancerHealthInspector(new AwsFacts(session, NullOperationObserver.Instance))
                .InspectAsync(Alb with { Since = TimeSpan.FromSeconds(10) }, default));
            return outcome.Value is { Status: nameof(HealthStatus.Healthy), RequestCount: > 0 } healthy ? healthy : null;
        }, "a healthy report once the users after the fix are counted", TimeSpan.FromSeconds(90));
        Assert.True(after.TargetResponseTimeMaximum > Lightwave.Alb504IdleTimeout.IdleTimeoutSeconds);
    }

    [Fact]
    public async Task Deployment_health_names_the_load_balancer_cause_of_a_healthy_looking_service()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.Alb504IdleTimeout.Scenario);
        using var session = SandboxSessions.Create(_sandbox);
        var inspector = new DeploymentHealthInspector(session, NullOperationObserver.Instance);
        var request = new HealthInspectionRequest { Cluster = Lightwave.Cluster, Services = new[] { Lightwave.Service } };

        var report = await Eventually.WaitForAsync(async () =>
        {
            var outcome = Assert.Single(await inspector.InspectAsync(request, default));
            return outcome.Value?.Category == nameof(RootCauseCategory.LoadBalancer) ? outcome.Value : null;
        }, "a report with category LoadBalancer", TimeSpan.FromSeconds(120));

        Assert.Equal(nameof(HealthStatus.Error), report.Status);
        Assert.Contains(report.Evidence, e => e.Source == nameof(EvidenceSource.LoadBalancer) && e.Detail.StartsWith("504 SlowerThanIdleTimeout", StringComparison.Ordinal));
        Assert.Equal(CheckOutcome.Fail, report.Checks.Single(c => c.Name == HealthClassifier.LoadBalancerCheck).OutcomeKind);
        Assert.Contains("Set-LoadBalancerAttribute -LoadBalancer lightwave-dev-alb -IdleTimeout 120", report.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_load_balancer_is_its_own_error_and_a_bad_name_or_timeout_is_refused_before_any_call()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        using var session = SandboxSessions.Create(_sandbox);
        var facts = new AwsFacts(session, NullOperationObserver.Instance);

        var outcomes = await new LoadBalancerHealthInspector(facts).InspectAsync(new LoadBalancerHealthRequest { LoadBalancers = new[] { "no-such-alb", Lightwave.LoadBalancer } }, default);
        Assert.Equal(ErrorIds.LoadBalancerNotFound, outcomes[0].Error?.ErrorId);
        Assert.Contains("'no-such-alb' does not exist in 'us-east-1'", outcomes[0].Error!.Message, StringComparison.Ordinal);
        Assert.Equal(Lightwave.LoadBalancer, outcomes[1].Value?.LoadBalancerName);

        var calls = session.Calls.TotalCalls;
        var badName = await Assert.ThrowsAsync<DeployOpsException>(() => new LoadBalancerHealthInspector(facts).InspectAsync(new LoadBalancerHealthRequest { LoadBalancers = new[] { "-bad_name" } }, default));
        Assert.Equal(ErrorIds.InvalidLoadBalancerName, badName.Error.ErrorId);
        var badTimeout = await Assert.ThrowsAsync<DeployOpsException>(() => new LoadBalancerAttributeChanger(facts).PlanIdleTimeoutAsync(
            new IdleTimeoutRequest { LoadBalancer = Lightwave.LoadBalancer, IdleTimeoutSeconds = 4001 }, default));
        Assert.Equal(ErrorIds.InvalidIdleTimeout, badTimeout.Error.ErrorId);
        Assert.Contains("1 to 4000 seconds", badTimeout.Error.Message, StringComparison.Ordinal);
        Assert.Equal(calls, session.Calls.TotalCalls);
        var missing = await Assert.ThrowsAsync<DeployOpsException>(() => new LoadBalancerAttributeChanger(facts).PlanIdleTimeoutAsync(
            new IdleTimeoutRequest { LoadBalancer = "no-such-alb", IdleTimeoutSeconds = 120 }, default));
        Assert.Equal(ErrorIds.LoadBalancerNotFound, missing.Error.ErrorId);
    }

    [Fact]
    public async Task The_load_balancer_in_front_of_a_service_is_found_through_its_target_groups()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.AlbNoTraffic.Scenario);
        using var session = SandboxSessions.Create(_sandbox);

        var outcome = Assert.Single(await new LoadBalancerHealthInspector(new AwsFacts(session, NullOperationObserver.Instance))
            .InspectAsync(new LoadBalancerHealthRequest { Cluster = Lightwave.Cluster, Services = new[] { Lightwave.Service } }, default));

        var report = outcome.Value!;
        Assert.Equal((Lightwave.LoadBalancer, Lightwave.Service), (report.LoadBalancerName, report.Service));
        Assert.Equal(new[] { nameof(LoadBalancerCauseKind.NoInternetGatewayRoute), nameof(LoadBalancerCauseKind.ListenerPortClosed) }, report.Causes.Select(c => c.Cause));
        Assert.Contains(report.Causes[0].Evidence, e => e.Contains(Lightwave.AlbNoTraffic.PrivateSubnetA, StringComparison.Ordinal));
    }
}
