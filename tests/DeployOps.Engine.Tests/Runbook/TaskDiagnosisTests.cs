using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.ApplicationLogs;
using DeployOps.Engine.Tests.Support;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Health;
using DeployOps.Metrics;
using DeployOps.Operations;
using DeployOps.TaskFailures;
using DeployOps.Testing;
using DeployOps.Verification;
using Xunit;

namespace DeployOps.Engine.Tests.Runbook;

/// <summary>
/// Runbook 000 step 3B and 004's task sections against the sandbox: Get-DeploymentHealth's category B sub-cause,
/// Get-DeploymentLog (and -Follow), Test-StartupSequence and Get-EcsServiceMetric.
/// </summary>
public sealed class TaskDiagnosisTests : IClassFixture<SandboxFixture>
{
    private static readonly string[] LightwavePhases = { Lightwave.PartialStartup.StartingPhase, Lightwave.PartialStartup.ListeningPhase };

    private readonly SandboxFixture _sandbox;

    public TaskDiagnosisTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private static HealthInspectionRequest Lightwave000 => new() { Cluster = Lightwave.Cluster, Services = new[] { Lightwave.Service } };

    private AwsFacts NewFacts() => new(SandboxSessions.Create(_sandbox), NullOperationObserver.Instance);

    private async Task<DeploymentHealthReport> InspectUntilAsync(string subCause, HealthInspectionRequest? request = null)
    {
        var facts = NewFacts();
        using var session = facts.Session;
        return await Eventually.WaitForAsync(async () =>
        {
            var report = Assert.Single(await new DeploymentHealthInspector(facts).InspectAsync(request ?? Lightwave000, default)).Value;
            return report?.SubCause == subCause ? report : null;
        }, $"a category B report with sub-cause {subCause}");
    }

    // ------------------------------------------------------------------ Get-DeploymentHealth names category B's sub-cause

    [Theory]
    [InlineData("secret-missing", nameof(TaskFailureCause.SecretNotFound), "The secret " + Lightwave.SecretMissing.MissingSecretArn + " does not exist")]
    [InlineData("image-not-found", nameof(TaskFailureCause.ImageNotFound), "The image " + Lightwave.ImageNotFound.Image + " does not exist")]
    [InlineData("app-not-starting", nameof(TaskFailureCause.ApplicationExit), "ApplicationExit: container backend exited 1 (application error)")]
    [InlineData("crash-loop", nameof(TaskFailureCause.ApplicationExit), "ApplicationExit: container backend exited 1 (application error)")]
    [InlineData("out-of-memory", nameof(TaskFailureCause.OutOfMemory), "used more memory than its limit")]
    public async Task Category_B_names_its_sub_cause_and_its_fix(string scenario, string subCause, string action)
    {
        await _sandbox.LoadScenarioAsync(scenario);

        var report = await InspectUntilAsync(subCause);

        Assert.Equal(nameof(RootCauseCategory.ApplicationNotStarting), report.Category);
        Assert.StartsWith("Runbook 000 step 3B: ", report.RecommendedAction, StringComparison.Ordinal);
        Assert.Contains(action, report.RecommendedAction, StringComparison.Ordinal);
        Assert.EndsWith($"Get-EcsTaskFailure -Cluster {Lightwave.Cluster} -Service {Lightwave.Service}", report.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal($"{Lightwave.Cluster}/{Lightwave.Service}: {report.Status} (ApplicationNotStarting: {subCause})", report.ToString());
    }

    [Fact]
    public async Task Partial_startup_is_category_B_with_startup_phases_while_every_health_check_passes()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.PartialStartup.Scenario);
        var withPhases = Lightwave000 with
        {
            ServiceExpectations = new System.Collections.Generic.Dictionary<string, ServiceExpectation>
            {
                [Lightwave.Service] = new(null, null) { StartupPhases = LightwavePhases },
            },
        };

        var blind = await Eventually.WaitForAsync(async () =>
        {
            using var session = SandboxSessions.Create(_sandbox);
            var r = Assert.Single(await new DeploymentHealthInspector(session, NullOperationObserver.Instance).InspectAsync(Lightwave000, default)).Value!;
            return r.Status == nameof(HealthStatus.Healthy) ? r : null;
        }, "the shallow checks to pass");
        var report = await InspectUntilAsync(nameof(TaskFailureCause.StartupIncomplete), withPhases);

