using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace DeployOps.Sandbox.Http;

/// <summary>
/// Forwards a request a load balancer of the world received (an ALB listener, a Lightsail public endpoint) to the
/// application listening at a loopback address, as a reverse proxy does: the client's headers and body go on with
/// X-Forwarded-For and X-Forwarded-Proto, the application's answer comes back; no answer in time is a 504, a refused
/// connection a 502, each as the balancer's own error page.
/// </summary>
public sealed class HttpForwarder : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.Zero })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <param name="errorPage">The balancer's own page for a status it answers itself (502, 504).</param>
    public async Task<MiniHttpResponse> ForwardAsync(MiniHttpRequest request, string host, int port, TimeSpan timeout,
        Func<int, MiniHttpResponse> errorPage, CancellationToken cancellationToken)
    {
        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), $"http://{host}:{port}{request.Target}");
        foreach (var (name, value) in request.Headers)
        {
            if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && !name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                forward.Headers.TryAddWithoutValidation(name, value);
            }
        }

        forward.Headers.TryAddWithoutValidation("X-Forwarded-For", request.Remote.Address.ToString());
        forward.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "http");
        if (request.Body.Length > 0)
        {
            forward.Content = new ByteArrayContent(request.Body);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await _client.SendAsync(forward, deadline.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
            var headers = response.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)))
                .Where(h => !h.Key.Equals("Connection", StringComparison.OrdinalIgnoreCase)).ToList();
            return new MiniHttpResponse((int)response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream", body, headers);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return errorPage(504);
        }
        catch (HttpRequestException)
        {
            return errorPage(502);
        }
    }

    public void Dispose() => _client.Dispose();
}
