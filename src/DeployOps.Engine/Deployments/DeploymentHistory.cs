using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws;
using DeployOps.Aws.Ecs;

namespace DeployOps.Deployments;

/// <summary>How a deployment of a service ended (or has not yet).</summary>
public enum DeploymentOutcome
{
    /// <summary>The PRIMARY deployment, still rolling out.</summary>
    InProgress,

    /// <summary>It reached COMPLETED.</summary>
    Completed,

    /// <summary>The circuit breaker (or ECS) ended it FAILED, without rolling back.</summary>
    Failed,

    /// <summary>It FAILED and the circuit breaker rolled the service back to the deployment before it.</summary>
    RolledBack,

    /// <summary>A newer deployment replaced it before it completed (a person's rollback or redeploy).</summary>
    Replaced,
}

/// <summary>One deployment of a service as far as ECS still shows it: its deployments, events and tasks.</summary>
public sealed class DeploymentRecord
{
    public string DeploymentId { get; init; } = "";

    /// <summary>The task definition it deployed (ARN), or null when nothing still visible says.</summary>
    public string? TaskDefinition { get; init; }

    /// <summary>A <see cref="DeploymentOutcome"/> name: InProgress, Completed, Failed, RolledBack or Replaced.</summary>
    public string Outcome => OutcomeKind.ToString();

    internal DeploymentOutcome OutcomeKind { get; init; }

    /// <summary>Why it failed (the circuit breaker's words), when it did.</summary>
    public string? Reason { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>True for the service's PRIMARY deployment.</summary>
    public bool Current { get; init; }

    /// <summary>True when the circuit breaker started it to roll back.</summary>
    public bool StartedByCircuitBreaker { get; init; }

    public override string ToString() => $"{DeploymentId} {Outcome}" + (StartedByCircuitBreaker ? " (circuit breaker rollback)" : "");
}

/// <summary>
/// A service's PRIMARY deployment is the circuit breaker's rollback: which deployment failed, why, and which deployment it
/// went back to. Seen from the service alone (its deployments and events).
/// </summary>
/// <param name="FailedDeploymentId">The deployment the breaker failed.</param>
/// <param name="Reason">The breaker's words, e.g. "tasks failed to start".</param>
/// <param name="RestoredDeploymentId">The deployment it rolled back to (the last COMPLETED one).</param>
/// <param name="Rollback">The rollback deployment (the PRIMARY).</param>
/// <param name="At">When the breaker tripped.</param>
public sealed record CircuitBreakerRollback(string FailedDeploymentId, string Reason, string? RestoredDeploymentId, EcsDeployment Rollback, DateTimeOffset? At)
{
    /// <summary>How far apart the breaker's events and its rollback deployment may be and still belong together (ECS makes them in the same moment).</summary>
    private static readonly TimeSpan SameMoment = TimeSpan.FromSeconds(5);

    /// <summary>True once the rollback deployment is COMPLETED.</summary>
    public bool Completed => Rollback.RolloutState == EcsRolloutState.Completed;

    /// <summary>
    /// The rollback the PRIMARY deployment is, or null: its rollout reason says "rolling back to deploymentId ...", or the
    /// newest "rolling back to deployment ..." event came when it was created. The failed deployment is the one the newest
    /// "deployment failed" event at that moment names.
    /// </summary>
    public static CircuitBreakerRollback? Detect(EcsService service)
    {
        if (service.Primary is not { } primary)
        {
            return null;
        }

        var events = DeploymentEvents.Read(service.Events);
        var back = events.FirstOrDefault(e => e.Kind == DeploymentEventKind.RollingBack);
        var target = DeploymentEvents.RollbackTargetOf(primary);
        var byTime = back is not null && primary.CreatedAt is { } created && back.At is { } at && (created - at).Duration() <= SameMoment;
        if (target is null && !byTime)
        {
            return null;
        }

        var trippedAt = byTime ? back!.At : primary.CreatedAt;
        var failed = events.FirstOrDefault(e => e.Kind == DeploymentEventKind.Failed && (trippedAt is null || e.At is null || (e.At.Value - trippedAt.Value).Duration() <= SameMoment));
        return failed is null ? null : new CircuitBreakerRollback(failed.DeploymentId, failed.Detail, target ?? back?.DeploymentId, primary, trippedAt);
    }
}

/// <summary>
/// Puts a service's deployments together from what ECS still shows: the deployments it lists, the events about
/// deployments (the newest 100), and the tasks it still lists (stopped ones for about an hour), whose startedBy names the
/// deployment and whose task definition says what it ran. Pure.
/// </summary>
public static class DeploymentHistory
{
    private static readonly TimeSpan SameMoment = TimeSpan.FromSeconds(5);

