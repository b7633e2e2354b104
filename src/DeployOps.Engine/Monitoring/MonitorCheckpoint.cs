using System;
using System.Collections.Generic;

namespace DeployOps.Monitoring;

/// <summary>One resource of the watched deployment, as its events told.</summary>
public sealed class ResourceProgress
{
    public string Type { get; set; } = "";

    public string Status { get; set; } = "";

    /// <summary>Its first IN_PROGRESS event.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>Its COMPLETE or FAILED event.</summary>
    public DateTimeOffset? DoneAt { get; set; }
}

/// <summary>The root cause of a failed deployment: the first failure event, not the cascade of cancellations after it.</summary>
public sealed class FailureRecord
{
    public string LogicalResourceId { get; set; } = "";

    public string ResourceType { get; set; } = "";

    public string Status { get; set; } = "";

    public string? Reason { get; set; }

    public DateTimeOffset At { get; set; }

    public override string ToString() => $"{LogicalResourceId} ({ResourceType}) {Status}{(Reason is null ? "" : ": " + Reason)}";
}

/// <summary>
/// What a monitor has seen and said about one deployment (<c>monitors/&lt;correlation id&gt;.checkpoint.json</c>): the
/// events it has processed, the resources' states they built, and which notifications it owes no more. A restarted
/// monitor resumes from it: it reads only newer events, owes the progress slots it missed, and re-sends nothing, since
/// every notification's idempotency key derives from what it is about.
/// </summary>
public sealed class MonitorCheckpoint
{
    /// <summary>How many processed event ids are remembered (events are read newest first until one of them).</summary>
    public const int SeenEventLimit = 1000;

    public string CorrelationId { get; set; } = "";

    public string StackName { get; set; } = "";

    public string StackId { get; set; } = "";

    /// <summary>When the deployment started: its stack's CREATE_/UPDATE_/DELETE_IN_PROGRESS event.</summary>
    public DateTimeOffset DeploymentStartedAt { get; set; }

    /// <summary>That event's id (events are never read past it).</summary>
    public string? StartEventId { get; set; }

    /// <summary>When a monitor first watched the deployment: progress slots before it are not owed.</summary>
    public DateTimeOffset MonitorStartedAt { get; set; }

    /// <summary>The processed events' ids, newest last.</summary>
    public List<string> SeenEventIds { get; set; } = new();

    public string? LastEventId { get; set; }

    public DateTimeOffset? LastEventAt { get; set; }

    /// <summary>The last event, as people read it: "Database AWS::RDS::DBInstance CREATE_IN_PROGRESS".</summary>
    public string? LastEvent { get; set; }

    /// <summary>The stack's status as its own events tell it (used for progress as of a past moment).</summary>
    public string? StackStatus { get; set; }

    public Dictionary<string, ResourceProgress> Resources { get; set; } = new(StringComparer.Ordinal);

    public bool StartedNotified { get; set; }

    /// <summary>The last progress slot (every N minutes since the start) notified.</summary>
    public long LastProgressSlot { get; set; }

    /// <summary>Resource groups notified, with the count of resources done at the time.</summary>
    public Dictionary<string, int> GroupsNotified { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The event (or "start") after which a stuck notification was sent; one per quiet period.</summary>
    public string? StuckNotifiedFor { get; set; }

    public FailureRecord? FirstFailure { get; set; }

    /// <summary>Completed or Failed once the deployment ended and its notification was queued.</summary>
    public string? Outcome { get; set; }

    /// <summary>The ECS service's rollout as last read: "IN_PROGRESS 1/2 running".</summary>
    public string? EcsRollout { get; set; }
}

/// <summary>
/// A monitor's sign of life (<c>monitors/&lt;correlation id&gt;.heartbeat.json</c>), written at every poll: Get-DeploymentMonitor
/// tells a running monitor from a dead one by it.
/// </summary>
public sealed class MonitorHeartbeat
{
    public string CorrelationId { get; set; } = "";

    public string StackName { get; set; } = "";

    public string Host { get; set; } = "";

    public int ProcessId { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset LastHeartbeat { get; set; }

    public int PollIntervalSeconds { get; set; }

    public DateTimeOffset? LastEventAt { get; set; }

    public string? LastEvent { get; set; }

    public string? StackStatus { get; set; }

    /// <summary>Set when the monitor ended: how (Completed, Failed, TimedOut, Stopped).</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    public string? Outcome { get; set; }
}
