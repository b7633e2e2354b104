using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DeployOps.Testing;
using Xunit;
using W = DeployOps.Testing.Lightwave.Slack;

namespace DeployOps.Sandbox.Tests;

/// <summary>
/// The Slack simulator over plain HTTP, as Slack's own clients call it: chat.postMessage with a bot token and an incoming
/// webhook answer in Slack's shapes (ok, invalid_auth, channel_not_found, is_archived; 403 invalid_token, 429 with
/// Retry-After, 503 during an outage), and every accepted message is recorded for the tests that count them.
/// </summary>
public sealed class SlackTests : IClassFixture<SandboxFixture>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly SandboxFixture _sandbox;

    public SlackTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private async Task<JsonObject> SlackStateAsync() => (await _sandbox.StateAsync())["slack"]!.AsObject();

    private async Task<(HttpStatusCode Status, JsonObject? Body, HttpResponseMessage Response)> PostMessageAsync(string token, string channel, string text)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, (await SlackStateAsync())["apiUrl"]!.ToString() + "chat.postMessage")
        {
            Content = new StringContent(new JsonObject { ["channel"] = channel, ["text"] = text }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body.StartsWith('{') ? JsonNode.Parse(body)!.AsObject() : null, response);
    }

    private async Task<HttpResponseMessage> WebhookAsync(string url, string text) =>
        await Http.PostAsync(url, new StringContent(new JsonObject { ["text"] = text }.ToJsonString(), Encoding.UTF8, "application/json"));

    private async Task<JsonArray> MessagesAsync() =>
        JsonNode.Parse(await _sandbox.Http.GetStringAsync(new Uri(_sandbox.Url, "_sandbox/slack/messages")))!["messages"]!.AsArray();

    [Fact]
    public async Task Chat_post_message_answers_as_slack_does_and_records_only_what_it_accepted()
    {
        await _sandbox.LoadScenarioAsync("healthy");

        var ok = await PostMessageAsync(W.BotToken, W.DeploymentsChannel, "deploy started");
        Assert.Equal((HttpStatusCode.OK, true, W.DeploymentsChannel), (ok.Status, (bool)ok.Body!["ok"]!, ok.Body["channel"]!.ToString()));
        Assert.False(string.IsNullOrEmpty(ok.Body["ts"]?.ToString()));

        foreach (var (token, channel, error) in new[]
                 {
                     ("xoxb-not-the-bot", W.DeploymentsChannel, "invalid_auth"),
                     (W.BotToken, W.UnknownChannel, "channel_not_found"),
                     (W.BotToken, W.ArchivedChannel, "is_archived"),
                 })
        {
            var refused = await PostMessageAsync(token, channel, "refused");
            Assert.Equal((HttpStatusCode.OK, false, error), (refused.Status, (bool)refused.Body!["ok"]!, refused.Body["error"]!.ToString()));
        }

        var messages = await MessagesAsync();
        Assert.Equal(new[] { "deploy started" }, messages.Select(m => m!["text"]!.ToString()));
    }

    [Fact]
    public async Task The_webhook_refuses_a_wrong_key_throttles_past_a_burst_and_fails_during_a_declared_outage()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        var webhook = (await SlackStateAsync())["webhookUrl"]!.ToString();
        Assert.EndsWith("/services/" + W.Webhook, webhook, StringComparison.Ordinal);

        var wrong = await WebhookAsync(webhook.Replace(W.Webhook, "T0LIGHTWAVE/B0DEPLOYS/NotTheKey", StringComparison.Ordinal), "x");
        Assert.Equal((HttpStatusCode.Forbidden, "invalid_token"), (wrong.StatusCode, await wrong.Content.ReadAsStringAsync()));

        // A burst of 3, then 1 per second per channel: the fifth post at once is told how long to wait.
        var answers = await Task.WhenAll(Enumerable.Range(1, 5).Select(i => WebhookAsync(webhook, $"burst {i}")));
        var throttled = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(throttled);
        Assert.All(throttled, a => Assert.True(a.Headers.RetryAfter?.Delta > TimeSpan.Zero, "a 429 carries Retry-After"));

        var outage = await _sandbox.PostControlAsync("_sandbox/slack/outage", """{"seconds": 600, "status": 503}""");
        Assert.True(outage.IsSuccessStatusCode, await outage.Content.ReadAsStringAsync());
        var down = await WebhookAsync(webhook, "during the outage");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        var downApi = await PostMessageAsync(W.BotToken, W.DeploymentsChannel, "during the outage");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, downApi.Status);

        var texts = (await MessagesAsync()).Select(m => m!["text"]!.ToString()).ToList();
        Assert.DoesNotContain("during the outage", texts);
        Assert.Equal(answers.Count(a => a.IsSuccessStatusCode), texts.Count(t => t.StartsWith("burst", StringComparison.Ordinal)));
    }
}
