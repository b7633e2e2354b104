using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Lightsail;
using DeployOps.Facts;
using DeployOps.Operations;
using DeployOps.Resilience;

namespace DeployOps.Lightsail;

/// <summary>
/// Test-DeploymentResilience for a Lightsail container service: runbook 003's lessons through the same rules as an ECS
/// service (<see cref="ResilienceClassifier"/>). One node (scale 1) is a single point of failure, and a health check on a
/// liveness path passes while the application is broken; what Lightsail does not have (a circuit breaker, rolling-update
/// percents, zones to choose, a grace period, a container health check, a deregistration delay) does not apply.
/// </summary>
public sealed class LightsailResilience
{
    private readonly AwsFacts _facts;

    public LightsailResilience(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>Reads the service (throws <see cref="Errors.DeployOpsException"/> LightsailServiceNotFound) and checks it.</summary>
    public async Task<ResilienceReport> InspectAsync(string serviceName, string? readyPath, string? environment, CancellationToken cancellationToken)
    {
        var service = await _facts.Lightsail.RequireServiceAsync(serviceName, cancellationToken).ConfigureAwait(false);
        var findings = ResilienceClassifier.Classify(FactsOf(service, readyPath));
        return new ResilienceReport
        {
            Platform = ResilienceReport.LightsailPlatform,
            Service = service.Name,
            Environment = environment,
            StatusKind = ResilienceInspector.Worst(findings),
            Findings = findings.ToPrintableList(),
            CheckedAt = DateTimeOffset.UtcNow,
            Region = _facts.Session.Region.Name,
            EndpointUrl = _facts.Session.EndpointUrl,
            ProfileName = _facts.Session.ProfileName,
        };
    }

    /// <summary>
    /// What the rules need, from <paramref name="service"/>: its scale, and its ACTIVE deployment's public-endpoint health
    /// check (none: nothing health-checks it). <paramref name="readyPath"/> is the deep path from the settings, when configured.
    /// </summary>
    public static ResilienceFacts FactsOf(LightsailContainerService service, string? readyPath)
    {
        var endpoint = service.CurrentDeployment?.PublicEndpoint;
        var healthCheck = endpoint?.HealthCheck.Effective;
        var image = endpoint is not null && service.CurrentDeployment!.Containers.TryGetValue(endpoint.ContainerName, out var container) ? container.Image : "<image>";
        return new ResilienceFacts
        {
            DesiredCount = service.Scale,
            ReplicaNoun = "node",
            ZonesChosen = false,
            LoadBalanced = healthCheck is not null,
            HealthCheckIntervalSeconds = healthCheck?.IntervalSeconds,
            UnhealthyThreshold = healthCheck?.UnhealthyThreshold,
            HealthCheckPaths = healthCheck?.Path is { } path ? new[] { path } : Array.Empty<string>(),
            ReadyPath = readyPath,
            Fixes = new ResilienceFixes
            {
                DesiredCount = $"Set-LightsailContainerService -ServiceName {service.Name} -Scale 2",
                HealthCheckPath = $"Check a deep path that proves the application is ready: Publish-LightsailDeployment -ServiceName {service.Name} -Image {image} " +
                                  $"-HealthCheckPath {readyPath ?? "/health/ready"}",
            },
        };
    }
}
