using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Lightsail;
using DeployOps.Errors;

namespace DeployOps.Facts;

/// <summary>One container's log lines (redacted), and whether more matched than were read.</summary>
/// <param name="ServiceName">The container service.</param>
/// <param name="ContainerName">The container.</param>
/// <param name="Lines">Oldest first; secret values taken out.</param>
/// <param name="Truncated">True when the cap stopped the reading with lines left.</param>
public sealed record ContainerLog(string ServiceName, string ContainerName, IReadOnlyList<LightsailLogEvent> Lines, bool Truncated)
{
    /// <summary>The lines as (time, message) pairs, for <see cref="Verification.StartupSequence"/>; a line without a time sorts first.</summary>
    public IReadOnlyList<(DateTimeOffset Time, string Message)> Timed =>
        Lines.Select(l => (l.CreatedAt ?? DateTimeOffset.MinValue, l.Message)).ToList();
}

/// <summary>
/// Reads Lightsail container services: a service, its deployments, the images pushed to it and its containers' logs.
/// Every environment value a deployment declares becomes a known secret of the run (<see cref="AwsFacts.Redactor"/>),
/// so no report, log line or message shows it.
/// </summary>
public sealed class LightsailReader
{
    private readonly AwsFacts _facts;

    internal LightsailReader(AwsFacts facts)
    {
        _facts = facts;
    }

    private LightsailClient Client => _facts.Session.Client<LightsailClient>();

    /// <summary>The service, absent when Lightsail says it does not exist, or a gap.</summary>
    public Task<Fact<LightsailContainerService>> ServiceAsync(string serviceName, CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync($"container service {serviceName}", async () => Known((await Client.GetContainerServicesAsync(serviceName, cancellationToken).ConfigureAwait(false)).First()));

    /// <summary>The service, for a runbook that needs it; throws <see cref="DeployOpsException"/> (LightsailServiceNotFound, or the AWS error).</summary>
    public async Task<LightsailContainerService> RequireServiceAsync(string serviceName, CancellationToken cancellationToken) =>
        Known((await OfService(serviceName, () => Client.GetContainerServicesAsync(serviceName, cancellationToken)).ConfigureAwait(false)).First());

    /// <summary>The service's deployments, newest first; throws <see cref="DeployOpsException"/> as <see cref="RequireServiceAsync"/>.</summary>
    public async Task<IReadOnlyList<LightsailDeployment>> RequireDeploymentsAsync(string serviceName, CancellationToken cancellationToken)
    {
        var deployments = await OfService(serviceName, () => Client.GetContainerServiceDeploymentsAsync(serviceName, cancellationToken)).ConfigureAwait(false);
        foreach (var deployment in deployments)
        {
            Remember(deployment);
        }

        return deployments.OrderByDescending(d => d.Version).ToList();
    }

    /// <summary>The images pushed to the service, newest first (by push time, then number); absent or a gap as the service.</summary>
    public Task<Fact<IReadOnlyList<LightsailContainerImage>>> ImagesAsync(string serviceName, CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync($"images of container service {serviceName}", async () => (IReadOnlyList<LightsailContainerImage>)
            (await Client.GetContainerImagesAsync(serviceName, cancellationToken).ConfigureAwait(false))
            .OrderByDescending(i => i.CreatedAt ?? DateTimeOffset.MinValue).ThenByDescending(i => LightsailImageReference.TryParse(i.Image)?.Number ?? 0).ToList());

    /// <summary>A container's log lines (redacted), oldest first, up to the request's cap; absent when the service or container is not there.</summary>
    public Task<Fact<ContainerLog>> LogAsync(LightsailLogRequest request, CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync($"log of container {request.ContainerName} of {request.ServiceName}", async () =>
        {
            var read = await Client.GetContainerLogAsync(request, cancellationToken).ConfigureAwait(false);
            var lines = read.Items.Select(e => e with { Message = _facts.Redactor.Redact(e.Message) }).ToList();
            return new ContainerLog(request.ServiceName, request.ContainerName, lines, read.Truncated);
        });

    /// <summary>LightsailServiceNotFound for <paramref name="serviceName"/> in the session's region.</summary>
    public DeployOpsError NotFound(string serviceName, Exception? exception = null) =>
        ErrorTranslator.NotFound(ErrorIds.LightsailServiceNotFound,
            $"Container service '{serviceName}' does not exist in region '{_facts.Session.Region.Name}'. " +
            "List the region's container services with: aws lightsail get-container-services --query 'containerServices[].containerServiceName'",
            serviceName, exception);

    /// <summary>Runs a call about one service, turning NotFoundException into LightsailServiceNotFound and other failures into DeployOps errors.</summary>
    private async Task<T> OfService<T>(string serviceName, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (ex.Classification == AwsErrorClassification.NotFound)
        {
            throw new DeployOpsException(NotFound(serviceName, ex));
        }
        catch (Exception ex) when (ex is AwsServiceException or AwsOutcomeUnknownException)
        {
            throw new DeployOpsException(ErrorTranslator.Translate(ex, serviceName));
        }
    }

    private LightsailContainerService Known(LightsailContainerService service)
    {
        Remember(service.CurrentDeployment);
        Remember(service.NextDeployment);
        return service;
    }

    private void Remember(LightsailDeployment? deployment)
    {
        if (deployment is not null)
        {
            _facts.Redactor.AddKnownValues(deployment.Containers.Values.SelectMany(c => c.Environment.Values));
        }
    }
}
