using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace DeployOps.Databases;

/// <summary>
/// Runbook 004's <c>nc -zv $AURORA_ENDPOINT 5432</c>: opens one TCP connection to an endpoint from where the command runs
/// and closes it at once (no protocol is spoken, no credential is sent).
/// </summary>
public static class DatabaseProbe
{
    public static async Task<DatabaseProbeResult> ConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var endpoint = $"{host}:{port}";
        DatabaseProbeResult Result(DatabaseProbeOutcome outcome, string? detail = null) =>
            new() { Endpoint = endpoint, OutcomeKind = outcome, Milliseconds = clock.ElapsedMilliseconds, Detail = detail };

        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(host, out var literal) ? new[] { literal } : await Dns.GetHostAddressesAsync(host).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            return Result(DatabaseProbeOutcome.NameNotResolved, ex.Message);
        }

        if (addresses.Length == 0)
        {
            return Result(DatabaseProbeOutcome.NameNotResolved);
        }

        using var client = new TcpClient(addresses[0].AddressFamily);
        var connect = client.ConnectAsync(addresses[0], port);
        var finished = await Task.WhenAny(connect, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (finished != connect)
        {
            _ = connect.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
            return Result(DatabaseProbeOutcome.TimedOut, $"no answer within {timeout.TotalSeconds:0.#} s");
        }

        try
        {
            await connect.ConfigureAwait(false);
            return Result(DatabaseProbeOutcome.Connected);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return Result(DatabaseProbeOutcome.Refused, ex.Message);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.TimedOut)
        {
            return Result(DatabaseProbeOutcome.TimedOut, ex.Message);
        }
        catch (SocketException ex)
        {
            return Result(DatabaseProbeOutcome.Failed, ex.Message);
        }
    }
}
