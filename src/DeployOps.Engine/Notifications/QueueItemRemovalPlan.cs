using DeployOps.Operations;

namespace DeployOps.Notifications;

/// <summary>Removing one message from the outbox (Remove-NotificationQueueItem), as ShouldProcess shows it.</summary>
public sealed class QueueItemRemovalPlan : IChangePlan
{
    public QueueItemRemovalPlan(string outboxPath, string key, string? why)
    {
        OutboxPath = outboxPath;
        Key = key;
        Why = why;
    }

    public string OutboxPath { get; }

    public string Key { get; }

    /// <summary>Its state and last error, when known.</summary>
    public string? Why { get; }

    public string ShouldProcessTarget => $"notification {Key} in {OutboxPath}";

    public string ShouldProcessAction => $"Remove the message from the outbox{(Why is null ? "" : " (" + Why + ")")}";
}
