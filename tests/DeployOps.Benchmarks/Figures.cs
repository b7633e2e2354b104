using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DeployOps.Benchmarks;

/// <summary>Small helpers for printing figures.</summary>
public static class Figures
{
    /// <summary>"load average 3.20 over 2 cores": other work on the machine stretches every wall time.</summary>
    public static string MachineLoad =>
        $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} (1 min) over {Environment.ProcessorCount} cores";

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
