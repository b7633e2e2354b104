using System;
using System.Globalization;
using DeployOps.Facts;

namespace DeployOps.Coordination;

/// <summary>
/// The reconciliation rule of runbook 001, without AWS: what an active registry record is, given what CloudFormation
/// says of its stack. A record that says active while its stack is <c>*_COMPLETE</c> or gone is Stale (the "deployment
/// stuck in queue" symptom); one whose stack is <c>*_FAILED</c> is not stale but blocked on the stack.
/// </summary>
public static class RegistryReconciliation
{
    /// <summary>How long a freshly registered deployment may wait for its stack to start changing before it counts as stale.</summary>
    public static readonly TimeSpan StartGrace = TimeSpan.FromMinutes(10);

    /// <summary>The verdict on one active record.</summary>
    public sealed record Verdict(RecordReconciliation Reconciliation, string? StackStatus, string Detail, string? RecommendedAction);

    /// <summary>What the active <paramref name="record"/> is, given its <paramref name="stack"/> as read at <paramref name="now"/>.</summary>
    public static Verdict Of(DeploymentRecord record, Fact<StackProgress> stack, DateTimeOffset now)
    {
        var name = record.StackName;
        var cleanup = record.CorrelationId is { } id
            ? $"Remove-DeploymentRecord -CorrelationId {id} (runbook 001: cleanup {id}), then retry the deployment."
            : null;
        if (stack.Gap is { } gap)
        {
            return new Verdict(RecordReconciliation.Unknown, null, gap.ToString(), "Check the AWS settings and permissions (cloudformation:DescribeStacks), then run again.");
        }

        var registeredRecently = record.StartedAt is { } started && now - started < StartGrace;
        if (stack.Absent)
        {
            return registeredRecently
                ? new Verdict(RecordReconciliation.Starting, null, $"stack {name} does not exist yet; the deployment was registered {Ago(record.StartedAt!.Value, now)}.", null)
                : new Verdict(RecordReconciliation.Stale, null, $"stack {name} does not exist: nothing deploys, the record is stuck in the queue.", cleanup);
        }

        var value = stack.Value;
        var since = $"since {Time(value.LastChanged)}";
        switch (value.Kind)
        {
            case StackStatusKind.InProgress:
                return new Verdict(RecordReconciliation.InProgress, value.Status, $"stack {name} is {value.Status} {since}.", null);
            case StackStatusKind.Failed:
                return new Verdict(RecordReconciliation.StackFailed, value.Status,
                    $"stack {name} is {value.Status} {since}: it needs an operator before the next deployment.",
                    $"Get-CfnStackDiagnosis -StackName {name} (the legal next actions), then clean up the record.");
            default:
                // The stack last changed before the deployment was registered: it has not started yet, or it never will.
                return registeredRecently && record.StartedAt > value.LastChanged
                    ? new Verdict(RecordReconciliation.Starting, value.Status,
                        $"stack {name} is {value.Status} {since}; the deployment was registered {Ago(record.StartedAt!.Value, now)} and has not started changing it yet.", null)
                    : new Verdict(RecordReconciliation.Stale, value.Status,
                        $"stack {name} is {value.Status} {since}: nothing deploys, the record is stuck in the queue.", cleanup);
        }
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Ago(DateTimeOffset time, DateTimeOffset now) => $"{Math.Max(0, (now - time).TotalMinutes):0} min ago";
}
