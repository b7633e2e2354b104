using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using DeployOps.Engine.Tests.Support;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;
using DeployOps.Testing;
using DeployOps.Waf;
using Xunit;

namespace DeployOps.Engine.Tests.Runbook;

/// <summary>
/// Get-WafBlockedRequest's engine against the sandbox (runbook 004 "WAF blocking legitimate traffic"): the ALB listener
/// enforces the web ACL's rate-based rule, and the report names the rule from the sampled requests and the
/// BlockedRequests metric, for the client that was blocked and not for one that was not.
/// </summary>
public sealed class WafBlockedRequestTests : IClassFixture<SandboxFixture>
{
    private const string BusyClient = "203.0.113.7";
    private const string QuietClient = "198.51.100.2";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly SandboxFixture _sandbox;

    public WafBlockedRequestTests(SandboxFixture sandbox) => _sandbox = sandbox;

    /// <summary>Sends <paramref name="count"/> requests through the ALB as <paramref name="client"/>; returns the statuses in order.</summary>
    private static async Task<List<HttpStatusCode>> SendAsync(string albUrl, string client, int count)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, albUrl + Lightwave.HealthPath);
            request.Headers.Add(Lightwave.WafRateLimit.ForwardedHeader, client);
            using var response = await Http.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    private async Task<IReadOnlyList<ItemOutcome<WafBlockedRequestReport>>> InspectAsync(WafBlockedRequestQuery query)
    {
        using var session = SandboxSessions.Create(_sandbox);
        return await new WafBlockedRequestInspector(new AwsFacts(session, NullOperationObserver.Instance)).InspectAsync(query, default);
    }

    [Fact]
    public async Task Waf_rate_limit_blocks_the_busy_client_and_names_the_rate_based_rule_with_its_limit_and_fix()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.WafRateLimit.Scenario);
        var alb = await SandboxSessions.AlbUrlAsync(_sandbox);

        var busy = await SendAsync(alb, BusyClient, Lightwave.WafRateLimit.RateLimit + 5);
        var quiet = await SendAsync(alb, QuietClient, 3);

        Assert.All(busy.Take(Lightwave.WafRateLimit.RateLimit), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.All(busy.Skip(Lightwave.WafRateLimit.RateLimit), s => Assert.Equal(HttpStatusCode.Forbidden, s));
        Assert.All(quiet, s => Assert.Equal(HttpStatusCode.OK, s));

        // The metric reaches CloudWatch on the world's next ticks.
        var report = await Eventually.WaitForAsync(async () =>
        {
            var outcome = Assert.Single(await InspectAsync(new WafBlockedRequestQuery { LoadBalancer = Lightwave.LoadBalancer, ClientIp = BusyClient }));
            return outcome.Value!.BlockedRequests >= 5 ? outcome.Value : null;
        }, "BlockedRequests of the web ACL");

        Assert.Equal("Blocking", report.Status);
        Assert.True(report.Complete);
        Assert.Equal(Lightwave.WafRateLimit.WebAcl, report.WebAcl);
        Assert.Equal("Allow", report.DefaultAction);
        Assert.Equal(Lightwave.WafRateLimit.RateRule, report.ResponsibleRule);
        Assert.Equal(5, report.Samples.Count);
        Assert.All(report.Samples, s => Assert.Equal((BusyClient, Lightwave.HealthPath, Lightwave.WafRateLimit.RateRule), (s.ClientIp, s.Uri, s.Rule)));
        var rule = Assert.Single(report.Rules);
        Assert.Equal(("RateBased", 20L, 600, "Block", 5.0), (rule.Kind, rule.RateLimit!.Value, rule.EvaluationWindowSeconds!.Value, rule.Action, rule.BlockedRequests!.Value));
        Assert.Equal($"{BusyClient} x 5", Assert.Single(rule.TopClients));
        Assert.Contains($"5 sampled requests from {BusyClient} blocked by rate-based rule {Lightwave.WafRateLimit.RateRule} (limit 20 per 10 min per forwarded client IP)", report.Cause, StringComparison.Ordinal);
        Assert.StartsWith($"Raise the limit of rate-based rule {Lightwave.WafRateLimit.RateRule} (20 requests per 10 min per client now)", report.Fix, StringComparison.Ordinal);
        Assert.Contains($"--addresses {BusyClient}/32", report.Fix, StringComparison.Ordinal);

        var other = Assert.Single(await InspectAsync(new WafBlockedRequestQuery { LoadBalancer = Lightwave.LoadBalancer, ClientIp = QuietClient })).Value!;
        Assert.Equal("NotBlocking", other.Status);
        Assert.Null(other.ResponsibleRule);
        Assert.Empty(other.Samples);
        Assert.Contains("the 403 does not come from WAF", other.Cause, StringComparison.Ordinal);

        var everyone = Assert.Single(await InspectAsync(new WafBlockedRequestQuery { LoadBalancer = Lightwave.LoadBalancer })).Value!;
        Assert.Equal((Lightwave.WafRateLimit.RateRule, 5), (everyone.ResponsibleRule, everyone.Samples.Count));
    }

    [Fact]
    public async Task A_load_balancer_without_a_web_ACL_says_WAF_blocks_nothing_and_an_unknown_one_is_LoadBalancerNotFound()
    {
        await _sandbox.LoadScenarioAsync("healthy");

        var report = Assert.Single(await InspectAsync(new WafBlockedRequestQuery { LoadBalancer = Lightwave.LoadBalancer })).Value!;
        var missing = Assert.Single(await InspectAsync(new WafBlockedRequestQuery { LoadBalancer = "lightwave-nope-alb" }));

        Assert.Equal(("NoWebAcl", null, true), (report.Status, report.WebAcl, report.Complete));
        Assert.StartsWith($"No web ACL is associated with {Lightwave.LoadBalancer}", report.Cause, StringComparison.Ordinal);
        Assert.Equal(ErrorIds.LoadBalancerNotFound, missing.Error!.ErrorId);
        Assert.Contains("'lightwave-nope-alb'", missing.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_client_ip_and_sample_count_are_refused_before_any_call()
    {
        var ip = await Assert.ThrowsAsync<DeployOpsException>(() => InspectAsync(new WafBlockedRequestQuery { LoadBalancer = Lightwave.LoadBalancer, ClientIp = "203.0.113" }));
        var samples = await Assert.ThrowsAsync<DeployOpsException>(() => InspectAsync(new WafBlockedRequestQuery { LoadBalancer = Lightwave.LoadBalancer, MaxSamples = 501 }));

        Assert.Equal(ErrorIds.InvalidClientIp, ip.Error.ErrorId);
        Assert.Contains("'203.0.113'", ip.Error.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorIds.InvalidSampleCount, samples.Error.ErrorId);
    }
}
