using static DeployOps.Aws.AwsErrorClassification;

namespace DeployOps.Aws.Sns;

/// <summary>
/// Amazon SNS as the botocore model <c>sns/2010-03-31</c> describes it: query, and what its errors mean (the wire codes
/// are the model's <c>error.code</c>, e.g. <c>NotFound</c>, <c>AuthorizationError</c>).
/// </summary>
public static class SnsApi
{
    /// <summary>The description <see cref="AwsServices.Registry"/> registers.</summary>
    public static AwsServiceDescription Description { get; } = AwsServiceDescription.Query("SNS", "sns", "2010-03-31") with
    {
        Errors = new AwsErrorTable
        {
            AwsErrorRule.ForCodes("NotFound$", NotFound),
            { "AuthorizationError", AccessDenied },
            { "KMSAccessDenied", AccessDenied },
            { "InvalidSecurity", AccessDenied },
            { "KMSOptInRequired", AccessDenied },
            { "Throttled", Throttling },
            { "KMSThrottling", Throttling },
            { "InternalError", ServiceUnavailable },
            AwsErrorRule.ForCodes("LimitExceeded$|^TooManyEntriesInBatchRequest$", LimitExceeded),
            { "ConcurrentAccess", Conflict },
            { "InvalidState", Conflict },
            { "StaleTag", Conflict },
            AwsErrorRule.ForCodes("^Invalid|^ParameterValueInvalid$|^ValidationException$|^EmptyBatchRequest$|^BatchEntryIdsNotDistinct$|^BatchRequestTooLong$|^Verification|^UserError$|^TagPolicy$|^OptedOut$|Disabled$|^KMSInvalidState$", Validation),
        },
    };
}
