using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DeployOps.Sandbox.Http;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.Simulators.Metrics;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.Waf;

/// <summary>
/// AWS WAF at run time, which moto does not do (it keeps web ACLs and their associations only): the rate-based rules of
/// the web ACL associated with a load balancer are enforced on the requests its ALB listeners receive (<see cref="Inspect"/>,
/// the listener's one call), a client above a rule's limit in the rule's evaluation window (world seconds) gets ALB's 403;
/// every request is sampled (GetSampledRequests answers from the samples of the last three hours) and each block counts
/// in the AWS/WAFV2 BlockedRequests metric (per rule and ALL), published through the metrics simulator. Web ACLs are read
/// back from moto (GetWebACLForResource per load balancer) whenever the configuration or a WAFV2 write changes them, so an
/// UpdateWebACL that raises a limit takes effect. Rules other than rate-based ones are not evaluated.
/// </summary>
public sealed partial class WafSimulator : Simulator
{
    private const string Service = "wafv2";

    /// <summary>How long samples are kept (GetSampledRequests covers the last three hours).</summary>
    private static readonly TimeSpan SampleRetention = TimeSpan.FromHours(3);

    private const int MaxSamplesPerAcl = 20000;

    private readonly MetricsSimulator _metrics;
    private readonly Dictionary<string, WebAcl> _byLoadBalancer = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _balancersByRegion = new(StringComparer.Ordinal);
    private readonly HashSet<string> _staleRegions = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Acl, string Rule, string Client), Queue<double>> _rates = new();
    private readonly List<Sample> _samples = [];
    private readonly Dictionary<(string Region, string Acl, string Rule), int> _blockedToPublish = new();
    private readonly Dictionary<string, int> _blockedTotals = new(StringComparer.Ordinal);

    public WafSimulator(WorldContext world, MetricsSimulator metrics)
        : base(world)
    {
        _metrics = metrics;
    }

    /// <summary>A rate-based rule as moto holds it.</summary>
    private sealed record RateRule(string Name, int Priority, string MetricName, bool Blocks, long Limit, int WindowSeconds, string? ForwardedIpHeader);

    /// <summary>A web ACL associated with a load balancer, its rate-based rules by priority.</summary>
    private sealed record WebAcl(string Arn, string Name, string MetricName, string Region, IReadOnlyList<RateRule> Rules);

    /// <summary>One request WAF saw: its client, what it asked, and what WAF did (the rule that blocked it, or none).</summary>
    private sealed record Sample(string AclArn, string? RuleMetricName, string ClientIp, string Method, string Uri, string? Host, string Action, DateTimeOffset At);

    /// <summary>
    /// The web ACL's verdict on a request reaching an ALB listener: ALB's 403 page when a rate-based rule blocks its client,
    /// or null to let the listener route it. Called by the ALB listeners without a lock of their own.
    /// </summary>
    public MiniHttpResponse? Inspect(string region, string listenerArn, MiniHttpRequest request)
    {
        var balancer = World.Configuration.Snapshot(region).LoadBalancers.Values.FirstOrDefault(lb => lb.Listeners.Any(l => l.Arn == listenerArn));
        lock (Gate)
        {
            if (balancer is null || !_byLoadBalancer.TryGetValue(balancer.Arn, out var acl))
            {
                return null;
            }

            var now = World.Clock.Now;
            var connection = request.Remote.Address.IsIPv4MappedToIPv6 ? request.Remote.Address.MapToIPv4().ToString() : request.Remote.Address.ToString();
            var sampledClient = connection;
            foreach (var rule in acl.Rules)
            {
                var client = rule.ForwardedIpHeader is { } header && ForwardedClient(request.Header(header)) is { } forwarded ? forwarded : connection;
                sampledClient = rule.ForwardedIpHeader is null ? sampledClient : client;
                var key = (acl.Arn, rule.Name, client);
                if (!_rates.TryGetValue(key, out var times))
                {
                    _rates[key] = times = new Queue<double>();
                }

                while (times.Count > 0 && times.Peek() <= now - rule.WindowSeconds)
                {
                    times.Dequeue();
                }

                times.Enqueue(now);
                if (rule.Blocks && times.Count > rule.Limit)
                {
                    Record(new Sample(acl.Arn, rule.MetricName, client, request.Method, request.Path, request.Header("Host"), "BLOCK", DateTimeOffset.UtcNow));
                    foreach (var counted in new[] { rule.MetricName, "ALL" })
                    {
                        var metric = (acl.Region, acl.MetricName, counted);
                        _blockedToPublish[metric] = _blockedToPublish.GetValueOrDefault(metric) + 1;
                    }

                    _blockedTotals[rule.Name] = _blockedTotals.GetValueOrDefault(rule.Name) + 1;
                    return MiniHttpResponse.Text(403, "<html><head><title>403 Forbidden</title></head><body><center><h1>403 Forbidden</h1></center></body></html>", "text/html");
                }
            }

            Record(new Sample(acl.Arn, null, sampledClient, request.Method, request.Path, request.Header("Host"), "ALLOW", DateTimeOffset.UtcNow));
            return null;
        }
    }

    /// <summary>The first address of an X-Forwarded-For style header (the original client), or null when it has none.</summary>
    private static string? ForwardedClient(string? header) =>
        header?.Split(',')[0].Trim() is { Length: > 0 } first && IPAddress.TryParse(first, out var address) ? address.ToString() : null;

    /// <summary>Keeps a sample; under the lock.</summary>
    private void Record(Sample sample)
    {
        _samples.Add(sample);
        var oldest = DateTimeOffset.UtcNow - SampleRetention;
        if (_samples.Count > MaxSamplesPerAcl * 4 || _samples[0].At < oldest)
        {
            _samples.RemoveAll(s => s.At < oldest);
            var mine = _samples.Count(s => s.AclArn == sample.AclArn);
            if (mine > MaxSamplesPerAcl)
            {
                var drop = mine - MaxSamplesPerAcl;
                _samples.RemoveAll(s => s.AclArn == sample.AclArn && drop-- > 0);
            }
        }
    }

    /// <summary>Reads the web ACLs back from moto when stale, and publishes the blocks counted since the last step.</summary>
    protected override void Step(double now)
    {
        foreach (var region in _staleRegions)
        {
            var balancers = _balancersByRegion.GetValueOrDefault(region, []).ToList();
            var stale = region;
            Effect(() => RefreshAsync(stale, balancers));
        }

        _staleRegions.Clear();
        foreach (var ((region, acl, rule), count) in _blockedToPublish)
        {
            _metrics.Publish(new MetricValue(region, "AWS/WAFV2", "BlockedRequests",
                [new("WebACL", acl), new("Region", region), new("Rule", rule)], count, "Count", DateTimeOffset.UtcNow));
        }

        _blockedToPublish.Clear();
    }

    /// <summary>The load balancers of the region changed: their web ACLs are read again.</summary>
    protected override void OnConfigurationRead(string region, ConfigSnapshot snapshot)
    {
        _balancersByRegion[region] = snapshot.LoadBalancers.Keys.ToList();
        _staleRegions.Add(region);
    }

    /// <summary>GetWebACLForResource for each load balancer of the region, then the rules replace what was known (outside the lock until then).</summary>
    private async Task RefreshAsync(string region, List<string> balancers)
    {
        var found = new Dictionary<string, WebAcl>(StringComparer.Ordinal);
        foreach (var balancer in balancers)
        {
            var answer = await World.Moto.Wafv2Async("GetWebACLForResource", new JsonObject { ["ResourceArn"] = balancer }, region, World.Stopping).ConfigureAwait(false);
            if (answer["WebACL"] is JsonObject acl)
            {
                found[balancer] = ReadWebAcl(acl, region);
            }
        }

        lock (Gate)
        {
            foreach (var balancer in balancers)
            {
                _byLoadBalancer.Remove(balancer);
            }

            foreach (var (balancer, acl) in found)
            {
                _byLoadBalancer[balancer] = acl;
            }
        }
    }

    private static WebAcl ReadWebAcl(JsonObject acl, string region)
    {
        var rules = (acl["Rules"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(r => r["Statement"]?["RateBasedStatement"] is JsonObject)
            .Select(r =>
            {
                var rate = (JsonObject)r["Statement"]!["RateBasedStatement"]!;
                var forwarded = rate["AggregateKeyType"]?.GetValue<string>() == "FORWARDED_IP" ? rate["ForwardedIPConfig"]?["HeaderName"]?.GetValue<string>() : null;
                return new RateRule(
                    r["Name"]?.GetValue<string>() ?? "",
                    r["Priority"]?.GetValue<int>() ?? 0,
                    r["VisibilityConfig"]?["MetricName"]?.GetValue<string>() ?? r["Name"]?.GetValue<string>() ?? "",
                    r["Action"]?["Block"] is not null,
                    rate["Limit"]?.GetValue<long>() ?? long.MaxValue,
                    rate["EvaluationWindowSec"]?.GetValue<int>() ?? 300,
                    forwarded);
            })
            .OrderBy(r => r.Priority)
            .ToList();
        return new WebAcl(acl["ARN"]?.GetValue<string>() ?? "", acl["Name"]?.GetValue<string>() ?? "", acl["VisibilityConfig"]?["MetricName"]?.GetValue<string>() ?? "", region, rules);
    }

    protected override void Forget(ScenarioDefinition? next)
    {
        _byLoadBalancer.Clear();
        _balancersByRegion.Clear();
        _staleRegions.Clear();
        _rates.Clear();
        _samples.Clear();
        _blockedToPublish.Clear();
        _blockedTotals.Clear();
    }

    /// <summary>Adds <c>waf</c>: each load balancer's web ACL, its rate-based rules with their limits, and how many requests each blocked.</summary>
    public override void DescribeState(JsonObject state)
    {
        lock (Gate)
        {
            state["waf"] = new JsonArray(_byLoadBalancer.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (JsonNode)new JsonObject
            {
                ["loadBalancerArn"] = p.Key,
                ["webAcl"] = p.Value.Name,
                ["rules"] = new JsonArray(p.Value.Rules.Select(r => (JsonNode)new JsonObject
                {
                    ["name"] = r.Name,
                    ["limit"] = r.Limit,
                    ["windowSeconds"] = r.WindowSeconds,
                    ["blocked"] = _blockedTotals.GetValueOrDefault(r.Name),
                }).ToArray()),
            }).ToArray());
        }
    }
}
