using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.Wafv2;

/// <summary>A rule of a web ACL (<c>Rule</c>), with what DeployOps reads of its statement.</summary>
public sealed record WafRule
{
    /// <summary><c>Name</c>.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary><c>Priority</c>: lower runs first.</summary>
    public int Priority { get; init; }

    /// <summary>The member set in <c>Action</c> (Block, Allow, Count, Captcha, Challenge), or in <c>OverrideAction</c> (None, Count) for a rule group.</summary>
    public string Action { get; init; } = string.Empty;

    /// <summary>The statement's kind: the member set in <c>Statement</c>, e.g. RateBasedStatement, ManagedRuleGroupStatement, IPSetReferenceStatement.</summary>
    public string StatementKind { get; init; } = string.Empty;

    /// <summary><c>VisibilityConfig.MetricName</c>: the Rule dimension of its CloudWatch metrics and the name GetSampledRequests takes.</summary>
    public string MetricName { get; init; } = string.Empty;

    /// <summary><c>RateBasedStatement.Limit</c>: requests per evaluation window per aggregation key.</summary>
    public long? RateLimit { get; init; }

    /// <summary><c>RateBasedStatement.EvaluationWindowSec</c> (300 when not given).</summary>
    public int? EvaluationWindowSeconds { get; init; }

    /// <summary><c>RateBasedStatement.AggregateKeyType</c>: IP, FORWARDED_IP, CUSTOM_KEYS, CONSTANT.</summary>
    public string? AggregateKeyType { get; init; }

    /// <summary><c>ManagedRuleGroupStatement.Name</c>, for a managed rule group.</summary>
    public string? ManagedRuleGroup { get; init; }

    /// <summary>True for a rate-based rule.</summary>
    public bool IsRateBased => StatementKind == "RateBasedStatement";

    internal static WafRule Read(JsonElement e)
    {
        var statement = e.Member("Statement");
        var kind = statement is { ValueKind: JsonValueKind.Object } s ? s.EnumerateObject().Select(p => p.Name).FirstOrDefault() ?? string.Empty : string.Empty;
        var rate = statement?.Member("RateBasedStatement");
        return new WafRule
        {
            Name = e.String("Name") ?? string.Empty,
            Priority = e.Int("Priority") ?? 0,
            Action = FirstMember(e.Member("Action")) ?? FirstMember(e.Member("OverrideAction")) ?? string.Empty,
            StatementKind = kind,
            MetricName = e.Member("VisibilityConfig")?.String("MetricName") ?? string.Empty,
            RateLimit = rate?.Long("Limit"),
            EvaluationWindowSeconds = rate is null ? null : rate.Value.Int("EvaluationWindowSec") ?? 300,
            AggregateKeyType = rate?.String("AggregateKeyType"),
            ManagedRuleGroup = statement?.Member("ManagedRuleGroupStatement")?.String("Name"),
        };
    }

    /// <summary>The name of the one member set in an action object (<c>{"Block": {}}</c> is Block).</summary>
    internal static string? FirstMember(JsonElement? action) =>
        action is { ValueKind: JsonValueKind.Object } a ? a.EnumerateObject().Select(p => p.Name).FirstOrDefault() : null;
}

/// <summary>A web ACL (<c>WebACL</c>): its rules in priority order and its default action.</summary>
public sealed record WafWebAcl
{
    /// <summary><c>Name</c>.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary><c>Id</c>.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary><c>ARN</c>.</summary>
    public string Arn { get; init; } = string.Empty;

    /// <summary>The member set in <c>DefaultAction</c>: Allow or Block.</summary>
    public string DefaultAction { get; init; } = string.Empty;

    /// <summary><c>VisibilityConfig.MetricName</c>: the WebACL dimension of its CloudWatch metrics.</summary>
    public string MetricName { get; init; } = string.Empty;

    /// <summary><c>Rules</c>, lowest priority first.</summary>
    public IReadOnlyList<WafRule> Rules { get; init; } = Array.Empty<WafRule>();

    internal static WafWebAcl Read(JsonElement e) => new()
    {
        Name = e.String("Name") ?? string.Empty,
        Id = e.String("Id") ?? string.Empty,
        Arn = e.String("ARN") ?? string.Empty,
        DefaultAction = WafRule.FirstMember(e.Member("DefaultAction")) ?? string.Empty,
        MetricName = e.Member("VisibilityConfig")?.String("MetricName") ?? string.Empty,
        Rules = e.List("Rules", WafRule.Read).OrderBy(r => r.Priority).ToList(),
    };
}

/// <summary>One sampled web request (<c>SampledHTTPRequest</c>).</summary>
public sealed record WafSampledRequest
{
    /// <summary><c>Request.ClientIP</c>.</summary>
    public string ClientIp { get; init; } = string.Empty;

    /// <summary><c>Request.Country</c>.</summary>
    public string? Country { get; init; }

    /// <summary><c>Request.URI</c>.</summary>
    public string Uri { get; init; } = string.Empty;

    /// <summary><c>Request.Method</c>.</summary>
    public string Method { get; init; } = string.Empty;

    /// <summary><c>Timestamp</c>.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary><c>Action</c>: BLOCK, ALLOW, COUNT, CAPTCHA, CHALLENGE.</summary>
    public string Action { get; init; } = string.Empty;

    /// <summary><c>RuleNameWithinRuleGroup</c>: the rule of a rule group that matched.</summary>
    public string? RuleNameWithinRuleGroup { get; init; }

    /// <summary><c>ResponseCodeSent</c>: the status sent for a custom response.</summary>
    public int? ResponseCodeSent { get; init; }

    /// <summary><c>Weight</c>: how many requests of the population this sample stands for.</summary>
    public long Weight { get; init; } = 1;

    internal static WafSampledRequest Read(JsonElement e)
    {
        var request = e.Member("Request");
        return new WafSampledRequest
        {
            ClientIp = request?.String("ClientIP") ?? string.Empty,
            Country = request?.String("Country"),
            Uri = request?.String("URI") ?? string.Empty,
            Method = request?.String("Method") ?? string.Empty,
            Timestamp = e.Timestamp("Timestamp"),
            Action = e.String("Action") ?? string.Empty,
            RuleNameWithinRuleGroup = e.String("RuleNameWithinRuleGroup"),
            ResponseCodeSent = e.Int("ResponseCodeSent"),
            Weight = e.Long("Weight") ?? 1,
        };
    }
}

/// <summary>What GetSampledRequests returned for one metric name: the samples and the population they were drawn from.</summary>
public sealed record WafSampledRequests(IReadOnlyList<WafSampledRequest> Samples, long PopulationSize)
{
    internal static WafSampledRequests Read(JsonElement e) =>
        new(e.List("SampledRequests", WafSampledRequest.Read), e.Long("PopulationSize") ?? 0);
}