        Assert.Equal(CheckOutcome.Skipped, HealthCheckOutcome(blind));
        Assert.Equal((nameof(HealthStatus.Error), nameof(RootCauseCategory.ApplicationNotStarting)), (report.Status, report.Category));
        var check = report.Checks.Single(c => c.Name == HealthClassifier.StartupSequenceCheck);
        Assert.Equal((CheckOutcome.Fail, $"2 of 2 running task(s) never logged '{Lightwave.PartialStartup.ListeningPhase}'"), (check.OutcomeKind, check.Message));
        Assert.Equal(CheckOutcome.Pass, report.Checks.Single(c => c.Name == HealthClassifier.TargetHealthCheck).OutcomeKind);
        Assert.Equal(2, report.Evidence.Count(e => e.SourceKind == EvidenceSource.StartupSequence && e.Detail.Contains($"never logged '{Lightwave.PartialStartup.ListeningPhase}'", StringComparison.Ordinal)));
        Assert.Contains("point the target group at a deep health path", report.RecommendedAction, StringComparison.Ordinal);
    }

    private static CheckOutcome HealthCheckOutcome(DeploymentHealthReport report) => report.Checks.Single(c => c.Name == HealthClassifier.StartupSequenceCheck).OutcomeKind;

    // ------------------------------------------------------------------ Test-StartupSequence

    [Fact]
    public async Task Startup_sequence_reports_the_phase_each_task_missed_and_passes_a_complete_startup()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.PartialStartup.Scenario);
        var facts = NewFacts();
        using var session = facts.Session;
        var checker = new StartupSequenceChecker(facts);
        var request = new StartupSequenceRequest { Cluster = Lightwave.Cluster, Service = Lightwave.Service, Phases = LightwavePhases };

        var partial = await Eventually.WaitForAsync(async () =>
        {
            var results = await checker.CheckAsync(request, default);
            return results.Count == 2 && results.All(r => r.Phases[0].Reached) ? results : null;
        }, "both tasks' startup lines");

        Assert.All(partial, r =>
        {
            Assert.Equal((nameof(StartupStatus.Incomplete), false, 1, Lightwave.PartialStartup.ListeningPhase), (r.Status, r.Passed, r.PhasesReached, r.MissingPhase));
            Assert.Equal($"{Lightwave.LogGroup}:ecs/backend/{r.Task}", $"{r.LogGroup}:{r.LogStream}");
            Assert.StartsWith($"Reached '{Lightwave.PartialStartup.StartingPhase}' ", r.Detail, StringComparison.Ordinal);
            Assert.Contains(Lightwave.PartialStartup.StartingPhase, r.Phases[0].Line, StringComparison.Ordinal);
            Assert.Contains($"never logged '{Lightwave.PartialStartup.ListeningPhase}'", r.Fix, StringComparison.Ordinal);
        });

        await _sandbox.LoadScenarioAsync("healthy");
        var healthy = await Eventually.WaitForAsync(async () =>
        {
            var results = await new StartupSequenceChecker(facts).CheckAsync(request, default);
            return results.Count == 2 && results.All(r => r.Passed) ? results : null;
        }, "a complete startup of both tasks");
        Assert.All(healthy, r => Assert.Equal((nameof(StartupStatus.Complete), 2, (string?)null), (r.Status, r.PhasesReached, r.MissingPhase)));
    }

    [Fact]
    public async Task Startup_sequence_refuses_no_phases_and_a_phase_that_is_no_regular_expression()
    {
        var facts = NewFacts();
        using var session = facts.Session;
        var checker = new StartupSequenceChecker(facts);
        var request = new StartupSequenceRequest { Cluster = Lightwave.Cluster, Service = Lightwave.Service };

        var none = await Assert.ThrowsAsync<DeployOpsException>(() => checker.CheckAsync(request, default));
        var bad = await Assert.ThrowsAsync<DeployOpsException>(() => checker.CheckAsync(request with { Phases = new[] { "Starting", "/Listening on (port/" } }, default));

        Assert.Equal(ErrorIds.NoStartupPhases, none.Error.ErrorId);
        Assert.Equal((ErrorIds.InvalidStartupPhase, (object?)"/Listening on (port/"), (bad.Error.ErrorId, bad.Error.Target));
    }

    // ------------------------------------------------------------------ Get-DeploymentLog

    [Fact]
    public async Task Logs_of_a_service_come_from_its_task_definition_filtered_and_tailed()
    {
        await _sandbox.LoadScenarioAsync("app-not-starting");
        var facts = NewFacts();
        using var session = facts.Session;
        var reader = new DeploymentLogReader(facts);
        var request = new DeploymentLogRequest { Cluster = Lightwave.Cluster, Service = Lightwave.Service, Since = TimeSpan.FromMinutes(30) };

        var all = await Eventually.WaitForAsync(async () =>
        {
            var lines = await reader.ReadAsync(request, default);
            return lines.Count(l => l.Message == Lightwave.SecretKeyLogLine) >= 2 ? lines : null;
        }, "two tasks' failure lines");
        var errors = await reader.ReadAsync(request with { Pattern = "ImproperlyConfigured" }, default);
        var tail = await reader.ReadAsync(request with { Tail = 3 }, default);

        Assert.True(all.Select(l => l.Time).SequenceEqual(all.Select(l => l.Time).OrderBy(t => t)), "oldest first");
        Assert.All(all, l => Assert.Equal((Lightwave.LogGroup, "backend", Lightwave.Service, $"ecs/backend/{l.Task}"), (l.LogGroup, l.Container, l.Service, l.Stream)));
        Assert.True(all.Select(l => l.Task).Distinct().Count() >= 2);
        Assert.All(errors, l => Assert.Equal(Lightwave.SecretKeyLogLine, l.Message));
        Assert.True(errors.Count >= 2);
        Assert.Equal(3, tail.Count);
        Assert.Equal(tail.Select(l => l.Message), all.Skip(all.Count - 3).Select(l => l.Message));
    }

    [Fact]
    public async Task Logs_are_redacted_and_say_so()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.Secrets.Scenario);
        var facts = NewFacts();
        using var session = facts.Session;

        var lines = await Eventually.WaitForAsync(async () =>
        {
            var read = await new DeploymentLogReader(facts).ReadAsync(new DeploymentLogRequest { Cluster = Lightwave.Cluster, Service = Lightwave.Service }, default);
            return read.Any(l => l.Message.StartsWith("FATAL: database connection failed", StringComparison.Ordinal)) ? read : null;
        }, "the seeded lines");

        var text = string.Join("\n", lines.Select(l => l.Message));
        Assert.DoesNotContain(Lightwave.Secrets.DatabasePassword, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Lightwave.Secrets.ApiToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Lightwave.Secrets.SecretAccessKey, text, StringComparison.Ordinal);
        Assert.True(lines.Single(l => l.Message.StartsWith("FATAL", StringComparison.Ordinal)).Redacted);
        Assert.All(lines, l => Assert.Equal(l.Message.Contains(DeployOps.Redaction.SecretRedactor.Mask, StringComparison.Ordinal), l.Redacted));
    }

    [Fact]
    public async Task Logs_name_what_does_not_exist()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        var facts = NewFacts();
        using var session = facts.Session;
        var reader = new DeploymentLogReader(facts);
        var request = new DeploymentLogRequest { Cluster = Lightwave.Cluster, Service = Lightwave.Service };

        var container = await Assert.ThrowsAsync<DeployOpsException>(() => reader.ReadAsync(request with { Container = "sidecar" }, default));
        var task = await Assert.ThrowsAsync<DeployOpsException>(() => reader.ReadAsync(request with { Tasks = new[] { "0123456789abcdef0123456789abcdef" } }, default));
        var service = await Assert.ThrowsAsync<DeployOpsException>(() => reader.ReadAsync(request with { Service = "no-such-service" }, default));
        var nobody = await Assert.ThrowsAsync<DeployOpsException>(() => reader.ReadAsync(request with { Service = null }, default));
        var follow = await Assert.ThrowsAsync<DeployOpsException>(() => reader.FollowAsync(request with { EndTime = DateTimeOffset.UtcNow }, _ => { }, default));

        Assert.Equal((ErrorIds.ContainerNotFound, "Task definition lightwave-backend-dev:1 has no container 'sidecar'; its containers: backend."), (container.Error.ErrorId, container.Error.Message));
        Assert.Equal(ErrorIds.TaskNotFound, task.Error.ErrorId);
        Assert.Equal(ErrorIds.ServiceNotFound, service.Error.ErrorId);
        Assert.Equal(ErrorIds.MissingService, nobody.Error.ErrorId);
        Assert.Equal(ErrorIds.InvalidTimeWindow, follow.Error.ErrorId);
    }

    [Fact]
    public async Task Follow_writes_each_line_written_during_it_once_and_in_order()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.CrashLoop.Scenario);
        var facts = NewFacts();
        using var session = facts.Session;
        var reader = new DeploymentLogReader(facts);
        var poll = TimeSpan.FromSeconds(1);
        var request = new DeploymentLogRequest { Cluster = Lightwave.Cluster, Service = Lightwave.Service, StartTime = DateTimeOffset.UtcNow.AddMinutes(-5), PollInterval = poll };
        var followed = new ConcurrentQueue<DeploymentLogLine>();
        using var stop = new CancellationTokenSource();
        var following = reader.FollowAsync(request, followed.Enqueue, stop.Token);

        // Lines of our own, written as a task of the service would write them, while the follow runs (the crash loop writes its own meanwhile).
        var stream = $"ecs/backend/{Guid.NewGuid():N}";
        await _sandbox.Aws.LogsAsync("CreateLogStream", new JsonObject { ["logGroupName"] = Lightwave.LogGroup, ["logStreamName"] = stream }, Lightwave.Region, default);
        var written = new System.Collections.Generic.List<(string Message, DateTimeOffset At)>();
        for (var i = 0; i < 4; i++)
        {
            var message = $"follow marker {i} {Guid.NewGuid():N}";
            await _sandbox.Aws.LogsAsync("PutLogEvents", new JsonObject
            {
                ["logGroupName"] = Lightwave.LogGroup,
                ["logStreamName"] = stream,
                ["logEvents"] = new JsonArray(new JsonObject { ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), ["message"] = message }),
            }, Lightwave.Region, default);
            written.Add((message, DateTimeOffset.UtcNow));
            await Eventually.WaitUntilAsync(() => Task.FromResult(followed.Any(f => f.Message == message)), $"marker {i} to be followed");
        }

        await Eventually.WaitUntilAsync(() => Task.FromResult(followed.Count(f => f.Message == Lightwave.CrashLoop.CrashLogLine) >= 2), "two crashes followed");
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => following);

        var lines = followed.ToList();
        var keys = lines.Select(l => (l.Stream, l.Time, l.Message)).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        // Each marker arrived while the follow ran (the waits above); how fast is a figure, not a test's business.
        foreach (var (message, _) in written)
        {
            Assert.Equal(stream[("ecs/backend/".Length)..], followed.Single(f => f.Message == message).Task);
        }

        // None lost, none twice, in order: the follow saw what one read of the same window sees, up to a moment every line of
        // which CloudWatch had before the follow's poll that found the last marker.
        var horizon = written[^1].At - TimeSpan.FromSeconds(1);
        var read = await reader.ReadAsync(request with { EndTime = horizon }, default);
        Assert.Equal(read.Select(l => (l.Stream, l.Time, l.Message)), lines.Where(l => l.Time <= horizon).Select(l => (l.Stream, l.Time, l.Message)));
    }

    // ------------------------------------------------------------------ Get-EcsServiceMetric

    [Fact]
    public async Task Service_metric_reports_cpu_and_memory_and_the_out_of_memory_peak()
    {
        await _sandbox.LoadScenarioAsync("out-of-memory");
        var facts = NewFacts();
        using var session = facts.Session;
        var reader = new ServiceMetricReader(facts);
        var request = new ServiceMetricRequest { Cluster = Lightwave.Cluster, Services = new[] { Lightwave.Service }, Since = TimeSpan.FromMinutes(15) };

        var report = await Eventually.WaitForAsync(async () =>
        {
            var r = Assert.Single(await reader.ReadAsync(request, default)).Value!;
            return r.MemoryMaximum == 100 ? r : null;
        }, "MemoryUtilization to reach 100%");

        Assert.InRange(report.CpuAverage!.Value, 5, 40);
        Assert.InRange(report.CpuMaximum!.Value, report.CpuAverage.Value, 40);
        Assert.InRange(report.MemoryAverage!.Value, 20, 99.9);
        Assert.Equal((60, true), (report.PeriodSeconds, report.Complete));
        Assert.NotEmpty(report.Memory);
        Assert.Equal(100, report.Memory.Max(s => s.Maximum));
        var before = session.Calls.Get("CloudWatch", "GetMetricData").Calls;
        await reader.ReadAsync(request, default);
        Assert.Equal(1, session.Calls.Get("CloudWatch", "GetMetricData").Calls - before);

        var missing = await reader.ReadAsync(request with { Services = new[] { "no-such-service", Lightwave.Service } }, default);
        Assert.Equal(ErrorIds.ServiceNotFound, missing[0].Error!.ErrorId);
        var period = await Assert.ThrowsAsync<DeployOpsException>(() => reader.ReadAsync(request with { PeriodSeconds = 90 }, default));
        Assert.Equal(ErrorIds.InvalidMetricPeriod, period.Error.ErrorId);
    }
}
