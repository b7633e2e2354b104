using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace DeployOps.Sandbox.Moto;

/// <summary>
/// A moto_server child process on a free 127.0.0.1 port, stopped by its PID when disposed.
/// </summary>
public sealed class MotoServer : IAsyncDisposable
{
    public const string InstallHint = "Install it with: pip install \"moto[server]\"";

    private readonly Process _process;

    private MotoServer(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    /// <summary>The base address moto answers on, e.g. http://127.0.0.1:40123/.</summary>
    public Uri Url { get; }

    public int ProcessId => _process.Id;

    /// <summary>Starts moto_server on a free loopback port and waits until it answers.</summary>
    public static async Task<MotoServer> StartAsync(TimeSpan readyTimeout, CancellationToken cancellationToken = default)
    {
        int port = FreeTcpPort.Next();
        var startInfo = new ProcessStartInfo("moto_server")
        {
            ArgumentList = { "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new SandboxStartException("moto_server did not start. " + InstallHint);
        }
        catch (Win32Exception ex)
        {
            throw new SandboxStartException("moto_server was not found on PATH. " + InstallHint, ex);
        }

        // moto logs every request; drain both streams so a full pipe never blocks it.
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new MotoServer(process, new Uri($"http://127.0.0.1:{port}/"));
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

    /// <summary>Waits until a moto server at <paramref name="url"/> answers its reset API.</summary>
    public static async Task WaitUntilAnsweringAsync(Uri url, TimeSpan timeout, Func<bool>? hasExited, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (hasExited?.Invoke() == true)
            {
                throw new SandboxStartException($"moto_server exited before it answered on {url}. " + InstallHint);
            }

            try
            {
                using var response = await http.GetAsync(new Uri(url, "moto-api/data.json"), cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
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

        throw new SandboxStartException($"moto did not answer on {url} within {timeout.TotalSeconds:0} s.", last);
    }

    private Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitUntilAnsweringAsync(Url, timeout, () => _process.HasExited, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
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
