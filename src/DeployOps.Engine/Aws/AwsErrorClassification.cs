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

    /// <summary>The resource's current state forbids the request: an update in progress, a resource in use (ResourceBusy).</summary>
    Conflict,

    /// <summary>A quota or limit of the account or resource is reached; waiting does not help (QuotaExceeded).</summary>
    LimitExceeded,

    /// <summary>A resource with that name or id already exists (ResourceExists).</summary>
    AlreadyExists,
}

/// <summary>The error codes AWS uses, grouped the way retries and classification need them.</summary>
public static class AwsErrorCodes
{
    /// <summary>Throttling codes of the SDKs' standard retry mode, plus EC2's own.</summary>
    internal static readonly IReadOnlyList<string> ThrottlingCodes = new[]
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    };

    /// <summary>Codes that mean the caller is not allowed or is not who it claims to be.</summary>
    internal static readonly IReadOnlyList<string> AccessDeniedCodes = new[]
    {
        "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedException",
        "UnrecognizedClientException", "InvalidClientTokenId", "SignatureDoesNotMatch", "IncompleteSignature",
        "InvalidSignatureException", "ExpiredToken", "ExpiredTokenException", "AuthFailure",
        "MissingAuthenticationToken", "OptInRequired", "NotAuthorized", "RequestExpired",
    };

    /// <summary>Codes that mean the service itself failed.</summary>
    internal static readonly IReadOnlyList<string> UnavailableCodes = new[]
    {
        "ServiceUnavailable", "ServiceUnavailableException", "InternalError", "InternalFailure",
        "InternalServerError", "ServerException", "RequestTimeout", "RequestTimeoutException", "HealthUnavailable",
    };

    private static readonly HashSet<string> Throttling = new(ThrottlingCodes, StringComparer.Ordinal);

    /// <summary>Transient codes of the standard retry mode: the service failed, the request may be retried.</summary>
    private static readonly HashSet<string> Transient = new(new[] { "RequestTimeout", "RequestTimeoutException", "InternalError" }, StringComparer.Ordinal);

    private static readonly HashSet<string> AccessDenied = new(AccessDeniedCodes, StringComparer.Ordinal);

    private static readonly HashSet<string> Unavailable = new(UnavailableCodes, StringComparer.Ordinal);

    /// <summary>ECS's reason for a name in <c>failures[]</c> that matches nothing.</summary>
    public const string EcsMissingReason = "MISSING";

    /// <summary>True for a throttling code: the request was not applied.</summary>
    public static bool IsThrottling(string code) => Throttling.Contains(code);

    /// <summary>True for a transient code of the standard retry mode.</summary>
    public static bool IsTransient(string code) => Transient.Contains(code);

    /// <summary>True for a code that means the caller is not allowed.</summary>
    public static bool IsAccessDenied(string code) => AccessDenied.Contains(code);

    /// <summary>True for a code that means the service itself failed.</summary>
    public static bool IsUnavailable(string code) => Unavailable.Contains(code);
}

/// <summary>
/// The codes every service may answer with (AWS's "common errors", the standard retry mode's throttling codes) and
/// the naming conventions services share; a service's own <see cref="AwsServiceDescription.Errors"/> are tried first.
/// </summary>
public static class AwsCommonErrors
{
    /// <summary>The common table.</summary>
    public static AwsErrorTable Table { get; } = Build();

    private static AwsErrorTable Build()
    {
        var table = new AwsErrorTable();
        foreach (var code in AwsErrorCodes.ThrottlingCodes)
        {
            table.Add(code, AwsErrorClassification.Throttling);
        }

        foreach (var code in AwsErrorCodes.AccessDeniedCodes)
        {
            table.Add(code, AwsErrorClassification.AccessDenied);
        }

        foreach (var code in AwsErrorCodes.UnavailableCodes)
        {
            table.Add(code, AwsErrorClassification.ServiceUnavailable);
        }

        // ResourceNotFoundException, TargetGroupNotFound, InvalidGroup.NotFound, NoSuchEntity.
        table.Add(AwsErrorRule.ForCodes("(NotFound|NotFoundException|NotFoundFault)$|^NoSuch", AwsErrorClassification.NotFound));
        table.Add(AwsErrorRule.ForCodes("^(Invalid|Validation|Malformed|Missing)", AwsErrorClassification.Validation));
        return table;
    }
}

/// <summary>Classifies an AWS error from its service, code, HTTP status and message.</summary>
public static class AwsErrorClassifier
{
    /// <summary>
    /// Classifies one error response of <paramref name="service"/>: its own table, then the common codes, then the HTTP
    /// status. The rule that decided is returned too (null when only the status did), for its DeployOps error id.
    /// </summary>
    public static (AwsErrorClassification Classification, AwsErrorRule? Rule) Classify(
        AwsServiceDescription? service, string errorCode, int httpStatus, string? errorMessage)
    {
        var rule = service?.Errors.Match(errorCode, errorMessage) ?? AwsCommonErrors.Table.Match(errorCode, errorMessage);
        return (rule?.Classification ?? FromStatus(httpStatus), rule);
    }

    /// <summary>Classifies an error of a service DeployOps has no description of: the common codes, then the HTTP status.</summary>
    public static AwsErrorClassification Classify(string errorCode, int httpStatus, string? errorMessage) =>
        Classify(null, errorCode, httpStatus, errorMessage).Classification;

    /// <summary>Classifies an ECS <c>failures[]</c> reason (MISSING means not found).</summary>
    public static AwsErrorClassification ClassifyEcsFailure(string reason) =>
        string.Equals(reason, AwsErrorCodes.EcsMissingReason, StringComparison.Ordinal)
            ? AwsErrorClassification.NotFound
            : AwsErrorClassification.Other;

    private static AwsErrorClassification FromStatus(int httpStatus) => httpStatus switch
    {
        429 => AwsErrorClassification.Throttling,
        401 or 403 => AwsErrorClassification.AccessDenied,
        404 => AwsErrorClassification.NotFound,
        409 => AwsErrorClassification.Conflict,
        >= 500 => AwsErrorClassification.ServiceUnavailable,
        _ => AwsErrorClassification.Other,
    };
}
