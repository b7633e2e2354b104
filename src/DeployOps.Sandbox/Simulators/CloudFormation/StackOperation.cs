using System;
using System.Collections.Generic;
using System.Linq;

namespace DeployOps.Sandbox.Simulators.CloudFormation;

/// <summary>What CloudFormation is doing to a stack.</summary>
public enum OperationKind
{
    Create,

    /// <summary>After a failed create: every resource made so far is deleted (ROLLBACK_IN_PROGRESS).</summary>
    CreateRollback,

    Delete,
    Update,

    /// <summary>After a successful update: removed and replaced resources are deleted (UPDATE_COMPLETE_CLEANUP_IN_PROGRESS).</summary>
    UpdateCleanup,

    /// <summary>After a failed or cancelled update: touched resources go back (UPDATE_ROLLBACK_IN_PROGRESS).</summary>
    UpdateRollback,

    /// <summary>After a rollback: what the update created is deleted (UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS).</summary>
    UpdateRollbackCleanup,
}

/// <summary>What one task does to its resource.</summary>
public enum TaskAction
{
    Create,

    /// <summary>An update task decides when it starts: nothing (unchanged), an in-place update, or a replacement.</summary>
    Change,
    Update,
    Replace,
    Delete,

    /// <summary>A rollback puts the resource back as it was before the update.</summary>
    Revert,

    /// <summary>ContinueUpdateRollback's ResourcesToSkip: marked UPDATE_COMPLETE as it is.</summary>
    Skip,

    /// <summary>A cleanup deletes a physical resource the stack no longer uses (a replaced one, or a replacement rolled back).</summary>
    RemovePhysical,
}

public enum TaskState
{
    Pending,
    Running,
    Done,
    Failed,
    Cancelled,
}

/// <summary>How a task ended, and when (world time).</summary>
public readonly record struct TaskOutcome(double At, string? Failure);

/// <summary>One resource's part in an operation: when it may start, how its end is known, and how it went.</summary>
public sealed class ResourceTask
{
    public ResourceTask(string logicalId, TaskAction action, IEnumerable<string> waitsFor)
    {
        LogicalId = logicalId;
        Action = action;
        WaitsFor = waitsFor.Where(w => w != logicalId).ToHashSet(StringComparer.Ordinal);
    }

    public string LogicalId { get; }

    public TaskAction Action { get; set; }

    /// <summary>Tasks of the same operation that must be done before this one starts.</summary>
    public HashSet<string> WaitsFor { get; }

    public TaskState State { get; set; } = TaskState.Pending;

    public double StartedAt { get; set; }

    /// <summary>When the "Resource creation Initiated" event is due; null once written (or for none).</summary>
    public double? InitiateAt { get; set; }

    /// <summary>True while the provider's AWS call (an effect) has not come back: nothing about the task happens meanwhile.</summary>
    public bool AwaitingEffect { get; set; }

    /// <summary>Why the provider's AWS call failed (the resource then fails).</summary>
    public string? EffectFailure { get; set; }

    /// <summary>When the task ends on its own (time-based), or null.</summary>
    public double? DueAt { get; set; }

    /// <summary>The reason it fails at <see cref="DueAt"/>, when it fails.</summary>
    public string? FailureAt { get; set; }

    /// <summary>Asks the world whether the task ended (an ECS deployment, a nested stack), for tasks whose end is not a time.</summary>
    public Func<double, TaskOutcome?>? Check { get; set; }

    public double FinishedAt { get; set; }

    /// <summary>The properties the task applies (resolved when it starts).</summary>
    public System.Text.Json.Nodes.JsonObject? Properties { get; set; }

    /// <summary>For <see cref="TaskAction.RemovePhysical"/>: the physical resource to delete.</summary>
    public ResourceState? Physical { get; set; }

    /// <summary>For <see cref="TaskAction.Delete"/>: the resource is retained (DeletionPolicy Retain, RetainResources).</summary>
    public bool Retain { get; set; }

    public bool IsFinished => State is TaskState.Done or TaskState.Failed or TaskState.Cancelled;
}

/// <summary>An operation under way on a stack: its tasks, and how it is going.</summary>
public sealed class StackOperation
{
    public StackOperation(OperationKind kind, double startedAt, string? clientRequestToken)
    {
        Kind = kind;
        StartedAt = startedAt;
        ClientRequestToken = clientRequestToken;
    }

    public OperationKind Kind { get; }

    public double StartedAt { get; }

    public string? ClientRequestToken { get; }

    public Dictionary<string, ResourceTask> Tasks { get; } = new(StringComparer.Ordinal);

    /// <summary>Resources that failed, in the order they did.</summary>
    public List<string> Failed { get; } = [];

    /// <summary>Set once a resource failed (or the update was cancelled); the reason the stack's next status gives.</summary>
    public bool Failing { get; set; }

    /// <summary>True when CancelUpdateStack stopped the update (its rollback says "Stack update cancelled").</summary>
    public bool Cancelled { get; set; }

    /// <summary>True when the operation goes on with what it still can after a failure (deletes, rollbacks, cleanups).</summary>
    public bool ContinuesAfterFailure => Kind is not (OperationKind.Create or OperationKind.Update);

    public void Add(ResourceTask task) => Tasks[task.LogicalId] = task;
}
