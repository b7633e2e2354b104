using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DeployOps.Verification;

namespace DeployOps.Resilience;

/// <summary>How one resilience check came out.</summary>
public enum FindingOutcome
{
    Pass,

    /// <summary>Works, but a failure or a deployment will hurt more than it needs to.</summary>
    Warning,

    /// <summary>A failure or a deployment will cause an outage, or a bad rollout will not stop.</summary>
    Fail,

    /// <summary>A fact the check needs could not be read or observed.</summary>
    Unknown,

    /// <summary>The platform or the service has nothing this check applies to (no load balancer, no circuit breaker on this platform).</summary>
    NotApplicable,
}

/// <summary>One resilience check: its outcome, the facts and the fix.</summary>
public sealed class ResilienceFinding
{
    public string Check { get; init; } = "";

    /// <summary>A <see cref="FindingOutcome"/> name (text, so JSON and CSV show the name).</summary>
    public string Outcome => OutcomeKind.ToString();

    internal FindingOutcome OutcomeKind { get; init; }

    public string Detail { get; init; } = "";

    /// <summary>What to change; null when the check passes or does not apply.</summary>
    public string? Fix { get; init; }

    public override string ToString() => $"[{Outcome}] {Check}: {Detail}";
}

/// <summary>The fix of each check, in the platform's words (the ECS inspector gives aws ecs / aws elbv2 commands).</summary>
public sealed record ResilienceFixes
{
    public string CircuitBreaker { get; init; } = "";

    public string DeploymentPercents { get; init; } = "";

    public string DesiredCount { get; init; } = "";

    public string AvailabilityZones { get; init; } = "";

    public string GracePeriod { get; init; } = "";

    public string HealthCheckPath { get; init; } = "";

    public string ContainerHealthCheck { get; init; } = "";

    public string DeregistrationDelay { get; init; } = "";
}

/// <summary>
/// What the resilience checks need, in no platform's types: a null member is a setting the platform does not have (the
/// check is NotApplicable), an empty list one that could not be read. The ECS inspector fills it from a service; the
/// Lightsail one can from a container service.
/// </summary>
public sealed record ResilienceFacts
{
    public int DesiredCount { get; init; }

    public int? MinimumHealthyPercent { get; init; }

    public int? MaximumPercent { get; init; }

    /// <summary>Null when the platform has no circuit breaker.</summary>
    public bool? CircuitBreakerEnabled { get; init; }

    public bool? CircuitBreakerRollback { get; init; }

    /// <summary>What one copy of the application is called on the platform: an ECS task, a Lightsail node.</summary>
    public string ReplicaNoun { get; init; } = "task";

    /// <summary>False when the platform places the copies in zones itself (Lightsail): the zones check does not apply.</summary>
    public bool ZonesChosen { get; init; } = true;

    /// <summary>The availability zones the tasks may run in; null when they could not be read.</summary>
    public IReadOnlyList<string>? AvailabilityZones { get; init; }

    /// <summary>True when a load balancer health-checks the tasks (the grace period, health path and deregistration delay apply).</summary>
    public bool LoadBalanced { get; init; }

    public int? HealthCheckGracePeriodSeconds { get; init; }

    /// <summary>Seconds the application took to start, observed in its log; null when not observed.</summary>
    public double? ObservedStartupSeconds { get; init; }

    /// <summary>Where the startup was observed (which task, which line), for the detail.</summary>
    public string? StartupObservedIn { get; init; }

    public int? HealthCheckIntervalSeconds { get; init; }

    public int? UnhealthyThreshold { get; init; }

    /// <summary>The load balancer's health-check paths.</summary>
    public IReadOnlyList<string> HealthCheckPaths { get; init; } = Array.Empty<string>();

    /// <summary>The application's deep (readiness) path from the settings, when one is configured: any other path is liveness only.</summary>
    public string? ReadyPath { get; init; }

    /// <summary>Null when the platform has no container health check.</summary>
    public bool? ContainerHealthCheck { get; init; }

    public int? DeregistrationDelaySeconds { get; init; }

    public ResilienceFixes Fixes { get; init; } = new();
}

/// <summary>
/// Runbook 002 "Gradual rollout" and runbook 003 (scale 1, shallow health checks) as rules: circuit breaker with
/// rollback, minimumHealthyPercent and maximumPercent, at least two tasks, at least two availability zones, a health-check
/// grace period that covers the observed startup, a health path deeper than liveness, a container health check, and a
/// deregistration delay that neither cuts requests nor stalls rollouts. Pure.
/// </summary>
public static class ResilienceClassifier
{
    public const string CircuitBreakerCheck = "Circuit breaker";
    public const string DeploymentPercentsCheck = "Minimum healthy and maximum percent";
    public const string DesiredCountCheck = "Desired count";
    public const string AvailabilityZonesCheck = "Availability zones";
    public const string GracePeriodCheck = "Health check grace period";
    public const string HealthCheckPathCheck = "Deep health check";
    public const string ContainerHealthCheckCheck = "Container health check";
    public const string DeregistrationDelayCheck = "Deregistration delay";

