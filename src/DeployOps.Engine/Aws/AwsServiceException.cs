using System;

namespace DeployOps.Aws;

/// <summary>An AWS service answered with an error.</summary>
public sealed class AwsServiceException : AwsCallException
{
    /// <summary>Creates the exception; <paramref name="classification"/> defaults to <see cref="AwsErrorClassifier.Classify"/>.</summary>
    public AwsServiceException(
        string service,
        string operation,
        string errorCode,
        int httpStatus,
        string? requestId,
        string errorMessage,
        AwsErrorClassification? classification = null)
        : base(service, operation, Describe(service, operation, errorCode, httpStatus, requestId, errorMessage), null)
    {
        ErrorCode = errorCode;
        HttpStatus = httpStatus;
        RequestId = requestId;
        ErrorMessage = errorMessage;
        Classification = classification ?? AwsErrorClassifier.Classify(errorCode, httpStatus, errorMessage);
    }

    /// <summary>The AWS error code without namespace, e.g. <c>ClusterNotFoundException</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>The HTTP status code of the response.</summary>
    public int HttpStatus { get; }

    /// <summary>The AWS request id, for support cases; null when the response carried none.</summary>
    public string? RequestId { get; }

    /// <summary>The service's own message.</summary>
    public string ErrorMessage { get; }

    /// <summary>What kind of failure this is.</summary>
    public AwsErrorClassification Classification { get; }

    private static string Describe(string service, string operation, string code, int status, string? requestId, string message)
    {
        var text = $"{service} {operation} failed with {code}: {message} (HTTP {status}";
        return text + (requestId is null ? ")" : $", request id {requestId})");
    }
}
