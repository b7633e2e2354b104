using System;
using System.Linq;
using DeployOps.Notifications;
using Xunit;

namespace DeployOps.Engine.Tests.Coordination;

/// <summary>The outbox's rules without files or HTTP: idempotency, order and rate per channel, 429, 5xx, dead letter, merging, take-over.</summary>
public sealed class OutboxLedgerTests
{
    private const string Channel = "slack:slack.com/C0A9M9DPFUY";
    private const string Other = "webhook:0123456789ab";
    private const string Me = "host|1|me";
    private static readonly DateTimeOffset T0 = new(2025, 1, 14, 10, 0, 0, TimeSpan.Zero);
    private static readonly OutboxPolicy Policy = new() { MaxAttempts = 3, BaseDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(60) };

    private static OutboxEntry Message(string key, NotificationKind kind = NotificationKind.Message, string destination = Channel, string? correlationId = "deploy-1") => new()
    {
        Key = key,
        Kind = kind,
        Text = "text of " + key,
        CorrelationId = correlationId,
        StackName = "lightwave-dev-app",
        Destination = destination,
        DestinationLabel = destination,
    };

    private static OutboxClaim? Claim(OutboxDocument document, DateTimeOffset now, string owner = Me, Func<string?, bool>? alive = null, params string[] destinations) =>
        OutboxLedger.ClaimNext(document, destinations.Length == 0 ? new[] { Channel } : destinations, owner, alive ?? (_ => true), now, Policy);

    private static OutboxEntry? Answer(OutboxDocument document, string key, SlackAnswer answer, DateTimeOffset now, string owner = Me) =>
        OutboxLedger.Complete(document, key, owner, answer, now, Policy, new Random(7));

    [Fact]
    public void A_key_the_outbox_has_is_never_added_again_whatever_its_state()
    {
        var document = new OutboxDocument();
        Assert.True(OutboxLedger.Enqueue(document, Message("a"), T0).Added);
        Answer(document, Claim(document, T0)!.Entry.Key, SlackAnswer.Ok(), T0);

        var (existing, added) = OutboxLedger.Enqueue(document, Message("a"), T0.AddMinutes(1));

        Assert.False(added);
        Assert.Equal(OutboxState.Delivered, existing.State);
        Assert.Single(document.Messages);
        Assert.Null(Claim(document, T0.AddMinutes(1)));
    }

    [Fact]
    public void Messages_of_a_channel_go_out_in_order_at_one_per_second()
    {
        var document = new OutboxDocument();
        OutboxLedger.Enqueue(document, Message("first"), T0);
        OutboxLedger.Enqueue(document, Message("second"), T0);

        var first = Claim(document, T0)!;
        Answer(document, first.Entry.Key, SlackAnswer.Ok(), T0);

        Assert.Equal("first", first.Entry.Key);
        Assert.Null(Claim(document, T0.AddMilliseconds(999)));
        Assert.Equal(T0.AddSeconds(1), OutboxLedger.NextDue(document, new[] { Channel }, T0));
        Assert.Equal("second", Claim(document, T0.AddSeconds(1))!.Entry.Key);
    }

    [Fact]
    public void Another_channel_is_not_held_back_by_a_busy_one()
    {
        var document = new OutboxDocument();
        OutboxLedger.Enqueue(document, Message("c1"), T0);
        OutboxLedger.Enqueue(document, Message("c2"), T0);
        OutboxLedger.Enqueue(document, Message("w1", destination: Other), T0);

        Assert.Equal("c1", Claim(document, T0, destinations: new[] { Channel, Other })!.Entry.Key);
        Assert.Equal("w1", Claim(document, T0, destinations: new[] { Channel, Other })!.Entry.Key);
    }

