using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using DeployOps.Notifications;
using Xunit;

namespace DeployOps.Engine.Tests.Coordination;

/// <summary>The outbox policy and how Slack's answers are read, without a network.</summary>
public sealed class OutboxPolicyTests
{
    [Fact]
    public void Backoff_doubles_up_to_the_maximum_with_equal_jitter()
    {
        var policy = new OutboxPolicy { BaseDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromMinutes(5) };
        var random = new Random(1);
        foreach (var (attempt, full) in new[] { (1, 2.0), (2, 4.0), (3, 8.0), (8, 256.0), (9, 300.0), (40, 300.0) })
        {
            var waits = Enumerable.Range(0, 200).Select(_ => policy.Backoff(attempt, random).TotalSeconds).ToList();
            Assert.All(waits, w => Assert.InRange(w, full / 2, full));
            Assert.True(waits.Max() - waits.Min() > full / 4, $"attempt {attempt}: the waits should spread (jitter), got {waits.Min()}..{waits.Max()}");
        }
    }

    [Fact]
    public void The_default_policy_outlasts_a_ten_minute_outage_before_dead_letter()
    {
        var policy = new OutboxPolicy();
        var shortest = Enumerable.Range(1, policy.MaxAttempts - 1).Sum(a => Math.Min(policy.MaxDelay.TotalSeconds, policy.BaseDelay.TotalSeconds * Math.Pow(2, a - 1)) / 2);

        Assert.True(shortest > TimeSpan.FromMinutes(10).TotalSeconds, $"the shortest time to dead letter is {shortest} s");
    }

    [Theory]
    [InlineData("ratelimited", SlackOutcome.RateLimited)]
    [InlineData("internal_error", SlackOutcome.Transient)]
    [InlineData("service_unavailable", SlackOutcome.Transient)]
    [InlineData("invalid_token", SlackOutcome.Configuration)]
    [InlineData("invalid_auth", SlackOutcome.Configuration)]
    [InlineData("channel_not_found", SlackOutcome.Configuration)]
    [InlineData("channel_is_archived", SlackOutcome.Configuration)]
    [InlineData("is_archived", SlackOutcome.Configuration)]
    [InlineData("invalid_payload", SlackOutcome.Configuration)]
    [InlineData("something_new", SlackOutcome.Configuration)]
    public void Slack_errors_are_read_as_slack_documents_them(string error, SlackOutcome outcome) =>
        Assert.Equal(outcome, OutboxPolicy.OutcomeOfError(error));

    [Theory]
    [InlineData(200, "ok", SlackOutcome.Delivered, null)]
    [InlineData(429, "rate_limited", SlackOutcome.RateLimited, "HTTP 429")]
    [InlineData(500, "", SlackOutcome.Transient, "HTTP 500")]
    [InlineData(503, "<html>down</html>", SlackOutcome.Transient, "HTTP 503")]
    [InlineData(403, "invalid_token", SlackOutcome.Configuration, "invalid_token (HTTP 403)")]
    [InlineData(404, "channel_not_found", SlackOutcome.Configuration, "channel_not_found (HTTP 404)")]
    [InlineData(410, "channel_is_archived", SlackOutcome.Configuration, "channel_is_archived (HTTP 410)")]
    [InlineData(400, "invalid_payload", SlackOutcome.Configuration, "invalid_payload (HTTP 400)")]
    public void Webhook_answers_are_read_by_status_and_body(int status, string body, SlackOutcome outcome, string? error)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        response.Headers.TryAddWithoutValidation("Retry-After", "12");

        var answer = SlackClient.ReadWebhookAnswer(response, body);

        Assert.Equal(outcome, answer.Outcome);
        Assert.Equal(error, answer.Error);
        Assert.Equal(outcome == SlackOutcome.RateLimited ? TimeSpan.FromSeconds(12) : null, answer.RetryAfter);
    }

    [Theory]
    [InlineData(200, "{\"ok\":true,\"ts\":\"1700000000.000100\"}", SlackOutcome.Delivered, null)]
    [InlineData(200, "{\"ok\":false,\"error\":\"channel_not_found\"}", SlackOutcome.Configuration, "channel_not_found")]
    [InlineData(200, "{\"ok\":false,\"error\":\"invalid_auth\"}", SlackOutcome.Configuration, "invalid_auth")]
    [InlineData(200, "{\"ok\":false,\"error\":\"internal_error\"}", SlackOutcome.Transient, "internal_error")]
    [InlineData(200, "<html>proxy</html>", SlackOutcome.Transient, "HTTP 200: not a Slack API answer")]
    [InlineData(429, "{\"ok\":false,\"error\":\"ratelimited\"}", SlackOutcome.RateLimited, "HTTP 429")]
    [InlineData(502, "bad gateway", SlackOutcome.Transient, "HTTP 502")]
    public void Chat_post_message_answers_are_read_from_their_json(int status, string body, SlackOutcome outcome, string? error)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);

        var answer = SlackClient.ReadApiAnswer(response, body);

        Assert.Equal(outcome, answer.Outcome);
        Assert.Equal(error, answer.Error);
        Assert.Equal(outcome == SlackOutcome.Delivered ? "1700000000.000100" : null, answer.Ts);
    }

    [Fact]
    public void Destinations_never_show_their_secret()
    {
        const string hook = "https://hooks.slack.com/services/T000/B000/SuperSecretWebhookKey";
        const string token = "xoxb-1234-5678-SuperSecretBotToken";

        var webhook = SlackDestination.Webhook(hook);
        var bot = SlackDestination.BotToken(token, "C0A9M9DPFUY");

        foreach (var shown in new[] { webhook.Id, webhook.Label, webhook.ToString(), bot.Id, bot.Label, bot.ToString() })
        {
            Assert.DoesNotContain("SuperSecret", shown, StringComparison.Ordinal);
        }

        Assert.Contains(hook, webhook.Secrets);
        Assert.Contains(token, bot.Secrets);
        var bad = Assert.Throws<DeployOps.Errors.DeployOpsException>(() => SlackDestination.Webhook("ftp://hooks.slack.com/services/T/B/SuperSecretKey"));
        Assert.Equal("InvalidNotificationDestination", bad.Error.ErrorId);
        Assert.DoesNotContain("SuperSecret", bad.Message, StringComparison.Ordinal);
        var badToken = Assert.Throws<DeployOps.Errors.DeployOpsException>(() => SlackDestination.BotToken("SuperSecret-not-a-token", "C0A9M9DPFUY"));
        Assert.DoesNotContain("SuperSecret", badToken.Message, StringComparison.Ordinal);
    }
}
