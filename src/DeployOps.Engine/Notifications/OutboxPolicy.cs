using System;
using System.Collections.Generic;
using System.Linq;

namespace DeployOps.Notifications;

/// <summary>What one attempt to post a message got from Slack.</summary>
public enum SlackOutcome
{
    /// <summary>Slack took the message.</summary>
    Delivered,

    /// <summary>429 (or <c>ratelimited</c>): wait for Retry-After, then send again; not a failed attempt.</summary>
    RateLimited,

    /// <summary>5xx, a network error, a timeout, an answer that is not Slack's: retry with backoff and jitter.</summary>
    Transient,

    /// <summary>
    /// A configuration error (invalid_token, invalid_auth, channel_not_found, channel_is_archived, invalid_payload, ...):
    /// sending again cannot help, so the message goes to dead letter at once.
    /// </summary>
    Configuration,
}

/// <summary>Slack's answer to one post.</summary>
/// <param name="Outcome">What it means for the message.</param>
/// <param name="Error">What Slack or the network said, e.g. "HTTP 503", "channel_not_found" (never a secret).</param>
/// <param name="RetryAfter">A 429's Retry-After.</param>
/// <param name="Ts">The posted message's timestamp (chat.postMessage).</param>
public sealed record SlackAnswer(SlackOutcome Outcome, string? Error = null, TimeSpan? RetryAfter = null, string? Ts = null)
{
    public static SlackAnswer Ok(string? ts = null) => new(SlackOutcome.Delivered, null, null, ts);
}

/// <summary>
/// How the outbox treats messages (runbook 001, "Slack notifications failing"): one message per second per channel;
/// a 429 waits for Retry-After; 5xx and network errors retry with exponential backoff and jitter; configuration errors
/// go to dead letter at once; after <see cref="MaxAttempts"/> failed attempts, dead letter. Pure: the outbox and its
/// tests use it the same way.
/// </summary>
public sealed record OutboxPolicy
{
    /// <summary>The Slack errors that say the configuration is wrong (token, channel, payload): sending again cannot help.</summary>
    public static readonly IReadOnlyCollection<string> ConfigurationErrors = new HashSet<string>(StringComparer.Ordinal)
    {
        "invalid_token", "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "no_permission",
        "missing_scope", "not_allowed_token_type", "channel_not_found", "channel_is_archived", "is_archived", "not_in_channel",
        "invalid_payload", "invalid_arguments", "invalid_blocks", "invalid_metadata_format", "invalid_metadata_schema", "no_text",
        "msg_too_long", "too_many_attachments", "restricted_action", "action_prohibited", "no_service", "no_team", "team_disabled",
        "user_not_found", "no_active_hooks", "posting_to_general_channel_denied",
    };

    /// <summary>The Slack errors that pass: the message is sent again later.</summary>
    public static readonly IReadOnlyCollection<string> TransientErrors = new HashSet<string>(StringComparer.Ordinal)
    {
        "internal_error", "fatal_error", "service_unavailable", "request_timeout", "rollup_error",
    };

    /// <summary>Failed attempts before dead letter (default 12: at least 20 minutes of backoff, longer than most outages).</summary>
    public int MaxAttempts { get; init; } = 12;

    /// <summary>The first backoff; each failed attempt doubles it, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>One message per this interval per channel.</summary>
    public TimeSpan RateInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The wait after a 429 that gives no Retry-After.</summary>
    public TimeSpan DefaultRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a sender may hold a message before another process takes it over (longer than a post's timeout).</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long delivered and merged messages are remembered, so a replay within it is never posted again.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(14);

    /// <summary>
    /// The wait before attempt <paramref name="failedAttempts"/> + 1: exponential (base, 2x base, 4x base...) up to the
    /// maximum, with "equal jitter": half of it fixed, half random, so processes that failed together spread out yet
    /// every wait is at least half the exponential one.
    /// </summary>
    public TimeSpan Backoff(int failedAttempts, Random random)
    {
        var exponent = Math.Min(Math.Max(failedAttempts - 1, 0), 30);
        var full = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds((full / 2) + (random.NextDouble() * full / 2));
    }

    /// <summary>What a chat.postMessage <c>ok:false</c> error (or an incoming webhook's error body) means.</summary>
    public static SlackOutcome OutcomeOfError(string error) =>
        error == "ratelimited" ? SlackOutcome.RateLimited
        : TransientErrors.Contains(error) ? SlackOutcome.Transient
        : SlackOutcome.Configuration;

    /// <summary>
    /// The text of the summary that stands for several queued progress messages of one deployment (after an outage):
    /// the latest progress in full, and how many earlier ones it replaces, from when.
    /// </summary>
    public static string SummaryText(IReadOnlyList<OutboxEntry> progress)
    {
        var ordered = progress.OrderBy(p => p.Sequence).ToList();
        var latest = ordered[ordered.Count - 1];
        var replaced = ordered.Sum(p => Math.Max(1, p.MergedKeys?.Count ?? 1)) - 1;
        var first = ordered[0].EnqueuedAt.UtcDateTime;
        var stack = latest.StackName is null ? "" : $" of {latest.StackName}";
        return $"Progress summary{stack} ({replaced} earlier update(s) queued since {first:HH:mm:ss} UTC while Slack was unavailable): {StripSummary(latest.Text)}";
    }

    private static string StripSummary(string text)
    {
        var marker = "while Slack was unavailable): ";
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        return text.StartsWith("Progress summary", StringComparison.Ordinal) && at >= 0 ? text.Substring(at + marker.Length) : text;
    }
}
