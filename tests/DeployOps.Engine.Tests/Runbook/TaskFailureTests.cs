using System;
using System.Linq;
using System.Threading.Tasks;
using DeployOps.Engine.Tests.Support;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;
using DeployOps.TaskFailures;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Runbook;

/// <summary>Get-EcsTaskFailure's engine against the sandbox's scenarios: the right cause, its evidence and fix, read once per cause.</summary>
public sealed class TaskFailureTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public TaskFailureTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private static TaskFailureRequest Lightwave004 => new() { Cluster = Lightwave.Cluster, Services = new[] { Lightwave.Service } };

    /// <summary>Analyzes until the first cause is <paramref name="cause"/> with at least <paramref name="count"/> tasks (and <paramref name="ready"/> holds).</summary>
    private async Task<(EcsTaskFailureReport Report, TaskFailureGroup Group, Aws.AwsSession Session)> AnalyzeUntilAsync(
        TaskFailureCause cause, int count = 1, Func<TaskFailureGroup, bool>? ready = null, TaskFailureRequest? request = null)
    {
        var session = SandboxSessions.Create(_sandbox);
        var found = await Eventually.WaitForAsync(async () =>
        {
            var report = Assert.Single(await new TaskFailureAnalyzer(new AwsFacts(session, NullOperationObserver.Instance)).AnalyzeAsync(request ?? Lightwave004, default)).Value!;
            var group = report.Causes.FirstOrDefault();
            return group is not null && group.Cause == cause.ToString() && group.Count >= count && (ready?.Invoke(group) ?? true) ? Tuple.Create(report, group) : null;
        }, $"{count} task(s) stopped for {cause}");
        return (found.Item1, found.Item2, session);
    }

    [Fact]
    public async Task Secret_missing_names_the_secret_and_the_variable_never_a_value()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.SecretMissing.Scenario);

        var (report, group, session) = await AnalyzeUntilAsync(TaskFailureCause.SecretNotFound);
        using (session)
        {
            Assert.Equal(("Secret", true), (group.Family, group.IsFailure));
            Assert.Contains(Lightwave.SecretMissing.MissingSecretArn, group.Reason, StringComparison.Ordinal);
            Assert.Contains($"Container backend takes {Lightwave.SecretMissing.MissingSecretVariable} from {Lightwave.SecretMissing.MissingSecretArn} (the value is never read)", group.Evidence);
            Assert.Contains($"The secret {Lightwave.SecretMissing.MissingSecretArn} (variable {Lightwave.SecretMissing.MissingSecretVariable}) does not exist in us-east-1", group.Fix, StringComparison.Ordinal);
            Assert.Empty(group.LogLines);
            Assert.Equal(Lightwave.SecretMissing.TaskDefinition, group.TaskDefinition);
            Assert.DoesNotContain(Lightwave.SecretMissing.DatabaseUrlSecretValue, report.ToString() + string.Join("", group.Evidence) + group.Fix, StringComparison.Ordinal);
            Assert.Equal(0, session.Calls.Get("CloudWatch Logs", "GetLogEvents").Calls);
        }
    }

    [Fact]
    public async Task Image_not_found_names_the_image_and_the_fix()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.ImageNotFound.Scenario);

        var (report, group, session) = await AnalyzeUntilAsync(TaskFailureCause.ImageNotFound);
        using (session)
        {
            Assert.Equal("ImagePull", group.Family);
            Assert.StartsWith($"The image {Lightwave.ImageNotFound.Image} does not exist: push that tag", group.Fix, StringComparison.Ordinal);
            Assert.Contains(report.Causes, g => g.Cause == nameof(TaskFailureCause.ImageNotFound));
            Assert.DoesNotContain(report.Causes, g => g.Cause == nameof(TaskFailureCause.ImageNoNetworkRoute));
        }
    }

    [Fact]
    public async Task Crash_loop_is_an_application_exit_1_with_the_last_log_lines_read_once_and_churn()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.CrashLoop.Scenario);

        var (report, group, session) = await AnalyzeUntilAsync(TaskFailureCause.ApplicationExit, count: 3,
            ready: g => g.LogLines.Contains(Lightwave.CrashLoop.CrashLogLine));
        using (session)
        {
            Assert.Equal((1, "application error", "backend"), (group.ExitCode, group.ExitCodeMeaning, group.Container));
            Assert.Contains("Exit code 1: application error", group.Evidence);
            Assert.Contains(group.Evidence, e => e.StartsWith($"Last {group.LogLines.Count} line(s) of log stream {Lightwave.LogGroup}:ecs/backend/{group.ExampleTask}", StringComparison.Ordinal));
            Assert.Equal(Lightwave.CrashLoop.CrashLogLine, group.LogLines[^1]);
            Assert.Contains("Restart-EcsService -Cluster lightwave-dev-ecs-cluster -Service lightwave-backend-api-dev -Wait", group.Fix, StringComparison.Ordinal);
            Assert.True(group.FirstAt < group.LastAt);
            Assert.True(report.TasksStarted >= report.TasksStopped && report.TasksStopped >= group.Count, report.Summary);
            Assert.Equal(2, report.TasksRunning);
            Assert.StartsWith($"{report.TasksFailed} failure(s) in 60 min: ApplicationExit ({group.Count})", report.Summary, StringComparison.Ordinal);

            // The log is read once for the cause, never once per task; the tasks are described in one batch.
            var analyzer = new TaskFailureAnalyzer(new AwsFacts(session, NullOperationObserver.Instance));
            var before = (Logs: session.Calls.Get("CloudWatch Logs", "GetLogEvents").Calls, Describe: session.Calls.Get("ECS", "DescribeTasks").Calls);
            var again = Assert.Single(await analyzer.AnalyzeAsync(Lightwave004, default)).Value!;
            Assert.Equal(again.Causes.Count(g => g.LogLines.Count > 0 || g.Evidence.Any(e => e.StartsWith("Last ", StringComparison.Ordinal))),
                session.Calls.Get("CloudWatch Logs", "GetLogEvents").Calls - before.Logs);
            Assert.Equal(1, session.Calls.Get("ECS", "DescribeTasks").Calls - before.Describe);
        }
    }

    [Fact]
    public async Task Out_of_memory_carries_the_limits_and_the_observed_peak()
    {
        await _sandbox.LoadScenarioAsync("out-of-memory");

        var (_, group, session) = await AnalyzeUntilAsync(TaskFailureCause.OutOfMemory,
            ready: g => g.Evidence.Contains($"Maximum MemoryUtilization of {Lightwave.Service} in the window: 100%"));
        using (session)
        {
            Assert.Equal((137, "backend"), (group.ExitCode, group.Container));
            Assert.Contains("Memory limits: container backend 1024 MiB hard limit; task 1024 MiB", group.Evidence);
            Assert.Contains("MemoryError: Unable to allocate 512. MiB for an array", group.LogLines);
            Assert.Contains("Get-EcsServiceMetric -Cluster lightwave-dev-ecs-cluster -Service lightwave-backend-api-dev", group.Fix, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Failed_elb_health_checks_link_to_the_target_group()
    {
        await _sandbox.LoadScenarioAsync("health-check-mismatch");

        var (_, group, session) = await AnalyzeUntilAsync(TaskFailureCause.ElbHealthCheckFailed);
        using (session)
        {
            Assert.Equal("HealthCheck", group.Family);
            Assert.Contains(group.Evidence, e => e.StartsWith($"Target group {Lightwave.TargetGroup} checks HTTP {Lightwave.WrongHealthPath} on port traffic-port, matcher 200", StringComparison.Ordinal));
            Assert.Contains(group.Evidence, e => e.Contains("Target.ResponseCodeMismatch", StringComparison.Ordinal));
            Assert.Contains("Repair-TargetGroupHealthCheck", group.Fix, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Healthy_service_has_no_failure_and_a_forced_deployment_is_said_not_to_be_one()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        using var session = SandboxSessions.Create(_sandbox);
        var analyzer = new TaskFailureAnalyzer(new AwsFacts(session, NullOperationObserver.Instance));

        var quiet = Assert.Single(await analyzer.AnalyzeAsync(Lightwave004, default)).Value!;
        Assert.Empty(quiet.Causes);
        Assert.StartsWith("No task failed in 60 min (0 stopped on purpose", quiet.Summary, StringComparison.Ordinal);

        var redeployer = new Deployments.ServiceRedeployer(new AwsFacts(session, NullOperationObserver.Instance));
        await redeployer.ApplyAsync(await redeployer.PlanAsync(Lightwave.Cluster, Lightwave.Service, default), default);
        var (report, group, analysis) = await AnalyzeUntilAsync(TaskFailureCause.NotAFailure, count: 2);
        using (analysis)
        {
            Assert.False(group.IsFailure);
            Assert.Equal(0, report.TasksFailed);
            Assert.StartsWith("Not a failure", group.Fix, StringComparison.Ordinal);
            Assert.Contains(group.Evidence, e => e.StartsWith("ECS: Scaling activity initiated by (deployment ecs-svc/", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Given_tasks_are_analyzed_alone_and_unknown_ones_are_errors()
    {
        await _sandbox.LoadScenarioAsync("app-not-starting");
        var (_, group, session) = await AnalyzeUntilAsync(TaskFailureCause.ApplicationExit);
        using (session)
        {
            var analyzer = new TaskFailureAnalyzer(new AwsFacts(session, NullOperationObserver.Instance));

            var outcomes = await analyzer.AnalyzeAsync(new TaskFailureRequest { Cluster = Lightwave.Cluster, Tasks = new[] { group.ExampleTaskArn!, "0123456789abcdef0123456789abcdef" } }, default);

            var report = outcomes[0].Value!;
            Assert.Equal((Lightwave.Service, 1), (report.Service, Assert.Single(report.Causes).Count));
            Assert.Contains(Lightwave.SecretKeyLogLine, report.Causes[0].LogLines);
            Assert.Equal((ErrorIds.TaskNotFound, (object?)"0123456789abcdef0123456789abcdef"), (outcomes[1].Error!.ErrorId, outcomes[1].Error!.Target));
        }
    }

    [Fact]
    public async Task Missing_service_cluster_and_a_backwards_window_are_errors()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        using var session = SandboxSessions.Create(_sandbox);
        var analyzer = new TaskFailureAnalyzer(new AwsFacts(session, NullOperationObserver.Instance));

        var noService = Assert.Single(await analyzer.AnalyzeAsync(Lightwave004 with { Services = new[] { "no-such-service" } }, default));
        var noCluster = Assert.Single(await analyzer.AnalyzeAsync(new TaskFailureRequest { Cluster = "no-such-cluster" }, default));
        var backwards = await Assert.ThrowsAsync<DeployOpsException>(() => analyzer.AnalyzeAsync(
            Lightwave004 with { StartTime = DateTimeOffset.UtcNow, EndTime = DateTimeOffset.UtcNow.AddHours(-1) }, default));

        Assert.Equal(ErrorIds.ServiceNotFound, noService.Error!.ErrorId);
        Assert.Equal(ErrorIds.ClusterNotFound, noCluster.Error!.ErrorId);
        Assert.Equal((ErrorIds.InvalidTimeWindow, DeployOpsErrorKind.InvalidArgument), (backwards.Error.ErrorId, backwards.Error.Kind));
    }

    [Fact]
    public async Task Seeded_secrets_never_reach_the_report()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.Secrets.Scenario);

        var (report, group, session) = await AnalyzeUntilAsync(TaskFailureCause.ApplicationExit, ready: g => g.LogLines.Count >= 3);
        using (session)
        {
            var text = string.Join("\n", report.Causes.SelectMany(g => g.Evidence.Concat(g.LogLines).Append(g.Reason).Append(g.Fix)));
            foreach (var seeded in new[] { Lightwave.Secrets.DatabasePassword, Lightwave.Secrets.ApiToken, Lightwave.Secrets.SecretAccessKey, Lightwave.Secrets.AccessKeyId })
            {
                Assert.DoesNotContain(seeded, text, StringComparison.Ordinal);
            }

            // The URL pattern applies before the known values: the host stays, the password goes.
            Assert.Contains("FATAL: database connection failed: postgres://lightwave:***@db.internal:5432/lightwave", group.LogLines);
        }
    }
}
