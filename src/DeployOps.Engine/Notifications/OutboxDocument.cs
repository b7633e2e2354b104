using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace DeployOps.Notifications;

/// <summary>What a notification is about.</summary>
public enum NotificationKind
{
    /// <summary>A message an operator sent (Send-DeploymentNotification).</summary>
    Message,

    /// <summary>A deployment started (or its monitor started watching it).</summary>
    Started,

    /// <summary>A deployment's progress: every N minutes, or a resource group done. Queued ones of one deployment merge.</summary>
    Progress,

    /// <summary>No stack event for a while: the deployment may be stuck.</summary>
    Stuck,

    /// <summary>The deployment completed.</summary>
    Completed,

    /// <summary>The deployment failed, with its first failure's reason.</summary>
    Failed,
}

/// <summary>Where a message is in the outbox.</summary>
public enum OutboxState
{
    /// <summary>Waiting to be sent (first time, or again after a 429, a 5xx or a network error).</summary>
    Pending,

    /// <summary>Being sent by a process (its lease says until when).</summary>
    InFlight,

    /// <summary>Slack took it.</summary>
    Delivered,

    /// <summary>Merged into a progress summary with other queued progress of its deployment; the summary carries its key.</summary>
    Merged,

    /// <summary>Given up: a configuration error, or the maximum attempts. Kept for review (Get-NotificationQueue -DeadLetter).</summary>
    DeadLetter,
}

/// <summary>One message of the outbox file, with where it stands.</summary>
public sealed class OutboxEntry
{
    /// <summary>The idempotency key: a message with a key the outbox has is never added (nor sent) again.</summary>
    public string Key { get; set; } = "";

    /// <summary>Enqueue order: each destination's messages go out in it.</summary>
    public long Sequence { get; set; }

    [JsonConverter(typeof(JsonStringEnumConverter))]
    public NotificationKind Kind { get; set; }

    public string Text { get; set; } = "";

    public string? CorrelationId { get; set; }

    public string? StackName { get; set; }

    /// <summary>The destination's id (<see cref="SlackDestination.Id"/>): never a secret.</summary>
    public string Destination { get; set; } = "";

    /// <summary>The destination as people read it (<see cref="SlackDestination.Label"/>).</summary>
    public string DestinationLabel { get; set; } = "";

    [JsonConverter(typeof(JsonStringEnumConverter))]
    public OutboxState State { get; set; }

    /// <summary>Sending attempts that failed or are under way (429s do not count).</summary>
    public int Attempts { get; set; }

    public DateTimeOffset EnqueuedAt { get; set; }

    /// <summary>Not before this time (backoff, Retry-After).</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>What the last attempt got, e.g. "HTTP 503" or "channel_not_found".</summary>
    public string? LastError { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>For a Merged message: the key of the summary that carries it.</summary>
    public string? MergedInto { get; set; }

    /// <summary>For a summary: the keys of the progress messages it stands for.</summary>
    public List<string>? MergedKeys { get; set; }

    /// <summary>The process sending it (InFlight): host, process id and an instance id.</summary>
    public string? ClaimedBy { get; set; }

    /// <summary>When an InFlight message whose sender went silent may be taken over.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>When the current attempt started (InFlight).</summary>
    public DateTimeOffset? ClaimedAt { get; set; }

    /// <summary>The timestamp Slack gave the posted message (chat.postMessage).</summary>
    public string? SlackTs { get; set; }
}

/// <summary>The rate limit of one destination.</summary>
public sealed class OutboxDestinationState
{
    /// <summary>Not before this time: one message per second per channel, longer after a 429's Retry-After.</summary>
    public DateTimeOffset? NextSendAt { get; set; }
}

/// <summary>The outbox file (<c>outbox.json</c> in the deployment store).</summary>
public sealed class OutboxDocument
{
    public long LastSequence { get; set; }

    public List<OutboxEntry> Messages { get; set; } = new();

    public Dictionary<string, OutboxDestinationState> Destinations { get; set; } = new(StringComparer.Ordinal);
}
