using System.Collections.Generic;
using System.Text;
using System.Text.Json.Nodes;

namespace DeployOps.Sandbox.Front;

/// <summary>An HTTP answer to an AWS request, from moto or from the world.</summary>
public sealed class AwsResponse
{
    public AwsResponse(int status, string contentType, byte[] body, IReadOnlyList<KeyValuePair<string, string>>? headers = null)
    {
        Status = status;
        ContentType = contentType;
        Body = body;
        Headers = headers ?? [];
    }

    public int Status { get; }

    public string ContentType { get; }

    public byte[] Body { get; }

    /// <summary>Headers to copy besides Content-Type and Content-Length.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    public bool IsSuccess => Status is >= 200 and < 300;

    public string BodyText => Encoding.UTF8.GetString(Body);

    public static AwsResponse Json(JsonNode node, int status = 200) =>
        new(status, "application/x-amz-json-1.1", Encoding.UTF8.GetBytes(node.ToJsonString()),
            [new("x-amzn-RequestId", AwsServiceProtocol.NewRequestId())]);

    public static AwsResponse Xml(string xml, int status = 200) => new(status, "text/xml", Encoding.UTF8.GetBytes(xml));

    /// <summary>An AWS error in the protocol of <paramref name="protocol"/>.</summary>
    public static AwsResponse Error(AwsServiceProtocol protocol, int status, string code, string message)
    {
        var requestId = AwsServiceProtocol.NewRequestId();
        var (code2, contentType, body) = protocol.RenderError(status, code, message, requestId);
        return new AwsResponse(code2, contentType, Encoding.UTF8.GetBytes(body),
            [new("x-amzn-RequestId", requestId), new("x-amzn-ErrorType", code)]);
    }
}
