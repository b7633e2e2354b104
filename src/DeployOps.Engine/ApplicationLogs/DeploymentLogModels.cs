using System;
using System.Collections.Generic;
using DeployOps.Operations;

namespace DeployOps.ApplicationLogs;

/// <summary>What Get-DeploymentLog asks: a service's (or some tasks') log lines in a window, filtered, the last N, or followed.</summary>
public sealed record DeploymentLogRequest
{
    /// <summary>Ten minutes, as <c>aws logs tail</c> looks back by default.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(10);

    /// <summary>Most lines one read returns (FilterLogEvents' page limit): ask a smaller window or -Tail for fewer.</summary>
    public const int MaxLines = 10000;

    /// <summary>The cluster name or ARN.</summary>
    public string Cluster { get; init; } = "";

    /// <summary>A Lightsail container service whose containers' lines to read (GetContainerLog), instead of an ECS service.</summary>
    public string? LightsailService { get; init; }

    /// <summary>The service whose tasks' logs to read (with no <see cref="Tasks"/>, every task it ran in the window).</summary>
    public string? Service { get; init; }

    /// <summary>Task ARNs or ids: only these tasks' streams.</summary>
    public IReadOnlyList<string> Tasks { get; init; } = Array.Empty<string>();

    /// <summary>Only this container's lines; by default every container that logs to CloudWatch Logs.</summary>
    public string? Container { get; init; }

    public TimeSpan? Since { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public DateTimeOffset? EndTime { get; init; }

    /// <summary>A CloudWatch Logs filter pattern, e.g. <c>ERROR</c>, <c>"Listening on port"</c>, <c>{ $.level = "error" }</c>.</summary>
    public string? Pattern { get; init; }

    /// <summary>Only the last N lines of the window (before following).</summary>
    public int? Tail { get; init; }

    /// <summary>How often a follow looks for new lines.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How far back each poll of a follow looks again, for lines CloudWatch ingests late; a line is still written once.</summary>
    public TimeSpan FollowLookBack { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The window at <paramref name="now"/>; throws InvalidTimeWindow for contradictory parameters.</summary>
    public TimeWindow Window(DateTimeOffset now) => TimeWindow.Resolve(Since, StartTime, EndTime, now, DefaultWindow);
}

/// <summary>One log line of a task's container, secrets taken out.</summary>
public sealed class DeploymentLogLine
{
    /// <summary>When the application wrote it (the event's timestamp).</summary>
    public DateTimeOffset Time { get; init; }

    public string Cluster { get; init; } = "";

    /// <summary>The service whose task wrote it, when known.</summary>
    public string? Service { get; init; }

    /// <summary>The task's id (the last part of the stream name).</summary>
    public string? Task { get; init; }

    public string Container { get; init; } = "";

    public string LogGroup { get; init; } = "";

    /// <summary>The log stream, e.g. ecs/backend/0123...</summary>
    public string Stream { get; init; } = "";

    /// <summary>The line, secrets taken out.</summary>
    public string Message { get; init; } = "";

    /// <summary>True when secrets were taken out of <see cref="Message"/>.</summary>
    public bool Redacted { get; init; }

    /// <summary>CloudWatch's id of the event (unique in its stream): how a follow writes each line once.</summary>
    internal string EventId { get; init; } = "";

    public override string ToString() => $"{Time.ToUniversalTime():u} {Task} {Message}";
}
