using System.Management.Automation;
using DeployOps.Aws;
using DeployOps.Commands.Completion;
using DeployOps.Environments;
using DeployOps.Storage;

namespace DeployOps.Commands;

/// <summary>
/// The base of runbook 001's cmdlets that hold the deployment store against CloudFormation (Get-DeploymentRecord -Active,
/// Remove-DeploymentRecord -Stale, Repair-DeploymentRegistry, Watch-Deployment): the AWS common parameters plus
/// -RegistryPath, -Environment (its region, profile, endpoint and registryPath fill what was not given) and -ConfigPath.
/// The AWS session is made only when the command needs AWS (<see cref="UsesAws"/>).
/// </summary>
public abstract class DeploymentStoreAwsCmdlet : DeployOpsAwsCmdlet
{
    /// <summary>-RegistryPath: the deployment store's folder (runbook 001's .deployment-registry).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? RegistryPath { get; set; }

    /// <summary>-Environment: an environment of the settings file; its region, profile, endpoint and registryPath apply.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(EnvironmentCompleter))]
    public string? Environment { get; set; }

    /// <summary>-ConfigPath: the settings file; by default $env:DEPLOYOPS_CONFIG, ./deployops.json, ~/.deployops/deployops.json.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ConfigPath { get; set; }

    /// <summary>The environment -Environment names, or null.</summary>
    protected DeploymentEnvironment? DeploymentEnvironment { get; private set; }

    /// <summary>The store for the current -RegistryPath (which may come from the pipeline).</summary>
    protected DeploymentStore Store =>
        Require(() => StoreSettings.Store(RegistryPath is null ? null : FileSystemPath(RegistryPath, nameof(RegistryPath)), DeploymentEnvironment, CurrentDirectory), RegistryPath);

    /// <summary>True when this invocation calls AWS whatever happens, so "no credentials" stops it before any work.</summary>
    protected virtual bool UsesAws => true;

    /// <summary>Reads the environment, then resolves the session now when the command surely needs it.</summary>
    protected override void BeginProcessing()
    {
        var configPath = ConfigPath is null ? null : FileSystemPath(ConfigPath, nameof(ConfigPath));
        DeploymentEnvironment = Require(() => StoreSettings.Environment(Environment, configPath, CurrentDirectory), configPath ?? Environment);
        if (UsesAws)
        {
            base.BeginProcessing();
        }
    }

    /// <summary>The environment's region, profile and endpoint fill what was not given explicitly.</summary>
    protected override AwsSessionOptions CompleteSessionOptions(AwsSessionOptions explicitOptions) =>
        DeploymentEnvironment?.FillSessionOptions(explicitOptions) ?? explicitOptions;
}
