using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace DeployOps.Sandbox.Moto;

/// <summary>
/// A moto_server child process on a free 127.0.0.1 port, with a clean AWS environment, its log
/// kept for error messages, and stopped by its PID when disposed (or when this process ends).
/// </summary>
public sealed class MotoServer : IAsyncDisposable
{
    public const string InstallHint = "Install it with: pip install \"moto[server]\"";

    private readonly Process _process;
    private int _disposed;

    private MotoServer(Process process, Uri url, MotoLog log)
    {
        _process = process;
        ProcessId = process.Id;
        Url = url;
        Log = log;
        // A sandbox that ends without disposing (an unhandled exception, Environment.Exit) must not leave moto behind.
        AppDomain.CurrentDomain.ProcessExit += OnProcessEnding;
        AppDomain.CurrentDomain.UnhandledException += OnProcessEnding;
    }

    /// <summary>The base address moto answers on, e.g. http://127.0.0.1:40123/.</summary>
    public Uri Url { get; }

    /// <summary>The moto_server process; still readable after it has been stopped.</summary>
    public int ProcessId { get; }

    /// <summary>The last lines moto wrote to its standard output and error.</summary>
    public MotoLog Log { get; }

    /// <summary>Starts moto_server on a free loopback port and waits until it answers; stops it again when it does not.</summary>
    public static async Task<MotoServer> StartAsync(TimeSpan readyTimeout, CancellationToken cancellationToken = default)
    {
        var server = Start();
        try
        {
            await server.WaitUntilReadyAsync(readyTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }

    /// <summary>Starts moto_server on a free loopback port without waiting for it (see <see cref="WaitUntilReadyAsync"/>).</summary>
    public static MotoServer Start()
    {
        int port = FreeTcpPort.Next();
        var startInfo = new ProcessStartInfo("moto_server")
        {
            ArgumentList = { "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        UseCleanAwsEnvironment(startInfo.Environment);
        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new SandboxStartException("moto_server did not start. " + InstallHint);
        }
        catch (Win32Exception ex)
        {
            throw new SandboxStartException("moto_server was not found on PATH. " + InstallHint, ex);
        }

        // moto logs every request; both streams are drained (so a full pipe never blocks it) into the log errors quote.
        var log = new MotoLog();
        process.OutputDataReceived += (_, line) => log.Add(line.Data);
        process.ErrorDataReceived += (_, line) => log.Add(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new MotoServer(process, new Uri($"http://127.0.0.1:{port}/"), log);
    }

    /// <summary>
    /// moto reads AWS_* variables and the AWS config files through botocore, and the caller's can break it: with
    /// AWS_PROFILE defined but empty (what <c>[Environment]::SetEnvironmentVariable('X', $null)</c> leaves behind in
    /// PowerShell 7.6 on Linux) it answers every request with an HTML 500 page. moto needs none of them: it gets no
    /// AWS_* variable of the caller's and no config or credentials file.
    /// </summary>
    private static void UseCleanAwsEnvironment(IDictionary<string, string?> environment)
    {
        foreach (var name in environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            environment.Remove(name);
        }

        var nothing = OperatingSystem.IsWindows() ? "NUL" : "/dev/null";
        environment["AWS_CONFIG_FILE"] = nothing;
        environment["AWS_SHARED_CREDENTIALS_FILE"] = nothing;
    }

    /// <summary>
    /// Waits until a moto server at <paramref name="url"/> answers its config API (cheap, where data.json dumps every
    /// resource: megabytes once a scenario is loaded). Any other answer is an error at once: whatever answered is not
    /// moto, or is broken.
    /// </summary>
    public static async Task WaitUntilAnsweringAsync(Uri url, TimeSpan timeout, MotoLog log, Func<bool>? hasExited, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (hasExited?.Invoke() == true)
            {
                throw new SandboxStartException(
                    $"moto_server exited before it answered on {url}. {await log.DescribeTailAsync(cancellationToken).ConfigureAwait(false)} {InstallHint}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(url, "moto-api/config"), cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw await BadMotoAnswerException.NotExpectedAsync("moto-api", "GET config", (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType,
                    body, "moto's config (HTTP 2xx)", log, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                last = ex;
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                last = ex;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        throw new SandboxStartException($"moto did not answer on {url} within {timeout.TotalSeconds:0} s. {await log.DescribeTailAsync(cancellationToken).ConfigureAwait(false)}", last);
    }

    public Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitUntilAnsweringAsync(Url, timeout, Log, () => _process.HasExited, cancellationToken);

    private void OnProcessEnding(object? sender, EventArgs e) => Kill();

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
        {
            // Already gone (or disposed).
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessEnding;
        AppDomain.CurrentDomain.UnhandledException -= OnProcessEnding;
        Kill();
        try
        {
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The kill was sent; nothing more can be done.
        }
        finally
        {
            _process.Dispose();
        }
    }
}

/// <summary>Thrown when the sandbox cannot start; its message is meant for the person who ran it.</summary>
public sealed class SandboxStartException : Exception
{
    public SandboxStartException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}

/// <summary>Free TCP ports on 127.0.0.1.</summary>
public static class FreeTcpPort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
