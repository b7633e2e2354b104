using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using DeployOps.Aws;
using DeployOps.Commands.Completion;
using DeployOps.Environments;
using DeployOps.Errors;
using DeployOps.Lightsail;
using DeployOps.Verification;

namespace DeployOps.Commands;

/// <summary>
/// The base of the AWS cmdlets that also take <c>-Environment</c> (and <c>-ConfigPath</c>): the environment of the settings
/// file fills the region, profile, endpoint, cluster, services and what a verification expects, where they were not given
/// explicitly. The environment is read in BeginProcessing, so a bad settings file stops the command before any work.
/// (Get-DeploymentHealth and its siblings, whose -Environment is a parameter set of its own, derive from
/// <see cref="DeployOpsEnvironmentCmdlet"/>.)
/// </summary>
public abstract class DeploymentSettingsCmdlet : DeployOpsAwsCmdlet
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

    /// <summary>The environment named by -Environment, read in BeginProcessing; null without it.</summary>
    protected DeploymentEnvironment? DeploymentEnvironment { get; private set; }

    /// <summary>True when this invocation calls AWS whatever happens, so "no credentials" stops it before any work.</summary>
    protected virtual bool UsesAws => true;

    /// <summary>Reads the environment (a problem stops the command), then resolves the session when the command surely needs it.</summary>
    protected override void BeginProcessing()
    {
        DeploymentEnvironment = ReadEnvironment(Environment, ConfigPath);
        if (UsesAws)
        {
            base.BeginProcessing();
        }
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

    /// <summary>The environment's verification settings of an ECS service; null without them.</summary>
    protected VerificationSettings? EcsSettings(string service) =>
        DeploymentEnvironment is { } environment && environment.Services.TryGetValue(service, out var settings) ? settings.Verification : null;

    /// <summary>The environment's verification settings of a Lightsail container service; null without them.</summary>
    protected VerificationSettings? LightsailSettings(string serviceName) =>
        DeploymentEnvironment is { } environment && environment.LightsailServices.TryGetValue(serviceName, out var settings) ? settings : null;

    /// <summary>Waiting for at most -Timeout seconds, polling at the engine's interval.</summary>
    protected static LightsailWaitSettings WaitFor(int timeoutSeconds) =>
        LightsailWaitSettings.Default with { Timeout = TimeSpan.FromSeconds(timeoutSeconds) };

    /// <summary>A hashtable of variable names and values (-SetEnvironment, -ExpectedEnvironment) as strings; a null value is an empty string.</summary>
    protected static IReadOnlyDictionary<string, string> Variables(Hashtable? table)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (table is null)
        {
            return variables;
        }

        foreach (DictionaryEntry entry in table)
        {
            var value = entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value;
            variables[Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty] = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        }

        return variables;
    }
}
