using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.CloudFormation;
using DeployOps.Facts;

namespace DeployOps.Coordination;

/// <summary>
/// <see cref="IStackProgressSource"/> over the session's CloudFormation reader (<see cref="AwsFacts.Stacks"/>, the typed
/// CloudFormation client): the registry and the monitor see stacks, events and the stacks in progress as every other
/// runbook does.
/// </summary>
internal sealed class StackReaderProgressSource : IStackProgressSource
{
    private readonly AwsFacts _facts;

    public StackReaderProgressSource(AwsFacts facts)
    {
        _facts = facts;
    }

    public async Task<Fact<StackProgress>> DescribeStackAsync(string stackNameOrId, CancellationToken cancellationToken) =>
        (await _facts.Stacks.DescribeAsync(stackNameOrId, cancellationToken).ConfigureAwait(false)).Select(Progress);

    public async Task<Fact<IReadOnlyList<StackProgressEvent>>> DescribeEventsAsync(string stackNameOrId, Func<StackProgressEvent, bool> isLast,
        CancellationToken cancellationToken)
    {
        var events = await _facts.Stacks.EventsBackToAsync(stackNameOrId, e => isLast(Progress(e)), cancellationToken).ConfigureAwait(false);
        return events.Select(list => (IReadOnlyList<StackProgressEvent>)list.Select(Progress).ToList());
    }

    public Task<Fact<IReadOnlyList<StackProgress>>> ListInProgressAsync(CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync("the stacks in progress", async () =>
            (IReadOnlyList<StackProgress>)(await _facts.Stacks.ListAsync(StackStatusKinds.InProgressStatuses, cancellationToken).ConfigureAwait(false))
                .Select(s => new StackProgress(s.StackId, s.StackName, s.StackStatus, null, Created(s.CreationTime, s.StackName), null)).ToList());

    private static StackProgress Progress(CfnStack stack) =>
        new(stack.StackId, stack.StackName, stack.StackStatus, stack.StackStatusReason, Created(stack.CreationTime, stack.StackName), stack.LastUpdatedTime);

    private static StackProgressEvent Progress(CfnStackEvent e) =>
        new(e.EventId, e.StackId, e.LogicalResourceId, e.PhysicalResourceId, e.ResourceType, e.ResourceStatus, e.ResourceStatusReason, e.Timestamp);

    private static DateTimeOffset Created(DateTimeOffset? creationTime, string stackName) =>
        creationTime ?? throw new InvalidDataException($"CloudFormation described stack {stackName} without a CreationTime.");
}
