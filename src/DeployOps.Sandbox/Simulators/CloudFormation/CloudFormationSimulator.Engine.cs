using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.CloudFormation;

/// <summary>
/// The engine: operations move on the world clock as a discrete-event simulation. Each step takes the earliest thing that
/// happens (a resource starts, its creation is initiated, it completes or fails) up to the world's now, in order, so a
/// stack whose past a scenario replays gets the same events, in CloudFormation's order and with CloudFormation's
/// messages, as one that lives through them.
/// </summary>
public sealed partial class CloudFormationSimulator
{
    private const string UserInitiated = "User Initiated";
    private const string CreationCancelled = "Resource creation cancelled";
    private const string UpdateCancelled = "Resource update cancelled";
    private const string ReplacementReason = "Requested update requires the creation of a new physical resource; hence creating one.";
    private const string CreationInitiated = "Resource creation Initiated";
    private const string SkippedReason = "Resource skipped during UpdateRollback";

    /// <summary>Moves the stack's operations forward to world time <paramref name="now"/>; under the lock.</summary>
    private void Advance(SimulatedStack stack, double now)
    {
        for (var guard = 0; guard < 100_000 && stack.Operation is { } operation; guard++)
        {
            if (StartReadyTasks(stack, operation, now))
            {
                continue;
            }

            if (NextHappening(operation, now) is { } next)
            {
                Happen(stack, operation, next.Task, next.Outcome, next.Initiate);
                continue;
            }

            var unfinished = operation.Tasks.Values.Where(t => !t.IsFinished).ToList();
            if (unfinished.Any(t => t.State == TaskState.Running) || unfinished.Any(t => CanStart(operation, t)))
            {
                return;
            }

            // Nothing runs and nothing can start: the operation is over (what still waits, waits on a failure).
            var end = operation.Tasks.Values.Where(t => t.IsFinished).Select(t => t.FinishedAt).DefaultIfEmpty(operation.StartedAt).Max();
            if (end > now)
            {
                return;
            }

            EndOperation(stack, operation, end);
        }
    }

    private static bool CanStart(StackOperation operation, ResourceTask task) =>
        task.State == TaskState.Pending && (!operation.Failing || operation.ContinuesAfterFailure) &&
        task.WaitsFor.All(w => !operation.Tasks.TryGetValue(w, out var other) || other.State == TaskState.Done);

    /// <summary>Starts every task whose turn has come by <paramref name="now"/>; true when one started.</summary>
    private bool StartReadyTasks(SimulatedStack stack, StackOperation operation, double now)
    {
        var started = false;
        foreach (var task in operation.Tasks.Values.Where(t => CanStart(operation, t)).OrderBy(t => t.LogicalId, StringComparer.Ordinal).ToList())
        {
            var readyAt = task.WaitsFor.Select(w => operation.Tasks.TryGetValue(w, out var other) ? other.FinishedAt : operation.StartedAt)
                .Append(operation.StartedAt).Max();
            if (readyAt <= now && readyAt <= EffectHorizon(operation))
            {
                StartTask(stack, operation, task, readyAt);
                started = true;
            }
        }

        return started;
    }

    /// <summary>Nothing after the start of a task still waiting for its AWS call may happen before that call came back.</summary>
    private static double EffectHorizon(StackOperation operation) =>
        operation.Tasks.Values.Where(t => t is { State: TaskState.Running, AwaitingEffect: true }).Select(t => t.StartedAt).DefaultIfEmpty(double.MaxValue).Min();

    private sealed record Happening(ResourceTask Task, TaskOutcome Outcome, bool Initiate);

