using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DeployOps.Engine.Tests.Support;
using DeployOps.Notifications;
using DeployOps.Operations;
using DeployOps.Storage;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Coordination;

/// <summary>
/// Runbook 001, "Slack notifications failing": the outbox posting to the sandbox's Slack simulator through real HTTP,
/// through outages, 429s and configuration errors. The simulator counts what it accepted, by idempotency key.
/// </summary>
public sealed class SlackDeliverySandboxTests : IClassFixture<SandboxFixture>, IDisposable
{
    private static readonly OutboxPolicy Fast = new()
    {
        MaxAttempts = 30,
        BaseDelay = TimeSpan.FromMilliseconds(100),
        MaxDelay = TimeSpan.FromMilliseconds(400),
        RateInterval = TimeSpan.FromMilliseconds(50),
    };

    private readonly SandboxFixture _sandbox;
    private readonly TempDirectory _folder = new();
    private readonly SlackClient _slack = new(TimeSpan.FromSeconds(10));

    public SlackDeliverySandboxTests(SandboxFixture sandbox) => _sandbox = sandbox;

    public void Dispose()
    {
        _slack.Dispose();
        _folder.Dispose();
    }

    private async Task<Uri> ApiUrlAsync() => new((await _sandbox.StateAsync())["slack"]!["apiUrl"]!.GetValue<string>());

    private async Task<string> WebhookUrlAsync() => (await _sandbox.StateAsync())["slack"]!["webhookUrl"]!.GetValue<string>();

    private async Task<JsonObject> AcceptedAsync() =>
        JsonNode.Parse(await _sandbox.Http.GetStringAsync(new Uri(_sandbox.Url, "_sandbox/slack/messages")))!.AsObject();

    private NotificationDispatcher Dispatcher(SlackDestination destination, OutboxPolicy? policy = null) =>
        new(new NotificationOutbox(new DeploymentStore(Path.Combine(_folder.Path, Guid.NewGuid().ToString("N"))), policy ?? Fast),
            new[] { destination }, _slack, NullOperationObserver.Instance);

    private static OutboxEntry Message(string key, NotificationKind kind = NotificationKind.Message) => new()
    {
        Key = key,
        Kind = kind,
        Text = $"{kind} of {Lightwave.SlackOutage.Stack} ({key})",
        CorrelationId = "deploy-20250114-101000-0a1b2c",
        StackName = Lightwave.SlackOutage.Stack,
    };

    [Fact]
    public async Task Messages_queued_during_an_outage_all_arrive_once_when_slack_is_back()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        var destination = SlackDestination.BotToken(Lightwave.Slack.BotToken, Lightwave.Slack.DeploymentsChannel, await ApiUrlAsync());
        var dispatcher = Dispatcher(destination);
        var outage = await _sandbox.PostControlAsync("_sandbox/slack/outage", """{"seconds": 150, "status": 503}""");
        Assert.True(outage.IsSuccessStatusCode, await outage.Content.ReadAsStringAsync());

        foreach (var key in new[] { "k-1", "k-2", "k-3" })
        {
            await dispatcher.EnqueueAsync(Message(key), destination, default);
        }

        var first = await dispatcher.DrainAsync(TimeSpan.Zero, default);
        Assert.Equal("Pending", first[0].State);
        Assert.Equal("HTTP 503", first[0].LastError);

        var handled = await dispatcher.DrainAsync(TimeSpan.FromSeconds(60), default);

