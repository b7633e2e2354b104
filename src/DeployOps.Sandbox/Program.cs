using System;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Sandbox.Moto;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.Simulators.AlbListeners;
using Microsoft.Extensions.Logging;

namespace DeployOps.Sandbox;

/// <summary>
/// <c>dotnet run --project src/DeployOps.Sandbox -- --scenario &lt;name&gt; [--port 4566] [--speed N] [--moto-url URL]</c>
/// </summary>
public static class Program
{
    private const string Usage = """
        DeployOps sandbox: a local AWS account (over moto) whose deployments really fail and heal.

        Usage: DeployOps.Sandbox [--scenario NAME] [--port PORT] [--speed N] [--moto-url URL] [--scenarios-dir DIR] [--verbose]

          --scenario NAME      scenario to load (default: healthy); see --list
          --port PORT          port on 127.0.0.1 (default: 4566; 0 picks a free one)
          --speed N            world seconds per real second (default: 30; 1 is real time)
          --moto-url URL       use a running moto_server instead of starting one
          --scenarios-dir DIR  folder of scenario files (default: the scenarios shipped with the sandbox)
          --list               list the scenarios and exit
          --verbose            log what the sandbox does (to standard error)
        """;

    public static async Task<int> Main(string[] args)
    {
        SandboxOptions options;
        try
        {
            var parsed = Parse(args);
            if (parsed is null)
            {
                Console.WriteLine(Usage);
                return 0;
            }

            options = parsed;
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            Console.Error.WriteLine("Run with --help for usage.");
            return 2;
        }

        if (Array.IndexOf(args, "--list") >= 0)
        {
            Console.WriteLine(string.Join(Environment.NewLine, ScenarioReader.List(options.ScenariosDirectory)));
            return 0;
        }

        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
        SandboxHost host;
        try
        {
            host = await SandboxHost.StartAsync(options, stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SandboxStartException or ScenarioException or MotoException)
        {
            // The message says it all, on one line; the host has already stopped whatever it started (moto included).
            Console.Error.WriteLine($"error: {ex.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            return 130;
        }

        await using (host.ConfigureAwait(false))
        {
            foreach (var lb in host.World.Simulator<AlbListenersSimulator>().Urls())
            {
                Console.Error.WriteLine($"load balancer {lb.LoadBalancerName} ({lb.DnsName}:{lb.ListenerPort}) -> {lb.Url}");
            }

            // Scripts parse the ready line (^DeployOps sandbox ready at (?<url>https?://\S+)\s*$): keep its format, add lines after it.
            Console.WriteLine($"DeployOps sandbox ready at {host.Url.GetLeftPart(UriPartial.Authority)}");
            Console.WriteLine($"moto at {host.MotoUrl.GetLeftPart(UriPartial.Authority)}");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("Stopping the sandbox.");
            }
        }

        return 0;
    }

    /// <summary>Reads the command line; null means help was asked for.</summary>
    public static SandboxOptions? Parse(string[] args)
    {
        var options = new SandboxOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--help" or "-h":
                    return null;
                case "--scenario":
                    options = options with { Scenario = Value() };
                    break;
                case "--port":
                    var port = Value();
                    options = options with
                    {
                        Port = int.TryParse(port, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 65535
                            ? p
                            : throw new ArgumentException($"--port '{port}' is not a port; expected a whole number from 0 to 65535."),
                    };
                    break;
                case "--speed":
                    var speed = Value();
                    options = options with
                    {
                        Speed = double.TryParse(speed, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s is >= 0.1 and <= 1000
                            ? s
                            : throw new ArgumentException($"--speed '{speed}' is not a speed; expected a number from 0.1 to 1000 (1 is real time)."),
                    };
                    break;
                case "--moto-url":
                    var url = Value();
                    options = options with
                    {
                        MotoUrl = Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"
                            ? new Uri(u.GetLeftPart(UriPartial.Authority) + "/")
                            : throw new ArgumentException($"--moto-url '{url}' is not a URL; expected something like http://127.0.0.1:5000."),
                    };
                    break;
                case "--scenarios-dir":
                    options = options with { ScenariosDirectory = System.IO.Path.GetFullPath(Value()) };
                    break;
                case "--verbose":
                    options = options with { LogLevel = LogLevel.Information };
                    break;
                case "--list":
                    break;
                default:
                    throw new ArgumentException($"unknown option '{args[i]}'.");
            }
        }

        return options;
    }
}
