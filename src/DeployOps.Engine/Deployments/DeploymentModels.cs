using System;
using System.Collections.Generic;
using DeployOps.Errors;
using DeployOps.Operations;

namespace DeployOps.Deployments;

/// <summary>A deployment DeployOps started (Restart-EcsService, Repair-TargetGroupHealthCheck -Redeploy); pipes into Wait-EcsDeployment.</summary>
public sealed class EcsDeploymentStart
{
    public string Cluster { get; init; } = "";

    public string Service { get; init; } = "";

    public string DeploymentId { get; init; } = "";

    public string TaskDefinition { get; init; } = "";

    public DateTimeOffset StartedAt { get; init; }

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    public override string ToString() => $"{Cluster}/{Service} {DeploymentId}";
}

/// <summary>How a wait for a rollout ended.</summary>
public enum DeploymentWaitOutcome
{
    /// <summary>The PRIMARY deployment is COMPLETED, running equals desired, its targets are healthy.</summary>
    Completed,

    /// <summary>The rollout turned FAILED.</summary>
    Failed,

    /// <summary>The circuit breaker rolled back: the PRIMARY deployment is no longer the one waited for.</summary>
    RolledBack,

    /// <summary>The deployment's tasks keep stopping for the same reason.</summary>
    TasksFailing,

    /// <summary>The timeout passed first.</summary>
    TimedOut,
}

/// <summary>The result of Wait-EcsDeployment for one service.</summary>
public sealed class DeploymentWaitResult
{
    public string Cluster { get; init; } = "";

    public string Service { get; init; } = "";

    public string DeploymentId { get; init; } = "";

    public string TaskDefinition { get; init; } = "";

    /// <summary>A <see cref="DeploymentWaitOutcome"/> name, e.g. Completed or RolledBack (text, so JSON and CSV show the name).</summary>
    public string Outcome => OutcomeKind.ToString();

    internal DeploymentWaitOutcome OutcomeKind { get; init; }

    public bool Succeeded => OutcomeKind == DeploymentWaitOutcome.Completed;

    /// <summary>Why the wait ended, in words.</summary>
    public string Reason { get; init; } = "";

    public string? RolloutState { get; init; }

    public int RunningCount { get; init; }

    public int DesiredCount { get; init; }

    public int HealthyTargets { get; init; }

    /// <summary>The reasons tasks of the deployment stopped with, most frequent first.</summary>
    public PrintableList<string> StoppedReasons { get; init; } = PrintableList<string>.Empty;

    public string? LastEvent { get; init; }

    public TimeSpan Elapsed { get; init; }

    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>The deployment journal the completed rollout was recorded in as verified; null when it was not recorded.</summary>
    public string? VerifiedIn { get; internal set; }

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    public override string ToString() => $"{Cluster}/{Service} {Outcome}: {Reason}";

    /// <summary>What a wait writes: this result, then the error saying why when the rollout did not complete.</summary>
    public IReadOnlyList<ItemOutcome<object>> Outcomes() => ToError() is { } error
        ? new[] { ItemOutcome<object>.Success(this), ItemOutcome<object>.Failure(error) }
        : new[] { ItemOutcome<object>.Success(this) };

    /// <summary>The error to report when the wait did not end in a completed rollout (null when it did).</summary>
    public DeployOpsError? ToError()
    {
        var target = $"{Cluster}/{Service}";
        return OutcomeKind switch
        {
            DeploymentWaitOutcome.Failed => new DeployOpsError(ErrorIds.DeploymentFailed, DeployOpsErrorKind.DeploymentFailed, $"Deployment {DeploymentId} of {target} failed: {Reason}", target)
            {
                RecommendedAction = "Get-DeploymentHealth shows why (runbook 000 step 2).",
            },
            DeploymentWaitOutcome.RolledBack => new DeployOpsError(ErrorIds.DeploymentRolledBack, DeployOpsErrorKind.DeploymentFailed, $"Deployment {DeploymentId} of {target} did not stay: {Reason}", target)
            {
                RecommendedAction = "Get-DeploymentHealth shows why the new tasks failed (runbook 000 step 2).",
            },
            DeploymentWaitOutcome.TasksFailing => new DeployOpsError(ErrorIds.TasksFailing, DeployOpsErrorKind.DeploymentFailed, $"Tasks of deployment {DeploymentId} of {target} keep stopping: {Reason}", target)
            {
                RecommendedAction = "Runbook 000 step 3B: fix what stops the tasks, then Restart-EcsService -Wait.",
            },
            DeploymentWaitOutcome.TimedOut => new DeployOpsError(ErrorIds.DeploymentWaitTimedOut, DeployOpsErrorKind.OperationTimeout, $"Deployment {DeploymentId} of {target} did not finish in {Elapsed.TotalSeconds:0} s: {Reason}", target),
            _ => null,
        };
    }
}

/// <summary>A target group's health-check settings before and after a repair: what the plan proposes and the change records.</summary>
public abstract class TargetGroupHealthCheckDifference
{
    protected TargetGroupHealthCheckDifference()
    {
    }

    /// <summary>The same group and settings as <paramref name="other"/> (a change made from its plan).</summary>
    protected TargetGroupHealthCheckDifference(TargetGroupHealthCheckDifference other)
    {
        TargetGroupArn = other.TargetGroupArn;
        TargetGroupName = other.TargetGroupName;
        OldHealthCheckPath = other.OldHealthCheckPath;
        NewHealthCheckPath = other.NewHealthCheckPath;
        OldMatcher = other.OldMatcher;
        NewMatcher = other.NewMatcher;
    }

    public string TargetGroupArn { get; init; } = "";

    public string TargetGroupName { get; init; } = "";

    public string OldHealthCheckPath { get; init; } = "";

    public string NewHealthCheckPath { get; init; } = "";

    public string OldMatcher { get; init; } = "";

    public string NewMatcher { get; init; } = "";

    /// <summary>True when the new settings differ from the old (protected: the change says it as Changed, the plan as NeedsChange).</summary>
    protected bool Differs => OldHealthCheckPath != NewHealthCheckPath || OldMatcher != NewMatcher;
}

/// <summary>A health-check change made by Repair-TargetGroupHealthCheck (runbook 000 step 3A).</summary>
public sealed class TargetGroupHealthCheckChange : TargetGroupHealthCheckDifference
{
    public TargetGroupHealthCheckChange()
    {
    }

    /// <summary>The change carried out for <paramref name="plan"/>.</summary>
    public TargetGroupHealthCheckChange(HealthCheckRepairPlan plan)
        : base(plan)
    {
    }

    /// <summary>False when the group already had these settings (nothing was sent).</summary>
    public bool Changed { get; init; }

    /// <summary>Deployments forced with -Redeploy.</summary>
    public PrintableList<EcsDeploymentStart> Redeployments { get; init; } = PrintableList<EcsDeploymentStart>.Empty;

    public DateTimeOffset ChangedAt { get; init; }

    public override string ToString() => $"{TargetGroupName}: {OldHealthCheckPath} ({OldMatcher}) -> {NewHealthCheckPath} ({NewMatcher})";
}
