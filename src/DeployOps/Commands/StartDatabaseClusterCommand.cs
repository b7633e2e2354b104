using System;
using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Databases;

namespace DeployOps.Commands;

/// <summary>
/// Start-DatabaseCluster: runbook 004's fix for a stopped Aurora cluster (aws rds start-db-cluster). With -Wait it waits
/// until the cluster is available, with progress, and fails at once when it turns to a status it does not come back from.
/// A cluster that is available already is left alone (a warning says so); one that is starting is only waited for.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "DatabaseCluster", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DatabaseClusterChange))]
public sealed class StartDatabaseClusterCommand : DeployOpsAwsCmdlet
{
    /// <summary>Fifteen minutes: an Aurora cluster usually starts in a few.</summary>
    public const int DefaultTimeoutSeconds = 900;

    /// <summary>-DatabaseCluster: the Aurora cluster identifier.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [Alias("DBClusterIdentifier")]
    [ArgumentCompleter(typeof(DatabaseClusterCompleter))]
    public string DatabaseCluster { get; set; } = string.Empty;

    /// <summary>-Wait: wait until the cluster is available.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>-Timeout: seconds to wait with -Wait (whole seconds, as Wait-Job -Timeout).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    [Alias("TimeoutSec")]
    public int Timeout { get; set; } = DefaultTimeoutSeconds;

    /// <summary>-PollInterval: seconds between two looks at the cluster with -Wait.</summary>
    [Parameter]
    [ValidateRange(1, 300)]
    public int PollInterval { get; set; } = (int)DatabaseWaitSettings.Default.PollInterval.TotalSeconds;

    /// <summary>-Force: start without asking for confirmation (-WhatIf still changes nothing).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Plans, confirms and starts the cluster (with -Wait, until it is available).</summary>
    protected override void ProcessRecord()
    {
        var starter = new DatabaseClusterStarter(Facts);
        if (!TryRunEngine(token => starter.PlanAsync(DatabaseCluster, token), DatabaseCluster, out var planned))
        {
            return;
        }

        if (planned.Plan is null)
        {
            WriteWarning($"Aurora cluster {planned.Cluster.Identifier} is {planned.Cluster.Status} already: nothing to start.");
            WriteObject(starter.Unchanged(planned.Cluster));
            return;
        }

        var wait = Wait ? new DatabaseWaitSettings(TimeSpan.FromSeconds(Timeout), TimeSpan.FromSeconds(PollInterval)) : null;
        if (ShouldChange(planned.Plan, Force) && TryRunEngine(token => starter.ApplyAsync(planned.Plan, wait, token), DatabaseCluster, out var outcomes))
        {
            WriteOutcomes(outcomes);
        }
    }
}
