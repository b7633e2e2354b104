using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DeployOps.Sandbox.Http;

/// <summary>An HTTP request as the mini server read it.</summary>
public sealed record MiniHttpRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, byte[] Body, IPEndPoint Remote)
{
    /// <summary>The path without the query string.</summary>
    public string Path => Target.Split('?', 2)[0];

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>An HTTP response to write.</summary>
public sealed record MiniHttpResponse(int Status, string ContentType, byte[] Body, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>No answer: the server resets the connection (TCP RST), as an application that crashes mid-request or closes early does.</summary>
    public static readonly MiniHttpResponse Reset = new(0, "", [], []) { ResetsConnection = true };

    /// <summary>True for <see cref="Reset"/>.</summary>
    public bool ResetsConnection { get; private init; }

    public static MiniHttpResponse Text(int status, string body, string contentType = "text/plain; charset=utf-8", IReadOnlyList<KeyValuePair<string, string>>? headers = null) =>
        new(status, contentType, Encoding.UTF8.GetBytes(body), headers ?? []);
}

/// <summary>
/// A small HTTP/1.1 server on one TCP endpoint, cheap enough to run one per task and per load
/// balancer listener (dozens at once). It answers one request per connection and closes it, as
/// health checkers and the sandbox's load balancer need nothing more.
/// </summary>
public sealed class MiniHttpServer : IAsyncDisposable
{
    private const int MaxHeaderBytes = 32 * 1024;
    private const int MaxBodyBytes = 1024 * 1024;

    private readonly TcpListener _listener;
    private readonly Func<MiniHttpRequest, CancellationToken, Task<MiniHttpResponse>> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    private MiniHttpServer(TcpListener listener, Func<MiniHttpRequest, CancellationToken, Task<MiniHttpResponse>> handler)
    {
        _listener = listener;
        _handler = handler;
        EndPoint = (IPEndPoint)listener.LocalEndpoint;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Binds and starts serving; throws <see cref="SocketException"/> when the address or port is unavailable.</summary>
    public static MiniHttpServer Start(IPEndPoint endPoint, Func<MiniHttpRequest, CancellationToken, Task<MiniHttpResponse>> handler)
    {
        var listener = new TcpListener(endPoint);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start(backlog: 64);
        return new MiniHttpServer(listener, handler);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                client.NoDelay = true;
                var stream = client.GetStream();
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(120));
                var request = await ReadRequestAsync(stream, (IPEndPoint)client.Client.RemoteEndPoint!, timeout.Token).ConfigureAwait(false);
                if (request is null)
                {
                    return;
                }

                var response = await _handler(request, timeout.Token).ConfigureAwait(false);
                if (response.ResetsConnection)
                {
                    // Linger 0: closing sends RST instead of FIN, so the peer sees "connection reset".
                    client.Client.LingerState = new LingerOption(true, 0);
                    return;
                }

                await WriteResponseAsync(stream, response, request.Method == "HEAD", timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The peer went away or the server is stopping; nothing to answer.
            }
        }
    }

    private static async Task<MiniHttpRequest?> ReadRequestAsync(NetworkStream stream, IPEndPoint remote, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        var received = new MemoryStream();
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd(received)) < 0)
        {
            if (received.Length > MaxHeaderBytes)
            {
                return null;
            }

            var read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            received.Write(buffer, 0, read);
        }

        var all = received.ToArray();
        var head = Encoding.ASCII.GetString(all, 0, headerEnd);
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length < 3)
        {
            return null;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines[1..])
        {
            var colon = line.IndexOf(':');
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        var bodyLength = headers.TryGetValue("Content-Length", out var lengthText) && int.TryParse(lengthText, out var length) ? Math.Min(length, MaxBodyBytes) : 0;
        var body = new MemoryStream();
        body.Write(all, headerEnd + 4, all.Length - headerEnd - 4);
        while (body.Length < bodyLength)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            body.Write(buffer, 0, read);
        }

        return new MiniHttpRequest(requestLine[0], requestLine[1], headers, body.ToArray(), remote);
    }

    private static int IndexOfHeaderEnd(MemoryStream received)
    {
        var data = received.GetBuffer();
        for (var i = 3; i < received.Length; i++)
        {
            if (data[i - 3] == '\r' && data[i - 2] == '\n' && data[i - 1] == '\r' && data[i] == '\n')
            {
                return i - 3;
            }
        }

        return -1;
    }

    private static async Task WriteResponseAsync(NetworkStream stream, MiniHttpResponse response, bool headOnly, CancellationToken cancellationToken)
    {
        var head = new StringBuilder();
        head.Append("HTTP/1.1 ").Append(response.Status).Append(' ').Append(ReasonPhrase(response.Status)).Append("\r\n");
        head.Append("Content-Type: ").Append(response.ContentType).Append("\r\n");
        head.Append("Content-Length: ").Append(response.Body.Length).Append("\r\n");
        head.Append("Connection: close\r\n");
        foreach (var (name, value) in response.Headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken).ConfigureAwait(false);
        if (!headOnly)
        {
            await stream.WriteAsync(response.Body, cancellationToken).ConfigureAwait(false);
        }

        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status " + status,
    };

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
