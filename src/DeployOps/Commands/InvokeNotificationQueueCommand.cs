using System;
using System.Linq;
using System.Management.Automation;
using DeployOps.Notifications;

namespace DeployOps.Commands;

/// <summary>
/// Invoke-NotificationQueue: sends what the outbox holds now (runbook 001's <c>slack-retry-queue.sh process</c>, what a
/// scheduled task runs every five minutes): every message that is due, at one per second per channel, honouring 429s'
/// Retry-After and backoffs that end within -Timeout; the rest stays queued.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "NotificationQueue")]
[OutputType(typeof(NotificationQueueItem))]
public sealed class InvokeNotificationQueueCommand : SlackNotificationCmdlet
{
    /// <summary>-Timeout: seconds to wait for messages that come due (rate limit, Retry-After, backoff) before stopping (default 30).</summary>
    [Parameter]
    [ValidateRange(0, 3600)]
    [Alias("TimeoutSec")]
    public int Timeout { get; set; } = 30;

    /// <summary>Sends what is due and writes each message handled, as it now stands.</summary>
    protected override void ProcessRecord()
    {
        var sending = Sending;
        if (sending.Destinations.Count == 0)
        {
            ThrowEngineError(SlackConfiguration.NotConfigured().Error);
            return;
        }

        if (!TryRunEngine(token => sending.Dispatcher.DrainAsync(TimeSpan.FromSeconds(Timeout), token), sending.Outbox.Path, out var handled))
        {
            return;
        }

        WriteObject(handled, enumerateCollection: true);
        var ours = sending.Destinations.Select(d => d.Label).ToList();
        var elsewhere = sending.Outbox.Items(OutboxState.Pending).Where(i => !ours.Contains(i.Destination)).GroupBy(i => i.Destination).ToList();
        foreach (var group in elsewhere)
        {
            WriteWarning($"{group.Count()} message(s) wait for {group.Key}, which this command was not given: run it with that destination too.");
        }
    }
}
