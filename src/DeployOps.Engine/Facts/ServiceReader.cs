using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Ecs;
using DeployOps.Errors;

namespace DeployOps.Facts;

/// <summary>One requested service: what ECS said about it, and its status when ECS still lists it but it is deleted.</summary>
/// <param name="Requested">The name or ARN as asked for.</param>
/// <param name="Service">The live service, absent (no such service, or deleted), or a gap.</param>
/// <param name="DeletedStatus">INACTIVE when ECS still describes the deleted service; null otherwise.</param>
public sealed record ServiceLookup(string Requested, Fact<EcsService> Service, string? DeletedStatus)
{
    /// <summary>The service's name (the last segment of an ARN).</summary>
    public string Name => AwsArn.LastSegment(Requested);

    /// <summary>ServiceNotFound for this service, naming it and its cluster.</summary>
    public DeployOpsError NotFoundError(string cluster) => ServiceReader.NotFound(Name, cluster, DeletedStatus);
}

/// <summary>Reads ECS services and their deployments.</summary>
public sealed class ServiceReader
{
    private readonly AwsFacts _facts;

    internal ServiceReader(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>
    /// Every service name of the cluster. This is the cluster's one fact: when it cannot be read (the cluster does not
    /// exist, every attempt was throttled) there is nothing to report per service, so the AWS error is thrown.
    /// </summary>
    public async Task<IReadOnlyList<string>> ListNamesAsync(string cluster, CancellationToken cancellationToken) =>
        (await InCluster(cluster, () => _facts.Session.Ecs.ListServicesAsync(cluster, cancellationToken)).ConfigureAwait(false)).Select(AwsArn.LastSegment).ToList();

    /// <summary>
    /// Each requested service (by name or ARN), in DescribeServices batches of 10 read concurrently: a batch that cannot be
    /// read is a gap on each of its services, not a failure of the others. A cluster that does not exist is the cluster's
    /// failure (<see cref="DeployOpsException"/> ClusterNotFound), not each service's.
    /// </summary>
    public async Task<IReadOnlyList<ServiceLookup>> DescribeAsync(string cluster, IReadOnlyList<string> requested, CancellationToken cancellationToken)
    {
        var batches = requested.Select((name, index) => (name, index)).GroupBy(x => x.index / EcsClient.DescribeServicesBatchSize, x => x.name).Select(g => g.ToList()).ToList();
        var read = await Task.WhenAll(batches.Select(batch => _facts.Policy.ReadAsync(
            batch.Count == 1 ? $"service '{AwsArn.LastSegment(batch[0])}'" : $"services {string.Join(", ", batch.Select(n => $"'{AwsArn.LastSegment(n)}'"))}",
            () => InCluster(cluster, () => _facts.Session.Ecs.DescribeServicesAsync(cluster, batch, cancellationToken))))).ConfigureAwait(false);
        return batches.Zip(read, (batch, described) => batch.Select(name => Lookup(name, described))).SelectMany(x => x).ToList();
    }

    /// <summary>
    /// Every service ECS describes among <paramref name="names"/>, deleted ones included (for a runbook searching clusters);
    /// a cluster that does not exist is <see cref="DeployOpsException"/> ClusterNotFound, other failures the AWS error.
    /// </summary>
    public Task<EcsDescribeResult<EcsService>> DescribeAllAsync(string cluster, IReadOnlyList<string> names, CancellationToken cancellationToken) =>
        InCluster(cluster, () => _facts.Session.Ecs.DescribeServicesAsync(cluster, names, cancellationToken));

    /// <summary>One live service, for a runbook that changes it; throws <see cref="DeployOpsException"/> ServiceNotFound, or the AWS error.</summary>
    public async Task<EcsService> RequireAsync(string cluster, string service, CancellationToken cancellationToken)
    {
        var described = await InCluster(cluster, () => _facts.Session.Ecs.DescribeServicesAsync(cluster, new[] { service }, cancellationToken)).ConfigureAwait(false);
        var lookup = Lookup(service, Fact<EcsDescribeResult<EcsService>>.Of(described));
        return lookup.Service.IsRead ? lookup.Service.Value : throw new DeployOpsException(lookup.NotFoundError(AwsArn.LastSegment(cluster)));
    }

    /// <summary>ServiceNotFound for <paramref name="service"/> in <paramref name="cluster"/>; <paramref name="deletedStatus"/> when ECS still lists it deleted.</summary>
    public static DeployOpsError NotFound(string service, string cluster, string? deletedStatus) =>
        ErrorTranslator.NotFound(ErrorIds.ServiceNotFound,
            $"Service '{service}' {(deletedStatus is null ? "does not exist" : $"is {deletedStatus}")} in cluster '{cluster}'. " +
            $"List the cluster's services with: Get-DeploymentHealth -Cluster {cluster}, or aws ecs list-services --cluster {cluster}",
            service);

    /// <summary>Runs an ECS call in <paramref name="cluster"/>, turning ClusterNotFoundException into ClusterNotFound naming the cluster and region.</summary>
    private async Task<T> InCluster<T>(string cluster, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == "ClusterNotFoundException")
        {
            throw new DeployOpsException(ErrorTranslator.NotFound(ErrorIds.ClusterNotFound,
                $"Cluster '{AwsArn.LastSegment(cluster)}' does not exist in region '{_facts.Session.Region.Name}'.", cluster, ex));
        }
    }

    private static ServiceLookup Lookup(string requested, Fact<EcsDescribeResult<EcsService>> described)
    {
        if (!described.IsRead)
        {
            return new ServiceLookup(requested, described.Absent ? Fact<EcsService>.NotFound() : Fact<EcsService>.Unread(described.Gap!), null);
        }

        var name = AwsArn.LastSegment(requested);
        var found = described.Value.Found.Where(s => s.Name == name || s.Arn == requested).ToList();
        var live = found.FirstOrDefault(s => s.IsLive);
        return live is not null
            ? new ServiceLookup(requested, Fact<EcsService>.Of(live), null)
            : new ServiceLookup(requested, Fact<EcsService>.NotFound(), found.FirstOrDefault()?.Status);
    }
}
