using System.Management.Automation;
using DeployOps.Commands.Completion;

namespace DeployOps.Commands;

/// <summary>
/// The base of the cmdlets that look at ECS services one by one (Test-EcsNetworkPath, Repair-EcsNetworkPath,
/// Test-DeploymentResilience): -Cluster and -Service, each by default the environment's (<see cref="ResolveCluster"/>,
/// <see cref="ResolveServices"/>). They belong to the parameter set <see cref="EcsServiceSet"/>, so that a command can
/// offer another kind of service (a Lightsail container service) in a set of its own.
/// </summary>
public abstract class EcsServicesCmdlet : DeploymentSettingsCmdlet
{
    /// <summary>The parameter set of an ECS cluster's services.</summary>
    public const string EcsServiceSet = "EcsService";

    /// <summary>-Cluster: the ECS cluster; by default the environment's.</summary>
    [Parameter(ParameterSetName = EcsServiceSet, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    [ArgumentCompleter(typeof(ClusterCompleter))]
    public string? Cluster { get; set; }

    /// <summary>-Service: the services; by default the environment's.</summary>
    [Parameter(ParameterSetName = EcsServiceSet, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    [ArgumentCompleter(typeof(ServiceCompleter))]
    public string[]? Service { get; set; }
}
