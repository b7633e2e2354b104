using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Errors;
using DeployOps.Facts;

namespace DeployOps.Lightsail;

/// <summary>Runbook 003's "get the deployment version": a container service's current and past deployments (Get-LightsailDeployment).</summary>
public sealed class LightsailDeployments
{
    private readonly AwsFacts _facts;

    public LightsailDeployments(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>
    /// The service's deployments, newest first (Lightsail keeps the latest 50), or only <paramref name="version"/>; throws
    /// <see cref="DeployOpsException"/> when the service (LightsailServiceNotFound) or the version (LightsailDeploymentNotFound) does not exist.
    /// </summary>
    public async Task<IReadOnlyList<LightsailDeploymentInfo>> ListAsync(string serviceName, int? version, CancellationToken cancellationToken)
    {
        var deployments = await _facts.Lightsail.RequireDeploymentsAsync(serviceName, cancellationToken).ConfigureAwait(false);
        var chosen = version is { } wanted ? deployments.Where(d => d.Version == wanted).ToList() : deployments.ToList();
        if (version is not null && chosen.Count == 0)
        {
            throw new DeployOpsException(ErrorTranslator.NotFound(ErrorIds.LightsailDeploymentNotFound,
                $"Container service '{serviceName}' has no deployment {version}; its versions: {(deployments.Count == 0 ? "none" : string.Join(", ", deployments.Select(d => $"{d.Version} ({d.State})")))}.",
                serviceName));
        }

        return chosen.Select(d => LightsailDeploymentInfo.Of(serviceName, d, _facts.Session)).ToList();
    }
}
