using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.CloudFormation;
using DeployOps.Errors;
using DeployOps.Estimates;
using DeployOps.Facts;
using DeployOps.Operations;
using DeployOps.Storage;

namespace DeployOps.Stacks;

/// <summary>Get-DeploymentEstimate's answer: a running stack's remaining time as a range, what it rests on, and how accurate such estimates were.</summary>
public sealed class CfnDeploymentEstimate
{
    public string StackName { get; init; } = "";

    public string Status { get; init; } = "";

    /// <summary>CREATE, UPDATE or DELETE (a rollback counts as the update or delete it does); empty when the stack is not deploying.</summary>
    public string Operation { get; init; } = "";

    public bool InProgress => Operation.Length > 0;

    /// <summary>Since the operation began.</summary>
    public TimeSpan Elapsed { get; init; }

    public int ResourcesDone { get; init; }

    public int ResourcesTotal { get; init; }

    public TimeSpan RemainingLow { get; init; }

    public TimeSpan Remaining { get; init; }

    public TimeSpan RemainingHigh { get; init; }

    public DateTimeOffset? EarliestCompletion { get; init; }

    public DateTimeOffset? ExpectedCompletion { get; init; }

    public DateTimeOffset? LatestCompletion { get; init; }

    /// <summary>Each resource's part of the remaining time.</summary>
    public PrintableList<EstimateContribution> Contributions { get; init; } = PrintableList<EstimateContribution>.Empty;

    /// <summary>How many deployments the history holds (none: DeployOps' default durations).</summary>
    public int HistoryDeployments { get; init; }

    /// <summary>How much this stack's operations of the kind ran in parallel (actual time over the sum of their resources' times).</summary>
    public double Concurrency { get; init; }

    /// <summary>The estimates' accuracy on the history, replayed.</summary>
    public EstimateAccuracy Accuracy { get; init; } = new();

    public string HistoryPath { get; init; } = "";

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    public override string ToString() => InProgress
        ? $"{StackName} {Status}: about {Minutes(Remaining)} min left ({Minutes(RemainingLow)}-{Minutes(RemainingHigh)} min), {ResourcesDone} of {ResourcesTotal} resources done"
        : $"{StackName} is not deploying ({Status})";

