using System;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Text;
using DeployOps.Errors;
using DeployOps.Notifications;

namespace DeployOps.Commands;

/// <summary>
/// Send-DeploymentNotification: posts a message to Slack (an incoming webhook, or chat.postMessage with a bot token and
/// channel) through the durable outbox: if Slack is down or rate limits, the message stays queued and is retried
/// (Invoke-NotificationQueue); a configuration error sends it to dead letter; its idempotency key means it is never
/// posted twice.
/// </summary>
[Cmdlet(VerbsCommunications.Send, "DeploymentNotification")]
[OutputType(typeof(NotificationQueueItem))]
public sealed class SendDeploymentNotificationCommand : SlackNotificationCmdlet
{
    /// <summary>-Message: the text to post.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [Alias("Text")]
    public string Message { get; set; } = string.Empty;

    /// <summary>-CorrelationId: the deployment the message is about.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    public string? CorrelationId { get; set; }

    /// <summary>-StackName: the stack the message is about.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    public string? StackName { get; set; }

    /// <summary>-Kind: what the message is (Message by default; Progress messages of one deployment merge after an outage).</summary>
    [Parameter]
    public NotificationKind Kind { get; set; } = NotificationKind.Message;

    /// <summary>-IdempotencyKey: the message's key; by default derived from -CorrelationId, -Kind and the text when a correlation id is given, else new.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? IdempotencyKey { get; set; }

    /// <summary>-QueueOnly: only queue the message; Invoke-NotificationQueue (or a monitor) sends it.</summary>
    [Parameter]
    public SwitchParameter QueueOnly { get; set; }

    /// <summary>-Timeout: seconds to keep trying (rate limit, short backoffs) before leaving the message queued (default 10).</summary>
    [Parameter]
    [ValidateRange(0, 3600)]
    [Alias("TimeoutSec")]
    public int Timeout { get; set; } = 10;

    /// <summary>Queues the message, sends what is due, and writes where the message stands.</summary>
    protected override void ProcessRecord()
    {
        var sending = Sending;
        var destination = sending.Destinations.FirstOrDefault();
        if (destination is null)
        {
            ThrowEngineError(SlackConfiguration.NotConfigured().Error);
            return;
        }

        var message = new OutboxEntry
        {
            Key = IdempotencyKey ?? DefaultKey(),
            Kind = Kind,
            Text = Message,
            CorrelationId = CorrelationId,
            StackName = StackName,
        };
        if (!TryRunEngine(
                token => QueueOnly ? sending.Dispatcher.EnqueueAsync(message, destination, token) : sending.Dispatcher.NotifyAsync(message, destination, TimeSpan.FromSeconds(Timeout), token),
                message.Key,
                out var sent))
        {
            return;
        }

        var item = sent.Item;
        if (!sent.Added)
        {
            WriteVerbose($"The outbox already has {item.IdempotencyKey} ({item.State}): it is not sent again.");
        }

        if (item.State == nameof(OutboxState.DeadLetter))
        {
            WriteEngineError(new DeployOpsError(ErrorIds.NotificationDeadLettered, DeployOpsErrorKind.InvalidArgument,
                $"Slack refused notification {item.IdempotencyKey} to {item.Destination}: {item.LastError}. It is in the dead-letter queue.", item)
            {
                RecommendedAction = "Fix the destination (token, channel, webhook), then review the dead letters: Get-NotificationQueue -DeadLetter | Remove-NotificationQueueItem.",
            });
            return;
        }

        if (item.State == nameof(OutboxState.Pending) && !QueueOnly)
        {
            WriteWarning($"Slack did not take notification {item.IdempotencyKey} yet ({item.LastError ?? "waiting for the rate limit"}); it stays queued in {sending.Outbox.Path} "
                + $"and is retried at {item.NextAttemptAt:u} by Invoke-NotificationQueue or a running monitor.");
        }

        WriteObject(item);
    }

    /// <summary>With a correlation id, the same message about the same deployment is one message; without, every call is new.</summary>
    private string DefaultKey()
    {
        if (CorrelationId is null)
        {
            return "message:" + Guid.NewGuid().ToString("N");
        }

        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes($"{Kind}\n{Message}"));
        return $"{CorrelationId}:{Kind.ToString().ToLowerInvariant()}:{string.Concat(hash.Take(8).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)))}";
    }
}
