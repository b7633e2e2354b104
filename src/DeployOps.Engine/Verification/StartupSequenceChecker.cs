using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Ecs;
using DeployOps.Aws.Logs;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;
using DeployOps.TaskFailures;

namespace DeployOps.Verification;

/// <summary>What Test-StartupSequence asks: the phases, and the service's running tasks (or given tasks).</summary>
public sealed record StartupSequenceRequest
{
    /// <summary>Two minutes: an application that has not logged every phase by then has not started.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public string Cluster { get; init; } = "";

    /// <summary>The service whose running tasks to check.</summary>
    public string? Service { get; init; }

    /// <summary>Task ARNs or ids to check instead (running or stopped).</summary>
    public IReadOnlyList<string> Tasks { get; init; } = Array.Empty<string>();

    /// <summary>The phases, in order: text a line contains, or a /regular expression/.</summary>
    public IReadOnlyList<string> Phases { get; init; } = Array.Empty<string>();

    /// <summary>The container whose log to read; by default the first essential container that logs to CloudWatch Logs.</summary>
    public string? Container { get; init; }

    /// <summary>How long an application may take to log every phase before a missing one is a failure.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    public string? Environment { get; init; }
}

/// <summary>One task's startup: the phases it reached, the one it missed, the time each took.</summary>
public sealed class StartupSequenceResult
{
    public string Cluster { get; init; } = "";

    public string? Service { get; init; }

    /// <summary>The task's id, and its ARN.</summary>
    public string Task { get; init; } = "";

    public string TaskArn { get; init; } = "";

    /// <summary>Its task definition (family:revision) and the container whose log was read.</summary>
    public string? TaskDefinition { get; init; }

    public string? Container { get; init; }

    /// <summary>The task's lastStatus, and when its containers started.</summary>
    public string? LastStatus { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>A <see cref="StartupStatus"/> name: Complete, Starting, Incomplete or NoLogs.</summary>
    public string Status => StatusKind.ToString();

    internal StartupStatus StatusKind { get; init; }

    /// <summary>True only when every phase was logged in order.</summary>
    public bool Passed => StatusKind == StartupStatus.Complete;

    /// <summary>Each phase, when it was reached and how long it took.</summary>
    public PrintableList<StartupPhaseResult> Phases { get; init; } = PrintableList<StartupPhaseResult>.Empty;

    public int PhasesReached => Phases.Count(p => p.Reached);

    /// <summary>The first phase never reached, or null.</summary>
    public string? MissingPhase => StartupSequence.FirstMissing(Phases)?.Phase;

    /// <summary>Seconds from the first line to the last phase reached.</summary>
    public double? TotalSeconds { get; init; }

    /// <summary>One sentence on where it stands.</summary>
    public string Detail { get; init; } = "";

    /// <summary>What to do when it did not pass; null when it did.</summary>
    public string? Fix { get; init; }

    public string? LogGroup { get; init; }

    public string? LogStream { get; init; }

    public string? Environment { get; init; }

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    public override string ToString() => $"{Task} {Status}: {Detail}";
}

/// <summary>
/// Test-StartupSequence: per task, the startup phases its log shows (<see cref="StartupSequence"/>). The tasks' streams are
/// found from the task definition; one FilterLogEvents per log group reads every task's lines since it was created. A
/// task that started but never logged every phase is a failure even while a shallow health check passes (runbook 003's
/// partial-startup outage); Get-DeploymentHealth uses the same check for category B.
/// </summary>
public sealed class StartupSequenceChecker
{
    private const int StreamsPerCall = 100;

    private readonly AwsFacts _facts;

    public StartupSequenceChecker(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>Throws InvalidStartupPhase for a phase that cannot be one, NoStartupPhases for none.</summary>
    public static void Validate(IReadOnlyList<string> phases)
    {
        if (phases.Count == 0)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.NoStartupPhases, DeployOpsErrorKind.InvalidArgument,
                "No startup phases to look for: give -Phase 'Starting', 'Listening on port' (in order), or -Environment with a service that has startupPhases in the settings file."));
        }