        Assert.All(dispatcher.Outbox.Items(OutboxState.Delivered, OutboxState.Pending, OutboxState.DeadLetter), item => Assert.Equal("Delivered", item.State));
        Assert.Equal(3, handled.Count);
        var accepted = await AcceptedAsync();
        Assert.Equal(new[] { "k-1", "k-2", "k-3" }, accepted["messages"]!.AsArray().Select(m => m!["idempotencyKey"]!.GetValue<string>()));
        Assert.Empty(accepted["duplicates"]!.AsArray());
        Assert.True(accepted["answers"]!["api 503"]!.GetValue<int>() >= 2, accepted["answers"]!.ToJsonString());
    }

    [Fact]
    public async Task A_429_is_waited_out_without_counting_as_a_failed_attempt()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        var destination = SlackDestination.Webhook(await WebhookUrlAsync());
        var dispatcher = Dispatcher(destination, Fast with { MaxAttempts = 1 });
        var limit = await _sandbox.PostControlAsync("_sandbox/slack/rateLimit", """{"seconds": 30, "retryAfterSeconds": 1}""");
        Assert.True(limit.IsSuccessStatusCode, await limit.Content.ReadAsStringAsync());

        var (item, added) = await dispatcher.NotifyAsync(Message("rate-1"), destination, TimeSpan.FromSeconds(30), default);

        // One attempt allowed: the 429 did not use it up, the post that went through did.
        Assert.True(added);
        Assert.Equal(("Delivered", 1), (item.State, item.Attempts));
        var accepted = await AcceptedAsync();
        Assert.Equal("rate-1", Assert.Single(accepted["messages"]!.AsArray())!["idempotencyKey"]!.GetValue<string>());
        Assert.Contains(accepted["answers"]!.AsObject(), answer => answer.Key.StartsWith("webhook 429", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(Lightwave.Slack.UnknownChannel, Lightwave.Slack.BotToken, "channel_not_found")]
    [InlineData(Lightwave.Slack.ArchivedChannel, Lightwave.Slack.BotToken, "is_archived")]
    public async Task A_configuration_error_goes_to_dead_letter_at_once_and_the_next_message_still_goes_out(string channel, string token, string error)
    {
        await _sandbox.LoadScenarioAsync("healthy");
        var api = await ApiUrlAsync();
        var wrong = SlackDestination.BotToken(token, channel, api);
        var right = SlackDestination.BotToken(Lightwave.Slack.BotToken, Lightwave.Slack.DeploymentsChannel, api);
        var dispatcher = new NotificationDispatcher(new NotificationOutbox(new DeploymentStore(Path.Combine(_folder.Path, "both")), Fast),
            new[] { wrong, right }, _slack, NullOperationObserver.Instance);

        await dispatcher.EnqueueAsync(Message("bad-1"), wrong, default);
        await dispatcher.EnqueueAsync(Message("good-1"), right, default);
        await dispatcher.DrainAsync(TimeSpan.FromSeconds(10), default);

        var dead = Assert.Single(dispatcher.Outbox.Items(OutboxState.DeadLetter));
        Assert.Equal(("bad-1", 1), (dead.IdempotencyKey, dead.Attempts));
        Assert.Contains(error, dead.LastError, StringComparison.Ordinal);
        Assert.Equal("Delivered", dispatcher.Outbox.Find("good-1")!.State);
        Assert.Equal("good-1", Assert.Single((await AcceptedAsync())["messages"]!.AsArray())!["idempotencyKey"]!.GetValue<string>());
        Assert.DoesNotContain(token, File.ReadAllText(dispatcher.Outbox.Path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_webhook_slack_does_not_know_goes_to_dead_letter_at_once_and_is_never_shown()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        var webhookUrl = (await WebhookUrlAsync()).Replace(Lightwave.Slack.Webhook, "T0LIGHTWAVE/B0DEPLOYS/RevokedWebhookKey", StringComparison.Ordinal);
        var destination = SlackDestination.Webhook(webhookUrl);
        var dispatcher = Dispatcher(destination);

        var (item, _) = await dispatcher.NotifyAsync(Message("revoked-1"), destination, TimeSpan.FromSeconds(10), default);

        Assert.Equal(("DeadLetter", 1), (item.State, item.Attempts));
        Assert.Contains("invalid_token", item.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain("RevokedWebhookKey", item.LastError + item.Destination + File.ReadAllText(dispatcher.Outbox.Path), StringComparison.Ordinal);
        Assert.Empty((await AcceptedAsync())["messages"]!.AsArray());
    }

    [Fact]
    public async Task A_replayed_key_is_never_posted_twice()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        var webhookUrl = await WebhookUrlAsync();
        var destination = SlackDestination.Webhook(webhookUrl);
        var dispatcher = Dispatcher(destination);

        var first = await dispatcher.NotifyAsync(Message("once-1", NotificationKind.Started), destination, TimeSpan.FromSeconds(10), default);
        var replay = await dispatcher.NotifyAsync(Message("once-1", NotificationKind.Started), destination, TimeSpan.FromSeconds(10), default);

        Assert.Equal((true, "Delivered"), (first.Added, first.Item.State));
        Assert.Equal((false, "Delivered"), (replay.Added, replay.Item.State));
        var accepted = await AcceptedAsync();
        Assert.Single(accepted["messages"]!.AsArray());
        Assert.Empty(accepted["duplicates"]!.AsArray());
        Assert.DoesNotContain(Lightwave.Slack.Webhook, File.ReadAllText(dispatcher.Outbox.Path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_queued_during_an_outage_arrives_as_one_summary_standing_for_every_key()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        var destination = SlackDestination.BotToken(Lightwave.Slack.BotToken, Lightwave.Slack.DeploymentsChannel, await ApiUrlAsync());
        var dispatcher = Dispatcher(destination);
        var outage = await _sandbox.PostControlAsync("_sandbox/slack/outage", """{"seconds": 150, "status": 500}""");
        Assert.True(outage.IsSuccessStatusCode, await outage.Content.ReadAsStringAsync());

        await dispatcher.EnqueueAsync(Message("p-1", NotificationKind.Progress), destination, default);
        Assert.Equal("HTTP 500", Assert.Single(await dispatcher.DrainAsync(TimeSpan.Zero, default)).LastError);
        await dispatcher.EnqueueAsync(Message("p-2", NotificationKind.Progress), destination, default);
        await dispatcher.EnqueueAsync(Message("p-3", NotificationKind.Progress), destination, default);
        await dispatcher.DrainAsync(TimeSpan.FromSeconds(60), default);

        var accepted = await AcceptedAsync();
        var summary = Assert.Single(accepted["messages"]!.AsArray())!;
        Assert.Equal(new[] { "p-1", "p-2", "p-3" }, summary["keys"]!.AsArray().Select(k => k!.GetValue<string>()).OrderBy(k => k, StringComparer.Ordinal));
        Assert.Empty(accepted["duplicates"]!.AsArray());
    }
}
