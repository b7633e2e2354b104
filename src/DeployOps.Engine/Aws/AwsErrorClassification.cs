using System;
using System.Collections.Generic;

namespace DeployOps.Aws;

/// <summary>What kind of failure an AWS error is; cmdlets map it to a PowerShell error category.</summary>
public enum AwsErrorClassification
{
    /// <summary>The resource does not exist (ObjectNotFound).</summary>
    NotFound,

    /// <summary>The caller is not allowed, or its credentials are invalid or expired (PermissionDenied).</summary>
    AccessDenied,

    /// <summary>The service throttled the caller (LimitsExceeded).</summary>
    Throttling,

    /// <summary>The request was malformed or had an invalid value (InvalidArgument).</summary>
    Validation,

    /// <summary>The service failed or was unavailable (ResourceUnavailable).</summary>
    ServiceUnavailable,

    /// <summary>Anything else.</summary>
    Other,
}

/// <summary>The error codes AWS uses, grouped the way retries and classification need them.</summary>
public static class AwsErrorCodes
{
    /// <summary>Throttling codes of the SDKs' standard retry mode, plus EC2's own.</summary>
    private static readonly HashSet<string> ThrottlingCodes = Set(
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException");

    /// <summary>Transient codes of the standard retry mode: the service failed, the request may be retried.</summary>
    private static readonly HashSet<string> TransientCodes = Set(
        "RequestTimeout", "RequestTimeoutException", "InternalError");

    /// <summary>Codes that mean the caller is not allowed or is not who it claims to be.</summary>
    private static readonly HashSet<string> AccessDeniedCodes = Set(
        "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedException",
        "UnrecognizedClientException", "InvalidClientTokenId", "SignatureDoesNotMatch", "IncompleteSignature",
        "InvalidSignatureException", "ExpiredToken", "ExpiredTokenException", "AuthFailure",
        "MissingAuthenticationToken", "OptInRequired");

    /// <summary>Codes that mean the service itself failed.</summary>
    private static readonly HashSet<string> UnavailableCodes = Set(
        "ServiceUnavailable", "ServiceUnavailableException", "InternalError", "InternalFailure",
        "InternalServerError", "ServerException", "RequestTimeout", "RequestTimeoutException", "HealthUnavailable");

    /// <summary>ECS's reason for a name in <c>failures[]</c> that matches nothing.</summary>
    public const string EcsMissingReason = "MISSING";

    /// <summary>True for a throttling code: the request was not applied.</summary>
    public static bool IsThrottling(string code) => ThrottlingCodes.Contains(code);

    /// <summary>True for a transient code of the standard retry mode.</summary>
    public static bool IsTransient(string code) => TransientCodes.Contains(code);

    /// <summary>True for a code that means the caller is not allowed.</summary>
    public static bool IsAccessDenied(string code) => AccessDeniedCodes.Contains(code);

    /// <summary>True for a code that means the service itself failed.</summary>
    public static bool IsUnavailable(string code) => UnavailableCodes.Contains(code);

    private static HashSet<string> Set(params string[] codes) => new(codes, StringComparer.Ordinal);
}

/// <summary>Classifies an AWS error from its code, HTTP status and message.</summary>
public static class AwsErrorClassifier
{
    /// <summary>Classifies one error response.</summary>
    public static AwsErrorClassification Classify(string errorCode, int httpStatus, string? errorMessage)
    {
        if (AwsErrorCodes.IsThrottling(errorCode) || httpStatus == 429)
        {
            return AwsErrorClassification.Throttling;
        }

        if (AwsErrorCodes.IsAccessDenied(errorCode) || httpStatus is 401 or 403)
        {
            return AwsErrorClassification.AccessDenied;
        }

        if (IsNotFound(errorCode, errorMessage) || httpStatus == 404)
        {
            return AwsErrorClassification.NotFound;
        }

        if (AwsErrorCodes.IsUnavailable(errorCode) || httpStatus >= 500)
        {
            return AwsErrorClassification.ServiceUnavailable;
        }

        return IsValidation(errorCode) ? AwsErrorClassification.Validation : AwsErrorClassification.Other;
    }

    /// <summary>Classifies an ECS <c>failures[]</c> reason (MISSING means not found).</summary>
    public static AwsErrorClassification ClassifyEcsFailure(string reason) =>
        string.Equals(reason, AwsErrorCodes.EcsMissingReason, StringComparison.Ordinal)
            ? AwsErrorClassification.NotFound
            : AwsErrorClassification.Other;

    // ClusterNotFoundException, TargetGroupNotFound, InvalidGroup.NotFound, ResourceNotFoundException, NoSuchEntity.
    // ECS answers a missing task definition with the catch-all ClientException, so its message decides.
    private static bool IsNotFound(string code, string? message) =>
        code.EndsWith("NotFound", StringComparison.Ordinal)
        || code.EndsWith("NotFoundException", StringComparison.Ordinal)
        || code is "NoSuchEntity" or "ServiceNotActiveException"
        || (code == "ClientException" && message is not null && MentionsMissing(message));

    private static bool MentionsMissing(string message) =>
        message.IndexOf("not found", StringComparison.OrdinalIgnoreCase) >= 0
        || message.IndexOf("Unable to describe task definition", StringComparison.OrdinalIgnoreCase) >= 0
        || message.IndexOf("is missing", StringComparison.OrdinalIgnoreCase) >= 0;

    private static bool IsValidation(string code) =>
        code.StartsWith("Invalid", StringComparison.Ordinal)
        || code.StartsWith("Validation", StringComparison.Ordinal)
        || code.StartsWith("Malformed", StringComparison.Ordinal)
        || code.StartsWith("Missing", StringComparison.Ordinal)
        || code == "ClientException";
}
