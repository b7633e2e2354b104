using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using DeployOps.Aws;
using DeployOps.Aws.Configuration;
using DeployOps.Commands.Completion;
using DeployOps.Environments;
using DeployOps.Lightsail;
using DeployOps.Storage;
using DeployOps.Verification;

namespace DeployOps.Commands;

/// <summary>
/// The base of the runbook 003 cmdlets (Lightsail and post-deploy verification): -Environment and -ConfigPath (the
/// settings file supplies the region, endpoint and what a verification expects), and the conversions their parameters share.
/// </summary>
public abstract class DeploymentSettingsCmdlet : DeployOpsAwsCmdlet
{

    /// <summary>-Environment: an environment of the settings file (deployops.json), e.g. prod.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(EnvironmentCompleter))]
    public string? Environment { get; set; }

    /// <summary>-ConfigPath: the settings file; by default $env:DEPLOYOPS_CONFIG, ./deployops.json, ~/.deployops/deployops.json.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ConfigPath { get; set; }

    /// <summary>The environment named by -Environment, read in BeginProcessing; null without it.</summary>
    protected DeploymentEnvironment? DeploymentEnvironment { get; private set; }

    /// <summary>Reads the environment (a problem stops the command before any AWS work), then resolves the session.</summary>
    protected override void BeginProcessing()
    {
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

/// <summary>
/// The base of the cmdlets that read or write the deployment journal of verified revisions (Publish-LightsailDeployment,
/// Invoke-LightsailRollback, Test-DeploymentVerification): -RegistryPath names its folder.
/// </summary>
public abstract class DeploymentJournalCmdlet : DeploymentSettingsCmdlet
{
    private DeploymentJournal? _journal;

    /// <summary>-RegistryPath: the folder of the deployment journal; by default $env:DEPLOYOPS_REGISTRY, else ./.deployment-registry.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RegistryPath { get; set; }

    /// <summary>The deployment journal in the store -RegistryPath names.</summary>
    protected DeploymentJournal Journal => _journal ??= new DeploymentJournal(DeploymentStore.Locate(
        RegistryPath is null ? null : FileSystemPath(RegistryPath, nameof(RegistryPath)), null, ProcessAwsEnvironment.Instance, CurrentDirectory));
}
