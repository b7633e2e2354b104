using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DeployOps.Sandbox.Front;

/// <summary>
/// One AWS API request as the sandbox received it: which service, operation and region it is for,
/// and its parameters (a JSON body for JSON services, form fields for Query services).
/// </summary>
public sealed partial class AwsRequest
{
    private JsonObject? _json;
    private bool _jsonParsed;

    private AwsRequest(string method, string pathAndQuery, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body,
        string service, string region, string operation, IReadOnlyDictionary<string, string> form)
    {
        Method = method;
        PathAndQuery = pathAndQuery;
        Headers = headers;
        Body = body;
        Service = service;
        Region = region;
        Operation = operation;
        Form = form;
    }

    public string Method { get; }

    public string PathAndQuery { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    public byte[] Body { get; }

    /// <summary>The signing name from the credential scope, e.g. <c>ecs</c> or <c>elasticloadbalancing</c>.</summary>
    public string Service { get; }

    public string Region { get; }

    /// <summary>The operation: the X-Amz-Target suffix for JSON, the Action for Query; empty when unknown.</summary>
    public string Operation { get; }

    /// <summary>Form (or query-string) fields of a Query request.</summary>
    public IReadOnlyDictionary<string, string> Form { get; }

    public AwsServiceProtocol? Protocol => AwsServiceProtocol.Find(Service);

    /// <summary>The JSON body of a JSON-protocol request, or an empty object.</summary>
    public JsonObject Json
    {
        get
        {
            if (!_jsonParsed)
            {
                _jsonParsed = true;
                try
                {
                    _json = Body.Length == 0 ? new JsonObject() : JsonNode.Parse(Body) as JsonObject;
                }
                catch (System.Text.Json.JsonException)
                {
                    _json = null;
                }
            }

            return _json ?? new JsonObject();
        }
    }

    /// <summary>True for operations that only read (Describe*, List*, Get*, Filter*).</summary>
    public bool IsReadOnly =>
        Operation.StartsWith("Describe", StringComparison.Ordinal) || Operation.StartsWith("List", StringComparison.Ordinal) ||
        Operation.StartsWith("Get", StringComparison.Ordinal) || Operation.StartsWith("Filter", StringComparison.Ordinal);

    /// <summary>Form values of a Query list parameter: <c>Name.member.1</c>, <c>Name.member.2</c>, ... (or <c>Name.1</c> for EC2).</summary>
    public IReadOnlyList<string> FormList(string name)
    {
        var values = new List<string>();
        for (var i = 1; ; i++)
        {
            if (Form.TryGetValue(name + ".member." + i, out var member) || Form.TryGetValue(name + "." + i, out member))
            {
                values.Add(member);
            }
            else
            {
                return values;
            }
        }
    }

    public string? FormValue(string name) => Form.TryGetValue(name, out var value) ? value : null;

    /// <summary>True for a request in a JSON protocol (it names its operation in X-Amz-Target), e.g. CloudWatch's JSON 1.0 beside its query protocol.</summary>
    public bool IsJson => Headers.Any(h => string.Equals(h.Key, "X-Amz-Target", StringComparison.OrdinalIgnoreCase));

    /// <summary>A top-level parameter as text: the form's (query protocol), else the JSON body's.</summary>
    public string? Param(string name) => FormValue(name) ?? (IsJson && Json[name] is JsonValue value ? value.ToString() : null);

    /// <summary>A timestamp parameter: epoch seconds (JSON) or ISO 8601 (query); null when missing or unreadable.</summary>
    public DateTimeOffset? Timestamp(string name) =>
        Param(name) is not { } text ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000))
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed) ? parsed : null;

    [GeneratedRegex(@"Credential=[^/,\s]+/\d{8}/(?<region>[^/,\s]+)/(?<service>[^/,\s]+)/aws4_request", RegexOptions.CultureInvariant)]
    private static partial Regex CredentialScope();

    /// <summary>Parses what identifies the request. Unsigned or unknown requests get an empty service.</summary>
    public static AwsRequest Parse(string method, string path, string query, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body)
    {
        string Header(string name) => headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value ?? "";

        var service = "";
        var region = "us-east-1";
        var scope = CredentialScope().Match(Header("Authorization"));
        if (!scope.Success)
        {
            scope = CredentialScope().Match("Credential=" + Uri.UnescapeDataString(QueryValue(query, "X-Amz-Credential") ?? ""));
        }

        if (scope.Success)
        {
            service = scope.Groups["service"].Value;
            region = scope.Groups["region"].Value;
        }

        var operation = "";
        var target = Header("X-Amz-Target");
        if (target.Length > 0)
        {
            operation = target[(target.LastIndexOf('.') + 1)..];
        }

        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        AddFormFields(form, query.TrimStart('?'));
        if (Header("Content-Type").StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            AddFormFields(form, Encoding.UTF8.GetString(body));
        }

        if (operation.Length == 0 && form.TryGetValue("Action", out var action))
        {
            operation = action;
        }

        return new AwsRequest(method, path + query, headers, body, service, region, operation, form);
    }

    private static string? QueryValue(string query, string name)
    {
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            if (eq > 0 && pair[..eq] == name)
            {
                return pair[(eq + 1)..];
            }
        }

        return null;
    }

    private static void AddFormFields(Dictionary<string, string> form, string encoded)
    {
        foreach (var pair in encoded.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            form[key] = value;
        }
    }
}
