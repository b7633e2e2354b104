using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Amazon.Runtime;
using Microsoft.PowerShell;

namespace DeployOps.Commands.Tests.Hosting;

/// <summary>
/// PowerShell hosted in this process with DeployOps imported from the manifest `dotnet build` lays out at the repository
/// root (so the format views and help are the shipped ones), behind an <see cref="AnsweringHost"/>, with throwaway AWS
/// settings (<see cref="ThrowawayAwsEnvironment"/>). One runspace for the whole collection; each run gets a new
/// pipeline in a local scope, so variables a script sets do not outlive it. (The cmdlet classes themselves load from
/// this test's output folder, the same build as bin/: .NET binds an assembly name the application already lists there.)
/// </summary>
public sealed class DeployOpsShell : IDisposable
{
    /// <summary>The secret key of <see cref="Credential"/>, which no output may show.</summary>
    public const string SecretKey = "deployops-tests-secret-key";

    /// <summary>Throwaway keys: the sandbox (like moto) accepts any signature.</summary>
    public static readonly AWSCredentials Credential = new BasicAWSCredentials("AKIDDEPLOYOPSTESTS", SecretKey);

    private readonly Runspace _runspace;

    public DeployOpsShell()
    {
        AwsEnvironment = new ThrowawayAwsEnvironment();
        Host = new AnsweringHost();
        var state = InitialSessionState.CreateDefault2();
        if (OperatingSystem.IsWindows())
        {
            // Execution policy exists only on Windows (elsewhere setting it throws); the format file is checked against it.
            state.ExecutionPolicy = ExecutionPolicy.Bypass;
        }

        state.ThrowOnRunspaceOpenError = true;
        state.ImportPSModule(Path.Combine(RepositoryRoot, "DeployOps.psd1"));
        _runspace = RunspaceFactory.CreateRunspace(Host, state);
        _runspace.Open();
    }

    /// <summary>The repository root: the first folder above this assembly holding DeployOps.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public AnsweringHost Host { get; }

    public ThrowawayAwsEnvironment AwsEnvironment { get; }

    /// <summary>
    /// Runs <paramref name="script"/> with <paramref name="parameters"/> (an anonymous object; each property becomes a
    /// variable of the script) and returns what it wrote. A terminating error stops the script and is returned as
    /// <see cref="ShellRun.Terminating"/>; confirmation prompts are answered with <paramref name="answer"/>.
    /// </summary>
    public ShellRun Run(string script, object? parameters = null, ConfirmAnswer answer = ConfirmAnswer.NoPromptExpected)
    {
        using var shell = Create(script, parameters);
        var output = new PSDataCollection<PSObject>();
        Host.Answer = answer;
        ErrorRecord? terminating = null;
        try
        {
            shell.Invoke(null, output);
        }
        catch (RuntimeException ex)
        {
            terminating = ex.ErrorRecord;
        }
        finally
        {
            Host.Answer = ConfirmAnswer.NoPromptExpected;
        }

        return Collect(shell, output, terminating);
    }

    /// <summary>
    /// A pipeline ready to run <paramref name="script"/> (as <see cref="Run"/> would), for tests that start and stop it
    /// themselves. It forgets what the host recorded so far.
    /// </summary>
    public PowerShell Create(string script, object? parameters = null)
    {
        Host.Clear();
        var properties = parameters?.GetType().GetProperties() ?? [];

        // Inside try, a statement-terminating error (ThrowTerminatingError) ends the script instead of letting the next
        // statement run; rethrown, it reaches the caller as the exception of Invoke.
        var wrapped = $"param({string.Join(", ", properties.Select(property => "$" + property.Name))})\ntry {{\n{script}\n}}\ncatch {{\nthrow\n}}";
        var shell = PowerShell.Create();
        shell.Runspace = _runspace;
        shell.AddScript(wrapped, useLocalScope: true);
        foreach (var property in properties)
        {
            shell.AddParameter(property.Name, property.GetValue(parameters));
        }

        return shell;
    }

    public void Dispose()
    {
        _runspace.Dispose();
        AwsEnvironment.Dispose();
    }

    /// <summary>What <paramref name="shell"/> wrote to <paramref name="output"/>, its other streams and the host.</summary>
    private ShellRun Collect(PowerShell shell, PSDataCollection<PSObject> output, ErrorRecord? terminating) => new()
    {
        Output = output.Select(item => item.BaseObject).ToList(),
        Errors = shell.Streams.Error.ToList(),
        Terminating = terminating,
        Verbose = shell.Streams.Verbose.Select(record => record.Message).ToList(),
        Warnings = shell.Streams.Warning.Select(record => record.Message).ToList(),
        Progress = shell.Streams.Progress.ToList(),
        HostLines = Host.Lines,
        Prompts = Host.Prompts,
    };

    private static string FindRepositoryRoot()
    {
        for (var folder = Path.GetDirectoryName(typeof(DeployOpsShell).Assembly.Location); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(Path.Combine(folder, "DeployOps.sln")))
            {
                return folder;
            }
        }

        throw new InvalidOperationException($"No DeployOps.sln above {typeof(DeployOpsShell).Assembly.Location}.");
    }
}
