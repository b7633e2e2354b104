using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.CloudFormation;
using DeployOps.Errors;
using DeployOps.Stacks;

namespace DeployOps.Facts;

/// <summary>
/// Reads CloudFormation stacks: the stack (a missing one is StackNotFound), its resources, its template's resources, its
/// events (the current operation's, or those since an event already seen) and its nested stacks.
/// </summary>
public sealed class StackReader
{
    /// <summary>The most events one read goes back (DescribeStackEvents gives 100 a page).</summary>
    public const int MaxEvents = 5000;

    private readonly AwsFacts _facts;

    internal StackReader(AwsFacts facts)
    {
        _facts = facts;
    }

    private CloudFormationClient Client => _facts.Session.Client<CloudFormationClient>();

    /// <summary>The stack, for a runbook that acts on it: StackNotFound (a <see cref="DeployOpsException"/>) when it does not exist, else the AWS error.</summary>
    public async Task<CfnStack> RequireAsync(string stackName, CancellationToken cancellationToken)
    {
        try
        {
            return await Client.DescribeStackAsync(stackName, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (ex.Classification == AwsErrorClassification.NotFound)
        {
            throw new DeployOpsException(NotFound(stackName, _facts.Session.Region.Name, ex));
        }
    }

    /// <summary>StackNotFound for <paramref name="stackName"/>, naming the region and where to look.</summary>
    public static DeployOpsError NotFound(string stackName, string region, Exception? exception = null) =>
        ErrorTranslator.NotFound(ErrorIds.StackNotFound,
            $"Stack '{stackName}' does not exist in region '{region}' (a deleted stack is found by its stack id only). " +
            "List the stacks with: aws cloudformation list-stacks --query 'StackSummaries[].[StackName,StackStatus]'",
            stackName, exception);

    /// <summary>The stack (by name or stack id) as a fact: absent when it does not exist.</summary>
    public Task<Fact<CfnStack>> DescribeAsync(string stackNameOrId, CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync($"stack {Name(stackNameOrId)}", () => Client.DescribeStackAsync(stackNameOrId, cancellationToken));

    /// <summary>
    /// The stack's events, newest first, back to (and with) the first one <paramref name="stopAfter"/> accepts, or all of
    /// them (up to <see cref="MaxEvents"/>).
    /// </summary>
    public Task<Fact<IReadOnlyList<CfnStackEvent>>> EventsBackToAsync(string stack, Func<CfnStackEvent, bool> stopAfter, CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync($"the events of stack {Name(stack)}", async () =>
            (await Client.DescribeStackEventsAsync(stack, MaxEvents, stopAfter, cancellationToken).ConfigureAwait(false)).Items);

    /// <summary>Every resource an operation of the stack began.</summary>
    public Task<Fact<IReadOnlyList<CfnStackResource>>> ResourcesAsync(string stack, CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync($"the resources of stack {Name(stack)}", () => Client.ListStackResourcesAsync(stack, cancellationToken));

    /// <summary>The resources the stack's template declares (what "done of total" counts).</summary>
    public Task<Fact<IReadOnlyList<TemplateResource>>> TemplateResourcesAsync(string stack, CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync($"the template of stack {Name(stack)}", async () =>
            StackTemplateResources.Read(await Client.GetTemplateAsync(stack, cancellationToken).ConfigureAwait(false)));

    /// <summary>The events of the stack's current operation, newest first (back to the event that began it).</summary>
    public Task<Fact<IReadOnlyList<CfnStackEvent>>> OperationEventsAsync(string stack, CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync($"the events of stack {Name(stack)}", async () =>
            (await Client.DescribeStackEventsAsync(stack, MaxEvents, StackOperations.IsOperationStart, cancellationToken).ConfigureAwait(false)).Items);

    /// <summary>Every event of the stack (up to <see cref="MaxEvents"/>), newest first: its whole history.</summary>
    public Task<Fact<IReadOnlyList<CfnStackEvent>>> AllEventsAsync(string stack, CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync($"the events of stack {Name(stack)}", async () =>
            (await Client.DescribeStackEventsAsync(stack, MaxEvents, null, cancellationToken).ConfigureAwait(false)).Items);

    /// <summary>
    /// The events after <paramref name="lastSeenEventId"/>, oldest first (all of the current operation's when null): what a
    /// monitor reads each time it looks, and what it checkpoints (event ids, never timestamps).
    /// </summary>
    public Task<Fact<IReadOnlyList<CfnStackEvent>>> EventsSinceAsync(string stack, string? lastSeenEventId, CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync($"the new events of stack {Name(stack)}", async () =>
        {
            Func<CfnStackEvent, bool> stop = lastSeenEventId is null ? StackOperations.IsOperationStart : e => e.EventId == lastSeenEventId;
            var read = await Client.DescribeStackEventsAsync(stack, MaxEvents, stop, cancellationToken).ConfigureAwait(false);
            var fresh = read.Items.TakeWhile(e => e.EventId != lastSeenEventId).Reverse().ToList();
            return (IReadOnlyList<CfnStackEvent>)fresh;
        });

    /// <summary>
    /// The stack's resources and current events, and the same for each nested stack its resources name (through the
    /// nested stacks' ids): what the skip list and the root cause of a nested failure are computed from.
    /// </summary>
    public async Task<Fact<StackTree>> TreeAsync(string stack, CancellationToken cancellationToken)
    {
        var resources = ResourcesAsync(stack, cancellationToken);
        var events = OperationEventsAsync(stack, cancellationToken);
        await Task.WhenAll(resources, events).ConfigureAwait(false);
        if (!resources.Result.IsRead || !events.Result.IsRead)
        {
            return resources.Result.IsRead ? events.Result.Select(_ => (StackTree)null!) : resources.Result.Select(_ => (StackTree)null!);
        }

        var nested = new Dictionary<string, StackTree>(StringComparer.Ordinal);
        foreach (var child in resources.Result.Value.Where(r => r.ResourceType == CfnResourceType.Stack && r.PhysicalResourceId is not null))
        {
            var tree = await TreeAsync(child.PhysicalResourceId!, cancellationToken).ConfigureAwait(false);
            if (tree.IsRead)
            {
                nested[child.LogicalResourceId] = tree.Value;
            }
        }

        return Fact<StackTree>.Of(new StackTree(Name(stack), resources.Result.Value, events.Result.Value, nested));
    }

    /// <summary>Every stack of the region, deleted ones included, filtered by status when given.</summary>
    public Task<IReadOnlyList<CfnStackSummary>> ListAsync(IReadOnlyList<string>? statuses, CancellationToken cancellationToken) =>
        Client.ListStacksAsync(statuses, cancellationToken);

    /// <summary>The stack's name (the second part of a stack id), for messages.</summary>
    public static string Name(string stackNameOrId) =>
        stackNameOrId.StartsWith("arn:", StringComparison.Ordinal) && stackNameOrId.Split('/') is { Length: >= 2 } parts ? parts[1] : stackNameOrId;
}
