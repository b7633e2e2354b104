using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Amazon.Runtime;
using DeployOps.Aws;
using DeployOps.Estimates;
using DeployOps.Facts;
using DeployOps.Operations;
using DeployOps.Storage;

namespace DeployOps.Benchmarks;

/// <summary>
/// Get-DeploymentEstimate's accuracy on the sandbox's history (issue 10): Update-DeploymentHistory's collector reads the
/// stack-healthy scenario's stacks (lightwave-dev-stack and its earlier incarnations) into a throwaway registry, then the
/// estimator replays every deployment against the others (leave one out): its mean absolute percentage error at the start
/// and at each resource's completion, and how often the actual remaining time fell in its range. For comparison, the
/// runbook's estimate (deployment-time-estimator.sh: the average deployment minutes of the others) at the start.
/// </summary>
public static class DeploymentEstimateAccuracy
{
    public static async Task RunAsync()
    {
        await using var sandbox = await SandboxProcess.StartAsync("stack-healthy");
        var folder = Path.Combine(Path.GetTempPath(), "deployops-estimate-accuracy-" + Guid.NewGuid().ToString("n"));
        try
        {
            var options = new AwsSessionOptions { Region = "us-east-1", EndpointUrl = sandbox.Url.ToString(), Credential = new BasicAWSCredentials("sandbox", "sandbox") };
            using var session = AwsSession.Create(options);
            var collector = new DeploymentHistoryCollector(new AwsFacts(session, NullOperationObserver.Instance));
            var collection = await collector.CollectAsync(Array.Empty<string>(), new DeploymentStore(folder), default);
            var summary = await collector.WriteAsync(collection, default);
            var history = new DeploymentHistory(new DeploymentStore(folder)).Read();

            Console.WriteLine($"sandbox at {sandbox.Url}, scenario stack-healthy: {summary.StacksRead} stacks read, {summary.Deployments} deployments collected, " +
                              $"average {summary.AverageDeploymentMinutes:0.##} min");
            foreach (var average in summary.ResourceAverages)
            {
                Console.WriteLine($"    {average}");
            }

            var replayed = new DeploymentEstimator(history).Replay();
            Console.WriteLine();
            Console.WriteLine("DeployOps estimator (sum of the remaining resources' usual durations, scaled by the stack's concurrency), leave one out:");
            Console.WriteLine($"  deployments replayed: {replayed.Deployments}, checkpoints: {replayed.Checkpoints}");
            Console.WriteLine($"  mean absolute percentage error: {replayed.MeanAbsolutePercentageError:0.0}% over all checkpoints, {replayed.StartMeanAbsolutePercentageError:0.0}% at the start");
            Console.WriteLine($"  actual remaining time within the estimate's range: {replayed.RangeCoverage:0.0}% of checkpoints");

            // The runbook's estimate at the start: the average duration of the other deployments of the same operation.
            var scored = history.Deployments.Where(d => d.DurationMinutes >= DeploymentEstimator.ShortestScored.TotalMinutes).ToList();
            var naive = scored.Select(d =>
                {
                    var others = scored.Where(o => o.Id != d.Id && o.Operation == d.Operation).Select(o => o.DurationMinutes).ToList();
                    return others.Count == 0 ? (double?)null : Math.Abs(others.Average() - d.DurationMinutes) / d.DurationMinutes;
                })
                .Where(e => e is not null).Select(e => e!.Value).ToList();
            Console.WriteLine();
            Console.WriteLine("The runbook's estimate (average_deployment_minutes of the other deployments), at the start:");
            Console.WriteLine(naive.Count == 0 ? "  nothing to compare" : $"  mean absolute percentage error: {naive.Average() * 100:0.0}% over {naive.Count} deployments");
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