    /// <summary>The earliest thing that happens to a running task by <paramref name="now"/>, or null.</summary>
    private static Happening? NextHappening(StackOperation operation, double now)
    {
        var horizon = Math.Min(now, EffectHorizon(operation));
        Happening? next = null;
        foreach (var task in operation.Tasks.Values.Where(t => t is { State: TaskState.Running, AwaitingEffect: false }))
        {
            Happening? candidate = null;
            if (task.EffectFailure is { } failure)
            {
                candidate = new Happening(task, new TaskOutcome(task.StartedAt + 1, failure), false);
            }
            else if (task.InitiateAt is { } initiate && initiate <= horizon && (task.DueAt is not { } due || initiate < due))
            {
                candidate = new Happening(task, new TaskOutcome(initiate, null), true);
            }
            else if (task.DueAt is { } dueAt && dueAt <= horizon)
            {
                candidate = new Happening(task, new TaskOutcome(dueAt, task.FailureAt), false);
            }
            else if (task.DueAt is null && task.Check?.Invoke(now) is { } outcome && outcome.At <= horizon)
            {
                candidate = new Happening(task, outcome, false);
            }

            if (candidate is not null && (next is null || candidate.Outcome.At < next.Outcome.At))
            {
                next = candidate;
            }
        }

        return next;
    }

    /// <summary>Begins an operation at <paramref name="at"/>: the stack's status and event, then its tasks.</summary>
    private void Begin(SimulatedStack stack, OperationKind kind, double at, string? reason, string? clientRequestToken, ISet<string>? retainOrSkip = null)
    {
        var operation = new StackOperation(kind, at, clientRequestToken);
        stack.Operation = operation;
        stack.SetStatus(InProgressStatus(kind), reason, at);
        if (kind is OperationKind.Update or OperationKind.UpdateRollback)
        {
            stack.LastUpdatedAt = at;
        }

        var template = kind == OperationKind.UpdateRollback && stack.BeforeUpdate is { } before ? before.Template : stack.Template;
        var dependents = Dependents(template);
        foreach (var task in PlanTasks(stack, kind, template, dependents, retainOrSkip ?? new HashSet<string>()))
        {
            operation.Add(task);
        }
    }

    private static string InProgressStatus(OperationKind kind) => kind switch
    {
        OperationKind.Create => StackStatus.CreateInProgress,
        OperationKind.CreateRollback => StackStatus.RollbackInProgress,
        OperationKind.Delete => StackStatus.DeleteInProgress,
        OperationKind.Update => StackStatus.UpdateInProgress,
        OperationKind.UpdateCleanup => StackStatus.UpdateCompleteCleanupInProgress,
        OperationKind.UpdateRollback => StackStatus.UpdateRollbackInProgress,
        _ => StackStatus.UpdateRollbackCompleteCleanupInProgress,
    };

    /// <summary>For each resource, the resources whose properties or DependsOn name it (deleted before it).</summary>
    private static Dictionary<string, List<string>> Dependents(StackTemplate template)
    {
        var dependents = template.Resources.Keys.ToDictionary(k => k, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var resource in template.Resources.Values)
        {
            foreach (var dependency in resource.DependsOn)
            {
                dependents[dependency].Add(resource.LogicalId);
            }
        }

        return dependents;
    }

    private static IEnumerable<ResourceTask> PlanTasks(SimulatedStack stack, OperationKind kind, StackTemplate template, Dictionary<string, List<string>> dependents, ISet<string> retainOrSkip)
    {
        IEnumerable<string> DependentsOf(string id) => dependents.GetValueOrDefault(id) ?? [];
        IEnumerable<string> DependenciesOf(string id) => template.Resources.TryGetValue(id, out var r) ? r.DependsOn : [];

        switch (kind)
        {
            case OperationKind.Create:
                return template.Resources.Values.Select(r => new ResourceTask(r.LogicalId, TaskAction.Create, r.DependsOn));
            case OperationKind.Update:
                return template.Resources.Values.Select(r => new ResourceTask(r.LogicalId,
                    stack.Resources.TryGetValue(r.LogicalId, out var existing) && existing.Exists ? TaskAction.Change : TaskAction.Create, r.DependsOn));
            case OperationKind.CreateRollback:
            case OperationKind.Delete:
                var present = stack.Resources.Values.Where(r => r.Status.Length > 0 && r.Status is not (StackStatus.DeleteComplete or StackStatus.DeleteSkipped)).Select(r => r.LogicalId).ToHashSet();
                return present.Select(id => new ResourceTask(id, TaskAction.Delete, DependentsOf(id).Where(present.Contains))
                {
                    Retain = kind == OperationKind.Delete && (retainOrSkip.Contains(id) || template.Resources.GetValueOrDefault(id)?.Retain == true),
                });
            case OperationKind.UpdateRollback:
                var touched = stack.Resources.Values.Where(r => r.BeforeUpdate is not null).Select(r => r.LogicalId).ToHashSet();
                return touched.Select(id => new ResourceTask(id, retainOrSkip.Contains(id) ? TaskAction.Skip : TaskAction.Revert, DependenciesOf(id).Where(touched.Contains)));
            case OperationKind.UpdateCleanup:
                // What the update removed from the template, and the physical resources its replacements superseded.
                return stack.Resources.Values
                    .Where(r => (r.Exists && !template.Resources.ContainsKey(r.LogicalId)) || WasReplaced(r))
                    .Select(r => WasReplaced(r)
                        ? new ResourceTask(r.LogicalId, TaskAction.RemovePhysical, []) { Physical = r.BeforeUpdate }
                        : new ResourceTask(r.LogicalId, TaskAction.Delete, []) { Retain = stack.BeforeUpdate?.Template.Resources.GetValueOrDefault(r.LogicalId)?.Retain == true });
            default: // UpdateRollbackCleanup
                return stack.Resources.Values
                    .Where(r => (r.CreatedByUpdate && r.Status.Length > 0 && r.Status != StackStatus.DeleteComplete) || r.Replacement is not null)
                    .Select(r => new ResourceTask(r.LogicalId, r.CreatedByUpdate ? TaskAction.Delete : TaskAction.RemovePhysical, [])
                    {
                        Physical = r.Replacement,
                    });
        }
    }

