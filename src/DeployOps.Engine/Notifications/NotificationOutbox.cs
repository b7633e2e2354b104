using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Errors;
using DeployOps.Storage;

namespace DeployOps.Notifications;

/// <summary>
/// The durable outbox every notification goes through (<c>outbox.json</c> in the <see cref="DeploymentStore"/>): the
/// <see cref="OutboxLedger"/>'s rules, each run under the store's lock between processes, so several senders (a
/// monitor, the scheduled Invoke-NotificationQueue) share it without posting a message twice. It never holds a token or
/// a webhook URL: messages name their destination by its id.
/// </summary>
public sealed class NotificationOutbox
{
    /// <summary>The outbox's file name in the store.</summary>
    public const string FileName = "outbox.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly LockedJsonFile<OutboxDocument> _file;
    private readonly Func<DateTimeOffset> _now;
    private readonly Random _random;

    public NotificationOutbox(DeploymentStore store, OutboxPolicy? policy = null, Func<DateTimeOffset>? now = null, Random? random = null)
    {
        Store = store;
        Policy = policy ?? new OutboxPolicy();
        _now = now ?? (() => DateTimeOffset.UtcNow);
        _random = random ?? new Random();
        _file = new LockedJsonFile<OutboxDocument>(store.PathOf(FileName), Json);
        Owner = string.Join("|", Environment.MachineName, Process.GetCurrentProcess().Id.ToString(CultureInfo.InvariantCulture), Guid.NewGuid().ToString("N").Substring(0, 8));
    }

    public DeploymentStore Store { get; }

    public OutboxPolicy Policy { get; }

    /// <summary>The outbox file.</summary>
    public string Path => _file.Path;

    /// <summary>This sender: host, process id and an instance id (what an in-flight message names as its sender).</summary>
    public string Owner { get; }

    /// <summary>The current time as the outbox sees it.</summary>
    public DateTimeOffset Now => _now();

