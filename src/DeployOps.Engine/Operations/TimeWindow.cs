using System;
using System.Globalization;
using DeployOps.Errors;

namespace DeployOps.Operations;

/// <summary>
/// The window a read looks at: -Since (a span back from now) or -StartTime/-EndTime, as the aws CLI's <c>--since</c>,
/// <c>--start-time</c> and <c>--end-time</c> take them. Used by Get-EcsTaskFailure, Get-DeploymentLog, Test-StartupSequence
/// and Get-EcsServiceMetric.
/// </summary>
public readonly record struct TimeWindow(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>
    /// The window from the parameters: <paramref name="since"/> back from the end, or <paramref name="start"/>, else
    /// <paramref name="defaultSpan"/> back; the end is <paramref name="end"/> or <paramref name="now"/>. Throws
    /// <see cref="DeployOpsException"/> InvalidTimeWindow for both a span and a start, a span that is not positive, or a
    /// start that is not before the end.
    /// </summary>
    public static TimeWindow Resolve(TimeSpan? since, DateTimeOffset? start, DateTimeOffset? end, DateTimeOffset now, TimeSpan defaultSpan)
    {
        if (since is not null && start is not null)
        {
            throw Invalid("Give -Since or -StartTime, not both: -Since counts back from -EndTime (or now).", since);
        }

        if (since is { } span && span <= TimeSpan.Zero)
        {
            throw Invalid($"-Since must be a positive span such as 00:30:00 or (New-TimeSpan -Minutes 30); it is '{span}'.", span);
        }

        var last = end ?? now;
        var first = start ?? last - (since ?? defaultSpan);
        return first < last
            ? new TimeWindow(first, last)
            : throw Invalid($"-StartTime ({Format(first)}) must be before -EndTime ({Format(last)}).", first);
    }

    /// <summary>How long the window is.</summary>
    public TimeSpan Length => End - Start;

    /// <summary>True when <paramref name="at"/> is in the window (both ends included).</summary>
    public bool Contains(DateTimeOffset at) => at >= Start && at <= End;

    /// <summary>"2026-05-01 10:00:00Z to 2026-05-01 11:00:00Z (60 min)".</summary>
    public override string ToString() => $"{Format(Start)} to {Format(End)} ({Length.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min)";

    private static string Format(DateTimeOffset at) => at.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture);

    private static DeployOpsException Invalid(string message, object? target) =>
        new(new DeployOpsError(ErrorIds.InvalidTimeWindow, DeployOpsErrorKind.InvalidArgument, message, target));
}
