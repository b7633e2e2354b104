using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using DeployOps.Testing;

namespace DeployOps.Sandbox.Tests;

/// <summary>The built sandbox program as a child process, started the way the demo and Pester start it.</summary>
public sealed class SandboxProgram : IAsyncDisposable
{
    public const string ReadyPrefix = "DeployOps sandbox ready at ";
    public const string MotoPrefix = "moto at ";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _errors = new();

    private SandboxProgram(Process process)
    {
        _process = process;
    }

    /// <summary>The lines written to standard output so far.</summary>
    public IReadOnlyList<string> OutputLines => _output.ToArray();

    /// <summary>The lines written to standard error so far.</summary>
    public IReadOnlyList<string> ErrorLines => _errors.ToArray();

    /// <summary>The sandbox's address, from its ready line.</summary>
    public Uri Url => new(OutputLines.Single(l => l.StartsWith(ReadyPrefix, StringComparison.Ordinal))[ReadyPrefix.Length..] + "/");

    /// <summary>
    /// Starts the program and waits until it has printed its ready line and moto's line. <paramref name="environment"/> is set
    /// in the child's environment (an empty value leaves the variable defined and empty).
    /// </summary>
    public static async Task<SandboxProgram> StartAsync(string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var program = new SandboxProgram(Process.Start(StartInfo(arguments, environment))!);
        program._process.OutputDataReceived += (_, line) => Collect(program._output, line.Data);
        program._process.ErrorDataReceived += (_, line) => Collect(program._errors, line.Data);
        program._process.BeginOutputReadLine();
        program._process.BeginErrorReadLine();
        try
        {
            await Eventually.WaitUntilAsync(() => program._process.HasExited
                    ? throw new InvalidOperationException($"The sandbox exited with {program._process.ExitCode} before it was ready: {string.Join(Environment.NewLine, program.ErrorLines)}")
                    : Task.FromResult(program.OutputLines.Any(l => l.StartsWith(MotoPrefix, StringComparison.Ordinal))),
                "the sandbox's ready line and moto's line");
        }
        catch
        {
            await program.DisposeAsync();
            throw;
        }

        return program;
    }

    /// <summary>Runs the program to its end (for the cases that end before it would serve).</summary>
    public static async Task<(int ExitCode, string Error)> RunToExitAsync(string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Process.Start(StartInfo(arguments, environment))!;
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The sandbox did not exit.");
        }

        return (process.ExitCode, await error);
    }

    private static ProcessStartInfo StartInfo(string[] arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private static void Collect(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }

    /// <summary>Stops the program with SIGTERM (as Ctrl-C would), so it stops moto and its listeners itself.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }
}