    private static bool WasReplaced(StackResource resource) =>
        resource.BeforeUpdate is { PhysicalId: { } old } && old != resource.PhysicalId;

    /// <summary>Starts one task at <paramref name="at"/>: its events, its bookkeeping, and its provider's work.</summary>
    private void StartTask(SimulatedStack stack, StackOperation operation, ResourceTask task, double at)
    {
        task.State = TaskState.Running;
        task.StartedAt = at;
        var definition = stack.Template.Resources.GetValueOrDefault(task.LogicalId)
                         ?? stack.BeforeUpdate?.Template.Resources.GetValueOrDefault(task.LogicalId);
        if (!stack.Resources.TryGetValue(task.LogicalId, out var resource))
        {
            stack.Resources[task.LogicalId] = resource = new StackResource(task.LogicalId, definition!.Type);
        }

        var provider = Providers.For(resource.Type);
        var behaviour = stack.Behaviour.For(task.LogicalId);
        switch (task.Action)
        {
            case TaskAction.Create:
                task.Properties = ResolveProperties(stack, definition!);
                resource.Type = definition!.Type;
                resource.CreatedByUpdate = operation.Kind == OperationKind.Update;
                resource.Properties = task.Properties;
                Event(stack, resource, at, StackStatus.CreateInProgress, null, task.Properties);
                break;
            case TaskAction.Change:
                task.Properties = ResolveProperties(stack, definition!);
                if (JsonNode.DeepEquals(task.Properties, resource.Properties))
                {
                    Complete(task, at);
                    return;
                }

                resource.BeforeUpdate = resource.State;
                if (provider.NeedsReplacement(resource.Properties, task.Properties))
                {
                    task.Action = TaskAction.Replace;
                    Event(stack, resource, at, StackStatus.UpdateInProgress, ReplacementReason, task.Properties);
                    resource.PhysicalId = null;
                }
                else
                {
                    task.Action = TaskAction.Update;
                    Event(stack, resource, at, StackStatus.UpdateInProgress, null, task.Properties);
                }

                resource.Properties = task.Properties;
                break;
            case TaskAction.Revert:
                task.Properties = resource.BeforeUpdate!.Properties;
                Event(stack, resource, at, StackStatus.UpdateInProgress, null, task.Properties);
                if (resource.PhysicalId != resource.BeforeUpdate.PhysicalId)
                {
                    // A replacement: the old physical resource is still there; going back to it takes a moment.
                    resource.Replacement = resource.PhysicalId is null ? null : resource.State;
                    resource.Restore(resource.BeforeUpdate);
                    task.DueAt = at + 1;
                    return;
                }

                break;
            case TaskAction.Skip:
                resource.BeforeUpdate = null;
                resource.RollbackFailed = false;
                resource.Status = StackStatus.UpdateComplete;
                resource.Reason = SkippedReason;
                resource.UpdatedAt = at;
                stack.AddEvent(resource.LogicalId, resource.PhysicalId, resource.Type, at, StackStatus.UpdateComplete, SkippedReason);
                Complete(task, at);
                return;
            case TaskAction.Delete when task.Retain:
                resource.Status = StackStatus.DeleteSkipped;
                resource.Reason = null;
                resource.UpdatedAt = at;
                stack.AddEvent(resource.LogicalId, resource.PhysicalId, resource.Type, at, StackStatus.DeleteSkipped, null);
                Complete(task, at);
                return;
            case TaskAction.Delete when resource.PhysicalId is null:
                // Never made (its creation failed or was cancelled before it was initiated): nothing to delete.
                Event(stack, resource, at, StackStatus.DeleteInProgress, null);
                task.DueAt = at + 1;
                return;
            case TaskAction.Delete:
                Event(stack, resource, at, StackStatus.DeleteInProgress, null);
                break;
            case TaskAction.RemovePhysical:
                stack.AddEvent(resource.LogicalId, task.Physical!.PhysicalId, resource.Type, at, StackStatus.DeleteInProgress, null);
                break;
        }

        var kind = ActionKind(operation, task);
        var seconds = behaviour.Seconds ?? provider.Seconds(task.Action);
        var context = new ProvisionContext(this, stack, resource, task, at, seconds, _replayEnd is { } end && at + seconds <= end);
        provider.Start(context);
        if (behaviour.Stuck.Contains(kind))
        {
            task.DueAt = null;
            task.Check = null;
        }
        else if (behaviour.Failures.TryGetValue(kind, out var reason))
        {
            task.DueAt = at + seconds;
            task.Check = null;
            task.FailureAt = reason;
        }

        if (task.Action is TaskAction.Create or TaskAction.Replace && seconds >= 3)
        {
            task.InitiateAt = at + 1;
        }
    }

