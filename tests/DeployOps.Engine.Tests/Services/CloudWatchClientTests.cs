using System;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using DeployOps.Aws.CloudWatch;
using DeployOps.Engine.Tests.Support;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Services;

/// <summary>The typed CloudWatch client over real HTTP against moto, with values put by the aws CLI (an independent writer).</summary>
public sealed class CloudWatchClientTests : MotoSessionTest
{
    public CloudWatchClientTests(MotoFixture moto)
        : base(moto)
    {
    }

    private static CloudWatchMetric Memory(string cluster) =>
        new("AWS/ECS", "MemoryUtilization", new[] { new CloudWatchDimension("ClusterName", cluster), new CloudWatchDimension("ServiceName", "api") });

    /// <summary>Puts <paramref name="values"/> of the service's MemoryUtilization with the aws CLI, one value per datum.</summary>
    private async Task PutAsync(string cluster, params double[] values)
    {
        var data = string.Join(",", values.Select(v => FormattableString.Invariant(
            $$"""{"MetricName":"MemoryUtilization","Dimensions":[{"Name":"ClusterName","Value":"{{cluster}}"},{"Name":"ServiceName","Value":"api"}],"Value":{{v}},"Unit":"Percent"}""")));
        await AwsCli.RunAsync(Moto.Url, "cloudwatch", "put-metric-data", "--namespace", "AWS/ECS", "--metric-data", "[" + data + "]");
    }

    [Fact]
    public async Task GetMetricDataReturnsEachQuerysStatistic()
    {
        var cluster = MotoSessions.UniqueName("c");
        await PutAsync(cluster, 40, 100, 61);
        var now = DateTimeOffset.UtcNow;

        var results = await Session.Client<CloudWatchClient>().GetMetricDataAsync(
            new[]
            {
                new CloudWatchMetricQuery("mem_max", Memory(cluster), 60, CloudWatchStatistic.Maximum),
                new CloudWatchMetricQuery("mem_count", Memory(cluster), 60, CloudWatchStatistic.SampleCount),
            },
            now.AddMinutes(-5),
            now.AddMinutes(1));

        var byId = results.ToDictionary(r => r.Id);
        Assert.Equal(100, byId["mem_max"].Values.Single().Value);
        Assert.Equal(3, byId["mem_count"].Values.Single().Value);
        Assert.True(byId["mem_max"].IsComplete);
        Assert.InRange(byId["mem_max"].Values.Single().Timestamp, now.AddMinutes(-6), now.AddMinutes(1));
    }

    [Fact]
    public async Task GetMetricDataSplitsQueriesIntoCallsOf500()
    {
        var cluster = MotoSessions.UniqueName("c");
        await PutAsync(cluster, 12.5);
        var now = DateTimeOffset.UtcNow;
        var queries = Enumerable.Range(0, CloudWatchClient.QueriesPerCall + 1)
            .Select(i => new CloudWatchMetricQuery(FormattableString.Invariant($"q{i}"), Memory(cluster), 60, CloudWatchStatistic.Average))
            .ToList();

        var results = await Session.Client<CloudWatchClient>().GetMetricDataAsync(queries, now.AddMinutes(-5), now.AddMinutes(1));

        Assert.Equal(queries.Select(q => q.Id), results.Select(r => r.Id));
        Assert.All(results, r => Assert.Equal(12.5, r.Values.Single().Value));
        Assert.Equal(2, Session.Calls.Get("CloudWatch", "GetMetricData").Calls);
    }

    [Fact]
    public async Task GetMetricStatisticsAndListMetrics()
    {
        var cluster = MotoSessions.UniqueName("c");
        await PutAsync(cluster, 30, 50);
        var now = DateTimeOffset.UtcNow;
        var client = Session.Client<CloudWatchClient>();

        var points = await client.GetMetricStatisticsAsync(new CloudWatchStatisticsRequest(
            Memory(cluster), now.AddMinutes(-5), now.AddMinutes(1), 3600, new[] { CloudWatchStatistic.Average, CloudWatchStatistic.Maximum }));
        var metrics = await client.ListMetricsAsync("AWS/ECS", "MemoryUtilization");

        var point = Assert.Single(points);
        Assert.Equal((40.0, 50.0, "Percent"), (point.Average!.Value, point.Maximum!.Value, point.Unit));
        Assert.Null(point.Minimum);
        Assert.Contains(metrics, m => m.Dimensions.Any(d => d.Name == "ClusterName" && d.Value == cluster) && m.MetricName == "MemoryUtilization");
    }
}
