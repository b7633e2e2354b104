using System.Management.Automation;
using DeployOps.Storage;
using DeployOps.Verification;

namespace DeployOps.Commands;

/// <summary>
/// The base of the AWS cmdlets that also read or write the local deployment store (runbook 001's .deployment-registry):
/// the registry, the deployment journal of verified revisions, the history behind estimates, the monitors' checkpoints.
/// -RegistryPath names its folder; else the environment's <c>registryPath</c>, $env:DEPLOYOPS_REGISTRY, or
/// ./.deployment-registry.
/// </summary>
public abstract class DeploymentStoreAwsCmdlet : DeploymentSettingsCmdlet
{
    /// <summary>-RegistryPath: the deployment store's folder (runbook 001's .deployment-registry).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    public string? RegistryPath { get; set; }

    /// <summary>The store for the current -RegistryPath (which may come from the pipeline).</summary>
    protected DeploymentStore Store => LocateStore(RegistryPath, DeploymentEnvironment);

    /// <summary>The deployment journal of verified revisions in the store.</summary>
    protected DeploymentJournal Journal => new(Store);
}
