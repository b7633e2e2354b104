using System;
using System.Collections.Generic;
using DeployOps.Aws.Configuration;
using DeployOps.Errors;

namespace DeployOps.Notifications;

/// <summary>The Slack settings a command was given (the secrets already revealed from their SecureStrings).</summary>
public sealed record SlackSettings
{
    /// <summary>-WebhookUrl.</summary>
    public string? WebhookUrl { get; init; }

    /// <summary>-Token.</summary>
    public string? Token { get; init; }

    /// <summary>-Channel.</summary>
    public string? Channel { get; init; }

    /// <summary>-SlackApiUrl.</summary>
    public string? ApiUrl { get; init; }

    /// <summary>The environment settings' <c>slackChannel</c>.</summary>
    public string? SettingsChannel { get; init; }
}

/// <summary>
/// Where notifications go, from a command's parameters, the environment settings and the environment variables:
/// <list type="number">
/// <item>-WebhookUrl: that incoming webhook (not with -Token);</item>
/// <item>-Token or -Channel: chat.postMessage with the token (-Token, else <c>$env:DEPLOYOPS_SLACK_TOKEN</c>) to the channel
/// (-Channel, else the environment's slackChannel, else <c>$env:DEPLOYOPS_SLACK_CHANNEL</c>);</item>
/// <item>neither: every destination the variables configure, the bot token's channel first, then
/// <c>$env:DEPLOYOPS_SLACK_WEBHOOK_URL</c>.</item>
/// </list>
/// The API is <c>-SlackApiUrl</c>, else <c>$env:DEPLOYOPS_SLACK_API_URL</c>, else Slack's.
/// </summary>
public static class SlackConfiguration
{
    public const string WebhookVariable = "DEPLOYOPS_SLACK_WEBHOOK_URL";
    public const string TokenVariable = "DEPLOYOPS_SLACK_TOKEN";
    public const string ChannelVariable = "DEPLOYOPS_SLACK_CHANNEL";
    public const string ApiUrlVariable = "DEPLOYOPS_SLACK_API_URL";

    /// <summary>The destinations configured, first the one a single message goes to; empty when none is.</summary>
    public static IReadOnlyList<SlackDestination> Destinations(SlackSettings settings, IAwsEnvironment environment)
    {
        if (settings.WebhookUrl is not null && settings.Token is not null)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidNotificationDestination, DeployOpsErrorKind.InvalidArgument,
                "-WebhookUrl and -Token name two destinations; give one: an incoming webhook, or a bot token with -Channel.", null));
        }

        if (settings.WebhookUrl is not null)
        {
            return new[] { SlackDestination.Webhook(settings.WebhookUrl) };
        }

        var apiUrl = ApiUrl(settings, environment);
        var channel = settings.Channel ?? settings.SettingsChannel ?? environment.GetVariable(ChannelVariable);
        if (settings.Token is not null || settings.Channel is not null)
        {
            var (token, source) = settings.Token is not null ? (settings.Token, "-Token") : (environment.GetVariable(TokenVariable), TokenVariable);
            if (token is null)
            {
                throw NotConfigured($"-Channel needs a bot token: pass -Token, or set ${TokenVariable}.");
            }

            if (channel is null)
            {
                throw NotConfigured($"-Token needs a channel: pass -Channel, set the environment's slackChannel, or set ${ChannelVariable}.");
            }

            return new[] { SlackDestination.BotToken(token, channel, apiUrl, source) };
        }

        var destinations = new List<SlackDestination>();
        if (environment.GetVariable(TokenVariable) is { } variableToken && channel is not null)
        {
            destinations.Add(SlackDestination.BotToken(variableToken, channel, apiUrl, TokenVariable));
        }

        if (environment.GetVariable(WebhookVariable) is { } variableWebhook)
        {
            destinations.Add(SlackDestination.Webhook(variableWebhook, WebhookVariable));
        }

        return destinations;
    }

    /// <summary>The error for a command that must send and has nowhere to send to.</summary>
    public static DeployOpsException NotConfigured(string? detail = null) =>
        new(new DeployOpsError(ErrorIds.NotificationNotConfigured, DeployOpsErrorKind.InvalidArgument,
            detail ?? $"No Slack destination is configured: pass -WebhookUrl, or -Token and -Channel, or set ${WebhookVariable}, or ${TokenVariable} and ${ChannelVariable}.",
            null)
        {
            RecommendedAction = "See Get-Help Send-DeploymentNotification -Full, section NOTES, for the ways to name a destination.",
        });

    private static Uri? ApiUrl(SlackSettings settings, IAwsEnvironment environment)
    {
        var (text, source) = settings.ApiUrl is not null ? (settings.ApiUrl, "-SlackApiUrl") : (environment.GetVariable(ApiUrlVariable), ApiUrlVariable);
        if (text is null)
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var url)
            ? url
            : throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidNotificationDestination, DeployOpsErrorKind.InvalidArgument,
                $"'{text}' (from {source}) is not a Slack API URL; expected an absolute URL such as https://slack.com/api/.", text));
    }
}
