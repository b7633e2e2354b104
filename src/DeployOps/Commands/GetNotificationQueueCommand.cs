using System.Management.Automation;
using DeployOps.Notifications;

namespace DeployOps.Commands;

/// <summary>
/// Get-NotificationQueue: the notification outbox at a glance (runbook 001's <c>slack-retry-queue.sh status</c>): pending
/// and dead-letter counts and the oldest pending message; with -Pending, -DeadLetter or -Delivered, those messages.
/// </summary>
[Cmdlet(VerbsCommon.Get, "NotificationQueue")]
[OutputType(typeof(NotificationQueueSummary), typeof(NotificationQueueItem))]
public sealed class GetNotificationQueueCommand : DeploymentStoreCmdlet
{
    /// <summary>-Pending: the messages waiting to be sent (and those being sent).</summary>
    [Parameter]
    public SwitchParameter Pending { get; set; }

    /// <summary>-DeadLetter: the messages given up on, for review.</summary>
    [Parameter]
    [Alias("Failed")]
    public SwitchParameter DeadLetter { get; set; }

    /// <summary>-Delivered: the messages delivered (and merged into summaries) still remembered.</summary>
    [Parameter]
    public SwitchParameter Delivered { get; set; }

    /// <summary>Writes the summary, or the messages asked for.</summary>
    protected override void ProcessRecord()
    {
        var outbox = new NotificationOutbox(Store);
        if (!Pending && !DeadLetter && !Delivered)
        {
            if (TryRead(() => outbox.Summary(), outbox.Path, out var summary))
            {
                WriteObject(summary);
            }

            return;
        }

        var states = new System.Collections.Generic.List<OutboxState>();
        if (Pending)
        {
            states.Add(OutboxState.Pending);
            states.Add(OutboxState.InFlight);
        }

        if (DeadLetter)
        {
            states.Add(OutboxState.DeadLetter);
        }

        if (Delivered)
        {
            states.Add(OutboxState.Delivered);
            states.Add(OutboxState.Merged);
        }

        if (TryRead(() => outbox.Items(states.ToArray()), outbox.Path, out var items))
        {
            WriteObject(items, enumerateCollection: true);
        }
    }

    private bool TryRead<T>(System.Func<T> read, string target, out T value) =>
        TryRunEngine(_ => System.Threading.Tasks.Task.FromResult(read()), target, out value);
}
