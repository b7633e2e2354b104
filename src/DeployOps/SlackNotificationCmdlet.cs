using System.Management.Automation;
using System.Security;

namespace DeployOps.Commands;

/// <summary>
/// The base of the cmdlets that send notifications (Send-DeploymentNotification, Invoke-NotificationQueue): the Slack
/// destination (-WebhookUrl, or -Token and -Channel, else the DEPLOYOPS_SLACK_* variables) and the store's outbox.
/// </summary>
public abstract class SlackNotificationCmdlet : DeploymentStoreCmdlet
{
    private NotificationSending? _sending;

    /// <summary>-WebhookUrl: a Slack incoming webhook URL (a secret as a whole, so a SecureString).</summary>
    [Parameter]
    public SecureString? WebhookUrl { get; set; }

    /// <summary>-Token: a Slack bot token for chat.postMessage (with -Channel).</summary>
    [Parameter]
    public SecureString? Token { get; set; }

    /// <summary>-Channel: the channel chat.postMessage posts to, e.g. C0A9M9DPFUY.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Channel { get; set; }

    /// <summary>-SlackApiUrl: Slack's Web API (https://slack.com/api/ by default; a sandbox's elsewhere).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SlackApiUrl { get; set; }

    /// <summary>The destinations, outbox and dispatcher of this invocation (read once; a bad setting stops the command).</summary>
    internal NotificationSending Sending => _sending ??= Require(
        () => NotificationSending.Create(WebhookUrl, Token, Channel, SlackApiUrl, DeploymentEnvironment?.SlackChannel, Store, Observer, Redactor), "Slack");

    /// <inheritdoc />
    protected override void DisposeResources()
    {
        _sending?.Dispose();
        base.DisposeResources();
    }
}
