using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using DeployOps.Aws;
using DeployOps.Aws.Configuration;
using DeployOps.Engine.Tests.Support;
using DeployOps.Sandbox.Http;

namespace DeployOps.Engine.Tests.Pipeline;

/// <summary>What moto answered to one request, which a test may change before it goes back.</summary>
internal sealed record MotoAnswer(int Status, string ContentType, byte[] Body);

/// <summary>
/// A real HTTP endpoint on 127.0.0.1 in front of moto: it forwards every request and lets a test change what comes
/// back (cut a body short, send an HTML page) or answer itself (reject a request whose X-Amz-Date is off), so the
/// pipeline is tested over real sockets against moto's real answers.
/// </summary>
internal sealed class MotoFront : IAsyncDisposable
{
    private static readonly string[] HopByHop = { "Host", "Content-Length", "Connection", "Content-Type" };

    private readonly Uri _moto;
    private readonly HttpClient _http = new();
    private readonly MiniHttpServer _server;
    private readonly Func<MiniHttpRequest, Func<Task<MotoAnswer>>, Task<MiniHttpResponse>> _handle;
    private int _requests;

    private MotoFront(Uri moto, Func<MiniHttpRequest, Func<Task<MotoAnswer>>, Task<MiniHttpResponse>> handle)
    {
        _moto = moto;
        _handle = handle;
        _server = MiniHttpServer.Start(new IPEndPoint(IPAddress.Loopback, 0), ServeAsync);
    }

    /// <summary>The front's URL, to use as a session's endpoint.</summary>
    public string Url => $"http://127.0.0.1:{_server.EndPoint.Port}/";

    /// <summary>Requests received so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>
    /// Starts a front; <paramref name="handle"/> gets each request and a function that forwards it to moto, and returns
    /// the response to send.
    /// </summary>
    public static MotoFront Start(Uri moto, Func<MiniHttpRequest, Func<Task<MotoAnswer>>, Task<MiniHttpResponse>> handle) => new(moto, handle);

    /// <summary>A front that sends moto's answer through <paramref name="change"/> for the first <paramref name="count"/> requests.</summary>
    public static MotoFront ChangingFirst(Uri moto, int count, Func<MotoAnswer, MotoAnswer> change)
    {
        var seen = 0;
        return Start(moto, async (_, forward) =>
        {
            var answer = await forward();
            return Response(Interlocked.Increment(ref seen) <= count ? change(answer) : answer);
        });
    }

    /// <summary>
    /// A session whose endpoint is this front; its clock is the machine's plus <paramref name="clockError"/>, its retry
    /// delays are recorded in <paramref name="delay"/>, never slept.
    /// </summary>
    public AwsSession Session(RecordingDelay? delay = null, TimeSpan clockError = default) =>
        AwsSession.Create(
            new AwsSessionOptions { Region = MotoSessions.Region, EndpointUrl = Url, Credential = new BasicAWSCredentials("testing", "testing") },
            new AwsRuntime
            {
                Environment = new FixedAwsEnvironment(),
                MachineCredentials = NoMachineCredentials.Instance,
                Delay = (delay ?? new RecordingDelay()).WaitAsync,
                UtcNow = () => DateTimeOffset.UtcNow + clockError,
            });

    /// <summary>The response that sends <paramref name="answer"/> as it is, with extra <paramref name="headers"/>.</summary>
    public static MiniHttpResponse Response(MotoAnswer answer, params (string Name, string Value)[] headers) =>
        new(answer.Status, answer.ContentType, answer.Body, headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).ToList());

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
    }

    private Task<MiniHttpResponse> ServeAsync(MiniHttpRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        return _handle(request, () => ForwardAsync(request, cancellationToken));
    }

    private async Task<MotoAnswer> ForwardAsync(MiniHttpRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_moto, request.Target)) { Content = new ByteArrayContent(request.Body) };
        foreach (var header in request.Headers.Where(h => !HopByHop.Contains(h.Key, StringComparer.OrdinalIgnoreCase)))
        {
            message.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (request.Header("Content-Type") is { } contentType)
        {
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await _http.SendAsync(message, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new MotoAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? "text/plain", body);
    }
}
