using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using DeployOps.Sandbox.Front;

namespace DeployOps.Sandbox.Moto;

/// <summary>
/// Talks to moto: forwards client requests verbatim, and makes the sandbox's own calls.
/// moto does not check signatures; it routes by the credential scope, so the sandbox's own
/// calls carry an Authorization header with a scope and no real signature.
/// </summary>
public sealed class MotoClient : IDisposable
{
    private const string EcsTarget = "AmazonEC2ContainerServiceV20141113";
    private const string LogsTarget = "Logs_20140328";

    private static readonly HashSet<string> HopByHopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length", "Content-Type", "Expect", "Upgrade",
        "Proxy-Connection", "TE", "Trailer", "Date", "Server",
    };

    private readonly HttpClient _http;

    public MotoClient(Uri baseUrl)
    {
        BaseUrl = baseUrl;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30), UseProxy = false })
        {
            BaseAddress = baseUrl,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public Uri BaseUrl { get; }

    /// <summary>Clears every resource moto holds.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync("moto-api/reset", null, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Sends a client's request to moto unchanged and returns moto's answer.</summary>
    public async Task<AwsResponse> ForwardAsync(AwsRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.PathAndQuery.TrimStart('/'));
        string? contentType = null;
        foreach (var (name, value) in request.Headers)
        {
            if (string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value;
            }
            else if (!HopByHopHeaders.Contains(name))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (request.Body.Length > 0 || contentType is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (contentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        using var response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var headers = response.Headers
            .Where(h => !HopByHopHeaders.Contains(h.Key))
            .SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)))
            .ToList();
        var responseType = response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
        return new AwsResponse((int)response.StatusCode, responseType, body, headers);
    }

    public Task<JsonObject> EcsAsync(string operation, JsonObject body, string region, CancellationToken cancellationToken) =>
        JsonAsync("ecs", EcsTarget, operation, body, region, cancellationToken);

    public Task<JsonObject> LogsAsync(string operation, JsonObject body, string region, CancellationToken cancellationToken) =>
        JsonAsync("logs", LogsTarget, operation, body, region, cancellationToken);

    public Task<XElement> ElbAsync(string action, IEnumerable<KeyValuePair<string, string>> form, string region, CancellationToken cancellationToken) =>
        QueryAsync("elasticloadbalancing", action, "2015-12-01", form, region, cancellationToken);

    public Task<XElement> Ec2Async(string action, IEnumerable<KeyValuePair<string, string>> form, string region, CancellationToken cancellationToken) =>
        QueryAsync("ec2", action, "2016-11-15", form, region, cancellationToken);

    private async Task<JsonObject> JsonAsync(string service, string targetPrefix, string operation, JsonObject body, string region, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "");
        message.Headers.TryAddWithoutValidation("X-Amz-Target", targetPrefix + "." + operation);
        message.Headers.TryAddWithoutValidation("Authorization", ScopeHeader(service, region));
        message.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        var (status, text) = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        var node = text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) as JsonObject ?? new JsonObject();
        if (status >= 300)
        {
            var type = node["__type"]?.GetValue<string>() ?? "Unknown";
            throw new MotoCallException(service, operation, status, type[(type.LastIndexOf('#') + 1)..],
                node["message"]?.GetValue<string>() ?? node["Message"]?.GetValue<string>() ?? text);
        }

        return node;
    }

    private async Task<XElement> QueryAsync(string service, string action, string version, IEnumerable<KeyValuePair<string, string>> form,
        string region, CancellationToken cancellationToken)
    {
        var fields = new List<KeyValuePair<string, string>> { new("Action", action), new("Version", version) };
        fields.AddRange(form);
        using var message = new HttpRequestMessage(HttpMethod.Post, "") { Content = new FormUrlEncodedContent(fields) };
        message.Headers.TryAddWithoutValidation("Authorization", ScopeHeader(service, region));
        var (status, text) = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        var root = XElement.Parse(text);
        if (status >= 300)
        {
            var error = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            throw new MotoCallException(service, action, status,
                error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value ?? "Unknown",
                error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value ?? text);
        }

        return root;
    }

    private async Task<(int Status, string Text)> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
    }

    private static string ScopeHeader(string service, string region) =>
        $"AWS4-HMAC-SHA256 Credential=sandbox/{DateTime.UtcNow:yyyyMMdd}/{region}/{service}/aws4_request, SignedHeaders=host, Signature=0";

    public void Dispose() => _http.Dispose();
}

/// <summary>moto refused one of the sandbox's own calls.</summary>
public sealed class MotoCallException : Exception
{
    public MotoCallException(string service, string operation, int status, string code, string message)
        : base($"{service} {operation} failed in moto ({status} {code}): {message}")
    {
        Service = service;
        Operation = operation;
        Status = status;
        Code = code;
        AwsMessage = message;
    }

    public string Service { get; }

    public string Operation { get; }

    public int Status { get; }

    public string Code { get; }

    public string AwsMessage { get; }
}
