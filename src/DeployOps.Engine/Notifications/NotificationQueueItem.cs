using System;
using DeployOps.Operations;

namespace DeployOps.Notifications;

/// <summary>
/// One message of the notification outbox (Send-DeploymentNotification, Invoke-NotificationQueue,
/// Get-NotificationQueue -Pending/-DeadLetter): where it stands and why. Pipes into Remove-NotificationQueueItem.
/// </summary>
public sealed class NotificationQueueItem
{
    /// <summary>The idempotency key: the same key is never posted twice.</summary>
    public string IdempotencyKey { get; init; } = string.Empty;

    /// <summary>Message, Started, Progress, Stuck, Completed or Failed.</summary>
    public string Kind { get; init; } = string.Empty;

    /// <summary>Pending, InFlight, Delivered, Merged or DeadLetter.</summary>
    public string State { get; init; } = string.Empty;

    /// <summary>Where it goes, e.g. "Slack channel C0A9M9DPFUY" (never a token or webhook URL).</summary>
    public string Destination { get; init; } = string.Empty;

    public string? CorrelationId { get; init; }

    public string? StackName { get; init; }

    public string Text { get; init; } = string.Empty;

    /// <summary>Failed attempts so far (429s do not count).</summary>
    public int Attempts { get; init; }

    public DateTimeOffset EnqueuedAt { get; init; }

    /// <summary>When it will be tried again (Pending).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>What the last attempt got, e.g. "HTTP 503", "channel_not_found (a configuration error: not retried)".</summary>
    public string? LastError { get; init; }

    public DateTimeOffset? DeliveredAt { get; init; }

    /// <summary>For a Merged message, the summary that carried it.</summary>
    public string? MergedInto { get; init; }

    /// <summary>For a summary, the keys of the queued progress messages it stands for.</summary>
    public PrintableList<string> MergedKeys { get; init; } = PrintableList<string>.Empty;

    /// <summary>The registry folder whose outbox holds it (binds -RegistryPath down the pipeline).</summary>
    public string? RegistryPath { get; init; }

    internal OutboxState StateKind { get; init; }

    internal static NotificationQueueItem From(OutboxEntry entry, string registryFolder) => new()
    {
        IdempotencyKey = entry.Key,
        Kind = entry.Kind.ToString(),
        State = entry.State.ToString(),
        StateKind = entry.State,
        Destination = entry.DestinationLabel,
        CorrelationId = entry.CorrelationId,
        StackName = entry.StackName,
        Text = entry.Text,
        Attempts = entry.Attempts,
        EnqueuedAt = entry.EnqueuedAt,
        NextAttemptAt = entry.NextAttemptAt,
        LastError = entry.LastError,
        DeliveredAt = entry.DeliveredAt,
        MergedInto = entry.MergedInto,
        MergedKeys = (entry.MergedKeys ?? new System.Collections.Generic.List<string>()).ToPrintableList(),
        RegistryPath = registryFolder,
    };

    public override string ToString() => $"{IdempotencyKey} {State}";
}

/// <summary>The outbox at a glance (Get-NotificationQueue, runbook 001's <c>slack-retry-queue.sh status</c>).</summary>
public sealed class NotificationQueueSummary
{
    /// <summary>Messages waiting to be sent.</summary>
    public int Pending { get; init; }

    /// <summary>Messages a process is sending now.</summary>
    public int InFlight { get; init; }

    /// <summary>Messages given up on, kept for review.</summary>
    public int DeadLetter { get; init; }

    /// <summary>Delivered messages still remembered (so a replay is never posted twice).</summary>
    public int Delivered { get; init; }

    /// <summary>When the oldest pending message was queued.</summary>
    public DateTimeOffset? OldestPendingAt { get; init; }

    /// <summary>The oldest pending message's key.</summary>
    public string? OldestPendingKey { get; init; }

    /// <summary>Why the oldest pending message is still pending.</summary>
    public string? OldestPendingError { get; init; }

    /// <summary>When the next message will be tried.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>The outbox file.</summary>
    public string OutboxPath { get; init; } = string.Empty;

    /// <summary>The registry folder (binds -RegistryPath down the pipeline).</summary>
    public string? RegistryPath { get; init; }

    public override string ToString() => $"{Pending} pending, {DeadLetter} dead letter";
}
