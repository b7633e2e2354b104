using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Ecs;
using DeployOps.Deployments;

namespace DeployOps.Facts;

/// <summary>A service's deployments as ECS still shows them, and what could not be read (the tasks: then records lack task definitions).</summary>
public sealed record DeploymentHistoryReading(IReadOnlyList<DeploymentRecord> Records, Gap? Gap);

/// <summary>Reads a service's deployment history: its deployments and events (already in the service), and its running and stopped tasks.</summary>
public sealed class DeploymentHistoryReader
{
    private readonly AwsFacts _facts;

    internal DeploymentHistoryReader(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>
    /// The deployments of <paramref name="service"/>, newest first (<see cref="DeploymentHistory.Assemble"/>). When the
    /// tasks cannot be read, the records come from the service alone and the reading carries the gap.
    /// </summary>
    public async Task<DeploymentHistoryReading> ReadAsync(string cluster, EcsService service, CancellationToken cancellationToken)
    {
        var tasks = await _facts.Tasks.OfServiceAsync(cluster, service.Name, cancellationToken).ConfigureAwait(false);
        var records = DeploymentHistory.Assemble(service, tasks.ValueOr(Array.Empty<EcsTask>())!);
        return new DeploymentHistoryReading(records, tasks.Gap);
    }
}
