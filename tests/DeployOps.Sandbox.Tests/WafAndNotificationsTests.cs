using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Sandbox.Tests;

/// <summary>
/// The WAF and notifications simulators, seen through the ALB listener and the aws CLI (an independent oracle): the
/// rate-based rule's 403s, GetSampledRequests, BlockedRequests, the runbook's fix (a higher limit through UpdateWebACL);
/// SNS subscriptions pending confirmation until confirmed, and alarm history.
/// </summary>
public sealed class WafAndNotificationsTests : IClassFixture<SandboxFixture>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly SandboxFixture _sandbox;

    public WafAndNotificationsTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private Task<JsonElement> CliAsync(params string[] arguments) => AwsCli.RunJsonAsync(_sandbox.Url, arguments);

    private async Task<string> AlbUrlAsync() =>
        (await _sandbox.StateAsync())["loadBalancers"]!.AsArray().Single(l => (string?)l!["name"] == Lightwave.LoadBalancer)!["url"]!.GetValue<string>();

    private static async Task<HttpStatusCode[]> SendAsync(string albUrl, string client, int count)
    {
        var statuses = new HttpStatusCode[count];
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, albUrl + Lightwave.HealthPath);
            request.Headers.Add(Lightwave.WafRateLimit.ForwardedHeader, client);
            using var response = await Http.SendAsync(request);
            statuses[i] = response.StatusCode;
        }

        return statuses;
    }

    private static string Epoch(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Rate_based_rule_answers_403_past_the_limit_per_client_samples_and_counts_them_and_a_raised_limit_lets_the_client_in()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.WafRateLimit.Scenario);
        var alb = await AlbUrlAsync();

        var first = await SendAsync(alb, "203.0.113.7", Lightwave.WafRateLimit.RateLimit + 3);
        var other = await SendAsync(alb, "203.0.113.8", 2);

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, Lightwave.WafRateLimit.RateLimit).Concat(Enumerable.Repeat(HttpStatusCode.Forbidden, 3)), first);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], other);

        var acl = Assert.Single((await CliAsync("wafv2", "list-web-acls", "--scope", "REGIONAL")).GetProperty("WebACLs").EnumerateArray());
        var aclArn = acl.GetProperty("ARN").GetString()!;
        var now = DateTimeOffset.UtcNow;
        var window = $"StartTime={Epoch(now.AddHours(-1))},EndTime={Epoch(now.AddMinutes(1))}";
        var sampled = await CliAsync("wafv2", "get-sampled-requests", "--web-acl-arn", aclArn, "--rule-metric-name", Lightwave.WafRateLimit.RateRule,
            "--scope", "REGIONAL", "--time-window", window, "--max-items", "20");
        var samples = sampled.GetProperty("SampledRequests").EnumerateArray().ToList();
        Assert.Equal(3, samples.Count);
        Assert.All(samples, s => Assert.Equal(("203.0.113.7", Lightwave.HealthPath, "BLOCK"),
            (s.GetProperty("Request").GetProperty("ClientIP").GetString(), s.GetProperty("Request").GetProperty("URI").GetString(), s.GetProperty("Action").GetString())));
        var everything = await CliAsync("wafv2", "get-sampled-requests", "--web-acl-arn", aclArn, "--rule-metric-name", Lightwave.WafRateLimit.WebAcl,
            "--scope", "REGIONAL", "--time-window", window, "--max-items", "500");
        Assert.Equal(Lightwave.WafRateLimit.RateLimit + 5, everything.GetProperty("PopulationSize").GetInt32());

        var blocked = await Eventually.WaitForAsync(async () =>
        {
            var statistics = await CliAsync("cloudwatch", "get-metric-statistics", "--namespace", "AWS/WAFV2", "--metric-name", "BlockedRequests",
                "--dimensions", $"Name=WebACL,Value={Lightwave.WafRateLimit.WebAcl}", $"Name=Region,Value={Lightwave.Region}", $"Name=Rule,Value={Lightwave.WafRateLimit.RateRule}",
                "--start-time", now.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                "--end-time", now.AddMinutes(5).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), "--period", "3600", "--statistics", "Sum");
            var sum = statistics.GetProperty("Datapoints").EnumerateArray().Sum(p => p.GetProperty("Sum").GetDouble());
            return sum >= 3 ? sum.ToString(CultureInfo.InvariantCulture) : null;
        }, "BlockedRequests of the rate-based rule in CloudWatch");
        Assert.Equal("3", blocked);

        // The runbook's fix: a higher limit (terraform's rate_based_statement.limit), applied with UpdateWebACL.
        var described = await CliAsync("wafv2", "get-web-acl", "--scope", "REGIONAL", "--name", Lightwave.WafRateLimit.WebAcl, "--id", acl.GetProperty("Id").GetString()!);
        var webAcl = described.GetProperty("WebACL");
        var rules = JsonSerializer.Serialize(webAcl.GetProperty("Rules")).Replace("\"Limit\":20", "\"Limit\":5000", StringComparison.Ordinal);
        Assert.Contains("\"Limit\":5000", rules, StringComparison.Ordinal);
        await AwsCli.RunAsync(_sandbox.Url, "wafv2", "update-web-acl", "--scope", "REGIONAL", "--name", Lightwave.WafRateLimit.WebAcl, "--id", acl.GetProperty("Id").GetString()!,
            "--lock-token", described.GetProperty("LockToken").GetString()!, "--default-action", "{\"Allow\":{}}", "--rules", rules,
            "--visibility-config", JsonSerializer.Serialize(webAcl.GetProperty("VisibilityConfig")));
        await Eventually.WaitUntilAsync(async () => (await SendAsync(alb, "203.0.113.7", 1))[0] == HttpStatusCode.OK, "the client let in under the raised limit");
        var state = (await _sandbox.StateAsync())["waf"]!.AsArray();
        Assert.Equal(5000, (long)Assert.Single(state)!["rules"]![0]!["limit"]!);
    }

    [Fact]
    public async Task Subscriptions_stay_pending_until_confirmed_and_alarm_history_holds_the_scenarios_flaps()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.AlarmUnconfirmed.Scenario);
        var topicArn = $"arn:aws:sns:{Lightwave.Region}:123456789012:{Lightwave.AlarmUnconfirmed.AlarmsTopic}";

        async Task<string> SubscriptionArnAsync() =>
            (await CliAsync("sns", "list-subscriptions-by-topic", "--topic-arn", topicArn)).GetProperty("Subscriptions").EnumerateArray()
                .Single(s => s.GetProperty("Endpoint").GetString() == Lightwave.AlarmUnconfirmed.OnCallEmail).GetProperty("SubscriptionArn").GetString()!;

        Assert.Equal("PendingConfirmation", await SubscriptionArnAsync());
        var refused = await _sandbox.PostControlAsync("_sandbox/sns/confirm", "{\"endpoint\": \"nobody@lightwave.example\"}");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        (await _sandbox.PostControlAsync("_sandbox/sns/confirm", $"{{\"endpoint\": \"{Lightwave.AlarmUnconfirmed.OnCallEmail}\"}}")).EnsureSuccessStatusCode();
        Assert.StartsWith(topicArn + ":", await SubscriptionArnAsync(), StringComparison.Ordinal);

        // A new email subscription waits for its confirmation, as SNS's do.
        var subscribed = await CliAsync("sns", "subscribe", "--topic-arn", topicArn, "--protocol", "email", "--notification-endpoint", "second@lightwave.example");
        Assert.Equal("pending confirmation", subscribed.GetProperty("SubscriptionArn").GetString());

        var history = (await CliAsync("cloudwatch", "describe-alarm-history", "--alarm-name", Lightwave.AlarmUnconfirmed.CpuAlarm, "--history-item-type", "StateUpdate"))
            .GetProperty("AlarmHistoryItems").EnumerateArray().ToList();
        Assert.Equal(2 * Lightwave.AlarmUnconfirmed.CpuFlaps, history.Count);
        Assert.Equal(Lightwave.AlarmUnconfirmed.CpuFlaps, history.Count(h => h.GetProperty("HistorySummary").GetString() == "Alarm updated from OK to ALARM"));

        await AwsCli.RunAsync(_sandbox.Url, "cloudwatch", "set-alarm-state", "--alarm-name", Lightwave.AlarmUnconfirmed.CpuAlarm, "--state-value", "ALARM", "--state-reason", "test");
        var after = (await CliAsync("cloudwatch", "describe-alarm-history", "--alarm-name", Lightwave.AlarmUnconfirmed.CpuAlarm)).GetProperty("AlarmHistoryItems").EnumerateArray().ToList();
        Assert.Equal(2 * Lightwave.AlarmUnconfirmed.CpuFlaps + 1, after.Count);
        var alarm = Assert.Single((await CliAsync("cloudwatch", "describe-alarms", "--alarm-names", Lightwave.AlarmUnconfirmed.AlbAlarm)).GetProperty("MetricAlarms").EnumerateArray());
        Assert.False(alarm.GetProperty("ActionsEnabled").GetBoolean());
        Assert.StartsWith("app/lightwave-dev-alb/", alarm.GetProperty("Dimensions")[0].GetProperty("Value").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_web_acl_on_an_unknown_load_balancer_and_an_alarm_on_an_unknown_topic_are_refused_with_the_line()
    {
        var folder = Directory.CreateTempSubdirectory("deployops-scenarios-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "waf.yaml"), "webAcls:\n  w:\n    loadBalancers: [nope-alb]\n    rules:\n      r: { priority: 1, rateLimit: 100 }\n");
            File.WriteAllText(Path.Combine(folder, "alarm.yaml"), "alarms:\n  a:\n    namespace: AWS/ECS\n    metric: CPUUtilization\n    threshold: 80\n    topics: [nope]\n");
            File.WriteAllText(Path.Combine(folder, "window.yaml"), "webAcls:\n  w:\n    loadBalancers: []\n    rules:\n      r: { priority: 1, rateLimit: 100, windowSeconds: 90 }\n");

            Assert.Contains("webAcls.w: 'nope-alb' is not a load balancer defined in this scenario", Assert.Throws<ScenarioException>(() => ScenarioReader.Read("waf", folder)).Message, StringComparison.Ordinal);
            Assert.Contains("alarms.a: 'nope' is not a topic defined in snsTopics (known: none)", Assert.Throws<ScenarioException>(() => ScenarioReader.Read("alarm", folder)).Message, StringComparison.Ordinal);
            Assert.Contains("expected 60, 120, 300 or 600", Assert.Throws<ScenarioException>(() => ScenarioReader.Read("window", folder)).Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
