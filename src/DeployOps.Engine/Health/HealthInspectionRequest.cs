using System;
using System.Collections.Generic;

namespace DeployOps.Health;

/// <summary>What a service should look like: the path its target group should check, and the URL users reach its health endpoint at.</summary>
public sealed record ServiceExpectation(string? HealthCheckPath, string? HealthUrl);

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

    /// <summary>The expectation for one service: explicit values first, then the per-service ones.</summary>
    public ServiceExpectation ExpectationFor(string service)
    {
        ServiceExpectations.TryGetValue(service, out var configured);
        return new ServiceExpectation(ExpectedHealthCheckPath ?? configured?.HealthCheckPath, HealthUrl ?? configured?.HealthUrl);
    }
}
