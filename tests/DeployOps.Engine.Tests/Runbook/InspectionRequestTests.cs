using System;
using System.Text;
using DeployOps.Environments;
using DeployOps.Errors;
using DeployOps.Health;
using Xunit;

namespace DeployOps.Engine.Tests.Runbook;

/// <summary>What Get-DeploymentHealth hands the engine: from an environment, and checked before any call.</summary>
public sealed class InspectionRequestTests
{
    private static DeploymentEnvironment Dev => DeploymentEnvironmentFile.Parse(Encoding.UTF8.GetBytes("""
        { "environments": { "dev": { "region": "us-east-1", "cluster": "web-dev", "services": {
            "api": { "healthCheckPath": "/health", "publicHealthUrl": "https://dev.example.com/health" },
            "worker": { "healthCheckPath": "/healthz" } } } } }
        """), "deployops.json").Get("dev");

    [Fact]
    public void An_environment_gives_cluster_services_and_expectations()
    {
        var request = HealthInspectionRequest.ForEnvironment(Dev, cluster: null, services: null);

        Assert.Equal(("web-dev", "dev"), (request.Cluster, request.Environment));
        Assert.Equal(new[] { "api", "worker" }, request.Services);
        Assert.Equal(new ServiceExpectation("/health", "https://dev.example.com/health"), request.ExpectationFor("api"));
        Assert.Equal(new ServiceExpectation("/healthz", null), request.ExpectationFor("worker"));
    }

    [Fact]
    public void Explicit_values_win_over_the_environment()
    {
        var request = HealthInspectionRequest.ForEnvironment(Dev, cluster: "web-dev-blue", services: new[] { "api" }) with
        {
            ExpectedHealthCheckPath = "/ready",
            HealthUrl = "https://blue.example.com/ready",
        };

        Assert.Equal("web-dev-blue", request.Cluster);
        Assert.Equal(new[] { "api" }, request.Services);
        Assert.Equal(new ServiceExpectation("/ready", "https://blue.example.com/ready"), request.ExpectationFor("api"));
    }

    [Theory]
    [InlineData("health", null, ErrorIds.InvalidHealthCheckPath)]
    [InlineData(null, "dev.example.com/health", ErrorIds.InvalidUrl)]
    public void Values_that_cannot_be_right_are_refused_naming_them(string? path, string? url, string errorId)
    {
        var request = new HealthInspectionRequest { Cluster = "web", ExpectedHealthCheckPath = path, HealthUrl = url };

        var error = Assert.Throws<DeployOpsException>(request.Validate);

        Assert.Equal(errorId, error.Error.ErrorId);
        Assert.Contains($"'{path ?? url}'", error.Error.Message, StringComparison.Ordinal);
    }
}
