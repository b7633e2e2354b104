using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws.Ecs;
using DeployOps.Aws.ElasticLoadBalancing;
using DeployOps.Deployments;
using DeployOps.Endpoints;
using DeployOps.Facts;
using DeployOps.Networking;
using DeployOps.Verification;

namespace DeployOps.Health;

/// <summary>
/// The circuit breaker rolled the service back: the deployment that failed, the revision it ran (null when no visible task
/// says), why its tasks stopped, and the rollback deployment that runs the earlier revision now.
/// </summary>
public sealed record RollbackFinding(CircuitBreakerRollback Rollback, string? FailedTaskDefinition, string? StopReason);

/// <summary>The line from a stopped task's application log that explains why it stopped (already redacted).</summary>
public sealed record LogFinding(string LogGroup, string LogStream, string Line);

/// <summary>The last lines of one task's log stream, oldest first (already redacted).</summary>
public sealed record LogExcerpt(string LogGroup, string LogStream, IReadOnlyList<string> Lines);

/// <summary>
/// Everything the readers learned about one service: the classifier's input. Gathered in two rounds: the facts every
/// inspection reads (the service, its target groups and their health, the caller's identity), then, only where the
/// first round points, the stopped tasks and their logs, the security groups and the task definition's port mappings.
/// What could not be read is a <see cref="Gap"/>; a service with gaps is never reported Healthy.
/// </summary>
public sealed class ServiceFacts
{
    private readonly List<Gap> _gaps = new();

    public ServiceFacts(string cluster, EcsService service, IReadOnlyList<TargetGroupHealth> targetGroups, ServiceExpectation expectation)
    {
        Cluster = cluster;
        Service = service;
        TargetGroups = targetGroups;
        Expectation = expectation;
    }

    /// <summary>A service's first facts from its target groups' readings: the groups read, the ones deleted, and the gaps.</summary>
    public static ServiceFacts From(string cluster, EcsService service, IReadOnlyList<TargetGroupReading> targetGroups, ServiceExpectation expectation)
    {
        var facts = new ServiceFacts(cluster, service, targetGroups.Select(g => g.Health).Where(g => g is not null).Select(g => g!).ToList(), expectation)
        {
            MissingTargetGroups = targetGroups.Where(g => g.Group.Absent).Select(g => g.Arn).ToList(),
        };
        foreach (var gap in targetGroups.SelectMany(g => g.Gaps))
        {
            facts.AddGap(gap);
        }

        return facts;
    }

    /// <summary>The cluster's name.</summary>
    public string Cluster { get; }

    public EcsService Service { get; }

    /// <summary>The service's target groups whose settings and targets were both read.</summary>
    public IReadOnlyList<TargetGroupHealth> TargetGroups { get; }

    /// <summary>Target groups the service's load balancer mapping names but that no longer exist (their ARNs).</summary>
    public IReadOnlyList<string> MissingTargetGroups { get; init; } = Array.Empty<string>();

    public ServiceExpectation Expectation { get; }

    /// <summary>The caller's identity (runbook prerequisites), or why it could not be read.</summary>
    public string? Identity { get; set; }

    public string? IdentityProblem { get; set; }

    /// <summary>Tasks of the service's current deployments that stopped, newest first.</summary>
    public IReadOnlyList<EcsTask> StoppedTasks { get; set; } = Array.Empty<EcsTask>();

    public LogFinding? ApplicationLog { get; set; }

    /// <summary>Why the load balancer cannot reach the tasks, per the security groups (empty when they allow it or were not read).</summary>
    public IReadOnlyList<string> NetworkFindings { get; set; } = Array.Empty<string>();

    /// <summary>The hops of the tasks' network path, when the first round pointed at the network (empty otherwise).</summary>
    public IReadOnlyList<NetworkHop> NetworkPath { get; set; } = Array.Empty<NetworkHop>();

    /// <summary>The hops of <see cref="NetworkPath"/> that fail.</summary>
    public IEnumerable<NetworkHop> FailingHops => NetworkPath.Where(h => h.OutcomeKind == HopOutcome.Fail);

    /// <summary>The circuit breaker's rollback the PRIMARY deployment is, or null.</summary>
    public RollbackFinding? Rollback { get; set; }

    /// <summary>How the service's load balancer mapping disagrees with the task definition, if it does.</summary>
    public string? PortMappingFinding { get; set; }

    public EndpointTestResult? Endpoint { get; set; }

