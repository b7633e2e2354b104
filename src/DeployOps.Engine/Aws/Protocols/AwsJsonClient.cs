using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Http;

namespace DeployOps.Aws.Protocols;

/// <summary>
/// The AWS JSON 1.1 protocol: <c>POST /</c> with <c>Content-Type: application/x-amz-json-1.1</c> and
/// <c>X-Amz-Target: &lt;targetPrefix&gt;.&lt;Operation&gt;</c>; errors carry <c>__type</c> and <c>message</c>.
/// </summary>
public sealed class AwsJsonClient : AwsProtocolClient<JsonElement>
{
    private const string ContentType = "application/x-amz-json-1.1";

    internal AwsJsonClient(AwsServiceDescription service, Uri endpoint, AwsRequestPipeline pipeline)
        : base(service, endpoint, pipeline, AwsProtocol.Json)
    {
    }

    /// <inheritdoc />
    public override Task<T> CallAsync<T>(AwsOperation operation, AwsParameters parameters, Func<JsonElement, T> read, CancellationToken cancellationToken) =>
        SendAsync(
            operation,
            Serialize(parameters),
            ContentType,
            Service.ProtocolVersion + "." + operation.Name,
            ReadError,
            body => read(Parse(body)),
            cancellationToken);

    /// <inheritdoc />
    internal override AwsPage<T> ReadPage<T>(JsonElement document, AwsPaginator paginator, string resultKey, Func<JsonElement, T> read, string? sentToken) =>
        ReadJsonPage(document, paginator, resultKey, read, sentToken);

    /// <summary>One page of a JSON response: the entries of <paramref name="resultKey"/>, and the next token.</summary>
    internal static AwsPage<T> ReadJsonPage<T>(JsonElement document, AwsPaginator paginator, string resultKey, Func<JsonElement, T> read, string? sentToken)
    {
        var items = document.Path(paginator.WirePath(resultKey)) is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().Select(read).ToList()
            : new List<T>();
        var token = document.Path(paginator.WirePath(paginator.OutputToken)) is { ValueKind: JsonValueKind.String } text ? text.GetString() : null;
        var more = paginator.MoreResults is null ? null : document.Path(paginator.WirePath(paginator.MoreResults)) is { ValueKind: JsonValueKind.True or JsonValueKind.False } flag ? flag.GetBoolean() : (bool?)null;
        return new AwsPage<T>(items, AwsPager.NextToken(paginator, token, more, sentToken));
    }

    /// <summary>The request body: the parameters as one JSON object.</summary>
    internal static byte[] Serialize(AwsParameters parameters)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteObject(writer, parameters);
        }

        return stream.ToArray();
    }

    /// <summary>
    /// Reads an error response: <c>__type</c> may be <c>ns#Code</c> or <c>Code:detail</c>; the message is <c>message</c> or
    /// <c>Message</c>. Null when the body is no JSON error document (a proxy's HTML page, say).
    /// </summary>
    internal static AwsErrorDetails? ReadError(AwsHttpResponse response)
    {
        try
        {
            using var document = JsonDocument.Parse(response.Body);
            var root = document.RootElement;
            var type = root.String("__type") ?? root.String("code");
            if (type is not null)
            {
                var message = root.String("message") ?? root.String("Message") ?? root.String("errorMessage") ?? string.Empty;
                return new AwsErrorDetails(CodeOf(type), message, null);
            }
        }
        catch (JsonException)
        {
            // Not JSON at all.
        }

        return null;
    }

    private static string CodeOf(string type)
    {
        var code = type.Substring(type.LastIndexOf('#') + 1);
        var colon = code.IndexOf(':');
        return colon >= 0 ? code.Substring(0, colon) : code;
    }

    private static JsonElement Parse(string body)
    {
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body);
        return document.RootElement.Clone();
    }

    private static void WriteObject(Utf8JsonWriter writer, AwsParameters parameters)
    {
        writer.WriteStartObject();
        foreach (var member in parameters)
        {
            writer.WritePropertyName(member.Key);
            WriteValue(writer, member.Value);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case string text:
                writer.WriteStringValue(text);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case double number when double.IsNaN(number) || double.IsInfinity(number):
                writer.WriteStringValue(AwsWireValues.FormatDouble(number));
                break;
            case double number:
                writer.WriteNumberValue(number);
                break;
            case AwsTimestampValue { Format: null or AwsTimestampFormat.UnixTimestamp } timestamp:
                writer.WriteNumberValue(timestamp.Value.ToUnixTimeMilliseconds() / 1000m);
                break;
            case AwsTimestampValue timestamp:
                writer.WriteStringValue(AwsWireValues.FormatTimestamp(timestamp.Value, timestamp.Format!.Value));
                break;
            case AwsParameters structure:
                WriteObject(writer, structure);
                break;
            case IEnumerable<object> list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException(
                    string.Format(CultureInfo.InvariantCulture, "Unsupported request value type {0}.", value.GetType()), nameof(value));
        }
    }
}
