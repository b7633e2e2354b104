using System;
using System.Management.Automation;
using DeployOps.Commands.Completion;

namespace DeployOps.Commands;

/// <summary>
/// The base of the cmdlets that look at ECS services over a window of time (Get-EcsServiceMetric, Get-EcsTaskFailure):
/// -Service (none means every service of the cluster or of the environment), and -Since or -StartTime/-EndTime.
/// </summary>
public abstract class EcsServiceWindowCmdlet : DeployOpsEnvironmentCmdlet
{
    /// <summary>-Service: the services; none means every service of the cluster (or of the environment).</summary>
    [Parameter(ParameterSetName = ClusterParameterSet, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = EnvironmentParameterSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    [ArgumentCompleter(typeof(ServiceCompleter))]
    public string[]? Service { get; set; }

    /// <summary>-Since: how far back to look (30m, 2h, 00:30:00); an hour by default.</summary>
    [Parameter]
    [TimeSpanTransformation]
    public TimeSpan? Since { get; set; }

    /// <summary>-StartTime and -EndTime: the window, instead of -Since.</summary>
    [Parameter]
    public DateTime? StartTime { get; set; }

    [Parameter]
    public DateTime? EndTime { get; set; }
}
