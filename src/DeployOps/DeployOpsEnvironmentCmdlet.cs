using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DeployOps.Aws;
using DeployOps.Commands.Completion;
using DeployOps.Environments;
using DeployOps.Errors;

namespace DeployOps.Commands;

/// <summary>
/// The base of AWS cmdlets that take either -Cluster (and service names) or -Environment of the settings file
/// (deployops.json): it reads the environment before any AWS work, lets it fill region, profile and endpoint that were
/// not given, and resolves the cluster and services it names. Explicit parameters always win.
/// </summary>
public abstract class DeployOpsEnvironmentCmdlet : DeployOpsAwsCmdlet
{
    /// <summary>The parameter set of commands that name their cluster.</summary>
    public const string ClusterParameterSet = "Cluster";

    /// <summary>The parameter set of commands that name an environment of the settings file.</summary>
    public const string EnvironmentParameterSet = "Environment";

    /// <summary>-Cluster: the ECS cluster; in the Environment set it overrides the environment's cluster.</summary>
    [Parameter(ParameterSetName = ClusterParameterSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = EnvironmentParameterSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ClusterCompleter))]
    public string Cluster { get; set; } = string.Empty;

    /// <summary>-Environment: an environment of the settings file (deployops.json), e.g. dev.</summary>
    [Parameter(ParameterSetName = EnvironmentParameterSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(EnvironmentCompleter))]
    public string Environment { get; set; } = string.Empty;

    /// <summary>-ConfigPath: the settings file; by default $env:DEPLOYOPS_CONFIG, ./deployops.json, ~/.deployops/deployops.json.</summary>
    [Parameter(ParameterSetName = EnvironmentParameterSet)]
    [ValidateNotNullOrEmpty]
    public string? ConfigPath { get; set; }

    /// <summary>The environment of -Environment, once read; null in the Cluster set.</summary>
    protected DeploymentEnvironment? SelectedEnvironment { get; private set; }

    /// <summary>Reads the environment (a problem stops the command before any AWS work), then resolves the session.</summary>
    protected override void BeginProcessing()
    {
        if (ParameterSetName == EnvironmentParameterSet)
        {
            SelectedEnvironment = ReadEnvironment(Environment, ConfigPath);
        }

        base.BeginProcessing();
    }

    /// <summary>The environment's region, profile and endpoint fill what was not given explicitly.</summary>
    protected override AwsSessionOptions CompleteSessionOptions(AwsSessionOptions explicitOptions) =>
        SelectedEnvironment?.FillSessionOptions(explicitOptions) ?? explicitOptions;

    /// <summary>The cluster: <paramref name="explicitCluster"/> when given, else the environment's.</summary>
    protected string ClusterFor(string? explicitCluster) => SelectedEnvironment?.ResolveCluster(explicitCluster) ?? explicitCluster ?? string.Empty;

    /// <summary>The services: <paramref name="explicitServices"/> when given, else the environment's (none: every service of the cluster).</summary>
    protected IReadOnlyList<string> ServicesFor(IReadOnlyList<string>? explicitServices) =>
        explicitServices ?? SelectedEnvironment?.Services.Keys.ToArray() ?? Array.Empty<string>();

    /// <summary>
    /// The one service a command is about: <paramref name="explicitService"/> when given, else the environment's only
    /// service; an environment with several stops the command, naming them.
    /// </summary>
    protected string? ServiceFor(string? explicitService)
    {
        if (!string.IsNullOrEmpty(explicitService) || SelectedEnvironment is null)
        {
            return string.IsNullOrEmpty(explicitService) ? null : explicitService;
        }

        var services = SelectedEnvironment.Services.Keys.ToList();
        if (services.Count != 1)
        {
            ThrowEngineError(new DeployOpsError(ErrorIds.MissingService, DeployOpsErrorKind.InvalidArgument,
                $"Which service of {SelectedEnvironment.Source}? Give -Service: {(services.Count == 0 ? "the environment names none" : string.Join(", ", services))}.", SelectedEnvironment.Name));
        }

        return services[0];
    }
}
