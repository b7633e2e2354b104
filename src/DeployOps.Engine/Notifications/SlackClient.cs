using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace DeployOps.Notifications;

/// <summary>
/// Posts messages to Slack (an incoming webhook, or chat.postMessage with a bot token) and reads each answer as a
/// <see cref="SlackAnswer"/>: delivered, rate limited (429 and Retry-After), transient (5xx, network, timeout) or a
/// configuration error (invalid_token, channel_not_found, ...). Every message carries its idempotency key in Slack's
/// message metadata, so chat.postMessage destinations can be asked (conversations.history) whether a message that was
/// in flight when its sender died did arrive. No answer text ever includes the token or the webhook URL.
/// </summary>
public sealed class SlackClient : IDisposable
{
    /// <summary>The metadata event type DeployOps posts under.</summary>
    public const string MetadataEventType = "deployops_notification";

    private readonly HttpClient _http;

    public SlackClient(TimeSpan timeout, HttpMessageHandler? handler = null)
    {
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = timeout;
    }

    /// <summary>Posts <paramref name="entry"/> to <paramref name="destination"/>.</summary>
    public async Task<SlackAnswer> PostAsync(SlackDestination destination, OutboxEntry entry, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, destination.PostUrl)
        {
            Content = new StringContent(Payload(destination, entry).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (destination.Transport == SlackTransport.ChatPostMessage)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", destination.Secret);
        }

        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            return destination.Transport == SlackTransport.Webhook ? ReadWebhookAnswer(response, body) : ReadApiAnswer(response, body);
        }
        catch (HttpRequestException ex)
        {
            return new SlackAnswer(SlackOutcome.Transient, $"network error: {ex.GetBaseException().Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SlackAnswer(SlackOutcome.Transient, $"no answer within {_http.Timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>
    /// Whether a message with <paramref name="key"/> reached the channel since <paramref name="since"/>: true or false
    /// from conversations.history (chat.postMessage destinations); null when that cannot be told (a webhook, or Slack
    /// did not answer).
    /// </summary>
    public async Task<bool?> WasPostedAsync(SlackDestination destination, string key, DateTimeOffset since, CancellationToken cancellationToken)
    {
        if (destination.ApiUrl is not { } api)
        {
            return null;
        }

        var oldest = (since.ToUnixTimeMilliseconds() / 1000.0 - 60).ToString("0.000000", CultureInfo.InvariantCulture);
        var url = new Uri(api, $"conversations.history?channel={Uri.EscapeDataString(destination.Channel!)}&oldest={oldest}&include_all_metadata=true&limit=200");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", destination.Secret);
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (!response.IsSuccessStatusCode || JsonNode.Parse(body) is not JsonObject answer || answer["ok"]?.GetValue<bool>() != true)
            {
                return null;
            }

            return (answer["messages"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()
                .Any(message => (message["metadata"]?["event_payload"]?["idempotency_key"] as JsonValue)?.ToString() == key);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException or FormatException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>The JSON posted: the text, and the metadata that carries the idempotency key (and the keys a summary stands for).</summary>
    internal static JsonObject Payload(SlackDestination destination, OutboxEntry entry)
    {
        var eventPayload = new JsonObject
        {
            ["idempotency_key"] = entry.Key,
            ["kind"] = entry.Kind.ToString(),
        };
        if (entry.CorrelationId is not null)
        {
            eventPayload["correlation_id"] = entry.CorrelationId;
        }

        if (entry.MergedKeys is { Count: > 0 } merged)
        {
            eventPayload["merged_keys"] = new JsonArray(merged.Select(k => (JsonNode)JsonValue.Create(k)!).ToArray());
        }

        var payload = new JsonObject();
        if (destination.Channel is not null)
        {
            payload["channel"] = destination.Channel;
        }

        payload["text"] = entry.Text;
        payload["unfurl_links"] = false;
        payload["metadata"] = new JsonObject { ["event_type"] = MetadataEventType, ["event_payload"] = eventPayload };
        return payload;
    }

    /// <summary>An incoming webhook answers "ok", or an HTTP error whose body names the problem (invalid_token, channel_not_found...).</summary>
    internal static SlackAnswer ReadWebhookAnswer(HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        var error = FirstWord(body);
        if (status == 429)
        {
            return new SlackAnswer(SlackOutcome.RateLimited, "HTTP 429", RetryAfter(response));
        }

        if (status >= 200 && status < 300)
        {
            return SlackAnswer.Ok();
        }

        if (status >= 500 || status == 408)
        {
            return new SlackAnswer(SlackOutcome.Transient, $"HTTP {status}");
        }

        // Every other 4xx is Slack refusing this webhook or payload; sending it again cannot help.
        return new SlackAnswer(error is not null && OutboxPolicy.TransientErrors.Contains(error) ? SlackOutcome.Transient : SlackOutcome.Configuration,
            error is null ? $"HTTP {status}" : $"{error} (HTTP {status})");
    }

    /// <summary>chat.postMessage answers JSON <c>{"ok":true,"ts":...}</c> or <c>{"ok":false,"error":"..."}</c>; 429 and 5xx as HTTP.</summary>
    internal static SlackAnswer ReadApiAnswer(HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (status == 429)
        {
            return new SlackAnswer(SlackOutcome.RateLimited, "HTTP 429", RetryAfter(response));
        }

        if (status >= 500 || status == 408)
        {
            return new SlackAnswer(SlackOutcome.Transient, $"HTTP {status}");
        }

        JsonObject? answer;
        try
        {
            answer = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            answer = null;
        }

        if (answer?["ok"] is not JsonValue ok || ok.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            // A proxy's page, a cut-off answer: not Slack's word on the message.
            return new SlackAnswer(status >= 400 ? SlackOutcome.Configuration : SlackOutcome.Transient, $"HTTP {status}: not a Slack API answer");
        }

        if (ok.GetValue<bool>())
        {
            return SlackAnswer.Ok((answer["ts"] as JsonValue)?.ToString());
        }

        var error = (answer["error"] as JsonValue)?.ToString() ?? "unknown_error";
        var outcome = OutboxPolicy.OutcomeOfError(error);
        return new SlackAnswer(outcome, error, outcome == SlackOutcome.RateLimited ? RetryAfter(response) : null);
    }

    public void Dispose() => _http.Dispose();

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta;
            }

            if (retryAfter.Date is { } date)
            {
                var wait = date - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        return response.Headers.TryGetValues("Retry-After", out var values)
               && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    private static string? FirstWord(string body)
    {
        var word = new string(body.Trim().TakeWhile(c => char.IsLetterOrDigit(c) || c == '_').ToArray());
        return word.Length == 0 ? null : word;
    }
}
