using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Ecs;

namespace DeployOps.Facts;

/// <summary>Reads ECS tasks: the stopped tasks of services and deployments, newest first.</summary>
public sealed class TaskReader
{
    /// <summary>How many stopped tasks per service a report keeps.</summary>
    public const int StoppedTasksPerService = 20;

    private readonly AwsFacts _facts;

    internal TaskReader(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>
    /// The stopped tasks of each service's current deployments: one ListTasks per service, then one batched DescribeTasks.
    /// A service whose list cannot be read has a gap; when the describe fails, every service with tasks has one.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, Fact<IReadOnlyList<EcsTask>>>> StoppedOfServicesAsync(
        string cluster, IReadOnlyList<EcsService> services, CancellationToken cancellationToken)
    {
        var lists = await Task.WhenAll(services.Select(service => _facts.Policy.ReadAsync($"stopped tasks of {service.Name}",
            () => _facts.Session.Ecs.ListTasksAsync(new EcsListTasksRequest(cluster) { ServiceName = service.Name, DesiredStatus = EcsDesiredStatus.Stopped }, cancellationToken))))
            .ConfigureAwait(false);
        var arns = lists.Where(l => l.IsRead).SelectMany(l => l.Value).Distinct(StringComparer.Ordinal).ToList();
        var described = await DescribeAsync(cluster, arns, "stopped tasks", cancellationToken).ConfigureAwait(false);
        return services.Zip(lists, (service, list) => (service, list)).ToDictionary(
            x => x.service.Name,
            x => x.list.IsRead && x.list.Value.Count > 0
                ? described.Select(tasks => OfDeployments(tasks, x.service.Deployments.Select(d => d.Id)))
                : x.list.Select(_ => (IReadOnlyList<EcsTask>)Array.Empty<EcsTask>()),
            StringComparer.Ordinal);
    }

    /// <summary>The stopped tasks one deployment started (ListTasks startedBy, then DescribeTasks).</summary>
    public Task<Fact<IReadOnlyList<EcsTask>>> StoppedOfDeploymentAsync(string cluster, string deploymentId, CancellationToken cancellationToken) =>
        OfDeploymentAsync(cluster, deploymentId, EcsDesiredStatus.Stopped, $"stopped tasks of deployment {deploymentId}", cancellationToken);

    /// <summary>The running tasks one deployment started (ListTasks startedBy, then DescribeTasks): whose startup a verification reads.</summary>
    public Task<Fact<IReadOnlyList<EcsTask>>> RunningOfDeploymentAsync(string cluster, string deploymentId, CancellationToken cancellationToken) =>
        OfDeploymentAsync(cluster, deploymentId, EcsDesiredStatus.Running, $"running tasks of deployment {deploymentId}", cancellationToken);

    private async Task<Fact<IReadOnlyList<EcsTask>>> OfDeploymentAsync(string cluster, string deploymentId, EcsDesiredStatus status, string what, CancellationToken cancellationToken)
    {
        var arns = await _facts.Policy.ReadAsync(what,
            () => _facts.Session.Ecs.ListTasksAsync(new EcsListTasksRequest(cluster) { StartedBy = deploymentId, DesiredStatus = status }, cancellationToken))
            .ConfigureAwait(false);
        return arns.IsRead ? await DescribeAsync(cluster, arns.Value, what, cancellationToken).ConfigureAwait(false)
            : arns.Select(_ => (IReadOnlyList<EcsTask>)Array.Empty<EcsTask>());
    }

    /// <summary>
    /// Every task ECS still lists for a service, running and stopped (stopped ones for about an hour): two ListTasks, then
    /// one batched DescribeTasks. What tells which task definition each deployment ran, once the deployment is gone.
    /// </summary>
    public async Task<Fact<IReadOnlyList<EcsTask>>> OfServiceAsync(string cluster, string service, CancellationToken cancellationToken)
    {
        var lists = await Task.WhenAll(new[] { EcsDesiredStatus.Running, EcsDesiredStatus.Stopped }.Select(status => _facts.Policy.ReadAsync(
            $"{status.ToString().ToLowerInvariant()} tasks of {service}",
            () => _facts.Session.Ecs.ListTasksAsync(new EcsListTasksRequest(cluster) { ServiceName = service, DesiredStatus = status }, cancellationToken)))).ConfigureAwait(false);
        if (lists.FirstOrDefault(l => !l.IsRead) is { } unread)
        {
            return unread.Select(_ => (IReadOnlyList<EcsTask>)Array.Empty<EcsTask>());
        }

        return await DescribeAsync(cluster, lists.SelectMany(l => l.Value).Distinct(StringComparer.Ordinal).ToList(), $"tasks of {service}", cancellationToken).ConfigureAwait(false);
    }

    private async Task<Fact<IReadOnlyList<EcsTask>>> DescribeAsync(string cluster, IReadOnlyList<string> arns, string what, CancellationToken cancellationToken)
    {
        if (arns.Count == 0)
        {
            return Fact<IReadOnlyList<EcsTask>>.Of(Array.Empty<EcsTask>());
        }

        var described = await _facts.Policy.ReadAsync(what, () => _facts.Session.Ecs.DescribeTasksAsync(cluster, arns, cancellationToken)).ConfigureAwait(false);
        return described.Select(result => (IReadOnlyList<EcsTask>)result.Found);
    }

    private static IReadOnlyList<EcsTask> OfDeployments(IReadOnlyList<EcsTask> tasks, IEnumerable<string> deploymentIds)
    {
        var deployments = new HashSet<string>(deploymentIds, StringComparer.Ordinal);
        return tasks.Where(t => t.StartedBy is not null && deployments.Contains(t.StartedBy))
            .OrderByDescending(t => t.StopTime ?? DateTimeOffset.MinValue)
            .Take(StoppedTasksPerService)
            .ToList();
    }
}
