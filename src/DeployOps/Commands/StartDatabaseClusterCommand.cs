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
public sealed class StartDatabaseClusterCommand : DatabaseStartCmdlet
{
    /// <summary>-DatabaseCluster: the Aurora cluster identifier.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [Alias("DBClusterIdentifier")]
    [ArgumentCompleter(typeof(DatabaseClusterCompleter))]
    public string DatabaseCluster { get; set; } = string.Empty;

    /// <summary>Plans, confirms and starts the cluster (with -Wait, until it is available).</summary>
    protected override void ProcessRecord() => StartDatabase(DatabaseKind.Cluster, DatabaseCluster);
}
