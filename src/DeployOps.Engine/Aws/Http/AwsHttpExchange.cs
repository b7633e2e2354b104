using System;

namespace DeployOps.Aws.Http;

/// <summary>One signed POST to an AWS endpoint, as the protocol clients frame it.</summary>
internal sealed record AwsHttpRequest(
    AwsServiceDescription Service,
    Uri Endpoint,
    Protocols.AwsOperation Operation,
    byte[] Body,
    string ContentType,
    string? Target);

/// <summary>A response as text, with the request id AWS put in its headers (if any) and the server's Date header.</summary>
internal sealed record AwsHttpResponse(int StatusCode, string Body, string? RequestId, DateTimeOffset? ServerDate = null)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;
}

/// <summary>An error response's code, message and request id as the protocol reads them.</summary>
internal readonly record struct AwsErrorDetails(string Code, string Message, string? RequestId);
