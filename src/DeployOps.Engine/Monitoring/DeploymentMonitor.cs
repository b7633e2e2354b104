using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Coordination;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Notifications;
using DeployOps.Storage;

namespace DeployOps.Monitoring;

/// <summary>What Watch-Deployment watches and how.</summary>
public sealed record MonitorRequest
{
    /// <summary>The stack (a name, or a stack id).</summary>
    public string StackName { get; init; } = "";

    /// <summary>The deployment's correlation id; null: the registry's active deployment of the stack, else one derived from the stack.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The ECS cluster of <see cref="Service"/>.</summary>
    public string? Cluster { get; init; }

    /// <summary>An ECS service whose rollout the deployment includes; null for the stack alone.</summary>
    public string? Service { get; init; }

    public MonitorSettings Settings { get; init; } = new();

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the monitor keeps sending queued notifications once the deployment is over.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Throws <see cref="DeployOpsException"/> for a value no monitor can use.</summary>
    public void Validate()
    {
        if (!StackName.StartsWith("arn:", StringComparison.Ordinal))
        {
            DeploymentRegistry.ValidateStackName(StackName);
        }

        if (CorrelationId is not null)
        {
            DeploymentRegistry.ValidateCorrelationId(CorrelationId);
        }

        if ((Cluster is null) != (Service is null))
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidMonitorSettings, DeployOpsErrorKind.InvalidArgument,
                "An ECS service to follow needs both -Cluster and -Service; give both, or neither to watch the stack alone.", Service ?? Cluster));
        }

        if (PollInterval <= TimeSpan.Zero || Settings.StuckAfter <= TimeSpan.Zero || Settings.ProgressInterval < TimeSpan.Zero)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidMonitorSettings, DeployOpsErrorKind.InvalidArgument,
                $"The poll interval ({PollInterval.TotalSeconds:0} s) and the stuck threshold ({Settings.StuckAfter.TotalSeconds:0} s) must be positive, the progress interval zero or more.", null));
        }
    }
}

/// <summary>One poll of the monitor: the notifications it produced (as they stand in the outbox) and whether the deployment is over.</summary>
public sealed record MonitorPoll(IReadOnlyList<NotificationQueueItem> Notifications, bool Finished, string? Outcome, string? StackStatus);

/// <summary>
/// Watch-Deployment's engine (runbook 001, "monitor not sending updates"): follows a stack, and optionally its ECS
/// service, to a terminal state, and notifies through the durable outbox (<see cref="MonitorPlanner"/> decides what).
/// It survives a restart: its checkpoint (<c>monitors/&lt;correlation id&gt;.checkpoint.json</c>) holds the last events seen
/// and what it said, saved after each poll's notifications are queued, so a restarted monitor loses none and repeats
/// none (the outbox drops a key it has). Its heartbeat (<c>.heartbeat.json</c>) lets Get-DeploymentMonitor tell a running
/// monitor from a dead one.
/// </summary>
public sealed class DeploymentMonitor
{
    /// <summary>The store's folder of checkpoints and heartbeats.</summary>
    public const string FolderName = "monitors";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly AwsFacts _facts;
    private readonly DeploymentStore _store;
    private readonly MonitorRequest _request;
    private readonly NotificationDispatcher? _dispatcher;
    private readonly SlackDestination? _destination;
    private readonly Func<DateTimeOffset> _now;
    private LockedJsonFile<MonitorCheckpoint>? _checkpointFile;
    private LockedJsonFile<MonitorHeartbeat>? _heartbeatFile;
    private MonitorHeartbeat? _heartbeat;

    /// <param name="dispatcher">Sends the notifications; null: they are only returned (no Slack destination).</param>
    /// <param name="destination">Where they go (one of the dispatcher's destinations).</param>
    public DeploymentMonitor(AwsFacts facts, DeploymentStore store, MonitorRequest request, NotificationDispatcher? dispatcher, SlackDestination? destination,
        Func<DateTimeOffset>? now = null)
    {
        _facts = facts;
        _store = store;
        _request = request;
        _dispatcher = dispatcher;
        _destination = destination;
        _now = now ?? (() => DateTimeOffset.UtcNow);
    }

