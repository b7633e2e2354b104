using System.Linq;
using DeployOps.Resilience;
using Xunit;

namespace DeployOps.Engine.Tests.Runbook;

/// <summary>Test-DeploymentResilience's rules, pure: each check's outcome on the settings that decide it.</summary>
public sealed class ResilienceClassifierTests
{
    private static readonly ResilienceFacts Sound = new()
    {
        DesiredCount = 2,
        MinimumHealthyPercent = 100,
        MaximumPercent = 200,
        CircuitBreakerEnabled = true,
        CircuitBreakerRollback = true,
        AvailabilityZones = new[] { "us-east-1a", "us-east-1b" },
        LoadBalanced = true,
        HealthCheckGracePeriodSeconds = 60,
        ObservedStartupSeconds = 20,
        HealthCheckIntervalSeconds = 30,
        UnhealthyThreshold = 2,
        HealthCheckPaths = new[] { "/api/v1/health/health/" },
        ContainerHealthCheck = true,
        DeregistrationDelaySeconds = 30,
        Fixes = new ResilienceFixes { CircuitBreaker = "fix-breaker", DesiredCount = "fix-count", GracePeriod = "fix-grace", HealthCheckPath = "fix-path" },
    };

    private static ResilienceFinding Check(ResilienceFacts facts, string check) => ResilienceClassifier.Classify(facts).Single(f => f.Check == check);

    [Fact]
    public void A_sound_service_passes_every_check_without_a_fix()
    {
        var findings = ResilienceClassifier.Classify(Sound);

        Assert.Equal(8, findings.Count);
        Assert.All(findings, f => Assert.Equal(("Pass", null), (f.Outcome, f.Fix)));
    }

    [Theory]
    [InlineData(false, false, "Fail")]
    [InlineData(true, false, "Warning")]
    [InlineData(true, true, "Pass")]
    public void The_circuit_breaker_needs_rollback_too(bool enabled, bool rollback, string outcome)
    {
        var finding = Check(Sound with { CircuitBreakerEnabled = enabled, CircuitBreakerRollback = rollback }, ResilienceClassifier.CircuitBreakerCheck);

        Assert.Equal(outcome, finding.Outcome);
        Assert.Equal(outcome == "Pass" ? null : "fix-breaker", finding.Fix);
    }

    [Theory]
    [InlineData(100, 100, "Fail")] // can neither start nor stop a task
    [InlineData(0, 200, "Fail")] // may stop every task first
    [InlineData(40, 200, "Warning")]
    [InlineData(50, 200, "Pass")]
    public void The_deployment_percents_must_let_a_rollout_proceed_without_an_outage(int minimum, int maximum, string outcome) =>
        Assert.Equal(outcome, Check(Sound with { MinimumHealthyPercent = minimum, MaximumPercent = maximum }, ResilienceClassifier.DeploymentPercentsCheck).Outcome);

    [Fact]
    public void One_task_or_one_zone_fails()
    {
        Assert.Equal("Fail", Check(Sound with { DesiredCount = 1 }, ResilienceClassifier.DesiredCountCheck).Outcome);
        Assert.Equal("Fail", Check(Sound with { AvailabilityZones = new[] { "us-east-1a", "us-east-1a" } }, ResilienceClassifier.AvailabilityZonesCheck).Outcome);
        Assert.Equal("Unknown", Check(Sound with { AvailabilityZones = null }, ResilienceClassifier.AvailabilityZonesCheck).Outcome);
    }

    [Theory]
    [InlineData(60, 20.0, "Pass")]
    [InlineData(10, 40.0, "Warning")] // 10 s grace + 60 s of failed checks still covers 40 s
    [InlineData(0, 75.0, "Fail")] // replaced before it can answer
    public void The_grace_period_is_compared_with_the_observed_startup(int grace, double startup, string outcome)
    {
        var finding = Check(Sound with { HealthCheckGracePeriodSeconds = grace, ObservedStartupSeconds = startup }, ResilienceClassifier.GracePeriodCheck);

        Assert.Equal(outcome, finding.Outcome);
        Assert.Contains($"Grace period {grace} s", finding.Detail);
    }

    [Fact]
    public void A_startup_never_observed_leaves_the_grace_period_unknown_not_passed() =>
        Assert.Equal("Unknown", Check(Sound with { ObservedStartupSeconds = null }, ResilienceClassifier.GracePeriodCheck).Outcome);

    [Theory]
    [InlineData("/health/live", "Warning")]
    [InlineData("/healthz/", "Warning")]
    [InlineData("/", "Warning")]
    [InlineData("/api/v1/health/health/", "Pass")]
    public void A_liveness_only_health_path_is_a_warning(string path, string outcome)
    {
        var finding = Check(Sound with { HealthCheckPaths = new[] { path } }, ResilienceClassifier.HealthCheckPathCheck);

        Assert.Equal(outcome, finding.Outcome);
        Assert.Equal(outcome == "Pass" ? null : "fix-path", finding.Fix);
    }

    [Theory]
    [InlineData(0, "Warning")]
    [InlineData(300, "Warning")]
    [InlineData(30, "Pass")]
    public void The_deregistration_delay_neither_cuts_requests_nor_stalls_rollouts(int delay, string outcome) =>
        Assert.Equal(outcome, Check(Sound with { DeregistrationDelaySeconds = delay }, ResilienceClassifier.DeregistrationDelayCheck).Outcome);

    [Fact]
    public void Checks_a_platform_does_not_have_are_not_applicable()
    {
        var findings = ResilienceClassifier.Classify(Sound with { CircuitBreakerEnabled = null, ContainerHealthCheck = null, LoadBalanced = false });

        foreach (var check in new[] { ResilienceClassifier.CircuitBreakerCheck, ResilienceClassifier.ContainerHealthCheckCheck, ResilienceClassifier.GracePeriodCheck,
                     ResilienceClassifier.HealthCheckPathCheck, ResilienceClassifier.DeregistrationDelayCheck })
        {
            Assert.Equal("NotApplicable", findings.Single(f => f.Check == check).Outcome);
        }
    }
}
