using System;
using System.Collections.Generic;
using System.Linq;

namespace DeployOps.Notifications;

/// <summary>A message the outbox handed to a sender.</summary>
/// <param name="Entry">A copy of the message as claimed.</param>
/// <param name="Verify">
/// True when the message was taken over from a sender that went silent mid-post: it may have reached Slack, so the new
/// sender asks Slack first (when it can) and posts only if it did not.
/// </param>
public sealed record OutboxClaim(OutboxEntry Entry, bool Verify);

/// <summary>
/// The outbox's rules as operations on its document, without files or HTTP: adding a message once per idempotency key,
/// handing out each destination's messages in order at one per second, merging queued progress of a deployment into
/// one summary, and recording what Slack answered under the <see cref="OutboxPolicy"/>. <see cref="NotificationOutbox"/>
/// runs each under the store's lock.
/// </summary>
public static class OutboxLedger
{
    /// <summary>Adds <paramref name="entry"/> unless a message with its key is there (in any state); returns the one that is.</summary>
    public static (OutboxEntry Entry, bool Added) Enqueue(OutboxDocument document, OutboxEntry entry, DateTimeOffset now)
    {
        if (document.Messages.FirstOrDefault(m => m.Key == entry.Key) is { } existing)
        {
            return (existing, false);
        }

        entry.Sequence = ++document.LastSequence;
        entry.State = OutboxState.Pending;
        entry.EnqueuedAt = now;
        document.Messages.Add(entry);
        return (entry, true);
    }

    /// <summary>
    /// The next message to post for one of <paramref name="destinations"/>: each destination's oldest unsent message,
    /// when it is due and the destination's rate allows; queued progress of one deployment is merged first. A message
    /// in flight whose sender went silent (lease over, or its process gone) is taken over with <see cref="OutboxClaim.Verify"/>.
    /// </summary>
    public static OutboxClaim? ClaimNext(OutboxDocument document, IReadOnlyCollection<string> destinations, string owner, Func<string?, bool> ownerAlive,
        DateTimeOffset now, OutboxPolicy policy)
    {
        var heads = destinations.Select(d => Head(document, d)).Where(h => h is not null).Select(h => h!).OrderBy(h => h.Sequence).ToList();
        foreach (var head in heads)
        {
            var destination = DestinationState(document, head.Destination);
            if (destination.NextSendAt > now)
            {
                continue;
            }

            if (head.State == OutboxState.InFlight)
            {
                if (head.LeaseUntil > now && ownerAlive(head.ClaimedBy))
                {
                    continue;
                }

                Take(head, destination, owner, now, policy);
                return new OutboxClaim(Copy(head), Verify: true);
            }

            if (head.NextAttemptAt > now)
            {
                continue;
            }

            var claimed = head.Kind == NotificationKind.Progress ? MergeQueuedProgress(document, head) : head;
            claimed.Attempts++;
            Take(claimed, destination, owner, now, policy);
            return new OutboxClaim(Copy(claimed), Verify: false);
        }

        return null;
    }

    /// <summary>
    /// Records what Slack answered for a claimed message; null when <paramref name="owner"/> no longer holds it (another
    /// process took it over, and its answer counts).
    /// </summary>
    public static OutboxEntry? Complete(OutboxDocument document, string key, string owner, SlackAnswer answer, DateTimeOffset now, OutboxPolicy policy, Random random)
    {
        var entry = document.Messages.FirstOrDefault(m => m.Key == key);
        if (entry is null || entry.State != OutboxState.InFlight || entry.ClaimedBy != owner)
        {
            return null;
        }

        entry.ClaimedBy = null;
        entry.LeaseUntil = null;
        entry.ClaimedAt = null;
        switch (answer.Outcome)
        {
            case SlackOutcome.Delivered:
                entry.State = OutboxState.Delivered;
                entry.DeliveredAt = now;
                entry.SlackTs = answer.Ts;
                entry.NextAttemptAt = null;
                break;
            case SlackOutcome.RateLimited:
                // Slack asked to slow down: the whole channel waits, and the attempt does not count.
                var wait = answer.RetryAfter ?? policy.DefaultRetryAfter;
                entry.State = OutboxState.Pending;
                entry.Attempts = Math.Max(0, entry.Attempts - 1);
                entry.NextAttemptAt = now + wait;
                entry.LastError = $"{answer.Error ?? "HTTP 429"} (Retry-After {wait.TotalSeconds:0} s)";
                DestinationState(document, entry.Destination).NextSendAt = now + wait;
                break;
            case SlackOutcome.Transient when entry.Attempts < policy.MaxAttempts:
                entry.State = OutboxState.Pending;
                entry.NextAttemptAt = now + policy.Backoff(entry.Attempts, random);
                entry.LastError = answer.Error;
                break;
            case SlackOutcome.Transient:
                entry.State = OutboxState.DeadLetter;
                entry.NextAttemptAt = null;
                entry.LastError = $"{answer.Error} (gave up after {entry.Attempts} attempts)";
                break;
            default:
                entry.State = OutboxState.DeadLetter;
                entry.NextAttemptAt = null;
                entry.LastError = $"{answer.Error} (a configuration error: not retried)";
                break;
        }

        return Copy(entry);
    }