    [Fact]
    public void A_429_waits_for_Retry_After_for_the_whole_channel_and_does_not_count_as_an_attempt()
    {
        var document = new OutboxDocument();
        OutboxLedger.Enqueue(document, Message("a"), T0);
        OutboxLedger.Enqueue(document, Message("b"), T0);

        var after429 = Answer(document, Claim(document, T0)!.Entry.Key, new SlackAnswer(SlackOutcome.RateLimited, "HTTP 429", TimeSpan.FromSeconds(30)), T0)!;

        Assert.Equal(OutboxState.Pending, after429.State);
        Assert.Equal(0, after429.Attempts);
        Assert.Equal(T0.AddSeconds(30), after429.NextAttemptAt);
        Assert.Contains("Retry-After 30 s", after429.LastError, StringComparison.Ordinal);
        Assert.Null(Claim(document, T0.AddSeconds(29)));
        Assert.Equal("a", Claim(document, T0.AddSeconds(30))!.Entry.Key);
    }

    [Fact]
    public void A_5xx_is_retried_with_backoff_and_goes_to_dead_letter_after_the_maximum_attempts()
    {
        var document = new OutboxDocument();
        OutboxLedger.Enqueue(document, Message("a"), T0);
        var now = T0;
        OutboxEntry? last = null;
        for (var attempt = 1; attempt <= Policy.MaxAttempts; attempt++)
        {
            var claim = Claim(document, now);
            Assert.NotNull(claim);
            Assert.Equal(attempt, claim!.Entry.Attempts);
            last = Answer(document, "a", new SlackAnswer(SlackOutcome.Transient, "HTTP 503"), now)!;
            if (attempt < Policy.MaxAttempts)
            {
                var wait = last.NextAttemptAt!.Value - now;
                var exponential = TimeSpan.FromSeconds(2 * Math.Pow(2, attempt - 1));
                Assert.InRange(wait, TimeSpan.FromTicks(exponential.Ticks / 2), exponential);
                Assert.Null(Claim(document, now + wait - TimeSpan.FromMilliseconds(1)));
                now += wait;
            }
        }

        Assert.Equal(OutboxState.DeadLetter, last!.State);
        Assert.Equal("HTTP 503 (gave up after 3 attempts)", last.LastError);
        Assert.Null(Claim(document, now.AddHours(1)));
    }

    [Theory]
    [InlineData("invalid_token")]
    [InlineData("channel_not_found")]
    [InlineData("channel_is_archived")]
    [InlineData("invalid_payload")]
    public void A_configuration_error_goes_to_dead_letter_at_once_and_the_next_message_goes_on(string error)
    {
        var document = new OutboxDocument();
        OutboxLedger.Enqueue(document, Message("a"), T0);
        OutboxLedger.Enqueue(document, Message("b"), T0);

        var dead = Answer(document, Claim(document, T0)!.Entry.Key, new SlackAnswer(OutboxPolicy.OutcomeOfError(error), error), T0)!;

        Assert.Equal(OutboxState.DeadLetter, dead.State);
        Assert.Equal(1, dead.Attempts);
        Assert.StartsWith(error, dead.LastError, StringComparison.Ordinal);
        Assert.Equal("b", Claim(document, T0.AddSeconds(1))!.Entry.Key);
    }

    [Fact]
    public void Queued_progress_of_one_deployment_is_merged_into_one_summary_in_its_place()
    {
        var document = new OutboxDocument();
        OutboxLedger.Enqueue(document, Message("deploy-1:started", NotificationKind.Started), T0);
        foreach (var slot in new[] { 1, 2, 3 })
        {
            OutboxLedger.Enqueue(document, Message($"deploy-1:progress:{slot}", NotificationKind.Progress), T0.AddMinutes(5 * slot));
        }

        OutboxLedger.Enqueue(document, Message("deploy-2:progress:1", NotificationKind.Progress, correlationId: "deploy-2"), T0.AddMinutes(16));
        OutboxLedger.Enqueue(document, Message("deploy-1:finished", NotificationKind.Completed), T0.AddMinutes(20));
        Answer(document, Claim(document, T0.AddMinutes(21))!.Entry.Key, SlackAnswer.Ok(), T0.AddMinutes(21));

        var summary = Claim(document, T0.AddMinutes(22))!.Entry;

        Assert.Equal("summary:deploy-1:progress:3", summary.Key);
        Assert.Equal(new[] { "deploy-1:progress:1", "deploy-1:progress:2", "deploy-1:progress:3" }, summary.MergedKeys);
        Assert.StartsWith("Progress summary of lightwave-dev-app (2 earlier update(s) queued since", summary.Text, StringComparison.Ordinal);
        Assert.EndsWith("text of deploy-1:progress:3", summary.Text, StringComparison.Ordinal);
        Assert.All(document.Messages.Where(m => m.Key.StartsWith("deploy-1:progress", StringComparison.Ordinal)),
            m => Assert.Equal((OutboxState.Merged, summary.Key), (m.State, m.MergedInto)));
        Answer(document, summary.Key, SlackAnswer.Ok(), T0.AddMinutes(22));
        Assert.Equal("deploy-2:progress:1", Claim(document, T0.AddMinutes(23))!.Entry.Key);
        Answer(document, "deploy-2:progress:1", SlackAnswer.Ok(), T0.AddMinutes(23));
        Assert.Equal("deploy-1:finished", Claim(document, T0.AddMinutes(24))!.Entry.Key);
    }

