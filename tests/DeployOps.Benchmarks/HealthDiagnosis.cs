using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Amazon.Runtime;
using DeployOps.Aws;
using DeployOps.Health;
using DeployOps.Operations;
using DeployOps.Sandbox.Moto;
using DeployOps.Testing;

namespace DeployOps.Benchmarks;

/// <summary>
/// Get-DeploymentHealth's engine over a cluster of N services: API calls made against the minimum
/// a diagnosis needs, and wall time; then the runbook's way (aws CLI calls, service by service),
/// timed in the same run against the same sandbox.
/// </summary>
public static class HealthDiagnosis
{
    public static async Task RunAsync(int services, int rounds)
    {
        await using var sandbox = await SandboxProcess.StartAsync("healthy");
        using var aws = new MotoClient(sandbox.Url);
        var names = await Fleet.GrowAsync(aws, services);
        await Fleet.WaitUntilSteadyAsync(aws, names, TimeSpan.FromMinutes(5));
        Console.WriteLine($"sandbox at {sandbox.Url}: cluster {Fleet.Cluster} with {names.Count} services x 2 tasks, all steady");

        var options = new AwsSessionOptions { Region = "us-east-1", EndpointUrl = sandbox.Url.ToString(), Credential = new BasicAWSCredentials("sandbox", "sandbox") };
        var request = new HealthInspectionRequest { Cluster = Fleet.Cluster };
        var times = new List<double>();
        AwsCallCounter? calls = null;
        var healthy = 0;
        for (var round = 0; round <= rounds; round++)
        {
            using var session = AwsSession.Create(options);
            var clock = Stopwatch.StartNew();
            var outcomes = await new DeploymentHealthInspector(session, NullOperationObserver.Instance).InspectAsync(request, default);
            clock.Stop();
            if (round == 0)
            {
                continue; // warm-up: JIT and connection set-up
            }

            times.Add(clock.Elapsed.TotalMilliseconds);
            calls = session.Calls;
            healthy = outcomes.Count(o => o.Value?.Status == nameof(HealthStatus.Healthy));
        }

        // The least any diagnosis must ask: who am I (1), which services (1 page), the services (10 per call),
        // their target groups (20 ARNs per call), and each target group's health (1 each).
        var minimum = 1 + 1 + (int)Math.Ceiling(names.Count / 10.0) + (int)Math.Ceiling(names.Count / 20.0) + names.Count;
        Console.WriteLine();
        Console.WriteLine($"DeployOps engine (Get-DeploymentHealth -Cluster {Fleet.Cluster}), {rounds} rounds after a warm-up:");
        Console.WriteLine($"  reports: {names.Count}, Healthy: {healthy}");
        Console.WriteLine($"  API calls per diagnosis: {calls!.TotalCalls} (minimum needed: {minimum}); HTTP attempts: {calls.TotalAttempts}");
        PrintCalls(calls);

        times.Sort();
        Console.WriteLine($"  wall time: median {times[times.Count / 2]:0} ms, min {times[0]:0} ms, max {times[^1]:0} ms");

        var cli = await RunbookWayAsync(sandbox.Url, names);
        Console.WriteLine();
        Console.WriteLine("The runbook's way (deployment-health-check.sh: aws CLI calls, service by service):");
        Console.WriteLine($"  aws CLI invocations: {cli.Invocations} ({cli.Invocations / names.Count} per service)");
        Console.WriteLine($"  wall time: {cli.Elapsed.TotalMilliseconds:0} ms");
        Console.WriteLine($"  speed-up: {cli.Elapsed.TotalMilliseconds / times[times.Count / 2]:0.0}x");
    }

    /// <summary>One line per AWS operation called, by service then operation, with its count.</summary>
    internal static void PrintCalls(AwsCallCounter calls)
    {
        foreach (var (service, operation, count, _) in calls.Snapshot().OrderBy(c => c.Service, StringComparer.Ordinal).ThenBy(c => c.Operation, StringComparer.Ordinal))
        {
            Console.WriteLine($"    {service + " " + operation,-50} {count,3}");
        }
    }

    /// <summary>What the SOP's script does per service: identity, the service, its target group, the group's health.</summary>
    private static async Task<(int Invocations, TimeSpan Elapsed)> RunbookWayAsync(Uri endpoint, IReadOnlyList<string> services)
    {
        var clock = Stopwatch.StartNew();
        var invocations = 0;
        foreach (var service in services)
        {
            await AwsCli.RunAsync(endpoint, "sts", "get-caller-identity");
            var targetGroup = (await AwsCli.RunAsync(endpoint, "ecs", "describe-services", "--cluster", Fleet.Cluster, "--services", service,
                "--query", "services[0].loadBalancers[0].targetGroupArn", "--output", "text")).Trim();
            await AwsCli.RunAsync(endpoint, "elbv2", "describe-target-groups", "--target-group-arns", targetGroup);
            await AwsCli.RunAsync(endpoint, "elbv2", "describe-target-health", "--target-group-arn", targetGroup);
            invocations += 4;
        }

        return (invocations, clock.Elapsed);
    }
}
