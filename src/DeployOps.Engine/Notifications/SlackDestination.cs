using System;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using DeployOps.Errors;

namespace DeployOps.Notifications;

/// <summary>How a destination posts.</summary>
public enum SlackTransport
{
    /// <summary>An incoming webhook: the URL is the secret (and names the channel).</summary>
    Webhook,

    /// <summary><c>chat.postMessage</c> with a bot token and a channel id.</summary>
    ChatPostMessage,
}

/// <summary>
/// Where notifications go: an incoming webhook, or <c>chat.postMessage</c> with a bot token and a channel. The webhook
/// URL (as a whole) and the token are secrets: they are never shown, never written to the outbox (which names the
/// destination by <see cref="Id"/>), and <see cref="Secrets"/> feeds them to the redactor.
/// </summary>
public sealed class SlackDestination
{
    /// <summary>Slack's Web API.</summary>
    public static readonly Uri DefaultApiUrl = new("https://slack.com/api/");

    private static readonly Regex ChannelPattern = new(@"^#?[A-Za-z0-9][A-Za-z0-9._-]{0,79}$", RegexOptions.CultureInvariant);

    private SlackDestination(SlackTransport transport, Uri postUrl, string secret, string? channel, string id, string label)
    {
        Transport = transport;
        PostUrl = postUrl;
        Secret = secret;
        Channel = channel;
        Id = id;
        Label = label;
    }

    public SlackTransport Transport { get; }

    /// <summary>The channel chat.postMessage posts to; null for a webhook (its URL names the channel).</summary>
    public string? Channel { get; }

    /// <summary>The outbox's name for the destination, never a secret: <c>slack:&lt;api host&gt;/&lt;channel&gt;</c> or <c>webhook:&lt;fingerprint&gt;</c>.</summary>
    public string Id { get; }

    /// <summary>The destination as people read it, never a secret: "Slack channel C0A9M9DPFUY", "Slack incoming webhook 3f2a9c1b0d4e".</summary>
    public string Label { get; }

    /// <summary>The secret values to redact wherever they could appear: the token, or the webhook URL.</summary>
    public string[] Secrets => new[] { Secret, PostUrl.AbsolutePath.TrimStart('/') }.Where(s => s.Length > 0).ToArray();

    /// <summary>Where posts go: the webhook, or the API's chat.postMessage.</summary>
    internal Uri PostUrl { get; }

    /// <summary>The API base (chat.postMessage only), for conversations.history.</summary>
    internal Uri? ApiUrl => Transport == SlackTransport.ChatPostMessage ? new Uri(PostUrl, ".") : null;

    /// <summary>The bot token, or the webhook URL.</summary>
    internal string Secret { get; }

    /// <summary>An incoming webhook. The URL is checked without ever being shown: https, or http to this machine (a sandbox).</summary>
    public static SlackDestination Webhook(string url, string source = "-WebhookUrl")
    {
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var parsed) || !IsAllowedScheme(parsed) || parsed.AbsolutePath.Length <= 1)
        {
            throw Invalid(source, "is not an incoming webhook URL; expected https://hooks.slack.com/services/T.../B.../... (or http:// to this machine, for a sandbox)");
        }

        var fingerprint = Fingerprint(parsed.ToString());
        return new SlackDestination(SlackTransport.Webhook, parsed, parsed.ToString(), null, "webhook:" + fingerprint, "Slack incoming webhook " + fingerprint);
    }

    /// <summary>chat.postMessage to <paramref name="channel"/> with a bot token, on <paramref name="apiUrl"/> (Slack's by default).</summary>
    public static SlackDestination BotToken(string token, string channel, Uri? apiUrl = null, string tokenSource = "-Token")
    {
        token = token?.Trim() ?? string.Empty;
        if (!token.StartsWith("xox", StringComparison.Ordinal) || token.Length < 10 || token.Any(char.IsWhiteSpace))
        {
            throw Invalid(tokenSource, "is not a Slack token; expected a bot token that starts with xoxb-");
        }

        if (string.IsNullOrWhiteSpace(channel) || !ChannelPattern.IsMatch(channel.Trim()))
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidNotificationDestination, DeployOpsErrorKind.InvalidArgument,
                $"'{channel}' is not a Slack channel; expected a channel id such as C0A9M9DPFUY (or a name such as #deployments).", channel));
        }

        var api = apiUrl ?? DefaultApiUrl;
        if (!IsAllowedScheme(api))
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidNotificationDestination, DeployOpsErrorKind.InvalidArgument,
                $"'{api}' is not a Slack API URL; expected https://slack.com/api/ (or http:// to this machine, for a sandbox).", api.ToString()));
        }

        var baseUrl = api.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? api : new Uri(api.AbsoluteUri + "/");
        var id = $"slack:{baseUrl.Authority}/{channel.Trim()}";
        return new SlackDestination(SlackTransport.ChatPostMessage, new Uri(baseUrl, "chat.postMessage"), token, channel.Trim(), id, $"Slack channel {channel.Trim()}");
    }

    public override string ToString() => Label;

    private static bool IsAllowedScheme(Uri url) =>
        url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && (url.IsLoopback || (IPAddress.TryParse(url.Host, out var ip) && IPAddress.IsLoopback(ip))));

    private static string Fingerprint(string secret)
    {
        using var sha = SHA256.Create();
        return string.Concat(sha.ComputeHash(Encoding.UTF8.GetBytes(secret)).Take(6).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    // The value is a secret: the message names the parameter, never the value.
    private static DeployOpsException Invalid(string what, string problem) =>
        new(new DeployOpsError(ErrorIds.InvalidNotificationDestination, DeployOpsErrorKind.InvalidArgument,
            $"The value of {what} {problem}. (The value is not shown: it is a secret.)", what));
}
