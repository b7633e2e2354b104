using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Sandbox.Http;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.Slack;

/// <summary>
/// A Slack workspace on its own loopback URL (not an AWS service: it registers no AWS route). It answers
/// <c>POST /api/chat.postMessage</c> (bot token, channel), an incoming webhook <c>POST /services/&lt;T&gt;/&lt;B&gt;/&lt;key&gt;</c>
/// and <c>/api/conversations.history</c> as Slack does: ok; 429 with Retry-After (a declared window, or more than a burst
/// of 3 then 1 per second per channel); 5xx during a declared outage (world time after the scenario loaded);
/// invalid_auth / invalid_token for a wrong token or webhook; channel_not_found; is_archived / channel_is_archived;
/// invalid_payload / no_text. It records every message it accepts (with the idempotency key DeployOps puts in the
/// message metadata) and every answer, so tests count lost and duplicated messages: <c>GET /_sandbox/slack/messages</c>.
/// </summary>
public sealed class SlackSimulator : Simulator
{
    private const int Burst = 3;

    private readonly MiniHttpServer _server;
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly List<AcceptedMessage> _messages = [];
    private readonly Dictionary<string, int> _answers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (double Tokens, double At)> _buckets = new(StringComparer.Ordinal);
    private readonly List<SlackWindow> _outages = [];
    private readonly List<SlackWindow> _rateLimits = [];
    private SlackDefinition _workspace = new();
    private double _loadedAt;
    private long _nextTs;

    public SlackSimulator(WorldContext world)
        : base(world)
    {
        _server = MiniHttpServer.Start(new IPEndPoint(IPAddress.Loopback, 0), (request, _) => Task.FromResult(Handle(request)));
    }

    /// <summary>The workspace's base URL, e.g. http://127.0.0.1:41234/.</summary>
    public string Url => $"http://127.0.0.1:{_server.EndPoint.Port}/";

    /// <summary>One message Slack took.</summary>
    private sealed record AcceptedMessage(string Channel, string Ts, string Via, string Text, JsonObject? Metadata, double WorldSeconds, DateTimeOffset At)
    {
        public string? IdempotencyKey => (Metadata?["event_payload"]?["idempotency_key"] as JsonValue)?.ToString();

        /// <summary>The keys the message stands for: its own, and those of the progress messages it summarises.</summary>
        public IEnumerable<string> Keys =>
            (Metadata?["event_payload"]?["merged_keys"] as JsonArray)?.Select(k => k!.ToString()) is { } merged && merged.Any()
                ? merged
                : IdempotencyKey is { } key ? [key] : [];
    }

    protected override void Forget(ScenarioDefinition? next)
    {
        _workspace = next?.Slack ?? new SlackDefinition();
        _loadedAt = World.Clock.Now;
        _messages.Clear();
        _answers.Clear();
        _buckets.Clear();
        _outages.Clear();
        _outages.AddRange(_workspace.Outages);
        _rateLimits.Clear();
        _rateLimits.AddRange(_workspace.RateLimits);
    }

    /// <summary>Adds <c>slack</c>: the URLs, the declared windows (world seconds after the load) and the counts.</summary>
    public override void DescribeState(JsonObject state)
    {
        lock (Gate)
        {
            state["slack"] = new JsonObject
            {
                ["url"] = Url,
                ["apiUrl"] = Url + "api/",
                ["webhookUrl"] = Url + "services/" + _workspace.Webhook,
                ["webhookChannel"] = _workspace.WebhookChannel,
                ["secondsSinceLoad"] = Math.Round(World.Clock.Now - _loadedAt, 3),
                ["outages"] = Windows(_outages),
                ["rateLimits"] = Windows(_rateLimits),
                ["accepted"] = _messages.Count,
                ["answers"] = Answers(),
            };
        }
    }

