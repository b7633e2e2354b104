using System;
using System.Collections.Generic;
using System.Linq;

namespace DeployOps.Estimates;

/// <summary>Where one resource stands in a running operation.</summary>
public enum EstimateState
{
    NotStarted,
    InProgress,
    Done,
}

/// <summary>One resource of a running operation, as the estimate sees it.</summary>
/// <param name="InProgressFor">How long its action has been running (zero unless in progress).</param>
public sealed record EstimateResource(string LogicalResourceId, string ResourceType, EstimateState State, TimeSpan InProgressFor);

/// <summary>What one resource adds to the remaining time.</summary>
public sealed class EstimateContribution
{
    public string LogicalResourceId { get; init; } = "";

    public string ResourceType { get; init; } = "";

    /// <summary>An <see cref="EstimateState"/> name.</summary>
    public string State { get; init; } = "";

    /// <summary>Its expected remaining minutes (before the operation's concurrency is taken into account).</summary>
    public double RemainingMinutes { get; init; }

    /// <summary>Its type's usual duration and where that comes from.</summary>
    public string Usual { get; init; } = "";

    public override string ToString() => $"{LogicalResourceId} {State} {RemainingMinutes:0.#} min (usually {Usual})";
}

/// <summary>The remaining time of an operation: a range and what it is made of.</summary>
public sealed record RemainingTime(TimeSpan Low, TimeSpan Expected, TimeSpan High, IReadOnlyList<EstimateContribution> Contributions, double Concurrency, int Samples);

/// <summary>How good the estimates were on the history, replayed.</summary>
public sealed class EstimateAccuracy
{
    /// <summary>Mean absolute percentage error of the expected remaining time, over every checkpoint replayed.</summary>
    public double MeanAbsolutePercentageError { get; init; }

    /// <summary>The same, only at each deployment's start (the estimate made before anything finished).</summary>
    public double StartMeanAbsolutePercentageError { get; init; }

    /// <summary>The percentage of checkpoints whose actual remaining time fell inside the estimated range.</summary>
    public double RangeCoverage { get; init; }

    /// <summary>Checkpoints replayed: each deployment's start and each resource's completion.</summary>
    public int Checkpoints { get; init; }

    /// <summary>Deployments replayed (each against the history without itself).</summary>
    public int Deployments { get; init; }

    public override string ToString() => Checkpoints == 0
        ? "no history to replay"
        : $"mean absolute error {MeanAbsolutePercentageError:0.#}% ({StartMeanAbsolutePercentageError:0.#}% at the start), actual within the range {RangeCoverage:0}% of the time, over {Checkpoints} checkpoints of {Deployments} deployments";
}

/// <summary>
/// Estimates an operation's remaining time from history: the sum, over the resources not yet complete, of their type's
/// usual duration (what an in-progress one has left of it), scaled by how much this stack's operations of the kind ran in
/// parallel (their actual duration over that sum, in the history). It gives a range (the shortest and longest durations
/// and concurrency seen), tightens as resources finish, and measures itself by replaying the history
/// (<see cref="Replay"/>). An update's resources that have not started count with the share of this stack's past updates
/// that touched them.
/// </summary>
public sealed class DeploymentEstimator
{
    /// <summary>Checkpoints whose actual remaining time is shorter are not scored (a percentage of seconds says nothing).</summary>
    public static readonly TimeSpan ShortestScored = TimeSpan.FromMinutes(1);

    private readonly IReadOnlyList<HistoryDeployment> _history;
    private readonly ResourceDurations _durations;

    public DeploymentEstimator(DeploymentHistoryDocument history)
        : this(history.Deployments)
    {
    }

    private DeploymentEstimator(IReadOnlyList<HistoryDeployment> history)
    {
        _history = history;
        _durations = new ResourceDurations(history);
    }

    /// <summary>The durations the estimates use.</summary>
    public ResourceDurations Durations => _durations;

    /// <summary>The remaining time of <paramref name="operation"/> (CREATE, UPDATE, DELETE) on <paramref name="stackName"/>.</summary>
    public RemainingTime Estimate(string stackName, string operation, IReadOnlyList<EstimateResource> resources)
    {
        var (concurrency, low, high, samples) = Concurrency(stackName, operation);
        var touched = operation == "UPDATE" ? TouchShare(stackName) : null;
        double expected = 0, lowSum = 0, highSum = 0;
        var contributions = new List<EstimateContribution>();
        foreach (var resource in resources)
        {
            var usual = _durations.Usual(resource.ResourceType, operation);
            var (e, l, h) = Remaining(resource, usual, touched?.TryGetValue(resource.LogicalResourceId, out var share) == true ? share : touched is null ? 1 : 0);
            expected += e;
            lowSum += l;
            highSum += h;
            contributions.Add(new EstimateContribution
            {
                LogicalResourceId = resource.LogicalResourceId,
                ResourceType = resource.ResourceType,
                State = resource.State.ToString(),
                RemainingMinutes = Math.Round(e, 2),
                Usual = usual.ToString(),
            });
        }

        var expectedTime = Minutes(expected * concurrency);
        return new RemainingTime(Min(Minutes(lowSum * low), expectedTime), expectedTime, Max(Minutes(highSum * high), expectedTime), contributions, concurrency, samples);
    }

