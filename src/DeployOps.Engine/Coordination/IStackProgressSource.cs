using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Facts;

namespace DeployOps.Coordination;

/// <summary>
/// What the deployment registry (reconciliation, repair) and the monitor read of CloudFormation: a stack's status, its
/// events since a point, and the stacks in progress, as the small records their rules are written against.
/// <see cref="StackReaderProgressSource"/> reads them through <see cref="AwsFacts.Stacks"/> (the typed CloudFormation
/// client). Every answer is a <see cref="Fact{T}"/> under the one <see cref="FactPolicy"/>.
/// </summary>
internal interface IStackProgressSource
{
    /// <summary>DescribeStacks for one stack (a name or a stack id): its status, absent when it does not exist.</summary>
    Task<Fact<StackProgress>> DescribeStackAsync(string stackNameOrId, CancellationToken cancellationToken);

    /// <summary>
    /// DescribeStackEvents, newest first, page after page until a page holds an event for which <paramref name="isLast"/>
    /// is true (that event and the newer ones are returned, older ones of its page are dropped) or the stack has no more.
    /// </summary>
    Task<Fact<IReadOnlyList<StackProgressEvent>>> DescribeEventsAsync(string stackNameOrId, Func<StackProgressEvent, bool> isLast, CancellationToken cancellationToken);

    /// <summary>ListStacks: every stack whose status is an <c>*_IN_PROGRESS</c> one (a deployment under way).</summary>
    Task<Fact<IReadOnlyList<StackProgress>>> ListInProgressAsync(CancellationToken cancellationToken);
}

/// <summary>A stack as the registry and the monitor need it (DescribeStacks <c>Stack</c>, ListStacks <c>StackSummary</c>).</summary>
/// <param name="StackId"><c>StackId</c>: the stack's ARN.</param>
/// <param name="StackName"><c>StackName</c>.</param>
/// <param name="Status"><c>StackStatus</c>, e.g. CREATE_IN_PROGRESS.</param>
/// <param name="StatusReason"><c>StackStatusReason</c>.</param>
/// <param name="CreationTime"><c>CreationTime</c>.</param>
/// <param name="LastUpdatedTime"><c>LastUpdatedTime</c>, null when never updated.</param>
public sealed record StackProgress(string StackId, string StackName, string Status, string? StatusReason, DateTimeOffset CreationTime, DateTimeOffset? LastUpdatedTime)
{
    /// <summary>What the status means for a deployment.</summary>
    public StackStatusKind Kind => StackStatusKinds.Of(Status);

    /// <summary>When the stack last changed: its last update, else its creation.</summary>
    public DateTimeOffset LastChanged => LastUpdatedTime ?? CreationTime;
}

/// <summary>One stack event (DescribeStackEvents <c>StackEvent</c>).</summary>
public sealed record StackProgressEvent(
    string EventId,
    string StackId,
    string LogicalResourceId,
    string? PhysicalResourceId,
    string ResourceType,
    string ResourceStatus,
    string? ResourceStatusReason,
    DateTimeOffset Timestamp)
{
    /// <summary>The stack's own event (its resource type is the stack), not one of a resource.</summary>
    public bool IsStackEvent => ResourceType == StackStatusKinds.StackResourceType;

    /// <summary>The stack's own event that starts a deployment: CREATE_, UPDATE_, DELETE_ or IMPORT_IN_PROGRESS.</summary>
    public bool StartsDeployment => IsStackEvent && StackStatusKinds.IsDeploymentStart(ResourceStatus);
}

/// <summary>What a stack status means for a deployment.</summary>
public enum StackStatusKind
{
    /// <summary><c>*_IN_PROGRESS</c> (and REVIEW_IN_PROGRESS): a deployment is under way.</summary>
    InProgress,

    /// <summary>CREATE_, UPDATE_, IMPORT_COMPLETE: the deployment succeeded.</summary>
    Succeeded,

    /// <summary>ROLLBACK_, UPDATE_ROLLBACK_, IMPORT_ROLLBACK_COMPLETE: the deployment failed and was rolled back.</summary>
    RolledBack,

    /// <summary><c>*_FAILED</c>: the stack is stuck and needs an operator (diagnosis, continue the rollback, delete).</summary>
    Failed,

    /// <summary>DELETE_COMPLETE: the stack is gone.</summary>
    Deleted,
}

/// <summary>The stack statuses of CloudFormation (botocore <c>StackStatus</c>) sorted by what they mean for a deployment.</summary>
public static class StackStatusKinds
{
    /// <summary>The resource type of a stack's own events.</summary>
    public const string StackResourceType = "AWS::CloudFormation::Stack";

    /// <summary>What <paramref name="status"/> means; an unknown status counts as in progress (never as done).</summary>
    public static StackStatusKind Of(string status) => status switch
    {
        "CREATE_COMPLETE" or "UPDATE_COMPLETE" or "IMPORT_COMPLETE" => StackStatusKind.Succeeded,
        "ROLLBACK_COMPLETE" or "UPDATE_ROLLBACK_COMPLETE" or "IMPORT_ROLLBACK_COMPLETE" => StackStatusKind.RolledBack,
        "DELETE_COMPLETE" => StackStatusKind.Deleted,
        _ when status.EndsWith("_FAILED", StringComparison.Ordinal) => StackStatusKind.Failed,
        _ => StackStatusKind.InProgress,
    };

    /// <summary>Every <c>*_IN_PROGRESS</c> status, for ListStacks' filter.</summary>
    public static IReadOnlyList<string> InProgressStatuses { get; } = new[]
    {
        "CREATE_IN_PROGRESS", "ROLLBACK_IN_PROGRESS", "DELETE_IN_PROGRESS", "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
        "UPDATE_ROLLBACK_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", "REVIEW_IN_PROGRESS", "IMPORT_IN_PROGRESS",
        "IMPORT_ROLLBACK_IN_PROGRESS",
    };

    /// <summary>The stack statuses an operator's change starts with.</summary>
    public static bool IsDeploymentStart(string status) =>
        status is "CREATE_IN_PROGRESS" or "UPDATE_IN_PROGRESS" or "DELETE_IN_PROGRESS" or "IMPORT_IN_PROGRESS";

    /// <summary>A resource event that ends the resource's part in the deployment (COMPLETE, or FAILED).</summary>
    public static bool IsResourceDone(string resourceStatus) =>
        resourceStatus.EndsWith("_COMPLETE", StringComparison.Ordinal) || resourceStatus.EndsWith("_FAILED", StringComparison.Ordinal)
        || resourceStatus.EndsWith("_SKIPPED", StringComparison.Ordinal);

    /// <summary>
    /// A failure that is only the consequence of another one (CloudFormation cancels the other resources when one fails):
    /// never the root cause.
    /// </summary>
    public static bool IsCascade(string? reason) =>
        reason is not null && (reason.IndexOf("Resource creation cancelled", StringComparison.OrdinalIgnoreCase) >= 0
                               || reason.IndexOf("Resource update cancelled", StringComparison.OrdinalIgnoreCase) >= 0
                               || reason.StartsWith("The following resource(s) failed", StringComparison.Ordinal));
}
