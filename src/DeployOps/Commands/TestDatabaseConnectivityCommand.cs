using System;
using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Databases;

namespace DeployOps.Commands;

/// <summary>
/// Test-DatabaseConnectivity: runbook 004 "Cannot connect to Aurora" and "Database performance issues" for one Aurora/RDS
/// cluster: its status, the endpoint the application's tasks use (from the task definition's environment or its Secrets
/// Manager secret, read in memory for the host and port only), the security group rule on the engine's port (the database
/// hop of Test-EcsNetworkPath), capacity, CPU and connections against the limit, and with -Probe a TCP connection from here.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DatabaseConnectivity")]
[OutputType(typeof(DatabaseConnectivityReport))]
public sealed class TestDatabaseConnectivityCommand : DeployOpsAwsCmdlet
{
    /// <summary>-DatabaseCluster: the Aurora cluster identifier.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [Alias("DBClusterIdentifier")]
    [ArgumentCompleter(typeof(DatabaseClusterCompleter))]
    public string DatabaseCluster { get; set; } = string.Empty;

    /// <summary>-Cluster: the ECS cluster of the application that uses the database (with -Service).</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ClusterCompleter))]
    public string? Cluster { get; set; }

    /// <summary>-Service: the ECS service of the application (with -Cluster).</summary>
    [Parameter(Position = 2, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ServiceCompleter))]
    public string? Service { get; set; }

    /// <summary>-Variable: the variable that holds the database URL, in the environment or secrets of the task definition.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Variable { get; set; } = DatabaseConnectivityRequest.DefaultVariable;

    /// <summary>-Probe: open a TCP connection to the cluster endpoint from where the command runs.</summary>
    [Parameter]
    public SwitchParameter Probe { get; set; }

    /// <summary>-ProbeTimeout: seconds the probe waits for the connection.</summary>
    [Parameter]
    [ValidateRange(1, 120)]
    public int ProbeTimeout { get; set; } = 5;

    /// <summary>Checks the cluster and writes its report.</summary>
    protected override void ProcessRecord()
    {
        var request = new DatabaseConnectivityRequest
        {
            DatabaseCluster = DatabaseCluster,
            Cluster = Cluster,
            Service = Service,
            Variable = Variable,
            Probe = Probe,
            ProbeTimeout = TimeSpan.FromSeconds(ProbeTimeout),
        };
        var inspector = new DatabaseConnectivityInspector(Facts);
        if (TryRunEngine(token => inspector.InspectAsync(request, token), DatabaseCluster, out var report))
        {
            WriteObject(report);
        }
    }
}
