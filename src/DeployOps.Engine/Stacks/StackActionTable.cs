using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws.CloudFormation;

namespace DeployOps.Stacks;

/// <summary>What an operator may do to a stack.</summary>
public enum StackAction
{
    /// <summary>CloudFormation is working on the stack: wait for it (Wait-CfnStack).</summary>
    Wait,

    /// <summary>CancelUpdateStack: the update rolls back (Stop-CfnStackUpdate).</summary>
    CancelUpdate,

    /// <summary>ContinueUpdateRollback, skipping the resources whose rollback failed (Resume-CfnStackRollback).</summary>
    ContinueRollback,

    /// <summary>DeleteStack (Remove-CfnStack).</summary>
    Delete,

    /// <summary>DeleteStack with RetainResources: deletes the stack, keeps the resources that cannot be deleted (Remove-CfnStack -RetainResources).</summary>
    DeleteRetaining,

    /// <summary>UpdateStack, from the deployment pipeline.</summary>
    Update,

    /// <summary>RollbackStack: back to the last stable state after a failure with rollback disabled.</summary>
    Rollback,
}

/// <summary>One legal action in a status and why it is the one to take.</summary>
public sealed record StackActionRule(StackAction Action, string Why);

/// <summary>
/// The legal actions for every stack status, as CloudFormation allows them: CancelUpdateStack only in UPDATE_IN_PROGRESS
/// (it rolls back); CREATE_IN_PROGRESS cannot be cancelled, deleting is the way out; UPDATE_ROLLBACK_FAILED allows
/// ContinueUpdateRollback (skipping the resources whose rollback failed) or delete; ROLLBACK_COMPLETE allows delete only;
/// DELETE_FAILED allows delete again with RetainResources (valid only there); every other <c>*_IN_PROGRESS</c> means wait.
/// One pure table: the diagnosis lists it, every action cmdlet checks it before it calls AWS.
/// </summary>
public static class StackActionTable
{
    private const string Working = "CloudFormation is working on the stack; nothing else is accepted until it finishes.";
    private const string DeleteIsTheWayOut = "Creation cannot be cancelled: deleting the stack is the way out (it stops the creation and deletes what was made).";
    private const string UpdateFromPipeline = "Deploy the next change through the pipeline (UpdateStack).";
    private const string DeleteWhenUnwanted = "Delete the stack when it is no longer wanted.";

