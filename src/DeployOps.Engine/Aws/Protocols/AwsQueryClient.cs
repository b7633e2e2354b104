using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using System.Xml.Linq;
using DeployOps.Aws.Http;

namespace DeployOps.Aws.Protocols;

/// <summary>
/// The AWS query protocol and EC2's dialect of it: a form POST of <c>Action</c>, <c>Version</c> and the flattened
/// parameters (<c>A.B</c> for nested members; lists <c>Name.member.N</c>, or <c>Name.N</c> for EC2). Responses are XML
/// read without regard to namespaces; errors are <c>ErrorResponse/Error</c> or EC2's <c>Response/Errors/Error</c>.
/// </summary>
public sealed class AwsQueryClient : AwsProtocolClient<XElement>
{
    private const string ContentType = "application/x-www-form-urlencoded; charset=utf-8";

    internal AwsQueryClient(AwsServiceDescription service, Uri endpoint, AwsRequestPipeline pipeline)
        : base(service, endpoint, pipeline, AwsProtocol.Query, AwsProtocol.Ec2Query)
    {
    }

    /// <summary>
    /// Calls <paramref name="operation"/> and returns what <paramref name="read"/> makes of the result element:
    /// <c>&lt;OperationResult&gt;</c> for the query protocol (the root when the operation has none), the root for EC2.
    /// </summary>
    public override Task<T> CallAsync<T>(AwsOperation operation, AwsParameters parameters, Func<XElement, T> read, CancellationToken cancellationToken)
    {
        var fields = Flatten(Service, operation.Name, parameters);
        var body = Encoding.UTF8.GetBytes(string.Join("&", fields.Select(f => Escape(f.Key) + "=" + Escape(f.Value))));
        return SendAsync(operation, body, ContentType, null, ReadError, text => read(ResultOf(Parse(text), operation)), cancellationToken);
    }

    /// <inheritdoc />
    internal override AwsPage<T> ReadPage<T>(XElement document, AwsPaginator paginator, string resultKey, Func<XElement, T> read, string? sentToken) =>
        ReadXmlPage(document, paginator, resultKey, read, sentToken);

    /// <summary>One page of a query or EC2 result: the entries of <paramref name="resultKey"/>, and the next token.</summary>
    internal static AwsPage<T> ReadXmlPage<T>(XElement result, AwsPaginator paginator, string resultKey, Func<XElement, T> read, string? sentToken)
    {
        var items = result.Path(paginator.WirePath(resultKey))?.Elements().Select(read).ToList() ?? new List<T>();
        var token = result.Path(paginator.WirePath(paginator.OutputToken))?.Value;
        var more = paginator.MoreResults is null ? null : result.Path(paginator.WirePath(paginator.MoreResults))?.Value is { } flag
            ? string.Equals(flag.Trim(), "true", StringComparison.OrdinalIgnoreCase)
            : (bool?)null;
        return new AwsPage<T>(items, AwsPager.NextToken(paginator, token, more, sentToken));
    }

    /// <summary>The form fields of a request, in order: Action, Version, then the parameters.</summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> Flatten(AwsServiceDescription service, string action, AwsParameters parameters)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Action", action),
            new("Version", service.ProtocolVersion),
        };
        var listSegment = service.Protocol == AwsProtocol.Ec2Query ? string.Empty : ".member";
        WriteStructure(fields, string.Empty, parameters, listSegment);
        return fields;
    }

    /// <summary>Reads an error response (query or EC2 layout); null when the body is no XML error document.</summary>
    internal static AwsErrorDetails? ReadError(AwsHttpResponse response)
    {
        try
        {
            var root = XDocument.Parse(response.Body).Root;
            var error = root?.Descendant("Error");
            var code = error?.Text("Code");
            if (root is not null && error is not null && code is not null)
            {
                var requestId = root.Descendant("RequestId")?.Value ?? root.Descendant("RequestID")?.Value;
                return new AwsErrorDetails(code, error.Text("Message") ?? string.Empty, requestId);
            }
        }
        catch (XmlException)
        {
            // Not XML at all (an HTML page that is not well-formed, say).
        }

        return null;
    }

    private static void WriteStructure(List<KeyValuePair<string, string>> fields, string prefix, AwsParameters structure, string listSegment)
    {
        foreach (var member in structure)
        {
            WriteValue(fields, prefix + member.Key, member.Value, listSegment);
        }
    }

    private static void WriteValue(List<KeyValuePair<string, string>> fields, string name, object value, string listSegment)
    {
        switch (value)
        {
            case AwsParameters structure:
                WriteStructure(fields, name + ".", structure, listSegment);
                break;
            case bool flag:
                fields.Add(new(name, flag ? "true" : "false"));
                break;
            case double number:
                fields.Add(new(name, AwsWireValues.FormatDouble(number)));
                break;
            case AwsTimestampValue timestamp:
                fields.Add(new(name, AwsWireValues.FormatTimestamp(timestamp.Value, timestamp.Format ?? AwsTimestampFormat.Iso8601)));
                break;
            case string text:
                fields.Add(new(name, text));
                break;
            case IEnumerable<object> list:
                var index = 0;
                foreach (var item in list)
                {
                    WriteValue(fields, string.Format(CultureInfo.InvariantCulture, "{0}{1}.{2}", name, listSegment, ++index), item, listSegment);
                }

                break;
            default:
                fields.Add(new(name, Convert.ToString(value, CultureInfo.InvariantCulture)!));
                break;
        }
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);

    private static XElement Parse(string body) =>
        XDocument.Parse(body).Root ?? throw new XmlException("The response has no root element.");

    private XElement ResultOf(XElement root, AwsOperation operation) =>
        Service.Protocol == AwsProtocol.Ec2Query ? root : root.Child(operation.Name + "Result") ?? root;
}
