using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Operations;

namespace DeployOps.Verification;

/// <summary>One phase of an application's startup and when its log line came (null when it never did).</summary>
public sealed class StartupPhaseResult
{
    /// <summary>The phase as configured: text (or a regular expression) its log line contains, e.g. "Listening on port".</summary>
    public string Phase { get; init; } = "";

    /// <summary>When the first line of this phase was logged, after the previous phase's; null when it was not.</summary>
    public DateTimeOffset? ReachedAt { get; init; }

    /// <summary>Seconds from the previous phase (from the first log line for the first phase); null when not reached.</summary>
    public double? Seconds { get; init; }

    /// <summary>The log line that marked it (secrets already taken out by the caller).</summary>
    public string? Line { get; init; }

    public bool Reached => ReachedAt is not null;

    public override string ToString() => Reached ? $"{Phase} ({Seconds:0.#} s)" : $"{Phase} (never)";
}

/// <summary>Where an application's startup stands (<see cref="StartupSequence.Assess"/>).</summary>
public enum StartupStatus
{
    /// <summary>Every phase was logged, in order.</summary>
    Complete,

    /// <summary>Not every phase yet, but the application is still young: it may get there.</summary>
    Starting,

    /// <summary>It logged some phases and then stopped short: started but never listening. A failure.</summary>
    Incomplete,

    /// <summary>It wrote no line at all since it started. A failure (or it logs elsewhere).</summary>
    NoLogs,
}

/// <summary>
/// Runbook 003's partial-startup check: an application must log its startup phases in order (e.g. "Starting Nest
/// application", then "Listening on port"). "Started but never listening" is a failure even while a shallow health check
/// passes. Pure: the caller reads the lines (CloudWatch Logs for ECS, GetContainerLog for Lightsail).
/// </summary>
public static class StartupSequence
{
    /// <summary>
    /// Each phase with when it was reached: the first line containing the phase's text (case-sensitive, or matching it as a
    /// regular expression when it is written /like this/) at or after the previous phase's line.
    /// </summary>
    public static PrintableList<StartupPhaseResult> Evaluate(IReadOnlyList<(DateTimeOffset Time, string Message)> lines, IReadOnlyList<string> phases)
    {
        var ordered = lines.OrderBy(l => l.Time).ToList();
        var results = new List<StartupPhaseResult>();
        var from = 0;
        DateTimeOffset? previous = ordered.Count > 0 ? ordered[0].Time : null;
        var stillReaching = true;
        foreach (var phase in phases)
        {
            var matches = Matcher(phase);
            var index = stillReaching ? ordered.FindIndex(from, l => matches(l.Message)) : -1;
            if (index < 0)
            {
                stillReaching = false;
                results.Add(new StartupPhaseResult { Phase = phase });
                continue;
            }

            var line = ordered[index];
            results.Add(new StartupPhaseResult
            {
                Phase = phase,
                ReachedAt = line.Time,
                Seconds = previous is { } start ? Math.Round((line.Time - start).TotalSeconds, 1) : null,
                Line = line.Message,
            });
            previous = line.Time;
            from = index;
        }

        return results.ToPrintableList();
    }

    /// <summary>The first phase not reached, or null when the startup completed.</summary>
    public static StartupPhaseResult? FirstMissing(IEnumerable<StartupPhaseResult> results) => results.FirstOrDefault(r => !r.Reached);

    /// <summary>
    /// Where a startup stands: Complete when every phase was reached; Starting while the application is younger than
    /// <paramref name="timeout"/>; after that NoLogs when it wrote nothing, else Incomplete ("started but never listening").
    /// </summary>
    public static StartupStatus Assess(IReadOnlyList<StartupPhaseResult> results, bool wroteAnything, DateTimeOffset? startedAt, DateTimeOffset now, TimeSpan timeout) =>
        FirstMissing(results) is null ? StartupStatus.Complete
        : startedAt is { } started && now - started < timeout ? StartupStatus.Starting
        : wroteAnything ? StartupStatus.Incomplete
        : StartupStatus.NoLogs;

    /// <summary>Why <paramref name="phase"/> cannot be a phase (empty, or a /regular expression/ that does not parse), or null when it can.</summary>
    public static string? Problem(string phase)
    {
        if (string.IsNullOrWhiteSpace(phase))
        {
            return "a phase is text its log line contains, or a /regular expression/; it cannot be empty";
        }

        if (phase.Length > 2 && phase[0] == '/' && phase[phase.Length - 1] == '/')
        {
            try
            {
                _ = new System.Text.RegularExpressions.Regex(phase.Substring(1, phase.Length - 2));
            }
            catch (ArgumentException ex)
            {
                return $"'{phase}' is not a regular expression: {ex.Message}";
            }
        }

        return null;
    }

    private static Func<string, bool> Matcher(string phase)
    {
        if (phase.Length > 2 && phase[0] == '/' && phase[phase.Length - 1] == '/')
        {
            var pattern = new System.Text.RegularExpressions.Regex(phase.Substring(1, phase.Length - 2));
            return pattern.IsMatch;
        }

        return message => message.IndexOf(phase, StringComparison.Ordinal) >= 0;
    }
}
