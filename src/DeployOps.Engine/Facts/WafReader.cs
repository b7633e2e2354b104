using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.CloudWatch;
using DeployOps.Aws.Wafv2;
using DeployOps.Operations;

namespace DeployOps.Facts;

/// <summary>Reads AWS WAF in front of a load balancer: the web ACL, sampled requests per rule, and the BlockedRequests metric per rule.</summary>
public sealed class WafReader
{
    /// <summary>The namespace WAF publishes its metrics in.</summary>
    public const string WafNamespace = "AWS/WAFV2";

    public const string BlockedRequests = "BlockedRequests";

    /// <summary>The Rule dimension of a web ACL's totals.</summary>
    public const string AllRules = "ALL";

    private readonly AwsFacts _facts;

    internal WafReader(AwsFacts facts)
    {
        _facts = facts;
    }

    private Wafv2Client Client => _facts.Session.Client<Wafv2Client>();

    /// <summary>The AWS/WAFV2 BlockedRequests metric of one rule (or <see cref="AllRules"/>) of a regional web ACL, dimensions as WAF publishes them.</summary>
    public static CloudWatchMetric BlockedRequestsMetric(string webAclMetricName, string region, string ruleMetricName) =>
        new(WafNamespace, BlockedRequests, new[]
        {
            new CloudWatchDimension("WebACL", webAclMetricName),
            new CloudWatchDimension("Region", region),
            new CloudWatchDimension("Rule", ruleMetricName),
        });

    /// <summary>The web ACL associated with a resource (a load balancer's ARN): its value is null when none is.</summary>
    public Task<Fact<WafWebAcl?>> WebAclForResourceAsync(string resourceArn, string resourceName, CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync($"web ACL of {resourceName}", () => Client.GetWebAclForResourceAsync(resourceArn, cancellationToken));

    /// <summary>Up to <paramref name="maxItems"/> requests sampled for each rule in the window, by rule name (one call per rule, concurrently).</summary>
    public async Task<IReadOnlyDictionary<string, Fact<WafSampledRequests>>> SampledRequestsAsync(
        WafWebAcl webAcl, TimeWindow window, int maxItems, CancellationToken cancellationToken)
    {
        var reads = await Task.WhenAll(webAcl.Rules.Select(rule => _facts.Policy.ReadAsync(
            $"sampled requests of WAF rule {rule.Name}",
            () => Client.GetSampledRequestsAsync(webAcl.Arn, rule.MetricName, window.Start, window.End, maxItems, cancellationToken)))).ConfigureAwait(false);
        return webAcl.Rules.Zip(reads, (rule, read) => (rule.Name, read)).ToDictionary(x => x.Name, x => x.read, StringComparer.Ordinal);
    }

    /// <summary>
    /// The sum of BlockedRequests in the window for each rule, by rule metric name, and for the web ACL as a whole
    /// (<see cref="AllRules"/>), in one GetMetricData; a rule with no datapoint blocked nothing (0).
    /// </summary>
    public async Task<Fact<IReadOnlyDictionary<string, double>>> BlockedRequestsAsync(WafWebAcl webAcl, TimeWindow window, CancellationToken cancellationToken)
    {
        var region = _facts.Session.Region.Name;
        // At most 1,440 periods in the window, each a multiple of a minute.
        var period = Math.Max(60, (int)Math.Ceiling(window.Length.TotalSeconds / 1440 / 60) * 60);
        var names = new[] { AllRules }.Concat(webAcl.Rules.Select(r => r.MetricName)).Distinct(StringComparer.Ordinal).ToList();
        var queries = names.Select((name, index) => new CloudWatchMetricQuery(
            FormattableString.Invariant($"blocked{index}"), BlockedRequestsMetric(webAcl.MetricName, region, name), period, CloudWatchStatistic.Sum)).ToList();
        var read = await _facts.Policy.ReadAsync($"BlockedRequests of web ACL {webAcl.Name}",
            () => _facts.Session.Client<CloudWatchClient>().GetMetricDataAsync(queries, window.Start, window.End, cancellationToken)).ConfigureAwait(false);
        return read.Select(results =>
        {
            var byId = results.ToDictionary(r => r.Id, StringComparer.Ordinal);
            return (IReadOnlyDictionary<string, double>)names.Select((name, index) => (name, index)).ToDictionary(
                x => x.name,
                x => byId.TryGetValue(FormattableString.Invariant($"blocked{x.index}"), out var result) ? result.Values.Sum(v => v.Value) : 0,
                StringComparer.Ordinal);
        });
    }
}
