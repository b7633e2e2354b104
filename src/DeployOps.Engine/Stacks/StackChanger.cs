using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.CloudFormation;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;
using DeployOps.Storage;

namespace DeployOps.Stacks;

/// <summary>A planned action on a stack: what ShouldProcess shows before it is taken.</summary>
public sealed record StackChangePlan(string StackName, string StackId, string Status, StackAction Action, IReadOnlyList<string> ResourcesToSkip, IReadOnlyList<string> RetainResources)
    : IChangePlan
{
    public string ShouldProcessTarget => $"CloudFormation stack {StackName} ({Status})";

    public string ShouldProcessAction => Action switch
    {
        StackAction.CancelUpdate => "Cancel the update (CancelUpdateStack); CloudFormation rolls it back",
        StackAction.ContinueRollback => "Continue the update rollback (ContinueUpdateRollback)" +
                                        (ResourcesToSkip.Count == 0 ? ", skipping no resource" : $", skipping {string.Join(", ", ResourcesToSkip)} (left as they are)"),
        _ => "Delete the stack and the resources it holds (DeleteStack)" + (RetainResources.Count == 0 ? "" : $", keeping {string.Join(", ", RetainResources)}"),
    };

    public override string ToString() => $"{StackName}: {ShouldProcessAction}";
}

/// <summary>An action taken on a stack: what was asked, and the stack's status right after.</summary>
public sealed class CfnStackChange
{
    public string StackName { get; init; } = "";

    public string StackId { get; init; } = "";

    /// <summary>CancelUpdate, ContinueRollback, Delete or DeleteRetaining.</summary>
    public string Action { get; init; } = "";

    public string PreviousStatus { get; init; } = "";

    /// <summary>The status after the call (DELETE_COMPLETE when the stack is already gone).</summary>
    public string Status { get; init; } = "";

    public PrintableList<string> ResourcesToSkip { get; init; } = PrintableList<string>.Empty;

    public PrintableList<string> RetainResources { get; init; } = PrintableList<string>.Empty;

    public DateTimeOffset RequestedAt { get; init; }

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    public override string ToString() => $"{StackName}: {Action} ({PreviousStatus} -> {Status})";
}

/// <summary>How long to wait after an action (-Wait -Timeout) and how often to look.</summary>
public sealed record StackWaitSettings(TimeSpan Timeout, TimeSpan PollInterval);

/// <summary>
/// The actions a stuck stack allows (runbook 001): cancel an update, continue a failed rollback (ResourcesToSkip computed or
/// given, and checked), delete (RetainResources only in DELETE_FAILED). Each plan first reads the stack and checks the
/// action against <see cref="StackActionTable"/>: an illegal action is refused before any call, with an error naming the
/// status and the legal actions. Apply takes the action and, with a wait, waits for the stack (<see cref="StackWaiter"/>).
/// </summary>
public sealed class StackChanger
{
    private readonly AwsFacts _facts;

    public StackChanger(AwsFacts facts)
    {
        _facts = facts;
    }

    private CloudFormationClient Client => _facts.Session.Client<CloudFormationClient>();

    /// <summary>Stop-CfnStackUpdate: the stack must be UPDATE_IN_PROGRESS.</summary>
    public async Task<StackChangePlan> PlanCancelAsync(string stackName, CancellationToken cancellationToken)
    {
        var stack = await LegalAsync(stackName, StackAction.CancelUpdate, cancellationToken).ConfigureAwait(false);
        return new StackChangePlan(stack.StackName, stack.StackId, stack.StackStatus, StackAction.CancelUpdate, Array.Empty<string>(), Array.Empty<string>());
    }

