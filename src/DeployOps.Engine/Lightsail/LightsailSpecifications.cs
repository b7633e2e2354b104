using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws.Lightsail;
using DeployOps.Operations;
using DeployOps.Verification;

namespace DeployOps.Lightsail;

/// <summary>The changes a publish makes to the ACTIVE deployment's specification: one container's image, variables, and the health-check path.</summary>
public sealed record LightsailSpecificationChange
{
    /// <summary>The container to change; null: the one the public endpoint serves (or the only one).</summary>
    public string? Container { get; init; }

    public string Image { get; init; } = "";

    /// <summary>Variables to set (added or replaced); the values are secrets.</summary>
    public IReadOnlyDictionary<string, string> SetEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Variable names to remove.</summary>
    public IReadOnlyList<string> RemoveEnvironment { get; init; } = Array.Empty<string>();

    /// <summary>A new health-check path for the public endpoint, e.g. /health/ready; null keeps the current one.</summary>
    public string? HealthCheckPath { get; init; }
}

/// <summary>
/// Deployment specifications as pure values: which container the public endpoint serves, a specification with a change
/// applied (everything else as it was, so a publish never deploys a stale file), and the diff between two.
/// </summary>
public static class LightsailSpecifications
{
    /// <summary>The container the public endpoint serves, else the only (or first) container; null when there is none.</summary>
    public static string? ServedContainer(LightsailDeploymentSpecification specification) =>
        specification.PublicEndpoint?.ContainerName ?? specification.Containers.Keys.OrderBy(k => k, StringComparer.Ordinal).FirstOrDefault();

    /// <summary><paramref name="current"/> with <paramref name="change"/> applied to <paramref name="container"/> (which must be one of its containers).</summary>
    public static LightsailDeploymentSpecification Apply(LightsailDeploymentSpecification current, string container, LightsailSpecificationChange change)
    {
        var before = current.Containers[container];
        var environment = before.Environment.Where(v => !change.RemoveEnvironment.Contains(v.Key)).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        foreach (var variable in change.SetEnvironment)
        {
            environment[variable.Key] = variable.Value;
        }

        var containers = current.Containers.ToDictionary(c => c.Key, c => c.Key == container ? c.Value with { Image = change.Image, Environment = environment } : c.Value, StringComparer.Ordinal);
        var endpoint = current.PublicEndpoint is { } served && change.HealthCheckPath is { } path
            ? served with { HealthCheck = served.HealthCheck with { Path = path } }
            : current.PublicEndpoint;
        return new LightsailDeploymentSpecification(containers, endpoint);
    }

    /// <summary>What <paramref name="to"/> changes against <paramref name="from"/> for <paramref name="container"/>: image, variable names, health check.</summary>
    public static LightsailDeploymentDiff Diff(string serviceName, int fromVersion, LightsailDeploymentSpecification from, LightsailDeploymentSpecification to, string container)
    {
        var before = from.Containers.TryGetValue(container, out var a) ? a : new LightsailContainer();
        var after = to.Containers.TryGetValue(container, out var b) ? b : new LightsailContainer();
        return new LightsailDeploymentDiff
        {
            ServiceName = serviceName,
            FromVersion = fromVersion,
            Container = container,
            ImageFrom = before.Image,
            ImageTo = after.Image,
            VariablesAdded = after.Environment.Keys.Except(before.Environment.Keys).OrderBy(k => k, StringComparer.Ordinal).ToPrintableList(),
            VariablesRemoved = before.Environment.Keys.Except(after.Environment.Keys).OrderBy(k => k, StringComparer.Ordinal).ToPrintableList(),
            VariablesChanged = after.Environment.Where(v => before.Environment.TryGetValue(v.Key, out var old) && VerificationChecks.Digest(old) != VerificationChecks.Digest(v.Value))
                .Select(v => v.Key).OrderBy(k => k, StringComparer.Ordinal).ToPrintableList(),
            HealthCheckChanges = HealthCheckChanges(from.PublicEndpoint, to.PublicEndpoint).ToPrintableList(),
        };
    }

    /// <summary>Every health-check setting (defaults filled in) and the endpoint itself that differ, as "path /health/live -> /health/ready".</summary>
    public static IEnumerable<string> HealthCheckChanges(LightsailEndpoint? from, LightsailEndpoint? to)
    {
        if (from?.ContainerName != to?.ContainerName || from?.ContainerPort != to?.ContainerPort)
        {
            yield return $"endpoint {Endpoint(from)} -> {Endpoint(to)}";
        }

        var (a, b) = (from?.HealthCheck.Effective, to?.HealthCheck.Effective);
        foreach (var (name, before, after) in new[]
        {
            ("path", a?.Path, b?.Path),
            ("healthy threshold", a?.HealthyThreshold?.ToString(), b?.HealthyThreshold?.ToString()),
            ("unhealthy threshold", a?.UnhealthyThreshold?.ToString(), b?.UnhealthyThreshold?.ToString()),
            ("timeout", a?.TimeoutSeconds?.ToString(), b?.TimeoutSeconds?.ToString()),
            ("interval", a?.IntervalSeconds?.ToString(), b?.IntervalSeconds?.ToString()),
            ("success codes", a?.SuccessCodes, b?.SuccessCodes),
        })
        {
            if (before != after)
            {
                yield return $"{name} {before ?? "none"} -> {after ?? "none"}";
            }
        }
    }

    private static string Endpoint(LightsailEndpoint? endpoint) => endpoint is null ? "none" : $"{endpoint.ContainerName}:{endpoint.ContainerPort}";
}