    private static readonly IReadOnlyDictionary<string, StackActionRule[]> Rules = new Dictionary<string, StackActionRule[]>(StringComparer.Ordinal)
    {
        [CfnStackStatus.CreateInProgress] = new[] { Rule(StackAction.Wait, Working), Rule(StackAction.Delete, DeleteIsTheWayOut) },
        [CfnStackStatus.CreateFailed] = new[]
        {
            Rule(StackAction.Rollback, "The create failed with rollback disabled: roll back to delete what was made, or delete the stack."),
            Rule(StackAction.Delete, "Delete the stack, fix the template, and create it again."),
        },
        [CfnStackStatus.CreateComplete] = new[] { Rule(StackAction.Update, UpdateFromPipeline), Rule(StackAction.Delete, DeleteWhenUnwanted) },
        [CfnStackStatus.RollbackInProgress] = new[] { Rule(StackAction.Wait, "The failed create is being rolled back; then the stack can only be deleted.") },
        [CfnStackStatus.RollbackFailed] = new[] { Rule(StackAction.Delete, "The failed create could not be rolled back: delete the stack (fix what could not be deleted first).") },
        [CfnStackStatus.RollbackComplete] = new[] { Rule(StackAction.Delete, "A failed create leaves a stack that cannot be updated: delete it, then create it again.") },
        [CfnStackStatus.DeleteInProgress] = new[] { Rule(StackAction.Wait, "The stack is being deleted.") },
        [CfnStackStatus.DeleteFailed] = new[]
        {
            Rule(StackAction.DeleteRetaining, "Delete again, keeping the resources that could not be deleted (RetainResources is valid only in DELETE_FAILED)."),
            Rule(StackAction.Delete, "Delete again once what blocked the deletion is fixed."),
        },
        [CfnStackStatus.DeleteComplete] = Array.Empty<StackActionRule>(),
        [CfnStackStatus.UpdateInProgress] = new[]
        {
            Rule(StackAction.Wait, Working),
            Rule(StackAction.CancelUpdate, "Cancel the update: CloudFormation rolls it back (UPDATE_ROLLBACK_IN_PROGRESS, then UPDATE_ROLLBACK_COMPLETE)."),
        },
        [CfnStackStatus.UpdateCompleteCleanupInProgress] = new[] { Rule(StackAction.Wait, "The update succeeded; CloudFormation is deleting the resources it replaced.") },
        [CfnStackStatus.UpdateComplete] = new[] { Rule(StackAction.Update, UpdateFromPipeline), Rule(StackAction.Delete, DeleteWhenUnwanted) },
        [CfnStackStatus.UpdateFailed] = new[]
        {
            Rule(StackAction.Rollback, "The update failed with rollback disabled: roll back to the last stable state."),
            Rule(StackAction.Update, "Or fix the cause and update again."),
            Rule(StackAction.Delete, DeleteWhenUnwanted),
        },
        [CfnStackStatus.UpdateRollbackInProgress] = new[] { Rule(StackAction.Wait, "The update is being rolled back.") },
        [CfnStackStatus.UpdateRollbackFailed] = new[]
        {
            Rule(StackAction.ContinueRollback, "Continue the rollback, skipping the resources whose rollback failed (after checking them), or without skipping once they are fixed."),
            Rule(StackAction.Delete, "Or delete the stack."),
        },
        [CfnStackStatus.UpdateRollbackCompleteCleanupInProgress] = new[] { Rule(StackAction.Wait, "The rollback succeeded; CloudFormation is deleting what the update created.") },
        [CfnStackStatus.UpdateRollbackComplete] = new[] { Rule(StackAction.Update, "The failed update was rolled back: fix it and deploy again."), Rule(StackAction.Delete, DeleteWhenUnwanted) },
        [CfnStackStatus.ReviewInProgress] = new[]
        {
            Rule(StackAction.Update, "The stack waits for its change set: execute it (aws cloudformation execute-change-set)."),
            Rule(StackAction.Delete, "Or delete the stack."),
        },
        [CfnStackStatus.ImportInProgress] = new[] { Rule(StackAction.Wait, "Resources are being imported.") },
        [CfnStackStatus.ImportComplete] = new[] { Rule(StackAction.Update, UpdateFromPipeline), Rule(StackAction.Delete, DeleteWhenUnwanted) },
        [CfnStackStatus.ImportRollbackInProgress] = new[] { Rule(StackAction.Wait, "The import is being rolled back.") },
        [CfnStackStatus.ImportRollbackFailed] = new[] { Rule(StackAction.Delete, "The import could not be rolled back: delete the stack.") },
        [CfnStackStatus.ImportRollbackComplete] = new[] { Rule(StackAction.Update, UpdateFromPipeline), Rule(StackAction.Delete, DeleteWhenUnwanted) },
    };

    /// <summary>The legal actions in <paramref name="status"/>, most useful first; a status this table does not know: wait if it is in progress, else none.</summary>
    public static IReadOnlyList<StackActionRule> For(string status) =>
        Rules.TryGetValue(status, out var rules) ? rules
        : CfnStackStatus.IsInProgress(status) ? new[] { Rule(StackAction.Wait, Working) }
        : Array.Empty<StackActionRule>();

    /// <summary>True when <paramref name="action"/> is legal in <paramref name="status"/>.</summary>
    public static bool Allows(string status, StackAction action) => For(status).Any(r => r.Action == action);

    /// <summary>The statuses in which <paramref name="action"/> is legal.</summary>
    public static IReadOnlyList<string> StatusesAllowing(StackAction action) => Rules.Where(r => r.Value.Any(v => v.Action == action)).Select(r => r.Key).ToList();

    /// <summary>The CloudFormation API call an action is.</summary>
    public static string ApiName(StackAction action) => action switch
    {
        StackAction.Wait => "waiting",
        StackAction.CancelUpdate => "CancelUpdateStack",
        StackAction.ContinueRollback => "ContinueUpdateRollback",
        StackAction.Delete => "DeleteStack",
        StackAction.DeleteRetaining => "DeleteStack with RetainResources",
        StackAction.Update => "UpdateStack",
        _ => "RollbackStack",
    };

    private static StackActionRule Rule(StackAction action, string why) => new(action, why);
}