    /// <summary>
    /// Resume-CfnStackRollback: the stack must be UPDATE_ROLLBACK_FAILED; <paramref name="resourcesToSkip"/> null means the
    /// computed list (every resource whose rollback failed), else each name must be one of those.
    /// </summary>
    public async Task<StackChangePlan> PlanContinueRollbackAsync(string stackName, IReadOnlyList<string>? resourcesToSkip, CancellationToken cancellationToken)
    {
        var stack = await LegalAsync(stackName, StackAction.ContinueRollback, cancellationToken).ConfigureAwait(false);
        var tree = await _facts.Stacks.TreeAsync(stack.StackId, cancellationToken).ConfigureAwait(false);
        if (!tree.IsRead)
        {
            // Without the resources and events, what may be skipped is unknown: nothing is sent.
            throw new DeployOpsException(new DeployOpsError(ErrorIds.AwsRequestFailed, DeployOpsErrorKind.Other,
                $"The resources of stack '{stack.StackName}' whose rollback failed cannot be worked out: {tree.Gap?.ToString() ?? "the stack's resources are gone"}.", stackName));
        }

        var skippable = RollbackSkipList.Compute(tree.Value);
        if (resourcesToSkip is null)
        {
            return new StackChangePlan(stack.StackName, stack.StackId, stack.StackStatus, StackAction.ContinueRollback, skippable, Array.Empty<string>());
        }

        var refused = RollbackSkipList.Refused(tree.Value, resourcesToSkip);
        if (refused.Count > 0)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidResourcesToSkip, DeployOpsErrorKind.InvalidArgument,
                $"{string.Join(", ", refused.Select(r => $"'{r}'"))} cannot be skipped in stack '{stack.StackName}': ContinueUpdateRollback skips only resources in " +
                "UPDATE_FAILED because their rollback failed, named on the parent stack (Nested.LogicalId for a nested stack's). " +
                (skippable.Count == 0 ? "None qualifies now." : $"Here: {string.Join(", ", skippable)}."), string.Join(",", refused))
            {
                RecommendedAction = $"Resume-CfnStackRollback -StackName {stack.StackName}" + (skippable.Count == 0 ? "" : $" -ResourcesToSkip {string.Join(",", skippable)}"),
            });
        }