    /// <summary>Which of the scenario's behaviours applies: rollbacks (and deletes after a failed create) have their own.</summary>
    private static ResourceActionKind ActionKind(StackOperation operation, ResourceTask task) => task.Action switch
    {
        TaskAction.Revert => ResourceActionKind.Rollback,
        TaskAction.Delete when operation.Kind == OperationKind.CreateRollback => ResourceActionKind.Rollback,
        TaskAction.Delete or TaskAction.RemovePhysical => ResourceActionKind.Delete,
        TaskAction.Create => ResourceActionKind.Create,
        _ => ResourceActionKind.Update,
    };

    private static void Complete(ResourceTask task, double at)
    {
        task.State = TaskState.Done;
        task.FinishedAt = at;
    }

    /// <summary>Applies one happening: the Initiated event, or the task's end (and, for a failure, what the operation does next).</summary>
    private void Happen(SimulatedStack stack, StackOperation operation, ResourceTask task, TaskOutcome outcome, bool initiate)
    {
        var resource = stack.Resources[task.LogicalId];
        var at = outcome.At;
        if (initiate)
        {
            task.InitiateAt = null;
            Event(stack, resource, at, task.Action == TaskAction.Create ? StackStatus.CreateInProgress : StackStatus.UpdateInProgress, CreationInitiated);
            return;
        }

        if (outcome.Failure is { } failure)
        {
            task.State = TaskState.Failed;
            task.FinishedAt = at;
            operation.Failed.Add(task.LogicalId);
            if (task.Action == TaskAction.RemovePhysical)
            {
                // A superseded physical resource that cannot be deleted: the resource itself stays as it is.
                stack.AddEvent(resource.LogicalId, task.Physical!.PhysicalId, resource.Type, at, StackStatus.DeleteFailed, failure);
            }
            else
            {
                resource.RollbackFailed = task.Action == TaskAction.Revert;
                Event(stack, resource, at, FailedStatus(task), failure);
            }

            if (!operation.Failing)
            {
                operation.Failing = true;
                OnFirstFailure(stack, operation, at);
            }

            return;
        }

        Complete(task, at);
        switch (task.Action)
        {
            case TaskAction.Create:
                Event(stack, resource, at, StackStatus.CreateComplete, null);
                break;
            case TaskAction.Update:
            case TaskAction.Replace:
                Event(stack, resource, at, StackStatus.UpdateComplete, null);
                break;
            case TaskAction.Revert:
                if (resource.BeforeUpdate is { } before)
                {
                    resource.Restore(before);
                }

                resource.BeforeUpdate = null;
                resource.RollbackFailed = false;
                Event(stack, resource, at, StackStatus.UpdateComplete, null);
                break;
            case TaskAction.Delete:
                Event(stack, resource, at, StackStatus.DeleteComplete, null);
                break;
            case TaskAction.RemovePhysical:
                stack.AddEvent(resource.LogicalId, task.Physical!.PhysicalId, resource.Type, at, StackStatus.DeleteComplete, null);
                resource.Replacement = null;
                break;
        }
    }

