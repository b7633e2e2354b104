using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Ecs;
using DeployOps.Errors;
using DeployOps.Operations;

namespace DeployOps.Deployments;

/// <summary>A service by cluster and name.</summary>
public sealed record ServiceReference(string Cluster, string Service)
{
    public override string ToString() => $"{Cluster}/{Service}";
}

/// <summary>Forces a new deployment of a service (<c>aws ecs update-service --force-new-deployment</c>).</summary>
public sealed class ServiceRedeployer
{
    private readonly AwsSession _session;
    private readonly IOperationObserver _observer;

    public ServiceRedeployer(AwsSession session, IOperationObserver observer)
    {
        _session = session;
        _observer = observer;
    }

    /// <summary>Checks the service exists and is active; throws <see cref="DeployOpsException"/> (ClusterNotFound, ServiceNotFound) otherwise.</summary>
    public async Task<ServiceReference> ResolveAsync(string cluster, string service, CancellationToken cancellationToken)
    {
        var found = await Call(() => DescribeOneAsync(_session, cluster, service, cancellationToken), $"{cluster}/{service}").ConfigureAwait(false);
        return new ServiceReference(AwsArn.LastSegment(found.ClusterArn), found.Name);
    }

    /// <summary>One service that has not been deleted; throws <see cref="DeployOpsException"/> (ClusterNotFound, ServiceNotFound) when there is none.</summary>
    internal static async Task<EcsService> DescribeOneAsync(AwsSession session, string cluster, string service, CancellationToken cancellationToken)
    {
        EcsDescribeResult<EcsService> described;
        try
        {
            described = await session.Ecs.DescribeServicesAsync(cluster, new[] { service }, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == "ClusterNotFoundException")
        {
            throw new DeployOpsException(ErrorTranslator.NotFound(ErrorIds.ClusterNotFound,
                $"Cluster '{AwsArn.LastSegment(cluster)}' does not exist in region '{session.Region.Name}'.", cluster, ex));
        }

        var found = described.Found.FirstOrDefault(s => s.Status != "INACTIVE");
        if (found is null)
        {
            var state = described.Found.FirstOrDefault()?.Status;
            throw new DeployOpsException(ErrorTranslator.NotFound(ErrorIds.ServiceNotFound,
                $"Service '{AwsArn.LastSegment(service)}' {(state is null ? "does not exist" : "is " + state)} in cluster '{AwsArn.LastSegment(cluster)}'.", service));
        }

        return found;
    }

    /// <summary>
    /// Starts one new deployment. UpdateService is not idempotent, so it is never resent when the
    /// outcome is unknown: that is reported (OutcomeUnknown) rather than risking a second deployment.
    /// </summary>
    public async Task<EcsDeploymentStart> ForceNewDeploymentAsync(ServiceReference service, CancellationToken cancellationToken)
    {
        _observer.Verbose($"Forcing a new deployment of {service}.");
        var updated = await Call(() => _session.Ecs.UpdateServiceAsync(
            new EcsUpdateServiceRequest(service.Cluster, service.Service) { ForceNewDeployment = true }, cancellationToken), service.ToString()).ConfigureAwait(false);
        var primary = updated.Deployments.FirstOrDefault(d => d.Status == "PRIMARY") ?? updated.Deployments.First();
        _observer.Verbose($"{service}: deployment {primary.Id} started with {primary.TaskDefinition}.");
        return new EcsDeploymentStart
        {
            Cluster = service.Cluster,
            Service = service.Service,
            DeploymentId = primary.Id,
            TaskDefinition = primary.TaskDefinition ?? "",
            StartedAt = primary.CreatedAt ?? DateTimeOffset.UtcNow,
            Region = _session.Region.Name,
            EndpointUrl = _session.EndpointUrl,
            ProfileName = _session.ProfileName,
        };
    }

    /// <summary>Runs an AWS call, turning its failure into a <see cref="DeployOpsException"/> about <paramref name="target"/>.</summary>
    internal static async Task<T> Call<T>(Func<Task<T>> call, string target)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AwsCallException ex)
        {
            throw new DeployOpsException(ErrorTranslator.Translate(ex, target));
        }
    }

}
