using System;

namespace DeployOps.Sandbox.World;

/// <summary>
/// Timestamps on the world's timeline, for services whose durations are the story (CloudFormation stacks, RDS instances):
/// an event that happened <c>d</c> world seconds ago is reported as <c>d</c> seconds before the wall clock's now. So a client
/// that subtracts two timestamps, or a timestamp from its own clock, measures world time: an RDS instance that takes 15
/// world minutes shows 15 minutes between its events, at any speed. The price: at a speed above 1 the same event's
/// timestamp moves back between two calls (the world runs ahead of the wall clock), so clients identify events by their
/// ids, never by their timestamps. ECS and ELB keep wall-clock timestamps (<see cref="WorldClock"/>).
/// </summary>
public static class WorldTimeline
{
    /// <summary>The timestamp to report, now, for something that happened at world time <paramref name="worldSeconds"/>.</summary>
    public static DateTimeOffset Timestamp(this WorldClock clock, double worldSeconds) =>
        DateTimeOffset.UtcNow - TimeSpan.FromSeconds(Math.Max(0, clock.Now - worldSeconds));

    /// <summary>The world time a timestamp a client sent (a filter's start or end) stands for.</summary>
    public static double WorldSeconds(this WorldClock clock, DateTimeOffset timestamp) =>
        clock.Now - (DateTimeOffset.UtcNow - timestamp).TotalSeconds;

    /// <summary>ISO 8601 in UTC with milliseconds, as query-protocol services write timestamps.</summary>
    public static string Iso(DateTimeOffset timestamp) => timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
