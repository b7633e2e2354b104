using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security;
using DeployOps.Aws.Configuration;
using DeployOps.Notifications;
using DeployOps.Operations;
using DeployOps.Redaction;
using DeployOps.Storage;

namespace DeployOps.Commands;

/// <summary>
/// What a cmdlet that sends notifications holds for its invocation: the destinations its Slack parameters (or the
/// environment variables) configure, the outbox of its store, and the dispatcher over one HTTP client. The secrets are
/// added to the invocation's redactor as soon as they are read.
/// </summary>
internal sealed class NotificationSending : IDisposable
{
    /// <summary>How long one post may take.</summary>
    public static readonly TimeSpan PostTimeout = TimeSpan.FromSeconds(30);

    private readonly SlackClient _client;

    private NotificationSending(IReadOnlyList<SlackDestination> destinations, NotificationOutbox outbox, SlackClient client, NotificationDispatcher dispatcher)
    {
        Destinations = destinations;
        Outbox = outbox;
        _client = client;
        Dispatcher = dispatcher;
    }

    /// <summary>The destinations configured; the first is where a single message goes. May be empty.</summary>
    public IReadOnlyList<SlackDestination> Destinations { get; }

    public NotificationOutbox Outbox { get; }

    public NotificationDispatcher Dispatcher { get; }

    /// <summary>Reads the Slack parameters (revealing the SecureStrings only here), feeds the secrets to <paramref name="redactor"/>, and builds the dispatcher.</summary>
    public static NotificationSending Create(SecureString? webhookUrl, SecureString? token, string? channel, string? apiUrl, string? settingsChannel,
        DeploymentStore store, IOperationObserver observer, SecretRedactor redactor)
    {
        var settings = new SlackSettings
        {
            WebhookUrl = Reveal(webhookUrl),
            Token = Reveal(token),
            Channel = channel,
            ApiUrl = apiUrl,
            SettingsChannel = settingsChannel,
        };
        redactor.AddKnownValues(new[] { settings.WebhookUrl, settings.Token });
        var destinations = SlackConfiguration.Destinations(settings, ProcessAwsEnvironment.Instance);
        redactor.AddKnownValues(destinations.SelectMany(d => d.Secrets));
        var outbox = new NotificationOutbox(store);
        var client = new SlackClient(PostTimeout);
        return new NotificationSending(destinations, outbox, client, new NotificationDispatcher(outbox, destinations, client, observer, redactor));
    }

    public void Dispose() => _client.Dispose();

    private static string? Reveal(SecureString? secret)
    {
        if (secret is null || secret.Length == 0)
        {
            return null;
        }

        var pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
        try
        {
            return Marshal.PtrToStringUni(pointer);
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }
}
