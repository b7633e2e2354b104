using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Amazon.Runtime;
using DeployOps.Aws;
using DeployOps.Deployments;
using DeployOps.Facts;
using DeployOps.Operations;
using DeployOps.Testing;

namespace DeployOps.Benchmarks;

/// <summary>
/// Invoke-EcsRollback -ToPrevious -Wait's engine in <c>rollback-history</c> (revision 4 crashing, no circuit breaker):
/// wall time from the command to a healthy COMPLETED rollout and the API calls it made, against the rollout time the
/// world needs (the runbook's aws CLI steps: list-task-definitions, update-service, then describe-services polled as
/// tightly as the CLI allows until COMPLETED). Each round reloads the scenario.
/// </summary>
public static class RollbackTiming
{
    private static readonly string Family = Lightwave.TaskFamily;

    public static async Task RunAsync(int rounds)
    {
        await using var sandbox = await SandboxProcess.StartAsync(Lightwave.RollbackHistory.Scenario);
        var options = new AwsSessionOptions { Region = "us-east-1", EndpointUrl = sandbox.Url.ToString(), Credential = new BasicAWSCredentials("sandbox", "sandbox") };
        Console.WriteLine($"sandbox at {sandbox.Url}: scenario {Lightwave.RollbackHistory.Scenario}, {rounds} rounds of each way after a warm-up");

        var engineTimes = new List<double>();
        AwsCallCounter? calls = null;
        var reached = "";
        for (var round = 0; round <= rounds; round++)
        {
            await sandbox.LoadScenarioAsync(Lightwave.RollbackHistory.Scenario);
            using var session = AwsSession.Create(options);
            var rollback = new EcsRollback(new AwsFacts(session, NullOperationObserver.Instance), journal: null);
            var clock = Stopwatch.StartNew();
            var plan = await rollback.PlanAsync(new RollbackRequest { Cluster = Lightwave.Cluster, Service = Lightwave.Service, Mode = RollbackMode.ToPrevious }, default);
            var outcomes = await rollback.ApplyAsync(plan, new DeploymentWaitSettings(TimeSpan.FromMinutes(3)), default);
            clock.Stop();
            var wait = outcomes.Select(o => o.Value).OfType<DeploymentWaitResult>().SingleOrDefault()
                       ?? throw new InvalidOperationException($"The rollback did not wait: {string.Join("; ", outcomes.Select(o => o.Error?.Message))}");
            if (!wait.Succeeded)
            {
                throw new InvalidOperationException($"The rollback to {plan.To} did not complete: {wait.Reason}");
            }

            reached = $"{AwsArn.LastSegment(plan.From)} -> {AwsArn.LastSegment(plan.To)}";
            if (round == 0)
            {
                continue; // warm-up: JIT and connection set-up
            }

            engineTimes.Add(clock.Elapsed.TotalSeconds);
            calls = session.Calls;
        }

        var worldTimes = new List<double>();
        var invocations = 0;
        for (var round = 0; round <= rounds; round++)
        {
            await sandbox.LoadScenarioAsync(Lightwave.RollbackHistory.Scenario);
            var (elapsed, count) = await RunbookWayAsync(sandbox.Url);
            if (round == 0)
            {
                continue;
            }

            worldTimes.Add(elapsed.TotalSeconds);
            invocations = count;
        }

        engineTimes.Sort();
        worldTimes.Sort();
        var engineMedian = engineTimes[engineTimes.Count / 2];
        var worldMedian = worldTimes[worldTimes.Count / 2];
        Console.WriteLine();
        Console.WriteLine($"DeployOps engine (Invoke-EcsRollback -ToPrevious -Wait), {reached}:");
        Console.WriteLine($"  command to healthy COMPLETED: median {engineMedian:0.0} s, min {engineTimes[0]:0.0} s, max {engineTimes[^1]:0.0} s");
        Console.WriteLine($"  API calls (last round): {calls!.TotalCalls}; HTTP attempts: {calls.TotalAttempts}");
        DiagnosisCalls.Print([calls], "    ");

        Console.WriteLine();
        Console.WriteLine("The rollout time the world needs (runbook 002 manual steps with the aws CLI, describe-services polled back to back):");
        Console.WriteLine($"  update-service to COMPLETED: median {worldMedian:0.0} s, min {worldTimes[0]:0.0} s, max {worldTimes[^1]:0.0} s; aws CLI invocations (last round): {invocations}");
        Console.WriteLine($"  DeployOps' overhead over the world's rollout: {engineMedian - worldMedian:+0.0;-0.0} s (aws ecs wait services-stable polls every 15 s)");
    }

    /// <summary>Runbook 002: list the revisions, update the service to the one before, poll until the rollout is COMPLETED.</summary>
    private static async Task<(TimeSpan Elapsed, int Invocations)> RunbookWayAsync(Uri endpoint)
    {
        var clock = Stopwatch.StartNew();
        await AwsCli.RunAsync(endpoint, "ecs", "list-task-definitions", "--family-prefix", Family, "--sort", "DESC", "--max-items", "5");
        await AwsCli.RunAsync(endpoint, "ecs", "update-service", "--cluster", Lightwave.Cluster, "--service", Lightwave.Service,
            "--task-definition", $"{Family}:{Lightwave.RollbackHistory.CompletedRevision}");
        var invocations = 2;
        while (clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            invocations++;
            var rollout = (await AwsCli.RunAsync(endpoint, "ecs", "describe-services", "--cluster", Lightwave.Cluster, "--services", Lightwave.Service,
                "--query", "join(':', [services[0].deployments[0].rolloutState, to_string(length(services[0].deployments))])", "--output", "text")).Trim();
            if (rollout == "COMPLETED:1")
            {
                return (clock.Elapsed, invocations);
            }
        }

        throw new TimeoutException($"Waited 3 minutes for the rollback to {Family}:{Lightwave.RollbackHistory.CompletedRevision} at {endpoint}.");
    }
}
