using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Databases;

namespace DeployOps.Commands;

/// <summary>
/// Start-DatabaseInstance: the fix for a stopped RDS DB instance (aws rds start-db-instance). With -Wait it waits until
/// the instance is available, with progress, and fails at once when it turns to a status it does not come back from
/// (storage-full, incompatible-*, failed...). An instance that is available already is left alone (a warning says so);
/// one that is starting is only waited for; an Aurora cluster's instance is started with Start-DatabaseCluster.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "DatabaseInstance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DatabaseInstanceChange))]
public sealed class StartDatabaseInstanceCommand : DatabaseStartCmdlet
{
    /// <summary>-DatabaseInstance: the RDS DB instance identifier.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [Alias("DBInstanceIdentifier")]
    [ArgumentCompleter(typeof(DatabaseInstanceCompleter))]
    public string DatabaseInstance { get; set; } = string.Empty;

    /// <summary>Plans, confirms and starts the instance (with -Wait, until it is available).</summary>
    protected override void ProcessRecord() => StartDatabase(DatabaseKind.Instance, DatabaseInstance);
}
