using System;

namespace DeployOps.Aws;

/// <summary>An AWS service answered with an error.</summary>
public sealed class AwsServiceException : AwsCallException
{
    /// <summary>
    /// Creates the exception for the service whose id is <paramref name="service"/>; <paramref name="classification"/>
    /// defaults to what that service's error table (<see cref="AwsServices.Find"/>) and the common codes say.
    /// </summary>
    public AwsServiceException(
        string service,
        string operation,
        string errorCode,
        int httpStatus,
        string? requestId,
        string errorMessage,
        AwsErrorClassification? classification = null)
        : this(service, operation, errorCode, httpStatus, requestId, errorMessage, AwsErrorClassifier.Classify(AwsServices.Find(service), errorCode, httpStatus, errorMessage))
    {
        if (classification is not null)
        {
            Classification = classification.Value;
        }
    }

    /// <summary>Creates the exception for <paramref name="service"/>, classified by its error table.</summary>
    public AwsServiceException(AwsServiceDescription service, string operation, string errorCode, int httpStatus, string? requestId, string errorMessage)
        : this(service.ServiceId, operation, errorCode, httpStatus, requestId, errorMessage, AwsErrorClassifier.Classify(service, errorCode, httpStatus, errorMessage))
    {
    }

    // The public constructors classify, then come here.
    private AwsServiceException(
        string service, string operation, string errorCode, int httpStatus, string? requestId, string errorMessage, (AwsErrorClassification Classification, AwsErrorRule? Rule) classified)
        : base(service, operation, Describe(service, operation, errorCode, httpStatus, requestId, errorMessage), null)
    {
        ErrorCode = errorCode;
        HttpStatus = httpStatus;
        RequestId = requestId;
        ErrorMessage = errorMessage;
        Classification = classified.Classification;
        ErrorId = classified.Rule?.ErrorId;
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

    /// <summary>
    /// The DeployOps error id the service's error table gives this error (e.g. <c>ClusterNotFound</c>,
    /// <c>StackNotFound</c>); null when the table names none and the kind's default applies.
    /// </summary>
    public string? ErrorId { get; }

    private static string Describe(string service, string operation, string code, int status, string? requestId, string message)
    {
        var text = $"{service} {operation} failed with {code}: {message} (HTTP {status}";
        return text + (requestId is null ? ")" : $", request id {requestId})");
    }
}
