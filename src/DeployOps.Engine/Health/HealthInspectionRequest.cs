using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Deployments;
using DeployOps.Endpoints;
using DeployOps.Environments;

namespace DeployOps.Health;

/// <summary>What a service should look like: the path its target group should check, and the URL users reach its health endpoint at.</summary>
public sealed record ServiceExpectation(string? HealthCheckPath, string? HealthUrl)
{
    /// <summary>The lines the application logs as it starts, in order (the environment's startupPhases); empty: not checked.</summary>
    public IReadOnlyList<string> StartupPhases { get; init; } = Array.Empty<string>();
}

/// <summary>What Get-DeploymentHealth asks the engine to inspect.</summary>
public sealed record HealthInspectionRequest
{
    /// <summary>The cluster name or ARN.</summary>
    public string Cluster { get; init; } = "";

    /// <summary>Service names or ARNs; empty means every service of the cluster.</summary>
    public IReadOnlyList<string> Services { get; init; } = Array.Empty<string>();

    /// <summary>The health-check path every inspected service should have (an explicit parameter; wins over <see cref="ServiceExpectations"/>).</summary>
    public string? ExpectedHealthCheckPath { get; init; }

    /// <summary>A public health URL to test for every inspected service (an explicit parameter; wins over <see cref="ServiceExpectations"/>).</summary>
    public string? HealthUrl { get; init; }

    /// <summary>Per-service expectations, e.g. from an environment's settings.</summary>
    public IReadOnlyDictionary<string, ServiceExpectation> ServiceExpectations { get; init; } = new Dictionary<string, ServiceExpectation>();

    /// <summary>The environment name the request came from, stamped on the reports.</summary>
    public string? Environment { get; init; }

    /// <summary>How many recent service events a report carries.</summary>
    public int MaxEvents { get; init; } = 10;

    /// <summary>
    /// The request for an environment of the settings file (<c>-Environment dev</c>): its cluster, its services and
    /// their expected paths and public health URLs; explicit values (non-null) win over the environment's.
    /// </summary>
    public static HealthInspectionRequest ForEnvironment(DeploymentEnvironment environment, string? cluster, IReadOnlyList<string>? services) => new()
    {
        Cluster = environment.ResolveCluster(cluster),
        Services = services ?? environment.Services.Keys.ToArray(),
        ServiceExpectations = environment.Services.Values.ToDictionary(
            service => service.Name,
            service => new ServiceExpectation(service.HealthCheckPath, service.PublicHealthUrl?.ToString()) { StartupPhases = service.Verification.StartupPhases },
            StringComparer.Ordinal),
        Environment = environment.Name,
    };

    /// <summary>Throws <see cref="Errors.DeployOpsException"/> for an expected path or a health URL that cannot be right, naming the value.</summary>
    public void Validate()
    {
        if (ExpectedHealthCheckPath is not null)
        {
            HealthCheckPaths.Validate(ExpectedHealthCheckPath);
        }

        if (HealthUrl is not null)
        {
            EndpointTester.ParseUrl(HealthUrl);
        }
    }

    /// <summary>The expectation for one service: explicit values first, then the per-service ones.</summary>
    public ServiceExpectation ExpectationFor(string service)
    {
        ServiceExpectations.TryGetValue(service, out var configured);
        return new ServiceExpectation(ExpectedHealthCheckPath ?? configured?.HealthCheckPath, HealthUrl ?? configured?.HealthUrl)
        {
            StartupPhases = configured?.StartupPhases ?? Array.Empty<string>(),
        };
    }
}
