using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws.CloudFormation;

namespace DeployOps.Stacks;

/// <summary>A stack's resources and events, and the same for each nested stack by its logical id: what a skip list is computed from.</summary>
public sealed record StackTree(
    string StackName,
    IReadOnlyList<CfnStackResource> Resources,
    IReadOnlyList<CfnStackEvent> Events,
    IReadOnlyDictionary<string, StackTree> Nested)
{
    /// <summary>The nested stack's status as its parent lists it (its resource's status), or null.</summary>
    public string? StatusOf(string logicalId) => Resources.FirstOrDefault(r => r.LogicalResourceId == logicalId)?.ResourceStatus;
}

/// <summary>
/// ContinueUpdateRollback's ResourcesToSkip, as CloudFormation accepts them: only resources in UPDATE_FAILED because their
/// rollback failed (their last UPDATE_FAILED event came after the update began rolling back: one that failed during the
/// update, or whose update was cancelled, does not qualify), named on the parent stack; a nested stack's as
/// <c>NestedLogicalId.ResourceLogicalId</c>. A nested stack's own logical id qualifies only when its embedded stack is
/// DELETE_IN_PROGRESS, DELETE_COMPLETE or DELETE_FAILED.
/// </summary>
public static class RollbackSkipList
{
    /// <summary>The resources that may be skipped, in the stacks' order.</summary>
    public static IReadOnlyList<string> Compute(StackTree tree) => Compute(tree, "");

    /// <summary>The names in <paramref name="requested"/> that may not be skipped (empty when all may).</summary>
    public static IReadOnlyList<string> Refused(StackTree tree, IEnumerable<string> requested)
    {
        var allowed = new HashSet<string>(Compute(tree), StringComparer.Ordinal);
        return requested.Where(r => !allowed.Contains(r)).ToList();
    }

    private static IReadOnlyList<string> Compute(StackTree tree, string prefix)
    {
        var skippable = new List<string>();
        var rollbackStart = StackOperations.Current(tree.Events)?.RollbackStart;
        foreach (var resource in tree.Resources.Where(r => r.ResourceStatus == CfnResourceStatus.UpdateFailed))
        {
            if (resource.ResourceType == CfnResourceType.Stack)
            {
                if (tree.Nested.TryGetValue(resource.LogicalResourceId, out var nested))
                {
                    skippable.AddRange(Compute(nested, prefix + resource.LogicalResourceId + "."));
                }

                continue;
            }

            var lastFailure = tree.Events.FirstOrDefault(e => e.LogicalResourceId == resource.LogicalResourceId && e.ResourceStatus == CfnResourceStatus.UpdateFailed);
            if (rollbackStart is not null && lastFailure is not null && FailedDuringRollback(tree.Events, lastFailure, rollbackStart))
            {
                skippable.Add(prefix + resource.LogicalResourceId);
            }
        }

        skippable.AddRange(tree.Resources
            .Where(r => r.ResourceType == CfnResourceType.Stack && r.ResourceStatus.StartsWith("DELETE_", StringComparison.Ordinal) && r.ResourceStatus != CfnResourceStatus.DeleteSkipped)
            .Select(r => prefix + r.LogicalResourceId));
        return skippable;
    }

    /// <summary>True when <paramref name="failure"/> comes after <paramref name="rollbackStart"/> in the newest-first events (earlier in the list).</summary>
    private static bool FailedDuringRollback(IReadOnlyList<CfnStackEvent> newestFirst, CfnStackEvent failure, CfnStackEvent rollbackStart)
    {
        foreach (var stackEvent in newestFirst)
        {
            if (ReferenceEquals(stackEvent, failure))
            {
                return true;
            }

            if (ReferenceEquals(stackEvent, rollbackStart))
            {
                return false;
            }
        }

        return false;
    }
}
