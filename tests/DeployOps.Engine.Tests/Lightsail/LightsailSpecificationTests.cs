using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws.Lightsail;
using DeployOps.Errors;
using DeployOps.Lightsail;
using DeployOps.Resilience;
using DeployOps.Verification;
using Xunit;

namespace DeployOps.Engine.Tests.Lightsail;

/// <summary>Lightsail's pure parts: image references, a change applied to the ACTIVE specification and its diff, rollback targets, resilience findings.</summary>
public sealed class LightsailSpecificationTests
{
    private static readonly LightsailDeploymentSpecification Active = new(
        new Dictionary<string, LightsailContainer>
        {
            ["api"] = new()
            {
                Image = ":api.soft-launch-32.162",
                Environment = new Dictionary<string, string> { ["NODE_ENV"] = "production", ["DATABASE_URL"] = "postgres://a:Pw-123456@db/a", ["LEGACY_FLAG"] = "on" },
                Ports = new Dictionary<string, string> { ["3697"] = "HTTP" },
            },
            ["worker"] = new() { Image = ":api.worker.7", Environment = new Dictionary<string, string> { ["QUEUE"] = "jobs" } },
        },
        new LightsailEndpoint("api", 3697, new LightsailHealthCheck { Path = "/health/live" }));

    private static LightsailDeployment Deployment(int version, string state, string image = ":api.x.1") =>
        new() { Version = version, State = state, Containers = new Dictionary<string, LightsailContainer> { ["api"] = new() { Image = image } } };

    [Theory]
    [InlineData(":api.soft-launch-32.165", "api", "soft-launch-32", 165)]
    [InlineData(":my-service.a.1", "my-service", "a", 1)]
    public void A_pushed_image_reference_reads_service_label_and_number(string image, string service, string label, int number)
    {
        Assert.Equal(new LightsailImageReference(service, label, number), LightsailImageReference.TryParse(image));
        Assert.Equal(image, LightsailImageReference.TryParse(image)!.ToString());
    }

    [Theory]
    [InlineData("nginx:1.25")]
    [InlineData(":api.soft-launch-32")]
    [InlineData(":API.x.1")]
    [InlineData(":api..1")]
    public void Anything_else_is_no_pushed_reference(string image) => Assert.Null(LightsailImageReference.TryParse(image));