        if (phases.Select(p => (Phase: p, Problem: StartupSequence.Problem(p))).FirstOrDefault(p => p.Problem is not null) is { Problem: { } problem } bad)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidStartupPhase, DeployOpsErrorKind.InvalidArgument, $"-Phase: {problem}.", bad.Phase));
        }
    }

    /// <summary>One result per task: the service's running tasks, or the given ones. Throws for bad parameters and for what does not exist.</summary>
    public async Task<IReadOnlyList<StartupSequenceResult>> CheckAsync(StartupSequenceRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Cluster))
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.MissingCluster, DeployOpsErrorKind.InvalidArgument,
                $"No cluster to look at (the cluster name is '{request.Cluster}'): give -Cluster, or -Environment with a settings file that names one.", request.Cluster));
        }

        if (string.IsNullOrWhiteSpace(request.Service) && request.Tasks.Count == 0)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.MissingService, DeployOpsErrorKind.InvalidArgument,
                "Whose startup? Give -Service (its running tasks) or -Task.", request.Service));
        }

        Validate(request.Phases);
        var cluster = AwsArn.LastSegment(request.Cluster);
        IReadOnlyList<EcsTask> tasks;
        if (request.Tasks.Count > 0)
        {
            tasks = Require(await _facts.Tasks.DescribeAsync(request.Cluster, request.Tasks, "the tasks", cancellationToken).ConfigureAwait(false), cluster);
            if (request.Tasks.FirstOrDefault(requested => !tasks.Any(t => t.Arn == requested || AwsArn.LastSegment(t.Arn) == AwsArn.LastSegment(requested))) is { } missing)
            {
                throw new DeployOpsException(ErrorTranslator.NotFound(ErrorIds.TaskNotFound,
                    $"Task '{missing}' is not in cluster '{cluster}': ECS lists stopped tasks for about an hour.", missing));
            }
        }
        else
        {
            var service = await _facts.Services.RequireAsync(request.Cluster, request.Service!, cancellationToken).ConfigureAwait(false);
            tasks = Require(await _facts.Tasks.ListedAsync(request.Cluster, service.Name, cancellationToken).ConfigureAwait(false), cluster)
                .Where(t => t.DesiredStatus == "RUNNING" && t.LastStatus == "RUNNING").ToList();
            if (tasks.Count == 0)
            {
                _facts.Observer.Warning($"Service '{service.Name}' has no running task: there is no startup to check.");
            }
        }

        return await CheckTasksAsync(cluster, tasks, request.Phases, request.Container, request.Timeout, request.Environment, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The startup of each of <paramref name="tasks"/> (its container that logs to CloudWatch Logs, the named one when
    /// given): one FilterLogEvents per log group, 100 streams a call. What could not be read is thrown.
    /// </summary>
    public async Task<IReadOnlyList<StartupSequenceResult>> CheckTasksAsync(
        string cluster, IReadOnlyList<EcsTask> tasks, IReadOnlyList<string> phases, string? containerName, TimeSpan timeout, string? environment, CancellationToken cancellationToken)
    {
        var targets = new List<(EcsTask Task, string Container, EcsAwsLogs Logs, string Stream, string TaskDefinition)>();
        foreach (var task in tasks)
        {
            var definition = await _facts.TaskDefinitions.RequireAsync(task.TaskDefinitionArn ?? "", cancellationToken).ConfigureAwait(false);
            var container = definition.ContainerDefinitions.FirstOrDefault(c => containerName is null ? c.Essential && c.AwsLogs?.StreamPrefix is not null : c.Name == containerName);
            if (container?.AwsLogs is not { } logs || logs.StreamOf(container.Name, task.Arn) is not { } stream)
            {
                throw new DeployOpsException(new DeployOpsError(containerName is not null && container is null ? ErrorIds.ContainerNotFound : ErrorIds.NoAwsLogs,
                    containerName is not null && container is null ? DeployOpsErrorKind.NotFound : DeployOpsErrorKind.InvalidArgument,
                    containerName is not null && container is null
                        ? $"Task definition {definition.Family}:{definition.Revision} has no container '{containerName}'; its containers: {string.Join(", ", definition.ContainerDefinitions.Select(c => c.Name))}."
                        : $"No container of task definition {definition.Family}:{definition.Revision}{(containerName is null ? "" : $" named '{containerName}'")} logs to CloudWatch Logs with the awslogs driver and a stream prefix, so its startup cannot be read.",
                    containerName ?? $"{definition.Family}:{definition.Revision}"));
            }

            targets.Add((task, container.Name, logs, stream, $"{definition.Family}:{definition.Revision}"));
        }

        var lines = await ReadStreamsAsync(targets.Select(t => (t.Logs.Group, t.Stream, Earliest(t.Task.CreatedAt, t.Task.StartedAt))).ToList(), cancellationToken).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        return targets.Select(t =>
        {
            var own = lines.TryGetValue((t.Logs.Group, t.Stream), out var read) ? read : new List<(DateTimeOffset, string)>();
            var phasesReached = StartupSequence.Evaluate(own, phases);
            var started = t.Task.StartedAt ?? t.Task.CreatedAt;
            var status = StartupSequence.Assess(phasesReached, own.Count > 0, started, now, timeout);
            var missing = StartupSequence.FirstMissing(phasesReached)?.Phase;
            var lastReached = phasesReached.LastOrDefault(p => p.Reached);
            return new StartupSequenceResult
            {
                Cluster = cluster,
                Service = t.Task.ServiceName,
                Task = AwsArn.LastSegment(t.Task.Arn),
                TaskArn = t.Task.Arn,
                TaskDefinition = t.TaskDefinition,
                Container = t.Container,
                LastStatus = t.Task.LastStatus,
                StartedAt = started,
                StatusKind = status,
                Phases = phasesReached,
                TotalSeconds = own.Count > 0 && lastReached?.ReachedAt is { } at ? Math.Round((at - own.Min(l => l.Item1)).TotalSeconds, 1) : null,
                Detail = Describe(status, phasesReached, lastReached, missing, started, now, timeout, t.Stream),
                Fix = status is StartupStatus.Incomplete or StartupStatus.NoLogs
                    ? TaskFailureFixes.For(TaskFailureCause.StartupIncomplete, new FixContext(cluster, t.Task.ServiceName ?? "<service>") { MissingPhase = missing, TaskId = AwsArn.LastSegment(t.Task.Arn) })
                    : null,
                LogGroup = t.Logs.Group,
                LogStream = t.Stream,
                Environment = environment,
                Region = _facts.Session.Region.Name,
                EndpointUrl = _facts.Session.EndpointUrl,
                ProfileName = _facts.Session.ProfileName,
            };
        }).ToList();
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? createdAt, DateTimeOffset? startedAt) =>
        createdAt is { } created && startedAt is { } started ? (created < started ? created : started) : createdAt ?? startedAt;

    private static string Describe(StartupStatus status, IReadOnlyList<StartupPhaseResult> phases, StartupPhaseResult? lastReached, string? missing,
        DateTimeOffset? started, DateTimeOffset now, TimeSpan timeout, string stream)
    {
        string Ago(DateTimeOffset at) => FormattableString.Invariant($"{Math.Max(0, (now - at).TotalSeconds):0} s ago");
        var limit = FormattableString.Invariant($"{timeout.TotalSeconds:0} s");
        return status switch
        {
            StartupStatus.Complete => FormattableString.Invariant($"Reached all {phases.Count} phase(s) in {phases.Sum(p => p.Seconds ?? 0):0.#} s"),
            StartupStatus.Starting => $"Started {(started is { } s ? Ago(s) : "just now")}: waiting for '{missing}' (a failure after {limit})",
            StartupStatus.Incomplete when lastReached is not null => $"Reached '{lastReached.Phase}' {Ago(lastReached.ReachedAt!.Value)} and never logged '{missing}'",
            StartupStatus.Incomplete => $"Logged since it started, but never '{missing}'",
            _ => $"No line in {stream} since the task started{(started is { } at ? " " + Ago(at) : "")}",
        };
    }

    /// <summary>Every line of each stream since its task was created (a minute before, for clock skew), redacted, by stream.</summary>
    private async Task<Dictionary<(string Group, string Stream), List<(DateTimeOffset, string)>>> ReadStreamsAsync(
        IReadOnlyList<(string Group, string Stream, DateTimeOffset? Since)> streams, CancellationToken cancellationToken)
    {
        var calls = streams.GroupBy(s => s.Group).SelectMany(group => group.Select((s, i) => (s, i)).GroupBy(x => x.i / StreamsPerCall)
            .Select(batch => new LogsFilterRequest(group.Key)
            {
                LogStreamNames = batch.Select(x => x.s.Stream).Distinct(StringComparer.Ordinal).ToList(),
                StartTime = batch.Min(x => x.s.Since)?.AddMinutes(-1),
                MaxEvents = 10000,
            }));
        var results = await Task.WhenAll(calls.Select(async filter => (filter.LogGroupName, Result: await _facts.Session.Logs.FilterLogEventsAsync(filter, cancellationToken).ConfigureAwait(false))))
            .ConfigureAwait(false);
        return results.SelectMany(r => r.Result.Events.Select(e => (r.LogGroupName, Event: e)))
            .GroupBy(x => (x.LogGroupName, x.Event.LogStreamName ?? ""))
            .ToDictionary(g => g.Key, g => g.Select(x => (x.Event.Timestamp ?? DateTimeOffset.MinValue, _facts.Redactor.Redact(x.Event.Message.TrimEnd()))).ToList());
    }

    private static IReadOnlyList<EcsTask> Require(Fact<IReadOnlyList<EcsTask>> tasks, string cluster) =>
        tasks.IsRead ? tasks.Value : throw new DeployOpsException(tasks.Absent
            ? ErrorTranslator.NotFound(ErrorIds.ClusterNotFound, $"Cluster '{cluster}' does not exist.", cluster)
            : new DeployOpsError(ErrorIds.AwsRequestFailed, DeployOpsErrorKind.Other, tasks.Gap!.ToString(), cluster));
}
