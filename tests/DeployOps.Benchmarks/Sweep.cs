using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using DeployOps.Sandbox.Moto;

namespace DeployOps.Benchmarks;

/// <summary>
/// A diagnosis sweep over a fleet (issue 7: 200 services across 4 clusters) as a user runs it: Get-DeploymentHealth
/// -Cluster c1, then c2..., each run its own session. API calls per cluster against the minimum, the sweep's wall time,
/// and the runbook's aws CLI way on a subset of the services, extrapolated to the fleet.
/// </summary>
public static class Sweep
{
    public static async Task RunAsync(int services, int clusters, int cliServices, int rounds)
    {
        if (clusters < 1 || services % clusters != 0 || cliServices % clusters != 0 || cliServices > services)
        {
            throw new ArgumentException(
                $"sweep {services} {clusters} {cliServices}: expected services and aws CLI services that the {clusters} clusters share evenly, e.g. sweep 200 4 8.");
        }

        Console.WriteLine(Figures.MachineLoad);
        await using var sandbox = await SandboxProcess.StartAsync("healthy");
        using var aws = new MotoClient(sandbox.Url);
        var growing = Stopwatch.StartNew();
        var fleet = await Fleet.GrowAsync(aws, clusters, services / clusters, tasksPerService: 1);
        var grown = growing.Elapsed;
        var settled = await Fleet.WaitUntilSteadyAsync(aws, fleet, TimeSpan.FromMinutes(15));
        Console.WriteLine($"sandbox at {sandbox.Url}: {fleet.Count} services in {clusters} clusters, 1 task each (the scenario's own service keeps its 2),");
        Console.WriteLine($"  created through the AWS API in {grown.TotalSeconds:0} s, all steady {settled.TotalSeconds:0} s later");

        // The sandbox's health probes give up after the group's timeout in world time: 5 s is 0.17 s of real time at the
        // default speed, which a loaded machine misses, and a healthy fleet flaps. At real time the probes get their 5 s.
        var clusterNames = fleet.Select(s => s.Cluster).Distinct().ToList();
        await sandbox.SetClockSpeedAsync(1);
        var settledHealth = await WaitUntilHealthyAsync(sandbox.Url, clusterNames, fleet.Count, TimeSpan.FromMinutes(5));
        Console.WriteLine($"  world clock slowed to real time (speed 1) for the measurement; {settledHealth.Count} of {fleet.Count} Healthy {settledHealth.Elapsed.TotalSeconds:0} s later");
        var sweeps = new List<(IReadOnlyList<ClusterDiagnosis> Diagnoses, double Milliseconds)>();
        for (var round = 0; round <= rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            var diagnoses = new List<ClusterDiagnosis>();
            foreach (var cluster in clusterNames)
            {
                diagnoses.Add(await ClusterDiagnosis.RunAsync(sandbox.Url, cluster));
            }

            clock.Stop();
            if (round > 0)
            {
                sweeps.Add((diagnoses, clock.Elapsed.TotalMilliseconds)); // round 0 is the warm-up: JIT and connection set-up
            }
        }

        Console.WriteLine();
        Console.WriteLine($"DeployOps engine: Get-DeploymentHealth -Cluster <c> for each of the {clusters} clusters (one run and one session each), {rounds} sweeps after a warm-up.");
        Console.WriteLine("  Every sweep (the minimum is what a diagnosis of healthy services must ask; a service that is not Healthy is read further):");
        Console.WriteLine($"  {"sweep",-34} {"API calls",9} {"minimum",7} {"ratio",6} {"attempts",8} {"Healthy",7} {"other",5} {"incomplete",10} {"errors",6} {"time",8}");
        for (var i = 0; i < sweeps.Count; i++)
        {
            var (d, ms) = sweeps[i];
            var calls = d.Sum(c => c.Calls.TotalCalls);
            var minimum = d.Sum(c => c.Minimum);
            var healthy = d.Sum(c => c.Healthy);
            Console.WriteLine($"  {i + 1,-34} {calls,9} {minimum,7} {(double)calls / minimum,5:0.00}x {d.Sum(c => c.Calls.TotalAttempts),8} {healthy,7} " +
                              $"{d.Sum(c => c.Reports) - healthy,5} {d.Sum(c => c.Incomplete),10} {d.Sum(c => c.Errors),6} {ms,5:0} ms");
        }

        var cheapest = sweeps.MinBy(s => s.Diagnoses.Sum(c => c.Calls.TotalCalls)).Diagnoses;
        Console.WriteLine("  The cheapest sweep, by cluster:");
        Console.WriteLine($"  {"cluster",-34} {"services",8} {"groups",6} {"API calls",9} {"minimum",7} {"ratio",6} {"attempts",8} {"time",8}");
        foreach (var d in cheapest)
        {
            PrintRow(d.Cluster, d.Services, d.TargetGroups, d.Calls.TotalCalls, d.Minimum, d.Calls.TotalAttempts, $"{d.Elapsed.TotalMilliseconds:0} ms");
        }

        PrintRow("sweep", cheapest.Sum(d => d.Services), cheapest.Sum(d => d.TargetGroups), cheapest.Sum(d => d.Calls.TotalCalls), cheapest.Sum(d => d.Minimum),
            cheapest.Sum(d => d.Calls.TotalAttempts), "");
        Console.WriteLine("  calls by operation, summed over every sweep:");
        DiagnosisCalls.Print(sweeps.SelectMany(s => s.Diagnoses).Select(d => d.Calls), "    ");
        var sweepTimes = sweeps.Select(s => s.Milliseconds).ToList();
        var sweepMedian = Figures.Median(sweepTimes);
        Console.WriteLine($"  sweep wall time: median {sweepMedian:0} ms, min {sweepTimes.Min():0} ms, max {sweepTimes.Max():0} ms");

        var subset = fleet.GroupBy(s => s.Cluster).SelectMany(cluster => Spread(cluster.ToList(), cliServices / clusters)).ToList();
        var cli = await RunbookWay.DiagnoseAsync(sandbox.Url, subset);
        var scale = (double)fleet.Count / subset.Count;
        Console.WriteLine();
        Console.WriteLine($"The runbook's way (deployment-health-check.sh: aws CLI calls, service by service) on {subset.Count} services ({cliServices / clusters} per cluster), extrapolated to {fleet.Count}:");
        Console.WriteLine($"  aws CLI invocations: measured {cli.Invocations}, extrapolated {cli.Invocations * scale:0}");
        Console.WriteLine($"  wall time: measured {cli.Elapsed.TotalSeconds:0.0} s ({cli.Elapsed.TotalMilliseconds / cli.Invocations:0} ms per invocation), extrapolated {cli.Elapsed.TotalSeconds * scale:0} s");
        Console.WriteLine($"  speed-up of the engine's sweep: {cli.Elapsed.TotalMilliseconds * scale / sweepMedian:0}x (extrapolated CLI time / median sweep)");
        Console.WriteLine(Figures.MachineLoad);
    }

    /// <summary>Diagnoses every cluster until all <paramref name="services"/> are Healthy or <paramref name="limit"/> passes; the last count.</summary>
    private static async Task<(int Count, TimeSpan Elapsed)> WaitUntilHealthyAsync(Uri sandbox, IReadOnlyList<string> clusters, int services, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var healthy = 0;
            foreach (var cluster in clusters)
            {
                healthy += (await ClusterDiagnosis.RunAsync(sandbox, cluster)).Healthy;
            }

            if (healthy == services || clock.Elapsed > limit)
            {
                return (healthy, clock.Elapsed);
            }

            await Task.Delay(TimeSpan.FromSeconds(5));
        }
    }

    private static void PrintRow(string cluster, int services, int groups, int calls, int minimum, int attempts, string time) =>
        Console.WriteLine($"  {cluster,-34} {services,8} {groups,6} {calls,9} {minimum,7} {(double)calls / minimum,5:0.00}x {attempts,8} {time,8}");

    /// <summary><paramref name="count"/> items spread evenly over <paramref name="items"/>.</summary>
    private static IEnumerable<T> Spread<T>(IReadOnlyList<T> items, int count) =>
        Enumerable.Range(0, count).Select(i => items[i * items.Count / count]);
}
