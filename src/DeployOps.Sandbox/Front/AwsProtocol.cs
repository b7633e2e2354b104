using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security;
using System.Text;

namespace DeployOps.Sandbox.Front;

/// <summary>The wire protocols the sandbox speaks (botocore's "json", "query" and "ec2").</summary>
public enum WireProtocol
{
    Json,
    Query,
    Ec2,
}

/// <summary>
/// What the sandbox knows of one AWS service: its signing name, protocol and how its errors look.
/// </summary>
public sealed record AwsServiceProtocol(
    string SigningName,
    WireProtocol Protocol,
    string XmlNamespace,
    string ThrottlingCode,
    string ServerErrorCode)
{
    private static readonly Dictionary<string, AwsServiceProtocol> BySigningName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ecs"] = new("ecs", WireProtocol.Json, "", "ThrottlingException", "ServerException"),
        ["logs"] = new("logs", WireProtocol.Json, "", "ThrottlingException", "ServiceUnavailableException"),
        ["lightsail"] = new("lightsail", WireProtocol.Json, "", "ThrottlingException", "ServiceException"),
        ["elasticloadbalancing"] = new("elasticloadbalancing", WireProtocol.Query, "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/", "Throttling", "InternalFailure"),
        ["cloudformation"] = new("cloudformation", WireProtocol.Query, "http://cloudformation.amazonaws.com/doc/2010-05-15/", "Throttling", "InternalFailure"),
        ["sts"] = new("sts", WireProtocol.Query, "https://sts.amazonaws.com/doc/2011-06-15/", "Throttling", "InternalFailure"),
        ["rds"] = new("rds", WireProtocol.Query, "http://rds.amazonaws.com/doc/2014-10-31/", "Throttling", "InternalFailure"),
        ["ec2"] = new("ec2", WireProtocol.Ec2, "http://ec2.amazonaws.com/doc/2016-11-15/", "RequestLimitExceeded", "InternalError"),
        ["monitoring"] = new("monitoring", WireProtocol.Query, "http://monitoring.amazonaws.com/doc/2010-08-01/", "Throttling", "InternalServiceError"),
        ["secretsmanager"] = new("secretsmanager", WireProtocol.Json, "", "ThrottlingException", "InternalServiceError"),
        ["wafv2"] = new("wafv2", WireProtocol.Json, "", "WAFLimitsExceededException", "WAFInternalErrorException"),
        ["sns"] = new("sns", WireProtocol.Query, "http://sns.amazonaws.com/doc/2010-03-31/", "Throttled", "InternalError"),
        ["iam"] = new("iam", WireProtocol.Query, "https://iam.amazonaws.com/doc/2010-05-08/", "Throttling", "ServiceFailure"),
    };

    /// <summary>Aliases people type for a service in fault rules (the CLI's names).</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["elbv2"] = "elasticloadbalancing",
        ["cloudwatch-logs"] = "logs",
        ["cloudwatch"] = "monitoring",
    };

    public static IEnumerable<string> KnownSigningNames => BySigningName.Keys;

    public static AwsServiceProtocol? Find(string signingName) =>
        BySigningName.TryGetValue(signingName, out var protocol) ? protocol : null;

    /// <summary>Maps an alias such as <c>elbv2</c> to the signing name, or returns the name unchanged.</summary>
    public static string Canonical(string name) => Aliases.TryGetValue(name, out var canonical) ? canonical : name;

    /// <summary>Renders an error body in this service's protocol; returns (status, content type, body).</summary>
    public (int Status, string ContentType, string Body) RenderError(int status, string code, string message, string requestId)
    {
        switch (Protocol)
        {
            case WireProtocol.Json:
                var json = "{\"__type\":\"" + code + "\",\"message\":\"" + EscapeJson(message) + "\"}";
                return (status, "application/x-amz-json-1.1", json);
            case WireProtocol.Ec2:
                var ec2 = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + code +
                          "</Code><Message>" + SecurityElement.Escape(message) + "</Message></Error></Errors><RequestID>" +
                          requestId + "</RequestID></Response>";
                return (status, "text/xml", ec2);
            default:
                var type = status >= 500 ? "Receiver" : "Sender";
                var query = "<ErrorResponse xmlns=\"" + XmlNamespace + "\"><Error><Type>" + type + "</Type><Code>" + code +
                            "</Code><Message>" + SecurityElement.Escape(message) + "</Message></Error><RequestId>" +
                            requestId + "</RequestId></ErrorResponse>";
                return (status, "text/xml", query);
        }
    }

    /// <summary>The status AWS uses for this service's throttling error (EC2 answers 503, the others 400).</summary>
    public int ThrottlingStatus => Protocol == WireProtocol.Ec2 ? 503 : 400;

    internal static string EscapeJson(string value)
    {
        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < ' ')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>A request id in the shape AWS uses (a UUID).</summary>
    public static string NewRequestId() => Guid.NewGuid().ToString();
}
