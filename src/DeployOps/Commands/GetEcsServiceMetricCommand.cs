using System;
using System.Management.Automation;
using DeployOps.Metrics;

namespace DeployOps.Commands;

/// <summary>
/// Get-EcsServiceMetric: services' CPU and memory utilization (average and maximum) over a window, from CloudWatch
/// (runbook 004 "Check memory utilization"); one <see cref="EcsServiceMetricReport"/> per service.
/// </summary>
[Cmdlet(VerbsCommon.Get, "EcsServiceMetric", DefaultParameterSetName = ClusterParameterSet)]
[OutputType(typeof(EcsServiceMetricReport))]
public sealed class GetEcsServiceMetricCommand : EcsServiceWindowCmdlet
{
    /// <summary>-Period: seconds per datapoint, 60 or a multiple of it (default 60).</summary>
    [Parameter]
    [ValidateRange(60, 86400)]
    public int Period { get; set; } = 60;

    /// <summary>Reads the services' utilization and writes a report for each; a service that does not exist is its own error.</summary>
    protected override void ProcessRecord()
    {
        var request = new ServiceMetricRequest
        {
            Cluster = ClusterFor(Cluster),
            Services = ServicesFor(Service),
            Since = Since,
            StartTime = StartTime,
            EndTime = EndTime,
            PeriodSeconds = Period,
            Environment = SelectedEnvironment?.Name,
        };
        var reader = new ServiceMetricReader(Facts);
        if (TryRunEngine(token => reader.ReadAsync(request, token), request.Cluster, out var outcomes))
        {
            WriteOutcomes(outcomes);
        }
    }
}
