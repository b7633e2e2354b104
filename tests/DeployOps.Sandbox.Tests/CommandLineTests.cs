using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
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

    [Fact]
    public async Task A_moto_that_answers_html_is_named_on_one_line_with_a_non_zero_exit()
    {
        // A real moto that answers every AWS call with an HTML 500 page: one started under an empty AWS_PROFILE.
        var port = FreeTcpPort.Next();
        var broken = new ProcessStartInfo("moto_server") { ArgumentList = { "-H", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false };
        broken.Environment["AWS_PROFILE"] = "";
        using var moto = Process.Start(broken)!;
        try
        {
            var url = new Uri($"http://127.0.0.1:{port}/");
            await MotoServer.WaitUntilAnsweringAsync(url, TimeSpan.FromSeconds(60), MotoLog.NotAvailable(url), () => moto.HasExited, default);

            var (exitCode, error) = await RunSandboxAsync(["--port", "0", "--moto-url", url.ToString()]);

            Assert.Equal(1, exitCode);
            var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: moto gave an unusable answer to ec2 CreateVpc: HTTP 500 with an HTML page (\"500 Internal Server Error\") where XML was expected.", line, StringComparison.Ordinal);
            Assert.EndsWith($"moto's log is not available (the moto at http://127.0.0.1:{port} was not started by the sandbox; look at its own output).", line, StringComparison.Ordinal);
        }
        finally
        {
            moto.Kill();
            moto.WaitForExit();
        }
    }

    private static Task<(int ExitCode, string Error)> RunSandboxAsync(string[] arguments, string? path = null) =>
        SandboxProgram.RunToExitAsync(arguments, path is null ? null : new Dictionary<string, string> { ["PATH"] = path });
}
