using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Errors;
using DeployOps.Facts;

namespace DeployOps.Coordination;

/// <summary>
/// The registry held against CloudFormation (runbook 001, "deployment stuck in queue"): each active record's stack is
/// read once and judged by <see cref="RegistryReconciliation"/>; and when the registry is unavailable, CloudFormation-only
/// coordination: the stacks in progress stand for the active deployments.
/// </summary>
public sealed class DeploymentCoordinator
{
    private readonly AwsFacts _facts;
    private readonly Func<DateTimeOffset> _now;

    public DeploymentCoordinator(AwsFacts facts, Func<DateTimeOffset>? now = null)
    {
        _facts = facts;
        _now = now ?? (() => DateTimeOffset.UtcNow);
    }

    /// <summary>
    /// Each active record with what CloudFormation says of its stack (stacks read concurrently, once each); records that
    /// are not active come back unchanged.
    /// </summary>
    public async Task<IReadOnlyList<DeploymentRecord>> ReconcileAsync(IReadOnlyList<DeploymentRecord> records, CancellationToken cancellationToken)
    {
        var stackNames = records.Where(r => r.IsActive).Select(r => r.StackName).Distinct(StringComparer.Ordinal).ToList();
        var stacks = await Task.WhenAll(stackNames.Select(name => _facts.StackProgress.DescribeStackAsync(name, cancellationToken))).ConfigureAwait(false);
        var byName = stackNames.Zip(stacks, (name, stack) => (name, stack)).ToDictionary(x => x.name, x => x.stack, StringComparer.Ordinal);
        var now = _now();
        return records.Select(record =>
        {
            if (!record.IsActive)
            {
                return record;
            }

            var verdict = RegistryReconciliation.Of(record, byName[record.StackName], now);
            return record.Reconciled(verdict.Reconciliation, verdict.StackStatus, verdict.Detail, verdict.RecommendedAction, _facts.Session);
        }).ToList();
    }

    /// <summary>
    /// CloudFormation-only coordination: every stack in progress, as an active record without a correlation id. Throws
    /// <see cref="DeployOpsException"/> when CloudFormation cannot be read either.
    /// </summary>
    public async Task<IReadOnlyList<DeploymentRecord>> InProgressStacksAsync(CancellationToken cancellationToken)
    {
        var stacks = await _facts.StackProgress.ListInProgressAsync(cancellationToken).ConfigureAwait(false);
        if (!stacks.IsRead)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.RegistryUnavailable, DeployOpsErrorKind.Other,
                $"Neither the registry nor CloudFormation could be read: {stacks}.", null)
            {
                RecommendedAction = "Check the AWS settings and permissions (cloudformation:ListStacks), and repair the registry with Repair-DeploymentRegistry.",
            });
        }

        return stacks.Value.OrderBy(s => s.LastChanged).Select(stack => new DeploymentRecord
        {
            StackName = stack.StackName,
            Status = nameof(DeploymentRecordStatus.Active),
            StartedAt = stack.LastChanged,
            SourceKind = RecordSource.CloudFormation,
        }.Reconciled(RecordReconciliation.InProgress, stack.Status, $"stack {stack.StackName} is {stack.Status} (CloudFormation-only coordination: the registry is unavailable).",
            "Repair-DeploymentRegistry re-adds it to the registry.", _facts.Session)).ToList();
    }
}
