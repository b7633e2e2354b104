using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws.Ecs;
using DeployOps.Endpoints;

namespace DeployOps.Health;

/// <summary>The line from a stopped task's application log that explains why it stopped.</summary>
public sealed record LogFinding(string LogGroup, string LogStream, string Line);

/// <summary>
/// Everything the inspector learned about one service: the classifier's input. Gathered in two
/// rounds: the facts every inspection reads, then (only when the first round points there) the
/// stopped tasks, their logs, the security groups and the task definition's port mappings.
/// </summary>
public sealed class ServiceFacts
{
    public ServiceFacts(string cluster, EcsService service, IReadOnlyList<TargetGroupHealth> targetGroups, ServiceExpectation expectation)
    {
        Cluster = cluster;
        Service = service;
        TargetGroups = targetGroups;
        Expectation = expectation;
    }

    /// <summary>The cluster's name.</summary>
    public string Cluster { get; }

    public EcsService Service { get; }

    public IReadOnlyList<TargetGroupHealth> TargetGroups { get; }

    public ServiceExpectation Expectation { get; }

    /// <summary>The caller's identity (runbook prerequisites), or why it could not be read.</summary>
    public string? Identity { get; set; }

    public string? IdentityProblem { get; set; }

    /// <summary>Tasks of the service's current deployments that stopped, newest first.</summary>
    public IReadOnlyList<StoppedTaskInfo> StoppedTasks { get; set; } = Array.Empty<StoppedTaskInfo>();

    public LogFinding? ApplicationLog { get; set; }

    /// <summary>Why the load balancer cannot reach the tasks, per the security groups (empty when they allow it or were not read).</summary>
    public IReadOnlyList<string> NetworkFindings { get; set; } = Array.Empty<string>();

    /// <summary>How the service's load balancer mapping disagrees with the task definition, if it does.</summary>
    public string? PortMappingFinding { get; set; }

    public EndpointTestResult? Endpoint { get; set; }

    /// <summary>Facts that could not be read (e.g. throttled out), so the report can say what it lacks.</summary>
    public List<string> Gaps { get; } = new();

    public EcsDeployment? Primary => Service.Deployments.FirstOrDefault(d => d.Status == "PRIMARY");

    /// <summary>Registered targets (not draining) across the service's target groups.</summary>
    public IEnumerable<TargetHealthInfo> ActiveTargets => TargetGroups.SelectMany(g => g.Targets).Where(t => t.State != "draining");

    /// <summary>Stops that mean the application failed: failed to start, exited non-zero, killed.</summary>
    public IEnumerable<StoppedTaskInfo> FailureStops => StoppedTasks.Where(IsApplicationFailure);

    public static bool IsApplicationFailure(StoppedTaskInfo task) =>
        task.StopCode == "TaskFailedToStart" ||
        (task.StopCode == "EssentialContainerExited" && (task.ExitCode is not null and not 0 || task.ContainerReason is not null));

    /// <summary>True when the first round suggests tasks are failing: worth reading stopped tasks and logs.</summary>
    public bool SuggestsFailingTasks =>
        Primary is { } primary &&
        (primary.RolloutState == "FAILED" || Service.Deployments.Any(d => d.FailedTasks > 0) ||
         (Service.DesiredCount > 0 && Service.RunningCount == 0));

    /// <summary>Targets the load balancer cannot reach (timeouts, refused connections): worth reading the security groups.</summary>
    public IEnumerable<TargetHealthInfo> UnreachableTargets => ActiveTargets.Where(t => t.Reason is "Target.Timeout" or "Target.FailedHealthChecks");

    /// <summary>True when tasks run but a target group has nothing registered: worth comparing the port mapping with the task definition.</summary>
    public bool SuggestsMissingTargets =>
        Service.RunningCount > 0 && TargetGroups.Any(g => g.Targets.All(t => t.State == "draining"));
}