    private static string FailedStatus(ResourceTask task) => task.Action switch
    {
        TaskAction.Create => StackStatus.CreateFailed,
        TaskAction.Delete => StackStatus.DeleteFailed,
        _ => StackStatus.UpdateFailed,
    };

    /// <summary>A create or update stops at its first failure: what still runs is cancelled, and the rollback (or not) follows.</summary>
    private void OnFirstFailure(SimulatedStack stack, StackOperation operation, double at)
    {
        if (operation.Kind is OperationKind.Create or OperationKind.Update)
        {
            CancelRunning(stack, operation, at);
        }
    }

    /// <summary>Cancels the running tasks of a create or update at <paramref name="at"/> (CREATE_FAILED or UPDATE_FAILED, "... cancelled").</summary>
    private static void CancelRunning(SimulatedStack stack, StackOperation operation, double at)
    {
        foreach (var task in operation.Tasks.Values.Where(t => t.State == TaskState.Running).OrderBy(t => t.LogicalId, StringComparer.Ordinal))
        {
            task.State = TaskState.Cancelled;
            task.FinishedAt = at;
            operation.Failed.Add(task.LogicalId);
            var resource = stack.Resources[task.LogicalId];
            var creating = task.Action == TaskAction.Create;
            Event(stack, resource, at, creating ? StackStatus.CreateFailed : StackStatus.UpdateFailed, creating ? CreationCancelled : UpdateCancelled);
        }
    }

    /// <summary>The operation is over at <paramref name="at"/>: the stack's next status, and the operation that follows, if any.</summary>
    private void EndOperation(SimulatedStack stack, StackOperation operation, double at)
    {
        stack.Operation = null;
        var failed = operation.Failed.Distinct().ToList();
        var next = at + 1;
        switch (operation.Kind)
        {
            case OperationKind.Create when failed.Count == 0:
                stack.SetStatus(StackStatus.CreateComplete, null, at);
                break;
            case OperationKind.Create:
                var createFailed = $"The following resource(s) failed to create: [{string.Join(", ", failed)}]. ";
                if (stack.DisableRollback || stack.OnFailure == "DO_NOTHING")
                {
                    stack.SetStatus(StackStatus.CreateFailed, createFailed, at);
                }
                else if (stack.OnFailure == "DELETE")
                {
                    Begin(stack, OperationKind.Delete, next, createFailed + "Delete requested by user.", operation.ClientRequestToken);
                }
                else
                {
                    Begin(stack, OperationKind.CreateRollback, next, createFailed + "Rollback requested by user.", operation.ClientRequestToken);
                }

                break;
            case OperationKind.CreateRollback:
                stack.SetStatus(failed.Count == 0 ? StackStatus.RollbackComplete : StackStatus.RollbackFailed,
                    failed.Count == 0 ? null : $"The following resource(s) failed to delete: [{string.Join(", ", failed)}]. ", at);
                break;
            case OperationKind.Delete when failed.Count == 0:
                stack.SetStatus(StackStatus.DeleteComplete, null, at);
                stack.DeletedAt = at;
                break;
            case OperationKind.Delete:
                stack.SetStatus(StackStatus.DeleteFailed, $"The following resource(s) failed to delete: [{string.Join(", ", failed)}]. ", at);
                break;
            case OperationKind.Update when failed.Count == 0:
                Begin(stack, OperationKind.UpdateCleanup, next, null, operation.ClientRequestToken);
                break;
            case OperationKind.Update:
                Begin(stack, OperationKind.UpdateRollback, next, operation.Cancelled ? "Stack update cancelled" : UpdateFailure(operation, failed), operation.ClientRequestToken);
                break;
            case OperationKind.UpdateCleanup:
                FinishUpdate(stack);
                stack.SetStatus(StackStatus.UpdateComplete, null, at);
                break;
            case OperationKind.UpdateRollback when failed.Count == 0:
                Begin(stack, OperationKind.UpdateRollbackCleanup, next, null, operation.ClientRequestToken);
                break;
            case OperationKind.UpdateRollback:
                stack.SetStatus(StackStatus.UpdateRollbackFailed, $"The following resource(s) failed to update: [{string.Join(", ", failed)}].", at);
                break;
            case OperationKind.UpdateRollbackCleanup:
                if (stack.BeforeUpdate is { } before)
                {
                    (stack.Template, stack.Parameters) = before;
                }

                FinishUpdate(stack);
                stack.SetStatus(StackStatus.UpdateRollbackComplete, null, at);
                break;
        }
    }

