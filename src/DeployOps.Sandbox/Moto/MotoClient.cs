using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
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
    private const string SecretsManagerTarget = "secretsmanager";

    private static readonly HashSet<string> HopByHopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length", "Content-Type", "Expect", "Upgrade",
        "Proxy-Connection", "TE", "Trailer", "Date", "Server",
    };

    private readonly HttpClient _http;

    /// <param name="baseUrl">moto's address (or the sandbox's, for tests that talk to it the way moto is talked to).</param>
    /// <param name="log">moto's log when the sandbox started moto itself, quoted in errors about its answers.</param>
    public MotoClient(Uri baseUrl, MotoLog? log = null)
    {
        BaseUrl = baseUrl;
        Log = log ?? MotoLog.NotAvailable(baseUrl);
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30), UseProxy = false })
        {
            BaseAddress = baseUrl,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public Uri BaseUrl { get; }

    public MotoLog Log { get; }

    /// <summary>Clears every resource moto holds.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "moto-api/reset");
        var answer = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (answer.Status != 200)
        {
            throw await BadAnswerAsync("moto-api", "reset", answer, "an HTTP 200 answer", cancellationToken).ConfigureAwait(false);
        }
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

    /// <summary>A Lightsail call (the sandbox's Lightsail simulator answers; moto has none).</summary>
    public Task<JsonObject> LightsailAsync(string operation, JsonObject body, string region, CancellationToken cancellationToken) =>
        JsonAsync("lightsail", "Lightsail_20161128", operation, body, region, cancellationToken);

    public Task<XElement> ElbAsync(string action, IEnumerable<KeyValuePair<string, string>> form, string region, CancellationToken cancellationToken) =>
        QueryAsync("elasticloadbalancing", action, "2015-12-01", form, region, cancellationToken);

    public Task<XElement> Ec2Async(string action, IEnumerable<KeyValuePair<string, string>> form, string region, CancellationToken cancellationToken) =>
        QueryAsync("ec2", action, "2016-11-15", form, region, cancellationToken);

    public Task<XElement> RdsAsync(string action, IEnumerable<KeyValuePair<string, string>> form, string region, CancellationToken cancellationToken) =>
        QueryAsync("rds", action, "2014-10-31", form, region, cancellationToken);
    public Task<XElement> CloudWatchAsync(string action, IEnumerable<KeyValuePair<string, string>> form, string region, CancellationToken cancellationToken) =>
        QueryAsync("monitoring", action, "2010-08-01", form, region, cancellationToken);

    public Task<JsonObject> SecretsManagerAsync(string operation, JsonObject body, string region, CancellationToken cancellationToken) =>
        JsonAsync("secretsmanager", SecretsManagerTarget, operation, body, region, cancellationToken);

    /// <summary>A WAFV2 call (moto keeps web ACLs and their associations; the WAF simulator enforces them).</summary>
    public Task<JsonObject> Wafv2Async(string operation, JsonObject body, string region, CancellationToken cancellationToken) =>
        JsonAsync("wafv2", "AWSWAF_20190729", operation, body, region, cancellationToken);

    /// <summary>An SNS call (moto keeps topics and subscriptions; the notifications simulator keeps which are pending confirmation).</summary>
    public Task<XElement> SnsAsync(string action, IEnumerable<KeyValuePair<string, string>> form, string region, CancellationToken cancellationToken) =>
        QueryAsync("sns", action, "2010-03-31", form, region, cancellationToken);

    /// <summary>An IAM call (moto keeps roles; IAM is global, so its calls are scoped to us-east-1 as botocore signs them).</summary>
    public Task<XElement> IamAsync(string action, IEnumerable<KeyValuePair<string, string>> form, CancellationToken cancellationToken) =>
        QueryAsync("iam", action, "2010-05-08", form, "us-east-1", cancellationToken);

    private async Task<JsonObject> JsonAsync(string service, string targetPrefix, string operation, JsonObject body, string region, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "");
        message.Headers.TryAddWithoutValidation("X-Amz-Target", targetPrefix + "." + operation);
        message.Headers.TryAddWithoutValidation("Authorization", ScopeHeader(service, region));
        message.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        var answer = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        JsonObject? node;
        try
        {
            // An operation without output may answer an empty body; anything else must be a JSON object.
            node = answer.Text.Length == 0 && answer.Status < 300 ? new JsonObject() : JsonNode.Parse(answer.Text) as JsonObject;
        }
        catch (JsonException)
        {
            node = null;
        }

        if (node is null)
        {
            throw await BadAnswerAsync(service, operation, answer, "a JSON object", cancellationToken).ConfigureAwait(false);
        }

        if (answer.Status >= 300)
        {
            if ((node["__type"] as JsonValue)?.ToString() is not { } type)
            {
                throw await BadAnswerAsync(service, operation, answer, "an AWS error in JSON (__type)", cancellationToken).ConfigureAwait(false);
            }

            throw new MotoCallException(service, operation, answer.Status, type[(type.LastIndexOf('#') + 1)..],
                (node["message"] ?? node["Message"])?.ToString() ?? answer.Text);
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
        var answer = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        XElement? root;
        try
        {
            root = XElement.Parse(answer.Text);
        }
        catch (XmlException)
        {
            root = null;
        }

        if (root is null)
        {
            throw await BadAnswerAsync(service, action, answer, "XML", cancellationToken).ConfigureAwait(false);
        }

        if (answer.Status >= 300)
        {
            var error = root.Find("Error");
            if (error.Text("Code") is not { } code)
            {
                throw await BadAnswerAsync(service, action, answer, "an AWS error in XML (Error/Code)", cancellationToken).ConfigureAwait(false);
            }

            throw new MotoCallException(service, action, answer.Status, code, error.Text("Message") ?? answer.Text);
        }

        return root;
    }

    private async Task<MotoAnswer> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return new MotoAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, text);
    }

    /// <summary>One line for a call moto gave no answer to at all (it died, or nothing listens at its address).</summary>
    public async Task<string> DescribeNoAnswerAsync(HttpRequestException error) =>
        $"moto at {BaseUrl.GetLeftPart(UriPartial.Authority)} did not answer ({MotoLog.OneLine(error.Message, 200)}). " +
        await Log.DescribeTailAsync(CancellationToken.None).ConfigureAwait(false);

    private Task<BadMotoAnswerException> BadAnswerAsync(string service, string operation, MotoAnswer answer, string expected, CancellationToken cancellationToken) =>
        BadMotoAnswerException.NotExpectedAsync(service, operation, answer.Status, answer.ContentType, answer.Text, expected, Log, cancellationToken);

    private static string ScopeHeader(string service, string region) =>
        $"AWS4-HMAC-SHA256 Credential=sandbox/{DateTime.UtcNow:yyyyMMdd}/{region}/{service}/aws4_request, SignedHeaders=host, Signature=0";

    public void Dispose() => _http.Dispose();

    private readonly record struct MotoAnswer(int Status, string? ContentType, string Text);
}
