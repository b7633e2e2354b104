using System.Management.Automation;
using DeployOps.Aws.Configuration;
using DeployOps.Storage;

namespace DeployOps.Commands;

/// <summary>
/// The base of the CloudFormation cmdlets (runbook 001): the AWS common parameters, and -RegistryPath, the
/// deployment-registry folder whose <c>deployment-history.json</c> gives the usual durations and estimates.
/// </summary>
public abstract class StackCmdlet : DeployOpsAwsCmdlet
{
    /// <summary>-RegistryPath: the deployment-registry folder (by default $env:DEPLOYOPS_REGISTRY, else ./.deployment-registry).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RegistryPath { get; set; }

    /// <summary>The deployment store: -RegistryPath resolved by PowerShell, else $env:DEPLOYOPS_REGISTRY, else ./.deployment-registry.</summary>
    protected DeploymentStore Store =>
        DeploymentStore.Locate(RegistryPath is null ? null : FileSystemPath(RegistryPath, nameof(RegistryPath)), null, ProcessAwsEnvironment.Instance, CurrentDirectory);
}
