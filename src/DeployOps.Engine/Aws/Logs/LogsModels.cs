using System;
using System.Collections.Generic;
using System.Text.Json;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.Logs;

/// <summary>A log event (<c>FilteredLogEvent</c> or <c>OutputLogEvent</c>; the stream and id only come with filtering).</summary>
public sealed record LogEvent(
    string? LogStreamName,
    DateTimeOffset? Timestamp,
    string Message,
    DateTimeOffset? IngestionTime,
    string? EventId)
{
    internal static LogEvent Read(JsonElement e) => new(
        e.String("logStreamName"),
        e.EpochMilliseconds("timestamp"),
        e.String("message") ?? string.Empty,
        e.EpochMilliseconds("ingestionTime"),
        e.String("eventId"));
}

/// <summary>What FilterLogEvents searches; unset members do not filter.</summary>
public sealed record LogsFilterRequest(string LogGroupName)
{
    /// <summary>The default cap on events.</summary>
    public const int DefaultMaxEvents = 1000;

    /// <summary><c>logStreamNames</c> (at most 100).</summary>
    public IReadOnlyList<string>? LogStreamNames { get; init; }

    /// <summary><c>logStreamNamePrefix</c>: every stream whose name starts with it (not with <see cref="LogStreamNames"/>).</summary>
    public string? LogStreamNamePrefix { get; init; }

    /// <summary><c>filterPattern</c>, e.g. <c>ERROR</c> or <c>{ $.level = "error" }</c>.</summary>
    public string? FilterPattern { get; init; }

    /// <summary><c>startTime</c>.</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary><c>endTime</c>.</summary>
    public DateTimeOffset? EndTime { get; init; }

    /// <summary>Stop after this many events, across pages.</summary>
    public int MaxEvents { get; init; } = DefaultMaxEvents;
}

/// <summary>Events found and whether more matched than <see cref="LogsFilterRequest.MaxEvents"/> allowed.</summary>
public sealed record LogsFilterResult(IReadOnlyList<LogEvent> Events, bool Truncated);
