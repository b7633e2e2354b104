using System;
using System.Management.Automation;
using DeployOps.TaskFailures;

namespace DeployOps.Commands;

/// <summary>
/// Get-EcsTaskFailure: why a service's (or a cluster's, or given) tasks stopped, grouped by cause with count, first and
/// last time, an example task, evidence and the fix (runbook 000 step 3B, runbook 004 "tasks failing to start" and
/// "tasks restarting"); one <see cref="EcsTaskFailureReport"/> per service.
/// </summary>
[Cmdlet(VerbsCommon.Get, "EcsTaskFailure", DefaultParameterSetName = ClusterParameterSet)]
[OutputType(typeof(EcsTaskFailureReport))]
public sealed class GetEcsTaskFailureCommand : EcsServiceWindowCmdlet
{
    /// <summary>-Task: only these tasks (ARNs or ids), whatever their time.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [Alias("TaskArn")]
    public string[]? Task { get; set; }

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
