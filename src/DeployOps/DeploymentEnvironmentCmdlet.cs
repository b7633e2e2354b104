using System;
using System.Linq;
using System.Management.Automation;
using DeployOps.Aws;
using DeployOps.Aws.Configuration;
using DeployOps.Commands.Completion;
using DeployOps.Environments;
using DeployOps.Errors;
using DeployOps.Storage;

namespace DeployOps.Commands;

/// <summary>
/// The base of the AWS cmdlets that also take <c>-Environment</c> (and <c>-ConfigPath</c>): the environment of the
/// settings file fills the region, profile, endpoint, cluster, service and local store folder that were not given
/// explicitly. The environment is read in BeginProcessing, so a bad settings file stops the command before any work.
/// </summary>
public abstract class DeploymentEnvironmentCmdlet : DeployOpsAwsCmdlet
{
    /// <summary>-Environment: an environment of the settings file (deployops.json), e.g. dev.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(EnvironmentCompleter))]
    public string? Environment { get; set; }

    /// <summary>-ConfigPath: the settings file for -Environment; by default $env:DEPLOYOPS_CONFIG, ./deployops.json, ~/.deployops/deployops.json.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ConfigPath { get; set; }

    /// <summary>The environment named by -Environment, or null.</summary>
    protected DeploymentEnvironment? DeploymentEnvironment { get; private set; }

    /// <summary>Reads the environment (a problem stops the command), then resolves the session.</summary>
    protected override void BeginProcessing()
    {
        if (ConfigPath is not null && Environment is null)
        {
            ThrowEngineError(new DeployOpsError(ErrorIds.EnvironmentNotFound, DeployOpsErrorKind.Configuration,
                $"-ConfigPath '{ConfigPath}' names a settings file, but no -Environment says which of its environments to use.", ConfigPath));
        }

        if (Environment is not null)
        {
            var configPath = ConfigPath is null ? null : FileSystemPath(ConfigPath, nameof(ConfigPath));
            DeploymentEnvironment = Require(() => DeploymentEnvironmentFile.Find(configPath, ProcessAwsEnvironment.Instance, CurrentDirectory).Get(Environment), configPath ?? Environment);
        }

        base.BeginProcessing();
    }

    /// <summary>The environment's region, profile and endpoint fill what was not given explicitly.</summary>
    protected override AwsSessionOptions CompleteSessionOptions(AwsSessionOptions explicitOptions) =>
        DeploymentEnvironment?.FillSessionOptions(explicitOptions) ?? explicitOptions;

    /// <summary>The cluster: <paramref name="cluster"/> when given, else the environment's; none at all stops the command (MissingCluster).</summary>
    protected string ResolveCluster(string? cluster)
    {
        var resolved = DeploymentEnvironment?.ResolveCluster(cluster) ?? cluster;
        if (string.IsNullOrEmpty(resolved))
        {
            ThrowEngineError(new DeployOpsError(ErrorIds.MissingCluster, DeployOpsErrorKind.InvalidArgument,
                "No cluster: give -Cluster, or -Environment with a settings file that names one.", cluster));
        }

        return resolved!;
    }

    /// <summary>
    /// The services: <paramref name="services"/> when given, else the environment's services; none at all stops the command
    /// (MissingService).
    /// </summary>
    protected string[] ResolveServices(string[]? services)
    {
        var resolved = services is { Length: > 0 } ? services : DeploymentEnvironment?.Services.Keys.ToArray() ?? Array.Empty<string>();
        if (resolved.Length == 0)
        {
            ThrowEngineError(new DeployOpsError(ErrorIds.MissingService, DeployOpsErrorKind.InvalidArgument,
                "No service: give -Service, or -Environment with a settings file that lists the environment's services.", null));
        }

        return resolved;
    }

    /// <summary>
    /// The local store (deployment registry and journal): <paramref name="registryPath"/> (resolved as PowerShell resolves
    /// paths), else the environment's <c>registryPath</c>, else <c>$env:DEPLOYOPS_REGISTRY</c>, else ./.deployment-registry.
    /// </summary>
    protected DeploymentStore LocateStore(string? registryPath) =>
        DeploymentStore.Locate(registryPath is null ? null : FileSystemPath(registryPath, "RegistryPath"), DeploymentEnvironment?.RegistryPath,
            ProcessAwsEnvironment.Instance, CurrentDirectory);
}