    /// <summary>"The following resource(s) failed to create: [...]." (or update), named after the first failure's kind.</summary>
    private static string UpdateFailure(StackOperation operation, IReadOnlyList<string> failed)
    {
        var creating = operation.Tasks[failed[0]].Action == TaskAction.Create;
        var same = failed.Where(f => (operation.Tasks[f].Action == TaskAction.Create) == creating);
        return $"The following resource(s) failed to {(creating ? "create" : "update")}: [{string.Join(", ", same)}].";
    }

    /// <summary>The update (or its rollback) is over: resources deleted by it leave the stack, and nothing is left to undo.</summary>
    private static void FinishUpdate(SimulatedStack stack)
    {
        foreach (var resource in stack.Resources.Values.ToList())
        {
            if (resource.Status is StackStatus.DeleteComplete or StackStatus.DeleteSkipped)
            {
                stack.Resources.Remove(resource.LogicalId);
            }

            resource.BeforeUpdate = null;
            resource.Replacement = null;
            resource.CreatedByUpdate = false;
            resource.RollbackFailed = false;
        }

        stack.BeforeUpdate = null;
    }

    /// <summary>Sets the resource's status and records its event (with its resolved properties on the first IN_PROGRESS).</summary>
    private static void Event(SimulatedStack stack, StackResource resource, double at, string status, string? reason, JsonObject? properties = null)
    {
        resource.Status = status;
        resource.Reason = reason;
        resource.UpdatedAt = at;
        stack.AddEvent(resource.LogicalId, resource.PhysicalId, resource.Type, at, status, reason, properties?.ToJsonString());
    }

    /// <summary>A resource's properties with every intrinsic function resolved against the stack as it is now.</summary>
    private static JsonObject ResolveProperties(SimulatedStack stack, TemplateResource definition) =>
        StackTemplate.Resolve(definition.Properties, name => Reference(stack, name), (resource, attribute) => Attribute(stack, resource, attribute), stack.Region) as JsonObject ?? [];

    private static JsonNode? Reference(SimulatedStack stack, string name)
    {
        if (stack.Template.Parameters.TryGetValue(name, out var parameter))
        {
            var value = stack.Parameters.TryGetValue(name, out var given) ? given : parameter.Default;
            return value is null ? null : StackTemplate.ParameterValue(parameter, value);
        }

        return name switch
        {
            "AWS::Region" => stack.Region,
            "AWS::AccountId" => WorldContext.AccountId,
            "AWS::StackName" => stack.Name,
            "AWS::StackId" => stack.Id,
            "AWS::Partition" => "aws",
            "AWS::URLSuffix" => "amazonaws.com",
            "AWS::NoValue" => null,
            _ => stack.Resources.GetValueOrDefault(name)?.PhysicalId,
        };
    }

    private static JsonNode? Attribute(SimulatedStack stack, string logicalId, string attribute) =>
        stack.Resources.GetValueOrDefault(logicalId) is { } resource
            ? resource.Attributes.GetValueOrDefault(attribute)?.DeepClone() ?? resource.PhysicalId
            : null;
}
