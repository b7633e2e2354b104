using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Http;

namespace DeployOps.Aws.Protocols;

/// <summary>
/// The AWS JSON 1.1 protocol: <c>POST /</c> with <c>Content-Type: application/x-amz-json-1.1</c> and
/// <c>X-Amz-Target: &lt;targetPrefix&gt;.&lt;Operation&gt;</c>; errors carry <c>__type</c> and <c>message</c>.
/// </summary>
public sealed class AwsJsonClient : AwsProtocolClient
{
    private const string ContentType = "application/x-amz-json-1.1";

    internal AwsJsonClient(AwsServiceDescription service, Uri endpoint, AwsRequestPipeline pipeline)
        : base(service, endpoint, pipeline, AwsProtocol.Json)
    {
    }

    /// <summary>Calls <paramref name="operation"/> and returns the response document's root object.</summary>
    public Task<JsonElement> CallAsync(AwsOperation operation, AwsParameters parameters, CancellationToken cancellationToken) =>
        SendAsync(
            operation,
            Serialize(parameters),
            ContentType,
            Service.ProtocolVersion + "." + operation.Name,
            ReadError,
            Parse,
            cancellationToken);

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
