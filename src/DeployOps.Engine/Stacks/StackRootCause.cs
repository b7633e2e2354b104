using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws.CloudFormation;

namespace DeployOps.Stacks;

/// <summary>A failure a stack event reports: which resource, of which (nested) stack, why, and when.</summary>
public sealed class CfnStackFailure
{
    /// <summary>The stack the resource belongs to (a nested stack's own name when the failure was inside it).</summary>
    public string StackName { get; init; } = "";

    public string LogicalResourceId { get; init; } = "";

    public string ResourceType { get; init; } = "";

    public string? PhysicalResourceId { get; init; }

    /// <summary>The failed status, e.g. CREATE_FAILED.</summary>
    public string Status { get; init; } = "";

    public string Reason { get; init; } = "";

    public DateTimeOffset Timestamp { get; init; }

    /// <summary>The path to the resource from the stack diagnosed: <c>Database</c>, or <c>DatabaseStack.Database</c> inside a nested stack.</summary>
    public string Path { get; init; } = "";

    public override string ToString() => $"{Path} ({ResourceType}) {Status}: {Reason}";

    internal static CfnStackFailure From(CfnStackEvent failure, string path) => new()
    {
        StackName = failure.StackName,
        LogicalResourceId = failure.LogicalResourceId,
        ResourceType = failure.ResourceType,
        PhysicalResourceId = failure.PhysicalResourceId,
        Status = failure.ResourceStatus,
        Reason = failure.ResourceStatusReason ?? "",
        Timestamp = failure.Timestamp,
        Path = path,
    };
}

/// <summary>
/// Finds the root cause of a stack's trouble: the FIRST failure of its current operation, not the cascade CloudFormation
/// reports after it ("Resource creation cancelled", the stack's "The following resource(s) failed..."). A nested stack's
/// failure is followed into the nested stack, to the resource that failed there.
/// </summary>
public static class StackRootCause
{
    /// <summary>
    /// The first failure of the current operation in <paramref name="newestFirst"/> (DescribeStackEvents' order), or null;
    /// <paramref name="nestedEvents"/> gives a nested stack's events by its stack id (null when they were not read).
    /// </summary>
    public static CfnStackFailure? Find(IReadOnlyList<CfnStackEvent> newestFirst, Func<string, IReadOnlyList<CfnStackEvent>?>? nestedEvents = null) =>
        StackOperations.Current(newestFirst) is { } operation ? First(operation.Events, "", nestedEvents) : null;

    /// <summary>The first failure once the current operation began rolling back: why the rollback failed (null when it did not roll back, or did not fail).</summary>
    public static CfnStackFailure? FindRollbackFailure(IReadOnlyList<CfnStackEvent> newestFirst, Func<string, IReadOnlyList<CfnStackEvent>?>? nestedEvents = null)
    {
        if (StackOperations.Current(newestFirst) is not { RollbackStart: { } rollback } operation)
        {
            return null;
        }

        return First(operation.Events.SkipWhile(e => !ReferenceEquals(e, rollback)).ToList(), "", nestedEvents);
    }

    /// <summary>The stack event that only lists the resources that failed ("The following resource(s) failed to ...").</summary>
    private static bool IsFailedResourcesSummary(string? reason) => reason?.StartsWith("The following resource(s) failed", StringComparison.Ordinal) == true;

    private static CfnStackFailure? First(IReadOnlyList<CfnStackEvent> oldestFirst, string prefix, Func<string, IReadOnlyList<CfnStackEvent>?>? nestedEvents)
    {
        var failure = oldestFirst.FirstOrDefault(e => !e.IsStackEvent && CfnResourceStatus.IsFailed(e.ResourceStatus) && !CfnResourceStatus.IsCascade(e.ResourceStatusReason));
        if (failure is null)
        {
            // No resource failed: the stack itself was refused (a template error, a missing capability), or its rollback
            // was started by something else, whose reason only the stack's *ROLLBACK_IN_PROGRESS event carries (a rollback
            // trigger's alarm, a cancelled update).
            var stackFailure = oldestFirst.FirstOrDefault(e => e.IsStackEvent && e.ResourceStatusReason is not null &&
                (CfnStackStatus.IsFailure(e.ResourceStatus) || (e.ResourceStatus.EndsWith("ROLLBACK_IN_PROGRESS", StringComparison.Ordinal) && !IsFailedResourcesSummary(e.ResourceStatusReason))));
            return stackFailure is null ? null : CfnStackFailure.From(stackFailure, prefix + stackFailure.LogicalResourceId);
        }

        var path = prefix + failure.LogicalResourceId;
        if (failure.ResourceType == CfnResourceType.Stack && failure.PhysicalResourceId is { } nestedId && nestedEvents?.Invoke(nestedId) is { } nested &&
            StackOperations.Current(nested) is { } nestedOperation && First(nestedOperation.Events, path + ".", nestedEvents) is { } inner)
        {
            return inner;
        }

        return CfnStackFailure.From(failure, path);
    }
}
