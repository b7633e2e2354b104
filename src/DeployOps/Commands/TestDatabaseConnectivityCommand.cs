using System;
using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Databases;

namespace DeployOps.Commands;

/// <summary>
/// Test-DatabaseConnectivity: runbook 004 "Cannot connect to Aurora" and "Database performance issues" for one Aurora/RDS
/// cluster (-DatabaseCluster) or RDS DB instance (-DatabaseInstance): its status, the endpoint the application's tasks use (from the task definition's environment or its Secrets
/// Manager secret, read in memory for the host and port only), the security group rule on the engine's port (the database
/// hop of Test-EcsNetworkPath), capacity, CPU and connections against the limit, and with -Probe a TCP connection from here.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DatabaseConnectivity", DefaultParameterSetName = ClusterParameterSet)]
[OutputType(typeof(DatabaseConnectivityReport))]
public sealed class TestDatabaseConnectivityCommand : DeployOpsAwsCmdlet
{
    /// <summary>The parameter set of -DatabaseCluster (the default).</summary>
    public const string ClusterParameterSet = "DatabaseCluster";

    /// <summary>The parameter set of -DatabaseInstance.</summary>
    public const string InstanceParameterSet = "DatabaseInstance";

    /// <summary>-DatabaseCluster: the Aurora cluster identifier.</summary>
    [Parameter(ParameterSetName = ClusterParameterSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [Alias("DBClusterIdentifier")]
    [ArgumentCompleter(typeof(DatabaseClusterCompleter))]
    public string DatabaseCluster { get; set; } = string.Empty;

    /// <summary>-DatabaseInstance: the RDS DB instance identifier (not an Aurora cluster's instance: name its cluster).</summary>
    [Parameter(ParameterSetName = InstanceParameterSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [Alias("DBInstanceIdentifier")]
    [ArgumentCompleter(typeof(DatabaseInstanceCompleter))]
    public string? DatabaseInstance { get; set; }

    /// <summary>-Cluster: the ECS cluster of the application that uses the database (with -Service).</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    [ArgumentCompleter(typeof(ClusterCompleter))]
    public string? Cluster { get; set; }

    /// <summary>-Service: the ECS service of the application (with -Cluster).</summary>
    [Parameter(Position = 2, ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    [ArgumentCompleter(typeof(ServiceCompleter))]
    public string? Service { get; set; }

    /// <summary>-Variable: the variable that holds the database URL, in the environment or secrets of the task definition.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Variable { get; set; } = DatabaseConnectivityRequest.DefaultVariable;

    /// <summary>-Probe: open a TCP connection to the cluster (writer) or instance endpoint from where the command runs.</summary>
    [Parameter]
    public SwitchParameter Probe { get; set; }

    /// <summary>-ProbeTimeout: seconds the probe waits for the connection.</summary>
    [Parameter]
    [ValidateRange(1, 120)]
    public int ProbeTimeout { get; set; } = 5;

    /// <summary>Checks the database and writes its report.</summary>
    protected override void ProcessRecord()
    {
        var instance = ParameterSetName == InstanceParameterSet;
        var request = new DatabaseConnectivityRequest
        {
            DatabaseCluster = instance ? string.Empty : DatabaseCluster,
            DatabaseInstance = instance ? DatabaseInstance : null,
            Cluster = Cluster,
            Service = Service,
            Variable = Variable,
            Probe = Probe,
            ProbeTimeout = TimeSpan.FromSeconds(ProbeTimeout),
        };
        var inspector = new DatabaseConnectivityInspector(Facts);
        if (TryRunEngine(token => inspector.InspectAsync(request, token), request.Identifier, out var report))
        {
            WriteObject(report);
        }
    }
}
