using System;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Sandbox.Tests;

/// <summary>The metrics simulator: AWS/ECS service utilization each world minute, read back with the aws CLI (an independent oracle).</summary>
public sealed class MetricsTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public MetricsTests(SandboxFixture sandbox) => _sandbox = sandbox;

    /// <summary><c>aws cloudwatch get-metric-statistics</c> for the Lightwave service over the last ten minutes.</summary>
    private async Task<JsonElement[]> StatisticsAsync(string metric, int periodSeconds, params string[] statistics)
    {
        var now = DateTimeOffset.UtcNow;
        var answer = await AwsCli.RunJsonAsync(_sandbox.Url, ["cloudwatch", "get-metric-statistics", "--namespace", "AWS/ECS", "--metric-name", metric,
            "--dimensions", $"Name=ClusterName,Value={Lightwave.Cluster}", $"Name=ServiceName,Value={Lightwave.Service}",
            "--start-time", now.AddMinutes(-10).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            "--end-time", now.AddMinutes(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            "--period", periodSeconds.ToString(CultureInfo.InvariantCulture), "--statistics", .. statistics]);
        return answer.GetProperty("Datapoints").EnumerateArray().ToArray();
    }

    [Fact]
    public async Task Healthy_service_publishes_cpu_and_memory_of_each_running_task_every_world_minute()
    {
        await _sandbox.LoadScenarioAsync("healthy");

        // Two tasks, one value each per world minute (two seconds at speed 30): a few minutes give several samples.
        var cpu = await Eventually.WaitForAsync(async () =>
        {
            var points = await StatisticsAsync("CPUUtilization", 60, "Average", "Maximum", "SampleCount");
            return points.Sum(p => p.GetProperty("SampleCount").GetDouble()) >= 6 ? points : null;
        }, "six CPU samples of the two tasks");
        var memory = await StatisticsAsync("MemoryUtilization", 60, "Average", "Maximum", "SampleCount");

        Assert.All(cpu, p => Assert.InRange(p.GetProperty("Maximum").GetDouble(), 5, 40));
        Assert.All(cpu, p => Assert.Equal("Percent", p.GetProperty("Unit").GetString()));
        Assert.All(memory, p => Assert.InRange(p.GetProperty("Maximum").GetDouble(), 20, 60));
        Assert.Equal(0, cpu.Sum(p => p.GetProperty("SampleCount").GetDouble()) % 2);

        var listed = await AwsCli.RunJsonAsync(_sandbox.Url, "cloudwatch", "list-metrics", "--namespace", "AWS/ECS");
        var metrics = listed.GetProperty("Metrics").EnumerateArray()
            .Select(m => (Name: m.GetProperty("MetricName").GetString(), Dimensions: string.Join(",", m.GetProperty("Dimensions").EnumerateArray()
                .Select(d => $"{d.GetProperty("Name").GetString()}={d.GetProperty("Value").GetString()}"))))
            .Distinct().OrderBy(m => m.Name, StringComparer.Ordinal).ToList();
        var dimensions = $"ClusterName={Lightwave.Cluster},ServiceName={Lightwave.Service}";
        Assert.Equal(new[] { ("CPUUtilization", dimensions), ("MemoryUtilization", dimensions) }, metrics.Select(m => (m.Name!, m.Dimensions)));

        var state = (await _sandbox.StateAsync())["metrics"]!.AsArray();
        Assert.Contains(state, m => (string?)m!["namespace"] == "AWS/ECS" && (string?)m["metricName"] == "MemoryUtilization" && (int)m["published"]! >= 6);
    }

    [Fact]
    public async Task Memory_climbs_to_100_percent_before_the_out_of_memory_kill()
    {
        await _sandbox.LoadScenarioAsync("out-of-memory");

        var killed = await Eventually.WaitForAsync(async () =>
        {
            var stopped = await _sandbox.Aws.TasksAsync("STOPPED");
            return stopped.FirstOrDefault(t => ((string?)t["containers"]![0]!["reason"])?.StartsWith("OutOfMemoryError", StringComparison.Ordinal) == true);
        }, "a task killed for memory");
        Assert.Equal(137, (int)killed["containers"]![0]!["exitCode"]!);

        var peak = await Eventually.WaitForAsync(async () =>
        {
            var points = await StatisticsAsync("MemoryUtilization", 60, "Maximum");
            return points.Any(p => p.GetProperty("Maximum").GetDouble() >= 100) ? points : null;
        }, "MemoryUtilization to reach 100%");
        Assert.All(peak, p => Assert.InRange(p.GetProperty("Maximum").GetDouble(), 0, 100));

        // Before the kill the task climbed: some second holds a value above any steady task's (at most 43%) and below 100%.
        await Eventually.WaitUntilAsync(async () =>
            (await StatisticsAsync("MemoryUtilization", 1, "Maximum")).Any(p => p.GetProperty("Maximum").GetDouble() is > 45 and < 100),
            "a memory sample on the way up to 100%");
    }
}
