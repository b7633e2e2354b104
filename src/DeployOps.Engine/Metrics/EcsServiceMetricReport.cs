using System;
using System.Collections.Generic;
using DeployOps.Facts;
using DeployOps.Operations;

namespace DeployOps.Metrics;

/// <summary>What Get-EcsServiceMetric asks: a cluster's services (or some), a window and a period.</summary>
public sealed record ServiceMetricRequest
{
    /// <summary>An hour, as runbook 004's get-metric-statistics looks back.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(1);

    public string Cluster { get; init; } = "";

    /// <summary>Service names or ARNs; empty means every service of the cluster.</summary>
    public IReadOnlyList<string> Services { get; init; } = Array.Empty<string>();

    public TimeSpan? Since { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public DateTimeOffset? EndTime { get; init; }

    /// <summary>The period in seconds: 60 or a multiple of it.</summary>
    public int PeriodSeconds { get; init; } = 60;

    public string? Environment { get; init; }

    /// <summary>The window at <paramref name="now"/>; throws InvalidTimeWindow for contradictory parameters.</summary>
    public TimeWindow Window(DateTimeOffset now) => TimeWindow.Resolve(Since, StartTime, EndTime, now, DefaultWindow);
}

/// <summary>
/// A service's CPU and memory utilization over a window (runbook 004 "Check memory utilization", "Task memory / CPU
/// utilization"): average and maximum of each, and the periods. From CloudWatch's AWS/ECS namespace.
/// </summary>
public sealed class EcsServiceMetricReport
{
    public string Cluster { get; init; } = "";

    public string Service { get; init; } = "";

    public string? Environment { get; init; }

    public DateTimeOffset StartTime { get; init; }

    public DateTimeOffset EndTime { get; init; }

    public int PeriodSeconds { get; init; }

    /// <summary>Percent of the CPU the tasks reserve; null when CloudWatch has no datapoint in the window.</summary>
    public double? CpuAverage { get; init; }

    public double? CpuMaximum { get; init; }

    /// <summary>Percent of the memory the tasks reserve; a maximum of 100 is what an out-of-memory kill looks like.</summary>
    public double? MemoryAverage { get; init; }

    public double? MemoryMaximum { get; init; }

    /// <summary>The periods, oldest first.</summary>
    public PrintableList<MetricSample> Cpu { get; init; } = PrintableList<MetricSample>.Empty;

    public PrintableList<MetricSample> Memory { get; init; } = PrintableList<MetricSample>.Empty;

    /// <summary>False when the metrics could not be read (see <see cref="NotRead"/>).</summary>
    public bool Complete { get; init; } = true;

    public PrintableList<string> NotRead { get; init; } = PrintableList<string>.Empty;

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    public override string ToString() => $"{Cluster}/{Service}: CPU avg {CpuAverage?.ToString() ?? "-"}% max {CpuMaximum?.ToString() ?? "-"}%, memory avg {MemoryAverage?.ToString() ?? "-"}% max {MemoryMaximum?.ToString() ?? "-"}%";
}