    /// <summary>
    /// When something of <paramref name="destinations"/> may next be claimed (null when nothing waits): the later of a
    /// head's retry time, its destination's rate limit, and an in-flight head's lease.
    /// </summary>
    public static DateTimeOffset? NextDue(OutboxDocument document, IReadOnlyCollection<string> destinations, DateTimeOffset now)
    {
        DateTimeOffset? next = null;
        foreach (var head in destinations.Select(d => Head(document, d)).Where(h => h is not null).Select(h => h!))
        {
            var due = Later(now, DestinationState(document, head.Destination).NextSendAt);
            due = head.State == OutboxState.InFlight ? Later(due, head.LeaseUntil) : Later(due, head.NextAttemptAt);
            next = next is null || due < next ? due : next;
        }

        return next;
    }

    /// <summary>Forgets delivered and merged messages older than the retention (dead letters stay until removed).</summary>
    public static void Prune(OutboxDocument document, DateTimeOffset now, OutboxPolicy policy) =>
        document.Messages.RemoveAll(m => m.State is OutboxState.Delivered or OutboxState.Merged && (m.DeliveredAt ?? m.EnqueuedAt) < now - policy.Retention);

    /// <summary>Removes a pending or dead-letter message; null when there is none with <paramref name="key"/> in those states.</summary>
    public static OutboxEntry? Remove(OutboxDocument document, string key)
    {
        var entry = document.Messages.FirstOrDefault(m => m.Key == key && m.State is OutboxState.Pending or OutboxState.DeadLetter);
        if (entry is not null)
        {
            document.Messages.Remove(entry);
        }

        return entry;
    }

    /// <summary>Every key a message stands for: its own, or those of the progress messages it summarises.</summary>
    public static IReadOnlyList<string> KeysOf(OutboxEntry entry) => entry.MergedKeys is { Count: > 0 } merged ? merged : new[] { entry.Key };

    /// <summary>
    /// Merges every pending progress message of <paramref name="head"/>'s deployment and destination into one summary
    /// that takes the head's place in line; returns the summary, or the head alone when there is nothing to merge.
    /// </summary>
    private static OutboxEntry MergeQueuedProgress(OutboxDocument document, OutboxEntry head)
    {
        if (head.CorrelationId is null)
        {
            return head;
        }

        var queued = document.Messages
            .Where(m => m.State == OutboxState.Pending && m.Kind == NotificationKind.Progress && m.Destination == head.Destination && m.CorrelationId == head.CorrelationId)
            .OrderBy(m => m.Sequence).ToList();
        if (queued.Count < 2)
        {
            return head;
        }

        var summary = new OutboxEntry
        {
            Key = "summary:" + queued[queued.Count - 1].Key,
            Sequence = head.Sequence,
            Kind = NotificationKind.Progress,
            Text = OutboxPolicy.SummaryText(queued),
            CorrelationId = head.CorrelationId,
            StackName = head.StackName,
            Destination = head.Destination,
            DestinationLabel = head.DestinationLabel,
            State = OutboxState.Pending,
            Attempts = head.Attempts,
            EnqueuedAt = head.EnqueuedAt,
            LastError = head.LastError,
            MergedKeys = queued.SelectMany(KeysOf).ToList(),
        };
        foreach (var merged in queued)
        {
            merged.State = OutboxState.Merged;
            merged.MergedInto = summary.Key;
            merged.NextAttemptAt = null;
        }

        document.Messages.Add(summary);
        return summary;
    }

    private static OutboxEntry? Head(OutboxDocument document, string destination) =>
        document.Messages.Where(m => m.Destination == destination && m.State is OutboxState.Pending or OutboxState.InFlight).OrderBy(m => m.Sequence).FirstOrDefault();

    private static void Take(OutboxEntry entry, OutboxDestinationState destination, string owner, DateTimeOffset now, OutboxPolicy policy)
    {
        entry.State = OutboxState.InFlight;
        entry.ClaimedBy = owner;
        entry.ClaimedAt = now;
        entry.LeaseUntil = now + policy.Lease;
        destination.NextSendAt = now + policy.RateInterval;
    }

    private static OutboxDestinationState DestinationState(OutboxDocument document, string destination)
    {
        if (!document.Destinations.TryGetValue(destination, out var state))
        {
            state = new OutboxDestinationState();
            document.Destinations[destination] = state;
        }

        return state;
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset? b) => b is { } value && value > a ? value : a;

    private static OutboxEntry Copy(OutboxEntry entry) => new()
    {
        Key = entry.Key,
        Sequence = entry.Sequence,
        Kind = entry.Kind,
        Text = entry.Text,
        CorrelationId = entry.CorrelationId,
        StackName = entry.StackName,
        Destination = entry.Destination,
        DestinationLabel = entry.DestinationLabel,
        State = entry.State,
        Attempts = entry.Attempts,
        EnqueuedAt = entry.EnqueuedAt,
        NextAttemptAt = entry.NextAttemptAt,
        LastError = entry.LastError,
        DeliveredAt = entry.DeliveredAt,
        MergedInto = entry.MergedInto,
        MergedKeys = entry.MergedKeys?.ToList(),
        ClaimedBy = entry.ClaimedBy,
        LeaseUntil = entry.LeaseUntil,
        ClaimedAt = entry.ClaimedAt,
        SlackTs = entry.SlackTs,
    };
}