    /// <summary>
    /// Replays every deployment of the history against the rest of it (never itself): at its start and at each resource's
    /// completion, the estimate is compared with what actually remained.
    /// </summary>
    public EstimateAccuracy Replay()
    {
        var errors = new List<double>();
        var startErrors = new List<double>();
        var inRange = 0;
        var replayed = 0;
        foreach (var deployment in _history.Where(d => d.Resources.Count > 0 && d.DurationMinutes >= ShortestScored.TotalMinutes))
        {
            var others = new DeploymentEstimator(_history.Where(d => d.Id != deployment.Id).ToList());
            var checkpoints = new[] { 0.0 }.Concat(deployment.Resources.Select(r => r.StartedMinutes + r.DurationMinutes)).Distinct().OrderBy(t => t).ToList();
            var scored = false;
            foreach (var at in checkpoints)
            {
                var actual = deployment.DurationMinutes - at;
                if (actual < ShortestScored.TotalMinutes)
                {
                    continue;
                }

                var estimate = others.Estimate(deployment.StackName, deployment.Operation, deployment.Resources.Select(r => StateAt(r, at)).ToList());
                var error = Math.Abs(estimate.Expected.TotalMinutes - actual) / actual;
                errors.Add(error);
                if (at == 0)
                {
                    startErrors.Add(error);
                }

                inRange += estimate.Low.TotalMinutes <= actual + 1e-9 && actual <= estimate.High.TotalMinutes + 1e-9 ? 1 : 0;
                scored = true;
            }

            replayed += scored ? 1 : 0;
        }

        return new EstimateAccuracy
        {
            MeanAbsolutePercentageError = errors.Count == 0 ? 0 : Math.Round(errors.Average() * 100, 1),
            StartMeanAbsolutePercentageError = startErrors.Count == 0 ? 0 : Math.Round(startErrors.Average() * 100, 1),
            RangeCoverage = errors.Count == 0 ? 0 : Math.Round(100.0 * inRange / errors.Count, 1),
            Checkpoints = errors.Count,
            Deployments = replayed,
        };
    }

    /// <summary>Expected, low and high remaining minutes of one resource; an update's untouched resource counts with <paramref name="share"/>.</summary>
    private static (double Expected, double Low, double High) Remaining(EstimateResource resource, UsualDuration usual, double share)
    {
        var (typical, low, high) = (usual.Typical.TotalMinutes, usual.Low.TotalMinutes, usual.High.TotalMinutes);
        switch (resource.State)
        {
            case EstimateState.Done:
                return (0, 0, 0);
            case EstimateState.InProgress:
                var elapsed = resource.InProgressFor.TotalMinutes;
                // Past its usual time it is overdue, not done: a little more is expected, and up to half its usual again.
                return (Math.Max(typical - elapsed, typical * 0.1), Math.Max(low - elapsed, 0), Math.Max(high - elapsed, typical * 0.5));
            default:
                return (typical * share, share >= 1 ? low : 0, share > 0 ? high : 0);
        }
    }

    /// <summary>
    /// How much the stack's operations of this kind ran in parallel: actual duration over the sum of their resources' usual
    /// durations (median, and the lowest and highest seen); this stack's history when it has two, else every stack's.
    /// </summary>
    private (double Expected, double Low, double High, int Samples) Concurrency(string stackName, string operation)
    {
        var same = _history.Where(d => d.Operation == operation && d.Resources.Count > 0).ToList();
        var own = same.Where(d => d.StackName == stackName).ToList();
        var basis = own.Count >= 2 ? own : same;
        var ratios = basis.Select(d => d.DurationMinutes / Math.Max(1e-6, d.Resources.Sum(r => _durations.Usual(r.ResourceType, operation).Typical.TotalMinutes)))
            .Where(r => r > 0 && !double.IsInfinity(r)).OrderBy(r => r).ToList();
        return ratios.Count switch
        {
            0 => (1.0, 0.5, 1.0, 0),
            1 => (ratios[0], ratios[0] * 0.8, ratios[0] * 1.2, 1),
            _ => (ResourceDurations.Median(ratios), ratios[0], ratios[ratios.Count - 1], ratios.Count),
        };
    }

    /// <summary>For each resource, the share of this stack's past updates that touched it; null when there is none.</summary>
    private Dictionary<string, double>? TouchShare(string stackName)
    {
        var updates = _history.Where(d => d.Operation == "UPDATE" && d.StackName == stackName).ToList();
        return updates.Count == 0
            ? null
            : updates.SelectMany(d => d.Resources.Select(r => r.LogicalId).Distinct()).GroupBy(id => id, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (double)g.Count() / updates.Count, StringComparer.Ordinal);
    }

    private static EstimateResource StateAt(HistoryResource resource, double at)
    {
        var state = at >= resource.StartedMinutes + resource.DurationMinutes ? EstimateState.Done
            : at >= resource.StartedMinutes ? EstimateState.InProgress
            : EstimateState.NotStarted;
        return new EstimateResource(resource.LogicalId, resource.ResourceType, state,
            state == EstimateState.InProgress ? TimeSpan.FromMinutes(at - resource.StartedMinutes) : TimeSpan.Zero);
    }

    private static TimeSpan Minutes(double minutes) => TimeSpan.FromSeconds(Math.Round(Math.Max(0, minutes) * 60));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