    /// <summary>The startup of each running task, when the expectation names startup phases (empty otherwise).</summary>
    public IReadOnlyList<StartupSequenceResult> Startups { get; set; } = Array.Empty<StartupSequenceResult>();

    /// <summary>Running tasks that started but never logged every phase (or nothing at all) in time: category B even while health checks pass.</summary>
    public IEnumerable<StartupSequenceResult> IncompleteStartups => Startups.Where(s => !s.Passed && s.StatusKind != StartupStatus.Starting);

    /// <summary>True when startup phases are known and the service runs tasks: worth reading their logs.</summary>
    public bool SuggestsStartupCheck => Expectation.StartupPhases.Count > 0 && Service.RunningCount > 0;

    /// <summary>The names of the load balancers in front of the service whose 5xx figures were read; empty when none was (or it has none).</summary>
    public IReadOnlyList<string> LoadBalancersChecked { get; set; } = Array.Empty<string>();

    /// <summary>Why users of the service's load balancers get 502, 503 or 504 (Get-LoadBalancerHealth's causes), already redacted.</summary>
    public IReadOnlyList<LoadBalancers.LoadBalancerCause> LoadBalancerCauses { get; set; } = Array.Empty<LoadBalancers.LoadBalancerCause>();

    /// <summary>Facts that could not be read: the verdict is incomplete.</summary>
    public IReadOnlyList<Gap> Gaps
    {
        get
        {
            lock (_gaps)
            {
                return _gaps.ToList();
            }
        }
    }

    /// <summary>True when every fact was read.</summary>
    public bool Complete => Gaps.Count == 0;

    public EcsDeployment? Primary => Service.Primary;

    /// <summary>Registered targets (not draining) across the service's target groups.</summary>
    public IEnumerable<TargetHealthInfo> ActiveTargets => TargetGroups.SelectMany(g => g.Targets).Where(t => t.State != ElbTargetState.Draining);

    /// <summary>Stops that mean the application failed: failed to start, exited non-zero, killed.</summary>
    public IEnumerable<EcsTask> FailureStops => StoppedTasks.Where(t => t.StoppedByApplicationFailure);

    /// <summary>
    /// True when the first round suggests tasks are failing: worth reading stopped tasks and logs. An empty target group
    /// while tasks run counts too: tasks that crash after starting (out of memory, a crash loop) leave it empty between
    /// a kill and the next registration, and ECS's failed-task count only counts tasks that never started.
    /// </summary>
    public bool SuggestsFailingTasks =>
        Primary is { } primary &&
        (primary.RolloutFailed || Service.Deployments.Any(d => d.FailedTasks > 0) || (Service.DesiredCount > 0 && Service.RunningCount == 0) || SuggestsMissingTargets);

    /// <summary>Targets the load balancer cannot reach (timeouts, refused connections): worth reading the security groups.</summary>
    public IEnumerable<TargetHealthInfo> UnreachableTargets => ActiveTargets.Where(t => t.Reason is ElbTargetReason.Timeout or ElbTargetReason.FailedHealthChecks);

    /// <summary>
    /// True when the first round points at the network: targets the load balancer cannot reach, tasks that stopped on a
    /// network timeout (an image pull, a secret), or a deployment that cannot place tasks (no free IP address).
    /// </summary>
    public bool SuggestsNetworkPath =>
        (Service.RunningCount > 0 && UnreachableTargets.Any()) ||
        FailureStops.Any(t => t.StoppedReason?.Contains("i/o timeout") == true) ||
        Service.Events.Take(5).Any(e => e.Message.Contains("unable to place a task"));

    /// <summary>True when tasks run but a target group has nothing registered: worth comparing the port mapping with the task definition.</summary>
    public bool SuggestsMissingTargets =>
        Service.RunningCount > 0 && TargetGroups.Any(g => g.Targets.All(t => t.State == ElbTargetState.Draining));

    /// <summary>Records that something could not be read (thread-safe: second-round reads run concurrently).</summary>
    public void AddGap(Gap gap)
    {
        lock (_gaps)
        {
            _gaps.Add(gap);
        }
    }

    /// <summary>Keeps a fact's value with <paramref name="keep"/>, or its gap; an absent fact keeps nothing.</summary>
    public void Absorb<T>(Fact<T> fact, Action<T> keep)
    {
        if (fact.IsRead)
        {
            keep(fact.Value);
        }
        else if (fact.Gap is { } gap)
        {
            AddGap(gap);
        }
    }
}