    public override IEnumerable<ControlRoute> ControlRoutes() =>
    [
        new("GET", "slack/messages", _ => ControlAnswer.Ok(Messages())),
        new("DELETE", "slack/messages", _ =>
        {
            lock (Gate)
            {
                _messages.Clear();
                _answers.Clear();
            }

            return ControlAnswer.Ok(Messages());
        }),
        new("POST", "slack/outage", body => AddWindow(body, _outages, "status", 503, 500, 599)),
        new("POST", "slack/rateLimit", body => AddWindow(body, _rateLimits, "retryAfterSeconds", 30, 1, 3600)),
    ];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        await _server.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Declares a window starting now: <c>{"seconds": 600, "status": 503}</c> or <c>{"seconds": 60, "retryAfterSeconds": 5}</c>.</summary>
    private ControlAnswer AddWindow(JsonNode? body, List<SlackWindow> windows, string extra, int fallback, int min, int max)
    {
        var seconds = (body?["seconds"] as JsonValue)?.TryGetValue<double>(out var s) == true ? s : -1;
        var value = body?[extra] is JsonValue v && v.TryGetValue<int>(out var i) ? i : fallback;
        if (seconds is <= 0 or > 864000 || value < min || value > max)
        {
            return ControlAnswer.Problem($"Expected {{\"seconds\": 600, \"{extra}\": {fallback}}}: seconds from 1 to 864000 (world seconds from now), {extra} from {min} to {max}.");
        }

        lock (Gate)
        {
            var from = World.Clock.Now - _loadedAt;
            windows.Add(extra == "status" ? new SlackWindow(from, from + seconds, value, 0) : new SlackWindow(from, from + seconds, 429, value));
            return ControlAnswer.Ok(new JsonObject { ["outages"] = Windows(_outages), ["rateLimits"] = Windows(_rateLimits) });
        }
    }

    private JsonObject Messages()
    {
        lock (Gate)
        {
            var keys = _messages.SelectMany(m => m.Keys).GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
            return new JsonObject
            {
                ["messages"] = new JsonArray(_messages.Select(m => (JsonNode)new JsonObject
                {
                    ["channel"] = m.Channel,
                    ["ts"] = m.Ts,
                    ["via"] = m.Via,
                    ["text"] = m.Text,
                    ["idempotencyKey"] = m.IdempotencyKey,
                    ["keys"] = new JsonArray(m.Keys.Select(k => (JsonNode)JsonValue.Create(k)!).ToArray()),
                    ["worldSeconds"] = Math.Round(m.WorldSeconds - _loadedAt, 3),
                    ["at"] = m.At.ToString("O", CultureInfo.InvariantCulture),
                }).ToArray()),
                ["keys"] = keys.Count,
                ["duplicates"] = new JsonArray(keys.Where(k => k.Value > 1).Select(k => (JsonNode)JsonValue.Create(k.Key)!).ToArray()),
                ["answers"] = Answers(),
            };
        }
    }

    private MiniHttpResponse Handle(MiniHttpRequest request)
    {
        lock (Gate)
        {
            var path = request.Path;
            if (path == "/api/chat.postMessage")
            {
                return Count("api", PostMessage(request));
            }

            if (path == "/api/conversations.history")
            {
                return History(request);
            }

            if (path.StartsWith("/services/", StringComparison.Ordinal))
            {
                return Count("webhook", Webhook(request, path["/services/".Length..]));
            }

            return Count("other", Text(404, "not_found"));
        }
    }

    private MiniHttpResponse PostMessage(MiniHttpRequest request)
    {
        if (Unavailable() is { } down)
        {
            return down;
        }

        var body = Body(request, out var parsed);
        if (!parsed)
        {
            return Api(false, "invalid_json");
        }

        var token = Bearer(request) ?? (body?["token"] as JsonValue)?.ToString();
        if (token != _workspace.BotToken)
        {
            return Api(false, token is null ? "not_authed" : "invalid_auth");
        }

        var channelId = (body?["channel"] as JsonValue)?.ToString();
        var channel = _workspace.Channels.FirstOrDefault(c => c.Id == channelId || "#" + c.Name == channelId || c.Name == channelId);
        if (channel is null)
        {
            return Api(false, "channel_not_found");
        }

        if (channel.Archived)
        {
            return Api(false, "is_archived");
        }

        if (Throttled(channel.Id) is { } slowDown)
        {
            return slowDown;
        }

        var text = (body?["text"] as JsonValue)?.ToString();
        if (string.IsNullOrWhiteSpace(text) && body?["blocks"] is null)
        {
            return Api(false, "no_text");
        }

        var accepted = Accept(channel.Id, "api", text ?? "", body?["metadata"] as JsonObject);
        return Json(200, new JsonObject { ["ok"] = true, ["channel"] = channel.Id, ["ts"] = accepted.Ts, ["message"] = new JsonObject { ["text"] = accepted.Text } });
    }

