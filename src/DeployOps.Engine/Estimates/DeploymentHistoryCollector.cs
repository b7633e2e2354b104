using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.CloudFormation;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;
using DeployOps.Stacks;
using DeployOps.Storage;

namespace DeployOps.Estimates;

/// <summary>The average of one resource type's action in the history.</summary>
public sealed class ResourceAverage
{
    public string ResourceType { get; init; } = "";

    /// <summary>CREATE, UPDATE or DELETE.</summary>
    public string Action { get; init; } = "";

    public double AverageMinutes { get; init; }

    public int Samples { get; init; }

    public override string ToString() => $"{ResourceType} {Action}: {AverageMinutes:0.##} min ({Samples})";
}

/// <summary>What Update-DeploymentHistory collected, and the history it leaves.</summary>
public sealed class DeploymentHistorySummary
{
    /// <summary>The history file.</summary>
    public string Path { get; init; } = "";

    /// <summary>Stacks whose events were read (deleted ones included).</summary>
    public int StacksRead { get; init; }

    /// <summary>Operations found that finished as asked.</summary>
    public int Collected { get; init; }

    /// <summary>Operations new to the history (collecting twice adds none the second time).</summary>
    public int Added { get; init; }

    /// <summary>Operations the history now holds.</summary>
    public int Deployments { get; init; }

    /// <summary><c>average_deployment_minutes</c>.</summary>
    public double AverageDeploymentMinutes { get; init; }

    /// <summary>Each resource type's average, by action.</summary>
    public PrintableList<ResourceAverage> ResourceAverages { get; init; } = PrintableList<ResourceAverage>.Empty;

    /// <summary>How accurate estimates from this history are, replayed over it.</summary>
    public EstimateAccuracy Accuracy { get; init; } = new();

    /// <summary>Stacks whose events could not be read.</summary>
    public PrintableList<string> Gaps { get; init; } = PrintableList<string>.Empty;

    /// <summary>False when the collection was only planned (-WhatIf): nothing was written.</summary>
    public bool Written { get; init; }

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    public override string ToString() => $"{Path}: {Deployments} deployments ({Added} new), average {AverageDeploymentMinutes:0.#} min; {Accuracy}";
}

/// <summary>An Update-DeploymentHistory run that has read CloudFormation and not written yet: what ShouldProcess shows.</summary>
public sealed class HistoryCollection : IChangePlan
{
    internal HistoryCollection(DeploymentStore store, IReadOnlyList<HistoryDeployment> deployments, int stacksRead, IReadOnlyList<string> gaps)
    {
        Store = store;
        Deployments = deployments;
        StacksRead = stacksRead;
        Gaps = gaps;
    }

    public DeploymentStore Store { get; }

    public IReadOnlyList<HistoryDeployment> Deployments { get; }

    public int StacksRead { get; }

    public IReadOnlyList<string> Gaps { get; }

    public string ShouldProcessTarget => new DeploymentHistory(Store).Path;

    public string ShouldProcessAction =>
        $"Merge {Deployments.Count} finished operation(s) of {StacksRead} stack(s) into the deployment history";
}

/// <summary>
/// Runbook 001, "Inaccurate time estimates", <c>deployment-time-estimator.sh collect</c>: reads the events of the region's
/// stacks (deleted ones too, for as long as CloudFormation keeps them), splits them into operations, and for each one that
/// finished as asked records its duration and each resource's (first IN_PROGRESS to COMPLETE per logical resource) in
/// <c>deployment-history.json</c>. Merging is by stack and operation, so collecting again adds only what is new.
/// </summary>
public sealed class DeploymentHistoryCollector
{
    private readonly AwsFacts _facts;

