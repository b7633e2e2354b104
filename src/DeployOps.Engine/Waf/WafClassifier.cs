using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DeployOps.Aws.Wafv2;
using DeployOps.Facts;
using DeployOps.Operations;

namespace DeployOps.Waf;

/// <summary>One rule with what was read of it: its sampled requests and its BlockedRequests in the window.</summary>
internal sealed record WafRuleReading(WafRule Rule, Fact<WafSampledRequests> Samples, double? BlockedRequests);

/// <summary>The classifier's answer: the verdict, the responsible rule, the cause and the fix, and the rows of the report.</summary>
internal sealed record WafFinding(
    WafVerdict Verdict,
    string? ResponsibleRule,
    string Cause,
    string? Fix,
    IReadOnlyList<WafRuleActivity> Rules,
    IReadOnlyList<WafBlockedSample> Samples);

/// <summary>
/// Names the rule of a web ACL that blocks requests (runbook 004 "WAF blocking legitimate traffic"), from its sampled
/// requests and its BlockedRequests metric, and the runbook's fix for its kind: a rate-based rule's limit, a managed rule
/// group's false positive, or an allow list for the client. Pure: no AWS.
/// </summary>
internal static class WafClassifier
{
    private const string Block = "BLOCK";

    public static WafFinding Classify(string loadBalancer, WafWebAcl? webAcl, IReadOnlyList<WafRuleReading> readings, string? clientIp, TimeWindow window, bool complete)
    {
        if (webAcl is null)
        {
            return new WafFinding(complete ? WafVerdict.NoWebAcl : WafVerdict.Unknown, null,
                complete
                    ? $"No web ACL is associated with {loadBalancer}: WAF blocks nothing in front of it, so a 403 comes from the application or a listener rule's fixed response."
                    : $"Whether a web ACL is associated with {loadBalancer} could not be read.",
                null, Array.Empty<WafRuleActivity>(), Array.Empty<WafBlockedSample>());
        }

        var blocked = readings.SelectMany(r => (r.Samples.ValueOr(null)?.Samples ?? Array.Empty<WafSampledRequest>())
                .Where(s => s.Action == Block && (clientIp is null || SameAddress(s.ClientIp, clientIp)))
                .Select(s => (Reading: r, Sample: s)))
            .OrderByDescending(x => x.Sample.Timestamp)
            .ToList();
        var rows = readings.Select(r => Row(r, blocked.Where(b => b.Reading == r).Select(b => b.Sample).ToList())).ToList();
        var samples = blocked.Select(b => new WafBlockedSample
        {
            Timestamp = b.Sample.Timestamp,
            ClientIp = b.Sample.ClientIp,
            Country = b.Sample.Country,
            Method = b.Sample.Method,
            Uri = b.Sample.Uri,
            Rule = b.Sample.RuleNameWithinRuleGroup is { } inner ? $"{b.Reading.Rule.Name}/{inner}" : b.Reading.Rule.Name,
            Action = b.Sample.Action,
        }).ToList();

        // The client's blocks name the rule; without a client, the rule that blocked the most (its metric, else its samples).
        var responsible = blocked.Count > 0
            ? blocked.GroupBy(b => b.Reading).OrderByDescending(g => g.Sum(b => b.Sample.Weight)).ThenBy(g => g.Key.Rule.Priority).First().Key
            : clientIp is null
                ? readings.Where(r => r.BlockedRequests > 0).OrderByDescending(r => r.BlockedRequests).ThenBy(r => r.Rule.Priority).FirstOrDefault()
                : null;
        var who = clientIp is null ? "" : $" from {clientIp}";
        if (responsible is null)
        {
            return complete
                ? new WafFinding(WafVerdict.NotBlocking, null,
                    $"Web ACL {webAcl.Name} blocked no request{who} in {window}: the 403 does not come from WAF (look at the application or the listener's rules).",
                    null, rows, samples)
                : new WafFinding(WafVerdict.Unknown, null, $"No blocked request{who} was read in {window}, but part of web ACL {webAcl.Name}'s activity could not be read.", null, rows, samples);
        }

        var mine = blocked.Where(b => b.Reading == responsible).Select(b => b.Sample).ToList();
        var client = clientIp ?? mine.GroupBy(s => s.ClientIp).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();
        var rule = responsible.Rule;
        var evidence = string.Join("; ", new[]
        {
            mine.Count > 0 ? $"{mine.Count} sampled request{(mine.Count == 1 ? "" : "s")}{who} blocked by {Describe(rule)}" : $"{Describe(rule)} blocked requests",
            responsible.BlockedRequests is { } count ? $"BlockedRequests of {rule.MetricName}: {count.ToString("0", CultureInfo.InvariantCulture)} in {window}" : null,
            mine.FirstOrDefault()?.RuleNameWithinRuleGroup is { } inner ? $"the matching rule of the group is {inner}" : null,
        }.Where(e => e is not null));
        return new WafFinding(WafVerdict.Blocking, rule.Name, evidence + ".", Fix(rule, client, mine.FirstOrDefault()?.RuleNameWithinRuleGroup), rows, samples);
    }

