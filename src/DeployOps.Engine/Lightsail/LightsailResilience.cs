using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Lightsail;
using DeployOps.Facts;
using DeployOps.Operations;
using DeployOps.Verification;

namespace DeployOps.Lightsail;

/// <summary>
/// Runbook 003's resilience findings for a Lightsail container service, for Test-DeploymentResilience: one node (scale 1)
/// is a single point of failure, and a health check on a liveness path passes while the application is broken. Pure
/// (<see cref="Inspect"/>) over what <see cref="InspectAsync"/> reads.
/// </summary>
public sealed class LightsailResilience
{
    public const string ScaleCheck = "Scale";
    public const string HealthCheckPathCheck = "HealthCheckPath";

    private readonly AwsFacts _facts;

    public LightsailResilience(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>Reads the service (throws <see cref="Errors.DeployOpsException"/> LightsailServiceNotFound) and inspects it.</summary>
    public async Task<PrintableList<DeploymentFinding>> InspectAsync(string serviceName, string? readyPath, CancellationToken cancellationToken) =>
        Inspect(await _facts.Lightsail.RequireServiceAsync(serviceName, cancellationToken).ConfigureAwait(false), readyPath);

    /// <summary>
    /// The findings for <paramref name="service"/>: its scale (a warning at 1), and its ACTIVE deployment's health-check path
    /// (a warning when it only checks liveness: not <paramref name="readyPath"/> when one is configured, else a path such as
    /// /health/live or /).
    /// </summary>
    public static PrintableList<DeploymentFinding> Inspect(LightsailContainerService service, string? readyPath)
    {
        var findings = new List<DeploymentFinding>
        {
            service.Scale <= 1
                ? new DeploymentFinding(ScaleCheck, VerificationOutcome.Warning,
                    $"Container service {service.Name} runs {service.Scale} node: no redundancy, and every deployment or failure takes it down.",
                    $"Scale to 2 (runbook 003): Set-LightsailContainerService -ServiceName {service.Name} -Scale 2")
                : new DeploymentFinding(ScaleCheck, VerificationOutcome.Pass, $"Container service {service.Name} runs {service.Scale.ToString(CultureInfo.InvariantCulture)} nodes."),
        };

        if (service.CurrentDeployment?.PublicEndpoint is not { } endpoint)
        {
            findings.Add(new DeploymentFinding(HealthCheckPathCheck, VerificationOutcome.Skipped, $"Container service {service.Name} has no ACTIVE deployment with a public endpoint."));
            return findings.ToPrintableList();
        }

        var path = endpoint.HealthCheck.Effective.Path!;
        findings.Add(HealthPaths.IsLivenessOnly(path, readyPath)
            ? new DeploymentFinding(HealthCheckPathCheck, VerificationOutcome.Warning,
                $"The health check of {service.Name} requests {path}, which only checks liveness: it passed for 9 hours in runbook 003's outage while the application was broken.",
                $"Check a deep path that proves the application is ready: Publish-LightsailDeployment -ServiceName {service.Name} " +
                $"-Image {service.CurrentDeployment.Containers[endpoint.ContainerName].Image} -HealthCheckPath {readyPath ?? "/health/ready"}")
            : new DeploymentFinding(HealthCheckPathCheck, VerificationOutcome.Pass, $"The health check of {service.Name} requests {path}, a readiness path."));
        return findings.ToPrintableList();
    }
}
