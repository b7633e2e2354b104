using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Configuration;
using DeployOps.Environments;
using DeployOps.Errors;
using DeployOps.Operations;
using DeployOps.Redaction;
using DeployOps.Storage;

namespace DeployOps.Commands;

/// <summary>
/// What every DeployOps cmdlet shares, AWS or not: running engine work from the pipeline thread (<see cref="RunEngine{T}"/>),
/// Ctrl-C (StopProcessing cancels the work), errors (<see cref="WriteEngineError"/>), ShouldProcess with -Force
/// (<see cref="ShouldChange"/>) and PowerShell paths. Cmdlets that call AWS derive from <see cref="DeployOpsAwsCmdlet"/>.
/// </summary>
public abstract class DeployOpsCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly OperationPump _pump = new();
    private bool _disposed;

    /// <summary>The observer to hand the engine: what it reports is written on the pipeline thread while <see cref="RunEngine{T}"/> waits.</summary>
    protected IOperationObserver Observer => _pump;

    /// <summary>
    /// Writes <paramref name="item"/> to the pipeline from engine work running in <see cref="RunEngine{T}"/>, on any thread:
    /// the pipeline thread writes it in order with the work's reports (a follow's lines as they arrive).
    /// </summary>
    protected void Emit(object item) => _pump.Output(item);

    /// <summary>
    /// Takes secrets out of everything this invocation writes (verbose, warning, progress, errors): the patterns, plus the
    /// values a cmdlet learns are secret (a Slack token or webhook URL it was given).
    /// </summary>
    protected SecretRedactor Redactor { get; } = new();

    /// <summary>The directory PowerShell is in (not the process's): relative paths are resolved against it.</summary>
    protected string CurrentDirectory => SessionState.Path.CurrentFileSystemLocation.ProviderPath;

    /// <summary>
    /// Runs engine work and returns its result. Meanwhile the pipeline thread writes the engine's verbose, warning and
    /// progress reports. The work's own exception is rethrown as it was thrown (never an AggregateException); Ctrl-C
    /// ends the wait at once with PipelineStoppedException, which PowerShell expects of a stopped pipeline.
    /// </summary>
    protected T RunEngine<T>(Func<CancellationToken, Task<T>> work)
    {
        try
        {
            return _pump.Run(work, Deliver, _cancellation.Token);
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>
    /// Runs engine work for one item (a service, a target group, a URL). On failure the item's error is written (see
    /// <see cref="WriteEngineError"/>), <paramref name="result"/> is default and the method returns false, so the
    /// pipeline goes on with the next item.
    /// </summary>
    protected bool TryRunEngine<T>(Func<CancellationToken, Task<T>> work, object? target, out T result)
    {
        try
        {
            result = RunEngine(work);
            return true;
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            WriteEngineError(ErrorTranslator.Translate(ex, target));
            result = default!;
            return false;
        }
    }

    /// <summary>
    /// Writes <paramref name="error"/>: a non-terminating error for one item's failure; a terminating one when the error
    /// is about configuration (credentials, region, settings file), since then nothing else can work either, and when it
    /// is a DeployOps defect, which must not pass for one item's AWS failure.
    /// </summary>
    protected void WriteEngineError(DeployOpsError error)
    {
        if (error.Kind is DeployOpsErrorKind.Configuration or DeployOpsErrorKind.Defect)
        {
            ThrowTerminatingError(ErrorRecords.Create(error, Redactor));
        }

        WriteError(ErrorRecords.Create(error, Redactor));
    }

    /// <summary>Writes each item's value, or its error (non-terminating: the other items still count).</summary>
    protected void WriteOutcomes<T>(IEnumerable<ItemOutcome<T>> outcomes)
        where T : class
    {
        foreach (var outcome in outcomes)
        {
            if (outcome.Value is not null)
            {
                WriteObject(outcome.Value);
            }
            else
            {
                WriteEngineError(outcome.Error!);
            }
        }
    }

    /// <summary>Stops the command with <paramref name="error"/>.</summary>
    protected void ThrowEngineError(DeployOpsError error) => ThrowTerminatingError(ErrorRecords.Create(error, Redactor));

    /// <summary>
    /// Runs a check or read that everything after it depends on (settings, session, parameter values); its failure stops
    /// the command with the engine's error, <paramref name="target"/> being what the error is about when it names nothing.
    /// </summary>
    protected T Require<T>(Func<T> read, object? target)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowEngineError(ErrorTranslator.Translate(ex, target));
            throw;
        }
    }

    /// <summary>Runs a check that everything after it depends on; see <see cref="Require{T}"/>.</summary>
    protected void Require(Action check, object? target) => Require(() =>
    {
        check();
        return true;
    }, target);

    /// <summary>
    /// A path parameter as a file system path, resolved as PowerShell's own cmdlets resolve one: ~, PowerShell drives
    /// (TestDrive:, Temp:) and paths relative to the PowerShell location. A path of another provider (Env:, Variable:)
    /// stops the command naming it. The file need not exist: the engine says so if it does not.
    /// </summary>
    protected string FileSystemPath(string path, string parameterName)
    {
        var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
        if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
        {
            ThrowEngineError(new DeployOpsError(ErrorIds.NotAFileSystemPath, DeployOpsErrorKind.InvalidArgument,
                $"'{path}' (from -{parameterName}) is a path of the {provider.Name} provider; expected a file system path.", path));
        }

        return resolved;
    }

    /// <summary>
    /// The environment <paramref name="name"/> of the settings file (-Environment), from <paramref name="configPath"/>
    /// (-ConfigPath, resolved as PowerShell resolves paths) or the usual search ($env:DEPLOYOPS_CONFIG, ./deployops.json,
    /// ~/.deployops/deployops.json); null without a name. A problem, or -ConfigPath without -Environment, stops the command
    /// before any work.
    /// </summary>
    protected DeploymentEnvironment? ReadEnvironment(string? name, string? configPath)
    {
        if (string.IsNullOrEmpty(name))
        {
            if (configPath is not null)
            {
                ThrowEngineError(new DeployOpsError(ErrorIds.EnvironmentNotFound, DeployOpsErrorKind.Configuration,
                    $"-ConfigPath '{configPath}' names a settings file, but no -Environment says which of its environments to use.", configPath));
            }

            return null;
        }

        var resolvedConfigPath = configPath is null ? null : FileSystemPath(configPath, "ConfigPath");
        return Require(() => DeploymentEnvironmentFile.Find(resolvedConfigPath, ProcessAwsEnvironment.Instance, CurrentDirectory).Get(name!), resolvedConfigPath ?? name);
    }

    /// <summary>
    /// The local deployment store (registry, journal, outbox, monitors): <paramref name="registryPath"/> (-RegistryPath,
    /// resolved as PowerShell resolves paths), else the environment's <c>registryPath</c>, else <c>$env:DEPLOYOPS_REGISTRY</c>,
    /// else ./.deployment-registry.
    /// </summary>
    protected DeploymentStore LocateStore(string? registryPath, DeploymentEnvironment? environment)
    {
        var resolvedRegistryPath = registryPath is null ? null : FileSystemPath(registryPath, "RegistryPath");
        return Require(() => DeploymentStore.Locate(resolvedRegistryPath, environment?.RegistryPath, ProcessAwsEnvironment.Instance, CurrentDirectory), registryPath);
    }

    /// <summary>
    /// ShouldProcess with -Force: -WhatIf (the parameter or $WhatIfPreference) always wins and changes nothing;
    /// otherwise -Force proceeds without asking; otherwise ShouldProcess asks as -Confirm and $ConfirmPreference say.
    /// </summary>
    protected bool ShouldChange(IChangePlan plan, bool force)
    {
        if (force && !WhatIfRequested())
        {
            WriteVerbose($"Performing the operation \"{plan.ShouldProcessAction}\" on target \"{plan.ShouldProcessTarget}\" (-Force).");
            return true;
        }

        return ShouldProcess(plan.ShouldProcessTarget, plan.ShouldProcessAction);
    }

    /// <summary>Cancels the engine work in flight (Ctrl-C).</summary>
    protected override void StopProcessing()
    {
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The command already ended.
        }
    }

    /// <summary>Releases what the invocation holds.</summary>
    protected override void EndProcessing() => Dispose();

    /// <summary>Called by PowerShell when the command ends however it ends (also after Ctrl-C or a terminating error).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;

        // Work still running (a follow whose pipeline a downstream Select-Object -First ended) stops with the command.
        _cancellation.Cancel();
        DisposeResources();
        _cancellation.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases sessions and the like; called once.</summary>
    protected virtual void DisposeResources()
    {
    }

    /// <summary>True when -WhatIf (the switch, or $WhatIfPreference) is in effect: ShouldProcess only shows what would happen.</summary>
    protected bool WhatIfRequested() =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)
            ? LanguagePrimitives.IsTrue(whatIf)
            : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));

    // Every report of the engine is written through here: secrets are taken out of it first.
    private void Deliver(PumpMessage message)
    {
        switch (message.Kind)
        {
            case PumpMessageKind.Verbose:
                WriteVerbose(Redactor.Redact(message.Text));
                break;
            case PumpMessageKind.Warning:
                WriteWarning(Redactor.Redact(message.Text));
                break;
            case PumpMessageKind.Progress:
                WriteProgress(ToProgressRecord(message.Progress!));
                break;
            case PumpMessageKind.Output:
                WriteObject(message.Item);
                break;
        }
    }

    private ProgressRecord ToProgressRecord(OperationProgress progress) =>
        new(Math.Max(0, progress.ActivityId), NonEmpty(Redactor.Redact(progress.Activity)), NonEmpty(Redactor.Redact(progress.Status)))
        {
            PercentComplete = Math.Min(100, Math.Max(-1, progress.PercentComplete)),
            SecondsRemaining = progress.SecondsRemaining,
            RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };

    // ProgressRecord rejects an empty activity or status.
    private static string NonEmpty(string? text) => string.IsNullOrEmpty(text) ? "..." : text!;
}
