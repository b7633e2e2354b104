using System.Xml.Linq;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.Sns;

/// <summary>A subscription to a topic (<c>Subscription</c>).</summary>
public sealed record SnsSubscription
{
    /// <summary>What <c>SubscriptionArn</c> says of a subscription whose endpoint has not confirmed it yet.</summary>
    public const string PendingConfirmationArn = "PendingConfirmation";

    /// <summary><c>SubscriptionArn</c>: the ARN, or <see cref="PendingConfirmationArn"/>.</summary>
    public string SubscriptionArn { get; init; } = string.Empty;

    /// <summary><c>Protocol</c>: email, email-json, http, https, sqs, lambda, sms...</summary>
    public string Protocol { get; init; } = string.Empty;

    /// <summary><c>Endpoint</c>: the address, URL or ARN notifications go to.</summary>
    public string Endpoint { get; init; } = string.Empty;

    /// <summary><c>TopicArn</c>.</summary>
    public string TopicArn { get; init; } = string.Empty;

    /// <summary>True while the endpoint has not confirmed the subscription: nothing is delivered to it.</summary>
    public bool IsPendingConfirmation => SubscriptionArn == PendingConfirmationArn;

    internal static SnsSubscription Read(XElement e) => new()
    {
        SubscriptionArn = e.Text("SubscriptionArn") ?? string.Empty,
        Protocol = e.Text("Protocol") ?? string.Empty,
        Endpoint = e.Text("Endpoint") ?? string.Empty,
        TopicArn = e.Text("TopicArn") ?? string.Empty,
    };
}
