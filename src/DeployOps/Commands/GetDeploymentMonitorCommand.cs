using System;
using System.Management.Automation;
using DeployOps.Monitoring;

namespace DeployOps.Commands;

/// <summary>
/// Get-DeploymentMonitor: whether each deployment monitor runs (runbook 001's <c>pgrep -f deployment-monitor.sh</c> and
/// <c>tail deployment-monitor.log</c>): its last heartbeat, last event, correlation id, and the command that restarts a
/// dead one.
/// </summary>
[Cmdlet(VerbsCommon.Get, "DeploymentMonitor")]
[OutputType(typeof(DeploymentMonitorStatus))]
public sealed class GetDeploymentMonitorCommand : DeploymentStoreCmdlet
{
    /// <summary>-CorrelationId: only the monitor of this deployment.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    public string? CorrelationId { get; set; }

    /// <summary>Reads the heartbeats and writes each monitor's state.</summary>
    protected override void ProcessRecord()
    {
        var store = Store;
        if (TryRunEngine(_ => System.Threading.Tasks.Task.FromResult(DeploymentMonitors.Read(store, CorrelationId, DateTimeOffset.UtcNow)), CorrelationId ?? store.Folder, out var monitors))
        {
            WriteObject(monitors, enumerateCollection: true);
        }
    }
}
