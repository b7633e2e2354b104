using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using DeployOps.Aws.Ecs;

namespace DeployOps.Deployments;

/// <summary>What a service event says about a deployment.</summary>
public enum DeploymentEventKind
{
    /// <summary>"(deployment ecs-svc/...) deployment completed."</summary>
    Completed,

    /// <summary>"(deployment ecs-svc/...) deployment failed: tasks failed to start." (the circuit breaker).</summary>
    Failed,

    /// <summary>"rolling back to deployment ecs-svc/..." (the circuit breaker's rollback).</summary>
    RollingBack,
}

/// <summary>One deployment event: which deployment, what happened, when, and the rest of the message (the failure's reason).</summary>
public sealed record DeploymentEvent(DeploymentEventKind Kind, string DeploymentId, DateTimeOffset? At, string Detail);

/// <summary>
/// Reads ECS's service events about deployments, the one place their wording is known. Events are kept for the newest
/// 100 (and ECS omits repeats), so what they say is what is still visible.
/// </summary>
public static class DeploymentEvents
{
    private static readonly Regex Completed = new(@"\(?deployment (?<id>ecs-svc/\d+)\)? deployment completed", RegexOptions.CultureInvariant);
    private static readonly Regex Failed = new(@"\(?deployment (?<id>ecs-svc/\d+)\)? deployment failed:?\s*(?<why>.*)$", RegexOptions.CultureInvariant);
    private static readonly Regex RollingBack = new(@"rolling back to deployment (?<id>ecs-svc/\d+)", RegexOptions.CultureInvariant);
    private static readonly Regex RollbackReason = new(@"rolling back to deploymentId (?<id>ecs-svc/\d+)", RegexOptions.CultureInvariant);

    /// <summary>The deployment events among <paramref name="events"/>, newest first as ECS lists them.</summary>
    public static IReadOnlyList<DeploymentEvent> Read(IEnumerable<EcsServiceEvent> events) =>
        events.Select(Parse).Where(e => e is not null).Select(e => e!).ToList();

    /// <summary>The deployment a rollout's reason says it rolls back to ("ECS deployment circuit breaker: rolling back to deploymentId ..."), or null.</summary>
    public static string? RollbackTargetOf(EcsDeployment deployment) =>
        deployment.RolloutStateReason is { } reason && RollbackReason.Match(reason) is { Success: true } match ? match.Groups["id"].Value : null;

    private static DeploymentEvent? Parse(EcsServiceEvent e)
    {
        if (Completed.Match(e.Message) is { Success: true } completed)
        {
            return new DeploymentEvent(DeploymentEventKind.Completed, completed.Groups["id"].Value, e.CreatedAt, "");
        }

        if (Failed.Match(e.Message) is { Success: true } failed)
        {
            return new DeploymentEvent(DeploymentEventKind.Failed, failed.Groups["id"].Value, e.CreatedAt, failed.Groups["why"].Value.Trim().TrimEnd('.'));
        }

        return RollingBack.Match(e.Message) is { Success: true } back
            ? new DeploymentEvent(DeploymentEventKind.RollingBack, back.Groups["id"].Value, e.CreatedAt, "")
            : null;
    }
}
