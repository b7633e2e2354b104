using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Coordination;
using DeployOps.Storage;

namespace DeployOps.Benchmarks;

/// <summary>
/// The deployment registry under concurrent writer processes (issue 10's target: 8 writers x 200 operations, records
/// lost 0, corrupted 0). Each writer is this program started again (<c>registry-writer</c>): it registers a deployment
/// and completes it, alternately, so its operations are half registrations and half completions. Meanwhile this process
/// reads the file as fast as it can: a read that sees a half-written or invalid file counts as corrupted.
/// </summary>
public static class RegistryConcurrency
{
    public const string WriterVerb = "registry-writer";

    /// <summary>True when another handle still holds the lock file (it cannot be opened without sharing).</summary>
    private static bool IsHeld(string lockFile)
    {
        try
        {
            using var stream = new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public static async Task RunAsync(int writers, int operations)
    {
        var folder = Path.Combine(Path.GetTempPath(), "deployops-bench-registry-" + Guid.NewGuid().ToString("N"));
        var registry = new DeploymentRegistry(new DeploymentStore(folder));
        Directory.CreateDirectory(folder);
        await registry.WriteAsync(Array.Empty<RegistryEntry>(), default);
        try
        {
            var reads = 0;
            var corruptReads = 0;
            using var stop = new CancellationTokenSource();
            var reader = Task.Run(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        _ = registry.Read();
                        reads++;
                    }
                    catch (RegistryUnavailableException)
                    {
                        corruptReads++;
                    }
                }
            });

            var clock = Stopwatch.StartNew();
            var processes = Enumerable.Range(1, writers).Select(writer => StartWriter(folder, writer, operations)).ToList();
            var exitCodes = new List<int>();
            foreach (var process in processes)
            {
                await process.WaitForExitAsync();
                exitCodes.Add(process.ExitCode);
                process.Dispose();
            }

            var elapsed = clock.Elapsed;
            await stop.CancelAsync();
            await reader;

            var expected = Enumerable.Range(1, writers).SelectMany(w => Enumerable.Range(1, operations / 2).Select(i => WriterId(w, i))).ToHashSet(StringComparer.Ordinal);
            var entries = registry.Read();
            var ids = entries.Select(e => e.CorrelationId!).ToList();
            var lost = expected.Count(id => !ids.Contains(id));
            var duplicated = ids.Count - ids.Distinct(StringComparer.Ordinal).Count();
            var notCompleted = entries.Count(e => e.IsActive);
            var total = writers * operations;
            Console.WriteLine($"registry-concurrency: {writers} writer processes x {operations} operations ({total} in all: {total / 2} registrations, {total / 2} completions)");
            Console.WriteLine($"  writers failed:      {exitCodes.Count(c => c != 0)}");
            Console.WriteLine($"  records lost:        {lost} of {expected.Count}");
            Console.WriteLine($"  records duplicated:  {duplicated}");
            Console.WriteLine($"  completions lost:    {notCompleted}");
            Console.WriteLine($"  corrupted reads:     {corruptReads} of {reads + corruptReads} concurrent reads");
            Console.WriteLine($"  locks still held:    {Directory.GetFiles(folder, "*.lock").Count(IsHeld)}");
            Console.WriteLine($"  wall time:           {elapsed.TotalSeconds:0.0} s ({total / elapsed.TotalSeconds:0} operations/s, process start-up included)");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The child: <c>registry-writer &lt;folder&gt; &lt;writer&gt; &lt;operations&gt;</c>.</summary>
    public static async Task<int> WriteAsync(string folder, int writer, int operations)
    {
        var registry = new DeploymentRegistry(new DeploymentStore(folder));
        for (var i = 1; i <= operations / 2; i++)
        {
            var id = WriterId(writer, i);
            await registry.RegisterAsync(new RegistryEntry
            {
                CorrelationId = id,
                StackName = $"bench-w{writer}-{i}",
                Status = RegistryEntry.ActiveStatus,
                StartedAt = DateTimeOffset.UtcNow,
                StartedBy = "benchmark",
            }, default);
            await registry.CompleteAsync(id, failed: false, DateTimeOffset.UtcNow, default);
        }

        return 0;
    }

    private static string WriterId(int writer, int i) => string.Format(CultureInfo.InvariantCulture, "deploy-bench-w{0}-{1:0000}", writer, i);

    private static Process StartWriter(string folder, int writer, int operations)
    {
        var info = SelfStart.Info();
        foreach (var argument in new[] { WriterVerb, folder, writer.ToString(CultureInfo.InvariantCulture), operations.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("The writer process did not start.");
    }
}

/// <summary>Starts this benchmark program again as a child process (through dotnet when it runs as a dll).</summary>
internal static class SelfStart
{
    public static ProcessStartInfo Info()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var info = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            info.ArgumentList.Add(typeof(SelfStart).Assembly.Location);
        }

        return info;
    }
}
