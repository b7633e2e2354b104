using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace DeployOps.Commands.Tests.Hosting;

/// <summary>What one script run in <see cref="DeployOpsShell"/> produced, stream by stream.</summary>
public sealed class ShellRun
{
    /// <summary>The objects written to the output stream (their base objects).</summary>
    public required IReadOnlyList<object> Output { get; init; }

    /// <summary>Non-terminating errors (WriteError): the command went on.</summary>
    public required IReadOnlyList<ErrorRecord> Errors { get; init; }

    /// <summary>The terminating error that stopped the script, or null when it ran to its end.</summary>
    public required ErrorRecord? Terminating { get; init; }

    public required IReadOnlyList<string> Verbose { get; init; }

    public required IReadOnlyList<string> Warnings { get; init; }

    public required IReadOnlyList<ProgressRecord> Progress { get; init; }

    /// <summary>Lines the host showed (-WhatIf messages, Trace-Command -PSHost output).</summary>
    public required IReadOnlyList<string> HostLines { get; init; }

    /// <summary>The confirmation prompts the host was asked ("caption: message").</summary>
    public required IReadOnlyList<string> Prompts { get; init; }

    /// <summary>The output objects of type <typeparamref name="T"/>.</summary>
    public IReadOnlyList<T> OutputOf<T>() => Output.OfType<T>().ToList();

    /// <summary>Everything a user could see of the run, for "never shows X" checks.</summary>
    public override string ToString() => string.Join(
        "\n",
        Output.Select(o => $"output: {o}")
            .Concat(Errors.Select(e => $"error: {e.FullyQualifiedErrorId}: {e}"))
            .Concat(Terminating is null ? [] : [$"terminating: {Terminating.FullyQualifiedErrorId}: {Terminating}"])
            .Concat(Verbose.Select(v => $"verbose: {v}"))
            .Concat(Warnings.Select(w => $"warning: {w}"))
            .Concat(HostLines.Select(l => $"host: {l}"))
            .Concat(Prompts.Select(p => $"prompt: {p}")));
}