    [Fact]
    public void A_summary_merged_again_carries_every_key_it_stands_for()
    {
        var document = new OutboxDocument();
        OutboxLedger.Enqueue(document, Message("p1", NotificationKind.Progress), T0);
        OutboxLedger.Enqueue(document, Message("p2", NotificationKind.Progress), T0);
        var summary = Claim(document, T0)!.Entry;
        Answer(document, summary.Key, new SlackAnswer(SlackOutcome.Transient, "HTTP 503"), T0);
        OutboxLedger.Enqueue(document, Message("p3", NotificationKind.Progress), T0.AddSeconds(1));

        var again = Claim(document, T0.AddMinutes(1))!.Entry;

        Assert.Equal(new[] { "p1", "p2", "p3" }, again.MergedKeys);
        Assert.Equal(2, again.Attempts);
        Assert.Contains("(2 earlier update(s)", again.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_whose_sender_died_mid_post_is_taken_over_to_be_verified_not_blindly_resent()
    {
        var document = new OutboxDocument();
        OutboxLedger.Enqueue(document, Message("a"), T0);
        Claim(document, T0, owner: "host|999|dead");

        Assert.Null(Claim(document, T0.AddSeconds(5), alive: _ => true));
        var takeOver = Claim(document, T0.AddSeconds(5), alive: owner => owner != "host|999|dead")!;

        Assert.True(takeOver.Verify);
        Assert.Equal(1, takeOver.Entry.Attempts);
        Assert.Null(Answer(document, "a", SlackAnswer.Ok(), T0.AddSeconds(6), owner: "host|999|dead"));
        Assert.Equal(OutboxState.Delivered, Answer(document, "a", SlackAnswer.Ok(), T0.AddSeconds(6))!.State);
    }

    [Fact]
    public void A_lease_that_ran_out_is_taken_over_even_when_the_sender_may_live()
    {
        var document = new OutboxDocument();
        OutboxLedger.Enqueue(document, Message("a"), T0);
        Claim(document, T0, owner: "other-host|5|x");

        Assert.True(Claim(document, T0 + Policy.Lease, alive: _ => true)!.Verify);
    }

    [Fact]
    public void Delivered_messages_are_forgotten_after_the_retention_and_dead_letters_are_kept()
    {
        var document = new OutboxDocument();
        OutboxLedger.Enqueue(document, Message("sent"), T0);
        OutboxLedger.Enqueue(document, Message("dead", destination: Other), T0);
        Answer(document, Claim(document, T0)!.Entry.Key, SlackAnswer.Ok(), T0);
        Answer(document, Claim(document, T0, destinations: new[] { Other })!.Entry.Key, new SlackAnswer(SlackOutcome.Configuration, "channel_not_found"), T0);

        OutboxLedger.Prune(document, T0 + Policy.Retention + TimeSpan.FromSeconds(1), Policy);

        Assert.Equal("dead", Assert.Single(document.Messages).Key);
    }
}