    private const string NotHealthChecked = "No load balancer or public endpoint health-checks the service";

    public static IReadOnlyList<ResilienceFinding> Classify(ResilienceFacts facts) => new[]
    {
        CircuitBreaker(facts),
        DeploymentPercents(facts),
        DesiredCount(facts),
        AvailabilityZones(facts),
        GracePeriod(facts),
        HealthCheckPath(facts),
        ContainerHealthCheck(facts),
        DeregistrationDelay(facts),
    };

    private static ResilienceFinding CircuitBreaker(ResilienceFacts facts) => facts.CircuitBreakerEnabled switch
    {
        null => Finding(CircuitBreakerCheck, FindingOutcome.NotApplicable, "The platform has no deployment circuit breaker"),
        false => Finding(CircuitBreakerCheck, FindingOutcome.Fail,
            "The deployment circuit breaker is off: a rollout whose tasks keep failing never stops, and nothing rolls it back", facts.Fixes.CircuitBreaker),
        true when facts.CircuitBreakerRollback != true => Finding(CircuitBreakerCheck, FindingOutcome.Warning,
            "The circuit breaker fails a bad rollout but does not roll back: the service stays on the failed revision", facts.Fixes.CircuitBreaker),
        _ => Finding(CircuitBreakerCheck, FindingOutcome.Pass, "The circuit breaker is on, with rollback"),
    };

    private static ResilienceFinding DeploymentPercents(ResilienceFacts facts)
    {
        if (facts.MinimumHealthyPercent is not { } minimum || facts.MaximumPercent is not { } maximum)
        {
            return Finding(DeploymentPercentsCheck, FindingOutcome.NotApplicable, "The platform has no rolling-update percents");
        }

        var detail = string.Format(CultureInfo.InvariantCulture, "minimumHealthyPercent {0}, maximumPercent {1} (desired {2})", minimum, maximum, facts.DesiredCount);
        var floor = (int)Math.Ceiling(facts.DesiredCount * minimum / 100.0);
        var ceiling = facts.DesiredCount * maximum / 100;
        if (ceiling <= facts.DesiredCount && floor >= facts.DesiredCount)
        {
            return Finding(DeploymentPercentsCheck, FindingOutcome.Fail,
                $"{detail}: a deployment can neither start a new task nor stop an old one, so it cannot proceed", facts.Fixes.DeploymentPercents);
        }

        if (floor == 0 && facts.DesiredCount > 0)
        {
            return Finding(DeploymentPercentsCheck, FindingOutcome.Fail, $"{detail}: a deployment may stop every running task before new ones are healthy (an outage)",
                facts.Fixes.DeploymentPercents);
        }

        if (minimum < 50 || maximum < 150)
        {
            return Finding(DeploymentPercentsCheck, FindingOutcome.Warning,
                $"{detail}: {(minimum < 50 ? $"capacity drops to {floor} task(s) during a deployment" : "a deployment replaces tasks a few at a time")}; runbook 002 uses 50 and 200",
                facts.Fixes.DeploymentPercents);
        }

        return Finding(DeploymentPercentsCheck, FindingOutcome.Pass, $"{detail}: at least {floor} task(s) stay healthy while up to {ceiling} run");
    }

    private static ResilienceFinding DesiredCount(ResilienceFacts facts) => facts.DesiredCount >= 2
        ? Finding(DesiredCountCheck, FindingOutcome.Pass, $"{facts.DesiredCount} {facts.ReplicaNoun}s: one can fail or be replaced while the others serve")
        : Finding(DesiredCountCheck, FindingOutcome.Fail, $"{facts.DesiredCount} {facts.ReplicaNoun}(s): when it stops, nothing serves (runbook 003: scale to 2)", facts.Fixes.DesiredCount);

    private static ResilienceFinding AvailabilityZones(ResilienceFacts facts)
    {
        if (!facts.ZonesChosen)
        {
            return Finding(AvailabilityZonesCheck, FindingOutcome.NotApplicable, "The platform places the service's nodes in availability zones itself");
        }

        if (facts.AvailabilityZones is not { } zones)
        {
            return Finding(AvailabilityZonesCheck, FindingOutcome.Unknown, "The subnets' availability zones could not be read");
        }

        var distinct = zones.Distinct(StringComparer.Ordinal).OrderBy(z => z, StringComparer.Ordinal).ToList();
        return distinct.Count >= 2
            ? Finding(AvailabilityZonesCheck, FindingOutcome.Pass, $"Tasks may run in {string.Join(", ", distinct)}")
            : Finding(AvailabilityZonesCheck, FindingOutcome.Fail,
                $"Tasks run only in {(distinct.Count == 0 ? "no zone" : distinct[0])}: an availability zone outage takes the service down", facts.Fixes.AvailabilityZones);
    }

