using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Deployments;
using DeployOps.Engine.Tests.Support;
using DeployOps.Errors;
using DeployOps.Health;
using DeployOps.Operations;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Runbook;

/// <summary>Runbook 000 step 3A (repair and redeploy) and step 4 (wait for the rollout) against the sandbox.</summary>
public sealed class RepairAndWaitTests : IClassFixture<SandboxFixture>
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private readonly SandboxFixture _sandbox;

    public RepairAndWaitTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private async Task<string> TargetGroupArnAsync(AwsSession session) =>
        (await session.LoadBalancing.DescribeTargetGroupsByNameAsync(new[] { Lightwave.TargetGroup })).Single().Arn;

    private static DeploymentWaitRequest WaitFor(string? deploymentId = null, TimeSpan? timeout = null) => new()
    {
        Cluster = Lightwave.Cluster,
        Service = Lightwave.Service,
        DeploymentId = deploymentId,
        Timeout = timeout ?? TimeSpan.FromMinutes(2),
        PollInterval = Poll,
    };

    [Fact]
    public async Task Repair_with_redeploy_then_wait_ends_healthy()
    {
        await _sandbox.LoadScenarioAsync("health-check-mismatch");
        using var session = SandboxSessions.Create(_sandbox);
        var repairer = new HealthCheckRepairer(session, NullOperationObserver.Instance);
        var arn = await TargetGroupArnAsync(session);

        var request = new HealthCheckRepairRequest
        {
            TargetGroupArn = arn,
            HealthCheckPath = Lightwave.HealthPath,
            Redeploy = true,
            Cluster = Lightwave.Cluster,
            Services = new[] { Lightwave.Service },
            Wait = new DeploymentWaitSettings(TimeSpan.FromMinutes(2)),
        };
        var plan = await repairer.PlanAsync(request, default);
        var outcomes = await repairer.ApplyAsync(plan, request, default);

        // In order: the change, the wait's result, the report after (no error anywhere).
        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Collection(outcomes.Select(o => o.Value!),
            first => Assert.IsType<TargetGroupHealthCheckChange>(first),
            second => Assert.IsType<DeploymentWaitResult>(second),
            third => Assert.IsType<DeploymentHealthReport>(third));
        var change = (TargetGroupHealthCheckChange)outcomes[0].Value!;
        var waited = (DeploymentWaitResult)outcomes[1].Value!;
        var report = (DeploymentHealthReport)outcomes[2].Value!;
        Assert.Equal(Assert.Single(change.Redeployments).DeploymentId, waited.DeploymentId);
        Assert.Equal((Lightwave.WrongHealthPath, Lightwave.HealthPath, true), (change.OldHealthCheckPath, change.NewHealthCheckPath, change.Changed));
        Assert.Equal($"target group {Lightwave.TargetGroup} ({arn})", plan.ShouldProcessTarget);
        Assert.Contains($"force a new deployment of {Lightwave.Cluster}/{Lightwave.Service}", plan.ShouldProcessAction, StringComparison.Ordinal);
        Assert.Equal(DeploymentWaitOutcome.Completed, waited.OutcomeKind);
        Assert.True(waited.Succeeded);
        Assert.Null(waited.ToError());
        Assert.Equal(2, waited.HealthyTargets);
        Assert.Equal((nameof(HealthStatus.Healthy), nameof(RootCauseCategory.None)), (report.Status, report.Category));
    }

    [Fact]
    public async Task A_change_whose_every_answer_is_lost_is_read_back_and_reported_as_made()
    {
        await _sandbox.LoadScenarioAsync("health-check-mismatch");
        using var session = SandboxSessions.Create(_sandbox);
        var repairer = new HealthCheckRepairer(session, NullOperationObserver.Instance);
        var request = new HealthCheckRepairRequest { TargetGroupArn = await TargetGroupArnAsync(session), HealthCheckPath = Lightwave.HealthPath };
        var plan = await repairer.PlanAsync(request, default);

        // Every ModifyTargetGroup is applied, then its answer dropped: the engine's attempts all fail.
        await using (await _sandbox.FaultsAsync("""{"seed": 1, "rules": [{"service": "elbv2", "operation": "ModifyTargetGroup", "kind": "appliedThenDrop", "rate": 1.0}]}"""))
        {
            var outcome = Assert.Single(await repairer.ApplyAsync(plan, request, default));

            Assert.Null(outcome.Error);
            Assert.True(Assert.IsType<TargetGroupHealthCheckChange>(outcome.Value).Changed);
        }

        Assert.Equal(Lightwave.HealthPath, (await session.LoadBalancing.DescribeTargetGroupsByNameAsync(new[] { Lightwave.TargetGroup })).Single().HealthCheck.Path);
    }

    [Fact]
    public async Task A_change_that_was_never_applied_is_still_an_error_after_the_read_back()
    {
        await _sandbox.LoadScenarioAsync("health-check-mismatch");
        using var session = SandboxSessions.Create(_sandbox);
        var repairer = new HealthCheckRepairer(session, NullOperationObserver.Instance);
        var request = new HealthCheckRepairRequest { TargetGroupArn = await TargetGroupArnAsync(session), HealthCheckPath = Lightwave.HealthPath };
        var plan = await repairer.PlanAsync(request, default);

        await using (await _sandbox.FaultsAsync("""{"seed": 1, "rules": [{"service": "elbv2", "operation": "ModifyTargetGroup", "kind": "error", "rate": 1.0, "status": 500}]}"""))
        {
            await Assert.ThrowsAsync<DeployOpsException>(() => repairer.ApplyAsync(plan, request, default));
        }

        Assert.Equal(Lightwave.WrongHealthPath, (await session.LoadBalancing.DescribeTargetGroupsByNameAsync(new[] { Lightwave.TargetGroup })).Single().HealthCheck.Path);
    }

    [Fact]
    public async Task A_restart_whose_answer_is_lost_is_read_back_and_reported_as_started()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        using var session = SandboxSessions.Create(_sandbox);
        var redeployer = new ServiceRedeployer(session, NullOperationObserver.Instance);
        var plan = await redeployer.PlanAsync(Lightwave.Cluster, Lightwave.Service, default);
        var before = await DeploymentsStartedAsync();

        // UpdateService is applied, then its answer dropped; it is never resent (not idempotent).
        EcsDeploymentStart started;
        await using (await _sandbox.FaultsAsync("""{"seed": 1, "rules": [{"service": "ecs", "operation": "UpdateService", "kind": "appliedThenDrop", "rate": 1.0}]}"""))
        {
            started = await redeployer.ApplyAsync(plan, default);
        }

        Assert.NotNull(plan.PrimaryDeploymentId);
        Assert.NotEqual(plan.PrimaryDeploymentId, started.DeploymentId);
        Assert.Equal(before + 1, await DeploymentsStartedAsync());
        Assert.Equal(1, session.Calls.Get("ECS", "UpdateService").Attempts);
    }

    [Fact]
    public async Task A_restart_that_never_reached_ecs_is_still_outcome_unknown_after_the_read_back()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        using var session = SandboxSessions.Create(_sandbox);
        var redeployer = new ServiceRedeployer(session, NullOperationObserver.Instance);
        var plan = await redeployer.PlanAsync(Lightwave.Cluster, Lightwave.Service, default);
        var before = await DeploymentsStartedAsync();

        await using (await _sandbox.FaultsAsync("""{"seed": 1, "rules": [{"service": "ecs", "operation": "UpdateService", "kind": "error", "rate": 1.0, "status": 500}]}"""))
        {
            var error = await Assert.ThrowsAsync<DeployOpsException>(() => redeployer.ApplyAsync(plan, default));
            Assert.Equal(ErrorIds.OutcomeUnknown, error.Error.ErrorId);
        }

        Assert.Equal(before, await DeploymentsStartedAsync());
    }

    [Fact]
    public async Task Planning_changes_nothing_and_a_group_already_right_is_not_modified()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        using var session = SandboxSessions.Create(_sandbox);
        var repairer = new HealthCheckRepairer(session, NullOperationObserver.Instance);
        var arn = await TargetGroupArnAsync(session);

        var plan = await repairer.PlanAsync(new HealthCheckRepairRequest { TargetGroupArn = arn, HealthCheckPath = "/other/" }, default);
        var unchanged = (await session.LoadBalancing.DescribeTargetGroupsAsync(new[] { arn })).Single();
        var same = new HealthCheckRepairRequest { TargetGroupArn = arn, HealthCheckPath = Lightwave.HealthPath };
        var samePlan = await repairer.PlanAsync(same, default);
        var change = Assert.IsType<TargetGroupHealthCheckChange>(Assert.Single(await repairer.ApplyAsync(samePlan, same, default)).Value);

        Assert.True(plan.NeedsChange);
        Assert.Equal(Lightwave.HealthPath, unchanged.HealthCheck.Path);
        Assert.False(samePlan.NeedsChange);
        Assert.False(change.Changed);
        Assert.Equal(0, session.Calls.Get("Elastic Load Balancing v2", "ModifyTargetGroup").Calls);
    }

    [Theory]
    [InlineData("not-an-arn", "/x/", "200", ErrorIds.InvalidTargetGroupArn)]
    [InlineData(null, "health/", "200", ErrorIds.InvalidHealthCheckPath)]
    [InlineData(null, "/with space/", "200", ErrorIds.InvalidHealthCheckPath)]
    [InlineData(null, "/ok/", "2OO", ErrorIds.InvalidMatcher)]
    [InlineData(null, "/ok/", "100", ErrorIds.InvalidMatcher)]
    [InlineData("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/nope/0123456789abcdef", "/ok/", "200", ErrorIds.TargetGroupNotFound)]
    public async Task Bad_values_are_errors_that_name_them(string? arn, string path, string matcher, string errorId)
    {
        await _sandbox.LoadScenarioAsync("healthy");
        using var session = SandboxSessions.Create(_sandbox);
        arn ??= await TargetGroupArnAsync(session);

        var error = await Assert.ThrowsAsync<DeployOpsException>(() => new HealthCheckRepairer(session, NullOperationObserver.Instance)
            .PlanAsync(new HealthCheckRepairRequest { TargetGroupArn = arn, HealthCheckPath = path, Matcher = matcher }, default));

        Assert.Equal(errorId, error.Error.ErrorId);
        Assert.Contains(errorId == ErrorIds.InvalidMatcher ? matcher : errorId == ErrorIds.InvalidHealthCheckPath ? path : arn, error.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_on_a_failed_rollout_returns_failed_with_why()
    {
        await _sandbox.LoadScenarioAsync("app-not-starting");
        using var session = SandboxSessions.Create(_sandbox);

        var result = await new DeploymentWaiter(session, NullOperationObserver.Instance).WaitAsync(WaitFor(timeout: TimeSpan.FromMinutes(10)), default);

        Assert.Equal(DeploymentWaitOutcome.Failed, result.OutcomeKind);
        Assert.True(result.Elapsed < TimeSpan.FromMinutes(5), $"gave up after {result.Elapsed}");
        Assert.Contains("circuit breaker", result.Reason, StringComparison.Ordinal);
        Assert.Contains(result.StoppedReasons, r => r.Contains("Essential container in task exited (exit code 1)", StringComparison.Ordinal));
        Assert.Equal(ErrorIds.DeploymentFailed, result.ToError()!.ErrorId);
    }

    [Fact]
    public async Task Wait_on_a_deployment_the_circuit_breaker_rolls_back_says_so()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        using var session = SandboxSessions.Create(_sandbox);
        await RegisterRevisionAsync(image: "lightwave/backend:9.9.9");
        var updated = await session.Ecs.UpdateServiceAsync(new Aws.Ecs.EcsUpdateServiceRequest(Lightwave.Cluster, Lightwave.Service) { TaskDefinition = $"{Lightwave.TaskFamily}:2" });

        var result = await new DeploymentWaiter(session, NullOperationObserver.Instance).WaitAsync(WaitFor(updated.Deployments[0].Id), default);

        Assert.Equal(DeploymentWaitOutcome.RolledBack, result.OutcomeKind);
        Assert.Contains($"{Lightwave.TaskFamily}:1", result.Reason, StringComparison.Ordinal);
        Assert.Equal(ErrorIds.DeploymentRolledBack, result.ToError()!.ErrorId);
    }

    [Fact]
    public async Task Wait_gives_up_when_tasks_keep_stopping_for_the_same_reason()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        using var session = SandboxSessions.Create(_sandbox);
        await RegisterRevisionAsync(image: "lightwave/backend:1.4.2", withoutSecretKey: true);
        var updated = await session.Ecs.UpdateServiceAsync(new Aws.Ecs.EcsUpdateServiceRequest(Lightwave.Cluster, Lightwave.Service)
        {
            TaskDefinition = $"{Lightwave.TaskFamily}:2",
            DeploymentConfiguration = new Aws.Ecs.EcsDeploymentConfiguration { CircuitBreakerEnabled = false, CircuitBreakerRollback = false },
        });

        var result = await new DeploymentWaiter(session, NullOperationObserver.Instance).WaitAsync(WaitFor(updated.Deployments[0].Id), default);

        Assert.Equal(DeploymentWaitOutcome.TasksFailing, result.OutcomeKind);
        Assert.Contains("Essential container in task exited (exit code 1)", result.Reason, StringComparison.Ordinal);
        Assert.Equal(ErrorIds.TasksFailing, result.ToError()!.ErrorId);
    }

    [Fact]
    public async Task Wait_that_runs_out_of_time_says_where_the_rollout_stands()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        await _sandbox.PostControlAsync("_sandbox/clock", """{"speed": 0.1}""");
        try
        {
            using var session = SandboxSessions.Create(_sandbox);
            var start = await new ServiceRedeployer(session, NullOperationObserver.Instance)
                .ApplyAsync(new RedeployPlan(Lightwave.Cluster, Lightwave.Service), default);

            var result = await new DeploymentWaiter(session, NullOperationObserver.Instance).WaitAsync(WaitFor(start.DeploymentId, TimeSpan.FromSeconds(1)), default);

            Assert.Equal(DeploymentWaitOutcome.TimedOut, result.OutcomeKind);
            Assert.StartsWith("still IN_PROGRESS", result.Reason, StringComparison.Ordinal);
            Assert.Equal((ErrorIds.DeploymentWaitTimedOut, DeployOpsErrorKind.OperationTimeout), (result.ToError()!.ErrorId, result.ToError()!.Kind));
        }
        finally
        {
            await _sandbox.PostControlAsync("_sandbox/clock", """{"speed": 30}""");
        }
    }

    [Fact]
    public async Task Redeploys_under_30_percent_ecs_throttling_start_one_deployment_each_and_no_more()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        await using var faults = await _sandbox.FaultsAsync("""{"seed": 5, "rules": [{"service": "ecs", "kind": "throttle", "rate": 0.3}]}""");
        using var session = SandboxSessions.Create(_sandbox);
        var redeployer = new ServiceRedeployer(session, NullOperationObserver.Instance);

        var started = 0;
        var throttledOut = 0;
        for (var i = 0; i < 12; i++)
        {
            try
            {
                await redeployer.ApplyAsync(new RedeployPlan(Lightwave.Cluster, Lightwave.Service), default);
                started++;
            }
            catch (DeployOpsException ex) when (ex.Error.ErrorId == ErrorIds.Throttled)
            {
                throttledOut++;
            }
        }

        var updates = session.Calls.Get("ECS", "UpdateService");
        var state = await _sandbox.StateAsync();
        var service = state["services"]!.AsArray().Single()!;
        Assert.True(updates.Attempts > updates.Calls, "some UpdateService attempts were throttled and retried");
        Assert.Equal(12, started + throttledOut);
        // The scenario's own deployment plus exactly one per UpdateService that succeeded: no retry applied twice.
        Assert.Equal(1 + started, (int)service["deploymentsStarted"]!);
    }

    /// <summary>How many deployments the sandbox started for the Lightwave service (the world's own count, not DeployOps').</summary>
    private async Task<int> DeploymentsStartedAsync() =>
        (int)(await _sandbox.StateAsync())["services"]!.AsArray().Single(s => (string?)s!["service"] == Lightwave.Service)!["deploymentsStarted"]!;

    private async Task RegisterRevisionAsync(string image, bool withoutSecretKey = false)
    {
        var environment = new JsonArray(new JsonObject { ["name"] = "DJANGO_SETTINGS_MODULE", ["value"] = "config.settings.dev" });
        if (!withoutSecretKey)
        {
            environment.Add(new JsonObject { ["name"] = "SECRET_KEY", ["value"] = "sandbox" });
        }

        await _sandbox.Aws.EcsAsync("RegisterTaskDefinition", new JsonObject
        {
            ["family"] = Lightwave.TaskFamily,
            ["networkMode"] = "awsvpc",
            ["requiresCompatibilities"] = new JsonArray("FARGATE"),
            ["cpu"] = "512",
            ["memory"] = "1024",
            ["containerDefinitions"] = new JsonArray(new JsonObject
            {
                ["name"] = "backend",
                ["image"] = image,
                ["memory"] = 1024,
                ["portMappings"] = new JsonArray(new JsonObject { ["containerPort"] = 8000 }),
                ["environment"] = environment,
                ["logConfiguration"] = new JsonObject
                {
                    ["logDriver"] = "awslogs",
                    ["options"] = new JsonObject { ["awslogs-group"] = Lightwave.LogGroup, ["awslogs-region"] = Lightwave.Region, ["awslogs-stream-prefix"] = "ecs" },
                },
            }),
        }, Lightwave.Region, default);
    }
}
