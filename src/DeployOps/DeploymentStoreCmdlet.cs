using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Environments;
using DeployOps.Storage;

namespace DeployOps.Commands;

/// <summary>
/// The base of runbook 001's cmdlets that need no AWS (the registry's local changes, the notification outbox, the
/// monitors' heartbeats): -RegistryPath, -Environment and -ConfigPath locate the deployment store. (The AWS cmdlets that
/// use the store derive from <see cref="DeploymentStoreAwsCmdlet"/>, whose AWS parameters these commands must not offer.)
/// </summary>
public abstract class DeploymentStoreCmdlet : DeployOpsCmdlet
{
    /// <summary>-RegistryPath: the deployment store's folder (runbook 001's .deployment-registry).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    public string? RegistryPath { get; set; }

    /// <summary>-Environment: an environment of the settings file whose registryPath (and slackChannel) apply.</summary>
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
    protected DeploymentStore Store => LocateStore(RegistryPath, DeploymentEnvironment);

    /// <summary>Reads the environment first: a bad settings file stops the command before any work.</summary>
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        DeploymentEnvironment = ReadEnvironment(Environment, ConfigPath);
    }
}