    private MiniHttpResponse Webhook(MiniHttpRequest request, string hook)
    {
        if (Unavailable() is { } down)
        {
            return down;
        }

        if (hook != _workspace.Webhook)
        {
            return Text(403, "invalid_token");
        }

        var channel = _workspace.Channels.FirstOrDefault(c => c.Id == _workspace.WebhookChannel);
        if (channel is null)
        {
            return Text(404, "channel_not_found");
        }

        if (channel.Archived)
        {
            return Text(410, "channel_is_archived");
        }

        if (Throttled(channel.Id) is { } slowDown)
        {
            return slowDown;
        }

        var body = Body(request, out var parsed);
        if (!parsed || body is not JsonObject)
        {
            return Text(400, "invalid_payload");
        }

        var text = (body["text"] as JsonValue)?.ToString();
        if (string.IsNullOrWhiteSpace(text) && body["blocks"] is null)
        {
            return Text(400, "no_text");
        }

        Accept(channel.Id, "webhook", text ?? "", body["metadata"] as JsonObject);
        return Text(200, "ok");
    }

    private MiniHttpResponse History(MiniHttpRequest request)
    {
        if (Unavailable() is { } down)
        {
            return down;
        }

        if (Bearer(request) != _workspace.BotToken)
        {
            return Api(false, "invalid_auth");
        }

        var query = Query(request.Target);
        var channel = query.GetValueOrDefault("channel");
        if (_workspace.Channels.All(c => c.Id != channel))
        {
            return Api(false, "channel_not_found");
        }

        var oldest = double.TryParse(query.GetValueOrDefault("oldest"), NumberStyles.Float, CultureInfo.InvariantCulture, out var o) ? o : 0;
        var withMetadata = query.GetValueOrDefault("include_all_metadata") == "true";
        var messages = _messages.Where(m => m.Channel == channel && double.Parse(m.Ts, CultureInfo.InvariantCulture) >= oldest)
            .OrderByDescending(m => m.Ts, StringComparer.Ordinal)
            .Select(m =>
            {
                var message = new JsonObject { ["type"] = "message", ["ts"] = m.Ts, ["text"] = m.Text };
                if (withMetadata && m.Metadata is not null)
                {
                    message["metadata"] = m.Metadata.DeepClone();
                }

                return (JsonNode)message;
            }).ToArray();
        return Json(200, new JsonObject { ["ok"] = true, ["messages"] = new JsonArray(messages), ["has_more"] = false });
    }

    /// <summary>The answer of a declared outage or rate-limit window now, or null.</summary>
    private MiniHttpResponse? Unavailable()
    {
        var since = World.Clock.Now - _loadedAt;
        if (_outages.FirstOrDefault(w => since >= w.FromSeconds && since < w.ToSeconds) is { } outage)
        {
            return Text(outage.Status, $"<html><body><h1>{outage.Status} {MiniHttpServer.ReasonPhrase(outage.Status)}</h1>Slack is having trouble.</body></html>", "text/html");
        }

        return _rateLimits.FirstOrDefault(w => since >= w.FromSeconds && since < w.ToSeconds) is { } limit ? RateLimited(limit.RetryAfterSeconds) : null;
    }