    /// <summary>Adds a message for <paramref name="destination"/> unless its key is there already; returns where it stands.</summary>
    public async Task<(NotificationQueueItem Item, bool Added)> EnqueueAsync(OutboxEntry message, SlackDestination destination, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(message.Text))
        {
            // Slack answers no_text: refused here, before it could only go to dead letter.
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidNotification, DeployOpsErrorKind.InvalidArgument,
                $"'{message.Text}' is not a notification; expected a message with text (Slack refuses an empty one).", message.Text));
        }

        message.Destination = destination.Id;
        message.DestinationLabel = destination.Label;
        (OutboxEntry Entry, bool Added) result = default;
        await UpdateAsync(document => result = OutboxLedger.Enqueue(document, message, _now()), cancellationToken).ConfigureAwait(false);
        return (Item(result.Entry!), result.Added);
    }

    /// <summary>Hands out the next message due for one of <paramref name="destinations"/> (see <see cref="OutboxLedger.ClaimNext"/>).</summary>
    public async Task<OutboxClaim?> ClaimNextAsync(IReadOnlyCollection<string> destinations, CancellationToken cancellationToken)
    {
        OutboxClaim? claim = null;
        await UpdateAsync(document => claim = OutboxLedger.ClaimNext(document, destinations, Owner, IsAlive, _now(), Policy), cancellationToken).ConfigureAwait(false);
        return claim;
    }

    /// <summary>Records Slack's answer to a claimed message; null when this sender no longer held it.</summary>
    public async Task<NotificationQueueItem?> CompleteAsync(string key, SlackAnswer answer, CancellationToken cancellationToken)
    {
        OutboxEntry? entry = null;
        await UpdateAsync(document => entry = OutboxLedger.Complete(document, key, Owner, answer, _now(), Policy, _random), cancellationToken).ConfigureAwait(false);
        return entry is null ? null : Item(entry);
    }

    /// <summary>Removes a pending or dead-letter message (Remove-NotificationQueueItem).</summary>
    public async Task<NotificationQueueItem> RemoveAsync(string key, CancellationToken cancellationToken)
    {
        OutboxEntry? removed = null;
        await UpdateAsync(document => removed = OutboxLedger.Remove(document, key), cancellationToken).ConfigureAwait(false);
        return removed is not null
            ? Item(removed)
            : throw new DeployOpsException(ErrorTranslator.NotFound(ErrorIds.NotificationQueueItemNotFound,
                $"The outbox has no pending or dead-letter message with key '{key}'. See them with Get-NotificationQueue -Pending or -DeadLetter.", key));
    }

    /// <summary>The messages in <paramref name="states"/>, oldest first.</summary>
    public IReadOnlyList<NotificationQueueItem> Items(params OutboxState[] states) =>
        Read().Messages.Where(m => states.Contains(m.State)).OrderBy(m => m.Sequence).Select(Item).ToList();

    /// <summary>The message with <paramref name="key"/>, or null.</summary>
    public NotificationQueueItem? Find(string key) => Read().Messages.FirstOrDefault(m => m.Key == key) is { } entry ? Item(entry) : null;

    /// <summary>When something of <paramref name="destinations"/> may next be sent; null when nothing waits for them.</summary>
    public DateTimeOffset? NextDue(IReadOnlyCollection<string> destinations) => OutboxLedger.NextDue(Read(), destinations, _now());

    /// <summary>The counts and the oldest pending message.</summary>
    public NotificationQueueSummary Summary()
    {
        var document = Read();
        var pending = document.Messages.Where(m => m.State == OutboxState.Pending).OrderBy(m => m.EnqueuedAt).ToList();
        var oldest = pending.FirstOrDefault();
        return new NotificationQueueSummary
        {
            Pending = pending.Count,
            InFlight = document.Messages.Count(m => m.State == OutboxState.InFlight),
            DeadLetter = document.Messages.Count(m => m.State == OutboxState.DeadLetter),
            Delivered = document.Messages.Count(m => m.State == OutboxState.Delivered),
            OldestPendingAt = oldest?.EnqueuedAt,
            OldestPendingKey = oldest?.Key,
            OldestPendingError = oldest?.LastError,
            NextAttemptAt = pending.Count == 0 ? null : pending.Min(m => m.NextAttemptAt ?? m.EnqueuedAt),
            OutboxPath = Path,
            RegistryPath = Store.Folder,
        };
    }

    private NotificationQueueItem Item(OutboxEntry entry) => NotificationQueueItem.From(entry, Store.Folder);

    private OutboxDocument Read()
    {
        try
        {
            return _file.Read();
        }
        catch (CorruptFileException ex)
        {
            throw Unavailable(ex);
        }
    }

    private async Task UpdateAsync(Action<OutboxDocument> change, CancellationToken cancellationToken)
    {
        try
        {
            await _file.UpdateAsync(document =>
            {
                change(document);
                OutboxLedger.Prune(document, _now(), Policy);
                return document;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (CorruptFileException ex)
        {
            throw Unavailable(ex);
        }
        catch (TimeoutException ex)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.RegistryLocked, DeployOpsErrorKind.Conflict, ex.Message, Path, ex));
        }
    }

    private DeployOpsException Unavailable(CorruptFileException ex) =>
        new(new DeployOpsError(ErrorIds.NotificationQueueUnavailable, DeployOpsErrorKind.InvalidArgument, $"The notification outbox is corrupted: {ex.Message}", Path, ex)
        {
            RecommendedAction = $"Move '{Path}' aside (its messages can be read there) and run the command again: a new outbox is started.",
        });

    /// <summary>Whether the sender named <paramref name="owner"/> may still be at work: on this host, its process must be running.</summary>
    private static bool IsAlive(string? owner)
    {
        var parts = owner?.Split('|');
        return parts is null || parts.Length != 3
            || (int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var processId) && ProcessLiveness.MayBeRunning(parts[0], processId));
    }
}