    public DeploymentHistoryCollector(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>Reads CloudFormation: the operations of the stacks named (every stack of the region when none is).</summary>
    public async Task<HistoryCollection> CollectAsync(IReadOnlyList<string> stackNames, DeploymentStore store, CancellationToken cancellationToken)
    {
        foreach (var name in stackNames)
        {
            StackNames.Validate(name);
        }

        var stacks = (await _facts.Stacks.ListAsync(null, cancellationToken).ConfigureAwait(false))
            .Where(s => s.ParentId is null && (stackNames.Count == 0 || stackNames.Contains(s.StackName, StringComparer.Ordinal)))
            .ToList();
        if (stackNames.Count > 0 && stackNames.FirstOrDefault(n => stacks.All(s => s.StackName != n)) is { } missing)
        {
            throw new DeployOpsException(StackReader.NotFound(missing, _facts.Session.Region.Name));
        }

        _facts.Observer.Verbose($"Reading the events of {stacks.Count} stack(s).");
        var read = await Task.WhenAll(stacks.Select(s => _facts.Stacks.AllEventsAsync(s.StackId, cancellationToken))).ConfigureAwait(false);
        var gaps = read.Where(r => r.Gap is not null).Select(r => r.Gap!.ToString()).ToList();
        var deployments = stacks.Zip(read, (stack, events) => events.IsRead ? Deployments(stack, events.Value) : Enumerable.Empty<HistoryDeployment>())
            .SelectMany(d => d).ToList();
        return new HistoryCollection(store, deployments, stacks.Count, gaps);
    }

    /// <summary>Merges the collection into the history file and summarizes the history (with its replayed accuracy).</summary>
    public async Task<DeploymentHistorySummary> WriteAsync(HistoryCollection collection, CancellationToken cancellationToken)
    {
        var history = new DeploymentHistory(collection.Store);
        var (document, added) = await history.MergeAsync(collection.Deployments, _facts.Session.Now, cancellationToken).ConfigureAwait(false);
        return Summary(history.Path, document, collection, added, written: true);
    }

    /// <summary>What the history would be after merging, without writing (-WhatIf).</summary>
    public DeploymentHistorySummary Preview(HistoryCollection collection)
    {
        var history = new DeploymentHistory(collection.Store);
        var document = history.Read();
        var known = new HashSet<string>(document.Deployments.Select(d => d.Id), StringComparer.Ordinal);
        var fresh = collection.Deployments.Where(d => known.Add(d.Id)).ToList();
        document.Deployments = document.Deployments.Concat(fresh).OrderBy(d => d.StartedAt).ToList();
        document.Recompute();
        return Summary(history.Path, document, collection, fresh.Count, written: false);
    }

    /// <summary>The operations of one stack's events that finished as asked, as history entries.</summary>
    public static IReadOnlyList<HistoryDeployment> Deployments(CfnStackSummary stack, IReadOnlyList<CfnStackEvent> newestFirst) =>
        StackOperations.Split(newestFirst).Where(o => o.Succeeded && o.Kind is "CREATE" or "UPDATE" or "DELETE").Select(operation =>
        {
            var start = operation.Start.Timestamp;
            var end = operation.End!.Timestamp;
            return new HistoryDeployment
            {
                Id = $"{stack.StackId}#{operation.Start.EventId}",
                StackName = stack.StackName,
                StackId = stack.StackId,
                Operation = operation.Kind,
                Status = operation.End.ResourceStatus,
                StartedAt = start,
                CompletedAt = end,
                DurationMinutes = Math.Round((end - start).TotalMinutes, 3),
                Resources = StackOperations.Timings(operation).Select(t => new HistoryResource
                {
                    LogicalId = t.LogicalResourceId,
                    ResourceType = t.ResourceType,
                    Action = t.Action,
                    StartedMinutes = Math.Round((t.StartedAt - start).TotalMinutes, 3),
                    DurationMinutes = Math.Round(t.Duration.TotalMinutes, 3),
                }).ToList(),
            };
        }).ToList();

    private DeploymentHistorySummary Summary(string path, DeploymentHistoryDocument document, HistoryCollection collection, int added, bool written) => new()
    {
        Path = path,
        StacksRead = collection.StacksRead,
        Collected = collection.Deployments.Count,
        Added = added,
        Deployments = document.Deployments.Count,
        AverageDeploymentMinutes = document.AverageDeploymentMinutes,
        ResourceAverages = document.Deployments.SelectMany(d => d.Resources).GroupBy(r => (r.ResourceType, r.Action))
            .OrderBy(g => g.Key.Action, StringComparer.Ordinal).ThenByDescending(g => g.Average(r => r.DurationMinutes))
            .Select(g => new ResourceAverage { ResourceType = g.Key.ResourceType, Action = g.Key.Action, AverageMinutes = Math.Round(g.Average(r => r.DurationMinutes), 2), Samples = g.Count() })
            .ToPrintableList(),
        Accuracy = new DeploymentEstimator(document).Replay(),
        Gaps = collection.Gaps.ToPrintableList(),
        Written = written,
        Region = _facts.Session.Region.Name,
        EndpointUrl = _facts.Session.EndpointUrl,
        ProfileName = _facts.Session.ProfileName,
    };
}