    /// <summary>What the monitor knows (after <see cref="StartAsync"/>).</summary>
    public MonitorCheckpoint Checkpoint { get; private set; } = new();

    /// <summary>True when <see cref="StartAsync"/> found a checkpoint and resumed from it.</summary>
    public bool Resumed { get; private set; }

    /// <summary>The checkpoint file of <paramref name="correlationId"/> in <paramref name="store"/>.</summary>
    public static string CheckpointPath(DeploymentStore store, string correlationId) => Path.Combine(store.PathOf(FolderName), correlationId + ".checkpoint.json");

    /// <summary>The heartbeat file of <paramref name="correlationId"/> in <paramref name="store"/>.</summary>
    public static string HeartbeatPath(DeploymentStore store, string correlationId) => Path.Combine(store.PathOf(FolderName), correlationId + ".heartbeat.json");

    /// <summary>
    /// Reads the stack, settles the correlation id and resumes from its checkpoint, or starts one at the deployment's
    /// first event. A stack that does not exist is StackNotFound.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _request.Validate();
        var stack = await ReadStackAsync(_request.StackName, cancellationToken).ConfigureAwait(false);
        var correlationId = _request.CorrelationId ?? RegisteredCorrelationId(stack.StackName) ?? $"{stack.StackName}-{stack.LastChanged.UtcDateTime:yyyyMMddHHmmss}";
        _checkpointFile = new LockedJsonFile<MonitorCheckpoint>(CheckpointPath(_store, correlationId), Json);
        _heartbeatFile = new LockedJsonFile<MonitorHeartbeat>(HeartbeatPath(_store, correlationId), Json);
        var saved = File.Exists(_checkpointFile.Path) ? ReadCheckpoint() : null;
        Resumed = saved is not null && saved.StackId == stack.StackId;
        Checkpoint = Resumed ? saved! : await NewCheckpointAsync(correlationId, stack, cancellationToken).ConfigureAwait(false);
        _facts.Observer.Verbose(Resumed
            ? $"Resuming the monitor of {correlationId} from its checkpoint: last event {Checkpoint.LastEvent ?? "none"}, progress slot {Checkpoint.LastProgressSlot}."
            : $"Monitoring {correlationId}: stack {stack.StackName} {stack.Status}, deployment started {Checkpoint.DeploymentStartedAt.UtcDateTime:u}.");
        _heartbeat = new MonitorHeartbeat
        {
            CorrelationId = correlationId,
            StackName = stack.StackName,
            Host = Environment.MachineName,
            ProcessId = Process.GetCurrentProcess().Id,
            StartedAt = _now(),
            PollIntervalSeconds = (int)Math.Ceiling(_request.PollInterval.TotalSeconds),
        };
        await BeatAsync(stack.Status, cancellationToken).ConfigureAwait(false);
        await _checkpointFile.WriteAsync(Checkpoint, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One poll: reads the stack, its new events and the ECS rollout; queues what the planner says; saves the checkpoint
    /// (after queueing, so a crash in between repeats the queueing, which the outbox ignores); beats; sends what is due.
    /// </summary>
    public async Task<MonitorPoll> PollAsync(CancellationToken cancellationToken)
    {
        var checkpoint = Checkpoint;
        var stackFact = await _facts.StackProgress.DescribeStackAsync(checkpoint.StackId, cancellationToken).ConfigureAwait(false);
        if (stackFact.Gap is { } stackGap)
        {
            _facts.Observer.Warning($"{stackGap}; the monitor tries again at the next poll.");
            await BeatAsync(null, cancellationToken).ConfigureAwait(false);
            return new MonitorPoll(Array.Empty<NotificationQueueItem>(), false, null, null);
        }

        var stack = stackFact.ValueOr(null) ?? new StackProgress(checkpoint.StackId, checkpoint.StackName, "DELETE_COMPLETE", null, checkpoint.DeploymentStartedAt, _now());
        var seen = new HashSet<string>(checkpoint.SeenEventIds, StringComparer.Ordinal);
        var eventsFact = await _facts.StackProgress.DescribeEventsAsync(checkpoint.StackId, e => seen.Contains(e.EventId) || e.EventId == checkpoint.StartEventId,
            cancellationToken).ConfigureAwait(false);
        if (eventsFact.Gap is { } eventsGap)
        {
            _facts.Observer.Warning($"{eventsGap}; the monitor tries again at the next poll.");
            await BeatAsync(stack.Status, cancellationToken).ConfigureAwait(false);
            return new MonitorPoll(Array.Empty<NotificationQueueItem>(), false, null, stack.Status);
        }

        var newEvents = eventsFact.ValueOr(Array.Empty<StackProgressEvent>())!
            .Where(e => !seen.Contains(e.EventId) && e.Timestamp >= checkpoint.DeploymentStartedAt).ToList();
        var ecs = await ReadEcsAsync(cancellationToken).ConfigureAwait(false);
        var plan = MonitorPlanner.Plan(checkpoint, stack, newEvents, ecs, _now(), _request.Settings);
        var queued = new List<NotificationQueueItem>();
        foreach (var note in plan.Notifications)
        {
            note.Text = _facts.Redactor.Redact(note.Text);
            queued.Add(_dispatcher is null
                ? Unsent(note)
                : (await _dispatcher.EnqueueAsync(note, _destination!, cancellationToken).ConfigureAwait(false)).Item);
        }

        await _checkpointFile!.WriteAsync(checkpoint, cancellationToken).ConfigureAwait(false);
        await BeatAsync(stack.Status, cancellationToken).ConfigureAwait(false);
        if (_dispatcher is not null)
        {
            await _dispatcher.DrainAsync(TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            queued = queued.Select(item => _dispatcher.Outbox.Find(item.IdempotencyKey) ?? item).ToList();
        }

        return new MonitorPoll(queued, plan.Finished, checkpoint.Outcome, stack.Status);
    }

    /// <summary>
    /// Ends the watch: keeps sending what is queued for up to the drain timeout, marks the registry record completed or
    /// failed, and leaves a heartbeat that says how it ended. Returns the messages sent while draining.
    /// </summary>
    public async Task<IReadOnlyList<NotificationQueueItem>> FinishAsync(string outcome, CancellationToken cancellationToken)
    {
        var drained = _dispatcher is null
            ? Array.Empty<NotificationQueueItem>()
            : await _dispatcher.DrainAsync(_request.DrainTimeout, cancellationToken).ConfigureAwait(false);
        if (outcome is "Completed" or "Failed")
        {
            await CompleteRecordAsync(outcome == "Failed", cancellationToken).ConfigureAwait(false);
        }

        _heartbeat!.FinishedAt = _now();
        _heartbeat.Outcome = outcome;
        await BeatAsync(null, cancellationToken).ConfigureAwait(false);
        return drained;
    }

    private async Task<StackProgress> ReadStackAsync(string stackName, CancellationToken cancellationToken)
    {
        var fact = await _facts.StackProgress.DescribeStackAsync(stackName, cancellationToken).ConfigureAwait(false);
        if (fact.Absent)
        {
            throw new DeployOpsException(ErrorTranslator.NotFound(ErrorIds.StackNotFound,
                $"Stack '{stackName}' does not exist in {_facts.Session.Region.Name}: there is no deployment to watch.", stackName));
        }

        return fact.Gap is { } gap
            ? throw new DeployOpsException(new DeployOpsError(ErrorIds.AwsRequestFailed, DeployOpsErrorKind.Other, $"The stack could not be read: {gap}.", stackName))
            : fact.Value;
    }

    private async Task<MonitorCheckpoint> NewCheckpointAsync(string correlationId, StackProgress stack, CancellationToken cancellationToken)
    {
        var events = await _facts.StackProgress.DescribeEventsAsync(stack.StackId, e => e.StartsDeployment, cancellationToken).ConfigureAwait(false);
        var start = events.ValueOr(null)?.LastOrDefault(e => e.StartsDeployment);
        var startedAt = start?.Timestamp ?? stack.LastChanged;
        var now = _now();
        var interval = _request.Settings.ProgressInterval;
        return new MonitorCheckpoint
        {
            CorrelationId = correlationId,
            StackName = stack.StackName,
            StackId = stack.StackId,
            DeploymentStartedAt = startedAt,
            StartEventId = start?.EventId,
            MonitorStartedAt = now,
            // Progress slots that passed before anyone watched are not owed.
            LastProgressSlot = interval > TimeSpan.Zero ? (long)Math.Floor((now - startedAt).TotalMilliseconds / interval.TotalMilliseconds) : 0,
        };
    }

    private MonitorCheckpoint? ReadCheckpoint()
    {
        try
        {
            return _checkpointFile!.Read();
        }
        catch (CorruptFileException ex)
        {
            _facts.Observer.Warning($"The monitor's checkpoint is unreadable ({ex.Message}); starting a new one (notifications already queued are not sent again).");
            return null;
        }
    }

    private string? RegisteredCorrelationId(string stackName)
    {
        try
        {
            return new DeploymentRegistry(_store).Read()
                .Where(e => e.IsActive && string.Equals(e.StackName, stackName, StringComparison.Ordinal))
                .OrderByDescending(e => e.StartedAt).Select(e => e.CorrelationId).FirstOrDefault();
        }
        catch (RegistryUnavailableException ex)
        {
            _facts.Observer.Verbose($"No correlation id from the registry ({ex.Message}).");
            return null;
        }
    }

    private async Task CompleteRecordAsync(bool failed, CancellationToken cancellationToken)
    {
        var registry = new DeploymentRegistry(_store);
        try
        {
            if (registry.Read().Any(e => e.IsActive && e.CorrelationId == Checkpoint.CorrelationId))
            {
                await registry.CompleteAsync(Checkpoint.CorrelationId, failed, _now(), cancellationToken).ConfigureAwait(false);
                _facts.Observer.Verbose($"Registry record {Checkpoint.CorrelationId} marked {(failed ? "failed" : "completed")}.");
            }
        }
        catch (RegistryUnavailableException ex)
        {
            _facts.Observer.Warning($"The registry record of {Checkpoint.CorrelationId} could not be completed: {ex.Message}");
        }
    }

    private async Task<EcsRolloutObservation?> ReadEcsAsync(CancellationToken cancellationToken)
    {
        if (_request.Cluster is not { } cluster || _request.Service is not { } service)
        {
            return null;
        }

        try
        {
            var lookup = (await _facts.Services.DescribeAsync(cluster, new[] { service }, cancellationToken).ConfigureAwait(false)).Single();
            var primary = lookup.Service.ValueOr(null)?.Primary;
            var value = lookup.Service.ValueOr(null);
            return new EcsRolloutObservation(service, primary?.RolloutState, value?.RunningCount ?? 0, value?.DesiredCount ?? 0,
                primary?.RolloutStateReason ?? lookup.Service.Gap?.ToString() ?? (lookup.Service.Absent ? "the service does not exist" : null));
        }
        catch (DeployOpsException ex)
        {
            return new EcsRolloutObservation(service, null, 0, 0, ex.Error.Message);
        }
    }

    private async Task BeatAsync(string? stackStatus, CancellationToken cancellationToken)
    {
        var heartbeat = _heartbeat!;
        heartbeat.LastHeartbeat = _now();
        heartbeat.LastEventAt = Checkpoint.LastEventAt;
        heartbeat.LastEvent = Checkpoint.LastEvent;
        heartbeat.StackStatus = stackStatus ?? heartbeat.StackStatus;
        await _heartbeatFile!.WriteAsync(heartbeat, cancellationToken).ConfigureAwait(false);
    }

    private NotificationQueueItem Unsent(OutboxEntry note) => new()
    {
        IdempotencyKey = note.Key,
        Kind = note.Kind.ToString(),
        State = "NotSent",
        Destination = "(none)",
        CorrelationId = note.CorrelationId,
        StackName = note.StackName,
        Text = note.Text,
        EnqueuedAt = _now(),
        RegistryPath = _store.Folder,
    };
}
