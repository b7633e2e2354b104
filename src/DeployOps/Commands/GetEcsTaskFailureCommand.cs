using System;
using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.TaskFailures;

namespace DeployOps.Commands;

/// <summary>
/// Get-EcsTaskFailure: why a service's (or a cluster's, or given) tasks stopped, grouped by cause with count, first and
/// last time, an example task, evidence and the fix (runbook 000 step 3B, runbook 004 "tasks failing to start" and
/// "tasks restarting"); one <see cref="EcsTaskFailureReport"/> per service.
/// </summary>
[Cmdlet(VerbsCommon.Get, "EcsTaskFailure", DefaultParameterSetName = ClusterParameterSet)]
[OutputType(typeof(EcsTaskFailureReport))]
public sealed class GetEcsTaskFailureCommand : DeployOpsEnvironmentCmdlet
{
    /// <summary>-Service: the services; none means every service of the cluster (or of the environment).</summary>
    [Parameter(ParameterSetName = ClusterParameterSet, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = EnvironmentParameterSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ServiceCompleter))]
    public string[]? Service { get; set; }

    /// <summary>-Task: only these tasks (ARNs or ids), whatever their time.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [Alias("TaskArn")]
    public string[]? Task { get; set; }

    /// <summary>-Since: how far back to look (30m, 2h, 00:30:00); an hour by default.</summary>
    [Parameter]
    [TimeSpanTransformation]
    public TimeSpan? Since { get; set; }

    /// <summary>-StartTime and -EndTime: the window, instead of -Since.</summary>
    [Parameter]
    public DateTime? StartTime { get; set; }

    [Parameter]
    public DateTime? EndTime { get; set; }

    /// <summary>Analyzes the services (or tasks) and writes a report for each; one that cannot be read is its own error.</summary>
    protected override void ProcessRecord()
    {
        var request = new TaskFailureRequest
        {
            Cluster = ClusterFor(Cluster),
            Services = Task is null ? ServicesFor(Service) : Service ?? Array.Empty<string>(),
            Tasks = Task ?? Array.Empty<string>(),
            Since = Since,
            StartTime = StartTime,
            EndTime = EndTime,
            Environment = SelectedEnvironment?.Name,
        };
        var analyzer = new TaskFailureAnalyzer(Facts);
        if (TryRunEngine(token => analyzer.AnalyzeAsync(request, token), request.Cluster, out var outcomes))
        {
            WriteOutcomes(outcomes);
        }
    }
}
