using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Operations;
using DeployOps.Redaction;

namespace DeployOps.Notifications;

/// <summary>
/// Sends what the outbox holds for the destinations it was given (what Invoke-NotificationQueue, Send-DeploymentNotification
/// and the monitor run): claims each due message in turn, posts it, records Slack's answer, and waits (up to a limit) for
/// the next one to come due: the per-channel rate, a Retry-After, a backoff. Messages for destinations it was not given
/// (another webhook, another channel) stay queued for a sender that has them.
/// </summary>
public sealed class NotificationDispatcher
{
    private readonly NotificationOutbox _outbox;
    private readonly IReadOnlyDictionary<string, SlackDestination> _destinations;
    private readonly SlackClient _slack;
    private readonly IOperationObserver _observer;
    private readonly SecretRedactor _redactor;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;

    public NotificationDispatcher(NotificationOutbox outbox, IReadOnlyList<SlackDestination> destinations, SlackClient slack, IOperationObserver observer,
        SecretRedactor? redactor = null, Func<TimeSpan, CancellationToken, Task>? delay = null)
    {
        _outbox = outbox;
        _destinations = destinations.GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        _slack = slack;
        _observer = observer;
        _redactor = redactor ?? new SecretRedactor();
        _redactor.AddKnownValues(destinations.SelectMany(d => d.Secrets));
        _delay = delay ?? Task.Delay;
    }

    /// <summary>The outbox it sends from.</summary>
    public NotificationOutbox Outbox => _outbox;

    /// <summary>
    /// Sends every message that is due now or comes due within <paramref name="maxWait"/>; returns each message it
    /// handled, as it last stood (Delivered, Pending again with its next attempt, DeadLetter), in the order handled.
    /// </summary>
    public async Task<IReadOnlyList<NotificationQueueItem>> DrainAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var handled = new Dictionary<string, NotificationQueueItem>(StringComparer.Ordinal);
        var order = new List<string>();
        var ids = _destinations.Keys.ToList();
        var until = _outbox.Now + maxWait;
        while (!cancellationToken.IsCancellationRequested)
        {
            var claim = await _outbox.ClaimNextAsync(ids, cancellationToken).ConfigureAwait(false);
            if (claim is null)
            {
                var next = _outbox.NextDue(ids);
                if (next is null || next > until)
                {
                    break;
                }

                await _delay(Max(next.Value - _outbox.Now, TimeSpan.FromMilliseconds(10)), cancellationToken).ConfigureAwait(false);
                continue;
            }

            var item = await SendAsync(claim, cancellationToken).ConfigureAwait(false);
            if (item is not null)
            {
                if (!handled.ContainsKey(item.IdempotencyKey))
                {
                    order.Add(item.IdempotencyKey);
                }

                handled[item.IdempotencyKey] = item;
            }
        }

        return order.Select(key => handled[key]).ToList();
    }

    /// <summary>
    /// Queues <paramref name="message"/> for <paramref name="destination"/> (its text redacted; nothing when its key was
    /// queued before), then sends what is due, waiting up to <paramref name="maxWait"/>; returns where the message stands
    /// and whether it was new.
    /// </summary>
    public async Task<(NotificationQueueItem Item, bool Added)> NotifyAsync(OutboxEntry message, SlackDestination destination, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var queued = await EnqueueAsync(message, destination, cancellationToken).ConfigureAwait(false);
        if (queued.Added)
        {
            await DrainAsync(maxWait, cancellationToken).ConfigureAwait(false);
        }

        return (_outbox.Find(queued.Item.IdempotencyKey) ?? queued.Item, queued.Added);
    }

    /// <summary>Queues <paramref name="message"/> (its text redacted) unless its key was queued before; sends nothing.</summary>
    public Task<(NotificationQueueItem Item, bool Added)> EnqueueAsync(OutboxEntry message, SlackDestination destination, CancellationToken cancellationToken)
    {
        message.Text = _redactor.Redact(message.Text);
        return _outbox.EnqueueAsync(message, destination, cancellationToken);
    }

    private async Task<NotificationQueueItem?> SendAsync(OutboxClaim claim, CancellationToken cancellationToken)
    {
        var entry = claim.Entry;
        var destination = _destinations[entry.Destination];
        if (claim.Verify)
        {
            // Its sender died mid-post: it may be in the channel already. Ask, where Slack can be asked.
            var posted = await _slack.WasPostedAsync(destination, entry.Key, entry.EnqueuedAt, cancellationToken).ConfigureAwait(false);
            _observer.Verbose($"{entry.Key} was in flight when its sender stopped; {destination.Label} {(posted switch { true => "has it: not posted again", false => "does not have it: posting it", _ => "cannot be asked: posting it again" })}.");
            if (posted == true)
            {
                return await _outbox.CompleteAsync(entry.Key, SlackAnswer.Ok(), cancellationToken).ConfigureAwait(false);
            }
        }

        var answer = await _slack.PostAsync(destination, entry, cancellationToken).ConfigureAwait(false);
        if (answer.Error is not null)
        {
            answer = answer with { Error = _redactor.Redact(answer.Error) };
        }

        var item = await _outbox.CompleteAsync(entry.Key, answer, cancellationToken).ConfigureAwait(false);
        _observer.Verbose(item is null
            ? $"{entry.Key}: another sender took it over while it was being posted; its answer counts."
            : $"{entry.Key} ({entry.Kind}) to {destination.Label}: {item.State}{(answer.Error is null ? "" : $" ({answer.Error})")}.");
        if (item is { StateKind: OutboxState.DeadLetter })
        {
            _observer.Warning($"Notification {entry.Key} to {destination.Label} went to dead letter: {item.LastError}. Review it with Get-NotificationQueue -DeadLetter.");
        }

        return item;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
