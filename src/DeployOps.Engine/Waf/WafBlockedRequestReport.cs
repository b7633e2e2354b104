using System;
using System.Collections.Generic;
using System.Globalization;
using DeployOps.Operations;

namespace DeployOps.Waf;

/// <summary>What Get-WafBlockedRequest asks: the load balancer, optionally the client that reported a 403, and a window.</summary>
public sealed record WafBlockedRequestQuery
{
    /// <summary>An hour, as runbook 004's get-sampled-requests and get-metric-statistics look back.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(1);

    /// <summary>WAF keeps sampled requests for three hours.</summary>
    public static readonly TimeSpan SampleRetention = TimeSpan.FromHours(3);

    /// <summary>The load balancer's name or ARN.</summary>
    public string LoadBalancer { get; init; } = "";

    /// <summary>The address of the client that reported a 403 (IPv4 or IPv6), or null for every client.</summary>
    public string? ClientIp { get; init; }

    public TimeSpan? Since { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public DateTimeOffset? EndTime { get; init; }

    /// <summary>Sampled requests to ask for per rule (1 to 500; the runbook asks for 20).</summary>
    public int MaxSamples { get; init; } = 100;

    /// <summary>The window at <paramref name="now"/>; throws InvalidTimeWindow for contradictory parameters.</summary>
    public TimeWindow Window(DateTimeOffset now) => TimeWindow.Resolve(Since, StartTime, EndTime, now, DefaultWindow);
}

/// <summary>What the web ACL in front of a load balancer did with requests in a window.</summary>
internal enum WafVerdict
{
    /// <summary>A rule blocked requests (of the client, when one was named).</summary>
    Blocking,

    /// <summary>Nothing was blocked (for the client): a 403 comes from somewhere else.</summary>
    NotBlocking,

    /// <summary>No web ACL is associated with the load balancer.</summary>
    NoWebAcl,

    /// <summary>What WAF did could not be read whole.</summary>
    Unknown,
}

/// <summary>One rule of the web ACL and what it blocked in the window.</summary>
public sealed class WafRuleActivity
{
    public string Rule { get; init; } = "";

    public int Priority { get; init; }

    /// <summary>Block, Allow, Count, Captcha, Challenge, or a rule group's override (None, Count).</summary>
    public string Action { get; init; } = "";

    /// <summary>RateBased, ManagedRuleGroup, IPSetReference, ... (the statement's kind).</summary>
    public string Kind { get; init; } = "";

    /// <summary>A rate-based rule's limit: requests per <see cref="EvaluationWindowSeconds"/> per client.</summary>
    public long? RateLimit { get; init; }

    public int? EvaluationWindowSeconds { get; init; }

    /// <summary>The sum of its BlockedRequests metric in the window; null when the metric could not be read.</summary>
    public double? BlockedRequests { get; init; }

    /// <summary>How many of its sampled requests were blocked (of the client, when one was named).</summary>
    public int SampledBlocked { get; init; }

    /// <summary>The clients of its blocked samples, most first: "203.0.113.7 x 40".</summary>
    public PrintableList<string> TopClients { get; init; } = PrintableList<string>.Empty;

    public override string ToString() =>
        $"{Rule} ({Kind}{(RateLimit is { } limit ? FormattableString.Invariant($" {limit}/{EvaluationWindowSeconds}s") : "")}, {Action}): " +
        $"{(BlockedRequests is { } blocked ? blocked.ToString("0", CultureInfo.InvariantCulture) : "?")} blocked";
}

/// <summary>A request WAF sampled and blocked.</summary>
public sealed class WafBlockedSample
{
    public DateTimeOffset? Timestamp { get; init; }

    public string ClientIp { get; init; } = "";

    public string? Country { get; init; }

    public string Method { get; init; } = "";

    public string Uri { get; init; } = "";

    /// <summary>The web ACL's rule that blocked it (with the rule group's own rule after a slash, when there is one).</summary>
    public string Rule { get; init; } = "";

    public string Action { get; init; } = "";

    public override string ToString() =>
        $"{Timestamp?.ToUniversalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {ClientIp} {Method} {Uri} ({Rule})";
}

/// <summary>
/// Get-WafBlockedRequest's report (runbook 004 "WAF blocking legitimate traffic"): the web ACL in front of a load
/// balancer, BlockedRequests by rule over a window, the sampled blocked requests, and the rule responsible for a
/// reported 403 with the fix.
/// </summary>
public sealed class WafBlockedRequestReport
{
    public string LoadBalancer { get; init; } = "";

    public string LoadBalancerArn { get; init; } = "";

    /// <summary>The web ACL's name, or null when none is associated.</summary>
    public string? WebAcl { get; init; }

    public string? WebAclArn { get; init; }

    /// <summary>Allow or Block: what happens to a request no rule matches.</summary>
    public string? DefaultAction { get; init; }

    /// <summary>The client asked about, or null for every client.</summary>
    public string? ClientIp { get; init; }

    public DateTimeOffset StartTime { get; init; }

    public DateTimeOffset EndTime { get; init; }

    internal WafVerdict Verdict { get; init; }

    /// <summary>Blocking, NotBlocking, NoWebAcl or Unknown.</summary>
    public string Status => Verdict.ToString();

    /// <summary>The web ACL's BlockedRequests (Rule ALL) in the window; null when not read.</summary>
    public double? BlockedRequests { get; init; }

    /// <summary>The rule that blocked the requests (the client's, when one was named), or null.</summary>
    public string? ResponsibleRule { get; init; }

    /// <summary>Why, with the evidence.</summary>
    public string Cause { get; init; } = "";

    /// <summary>What to change, or null when there is nothing to fix in WAF.</summary>
    public string? Fix { get; init; }

    /// <summary>Every rule of the web ACL in priority order, with what it blocked.</summary>
    public PrintableList<WafRuleActivity> Rules { get; init; } = PrintableList<WafRuleActivity>.Empty;

    /// <summary>The sampled blocked requests, newest first.</summary>
    public PrintableList<WafBlockedSample> Samples { get; init; } = PrintableList<WafBlockedSample>.Empty;

    /// <summary>False when part of it could not be read (see <see cref="NotRead"/>); the status is then never NotBlocking.</summary>
    public bool Complete { get; init; } = true;

    public PrintableList<string> NotRead { get; init; } = PrintableList<string>.Empty;

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    public override string ToString() =>
        $"{LoadBalancer} / {WebAcl ?? "no web ACL"}: {Status}{(ResponsibleRule is null ? "" : $" by {ResponsibleRule}")}";
}