    /// <summary>Slack's per-channel limit: a burst of <see cref="Burst"/>, then one message per (wall) second.</summary>
    private MiniHttpResponse? Throttled(string channel)
    {
        var now = _wall.Elapsed.TotalSeconds;
        var (tokens, at) = _buckets.TryGetValue(channel, out var bucket) ? bucket : (Burst, now);
        tokens = Math.Min(Burst, tokens + (now - at));
        if (tokens < 1)
        {
            _buckets[channel] = (tokens, now);
            return RateLimited((int)Math.Ceiling(1 - tokens));
        }

        _buckets[channel] = (tokens - 1, now);
        return null;
    }

    private AcceptedMessage Accept(string channel, string via, string text, JsonObject? metadata)
    {
        var ts = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Interlocked.Increment(ref _nextTs) % 1000000:000000}";
        var message = new AcceptedMessage(channel, ts, via, text, metadata?.DeepClone() as JsonObject, World.Clock.Now, DateTimeOffset.UtcNow);
        _messages.Add(message);
        return message;
    }

    private MiniHttpResponse Count(string via, MiniHttpResponse response)
    {
        var error = response.Status == 200 && response.ContentType.StartsWith("application/json", StringComparison.Ordinal)
            ? JsonNode.Parse(response.Body)?["error"]?.ToString()
            : response.Status == 200 ? null : Encoding.UTF8.GetString(response.Body).Split(' ', '<')[0];
        var key = $"{via} {response.Status}{(string.IsNullOrEmpty(error) ? "" : " " + error)}";
        _answers[key] = _answers.GetValueOrDefault(key) + 1;
        return response;
    }

    private JsonObject Answers() => new(_answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value)));

    private static JsonArray Windows(List<SlackWindow> windows) =>
        new(windows.Select(w => (JsonNode)new JsonObject
        {
            ["fromSeconds"] = w.FromSeconds,
            ["toSeconds"] = w.ToSeconds,
            ["status"] = w.Status,
            ["retryAfterSeconds"] = w.RetryAfterSeconds,
        }).ToArray());

    private static MiniHttpResponse RateLimited(int retryAfterSeconds) =>
        new(429, "application/json; charset=utf-8", Encoding.UTF8.GetBytes("{\"ok\":false,\"error\":\"ratelimited\"}"),
            [new("Retry-After", retryAfterSeconds.ToString(CultureInfo.InvariantCulture))]);

    private static MiniHttpResponse Api(bool ok, string error) =>
        Json(200, ok ? new JsonObject { ["ok"] = true } : new JsonObject { ["ok"] = false, ["error"] = error });

    private static MiniHttpResponse Json(int status, JsonObject body) => MiniHttpResponse.Text(status, body.ToJsonString(), "application/json; charset=utf-8");

    private static MiniHttpResponse Text(int status, string body, string contentType = "text/plain; charset=utf-8") => MiniHttpResponse.Text(status, body, contentType);

    private static string? Bearer(MiniHttpRequest request) =>
        request.Header("Authorization") is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;

    /// <summary>
    /// The body as Slack reads it: JSON, or a form (chat.postMessage's fields, or a webhook's <c>payload=</c> JSON) read as
    /// a JSON object; <paramref name="parsed"/> is false for a body that is neither.
    /// </summary>
    private static JsonNode? Body(MiniHttpRequest request, out bool parsed)
    {
        parsed = true;
        var text = Encoding.UTF8.GetString(request.Body).Trim();
        if (!text.StartsWith('{') && request.Header("Content-Type")?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            var form = Query("?" + text);
            if (!form.TryGetValue("payload", out var payload))
            {
                return new JsonObject(form.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value))));
            }

            text = payload;
        }

        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            parsed = false;
            return null;
        }
    }

    private static Dictionary<string, string> Query(string target)
    {
        var query = target.Contains('?', StringComparison.Ordinal) ? target[(target.IndexOf('?', StringComparison.Ordinal) + 1)..] : "";
        return query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .GroupBy(p => Uri.UnescapeDataString(p[0]))
            .ToDictionary(g => g.Key, g => Uri.UnescapeDataString(g.First().Length > 1 ? g.First()[1].Replace('+', ' ') : ""), StringComparer.Ordinal);
    }
}
