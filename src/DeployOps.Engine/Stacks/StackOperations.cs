using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws.CloudFormation;

namespace DeployOps.Stacks;

/// <summary>
/// One operation of a stack as its events tell it: from the stack event that began it (CREATE, UPDATE, DELETE or IMPORT
/// _IN_PROGRESS) to the one before the next began. A rollback, and a ContinueUpdateRollback, belong to the operation that
/// failed.
/// </summary>
public sealed class StackOperationEvents
{
    internal StackOperationEvents(IReadOnlyList<CfnStackEvent> events)
    {
        Events = events;
        Start = events[0];
        RollbackStart = events.FirstOrDefault(e => e.IsStackEvent && CfnStackStatus.IsRollingBack(e.ResourceStatus));
        End = events.LastOrDefault(e => e.IsStackEvent && CfnStackStatus.IsTerminal(e.ResourceStatus));
    }

    /// <summary>Its events, oldest first, the starting one first.</summary>
    public IReadOnlyList<CfnStackEvent> Events { get; }

    /// <summary>The stack event that began it.</summary>
    public CfnStackEvent Start { get; }

    /// <summary>CREATE, UPDATE, DELETE or IMPORT.</summary>
    public string Kind => Start.ResourceStatus.Substring(0, Start.ResourceStatus.IndexOf('_'));

    /// <summary>The first stack event of its rollback, if it rolled back.</summary>
    public CfnStackEvent? RollbackStart { get; }

    /// <summary>The last terminal stack event (null while it runs).</summary>
    public CfnStackEvent? End { get; }

    /// <summary>True when it ended as asked (CREATE_COMPLETE, UPDATE_COMPLETE, DELETE_COMPLETE, IMPORT_COMPLETE).</summary>
    public bool Succeeded => End is { } end && !CfnStackStatus.IsFailure(end.ResourceStatus) && end == Events.Last(e => e.IsStackEvent);

    /// <summary>The resource events of its forward part (before any rollback), oldest first.</summary>
    public IEnumerable<CfnStackEvent> ForwardResourceEvents =>
        Events.TakeWhile(e => RollbackStart is null || !ReferenceEquals(e, RollbackStart)).Where(e => !e.IsStackEvent);
}

/// <summary>Splits a stack's events into its operations.</summary>
public static class StackOperations
{
    private static readonly HashSet<string> Starts = new(StringComparer.Ordinal)
    {
        CfnStackStatus.CreateInProgress, CfnStackStatus.UpdateInProgress, CfnStackStatus.DeleteInProgress, CfnStackStatus.ImportInProgress,
    };

    /// <summary>True for a stack event that begins an operation.</summary>
    public static bool IsOperationStart(CfnStackEvent stackEvent) => stackEvent.IsStackEvent && Starts.Contains(stackEvent.ResourceStatus);

    /// <summary>The operations in <paramref name="newestFirst"/> (as DescribeStackEvents gives them), oldest first; events before the first start are left out.</summary>
    public static IReadOnlyList<StackOperationEvents> Split(IReadOnlyList<CfnStackEvent> newestFirst)
    {
        var operations = new List<StackOperationEvents>();
        List<CfnStackEvent>? current = null;
        for (var i = newestFirst.Count - 1; i >= 0; i--)
        {
            var stackEvent = newestFirst[i];
            if (IsOperationStart(stackEvent))
            {
                if (current is not null)
                {
                    operations.Add(new StackOperationEvents(current));
                }

                current = new List<CfnStackEvent>();
            }

            current?.Add(stackEvent);
        }

        if (current is not null)
        {
            operations.Add(new StackOperationEvents(current));
        }

        return operations;
    }

    /// <summary>The stack's latest operation, or null when the events hold no start.</summary>
    public static StackOperationEvents? Current(IReadOnlyList<CfnStackEvent> newestFirst) => Split(newestFirst).LastOrDefault();

    /// <summary>
    /// What each resource of a finished operation took: first IN_PROGRESS to its COMPLETE (or DELETE_SKIPPED), per logical
    /// resource, in the operation's forward part; resources that failed or never finished are left out.
    /// </summary>
    public static IReadOnlyList<ResourceTiming> Timings(StackOperationEvents operation)
    {
        var timings = new List<ResourceTiming>();
        foreach (var resource in operation.ForwardResourceEvents.GroupBy(e => e.LogicalResourceId, StringComparer.Ordinal))
        {
            var started = resource.FirstOrDefault(e => CfnResourceStatus.IsInProgress(e.ResourceStatus));
            var done = resource.LastOrDefault(e => CfnResourceStatus.IsDone(e.ResourceStatus));
            if (started is not null && done is not null && done.Timestamp >= started.Timestamp && !resource.Any(e => CfnResourceStatus.IsFailed(e.ResourceStatus)))
            {
                timings.Add(new ResourceTiming(resource.Key, started.ResourceType, ActionOf(started.ResourceStatus), started.Timestamp, done.Timestamp));
            }
        }

        return timings;
    }

    /// <summary>CREATE, UPDATE or DELETE: what a resource status says is being done.</summary>
    public static string ActionOf(string status) => status.Substring(0, Math.Max(0, status.IndexOf('_')));
}

/// <summary>How long one resource's action took in one operation.</summary>
public sealed record ResourceTiming(string LogicalResourceId, string ResourceType, string Action, DateTimeOffset StartedAt, DateTimeOffset CompletedAt)
{
    public TimeSpan Duration => CompletedAt - StartedAt;
}
