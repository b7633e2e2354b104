using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Amazon.Runtime;
using DeployOps.Aws;
using DeployOps.Environments;

namespace DeployOps.Commands.Completion;

/// <summary>
/// What a completer knows: the parameters typed so far (PowerShell's fakeBoundParameters) and the session it runs in.
/// It builds the same session options the command will (<see cref="AwsSessionOptionsReader"/>), an environment named
/// with -Environment included, and turns names into completion results.
/// </summary>
internal sealed class CompletionContext
{
    private readonly IDictionary _bound;

    // Completion runs on the pipeline thread inside a running pipeline, where the runspace's SessionStateProxy refuses
    // calls; the session state of the running command is reached through $ExecutionContext instead.
    private readonly SessionState _session;

    public CompletionContext(IDictionary fakeBoundParameters)
    {
        _bound = fakeBoundParameters;
        _session = ((EngineIntrinsics)ScriptBlock.Create("$ExecutionContext").Invoke()[0].BaseObject).SessionState;
    }

    /// <summary>The PowerShell location (not the process's).</summary>
    public string CurrentDirectory => _session.Path.CurrentFileSystemLocation.ProviderPath;

    /// <summary>A parameter's typed value as text, or null.</summary>
    public string? Text(string parameter) => AwsSessionOptionsReader.NullIfBlank(Value(parameter)?.ToString());

    /// <summary>
    /// A path parameter's typed value resolved as the command resolves it (~, PowerShell drives, relative), or null; the
    /// text as typed when PowerShell cannot resolve it (the command will say why).
    /// </summary>
    public string? PathOf(string parameter)
    {
        if (Text(parameter) is not { } path)
        {
            return null;
        }

        try
        {
            return _session.Path.GetUnresolvedProviderPathFromPSPath(path);
        }
        catch (Exception ex) when (ex is DriveNotFoundException or ProviderNotFoundException or NotSupportedException)
        {
            return path;
        }
    }

    /// <summary>The environment named with -Environment, or null (also when the settings file cannot be read).</summary>
    public DeploymentEnvironment? Environment()
    {
        if (Text("Environment") is not { } name)
        {
            return null;
        }

        try
        {
            var file = DeploymentEnvironmentFile.Find(PathOf("ConfigPath"), AwsRuntime.Default.Environment, CurrentDirectory);
            return file.Environments.TryGetValue(name, out var environment) ? environment : null;
        }
        catch (DeploymentSettingsException)
        {
            return null;
        }
    }

    /// <summary>The cluster typed with -Cluster, else the environment's.</summary>
    public string? Cluster() => Text("Cluster") ?? Environment()?.Cluster;

    /// <summary>The session options the command would use, from what is typed so far; null when they cannot be read.</summary>
    public AwsSessionOptions? SessionOptions()
    {
        try
        {
            var environment = Environment();
            return AwsSessionOptionsReader.Read(
                Text("Region"),
                Text("ProfileName"),
                PathOf("ProfileLocation"),
                Value("Credential") as AWSCredentials,
                Text("EndpointUrl"),
                ShellVariable,
                options => environment?.FillSessionOptions(options) ?? options);
        }
        catch (AwsConfigurationException)
        {
            return null;
        }
    }

    /// <summary>The names that start with (or match the wildcard) <paramref name="wordToComplete"/>, quoted where needed.</summary>
    public static IEnumerable<CompletionResult> Matching(IEnumerable<string> names, string? wordToComplete)
    {
        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var pattern = new WildcardPattern(word + "*", WildcardOptions.IgnoreCase);
        return names.Where(pattern.IsMatch).Select(name => new CompletionResult(Quoted(name), name, CompletionResultType.ParameterValue, name));
    }

    private static string Quoted(string name) =>
        name.Any(c => char.IsWhiteSpace(c) || "'\"`$&@(){};,|<>#".IndexOf(c) >= 0) ? "'" + name.Replace("'", "''") + "'" : name;

    private object? Value(string parameter)
    {
        var value = _bound.Contains(parameter) ? _bound[parameter] : null;
        return value is PSObject wrapped ? wrapped.BaseObject : value;
    }

    private object? ShellVariable(string name)
    {
        var value = _session.PSVariable.GetValue(name);
        return value is PSObject wrapped ? wrapped.BaseObject : value;
    }
}