    private static ResilienceFinding GracePeriod(ResilienceFacts facts)
    {
        if (!facts.LoadBalanced || facts.HealthCheckGracePeriodSeconds is not { } grace)
        {
            return Finding(GracePeriodCheck, FindingOutcome.NotApplicable, facts.LoadBalanced ? "The platform has no health-check grace period" : NotHealthChecked);
        }

        if (facts.ObservedStartupSeconds is not { } startup)
        {
            return Finding(GracePeriodCheck, FindingOutcome.Unknown,
                $"Grace period {grace} s; no running task's log shows when the application became ready, so it cannot be compared with the startup time");
        }

        var tolerance = (facts.HealthCheckIntervalSeconds ?? 30) * (facts.UnhealthyThreshold ?? 2);
        var detail = string.Format(CultureInfo.InvariantCulture, "Grace period {0} s; the application took {1:0.#} s to start{2}", grace, startup,
            facts.StartupObservedIn is null ? "" : $" ({facts.StartupObservedIn})");
        if (grace + tolerance < startup)
        {
            return Finding(GracePeriodCheck, FindingOutcome.Fail,
                $"{detail}: health checks mark a new task unhealthy ({tolerance} s of failures) before it can answer, so ECS replaces it again and again", facts.Fixes.GracePeriod);
        }

        return grace < startup
            ? Finding(GracePeriodCheck, FindingOutcome.Warning, $"{detail}: only the health checks' {tolerance} s of tolerance covers the rest; a slower start fails", facts.Fixes.GracePeriod)
            : Finding(GracePeriodCheck, FindingOutcome.Pass, $"{detail}: the grace period covers it");
    }

    private static ResilienceFinding HealthCheckPath(ResilienceFacts facts)
    {
        if (!facts.LoadBalanced || facts.HealthCheckPaths.Count == 0)
        {
            return Finding(HealthCheckPathCheck, FindingOutcome.NotApplicable, NotHealthChecked);
        }

        var shallow = facts.HealthCheckPaths.Where(p => HealthPaths.IsLivenessOnly(p, facts.ReadyPath)).ToList();
        return shallow.Count > 0
            ? Finding(HealthCheckPathCheck, FindingOutcome.Warning,
                $"The health check requests {string.Join(", ", shallow)}, which only says the process is up: a task that started but cannot serve (no database, never listening) still passes (runbook 003)",
                facts.Fixes.HealthCheckPath)
            : Finding(HealthCheckPathCheck, FindingOutcome.Pass, $"The health check requests {string.Join(", ", facts.HealthCheckPaths)}");
    }

    private static ResilienceFinding ContainerHealthCheck(ResilienceFacts facts) => facts.ContainerHealthCheck switch
    {
        null => Finding(ContainerHealthCheckCheck, FindingOutcome.NotApplicable, "The platform has no container health check"),
        true => Finding(ContainerHealthCheckCheck, FindingOutcome.Pass, "The essential container has a health check"),
        false => Finding(ContainerHealthCheckCheck, FindingOutcome.Warning,
            "No container health check: ECS only learns a task is broken from the load balancer, or not at all without one", facts.Fixes.ContainerHealthCheck),
    };

    private static ResilienceFinding DeregistrationDelay(ResilienceFacts facts)
    {
        if (!facts.LoadBalanced || facts.DeregistrationDelaySeconds is not { } delay)
        {
            return Finding(DeregistrationDelayCheck, FindingOutcome.NotApplicable, facts.LoadBalanced ? "The platform has no deregistration delay" : "No load balancer drains the tasks");
        }

        return delay switch
        {
            < 5 => Finding(DeregistrationDelayCheck, FindingOutcome.Warning, $"Deregistration delay {delay} s: requests in flight are cut when a task stops", facts.Fixes.DeregistrationDelay),
            > 120 => Finding(DeregistrationDelayCheck, FindingOutcome.Warning,
                $"Deregistration delay {delay} s: every task a deployment or rollback replaces waits that long before it stops", facts.Fixes.DeregistrationDelay),
            _ => Finding(DeregistrationDelayCheck, FindingOutcome.Pass, $"Deregistration delay {delay} s"),
        };
    }

    private static ResilienceFinding Finding(string check, FindingOutcome outcome, string detail, string? fix = null) =>
        new() { Check = check, OutcomeKind = outcome, Detail = detail, Fix = outcome is FindingOutcome.Pass or FindingOutcome.NotApplicable ? null : fix };
}
