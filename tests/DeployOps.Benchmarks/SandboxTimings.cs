using System;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using DeployOps.Testing;

namespace DeployOps.Benchmarks;

/// <summary>
/// How long the sandbox's world takes, in wall time at the default speed, for what the issue names:
/// targets healthy after the health-check path is corrected (target: within 30 s), a forced rollout,
/// and a failing rollout reaching FAILED. Measured with the aws CLI alone.
/// </summary>
public static class SandboxTimings
{
    public static async Task RunAsync()
    {
        await using var sandbox = await SandboxProcess.StartAsync("health-check-mismatch");
        var url = sandbox.Url;
        var arn = (await AwsCli.RunAsync(url, "elbv2", "describe-target-groups", "--names", Lightwave.TargetGroup, "--query", "TargetGroups[0].TargetGroupArn", "--output", "text")).Trim();
        await WaitAsync(url, () => TargetStatesAsync(url, arn), states => states.Length >= 2 && states.Contains("unhealthy"), "targets unhealthy");

        var clock = Stopwatch.StartNew();
        await AwsCli.RunAsync(url, "elbv2", "modify-target-group", "--target-group-arn", arn, "--health-check-path", Lightwave.HealthPath);
        await WaitAsync(url, () => TargetStatesAsync(url, arn), states => states.Length >= 2 && states.All(s => s == "healthy"), "targets healthy");
        Console.WriteLine($"modify-target-group to all targets healthy: {clock.Elapsed.TotalSeconds:0.0} s wall time (target: within 30 s), from the start of the CLI call");

        clock.Restart();
        await AwsCli.RunAsync(url, "ecs", "update-service", "--cluster", Lightwave.Cluster, "--service", Lightwave.Service, "--force-new-deployment");
        await WaitAsync(url, () => RolloutAsync(url), r => r == "COMPLETED:1", "the forced rollout to complete");
        Console.WriteLine($"forced rollout (2 tasks, 30 s deregistration delay) to COMPLETED: {clock.Elapsed.TotalSeconds:0.0} s");

        await sandbox.LoadScenarioAsync("app-not-starting");
        var failed = await WaitAsync(url, () => RolloutAsync(url), r => r.StartsWith("FAILED", StringComparison.Ordinal), "the failing rollout to turn FAILED");
        Console.WriteLine($"app-not-starting from scenario load to rollout FAILED: {failed.TotalSeconds:0.0} s");
    }

    private static async Task<string[]> TargetStatesAsync(Uri url, string arn)
    {
        var output = await AwsCli.RunAsync(url, "elbv2", "describe-target-health", "--target-group-arn", arn,
            "--query", "TargetHealthDescriptions[?TargetHealth.State!='draining'].TargetHealth.State", "--output", "json");
        return JsonSerializer.Deserialize<string[]>(output) ?? [];
    }

    private static async Task<string> RolloutAsync(Uri url) =>
        (await AwsCli.RunAsync(url, "ecs", "describe-services", "--cluster", Lightwave.Cluster, "--services", Lightwave.Service,
            "--query", "join(':', [services[0].deployments[0].rolloutState, to_string(length(services[0].deployments))])", "--output", "text")).Trim();

    private static async Task<TimeSpan> WaitAsync<T>(Uri url, Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            if (done(await read()))
            {
                return clock.Elapsed;
            }
        }

        throw new TimeoutException($"Waited 3 minutes for {what} at {url}.");
    }
}
