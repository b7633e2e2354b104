using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DeployOps.Sandbox.Moto;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Sandbox.Tests;

/// <summary>
/// The ALB listeners answer like ALB (503 with no healthy target in the group a path rule picks, 502 on a reset, 504 past
/// the idle-timeout attribute, nothing for an internet-facing ALB the internet cannot reach) and count what users get into
/// AWS/ApplicationELB metrics, read back with the aws CLI.
/// </summary>
public sealed class AlbListenerTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public AlbListenerTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private MotoClient Aws => _sandbox.Aws;

    [Fact]
    public async Task Alb_502_resets_on_one_path_routes_a_rule_to_an_empty_group_and_counts_both()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.Alb502.Scenario);
        var url = await AlbUrls.WaitAsync(_sandbox);
        await Eventually.WaitUntilAsync(async () => await StatusAsync(url + "/api/v1/version/") == 200, "the backend answering through the ALB");

        Assert.Equal(502, await StatusAsync(url + Lightwave.Alb502.ResetPath));
        Assert.Equal(503, await StatusAsync(url + Lightwave.Alb502.AdminPath));

        var rules = await AwsCli.RunJsonAsync(_sandbox.Url, "elbv2", "describe-rules", "--listener-arn", await ListenerArnAsync());
        var rule = rules.GetProperty("Rules").EnumerateArray().Single(r => r.GetProperty("Priority").GetString() == "10");
        Assert.Contains("/api/v1/admin/*", rule.GetRawText(), StringComparison.Ordinal);

        await Eventually.WaitUntilAsync(async () => await SumAsync("HTTPCode_ELB_502_Count") >= 1 && await SumAsync("HTTPCode_ELB_503_Count") >= 1,
            "HTTPCode_ELB_502_Count and HTTPCode_ELB_503_Count in CloudWatch");
        Assert.Equal(0, await SumAsync("HTTPCode_Target_5XX_Count"));
    }

    [Fact]
    public async Task Alb_504_answers_504_past_the_idle_timeout_and_200_once_it_is_raised()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.Alb504IdleTimeout.Scenario);
        var url = await AlbUrls.WaitAsync(_sandbox);
        await Eventually.WaitUntilAsync(async () => await StatusAsync(url + "/api/v1/version/") == 200, "the backend answering through the ALB");

        Assert.Equal(504, await StatusAsync(url + Lightwave.Alb504IdleTimeout.SlowPath));

        var arn = await LoadBalancerArnAsync();
        await AwsCli.RunAsync(_sandbox.Url, "elbv2", "modify-load-balancer-attributes", "--load-balancer-arn", arn,
            "--attributes", $"Key=idle_timeout.timeout_seconds,Value={Lightwave.Alb504IdleTimeout.FixedIdleTimeoutSeconds}");

        await Eventually.WaitUntilAsync(async () => await StatusAsync(url + Lightwave.Alb504IdleTimeout.SlowPath) == 200, "a 200 once the idle timeout is 120 s");
        Assert.True(await SumAsync("HTTPCode_ELB_504_Count") >= 1);
    }

    [Fact]
    public async Task Alb_no_traffic_never_answers_until_it_is_in_public_subnets_and_admits_its_port()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.AlbNoTraffic.Scenario);
        var url = await AlbUrls.WaitAsync(_sandbox);
        using var impatient = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        // No answer (0): the client times out. Waited for, as the world settles on the scenario it just loaded.
        await Eventually.WaitUntilAsync(async () => await StatusAsync(url + "/api/v1/version/", impatient) == 0, "users to get no answer");

        var group = await Aws.SecurityGroupIdAsync(Lightwave.AlbSecurityGroup);
        await AwsCli.RunAsync(_sandbox.Url, "ec2", "authorize-security-group-ingress", "--group-id", group, "--protocol", "tcp", "--port", "80", "--cidr", "0.0.0.0/0");
        Assert.Equal(0, await StatusAsync(url + "/api/v1/version/", impatient));

        var subnets = await AwsCli.RunJsonAsync(_sandbox.Url, "ec2", "describe-subnets", "--filters", "Name=tag:Name,Values=lightwave-dev-public-a,lightwave-dev-public-b");
        var ids = subnets.GetProperty("Subnets").EnumerateArray().Select(s => s.GetProperty("SubnetId").GetString()!).ToArray();
        Assert.Equal(2, ids.Length);
        await AwsCli.RunAsync(_sandbox.Url, ["elbv2", "set-subnets", "--load-balancer-arn", await LoadBalancerArnAsync(), "--subnets", .. ids]);
        await Eventually.WaitUntilAsync(async () => await StatusAsync(url + "/api/v1/version/", impatient) == 200, "an answer once the ALB is reachable");
    }

    [Fact]
    public async Task Healthy_host_counts_are_published_per_target_group()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        var group = await Aws.TargetGroupArnAsync();
        var dimensions = $"Name=TargetGroup,Value={group[(group.LastIndexOf(':') + 1)..]} Name=LoadBalancer,Value={Dimension(await LoadBalancerArnAsync())}";
        var points = await Eventually.WaitForAsync(async () =>
        {
            var statistics = await AwsCli.RunJsonAsync(_sandbox.Url, ["cloudwatch", "get-metric-statistics", "--namespace", "AWS/ApplicationELB", "--metric-name", "HealthyHostCount",
                "--dimensions", .. dimensions.Split(' '), "--statistics", "Maximum", "--period", "60", "--start-time", Iso(DateTimeOffset.UtcNow.AddMinutes(-10)),
                "--end-time", Iso(DateTimeOffset.UtcNow.AddMinutes(1))]);
            var maximums = statistics.GetProperty("Datapoints").EnumerateArray().Select(p => p.GetProperty("Maximum").GetDouble()).ToList();
            return maximums.Contains(2) ? maximums : null;
        }, "HealthyHostCount 2 for lightwave-dev-backend-tg");
        Assert.All(points, p => Assert.InRange(p, 0, 2));
    }

    [Fact]
    public async Task A_percentile_query_is_answered_from_what_the_world_published()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.Alb502.Scenario);
        var url = await AlbUrls.WaitAsync(_sandbox);
        await Eventually.WaitUntilAsync(async () => await StatusAsync(url + "/api/v1/version/") == 200, "the backend answering through the ALB");
        var dimension = Dimension(await LoadBalancerArnAsync());
        var start = DateTimeOffset.UtcNow.AddMinutes(-5);
        var end = DateTimeOffset.UtcNow.AddMinutes(1);
        var form = new[]
        {
            ("StartTime", Iso(start)), ("EndTime", Iso(end)),
            ("MetricDataQueries.member.1.Id", "p50"),
            ("MetricDataQueries.member.1.MetricStat.Metric.Namespace", "AWS/ApplicationELB"),
            ("MetricDataQueries.member.1.MetricStat.Metric.MetricName", "TargetResponseTime"),
            ("MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name", "LoadBalancer"),
            ("MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value", dimension),
            ("MetricDataQueries.member.1.MetricStat.Period", "360"),
            ("MetricDataQueries.member.1.MetricStat.Stat", "p50"),
        };
        var xml = await Eventually.WaitForAsync(async () =>
        {
            var answer = await Aws.CloudWatchAsync("GetMetricData", form.Select(f => new System.Collections.Generic.KeyValuePair<string, string>(f.Item1, f.Item2)).ToList(), Lightwave.Region, default);
            return answer.ToString().Contains("<member>", StringComparison.Ordinal) && answer.Descendants().Any(e => e.Name.LocalName == "Values" && e.HasElements) ? answer : null;
        }, "a p50 of TargetResponseTime");
        var p50 = double.Parse(xml.Descendants().First(e => e.Name.LocalName == "Values").Elements().First().Value, CultureInfo.InvariantCulture);
        Assert.InRange(p50, 0.0001, 5);

        // The aws CLI speaks AWS JSON 1.0 to CloudWatch: the same computation answers it, in JSON (epoch-second timestamps).
        var queries = "[{\"Id\":\"p50\",\"MetricStat\":{\"Metric\":{\"Namespace\":\"AWS/ApplicationELB\",\"MetricName\":\"TargetResponseTime\"," +
                      $"\"Dimensions\":[{{\"Name\":\"LoadBalancer\",\"Value\":\"{dimension}\"}}]}},\"Period\":360,\"Stat\":\"p50\"}}}}," +
                      "{\"Id\":\"max\",\"MetricStat\":{\"Metric\":{\"Namespace\":\"AWS/ApplicationELB\",\"MetricName\":\"TargetResponseTime\"," +
                      $"\"Dimensions\":[{{\"Name\":\"LoadBalancer\",\"Value\":\"{dimension}\"}}]}},\"Period\":360,\"Stat\":\"Maximum\"}}}}]";
        var (json, query) = await Eventually.WaitForAsync(async () =>
        {
            var cli = await AwsCli.RunJsonAsync(_sandbox.Url, "cloudwatch", "get-metric-data", "--start-time", Iso(start), "--end-time", Iso(end), "--metric-data-queries", queries);
            var answer = await Aws.CloudWatchAsync("GetMetricData", form.Select(f => new System.Collections.Generic.KeyValuePair<string, string>(f.Item1, f.Item2)).ToList(), Lightwave.Region, default);
            var cliP50 = cli.GetProperty("MetricDataResults").EnumerateArray().First(r => r.GetProperty("Id").GetString() == "p50");
            var values = cliP50.GetProperty("Values").EnumerateArray().Select(v => v.GetDouble()).ToList();
            var xmlValues = answer.Descendants().First(e => e.Name.LocalName == "Values").Elements().Select(e => double.Parse(e.Value, CultureInfo.InvariantCulture)).ToList();
            return values.SequenceEqual(xmlValues) ? Tuple.Create(cli, answer) : null; // read in the same moment, both answers agree
        }, "the aws CLI's JSON answer and the query answer to agree");
        var results = json.GetProperty("MetricDataResults").EnumerateArray().ToList();
        Assert.Equal(new[] { "p50", "max" }, results.Select(r => r.GetProperty("Id").GetString()));
        Assert.All(results, r => Assert.Equal("Complete", r.GetProperty("StatusCode").GetString()));
        // CLI v1 prints timestamps as they came on the wire (cli_timestamp_format none): epoch seconds for JSON 1.0.
        var cliTimes = results[0].GetProperty("Timestamps").EnumerateArray().Select(t => DateTimeOffset.FromUnixTimeSeconds(t.GetInt64())).ToList();
        var xmlTimes = query.Descendants().First(e => e.Name.LocalName == "Timestamps").Elements().Select(e => DateTimeOffset.Parse(e.Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(xmlTimes, cliTimes);
        var medians = results[0].GetProperty("Values").EnumerateArray().Select(v => v.GetDouble()).ToList();
        var maximums = results[1].GetProperty("Values").EnumerateArray().Select(v => v.GetDouble()).ToList();
        Assert.Equal(medians.Count, maximums.Count);
        Assert.All(medians.Zip(maximums), pair => Assert.True(pair.First <= pair.Second, $"p50 {pair.First} is above the maximum {pair.Second}"));
    }

    private async Task<int> StatusAsync(string url, HttpClient? client = null)
    {
        try
        {
            using var response = await (client ?? _sandbox.Http).GetAsync(url);
            return (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // No answer: refused, reset, or the client's timeout.
            return 0;
        }
    }

    private async Task<string> LoadBalancerArnAsync() =>
        (await AwsCli.RunJsonAsync(_sandbox.Url, "elbv2", "describe-load-balancers", "--names", Lightwave.LoadBalancer))
        .GetProperty("LoadBalancers")[0].GetProperty("LoadBalancerArn").GetString()!;

    private async Task<string> ListenerArnAsync() =>
        (await AwsCli.RunJsonAsync(_sandbox.Url, "elbv2", "describe-listeners", "--load-balancer-arn", await LoadBalancerArnAsync()))
        .GetProperty("Listeners")[0].GetProperty("ListenerArn").GetString()!;

    private async Task<double> SumAsync(string metric)
    {
        var statistics = await AwsCli.RunJsonAsync(_sandbox.Url, "cloudwatch", "get-metric-statistics", "--namespace", "AWS/ApplicationELB", "--metric-name", metric,
            "--dimensions", $"Name=LoadBalancer,Value={Dimension(await LoadBalancerArnAsync())}", "--statistics", "Sum", "--period", "60",
            "--start-time", Iso(DateTimeOffset.UtcNow.AddMinutes(-10)), "--end-time", Iso(DateTimeOffset.UtcNow.AddMinutes(1)));
        return statistics.GetProperty("Datapoints").EnumerateArray().Sum(p => p.GetProperty("Sum").GetDouble());
    }

    private static string Dimension(string loadBalancerArn) => loadBalancerArn[(loadBalancerArn.IndexOf(":loadbalancer/", StringComparison.Ordinal) + ":loadbalancer/".Length)..];

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}

/// <summary>A target whose keep-alive is shorter than the ALB's idle timeout: a request after a pause between the two is a 502.</summary>
public sealed class AlbKeepAliveTests : IClassFixture<TestScenariosSandbox>
{
    private readonly TestScenariosSandbox _sandbox;

    public AlbKeepAliveTests(TestScenariosSandbox sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task A_request_after_the_targets_keep_alive_but_within_the_idle_timeout_is_a_502()
    {
        await _sandbox.LoadScenarioAsync("alb-keep-alive");
        var url = await AlbUrls.WaitAsync(_sandbox) + "/api/v1/version/";
        await Eventually.WaitUntilAsync(async () => (await _sandbox.Http.GetAsync(url)).StatusCode == HttpStatusCode.OK, "the backend answering through the ALB");

        // Both targets have answered once (round robin), each announcing Keep-Alive: timeout=5.
        Assert.Equal(HttpStatusCode.OK, (await _sandbox.Http.GetAsync(url)).StatusCode);
        (await _sandbox.PostControlAsync("_sandbox/clock", """{"advanceSeconds": 20}""")).EnsureSuccessStatusCode();

        var statuses = new[] { (await _sandbox.Http.GetAsync(url)).StatusCode, (await _sandbox.Http.GetAsync(url)).StatusCode };
        Assert.Equal([HttpStatusCode.BadGateway, HttpStatusCode.BadGateway], statuses);
        Assert.Equal(HttpStatusCode.OK, (await _sandbox.Http.GetAsync(url)).StatusCode);
    }
}

/// <summary>Where the sandbox serves the ALB's listener.</summary>
internal static class AlbUrls
{
    public static Task<string> WaitAsync(SandboxFixture sandbox, string name = Lightwave.LoadBalancer) =>
        Eventually.WaitForAsync(async () =>
        {
            var state = await sandbox.StateAsync();
            return state["loadBalancers"]!.AsArray().FirstOrDefault(l => (string?)l!["name"] == name)?["url"]?.GetValue<string>();
        }, $"the listener of {name}");
}
