using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using DeployOps.Sandbox.Moto;

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

        var times = new List<double>();
        ClusterDiagnosis? last = null;
        for (var round = 0; round <= rounds; round++)
        {
            var diagnosis = await ClusterDiagnosis.RunAsync(sandbox.Url, Fleet.Cluster);
            if (round == 0)
            {
                continue; // warm-up: JIT and connection set-up
            }

            times.Add(diagnosis.Elapsed.TotalMilliseconds);
            last = diagnosis;
        }

        Console.WriteLine();
        Console.WriteLine($"DeployOps engine (Get-DeploymentHealth -Cluster {Fleet.Cluster}), {rounds} rounds after a warm-up:");
        Console.WriteLine($"  reports: {last!.Reports}, Healthy: {last.Healthy}");
        Console.WriteLine($"  API calls per diagnosis: {last.Calls.TotalCalls} (minimum needed: {last.Minimum}); HTTP attempts: {last.Calls.TotalAttempts}");
        DiagnosisCalls.Print([last.Calls], "    ");

        times.Sort();
        Console.WriteLine($"  wall time: median {times[times.Count / 2]:0} ms, min {times[0]:0} ms, max {times[^1]:0} ms");

        var cli = await RunbookWay.DiagnoseAsync(sandbox.Url, names.Select(name => new FleetService(Fleet.Cluster, name)));
        Console.WriteLine();
        Console.WriteLine("The runbook's way (deployment-health-check.sh: aws CLI calls, service by service):");
        Console.WriteLine($"  aws CLI invocations: {cli.Invocations} ({cli.Invocations / names.Count} per service)");
        Console.WriteLine($"  wall time: {cli.Elapsed.TotalMilliseconds:0} ms");
        Console.WriteLine($"  speed-up: {cli.Elapsed.TotalMilliseconds / times[times.Count / 2]:0.0}x");
    }
}
