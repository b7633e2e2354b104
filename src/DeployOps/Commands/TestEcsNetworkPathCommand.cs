using System;
using System.Linq;
using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Networking;

namespace DeployOps.Commands;

/// <summary>
/// Test-EcsNetworkPath: the static network path of a service's tasks (runbook 000 step 3C, runbook 004's ECS sections):
/// load balancer to task, target group port, registration, egress to what the tasks need before they start, the database,
/// and the subnets' free addresses; each hop Pass, Fail, Unknown or Skipped with evidence and the exact fix. Creates nothing.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "EcsNetworkPath", DefaultParameterSetName = EcsServiceSet)]
[OutputType(typeof(NetworkPathReport))]
public sealed class TestEcsNetworkPathCommand : EcsServicesCmdlet
{
    /// <summary>-DatabaseSecurityGroupId: the database's security groups, for the task-to-database hop (with -DatabasePort).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? DatabaseSecurityGroupId { get; set; }

    /// <summary>-DatabasePort: the database engine's port, e.g. 5432.</summary>
    [Parameter]
    public int DatabasePort { get; set; }

    /// <summary>Analyses each service and writes its report; a service that cannot be analysed is its own error.</summary>
    protected override void ProcessRecord()
    {
        var cluster = ResolveCluster(Cluster);
        var inspector = new NetworkPathInspector(Facts);
        foreach (var service in ResolveServices(Service))
        {
            var request = NetworkPathRequests.For(cluster, service, DatabaseSecurityGroupId, DatabasePort, MyInvocation.BoundParameters.ContainsKey(nameof(DatabasePort)),
                DeploymentEnvironment);
            if (TryRunEngine(token => inspector.InspectAsync(request, token), service, out var report))
            {
                WriteObject(report);
            }
        }
    }
}
