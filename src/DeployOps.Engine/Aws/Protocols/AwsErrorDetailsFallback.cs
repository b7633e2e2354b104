using System;
using DeployOps.Aws.Http;

namespace DeployOps.Aws.Protocols;

/// <summary>What both protocols report when a response is not the document AWS should have sent.</summary>
internal static class AwsErrorDetailsFallback
{
    /// <summary>An error response without a readable AWS error: described by its status (5xx stays retryable).</summary>
    public static AwsErrorDetails From(AwsHttpResponse response) => new(
        "Http" + response.StatusCode,
        $"The service answered HTTP {response.StatusCode} without an AWS error document.",
        null);

    /// <summary>A 2xx response whose body could not be parsed.</summary>
    public static AwsServiceException MalformedResponse(AwsHttpRequest request, AwsHttpResponse response, Exception cause) => new(
        request.Service.ServiceId,
        request.Operation.Name,
        "MalformedResponse",
        response.StatusCode,
        response.RequestId,
        "The response could not be read: " + cause.Message,
        AwsErrorClassification.Other);
}
