using System;
using System.Collections.Generic;
using DeployOps.Operations;

namespace DeployOps.TaskFailures;

/// <summary>What Get-EcsTaskFailure asks the engine: a cluster's services (or some of them), or given tasks, over a window.</summary>
public sealed record TaskFailureRequest
{
    /// <summary>An hour: ECS lists stopped tasks for at least that long.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(1);

    /// <summary>How many of a task's last log lines a cause carries.</summary>
    public const int DefaultLogLines = 20;

    /// <summary>The cluster name or ARN.</summary>
    public string Cluster { get; init; } = "";

    /// <summary>Service names or ARNs; with no <see cref="Tasks"/> either, every service of the cluster.</summary>
    public IReadOnlyList<string> Services { get; init; } = Array.Empty<string>();

    /// <summary>Task ARNs or ids: only these tasks, whatever their window.</summary>
    public IReadOnlyList<string> Tasks { get; init; } = Array.Empty<string>();

    /// <summary>-Since: the window reaches this far back from <see cref="EndTime"/> (or now).</summary>
    public TimeSpan? Since { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public DateTimeOffset? EndTime { get; init; }

    /// <summary>How many of the example task's last log lines each cause carries.</summary>
    public int LogLines { get; init; } = DefaultLogLines;

    /// <summary>The environment the request came from, stamped on the reports.</summary>
    public string? Environment { get; init; }

    /// <summary>The window at <paramref name="now"/>; throws InvalidTimeWindow for contradictory parameters.</summary>
    public TimeWindow Window(DateTimeOffset now) => TimeWindow.Resolve(Since, StartTime, EndTime, now, DefaultWindow);
}