    /// <summary>The runbook's solution for the kind of rule: raise a rate limit, exclude a managed rule, or allow the client.</summary>
    private static string Fix(WafRule rule, string? clientIp, string? ruleWithinGroup)
    {
        var allow = clientIp is null
            ? ""
            : $" Or allow {clientIp} with an IP set (aws wafv2 create-ip-set --name <allow-list> --scope REGIONAL --ip-address-version {(clientIp.Contains(':') ? "IPV6" : "IPV4")} --addresses {clientIp}/{(clientIp.Contains(':') ? 128 : 32)}) and an Allow rule with a lower priority than {rule.Priority}.";
        if (rule.IsRateBased)
        {
            return FormattableString.Invariant(
                $"Raise the limit of rate-based rule {rule.Name} ({rule.RateLimit} requests per {rule.EvaluationWindowSeconds / 60} min per client now): rate_based_statement.limit in modules/waf/main.tf, then terraform apply -target=module.waf.{allow}");
        }

        if (rule.ManagedRuleGroup is { } group)
        {
            return $"Exclude {(ruleWithinGroup is null ? "the matching rule" : $"rule {ruleWithinGroup}")} of managed rule group {group} (excluded_rule, or rule_action_override with count, in rule {rule.Name} of modules/waf/main.tf), then terraform apply -target=module.waf.{allow}";
        }

        return $"Change rule {rule.Name} ({rule.StatementKind}) so it no longer matches legitimate requests, then terraform apply -target=module.waf.{allow}";
    }

    private static WafRuleActivity Row(WafRuleReading reading, IReadOnlyList<WafSampledRequest> blocked) => new()
    {
        Rule = reading.Rule.Name,
        Priority = reading.Rule.Priority,
        Action = reading.Rule.Action,
        Kind = reading.Rule.StatementKind.EndsWith("Statement", StringComparison.Ordinal)
            ? reading.Rule.StatementKind.Substring(0, reading.Rule.StatementKind.Length - "Statement".Length)
            : reading.Rule.StatementKind,
        RateLimit = reading.Rule.RateLimit,
        EvaluationWindowSeconds = reading.Rule.EvaluationWindowSeconds,
        BlockedRequests = reading.BlockedRequests,
        SampledBlocked = blocked.Count,
        TopClients = blocked.GroupBy(s => s.ClientIp).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(5)
            .Select(g => FormattableString.Invariant($"{g.Key} x {g.Count()}")).ToPrintableList(),
    };

    private static string Describe(WafRule rule) =>
        rule.IsRateBased
            ? FormattableString.Invariant($"rate-based rule {rule.Name} (limit {rule.RateLimit} per {rule.EvaluationWindowSeconds / 60} min per {(rule.AggregateKeyType == "FORWARDED_IP" ? "forwarded client IP" : "client IP")})")
            : rule.ManagedRuleGroup is { } group ? $"managed rule group {group} (rule {rule.Name})" : $"rule {rule.Name} ({rule.StatementKind})";

    private static bool SameAddress(string a, string b) =>
        System.Net.IPAddress.TryParse(a, out var left) && System.Net.IPAddress.TryParse(b, out var right) ? left.Equals(right) : string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
