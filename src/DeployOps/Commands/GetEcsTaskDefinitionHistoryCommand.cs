using System;
using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Deployments;
using DeployOps.Verification;

namespace DeployOps.Commands;

/// <summary>
/// Get-EcsTaskDefinitionHistory: a family's revisions newest first (runbook 002 "Get previous task definition"), each with
/// image and tag, cpu and memory, the names (never the values) of its variables and secrets, and for a service the
/// deployments that used it and how they ended, and whether DeployOps verified it.
/// </summary>
[Cmdlet(VerbsCommon.Get, "EcsTaskDefinitionHistory")]
[OutputType(typeof(TaskDefinitionRevision))]
public sealed class GetEcsTaskDefinitionHistoryCommand : DeploymentStoreAwsCmdlet
{
    /// <summary>-Cluster: the service's cluster; by default the environment's.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    [ArgumentCompleter(typeof(ClusterCompleter))]
    public string? Cluster { get; set; }

    /// <summary>-Service: the service whose family, deployments and verifications to show.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    [ArgumentCompleter(typeof(ServiceCompleter))]
    public string[]? Service { get; set; }

    /// <summary>-Family: the task definition family; by default the one the service runs. Alone, it lists the family without a service's deployments.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Family { get; set; }

    /// <summary>-MaxRevisions: how many revisions, newest first (default 10).</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int MaxRevisions { get; set; } = 10;

    /// <summary>Lists the revisions of each service's family (or of -Family alone).</summary>
    protected override void ProcessRecord()
    {
        var reader = new TaskDefinitionHistoryReader(Facts, Journal);
        var services = Family is not null && Service is null && Cluster is null && DeploymentEnvironment is null ? new string?[] { null } : ResolveServices(Service);
        foreach (var service in services)
        {
            var request = new TaskDefinitionHistoryRequest
            {
                Cluster = service is null ? null : ResolveCluster(Cluster),
                Service = service,
                Family = Family,
                MaxRevisions = MaxRevisions,
            };
            if (TryRunEngine(token => reader.ReadAsync(request, token), (object?)service ?? Family, out var revisions))
            {
                WriteObject(revisions, enumerateCollection: true);
            }
        }
    }
}