        return new StackChangePlan(stack.StackName, stack.StackId, stack.StackStatus, StackAction.ContinueRollback, resourcesToSkip.Distinct(StringComparer.Ordinal).ToList(), Array.Empty<string>());
    }

    /// <summary>Remove-CfnStack: deleting must be legal in the status; <paramref name="retainResources"/> only in DELETE_FAILED, and each must be a resource of the stack.</summary>
    public async Task<StackChangePlan> PlanDeleteAsync(string stackName, IReadOnlyList<string> retainResources, CancellationToken cancellationToken)
    {
        var action = retainResources.Count == 0 ? StackAction.Delete : StackAction.DeleteRetaining;
        var stack = await LegalAsync(stackName, action, cancellationToken).ConfigureAwait(false);
        if (retainResources.Count > 0)
        {
            var resources = await _facts.Stacks.ResourcesAsync(stack.StackId, cancellationToken).ConfigureAwait(false);
            var known = resources.ValueOr(Array.Empty<CfnStackResource>())!.Select(r => r.LogicalResourceId).ToList();
            var unknown = retainResources.Where(r => resources.IsRead && !known.Contains(r, StringComparer.Ordinal)).ToList();
            if (unknown.Count > 0)
            {
                var failed = resources.Value.Where(r => r.ResourceStatus == CfnResourceStatus.DeleteFailed).Select(r => r.LogicalResourceId).ToList();
                throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidRetainResources, DeployOpsErrorKind.InvalidArgument,
                    $"{string.Join(", ", unknown.Select(r => $"'{r}'"))} {(unknown.Count == 1 ? "is not a resource" : "are not resources")} of stack '{stack.StackName}'. " +
                    $"Its resources that failed to delete: {(failed.Count == 0 ? "none" : string.Join(", ", failed))}.", string.Join(",", unknown)));
            }
        }

        return new StackChangePlan(stack.StackName, stack.StackId, stack.StackStatus, action, Array.Empty<string>(), retainResources.Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>Takes the action; reports the stack as it is right after.</summary>
    public async Task<CfnStackChange> ApplyAsync(StackChangePlan plan, CancellationToken cancellationToken)
    {
        _facts.Observer.Verbose($"{plan.ShouldProcessTarget}: {plan.ShouldProcessAction}.");
        var requestedAt = _facts.Session.Now;
        await Translated(plan.Action switch
        {
            StackAction.CancelUpdate => () => Client.CancelUpdateStackAsync(plan.StackId, cancellationToken),
            StackAction.ContinueRollback => () => Client.ContinueUpdateRollbackAsync(plan.StackId, plan.ResourcesToSkip, cancellationToken),
            _ => (Func<Task>)(() => Client.DeleteStackAsync(plan.StackId, plan.RetainResources, cancellationToken)),
        }, plan.StackName).ConfigureAwait(false);
        var after = await _facts.Stacks.RequireAsync(plan.StackId, cancellationToken).ConfigureAwait(false);
        return new CfnStackChange
        {
            StackName = plan.StackName,
            StackId = plan.StackId,
            Action = plan.Action.ToString(),
            PreviousStatus = plan.Status,
            Status = after.StackStatus,
            ResourcesToSkip = plan.ResourcesToSkip.ToPrintableList(),
            RetainResources = plan.RetainResources.ToPrintableList(),
            RequestedAt = requestedAt,
            Region = _facts.Session.Region.Name,
            EndpointUrl = _facts.Session.EndpointUrl,
            ProfileName = _facts.Session.ProfileName,
        };
    }

    /// <summary>Takes the action; with <paramref name="wait"/>, waits for the stack and reports how that ended (and the error when it did not end as the action intends).</summary>
    public async Task<IReadOnlyList<ItemOutcome<object>>> ApplyAsync(StackChangePlan plan, StackWaitSettings? wait, DeploymentStore? history, CancellationToken cancellationToken)
    {
        var change = await ApplyAsync(plan, cancellationToken).ConfigureAwait(false);
        if (wait is null)
        {
            return new[] { ItemOutcome<object>.Success(change) };
        }

        var result = await new StackWaiter(_facts).WaitAsync(new StackWaitRequest
        {
            StackName = plan.StackId,
            Timeout = wait.Timeout,
            PollInterval = wait.PollInterval,
            RollbackIsSuccess = plan.Action is StackAction.CancelUpdate or StackAction.ContinueRollback,
            UntilRollbackComplete = plan.Action is StackAction.CancelUpdate or StackAction.ContinueRollback,
            UntilDeleted = plan.Action is StackAction.Delete or StackAction.DeleteRetaining,
            Store = history,
        }, cancellationToken).ConfigureAwait(false);
        return result.Outcomes();
    }

    /// <summary>The stack, when <paramref name="action"/> is legal in its status; else StackActionNotAllowed naming the status and the legal actions.</summary>
    private async Task<CfnStack> LegalAsync(string stackName, StackAction action, CancellationToken cancellationToken)
    {
        StackNames.Validate(stackName);
        var stack = await _facts.Stacks.RequireAsync(stackName, cancellationToken).ConfigureAwait(false);
        if (!StackActionTable.Allows(stack.StackStatus, action))
        {
            throw new DeployOpsException(NotAllowed(stack, action, StackConnection.Of(_facts.Session)));
        }

        return stack;
    }

    /// <summary>The refusal of an illegal action: the status, where the action is valid, and the legal actions now with their commands.</summary>
    public static DeployOpsError NotAllowed(CfnStack stack, StackAction action, StackConnection connection)
    {
        var legal = StackCommands.For(StackActionTable.For(stack.StackStatus), stack.StackName, connection, Array.Empty<string>(), Array.Empty<string>());
        var validIn = StackActionTable.StatusesAllowing(action);
        var why = action == StackAction.DeleteRetaining ? "RetainResources is valid only in DELETE_FAILED" : $"{StackActionTable.ApiName(action)} is valid only in {string.Join(", ", validIn)}";
        return new DeployOpsError(ErrorIds.StackActionNotAllowed, DeployOpsErrorKind.InvalidState,
            $"Stack '{stack.StackName}' is {stack.StackStatus}: {why}. Legal now: " +
            (legal.Count == 0 ? "none (the stack is gone)." : string.Join("; ", legal.Select(a => $"{a.Action} ({a.Command})")) + "."), stack.StackName)
        {
            RecommendedAction = legal.FirstOrDefault()?.Command ?? $"Get-CfnStackDiagnosis -StackName {stack.StackName}",
        };
    }

    private static async Task Translated(Func<Task> call, string stackName)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AwsServiceException or AwsOutcomeUnknownException)
        {
            throw new DeployOpsException(ErrorTranslator.Translate(ex, stackName));
        }
    }
}