    internal static string Minutes(TimeSpan span) => span.TotalMinutes.ToString(span.TotalMinutes < 10 ? "0.#" : "0", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A running operation as the estimate sees it: the operation, when it began, and each resource's state.</summary>
public sealed record StackProgressSnapshot(string Operation, DateTimeOffset? StartedAt, IReadOnlyList<EstimateResource> Resources)
{
    public int Done => Resources.Count(r => r.State == EstimateState.Done);

    public int Total => Resources.Count;
}

/// <summary>
/// Runbook 001, "Inaccurate time estimates": a running stack's remaining time from the deployment history
/// (<see cref="DeploymentEstimator"/>), tightening as resources finish, with the estimator's own accuracy. Wait-CfnStack
/// uses the same snapshot for its ETA.
/// </summary>
public sealed class StackEstimator
{
    private readonly AwsFacts _facts;

    public StackEstimator(AwsFacts facts)
    {
        _facts = facts;
    }

    public async Task<CfnDeploymentEstimate> EstimateAsync(string stackName, DeploymentStore store, CancellationToken cancellationToken)
    {
        StackNames.Validate(stackName);
        var history = new DeploymentHistory(store);
        var document = history.Read();
        var stack = await _facts.Stacks.RequireAsync(stackName, cancellationToken).ConfigureAwait(false);
        var resources = _facts.Stacks.ResourcesAsync(stack.StackId, cancellationToken);
        var template = _facts.Stacks.TemplateResourcesAsync(stack.StackId, cancellationToken);
        var events = _facts.Stacks.OperationEventsAsync(stack.StackId, cancellationToken);
        await Task.WhenAll(resources, template, events).ConfigureAwait(false);
        foreach (var fact in new Gap?[] { resources.Result.Gap, template.Result.Gap, events.Result.Gap }.Where(g => g is not null))
        {
            // An estimate from half the facts would look like a good one: the read failure is the answer.
            throw new DeployOpsException(new DeployOpsError(ErrorIds.AwsRequestFailed, DeployOpsErrorKind.Other, $"No estimate for stack '{stack.StackName}': {fact}.", stack.StackName));
        }

        var estimator = new DeploymentEstimator(document);
        var accuracy = estimator.Replay();
        var now = _facts.Session.Now;
        var snapshot = Snapshot(stack, resources.Result.Value, template.Result.Value, events.Result.Value, now);
        var common = new CfnDeploymentEstimate
        {
            StackName = stack.StackName,
            Status = stack.StackStatus,
            HistoryDeployments = document.Deployments.Count,
            Accuracy = accuracy,
            HistoryPath = history.Path,
            Region = _facts.Session.Region.Name,
            EndpointUrl = _facts.Session.EndpointUrl,
            ProfileName = _facts.Session.ProfileName,
        };
        if (snapshot is null)
        {
            return common;
        }

        var remaining = estimator.Estimate(stack.StackName, snapshot.Operation, snapshot.Resources);
        return new CfnDeploymentEstimate
        {
            StackName = common.StackName,
            Status = common.Status,
            Operation = snapshot.Operation,
            Elapsed = snapshot.StartedAt is { } started ? now - started : TimeSpan.Zero,
            ResourcesDone = snapshot.Done,
            ResourcesTotal = snapshot.Total,
            RemainingLow = remaining.Low,
            Remaining = remaining.Expected,
            RemainingHigh = remaining.High,
            EarliestCompletion = now + remaining.Low,
            ExpectedCompletion = now + remaining.Expected,
            LatestCompletion = now + remaining.High,
            Contributions = remaining.Contributions.ToPrintableList(),
            HistoryDeployments = common.HistoryDeployments,
            Concurrency = Math.Round(remaining.Concurrency, 3),
            Accuracy = accuracy,
            HistoryPath = common.HistoryPath,
            Region = common.Region,
            EndpointUrl = common.EndpointUrl,
            ProfileName = common.ProfileName,
        };
    }

    /// <summary>
    /// Where a running operation stands: null when the stack is not deploying. CREATE and UPDATE count the template's
    /// resources; DELETE (and the rollback of a create) the stack's; the rollback of an update the resources the update
    /// touched, from the moment it began rolling back.
    /// </summary>
    public static StackProgressSnapshot? Snapshot(CfnStack stack, IReadOnlyList<CfnStackResource> resources, IReadOnlyList<TemplateResource> template,
        IReadOnlyList<CfnStackEvent> operationEvents, DateTimeOffset now)
    {
        var operation = StackOperations.Current(operationEvents);
        var kind = stack.StackStatus switch
        {
            CfnStackStatus.CreateInProgress => "CREATE",
            CfnStackStatus.UpdateInProgress or CfnStackStatus.UpdateCompleteCleanupInProgress => "UPDATE",
            CfnStackStatus.UpdateRollbackInProgress or CfnStackStatus.UpdateRollbackCompleteCleanupInProgress => "UPDATE",
            CfnStackStatus.DeleteInProgress or CfnStackStatus.RollbackInProgress => "DELETE",
            _ => null,
        };
        if (kind is null)
        {
            return null;
        }

        var rollingBack = operation?.RollbackStart is not null && CfnStackStatus.IsRollingBack(stack.StackStatus);
        var relevant = (operation?.Events ?? Array.Empty<CfnStackEvent>())
            .SkipWhile(e => rollingBack && !ReferenceEquals(e, operation!.RollbackStart))
            .Where(e => !e.IsStackEvent)
            .ToList();
        var types = template.GroupBy(t => t.LogicalResourceId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().ResourceType, StringComparer.Ordinal);
        foreach (var resource in resources)
        {
            types[resource.LogicalResourceId] = resource.ResourceType;
        }

        IEnumerable<string> candidates = kind switch
        {
            // Resources a previous delete already removed are not this operation's.
            "DELETE" => resources.Where(r => relevant.Any(e => e.LogicalResourceId == r.LogicalResourceId) ||
                                             r.ResourceStatus is not (CfnResourceStatus.DeleteComplete or CfnResourceStatus.DeleteSkipped)).Select(r => r.LogicalResourceId),
            _ when rollingBack => operation!.ForwardResourceEvents.Select(e => e.LogicalResourceId).Distinct(StringComparer.Ordinal),
            _ => template.Select(t => t.LogicalResourceId),
        };
        var snapshot = candidates.Select(id =>
        {
            var mine = relevant.Where(e => e.LogicalResourceId == id).ToList();
            var latest = mine.LastOrDefault();
            var state = latest is null ? EstimateState.NotStarted
                : CfnResourceStatus.IsInProgress(latest.ResourceStatus) ? EstimateState.InProgress
                : EstimateState.Done;
            var since = mine.FirstOrDefault(e => CfnResourceStatus.IsInProgress(e.ResourceStatus))?.Timestamp;
            return new EstimateResource(id, types.TryGetValue(id, out var type) ? type : "", state,
                state == EstimateState.InProgress && since is { } s ? now - s : TimeSpan.Zero);
        }).ToList();
        return new StackProgressSnapshot(kind, (rollingBack ? operation!.RollbackStart : operation?.Start)?.Timestamp, snapshot);
    }
}
