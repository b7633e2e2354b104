using System;
using System.Diagnostics;
using System.Threading.Tasks;
using DeployOps.Sandbox.Moto;

namespace DeployOps.Benchmarks;

/// <summary>
/// The sandbox's resource use with N services × 2 tasks (issue target: under 300 MB RSS and under
/// 10% of one core when idle at the default speed).
/// </summary>
public static class SandboxResources
{
    public static async Task RunAsync(int services)
    {
        await using var sandbox = await SandboxProcess.StartAsync("healthy");
        using var aws = new MotoClient(sandbox.Url);
        Console.WriteLine($"sandbox pid {sandbox.ProcessId} at {sandbox.Url}; growing to {services} services x 2 tasks");
        var names = await Fleet.GrowAsync(aws, services);
        var settled = await Fleet.WaitUntilSteadyAsync(aws, names, TimeSpan.FromMinutes(5));
        Console.WriteLine($"all {names.Count} services steady {settled.TotalSeconds:0.0} s after the last CreateService");

        // Let start-up work (JIT, first probes, log flushes) finish before measuring idle.
        await Task.Delay(TimeSpan.FromSeconds(10));
        var moto = sandbox.MotoProcessId;
        var window = TimeSpan.FromSeconds(30);
        var cpuBefore = sandbox.CpuTime();
        var motoBefore = moto is { } m1 ? SandboxProcess.CpuTime(m1) : TimeSpan.Zero;
        var wall = Stopwatch.StartNew();
        await Task.Delay(window);
        var cpu = sandbox.CpuTime() - cpuBefore;
        var motoCpu = moto is { } m2 ? SandboxProcess.CpuTime(m2) - motoBefore : TimeSpan.Zero;
        var seconds = wall.Elapsed.TotalSeconds;

        Console.WriteLine($"idle window: {seconds:0.0} s at the default speed (30), {services * 2} tasks probed by the health checker");
        Console.WriteLine($"sandbox CPU: {cpu.TotalSeconds:0.00} s = {100 * cpu.TotalSeconds / seconds:0.0}% of one core (target < 10%)");
        Console.WriteLine($"sandbox RSS: {sandbox.ResidentBytes / 1048576.0:0} MB now, {sandbox.PeakResidentBytes / 1048576.0:0} MB peak (target < 300 MB)");
        if (moto is { } motoPid)
        {
            Console.WriteLine($"moto_server (separate process): CPU {100 * motoCpu.TotalSeconds / seconds:0.0}% of one core, RSS {SandboxProcess.ReadStatusKilobytes(motoPid, "VmRSS") / 1024.0:0} MB");
        }
    }
}
