using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace DeployOps.Benchmarks;

/// <summary>
/// What Import-Module DeployOps adds to a PowerShell start: the project's PowerShell (the .NET tool the repository's
/// manifest pins) started N times with <c>-NoProfile -c exit</c> and N times importing the laid-out module
/// (<c>dotnet build DeployOps.sln</c> lays it out at the repository root), interleaved, in the same run; a third process
/// times Import-Module from inside.
/// </summary>
public static class ModuleImport
{
    public static async Task RunAsync(int runs)
    {
        var root = RepositoryRoot();
        var manifest = Path.Combine(root, "DeployOps.psd1");
        var dll = Path.Combine(root, "bin", "DeployOps.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} does not exist: run `dotnet build DeployOps.sln` in {root} first, so the module is laid out.");
        }

        // `dotnet pwsh` finds the tool through the manifest in the current directory; the children start pwsh itself.
        var psHome = (await RunAsync("dotnet", root, "pwsh", "-NoProfile", "-c", "$PSHOME")).Output.Trim();
        var pwsh = Path.Combine(psHome, "pwsh");
        Console.WriteLine(Figures.MachineLoad);
        Console.WriteLine($"PowerShell: {pwsh}");
        Console.WriteLine($"module: {manifest} (bin/DeployOps.dll built {File.GetLastWriteTime(dll):yyyy-MM-dd HH:mm})");

        var import = $"Import-Module '{manifest.Replace("'", "''", StringComparison.Ordinal)}' -ErrorAction Stop";
        // Measured in a process of its own: Measure-Command loads Microsoft.PowerShell.Utility, which the timed runs must not pay for.
        var measured = $"(Measure-Command {{ {import} }}).TotalMilliseconds.ToString([cultureinfo]::InvariantCulture)";
        var bare = new List<double>();
        var withModule = new List<double>();
        var inProcess = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var exit = await RunAsync(pwsh, root, "-NoProfile", "-c", "exit");
            var imported = await RunAsync(pwsh, root, "-NoProfile", "-c", import);
            var inside = await RunAsync(pwsh, root, "-NoProfile", "-c", measured);
            if (run == 0)
            {
                continue; // warm-up: the file cache
            }

            bare.Add(exit.Elapsed.TotalMilliseconds);
            withModule.Add(imported.Elapsed.TotalMilliseconds);
            inProcess.Add(double.Parse(inside.Output.Trim(), CultureInfo.InvariantCulture));
        }

        var bareMedian = Figures.Median(bare);
        var moduleMedian = Figures.Median(withModule);
        Console.WriteLine();
        Console.WriteLine($"{runs} runs each after a warm-up, interleaved (wall time of the whole process):");
        Console.WriteLine($"  pwsh -NoProfile -c exit:                                median {bareMedian:0} ms (min {bare.Min():0}, max {bare.Max():0})");
        Console.WriteLine($"  pwsh -NoProfile -c 'Import-Module <repo>/DeployOps.psd1': median {moduleMedian:0} ms (min {withModule.Min():0}, max {withModule.Max():0})");
        Console.WriteLine($"  ratio: {moduleMedian / bareMedian:0.00}x; the import adds {moduleMedian - bareMedian:0} ms");
        Console.WriteLine($"  Import-Module alone, inside a third process (Measure-Command): median {Figures.Median(inProcess):0} ms");
        Console.WriteLine(Figures.MachineLoad);
    }

    /// <summary>The folder holding DeployOps.psd1, above the benchmark's output folder.</summary>
    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "DeployOps.psd1")) && File.Exists(Path.Combine(folder.FullName, "DeployOps.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds DeployOps.psd1 and DeployOps.sln.");
    }

    private static async Task<(string Output, TimeSpan Elapsed)> RunAsync(string program, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        clock.Stop();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(" ", arguments)} exited with {process.ExitCode}: {await error}");
        }

        return (await output, clock.Elapsed);
    }
}
