using System;
using DeployOps.Aws.Configuration;

namespace DeployOps.Aws;

/// <summary>
/// An endpoint answered, but not as an AWS API does: an HTTP status with a body that is no AWS error document (a web
/// server's 404 page for an endpoint URL with a path, a stand-in's 500 page), or a success whose body cannot be read.
/// The status is not an AWS error code, so it says nothing about the resource asked for.
/// </summary>
public sealed class AwsUnexpectedResponseException : AwsCallException
{
    /// <summary>Creates the exception; <paramref name="region"/> is the region the request was signed for, when known.</summary>
    public AwsUnexpectedResponseException(string service, string operation, Uri endpoint, int httpStatus, ResolvedRegion? region, Exception? inner = null)
        : this(service, operation, endpoint, httpStatus, region, null, inner)
    {
    }

    /// <summary>
    /// Creates the exception for a body that could not be read; <paramref name="bodyProblem"/> says what was wrong with it,
    /// e.g. <c>the body is an HTML page, not JSON</c>.
    /// </summary>
    public AwsUnexpectedResponseException(
        string service, string operation, Uri endpoint, int httpStatus, ResolvedRegion? region, string? bodyProblem, Exception? inner)
        : base(service, operation, Describe(service, operation, endpoint, httpStatus, bodyProblem), inner)
    {
        Endpoint = endpoint;
        HttpStatus = httpStatus;
        Region = region;
        BodyProblem = bodyProblem;
    }

    /// <summary>The endpoint URL that was called.</summary>
    public Uri Endpoint { get; }

    /// <summary>The HTTP status of the answer.</summary>
    public int HttpStatus { get; }

    /// <summary>The region the request was signed for, or null when not known.</summary>
    public ResolvedRegion? Region { get; }

    /// <summary>What was wrong with the body, when it was a success that could not be read; null for an error status.</summary>
    public string? BodyProblem { get; }

    /// <summary>What was sent where and what came back, without advice.</summary>
    public string Answer => $"{Service} {Operation} at '{Endpoint}' answered HTTP {HttpStatus} with {BodyText(BodyProblem)}";

    private static string BodyText(string? bodyProblem) =>
        bodyProblem is null ? "a body that is not an AWS answer" : $"a body that cannot be read: {bodyProblem}";

    private static string Describe(string service, string operation, Uri endpoint, int status, string? bodyProblem)
    {
        var advice = endpoint.AbsolutePath != "/"
            ? $"An AWS endpoint URL is the server's base URL without a path, e.g. '{new Uri(endpoint, "/")}': check -EndpointUrl and AWS_ENDPOINT_URL*."
            : status >= 500
                ? "The server failed: try again later, or see the server's log."
                : bodyProblem is not null
                    ? "The answer may have been cut off or replaced on the way (a proxy, a stand-in): try again, and if it persists "
                      + "check that the endpoint URL (-EndpointUrl, AWS_ENDPOINT_URL*) names an AWS API endpoint."
                    : "Check that the endpoint URL (-EndpointUrl, AWS_ENDPOINT_URL*) names an AWS API endpoint.";
        return $"{service} {operation}: the endpoint '{endpoint}' answered HTTP {status} with {BodyText(bodyProblem)}. {advice}";
    }
}
