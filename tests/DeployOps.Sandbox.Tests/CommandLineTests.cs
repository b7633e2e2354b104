using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using DeployOps.Sandbox.Moto;
using Xunit;

namespace DeployOps.Sandbox.Tests;

/// <summary>The sandbox as a program: its options and the errors people see when it cannot start.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public void Options_are_read_and_bad_values_are_named()
    {
        var options = Program.Parse(["--scenario", "no-targets", "--port", "0", "--speed", "1", "--moto-url", "http://127.0.0.1:5000"])!;
        Assert.Equal(("no-targets", 0, 1.0), (options.Scenario, options.Port, options.Speed));
        Assert.Equal(new Uri("http://127.0.0.1:5000/"), options.MotoUrl);

        Assert.Contains("--port 'x' is not a port", Assert.Throws<ArgumentException>(() => Program.Parse(["--port", "x"])).Message, StringComparison.Ordinal);
        Assert.Contains("--speed '0' is not a speed", Assert.Throws<ArgumentException>(() => Program.Parse(["--speed", "0"])).Message, StringComparison.Ordinal);
        Assert.Contains("unknown option '--sped'", Assert.Throws<ArgumentException>(() => Program.Parse(["--sped", "2"])).Message, StringComparison.Ordinal);
        Assert.Null(Program.Parse(["--help"]));
    }

    [Fact]
    public async Task Missing_moto_server_says_how_to_install_it()
    {
        var (exitCode, error) = await RunSandboxAsync(["--port", "0"], path: "/nonexistent");

        Assert.Equal(1, exitCode);
        Assert.Contains("moto_server was not found on PATH", error, StringComparison.Ordinal);
        Assert.Contains("pip install \"moto[server]\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_is_named()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var (exitCode, error) = await RunSandboxAsync(["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        Assert.Equal(1, exitCode);
        Assert.Contains($"Port {port} on 127.0.0.1 is already in use", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_scenario_file_is_named_with_its_line()
    {
        var folder = Directory.CreateTempSubdirectory("deployops-cli-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "broken.yaml"), "description: broken\ntargetGroups:\n  tg:\n    port: 99999\n");

            var (exitCode, error) = await RunSandboxAsync(["--port", "0", "--scenarios-dir", folder, "--scenario", "broken"]);

            Assert.Equal(1, exitCode);
            Assert.Contains("broken.yaml line 4, column 11: targetGroups.tg.port: expected a whole number from 1 to 65535, found '99999'.", error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Runs the built sandbox program; these cases all end before it would serve.</summary>
    private static async Task<(int ExitCode, string Error)> RunSandboxAsync(string[] arguments, string? path = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (path is not null)
        {
            start.Environment["PATH"] = path;
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The sandbox did not exit.");
        }

        return (process.ExitCode, await error);
    }
}