    /// <summary>Every deployment seen, newest first.</summary>
    public static IReadOnlyList<DeploymentRecord> Assemble(EcsService service, IReadOnlyList<EcsTask> tasks)
    {
        var events = DeploymentEvents.Read(service.Events);
        var visible = service.Deployments.ToDictionary(d => d.Id, StringComparer.Ordinal);
        var byTasks = tasks.Where(t => t.StartedBy?.StartsWith("ecs-svc/", StringComparison.Ordinal) == true)
            .GroupBy(t => t.StartedBy!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var ids = visible.Keys.Concat(events.Select(e => e.DeploymentId)).Concat(byTasks.Keys).Distinct(StringComparer.Ordinal).ToList();

        string? TaskDefinitionOf(string id) =>
            visible.TryGetValue(id, out var deployment) ? deployment.TaskDefinition : byTasks.TryGetValue(id, out var own) ? own[0].TaskDefinitionArn : null;

        DateTimeOffset? StartOf(string id) =>
            visible.TryGetValue(id, out var deployment) && deployment.CreatedAt is not null ? deployment.CreatedAt
            : byTasks.TryGetValue(id, out var own) ? own.Min(t => t.CreatedAt)
            : events.Where(e => e.DeploymentId == id).Min(e => e.At);

        var records = ids.Select(id =>
        {
            var failed = events.FirstOrDefault(e => e.Kind == DeploymentEventKind.Failed && e.DeploymentId == id);
            visible.TryGetValue(id, out var deployment);
            var start = StartOf(id);
            var rolledBackAt = failed?.At;
            var rollback = deployment is not null && DeploymentEvents.RollbackTargetOf(deployment) is not null
                           || events.Any(e => e.Kind == DeploymentEventKind.RollingBack && start is not null && e.At is not null && (start.Value - e.At.Value).Duration() <= SameMoment
                                              && e.DeploymentId != id && TaskDefinitionOf(e.DeploymentId) is { } restored && restored == TaskDefinitionOf(id));
            var outcome = failed is not null || deployment?.RolloutFailed == true
                ? events.Any(e => e.Kind == DeploymentEventKind.RollingBack && (rolledBackAt is null || e.At is null || (e.At.Value - rolledBackAt.Value).Duration() <= SameMoment))
                    ? DeploymentOutcome.RolledBack
                    : DeploymentOutcome.Failed
                : events.Any(e => e.Kind == DeploymentEventKind.Completed && e.DeploymentId == id) || deployment?.RolloutState == EcsRolloutState.Completed
                    ? DeploymentOutcome.Completed
                    : deployment?.IsPrimary == true
                        ? DeploymentOutcome.InProgress
                        : DeploymentOutcome.Replaced;
            return new DeploymentRecord
            {
                DeploymentId = id,
                TaskDefinition = TaskDefinitionOf(id),
                OutcomeKind = outcome,
                Reason = failed?.Detail ?? (deployment?.RolloutFailed == true ? deployment.RolloutStateReason : null),
                StartedAt = start,
                Current = deployment?.IsPrimary == true,
                StartedByCircuitBreaker = rollback,
            };
        });
        return records.OrderByDescending(r => r.Current).ThenByDescending(r => r.StartedAt ?? DateTimeOffset.MinValue).ToList();
    }

    /// <summary>The deployments of one task definition (an ARN, or family:revision).</summary>
    public static IReadOnlyList<DeploymentRecord> Of(IEnumerable<DeploymentRecord> records, string taskDefinition) =>
        records.Where(r => r.TaskDefinition is { } arn && SameRevision(arn, taskDefinition)).ToList();

    /// <summary>True when two references (ARNs or family:revision) name the same revision.</summary>
    public static bool SameRevision(string a, string b) =>
        string.Equals(AwsArn.LastSegment(a), AwsArn.LastSegment(b), StringComparison.Ordinal);
}