    [Fact]
    public void A_change_replaces_only_what_it_names_and_the_diff_shows_names_never_values()
    {
        var change = new LightsailSpecificationChange
        {
            Image = ":api.soft-launch-32.165",
            SetEnvironment = new Dictionary<string, string> { ["AI_MAX_TOKENS_INPUT"] = "120000", ["DATABASE_URL"] = "postgres://a:Pw-654321@db/a" },
            RemoveEnvironment = new[] { "LEGACY_FLAG" },
            HealthCheckPath = "/health/ready",
        };

        var next = LightsailSpecifications.Apply(Active, "api", change);
        var diff = LightsailSpecifications.Diff("api", 4, Active, next, "api");

        Assert.Equal(":api.soft-launch-32.165", next.Containers["api"].Image);
        Assert.Equal(new[] { "AI_MAX_TOKENS_INPUT", "DATABASE_URL", "NODE_ENV" }, next.Containers["api"].Environment.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Same(Active.Containers["worker"], next.Containers["worker"]);
        Assert.Equal(Active.Containers["api"].Ports, next.Containers["api"].Ports);
        Assert.Equal("/health/ready", next.PublicEndpoint!.HealthCheck.Path);
        Assert.Equal(
            "image :api.soft-launch-32.162 -> :api.soft-launch-32.165; variables added AI_MAX_TOKENS_INPUT; variables removed LEGACY_FLAG; "
            + "variables changed DATABASE_URL; health check path /health/live -> /health/ready",
            diff.Summary);
        Assert.DoesNotContain("Pw-", diff.Summary, StringComparison.Ordinal);
        Assert.True(diff.HasChanges);
        Assert.False(LightsailSpecifications.Diff("api", 4, Active, Active, "api").HasChanges);
    }

    [Fact]
    public void The_health_check_diff_compares_with_lightsails_defaults_filled_in()
    {
        var explicitDefaults = new LightsailEndpoint("api", 3697, LightsailHealthCheck.Defaults);
        var unset = new LightsailEndpoint("api", 3697, new LightsailHealthCheck());

        Assert.Empty(LightsailSpecifications.HealthCheckChanges(unset, explicitDefaults));
        Assert.Equal(new[] { "interval 5 -> 10" }, LightsailSpecifications.HealthCheckChanges(unset, unset with { HealthCheck = new LightsailHealthCheck { IntervalSeconds = 10 } }));
        Assert.Equal(new[] { "endpoint api:3697 -> api:8080" }, LightsailSpecifications.HealthCheckChanges(unset, unset with { ContainerPort = 8080 }));
        Assert.Equal("path /, healthy 2, unhealthy 2, timeout 2 s, interval 5 s, codes 200-499", unset.HealthCheck.ToString());
    }

    [Fact]
    public void The_previous_deployment_is_the_newest_inactive_one_older_than_the_active()
    {
        var deployments = new[] { Deployment(5, "FAILED"), Deployment(4, "ACTIVE"), Deployment(3, "FAILED"), Deployment(2, "INACTIVE"), Deployment(1, "INACTIVE") };

        var (previous, why) = LightsailRollback.Previous("api", deployments[1], deployments);

        Assert.Equal((2, "the deployment ACTIVE before version 4"), (previous.Version, why));
        var none = Assert.Throws<DeployOpsException>(() => LightsailRollback.Previous("api", deployments[4], deployments)).Error;
        Assert.Equal(ErrorIds.NothingToRollBackTo, none.ErrorId);
    }

    [Fact]
    public void A_given_version_must_exist_have_run_and_not_be_the_active_one()
    {
        var deployments = new[] { Deployment(4, "ACTIVE"), Deployment(3, "FAILED"), Deployment(2, "INACTIVE") };

        Assert.Equal(2, LightsailRollback.Given("api", 2, deployments[0], deployments).Item1.Version);
        Assert.Equal(ErrorIds.LightsailDeploymentNotFound, Assert.Throws<DeployOpsException>(() => LightsailRollback.Given("api", 9, deployments[0], deployments)).Error.ErrorId);
        Assert.Contains("deployment 3 of 'api' FAILED and never ran", Assert.Throws<DeployOpsException>(() => LightsailRollback.Given("api", 3, deployments[0], deployments)).Error.Message);
        Assert.Contains("version 4 is the ACTIVE deployment", Assert.Throws<DeployOpsException>(() => LightsailRollback.Given("api", 4, deployments[0], deployments)).Error.Message);
    }

    [Fact]
    public void Resilience_warns_about_one_node_and_a_liveness_only_health_check()
    {
        var service = new LightsailContainerService
        {
            Name = "api",
            Scale = 1,
            CurrentDeployment = new LightsailDeployment { Version = 2, State = "ACTIVE", Containers = Active.Containers, PublicEndpoint = Active.PublicEndpoint },
        };

        var findings = ResilienceClassifier.Classify(LightsailResilience.FactsOf(service, readyPath: null));

        Assert.Equal(new[] { (ResilienceClassifier.DesiredCountCheck, FindingOutcome.Fail), (ResilienceClassifier.HealthCheckPathCheck, FindingOutcome.Warning) },
            findings.Where(f => f.OutcomeKind != FindingOutcome.NotApplicable).Select(f => (f.Check, f.OutcomeKind)));
        Assert.Equal("1 node(s): when it stops, nothing serves (runbook 003: scale to 2)", findings.Single(f => f.Check == ResilienceClassifier.DesiredCountCheck).Detail);
        Assert.Equal("Set-LightsailContainerService -ServiceName api -Scale 2", findings.Single(f => f.Check == ResilienceClassifier.DesiredCountCheck).Fix);
        Assert.Contains("-Image :api.soft-launch-32.162 -HealthCheckPath /health/ready", findings.Single(f => f.Check == ResilienceClassifier.HealthCheckPathCheck).Fix, StringComparison.Ordinal);
        Assert.Equal(FindingOutcome.NotApplicable, findings.Single(f => f.Check == ResilienceClassifier.AvailabilityZonesCheck).OutcomeKind);

        var fixedService = service with
        {
            Scale = 2,
            CurrentDeployment = service.CurrentDeployment with { PublicEndpoint = Active.PublicEndpoint! with { HealthCheck = new LightsailHealthCheck { Path = "/health/ready" } } },
        };
        Assert.All(ResilienceClassifier.Classify(LightsailResilience.FactsOf(fixedService, readyPath: "/health/ready")),
            f => Assert.Contains(f.OutcomeKind, new[] { FindingOutcome.Pass, FindingOutcome.NotApplicable }));

        // With a deep path configured, any other path is liveness only, however it is named.
        var otherPath = fixedService with { CurrentDeployment = fixedService.CurrentDeployment! with { PublicEndpoint = Active.PublicEndpoint! with { HealthCheck = new LightsailHealthCheck { Path = "/status" } } } };
        Assert.Equal(FindingOutcome.Warning, ResilienceClassifier.Classify(LightsailResilience.FactsOf(otherPath, "/health/ready")).Single(f => f.Check == ResilienceClassifier.HealthCheckPathCheck).OutcomeKind);
        Assert.Equal(FindingOutcome.NotApplicable,
            ResilienceClassifier.Classify(LightsailResilience.FactsOf(service with { CurrentDeployment = null }, null)).Single(f => f.Check == ResilienceClassifier.HealthCheckPathCheck).OutcomeKind);
    }
}
