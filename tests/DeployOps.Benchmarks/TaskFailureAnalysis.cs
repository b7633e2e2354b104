using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Amazon.Runtime;
using DeployOps.Aws;
using DeployOps.Facts;
using DeployOps.Operations;
using DeployOps.Sandbox.Moto;
using DeployOps.TaskFailures;
using DeployOps.Testing;

namespace DeployOps.Benchmarks;

/// <summary>
/// Get-EcsTaskFailure's engine on a service with at least N stopped tasks (the crash-loop scenario scaled up): API calls
/// made against the minimum the answer needs, and wall time; then the runbook's way (aws ecs list-tasks, describe-tasks
/// per task, the service's events, the log), timed in the same run against the same sandbox.
/// </summary>
public static class TaskFailureAnalysis
{
    private const string Region = "us-east-1";

    public static async Task RunAsync(int stoppedTasks, int rounds)
    {
        await using var sandbox = await SandboxProcess.StartAsync(Lightwave.CrashLoop.Scenario);
        using var aws = new MotoClient(sandbox.Url);

        // Enough tasks that a few crash cycles stop N of them.
        await aws.EcsAsync("UpdateService", new JsonObject { ["cluster"] = Lightwave.Cluster, ["service"] = Lightwave.Service, ["desiredCount"] = 25 }, Region, default);
        var stopped = await WaitForStoppedAsync(aws, stoppedTasks, TimeSpan.FromMinutes(5));
        Console.WriteLine($"sandbox at {sandbox.Url}: {Lightwave.Cluster}/{Lightwave.Service} in {Lightwave.CrashLoop.Scenario}, {stopped} stopped tasks listed");

        var options = new AwsSessionOptions { Region = Region, EndpointUrl = sandbox.Url.ToString(), Credential = new BasicAWSCredentials("sandbox", "sandbox") };
        var request = new TaskFailureRequest { Cluster = Lightwave.Cluster, Services = new[] { Lightwave.Service } };
        var times = new List<double>();
        AwsCallCounter? calls = null;
        EcsTaskFailureReport? report = null;
        for (var round = 0; round <= rounds; round++)
        {
            using var session = AwsSession.Create(options);
            var clock = Stopwatch.StartNew();
            var outcomes = await new TaskFailureAnalyzer(new AwsFacts(session, NullOperationObserver.Instance)).AnalyzeAsync(request, default);
            clock.Stop();
            if (round == 0)
            {
                continue; // warm-up: JIT and connection set-up
            }

            times.Add(clock.Elapsed.TotalMilliseconds);
            calls = session.Calls;
            report = outcomes.Single().Value;
        }

        // The least the answer needs: the stopped and the running tasks listed (100 a page), every task described (100 a
        // call), the service (its events), its task definition, and one log read per cause that carries log lines.
        var listed = report!.TasksStopped + report.TasksRunning;
        var causesWithLogs = report.Causes.Count(c => c.LogLines.Count > 0);
        var minimum = (int)Math.Ceiling(report.TasksStopped / 100.0) + 1 + (int)Math.Ceiling(listed / 100.0) + 1 + 1 + causesWithLogs;
        Console.WriteLine();
        Console.WriteLine($"DeployOps engine (Get-EcsTaskFailure -Cluster {Lightwave.Cluster} -Service {Lightwave.Service}), {rounds} rounds after a warm-up:");
        Console.WriteLine($"  {report.Summary}");
        foreach (var cause in report.Causes)
        {
            Console.WriteLine($"    {cause.Cause} x{cause.Count}, exit code {cause.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}, {cause.LogLines.Count} log line(s)");
        }

        Console.WriteLine($"  API calls per analysis: {calls!.TotalCalls} (minimum needed: {minimum}); HTTP attempts: {calls.TotalAttempts}");
        foreach (var (service, operation, count, _) in calls.Snapshot().OrderBy(c => c.Service, StringComparer.Ordinal).ThenBy(c => c.Operation, StringComparer.Ordinal))
        {
            Console.WriteLine($"    {service + " " + operation,-50} {count,3}");
        }

        times.Sort();
        Console.WriteLine($"  wall time: median {times[times.Count / 2]:0} ms, min {times[0]:0} ms, max {times[^1]:0} ms");

        var cli = await RunbookWayAsync(sandbox.Url);
        Console.WriteLine();
        Console.WriteLine("The runbook's way (004: list-tasks --desired-status STOPPED, describe-tasks per task, the service's events, the last hour of the log):");
        Console.WriteLine($"  aws CLI invocations: {cli.Invocations} for {cli.Tasks} stopped tasks");
        Console.WriteLine($"  wall time: {cli.Elapsed.TotalMilliseconds:0} ms");
        Console.WriteLine($"  speed-up: {cli.Elapsed.TotalMilliseconds / times[times.Count / 2]:0.0}x");
    }

    /// <summary>Waits until ECS lists at least <paramref name="count"/> stopped tasks of the service; returns how many it lists.</summary>
    private static async Task<int> WaitForStoppedAsync(MotoClient aws, int count, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var listed = 0;
            string? next = null;
            do
            {
                var body = new JsonObject { ["cluster"] = Lightwave.Cluster, ["serviceName"] = Lightwave.Service, ["desiredStatus"] = "STOPPED" };
                if (next is not null)
                {
                    body["nextToken"] = next;
                }

                var page = await aws.EcsAsync("ListTasks", body, Region, default);
                listed += page["taskArns"]!.AsArray().Count;
                next = (string?)page["nextToken"];
            }
            while (next is not null);

            if (listed >= count)
            {
                return listed;
            }

            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"Only {listed} of {count} stopped tasks after {limit.TotalSeconds:0} s.");
            }

            await Task.Delay(1000);
        }
    }

    /// <summary>Runbook 004's commands for the same answer, over every stopped task rather than its <c>head -5</c>.</summary>
    private static async Task<(int Invocations, int Tasks, TimeSpan Elapsed)> RunbookWayAsync(Uri endpoint)
    {
        var clock = Stopwatch.StartNew();
        var arns = (await AwsCli.RunAsync(endpoint, "ecs", "list-tasks", "--cluster", Lightwave.Cluster, "--service-name", Lightwave.Service,
            "--desired-status", "STOPPED", "--query", "taskArns[]", "--output", "text"))
            .Split((char[])['\t', '\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries);
        var invocations = 1;
        foreach (var arn in arns)
        {
            await AwsCli.RunAsync(endpoint, "ecs", "describe-tasks", "--cluster", Lightwave.Cluster, "--tasks", arn,
                "--query", "tasks[0].[stoppedReason,containers[0].exitCode]");
            invocations++;
        }

        await AwsCli.RunAsync(endpoint, "ecs", "describe-services", "--cluster", Lightwave.Cluster, "--services", Lightwave.Service, "--query", "services[0].events[:10]");
        // aws logs tail --since 1h, as the AWS CLI v1 on this machine writes it.
        await AwsCli.RunAsync(endpoint, "logs", "filter-log-events", "--log-group-name", Lightwave.LogGroup,
            "--start-time", DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        invocations += 2;
        return (invocations, arns.Length, clock.Elapsed);
    }
}
